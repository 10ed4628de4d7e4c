/* The audience table, and everything outside the code that lists audiences
 * held to it: the profile schema, the limits in principles.xml, the
 * manual and the benchmark's profiles. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlregexp.h>

#include "audience.h"
#include "embedded.h"
#include "helpers.h"
#include "principles.h"
#include "util/io.h"

Test(audience, every_row_is_complete_and_consistent)
{
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const audience_info *a = audience_at((audience_row)r);
        cr_assert_not_null(a->id, "row %d has no id", r);
        cr_expect(a->label && a->label_youth && a->title && a->title_youth && a->easy_title,
                  "%s lacks a label or title", a->id);
        cr_expect_not_null(embedded_find(a->template_name), "%s: no template %s", a->id,
                           a->template_name);
        const audience_kind_info *k = audience_kind_at(a->kind);
        if (a->band == BAND_NONE) {
            cr_expect_null(a->band_name, "%s", a->id);
            cr_expect_str_eq(a->id, k->name);
        } else {
            cr_assert_not_null(a->band_name, "%s", a->id);
            char *id = xasprintf("%s-%s", k->name, a->band_name);
            cr_expect_str_eq(a->id, id);
            free(id);
        }
        cr_expect_eq(audience_for(a->kind, a->band), a, "%s", a->id);
        for (int s = 0; s < r; s++)
            cr_expect_str_neq(audience_at((audience_row)s)->id, a->id);
    }
    cr_expect_not_null(embedded_find(AUDIENCE_EASY_TEMPLATE));
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        cr_expect(ki->name && ki->devices_attr && ki->devices_default && ki->plural &&
                  ki->plain_plural, "kind %d lacks a name", k);
        cr_expect_eq(audience_at(ki->default_row)->kind, (audience_kind)k, "%s", ki->name);
        /* A borrowed kind lends its own texts, not another's: no loop. */
        int from = ki->texts_from ? audience_kind_find(ki->texts_from) : -1;
        cr_expect(!ki->texts_from || (from >= 0 && !audience_kind_at((audience_kind)from)->texts_from),
                  "%s reads the texts of %s", ki->name, ki->texts_from);
    }
}

Test(audience, lookups)
{
    bool easy = true;
    cr_expect_eq(audience_find("pupil-ks2", &easy), audience_at(AUDIENCE_PUPIL_KS2));
    cr_expect_not(easy);
    cr_expect_eq(audience_find("parent-easy", &easy), audience_at(AUDIENCE_PARENT));
    cr_expect(easy);
    cr_expect_null(audience_find("pupil", NULL));
    cr_expect_null(audience_find("-easy", NULL));
    cr_expect_null(audience_find("easy", NULL));
    cr_expect_null(audience_find("pupil-ks5", NULL));
    cr_expect(audience_known("pupil-easy", true));
    cr_expect_not(audience_known("pupil-easy", false));
    cr_expect(audience_known("staff", false));
    cr_expect_eq(audience_kind_find("parent"), AUD_PARENT);
    cr_expect_eq(audience_kind_find("parents"), -1);
    cr_expect_eq(audience_band_find("ks3-4"), BAND_KS3_4);
    cr_expect_eq(audience_band_find(""), -1);
    cr_expect_eq(audience_for(AUD_PUPIL, BAND_NONE), audience_at(AUDIENCE_PUPIL_KS3_4));
    char id[32];
    audience_make_id(AUDIENCE_PUPIL_POST16, true, id, sizeof id);
    cr_expect_str_eq(id, "pupil-post16-easy");
}

/* The lists name every row, in table order, with LAST before the final one. */
Test(audience, lists_for_messages)
{
    strbuf ids = {0}, readers = {0}, kinds = {0}, unbanded = {0}, bands = {0};
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        bool banded = audience_at(ki->default_row)->band_name != NULL;
        sb_printf(&kinds, "%s|", ki->name);
        if (banded)
            sb_printf(&readers, "%s|", ki->name);
        else
            sb_printf(&unbanded, "%s|", ki->name);
        for (int r = 0; r < AUDIENCE_COUNT; r++) {
            const audience_info *a = audience_at((audience_row)r);
            if (a->kind != (audience_kind)k)
                continue;
            sb_printf(&ids, "%s|", a->id);
            sb_printf(&readers, "%s|", a->id);
            if (a->band_name)
                sb_printf(&bands, "%s|", a->band_name);
        }
    }
    strbuf *want[] = {&ids, &readers, &kinds, &unbanded, &bands};
    audience_list_what what[] = {AUDIENCE_LIST_IDS, AUDIENCE_LIST_READERS, AUDIENCE_LIST_KINDS,
                                 AUDIENCE_LIST_UNBANDED_KINDS, AUDIENCE_LIST_BANDS};
    for (size_t i = 0; i < 5; i++) {
        want[i]->data[--want[i]->len] = '\0';
        char *got = audience_list(what[i], "|", "|");
        cr_expect_str_eq(got, want[i]->data);
        free(got);
        sb_free(want[i]);
    }
    char *s = audience_list(AUDIENCE_LIST_BANDS, ", ", " or ");
    cr_expect_str_eq(s, "early, ks2, ks3-4 or post16");
    free(s);
}

/* ---- the profile schema ---- */

static xmlDocPtr schema_doc(const char *name)
{
    const embedded_file *f = embedded_find(name);
    cr_assert_not_null(f, "%s is not embedded", name);
    xmlDocPtr doc = xmlReadMemory(f->data, (int)f->len, name, NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "%s does not parse", name);
    return doc;
}

static bool is_xs(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* The xs:simpleType or xs:complexType called NAME. */
static xmlNodePtr find_type(xmlDocPtr doc, const char *kind, const char *name)
{
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (!is_xs(n, kind))
            continue;
        char *v = prop(n, "name");
        bool hit = v && !strcmp(v, name);
        free(v);
        if (hit)
            return n;
    }
    cr_assert_fail("no %s called %s in the schema", kind, name);
    return NULL;
}

/* The values of a simple type's enumeration, joined by "|". */
static char *enumeration(xmlNodePtr type)
{
    strbuf b = {0};
    for (xmlNodePtr r = type->children; r; r = r->next)
        for (xmlNodePtr e = is_xs(r, "restriction") ? r->children : NULL; e; e = e->next)
            if (is_xs(e, "enumeration")) {
                char *v = prop(e, "value");
                sb_printf(&b, "%s%s", b.len ? "|" : "", v);
                free(v);
            }
    return b.data ? b.data : xstrdup("");
}

static char *pattern_of(xmlNodePtr type)
{
    for (xmlNodePtr r = type->children; r; r = r->next)
        for (xmlNodePtr e = is_xs(r, "restriction") ? r->children : NULL; e; e = e->next)
            if (is_xs(e, "pattern"))
                return prop(e, "value");
    cr_assert_fail("the type has no pattern");
    return NULL;
}

static bool matches(xmlRegexpPtr re, const char *s)
{
    return xmlRegexpExec(re, (const xmlChar *)s) == 1;
}

/* Every reader the table knows matches PATTERN, and nothing else does. */
static void expect_reader_pattern(const char *schema, const char *pattern, bool kinds)
{
    xmlRegexpPtr re = xmlRegexpCompile((const xmlChar *)pattern);
    cr_assert_not_null(re, "%s: the pattern does not compile", schema);
    cr_expect(matches(re, "easy"), "%s: 'easy' does not match", schema);
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        char id[40];
        for (int easy = 0; easy < 2; easy++) {
            audience_make_id((audience_row)r, easy, id, sizeof id);
            cr_expect(matches(re, id), "%s: the reader pattern rejects %s", schema, id);
        }
    }
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const char *name = audience_kind_at((audience_kind)k)->name;
        cr_expect_eq(matches(re, name), kinds || audience_known(name, false),
                     "%s: kind %s", schema, name);
    }
    static const char *const not_readers[] = {"pupil-ks5", "pupils", "staff-early", "easy-easy",
                                              "nobody", "pupil-", ""};
    for (size_t i = 0; i < sizeof not_readers / sizeof *not_readers; i++)
        cr_expect_not(matches(re, not_readers[i]), "%s: the pattern accepts '%s'", schema,
                      not_readers[i]);
    xmlRegFreeRegexp(re);
}

Test(audience, profile_schema_follows_the_table)
{
    xmlDocPtr doc = schema_doc("schema/profile.xsd");
    char *kinds = audience_list(AUDIENCE_LIST_KINDS, "|", "|");
    char *got = enumeration(find_type(doc, "simpleType", "audience-kind"));
    cr_expect_str_eq(got, kinds, "audience-kind in schema/profile.xsd");
    free(got);
    free(kinds);
    char *bands = audience_list(AUDIENCE_LIST_BANDS, "|", "|");
    got = enumeration(find_type(doc, "simpleType", "band"));
    cr_expect_str_eq(got, bands, "band in schema/profile.xsd");
    free(got);
    free(bands);
    char *pattern = pattern_of(find_type(doc, "simpleType", "reader"));
    expect_reader_pattern("schema/profile.xsd", pattern, true);
    free(pattern);

    /* <devices>: one attribute per kind (required where the table says, "!"),
     * and one per band that has its own. */
    strbuf want = {0};
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        sb_printf(&want, "%s=%s%s ", ki->devices_attr, ki->devices_default,
                  ki->devices_required ? "!" : "");
        for (int r = 0; r < AUDIENCE_COUNT; r++)
            if (audience_at((audience_row)r)->own_devices &&
                audience_at((audience_row)r)->kind == (audience_kind)k)
                sb_printf(&want, "%s=%s ", audience_at((audience_row)r)->band_name,
                          ki->devices_attr);
    }
    strbuf have = {0};
    for (xmlNodePtr a = find_type(doc, "complexType", "devices")->children; a; a = a->next) {
        if (!is_xs(a, "attribute"))
            continue;
        char *name = prop(a, "name"), *def = prop(a, "default"), *use = prop(a, "use");
        /* A required attribute has no default in the schema: take the table's. */
        const char *shown = def;
        for (int k = 0; !shown && k < AUD_KIND_COUNT; k++)
            if (!strcmp(audience_kind_at((audience_kind)k)->devices_attr, name))
                shown = use && !strcmp(use, "required")
                            ? audience_kind_at((audience_kind)k)->devices_default : NULL;
        for (int r = 0; !shown && r < AUDIENCE_COUNT; r++)
            if (audience_at((audience_row)r)->own_devices &&
                !strcmp(audience_at((audience_row)r)->band_name, name))
                shown = audience_kind_at(audience_at((audience_row)r)->kind)->devices_attr;
        sb_printf(&have, "%s=%s%s ", name, shown ? shown : "?",
                  use && !strcmp(use, "required") ? "!" : "");
        free(name);
        free(def);
        free(use);
    }
    cr_expect_str_eq(have.data, want.data, "the attributes of <devices> in schema/profile.xsd");
    sb_free(&have);
    sb_free(&want);

    /* One <ladder> and one <tell> per kind must be allowed. */
    const char *text = embedded_find("schema/profile.xsd")->data;
    static const char *const per_kind[] = {"ladder", "tell"};
    for (size_t i = 0; i < 2; i++) {
        char *at = xasprintf("<xs:element name=\"%s\" type=\"p:%s\" maxOccurs=\"",
                             per_kind[i], per_kind[i]);
        const char *p = strstr(text, at);
        cr_assert_not_null(p, "schema/profile.xsd has no %s", at);
        cr_expect_geq(atoi(p + strlen(at)), AUD_KIND_COUNT,
                      "schema/profile.xsd: <%s> must be allowed once per audience kind",
                      per_kind[i]);
        free(at);
    }
    xmlFreeDoc(doc);
}

/* The library's schema takes any reader name; the load holds it to the table. */
Test(audience, library_readers_follow_the_table)
{
    const char *xml =
        "<library xmlns=\"urn:aupc:library:1\">\n"
        "  <statement id=\"t\" section=\"acceptable\" principles=\"school-tech\">\n"
        "    <text for=\"pupil-ks2-easy\">Fine.</text>\n"
        "    <text for=\"pupil-easy\">Fine.</text>\n"
        "    <text for=\"nobody\">Not a reader.</text>\n"
        "  </statement>\n</library>\n";
    library *lib = library_new();
    diag_list d = {0};
    cr_expect_neq(library_add_file(lib, "t.xml", xml, strlen(xml), &d), 0);
    cr_assert_eq(d.count, 1, "%zu diagnostics", d.count);
    cr_expect_eq(d.items[0].line, 5);
    cr_expect_eq(d.items[0].col, 11);
    cr_expect(strstr(d.items[0].message, "unknown reader 'nobody'"), "%s", d.items[0].message);
    cr_expect(strstr(d.items[0].message, "pupil, pupil-early"), "%s", d.items[0].message);
    diag_free(&d);
    library_free(lib);
}

/* Every audience has its limits, and so does easy read. */
Test(audience, principles_have_limits_for_every_audience)
{
    diag_list d = {0};
    principle_set *ps = principles_load(NULL, &d);
    cr_assert_not_null(ps);
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const char *id = audience_at((audience_row)r)->id;
        const principle_limits *l = principles_limits_for(ps, id);
        cr_expect(l && !strcmp(l->id, id), "statements/principles.xml has no limits for %s", id);
    }
    const principle_limits *easy = principles_limits_for(ps, "parent-easy");
    cr_expect(easy && !strcmp(easy->id, "easy"), "no limits for easy read");
    cr_expect_eq(ps->nlimits, AUDIENCE_COUNT + 1, "limits for an audience the table lacks");
    principles_free(ps);
    diag_free(&d);
}

Test(audience, principles_limits_follow_the_table)
{
    const embedded_file *f = embedded_find("statements/principles.xml");
    cr_assert_not_null(f);
    char *text = replace_once(f->data, "<audience id=\"community\"", "<audience id=\"nobody\"");
    char *dir = make_tmpdir();
    char *path = xasprintf("%s/principles.xml", dir);
    write_text(path, text);
    diag_list d = {0};
    cr_expect_null(principles_load(path, &d));
    cr_assert_eq(d.count, 2, "%zu diagnostics", d.count);
    cr_expect(strstr(d.items[0].message, "limits for an unknown audience 'nobody'"), "%s",
              d.items[0].message);
    int line = 1;   /* the line of the element at fault */
    for (const char *q = text; q < strstr(text, "<audience id=\"nobody\""); q++)
        line += *q == '\n';
    cr_expect_eq(d.items[0].line, line);
    cr_expect(strstr(d.items[1].message, "no limits for the audience 'community'"), "%s",
              d.items[1].message);
    diag_free(&d);
    remove_tree(dir);
    free(dir);
    free(path);
    free(text);
}

/* The manual page NAME as the build made it from its template (man/NAME.in),
 * with roff's \- as a plain hyphen. */
static char *manual(const char *name)
{
    char *path = xasprintf("%s/man/%s", AUPC_BUILD_ROOT, name);
    char *text = slurp(path);
    cr_assert_not_null(text, "cannot read %s", path);
    free(path);
    char *o = text;
    for (const char *p = text; *p; p++) {
        if (p[0] == '\\' && p[1] == '-')
            p++;
        *o++ = *p;
    }
    *o = '\0';
    return text;
}

/* The part of TEXT from the line FROM to the next line starting with TO. */
static char *part(const char *text, const char *from, const char *to)
{
    const char *a = strstr(text, from);
    cr_assert_not_null(a, "no '%s' in the manual", from);
    a += strlen(from);
    const char *z = strstr(a, to);
    return xstrndup(a, z ? (size_t)(z - a) : strlen(a));
}

/* The first word of each line of TEXT (after PREFIX, which the line must
 * start with; after a .TP line only, when TAGS), joined by "|". */
static char *first_words(const char *text, const char *prefix, bool tags)
{
    strbuf b = {0};
    size_t n = strlen(prefix);
    bool tag = false;
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if ((tag || !tags) && !strncmp(p, prefix, n))
            sb_printf(&b, "%s%.*s", b.len ? "|" : "", (int)strcspn(p + n, " \n"), p + n);
        tag = !strncmp(p, ".TP\n", 4) || !strncmp(p, ".TP ", 4);
    }
    return b.data ? b.data : xstrdup("");
}

/* aupc(1) lists exactly the table's audiences under AUDIENCES, and their
 * limits as principles.xml gives them; aupc-profile(5) exactly its kinds
 * and the attributes of <devices>. The build writes both from the tables
 * (man/mangen.c): this holds what it wrote. */
Test(audience, manuals_list_exactly_the_table)
{
    strbuf ids = {0}, rows = {0}, attrs = {0};
    for (int r = 0; r < AUDIENCE_COUNT; r++)
        sb_printf(&ids, "%s%s", r ? "|" : "", audience_at((audience_row)r)->id);
    sb_printf(&rows, "%s|any", ids.data);
    char *man1 = manual("aupc.1");
    char *audiences = part(man1, "\n.SH AUDIENCES\n", "\n.SH ");
    char *listed = first_words(audiences, ".B ", true);
    cr_expect_str_eq(listed, ids.data, "the audiences of aupc(1): %s, not %s", listed,
                     ids.data);
    free(listed);
    char *limits = part(man1, "\naudience        pages  grade  words  prohibit  positive  months\n",
                        "\n.EE");
    listed = first_words(limits, "", false);
    cr_expect_str_eq(listed, rows.data, "the rows of the limits in aupc(1): %s, not %s", listed,
                     rows.data);
    free(listed);
    /* each row's figures are principles.xml's */
    diag_list d = {0};
    principle_set *ps = principles_load(NULL, &d);
    cr_assert_not_null(ps);
    char *table = xasprintf("\n%s", limits);
    for (int r = 0; r <= AUDIENCE_COUNT; r++) {
        bool easy = r == AUDIENCE_COUNT;
        const char *id = easy ? "any -easy" : audience_at((audience_row)r)->id;
        const principle_limits *l = principles_limits_for(ps, easy ? "parent-easy" : id);
        cr_assert_not_null(l, "%s", id);
        char *want = xasprintf("\n%s ", id);
        const char *at = strstr(table, want);
        free(want);
        cr_expect_not_null(at, "no limits row for %s", id);
        if (!at)
            continue;
        int pages, positive, months;
        double grade, words, prohibit;
        cr_assert_eq(sscanf(at + strlen(id) + 1, "%d %lf %lf %lf %d %d", &pages, &grade, &words,
                            &prohibit, &positive, &months), 6, "%s", id);
        cr_expect(pages == l->pages && grade == l->fk_max && words == l->wps_max &&
                  prohibit == l->prohibition_max && positive == l->positive_min &&
                  months == l->review_months, "aupc(1)'s limits for %s are not principles.xml's",
                  id);
    }
    principles_free(ps);
    diag_free(&d);
    free(table);
    free(limits);
    free(audiences);
    free(man1);

    char *man5 = manual("aupc-profile.5");
    /* The kinds, as each attribute that takes one lists them. */
    strbuf kinds = {0};
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const char *name = audience_kind_at((audience_kind)k)->name;
        if (k + 2 < AUD_KIND_COUNT)
            sb_printf(&kinds, ".BR %s ,\n", name);
        else if (k + 2 == AUD_KIND_COUNT)
            sb_printf(&kinds, ".B %s\nor\n", name);
        else
            sb_printf(&kinds, ".BR %s .\n", name);
    }
    size_t n = 0;
    for (const char *p = strstr(man5, kinds.data); p; p = strstr(p + 1, kinds.data))
        n++;
    cr_expect_eq(n, 4, "aupc-profile(5) lists the kinds %zu times, not 4:\n%s", n, kinds.data);
    sb_free(&kinds);
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        sb_printf(&attrs, "%s%s", attrs.len ? "|" : "", ki->devices_attr);
        for (int r = 0; r < AUDIENCE_COUNT; r++) {
            const audience_info *a = audience_at((audience_row)r);
            if (a->own_devices && a->kind == (audience_kind)k)
                sb_printf(&attrs, "|%s", a->band_name);
        }
    }
    char *devices = part(man5, "\n.SS <devices>\n", "\n.SS ");
    listed = first_words(devices, ".BR ", true);
    cr_expect_str_eq(listed, attrs.data, "the attributes of <devices> in aupc-profile(5): %s, "
                     "not %s", listed, attrs.data);
    free(listed);
    free(devices);
    free(man5);
    sb_free(&ids);
    sb_free(&rows);
    sb_free(&attrs);
}

/* The benchmark writes only audiences and ladders the table knows. */
Test(audience, benchmark_profiles_use_known_audiences)
{
    char *path = src_path("bench/genprofiles.py");
    char *py = slurp(path);
    cr_assert_not_null(py);
    /* 'kind="staff"', 'band="ks2" ...', audience="pupil", and the keys of
     * the ladder steps: "pupil": ["A reminder ...", ...] */
    regex_t re;
    cr_assert_eq(regcomp(&re, "('kind|'band|audience)=\"([a-z0-9-]+)\"|^ *\"([a-z]+)\": \\[\"",
                         REG_EXTENDED | REG_NEWLINE), 0);
    size_t n = 0;
    regmatch_t m[4];
    for (const char *p = py; regexec(&re, p, 4, m, p == py ? 0 : REG_NOTBOL) == 0;
         p += m[0].rm_eo, n++) {
        int g = m[2].rm_so >= 0 ? 2 : 3;
        char *name = xstrndup(p + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
        bool band = g == 2 && p[m[1].rm_so + 1] == 'b';
        cr_expect_geq(band ? audience_band_find(name) : audience_kind_find(name), 0,
                      "bench/genprofiles.py writes an unknown %s '%s'", band ? "band" : "kind",
                      name);
        free(name);
    }
    cr_expect_gt(n, 30, "only %zu audiences found in bench/genprofiles.py", n);
    regfree(&re);
    free(py);
    free(path);
}
