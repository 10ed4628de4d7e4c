/* diff sees every change that changes a document: each field of an example
 * profile (every attribute and every element's text) is changed in turn,
 * and removed in turn; whenever any file compile writes (every format, the
 * agreement and posters included) differs, diff must report a change.
 *
 * A field is changed to a value the profile still accepts: a flipped
 * boolean, the next day, the next number, another value from the schema's
 * enumerations, or a text with one letter or digit changed. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "compile.h"
#include "diff.h"
#include "format.h"
#include "helpers.h"
#include "library.h"
#include "profile.h"

/* ---- candidate values ---- */

typedef struct {
    char **items;
    size_t n;
} strlist;

static void sl_add(strlist *l, char *s)
{
    l->items = realloc(l->items, (l->n + 1) * sizeof *l->items);
    l->items[l->n++] = s;
}

static void sl_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Every xs:enumeration value in the profile schema. */
static void schema_enums(xmlNode *n, strlist *out)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)n->name, "enumeration")) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)"value");
            if (v) {
                sl_add(out, strdup((const char *)v));
                xmlFree(v);
            }
        }
        schema_enums(n->children, out);
    }
}

static bool is_date(const char *v)
{
    int y, m, d;
    char tail;
    return strlen(v) == 10 && sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
}

static bool is_enum(const char *w, size_t len, const strlist *enums)
{
    for (size_t i = 0; i < enums->n; i++)
        if (strlen(enums->items[i]) == len && !strncmp(enums->items[i], w, len))
            return true;
    return false;
}

/* Is every word of V one of the schema's values? */
static bool all_enums(const char *v, const strlist *enums)
{
    if (!*v)
        return false;
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, " ");
        if (!is_enum(p, len, enums))
            return false;
        p += len;
        p += strspn(p, " ");
    }
    return true;
}

/* Values to try in place of V, best first. */
static void candidates(const char *v, const strlist *enums, strlist *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "false")) {
        sl_add(out, strdup(!strcmp(v, "true") ? "false" : "true"));
        return;
    }
    if (is_date(v)) {
        int y, m, d;
        sscanf(v, "%d-%d-%d", &y, &m, &d);
        sl_add(out, xasprintf("%04d-%02d-%02d", y, m, d == 28 ? 27 : d + 1));
        sl_add(out, xasprintf("%04d-%02d-%02d", y, m, d - 1));
        return;
    }
    char *end;
    long num = strtol(v, &end, 10);
    if (*v && !*end) {
        sl_add(out, xasprintf("%ld", num + 1));
        sl_add(out, xasprintf("%ld", num - 1));
        return;
    }
    /* A value from the schema's lists, or a list of them: another value,
     * or one more in the list. */
    if (all_enums(v, enums)) {
        for (size_t i = 0; i < enums->n; i++) {
            const char *e = enums->items[i];
            if (strcmp(v, e) != 0)
                sl_add(out, strchr(v, ' ') ? xasprintf("%s %s", v, e) : strdup(e));
        }
        if (strchr(v, ' '))
            sl_add(out, strdup(strchr(v, ' ') + 1));
    }
    /* Free text, a name, an address, a number: one character changed. */
    char *t = strdup(v);
    for (size_t i = strlen(t); i-- > 0;) {
        char c = t[i];
        if (c >= '0' && c <= '9')
            t[i] = c == '9' ? '8' : (char)(c + 1);
        else if ((c >= 'a' && c <= 'y') || (c >= 'A' && c <= 'Y'))
            t[i] = (char)(c + 1);
        else if (c == 'z' || c == 'Z')
            t[i] = (char)(c - 1);
        else
            continue;
        break;
    }
    sl_add(out, t);
}

/* ---- one example, mutated ---- */

typedef struct {
    const library *lib;
    profile *base;
    batch_file *files;
    size_t nfiles;
    unsigned formats;
    size_t tried, compiled, changed, unmutable;
} field_run;

static char *dump(xmlDoc *doc)
{
    xmlChar *mem;
    int len;
    xmlDocDumpMemoryEnc(doc, &mem, &len, "UTF-8");
    char *s = xstrndup((const char *)mem, (size_t)len);
    xmlFree(mem);
    return s;
}

static profile *load(const char *text)
{
    diag_list d = {0};
    profile *p = profile_parse("mutated.xml", text, strlen(text), &d);
    diag_free(&d);
    return p;
}

static bool same_files(const batch_file *a, size_t na, const batch_file *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i].name, b[i].name) || a[i].len != b[i].len ||
            memcmp(a[i].data, b[i].data, a[i].len))
            return false;
    return true;
}

/* Compile P; when its files differ from the base's, diff must see it. */
static void check_profile(field_run *fr, profile *p, const char *what)
{
    diag_list d = {0};
    doc_set docs = {0};
    if (compile_profile(p, fr->lib, &docs, &d) != 0) {
        doc_set_free(&docs);
        diag_free(&d);
        return;
    }
    fr->compiled++;
    batch_file *files;
    size_t n;
    cr_assert_eq(batch_render(p, &docs, fr->formats, NULL, &files, &n, &d), BATCH_OK, "%s",
                 what);
    doc_set_free(&docs);
    if (!same_files(fr->files, fr->nfiles, files, n)) {
        fr->changed++;
        diff_result r;
        cr_assert_eq(diff_profiles(fr->base, p, fr->lib, NULL, &r, &d), 0, "%s", what);
        cr_expect(!diff_identical(&r), "%s: the documents changed, yet diff reports no change",
                  what);
        diff_result_free(&r);
    }
    batch_files_free(files, n);
    diag_free(&d);
}

/* Try the values in turn until the profile takes one, then check it. */
static void mutate_value(field_run *fr, xmlDoc *doc, xmlNode *el, xmlAttr *attr,
                         const strlist *enums, const char *what)
{
    xmlChar *orig = attr ? xmlNodeGetContent((xmlNode *)attr) : xmlNodeGetContent(el);
    strlist cand = {0};
    candidates((const char *)orig, enums, &cand);
    bool done = false;
    for (size_t i = 0; i < cand.n && !done; i++) {
        if (attr)
            xmlSetProp(el, attr->name, (const xmlChar *)cand.items[i]);
        else
            xmlNodeSetContent(el, (const xmlChar *)cand.items[i]);
        char *text = dump(doc);
        profile *p = load(text);
        free(text);
        if (p) {
            char *label = xasprintf("%s = '%s' (was '%s')", what, cand.items[i], orig);
            check_profile(fr, p, label);
            free(label);
            profile_free(p);
            done = true;
        }
    }
    if (attr)
        xmlSetProp(el, attr->name, orig);
    else
        xmlNodeSetContent(el, orig);
    if (!done) {
        fr->unmutable++;
        cr_log_info("%s: no other value is accepted", what);
    }
    fr->tried++;
    sl_free(&cand);
    xmlFree(orig);
}

/* Remove NODE (an element or an attribute) for a moment. */
static void mutate_remove(field_run *fr, xmlDoc *doc, xmlNode *node, const char *what)
{
    xmlNode *parent = node->parent, *next = node->next;
    bool is_attr = node->type == XML_ATTRIBUTE_NODE;
    xmlUnlinkNode(node);
    char *text = dump(doc);
    profile *p = load(text);
    free(text);
    if (p) {
        char *label = xasprintf("%s removed", what);
        check_profile(fr, p, label);
        free(label);
        profile_free(p);
    }
    if (is_attr) {
        xmlAttr *a = (xmlAttr *)node;
        a->parent = parent;
        a->next = parent->properties;
        if (parent->properties)
            parent->properties->prev = a;
        parent->properties = a;
    } else if (next) {
        xmlAddPrevSibling(next, node);
    } else {
        xmlAddChild(parent, node);
    }
}

static bool text_only(xmlNode *el)
{
    bool text = false;
    for (xmlNode *c = el->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            return false;
        text |= c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE;
    }
    return text;
}

static void walk(field_run *fr, xmlDoc *doc, xmlNode *el, const strlist *enums, const char *path)
{
    int index = 0;
    for (xmlNode *c = el->children, *next; c; c = next) {
        next = c->next;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        char *here = xasprintf("%s/%s[%d]", path, c->name, ++index);
        for (xmlAttr *a = c->properties, *an; a; a = an) {
            an = a->next;
            char *what = xasprintf("%s@%s", here, a->name);
            mutate_value(fr, doc, c, a, enums, what);
            mutate_remove(fr, doc, (xmlNode *)a, what);
            free(what);
        }
        if (text_only(c))
            mutate_value(fr, doc, c, NULL, enums, here);
        else
            walk(fr, doc, c, enums, here);
        mutate_remove(fr, doc, c, here);
        free(here);
    }
}

static void every_field(const char *example)
{
    char *xsd = src_path("schema/profile.xsd");
    xmlDoc *sdoc = xmlReadFile(xsd, NULL, XML_PARSE_NONET);
    cr_assert_not_null(sdoc);
    strlist enums = {0};
    schema_enums(xmlDocGetRootElement(sdoc), &enums);
    xmlFreeDoc(sdoc);
    cr_assert_gt(enums.n, 20, "the schema's enumerations were not found");

    char *path = src_path(example);
    char *text = slurp(path);
    cr_assert_not_null(text, "cannot read %s", path);
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    cr_assert_not_null(lib);
    field_run fr = {.lib = lib, .formats = format_compile_mask(true)};
    fr.base = load(text);
    cr_assert_not_null(fr.base, "%s does not load", example);
    doc_set docs = {0};
    cr_assert_eq(compile_profile(fr.base, lib, &docs, &d), 0);
    cr_assert_eq(batch_render(fr.base, &docs, fr.formats, NULL, &fr.files, &fr.nfiles, &d),
                 BATCH_OK);
    doc_set_free(&docs);

    xmlDoc *doc = xmlReadMemory(text, (int)strlen(text), example, NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc);
    walk(&fr, doc, (xmlNode *)doc, &enums, "");
    cr_log_info("%s: %zu fields, %zu unmutable, %zu profiles compiled, %zu changed the output",
                example, fr.tried, fr.unmutable, fr.compiled, fr.changed);
    /* The mutations must have bitten: most fields change some output. */
    cr_expect_gt(fr.changed, fr.tried / 2, "%s: only %zu of %zu fields changed any output",
                 example, fr.changed, fr.tried);
    cr_expect_lt(fr.unmutable, fr.tried / 10, "%s: %zu fields could not be changed", example,
                 fr.unmutable);
    xmlFreeDoc(doc);
    batch_files_free(fr.files, fr.nfiles);
    profile_free(fr.base);
    library_free(lib);
    diag_free(&d);
    sl_free(&enums);
    free(text);
    free(path);
    free(xsd);
}

Test(diff_fields, oakfield_primary, .timeout = 600) { every_field("examples/oakfield-primary.xml"); }
Test(diff_fields, northgate_youth, .timeout = 600) { every_field("examples/northgate-youth.xml"); }
