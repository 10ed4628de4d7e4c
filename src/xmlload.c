#include "xmlload.h"

#include <ctype.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "embedded.h"
#include "util/io.h"

/* What a reader calls the value of an attribute or element, so that a
 * message says "personal-device policy" rather than "attribute 'pupils'". */
static const struct {
    const char *element, *attr, *noun;
} nouns[] = {
    {"devices", NULL, "personal-device policy"},
    {"kind", NULL, "setting kind"},
    {"nation", NULL, "nation"},
    {"audience", "kind", "audience kind"},
    {"audience", "band", "pupil band"},
    {"audience", "reading", "reading level"},
    {"person", "role", "role"},
    {"monitoring", "authorised-by", "role"},
    {"monitoring", "what", "monitored service"},
    {"contact", "group", "contact group"},
    {"ladder", "audience", "audience kind"},
    {"consulted", "audience", "audience kind"},
    {"tell", "audience", "audience kind"},
    {"tell", "via", "communication channel"},
    {"images", "uses", "image use"},
    {"policy", "kind", "policy kind"},
    {"custom", "section", "section"},
    {"statement", "section", "section"},
    {NULL, "accredited", "yes/no value"},
};

static const char *noun_for(const char *element, const char *attr)
{
    for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++) {
        if (nouns[i].element && (!element || strcmp(nouns[i].element, element) != 0))
            continue;
        if (nouns[i].attr && (!attr || strcmp(nouns[i].attr, attr) != 0))
            continue;
        if (!nouns[i].attr && attr && nouns[i].element && strcmp(nouns[i].element, "devices") != 0)
            continue;
        return nouns[i].noun;
    }
    return NULL;
}

typedef struct {
    const char *file, *data;
    size_t len;
    diag_list *diags;
    int errors;
} load_ctx;

/* Copy the text between the first OPEN after START and the next CLOSE. */
static char *between(const char *s, const char *open, char close)
{
    const char *a = strstr(s, open);
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = strchr(a, close);
    return b ? xstrndup(a, (size_t)(b - a)) : NULL;
}

/* "{urn:aupc:profile:1}devices" -> "devices" */
static char *local_name(const char *qname)
{
    const char *brace = strrchr(qname, '}');
    return xstrdup(brace ? brace + 1 : qname);
}

/* "{'a', 'b', 'c'}" -> "a, b or c" */
static char *human_set(const char *msg)
{
    const char *a = strstr(msg, "set {");
    if (!a)
        return NULL;
    a += 5;
    const char *end = strchr(a, '}');
    if (!end)
        return NULL;
    strbuf b = {0};
    size_t n = 0;
    for (const char *p = a; p < end; p++)
        if (*p == '\'')
            n++;
    size_t items = n / 2, k = 0;
    for (const char *p = a; p < end;) {
        const char *q = strchr(p, '\'');
        if (!q || q >= end)
            break;
        const char *r = strchr(q + 1, '\'');
        if (!r || r >= end)
            break;
        if (k > 0)
            sb_puts(&b, k + 1 == items ? " or " : ", ");
        sb_add(&b, q + 1, (size_t)(r - q - 1));
        k++;
        p = r + 1;
    }
    return b.data;
}

/* "Expected is one of ( {ns}a, {ns}b )." -> "<a> or <b>" */
static char *expected_list(const char *msg)
{
    const char *a = strstr(msg, "Expected is ");
    if (!a || !(a = strchr(a, '(')))
        return NULL;
    const char *end = strchr(a, ')');
    if (!end)
        return NULL;
    strbuf b = {0};
    size_t n = 0;
    for (const char *p = a + 1; p < end;) {
        while (p < end && (*p == ' ' || *p == ','))
            p++;
        const char *e = p;
        while (e < end && *e != ',' && *e != ' ')
            e++;
        if (e == p)
            break;
        const char *name = p;
        for (const char *q = p; q < e; q++)
            if (*q == '}')
                name = q + 1;
        if (n++)
            sb_puts(&b, ", ");
        sb_printf(&b, "<%.*s>", (int)(e - name), name);
        p = e;
    }
    if (n > 1) {
        char *last = strrchr(b.data, ',');
        char *s = xasprintf("%.*s or%s", (int)(last - b.data), b.data, last + 1);
        sb_free(&b);
        return s;
    }
    return b.data;
}

static char *translate_validity(const char *msg, const char **needle_elem, char **needle_attr)
{
    char *elem = NULL, *attr = NULL, *value = NULL, *out = NULL;
    char *q = between(msg, "Element '", '\'');
    if (q) {
        elem = local_name(q);
        free(q);
    }
    attr = between(msg, "attribute '", '\'');
    value = between(msg, "The value '", '\'');
    if (!value)
        value = between(msg, "': '", '\'');

    if (strstr(msg, "[facet 'enumeration']") && value) {
        char *set = human_set(msg);
        const char *noun = noun_for(elem, attr);
        if (noun)
            out = xasprintf("unknown %s '%s': expected %s", noun, value, set ? set : "?");
        else if (attr)
            out = xasprintf("invalid value '%s' for %s= on <%s>: expected %s", value, attr,
                            elem, set ? set : "?");
        else
            out = xasprintf("invalid value '%s' in <%s>: expected %s", value, elem,
                            set ? set : "?");
        free(set);
    } else if (strstr(msg, "[facet 'pattern']") && value) {
        out = xasprintf("invalid id '%s'%s%s: use 1 to 64 lowercase letters, digits and "
                        "hyphens, starting with a letter or digit", value,
                        attr ? " in " : "", attr ? attr : "");
    } else if (strstr(msg, "[facet 'maxLength']") || strstr(msg, "[facet 'minLength']")) {
        char *has = between(msg, "length of '", '\'');
        char *lim = between(msg, "imum length of '", '\'');
        bool max = strstr(msg, "[facet 'maxLength']") != NULL;
        if (attr)
            out = xasprintf("%s=\"...\" on <%s> is too %s (%s characters): %s %s", attr, elem,
                            max ? "long" : "short", has ? has : "?",
                            max ? "the most allowed is" : "it needs at least", lim ? lim : "?");
        else
            out = xasprintf("the text of <%s> is too %s (%s characters): %s %s", elem,
                            max ? "long" : "short", has ? has : "?",
                            max ? "the most allowed is" : "it needs at least", lim ? lim : "?");
        free(has);
        free(lim);
    } else if ((strstr(msg, "[facet 'maxInclusive']") || strstr(msg, "[facet 'minInclusive']")) &&
               value) {
        char *lim = between(msg, "allowed ('", '\'');
        out = xasprintf("invalid value '%s'%s%s: the %s allowed is %s", value, attr ? " in " : "",
                        attr ? attr : "", strstr(msg, "'maxInclusive'") ? "largest" : "smallest",
                        lim ? lim : "?");
        free(lim);
    } else if (strstr(msg, "'xs:date'") && value) {
        out = xasprintf("invalid date '%s'%s%s: write dates as YYYY-MM-DD, e.g. 2026-09-01",
                        value, attr ? " in " : "", attr ? attr : "");
    } else if (strstr(msg, "is not a valid value of the atomic type") && value) {
        out = xasprintf("invalid value '%s'%s%s: %s", value, attr ? " in " : "",
                        attr ? attr : "", strstr(msg, "boolean") ? "write true or false"
                        : strstr(msg, "nteger") ? "write a whole number" : "see aupc-profile(5)");
    } else if (strstr(msg, "is required but missing") && attr) {
        out = xasprintf("<%s> needs the attribute %s=\"...\"", elem, attr);
    } else if (strstr(msg, "Missing child element")) {
        char *e = expected_list(msg);
        out = xasprintf("<%s> is missing %s: add it (see aupc-profile(5))", elem, e ? e : "?");
        free(e);
    } else if (strstr(msg, "This element is not expected")) {
        char *e = expected_list(msg);
        if (e)
            out = xasprintf("unexpected element <%s>: expected %s here (elements must "
                            "come in the order aupc-profile(5) gives)", elem, e);
        else
            out = xasprintf("unexpected element <%s>: nothing more is allowed here", elem);
        free(e);
    } else if (strstr(msg, "attribute") && strstr(msg, "is not allowed")) {
        out = xasprintf("<%s> has no attribute %s=: remove it or check the spelling", elem,
                        attr ? attr : "?");
    } else if (strstr(msg, "No matching global declaration")) {
        out = xstrdup("this is not an aupc file of the expected kind: check the root element "
                      "and its xmlns (a profile starts <setting xmlns=\"urn:aupc:profile:1\">)");
    } else if (strstr(msg, "Duplicate key-sequence")) {
        out = xasprintf("duplicate id%s%s: every id must be unique", value ? " " : "",
                        value ? value : "");
    }
    if (!out) {
        out = xstrdup(msg);
        size_t n = strlen(out);
        while (n > 0 && isspace((unsigned char)out[n - 1]))
            out[--n] = '\0';
    }
    *needle_elem = NULL;
    /* A missing attribute is not on any line: point at its element, not at
     * the same attribute of an element above. */
    bool missing = strstr(msg, "is required but missing") != NULL;
    *needle_attr = attr && !missing ? xasprintf("%s=", attr)
                 : elem ? xasprintf("<%s", elem) : NULL;
    free(elem);
    free(attr);
    free(value);
    return out;
}

static int column_on_line(const char *data, size_t len, int line, const char *needle)
{
    const char *p = data, *end = data + len;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    size_t nl = strlen(needle);
    for (const char *s = p; s + nl <= eol; s++)
        if (memcmp(s, needle, nl) == 0)
            return (int)(s - p) + 1;
    return 0;
}

int xmlload_column(const char *data, size_t len, int line, const char *needle)
{
    int col = line > 0 && needle ? column_on_line(data, len, line, needle) : 0;
    return col ? col : 1;
}

/* libxml2 gives an element's line as where its start tag ends; a message is
 * more use on the line that holds the attribute, a few lines up. */
int xmlload_locate(const char *data, size_t len, int *line, const char *needle)
{
    if (*line <= 0 || !needle)
        return 1;
    for (int l = *line; l > 0 && l > *line - 12; l--) {
        int col = column_on_line(data, len, l, needle);
        if (col) {
            *line = l;
            return col;
        }
    }
    return 1;
}

static void on_error(void *user, xmlErrorPtr err)
{
    load_ctx *c = user;
    if (err->level == XML_ERR_WARNING)
        return;
    c->errors++;
    if (c->errors > 20)
        return;
    int line = err->line;
    if (err->domain == XML_FROM_SCHEMASV) {
        if (err->node)
            line = xmlGetLineNo((xmlNodePtr)err->node);
        const char *ne;
        char *needle;
        char *msg = translate_validity(err->message ? err->message : "", &ne, &needle);
        int col = xmlload_locate(c->data, c->len, &line, needle);
        diag_add(c->diags, DIAG_ERROR, c->file, line, col, NULL, "%s", msg);
        free(msg);
        free(needle);
        return;
    }
    char *msg = xstrdup(err->message ? err->message : "unreadable XML");
    size_t n = strlen(msg);
    while (n > 0 && isspace((unsigned char)msg[n - 1]))
        msg[--n] = '\0';
    /* libxml2's own words for these two name a parser option or span lines. */
    if (strstr(msg, "Excessive depth in document")) {
        free(msg);
        msg = xstrdup("elements are nested more than 256 deep: a profile never needs that many");
    } else if (strstr(msg, "not proper UTF-8")) {
        const char *bytes = strstr(msg, "Bytes:");
        char *m = xasprintf("the text is not valid UTF-8%s%s%s: save the file as UTF-8",
                            bytes ? " (" : "", bytes ? bytes + 7 : "", bytes ? ")" : "");
        free(msg);
        msg = m;
    }
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
    diag_add(c->diags, DIAG_ERROR, c->file, line > 0 ? line : 1, err->int2 > 0 ? err->int2 : 1,
             NULL, "malformed XML: %s", msg);
    free(msg);
}

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const char *name;
    xmlSchemaPtr schema;
} schemas[4];

static xmlSchemaPtr schema_get(const char *name)
{
    pthread_mutex_lock(&schema_lock);
    xmlSchemaPtr found = NULL;
    size_t i;
    for (i = 0; i < 4 && schemas[i].name; i++)
        if (strcmp(schemas[i].name, name) == 0)
            found = schemas[i].schema;
    if (!found && i < 4) {
        const embedded_file *f = embedded_find(name);
        if (f) {
            xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(f->data, (int)f->len);
            found = xmlSchemaParse(pc);
            xmlSchemaFreeParserCtxt(pc);
            schemas[i].name = name;
            schemas[i].schema = found;
        }
    }
    pthread_mutex_unlock(&schema_lock);
    return found;
}

static int find_doctype(const char *data, size_t len)
{
    static const char tag[] = "<!DOCTYPE";
    int line = 1;
    for (size_t i = 0; i + sizeof tag - 1 <= len; i++) {
        if (data[i] == '\n')
            line++;
        else if (data[i] == '<' && memcmp(data + i, tag, sizeof tag - 1) == 0)
            return line;
    }
    return 0;
}

xmlDocPtr xmlload_parse(const char *file, const char *data, size_t len,
                        const char *schema_name, diag_list *diags)
{
    load_ctx c = {file, data, len, diags, 0};
    if (len == 0) {
        diag_add(diags, DIAG_ERROR, file, 1, 1, NULL, "the file is empty");
        return NULL;
    }
    if (memchr(data, '\0', len) && !(len >= 2 && ((unsigned char)data[0] == 0xFF ||
                                                  (unsigned char)data[0] == 0xFE ||
                                                  data[0] == '\0'))) {
        diag_add(diags, DIAG_ERROR, file, 1, 1, NULL,
                 "the file holds NUL bytes: it is not a text XML file");
        return NULL;
    }
    /* Entities are the door to every XML bomb and file read; profiles never need them. */
    int dl = find_doctype(data, len);
    if (dl) {
        diag_add(diags, DIAG_ERROR, file, dl, xmlload_column(data, len, dl, "<!DOCTYPE"), NULL,
                 "a DOCTYPE is not allowed: remove it (aupc reads no DTDs or entities)");
        return NULL;
    }
    xmlParserCtxtPtr pctx = xmlNewParserCtxt();
    if (!pctx) {
        diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "out of memory");
        return NULL;
    }
    xmlSetStructuredErrorFunc(&c, on_error);
    xmlDocPtr doc = xmlCtxtReadMemory(pctx, data, (int)len, file, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS);
    xmlFreeParserCtxt(pctx);
    if (doc && c.errors == 0 && schema_name) {
        xmlSchemaPtr schema = schema_get(schema_name);
        xmlSchemaValidCtxtPtr v = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
        if (!v) {
            diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "internal error: schema %s unusable",
                     schema_name);
            c.errors++;
        } else {
            xmlSchemaSetValidStructuredErrors(v, on_error, &c);
            if (xmlSchemaValidateDoc(v, doc) != 0 && c.errors == 0) {
                diag_add(diags, DIAG_ERROR, file, 1, 1, NULL, "the file does not match %s",
                         schema_name);
                c.errors++;
            }
            xmlSchemaFreeValidCtxt(v);
        }
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (c.errors > 20)
        diag_add(diags, DIAG_NOTE, file, 0, 0, NULL, "%d more errors not shown", c.errors - 20);
    if (c.errors || !doc) {
        if (!c.errors)
            diag_add(diags, DIAG_ERROR, file, 1, 1, NULL, "unreadable XML");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

char *xmlload_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

char *xmlload_text(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    const char *s = v ? (const char *)v : "";
    strbuf b = {0};
    int space = 0;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            space = b.len > 0;
            continue;
        }
        if (space)
            sb_add(&b, " ", 1);
        space = 0;
        sb_add(&b, s, 1);
    }
    xmlFree(v);
    return b.data ? b.data : xstrdup("");
}

int xmlload_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}
