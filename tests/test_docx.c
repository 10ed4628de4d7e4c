/* Word output: the package read back with libzip and libxml2 (every part
 * well formed, every content type and relationship resolving, named
 * styles and nothing else), then, in the normal build, opened by real
 * clients: LibreOffice converts every example document to PDF once, and
 * pandoc reads every statement back in order. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "audience.h"
#include "compile.h"
#include "flowchart.h"
#include "format.h"
#include "helpers.h"
#include "pack.h"
#include "render_docx.h"
#include "util/io.h"

static const char *const examples[] = {
    "oakfield-primary", "riverside-academy", "brookfield-special", "northgate-youth",
    "ysgol-glan-y-mor",
};
#define NEXAMPLES (sizeof examples / sizeof *examples)


static strbuf docx_of(const document *d)
{
    strbuf out = {0};
    diag_list dl = {0};
    cr_assert_eq(render_docx(d, NULL, &out, &dl), 0, "%s", dl.count ? dl.items[0].message : "?");
    diag_free(&dl);
    return out;
}

/* ------------------------------------------------------------------ */
/* Reading a package back */

typedef struct {
    char *name, *data;
    size_t len;
    time_t mtime;
} entry;

typedef struct {
    entry *e;
    size_t n;
} package;

static package unpack(const strbuf *docx)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(docx->data, docx->len, 0, &err);
    cr_assert_not_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    cr_assert_not_null(za, "not a zip: %s", zip_error_strerror(&err));
    package p = {0};
    p.n = (size_t)zip_get_num_entries(za, 0);
    p.e = xcalloc(p.n, sizeof *p.e);
    for (size_t i = 0; i < p.n; i++) {
        zip_stat_t st;
        cr_assert_eq(zip_stat_index(za, i, 0, &st), 0);
        zip_file_t *f = zip_fopen_index(za, i, 0);
        cr_assert_not_null(f);
        p.e[i].name = xstrdup(st.name);
        p.e[i].len = (size_t)st.size;
        p.e[i].data = xmalloc(p.e[i].len + 1);
        cr_assert_eq(zip_fread(f, p.e[i].data, st.size), (zip_int64_t)st.size);
        p.e[i].data[p.e[i].len] = 0;
        p.e[i].mtime = st.mtime;
        zip_fclose(f);
    }
    zip_close(za);
    return p;
}

static void package_free(package *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].name);
        free(p->e[i].data);
    }
    free(p->e);
}

static const entry *part(const package *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->e[i].name, name))
            return &p->e[i];
    return NULL;
}

static xmlDocPtr parse_part(const package *p, const char *name)
{
    const entry *e = part(p, name);
    cr_assert_not_null(e, "the package has no %s", name);
    xmlDocPtr doc = xmlReadMemory(e->data, (int)e->len, name, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cr_assert_not_null(doc, "%s is not well-formed XML", name);
    return doc;
}

static xmlXPathContextPtr xpath(xmlDocPtr doc)
{
    static const char *const ns[][2] = {
        {"w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
        {"r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"},
        {"wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"},
        {"rel", "http://schemas.openxmlformats.org/package/2006/relationships"},
        {"ct", "http://schemas.openxmlformats.org/package/2006/content-types"},
        {"cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"},
        {"dc", "http://purl.org/dc/elements/1.1/"},
        {"dcterms", "http://purl.org/dc/terms/"},
    };
    xmlXPathContextPtr x = xmlXPathNewContext(doc);
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
        xmlXPathRegisterNs(x, BAD_CAST ns[i][0], BAD_CAST ns[i][1]);
    return x;
}

/* The string values of the nodes EXPR selects in DOC; *N gets how many. */
static char **values(xmlDocPtr doc, const char *expr, size_t *n)
{
    xmlXPathContextPtr x = xpath(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, x);
    cr_assert_not_null(o, "bad XPath %s", expr);
    *n = o->nodesetval ? (size_t)o->nodesetval->nodeNr : 0;
    char **v = xcalloc(*n + 1, sizeof *v);
    for (size_t i = 0; i < *n; i++) {
        xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
        v[i] = xstrdup(s ? (const char *)s : "");
        xmlFree(s);
    }
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(x);
    return v;
}

static void values_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static size_t count(xmlDocPtr doc, const char *expr)
{
    size_t n;
    char **v = values(doc, expr, &n);
    values_free(v, n);
    return n;
}

static char *first_value(xmlDocPtr doc, const char *expr)
{
    size_t n;
    char **v = values(doc, expr, &n);
    char *s = xstrdup(n ? v[0] : "");
    values_free(v, n);
    return s;
}

static bool listed(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* What every package must be */

/* Every part is covered by a content type, and every override names a part. */
static void check_content_types(const package *p, const char *what)
{
    xmlDocPtr ct = parse_part(p, "[Content_Types].xml");
    size_t no, nd;
    char **over = values(ct, "/ct:Types/ct:Override/@PartName", &no);
    char **def = values(ct, "/ct:Types/ct:Default/@Extension", &nd);
    for (size_t i = 1; i < p->n; i++) {
        char *slashed = xasprintf("/%s", p->e[i].name);
        const char *ext = strrchr(p->e[i].name, '.');
        cr_expect(listed(over, no, slashed) || (ext && listed(def, nd, ext + 1)),
                  "%s: %s has no content type", what, p->e[i].name);
        free(slashed);
    }
    for (size_t i = 0; i < no; i++)
        cr_expect_not_null(part(p, over[i] + 1), "%s: content type for missing %s", what,
                           over[i]);
    values_free(over, no);
    values_free(def, nd);
    xmlFreeDoc(ct);
}

/* Every relationship in RELS points at a part (relative to BASE) or out. */
static void check_rels(const package *p, const char *rels, const char *base, const char *what,
                       char ***ids, size_t *nids)
{
    xmlDocPtr doc = parse_part(p, rels);
    size_t n;
    char **targets = values(doc, "/rel:Relationships/rel:Relationship[not(@TargetMode)]/@Target",
                            &n);
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s%s", base, targets[i]);
        cr_expect_not_null(part(p, path), "%s: %s points at missing %s", what, rels, path);
        free(path);
    }
    values_free(targets, n);
    *ids = values(doc, "/rel:Relationships/rel:Relationship/@Id", nids);
    for (size_t i = 0; i < *nids; i++)
        for (size_t k = 0; k < i; k++)
            cr_expect_str_neq((*ids)[i], (*ids)[k], "%s: %s repeats an id", what, rels);
    xmlFreeDoc(doc);
}

static void check_package(const strbuf *docx, const char *what)
{
    package p = unpack(docx);
    cr_assert_gt(p.n, 5, "%s: too few parts", what);
    cr_expect_str_eq(p.e[0].name, "[Content_Types].xml", "%s: content types first", what);
    for (size_t i = 0; i < p.n; i++) {
        size_t len = strlen(p.e[i].name);
        if (len > 4 && (!strcmp(p.e[i].name + len - 4, ".xml") ||
                        !strcmp(p.e[i].name + len - 5, ".rels")))
            xmlFreeDoc(parse_part(&p, p.e[i].name));
    }
    check_content_types(&p, what);
    char **ids;
    size_t nids;
    check_rels(&p, "_rels/.rels", "", what, &ids, &nids);
    values_free(ids, nids);
    check_rels(&p, "word/_rels/document.xml.rels", "word/", what, &ids, &nids);
    /* Every reference from the document's parts resolves. */
    for (size_t i = 0; i < p.n; i++) {
        if (strncmp(p.e[i].name, "word/", 5) || strchr(p.e[i].name + 5, '/'))
            continue;
        xmlDocPtr doc = parse_part(&p, p.e[i].name);
        size_t n;
        char **used = values(doc, "//@r:id | //@r:embed", &n);
        for (size_t k = 0; k < n; k++)
            cr_expect(listed(ids, nids, used[k]), "%s: %s uses undefined %s", what,
                      p.e[i].name, used[k]);
        values_free(used, n);
        xmlFreeDoc(doc);
    }
    values_free(ids, nids);
    package_free(&p);
}

/* Formatting comes from named styles only: a paragraph names its style
 * (and its list), a run its character style, a table its table style and
 * its grid. Every style named is defined, as the right type. */
static void check_named_styles(const strbuf *docx, const char *what)
{
    static const char *const direct[] = {
        "//w:pPr/*[not(self::w:pStyle or self::w:numPr or self::w:sectPr)]",
        "//w:rPr/*[not(self::w:rStyle)]",
        "//w:tblPr/*[not(self::w:tblStyle or self::w:tblW or self::w:tblLook)]",
        "//w:tcPr/*[not(self::w:tcW or self::w:gridSpan)]",
        "//w:trPr/*[not(self::w:tblHeader)]",
        "//w:pPr/w:rPr | //w:sectPr/w:pgBorders",
    };
    static const char *const uses[][2] = {
        {"//w:pStyle/@w:val", "paragraph"},
        {"//w:rStyle/@w:val", "character"},
        {"//w:tblStyle/@w:val", "table"},
    };
    package p = unpack(docx);
    xmlDocPtr styles = parse_part(&p, "word/styles.xml");
    for (size_t i = 0; i < p.n; i++) {
        if (strncmp(p.e[i].name, "word/", 5) || strchr(p.e[i].name + 5, '/') ||
            !strcmp(p.e[i].name, "word/styles.xml") ||
            !strcmp(p.e[i].name, "word/numbering.xml") ||
            !strcmp(p.e[i].name, "word/settings.xml"))
            continue;
        xmlDocPtr doc = parse_part(&p, p.e[i].name);
        for (size_t k = 0; k < sizeof direct / sizeof *direct; k++)
            cr_expect_eq(count(doc, direct[k]), 0, "%s: %s has direct formatting: %s", what,
                         p.e[i].name, direct[k]);
        for (size_t k = 0; k < 3; k++) {
            size_t n, nd;
            char **used = values(doc, uses[k][0], &n);
            char *q = xasprintf("//w:style[@w:type='%s']/@w:styleId", uses[k][1]);
            char **defined = values(styles, q, &nd);
            for (size_t j = 0; j < n; j++)
                cr_expect(listed(defined, nd, used[j]), "%s: %s style %s is not defined",
                          what, uses[k][1], used[j]);
            values_free(used, n);
            values_free(defined, nd);
            free(q);
        }
        xmlFreeDoc(doc);
    }
    xmlFreeDoc(styles);
    package_free(&p);
}

static void check_docx(const strbuf *docx, const char *what)
{
    check_package(docx, what);
    check_named_styles(docx, what);
}

/* ------------------------------------------------------------------ */

Test(docx, every_example_document_is_a_sound_package_of_named_styles,
     .init = test_lib_load, .fini = test_lib_free, .timeout = 300)
{
    for (size_t e = 0; e < NEXAMPLES; e++) {
        profile *p = load_example(examples[e]);
        doc_set docs = {0};
        example_documents(p, &docs);
        for (size_t i = 0; i < docs.count; i++) {
            strbuf b = docx_of(docs.docs[i]);
            char *what = xasprintf("%s/%s.docx", examples[e], docs.docs[i]->audience_id);
            check_docx(&b, what);
            free(what);
            sb_free(&b);
            if (!audience_for(docs.docs[i]->kind, docs.docs[i]->band)->on_poster)
                continue;
            diag_list dl = {0};
            cr_assert_eq(render_docx_poster(docs.docs[i], NULL, &b, &dl), 0);
            what = xasprintf("%s/poster-%s.docx", examples[e], docs.docs[i]->audience_id);
            check_docx(&b, what);
            free(what);
            sb_free(&b);
            diag_free(&dl);
        }
        size_t agreements = 0;
        for (size_t i = 0; i < docs.count; i++) {
            strbuf b = {0};
            diag_list dl = {0};
            int parts = render_docx_agreement(p, &docs, docs.docs[i], NULL, &b, &dl);
            cr_assert_geq(parts, 0);
            if (parts > 0) {
                check_docx(&b, examples[e]);
                agreements++;
            }
            sb_free(&b);
            diag_free(&dl);
        }
        cr_expect_eq(agreements > 0, pack_wants_agreement(p), "%s: agreement", examples[e]);
        doc_set_free(&docs);
        profile_free(p);
    }
}

Test(docx, uses_the_word_styles_a_school_restyles, .init = test_lib_load, .fini = test_lib_free)
{
    profile *p = load_example("oakfield-primary");
    doc_set docs = {0};
    example_documents(p, &docs);
    strbuf staff = docx_of(doc_for(&docs, "staff")), parent = docx_of(doc_for(&docs, "parent"));
    package ps = unpack(&staff), pp = unpack(&parent);
    xmlDocPtr styles = parse_part(&ps, "word/styles.xml");
    static const char *const names[][2] = {
        {"Title", "Title"}, {"Heading1", "heading 1"}, {"Heading2", "heading 2"},
        {"ListBullet", "List Bullet"}, {"ListNumber", "List Number"},
        {"SignatureTable", "Signature Table"}, {"ConsentTable", "Consent Table"},
        {"ContactsTable", "Contacts Table"}, {"Header", "header"}, {"Footer", "footer"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *q = xasprintf("//w:style[@w:styleId='%s']/w:name/@w:val", names[i][0]);
        char *name = first_value(styles, q);
        cr_expect_str_eq(name, names[i][1], "style %s", names[i][0]);
        free(name);
        free(q);
    }
    char *lang = first_value(styles, "//w:docDefaults//w:lang/@w:val");
    cr_expect_str_eq(lang, "en-GB");
    free(lang);
    xmlDocPtr sd = parse_part(&ps, "word/document.xml"), pd = parse_part(&pp, "word/document.xml");
    static const char *const staff_uses[] = {"Title", "Heading1", "Heading1NewPage", "Heading2",
                                             "ListBullet", "ListNumber"};
    for (size_t i = 0; i < sizeof staff_uses / sizeof *staff_uses; i++) {
        char *q = xasprintf("//w:pStyle[@w:val='%s']", staff_uses[i]);
        cr_expect_gt(count(sd, q), 0, "the staff document uses no %s", staff_uses[i]);
        free(q);
    }
    /* The title is the document's, the setting its subtitle. */
    char *title = first_value(sd, "//w:p[w:pPr/w:pStyle/@w:val='Title']");
    cr_expect_str_eq(title, doc_for(&docs, "staff")->title);
    free(title);
    char *sub = first_value(sd, "//w:p[w:pPr/w:pStyle/@w:val='Subtitle']");
    cr_expect_str_eq(sub, "Oakfield Primary School");
    free(sub);
    /* The contacts map is tables, one per group, with a heading row. */
    cr_expect_geq(count(sd, "//w:tbl[w:tblPr/w:tblStyle/@w:val='ContactsTable']"), 4);
    cr_expect_gt(count(sd, "//w:tbl[w:tblPr/w:tblStyle/@w:val='ContactsTable']"
                           "//w:tc[3][normalize-space(.)='24/7']"), 2);
    cr_expect_eq(count(sd, "//w:tbl[w:tblPr/w:tblStyle/@w:val='ContactsTable']"
                           "/w:tr[1][not(w:trPr/w:tblHeader)]"), 0);
    /* The consent form: a row per use with boxes for Yes and No. */
    cr_expect_eq(count(pd, "//w:tbl[w:tblPr/w:tblStyle/@w:val='ConsentTable']/w:tr"), 1 + 4);
    cr_expect_eq(count(pd, "//w:tbl[w:tblPr/w:tblStyle/@w:val='SignatureTable']"), 2);
    /* The parents sign the slip after the consent form (their policy has
     * no signature block of its own): the form's rows come first. */
    char *field = first_value(pd, "(//w:p[w:pPr/w:pStyle/@w:val='SignatureLabel'])[1]");
    cr_expect_str_eq(field, "Child's name");
    free(field);
    xmlFreeDoc(sd);
    xmlFreeDoc(pd);
    xmlFreeDoc(styles);
    package_free(&ps);
    package_free(&pp);
    sb_free(&staff);
    sb_free(&parent);
    doc_set_free(&docs);
    profile_free(p);
}

Test(docx, every_numbered_list_counts_from_its_own_start, .init = test_lib_load,
     .fini = test_lib_free)
{
    profile *p = load_example("oakfield-primary");
    doc_set docs = {0};
    example_documents(p, &docs);
    strbuf b = docx_of(doc_for(&docs, "staff"));
    package pk = unpack(&b);
    xmlDocPtr d = parse_part(&pk, "word/document.xml"), num = parse_part(&pk, "word/numbering.xml");
    size_t n;
    char **ids = values(d, "//w:p[w:pPr/w:pStyle/@w:val='ListNumber']/w:pPr/w:numPr/w:numId/@w:val",
                        &n);
    /* The sanctions ladder (5 steps) and the incident flowchart's steps. */
    diag_list dl = {0};
    const flowchart *fc = flowchart_builtin(&dl);
    cr_assert_not_null(fc);
    cr_assert_eq(n, 5 + fc->nnodes);
    cr_expect_str_eq(ids[0], ids[4]);
    cr_expect_str_neq(ids[4], ids[5], "the flowchart runs on from the sanctions");
    cr_expect_str_eq(ids[5], ids[n - 1]);
    for (size_t i = 0; i < n; i += 5) {
        char *q = xasprintf("//w:num[@w:numId='%s']/w:lvlOverride[@w:ilvl='0']"
                            "/w:startOverride/@w:val", ids[i]);
        char *start = first_value(num, q);
        cr_expect_str_eq(start, "1", "list %s does not restart", ids[i]);
        free(start);
        free(q);
    }
    values_free(ids, n);
    xmlFreeDoc(d);
    xmlFreeDoc(num);
    package_free(&pk);
    sb_free(&b);
    doc_set_free(&docs);
    profile_free(p);
}

/* Tab stops add up down a chain of styles, so a style with its own indent
 * clears its base's stop: in the agreement, where the young readers' rules
 * are based on the parents' List Symbol, the text after each tick stops at
 * the young readers' indent. */
Test(docx, a_style_with_its_own_indent_clears_its_base_tab_stop, .init = test_lib_load,
     .fini = test_lib_free)
{
    profile *p = load_example("oakfield-primary");
    doc_set docs = {0};
    example_documents(p, &docs);
    strbuf b = {0};
    diag_list dl = {0};
    cr_assert_gt(render_docx_agreement(p, &docs, doc_for(&docs, "pupil-ks2"), NULL, &b, &dl), 0);
    package pk = unpack(&b);
    xmlDocPtr st = parse_part(&pk, "word/styles.xml");
    size_t n, checked = 0;
    char **ids = values(st, "//w:style[w:basedOn and w:pPr/w:tabs/w:tab[@w:val='left']]"
                            "/@w:styleId", &n);
    for (size_t i = 0; i < n; i++) {
        char *q = xasprintf("//w:style[@w:styleId='%s']/w:basedOn/@w:val", ids[i]);
        char *base = first_value(st, q);
        free(q);
        q = xasprintf("//w:style[@w:styleId='%s']/w:pPr/w:tabs/w:tab[@w:val='left']/@w:pos",
                      base);
        char *base_pos = first_value(st, q);
        free(q);
        q = xasprintf("//w:style[@w:styleId='%s']/w:pPr/w:tabs/w:tab[@w:val='left']/@w:pos",
                      ids[i]);
        char *pos = first_value(st, q);
        free(q);
        if (*base_pos && strcmp(base_pos, pos)) {
            q = xasprintf("//w:style[@w:styleId='%s']/w:pPr/w:tabs"
                          "/w:tab[@w:val='clear' and @w:pos='%s']", ids[i], base_pos);
            cr_expect_eq(count(st, q), 1, "%s keeps %s's tab stop at %s", ids[i], base,
                         base_pos);
            free(q);
            checked++;
        }
        free(pos);
        free(base_pos);
        free(base);
    }
    cr_expect_gt(checked, 0, "no style in the agreement has an indent of its own");
    values_free(ids, n);
    xmlFreeDoc(st);
    package_free(&pk);
    sb_free(&b);
    diag_free(&dl);
    doc_set_free(&docs);
    profile_free(p);
}

/* The rules a document marks with a tick or a cross. */
static void count_rules(const document *d, size_t *yes, size_t *no)
{
    *yes = *no = 0;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        const doc_tag *t = document_tag_of(n);
        if (ev == CMARK_EVENT_ENTER && t && cmark_node_get_type(n) == CMARK_NODE_ITEM) {
            *yes += t->positive_rule;
            *no += t->negative_rule;
        }
    }
    cmark_iter_free(it);
}

Test(docx, ticks_and_crosses_are_pictures_with_alternative_text, .init = test_lib_load,
     .fini = test_lib_free)
{
    profile *p = load_example("oakfield-primary");
    doc_set docs = {0};
    example_documents(p, &docs);
    static const char *const ids[] = {"pupil-early", "pupil-ks2", "pupil-ks2-easy", "staff"};
    for (size_t i = 0; i < 4; i++) {
        const document *doc = doc_for(&docs, ids[i]);
        size_t yes, no;
        count_rules(doc, &yes, &no);
        if (!strcmp(ids[i], "staff"))
            yes = no = 0;   /* adults' rules carry no symbols, as in the PDF */
        else
            cr_assert_gt(yes + no, 5, "%s has no rules to mark", ids[i]);
        strbuf b = docx_of(doc);
        package pk = unpack(&b);
        xmlDocPtr d = parse_part(&pk, "word/document.xml");
        cr_expect_eq(count(d, "//wp:docPr[@descr='Allowed']"), yes, "%s ticks", ids[i]);
        cr_expect_eq(count(d, "//wp:docPr[@descr='Not allowed']"), no, "%s crosses", ids[i]);
        cr_expect_eq(count(d, "//wp:docPr"), yes + no, "%s pictures", ids[i]);
        /* Each picture sits at the start of its rule's own list item. */
        cr_expect_eq(count(d, "//w:p[.//wp:docPr][w:pPr/w:pStyle/@w:val!='ListSymbol']"), 0);
        size_t n;
        char **pics = values(d, "//wp:docPr/@id", &n);
        for (size_t k = 1; k < n; k++)
            cr_expect_str_neq(pics[k], pics[k - 1], "picture ids repeat");
        values_free(pics, n);
        if (yes)
            cr_expect_not_null(part(&pk, "word/media/tick.png"));
        if (yes) {
            const entry *png = part(&pk, "word/media/tick.png");
            cr_expect(png && png->len > 100 && !memcmp(png->data, "\x89PNG\r\n\x1a\n", 8));
        }
        xmlFreeDoc(d);
        package_free(&pk);
        sb_free(&b);
    }
    doc_set_free(&docs);
    profile_free(p);
}

Test(docx, properties_header_and_footer_name_the_document, .init = test_lib_load,
     .fini = test_lib_free)
{
    profile *p = load_example("ysgol-glan-y-mor");
    doc_set docs = {0};
    example_documents(p, &docs);
    const document *doc = doc_for(&docs, "staff");
    strbuf b = docx_of(doc);
    package pk = unpack(&b);
    xmlDocPtr core = parse_part(&pk, "docProps/core.xml");
    char *v = first_value(core, "//dc:title");
    cr_expect_str_eq(v, doc->title);
    free(v);
    v = first_value(core, "//dc:subject");
    cr_expect_str_eq(v, doc->audience_label);
    free(v);
    v = first_value(core, "//dc:language");
    cr_expect_str_eq(v, doc->lang);
    free(v);
    char iso[16];
    profile_date_iso(doc->approved, iso, sizeof iso);
    v = first_value(core, "//dcterms:created");
    cr_expect(!strncmp(v, iso, 10), "created %s, approved %s", v, iso);
    free(v);
    xmlDocPtr styles = parse_part(&pk, "word/styles.xml");
    v = first_value(styles, "//w:docDefaults//w:lang/@w:val");
    cr_expect_str_eq(v, doc->lang);
    free(v);
    xmlDocPtr hdr = parse_part(&pk, "word/header1.xml"), ftr = parse_part(&pk, "word/footer1.xml");
    v = first_value(hdr, "//w:p");
    cr_expect(strstr(v, "Ysgol Gymraeg Glan-y-M\xC3\xB4r") && strstr(v, doc->title), "%s", v);
    free(v);
    v = first_value(ftr, "//w:p");
    cr_expect(strstr(v, "Version 2026.1") && strstr(v, "Approved ") && strstr(v, "Next review "),
              "%s", v);
    free(v);
    cr_expect_eq(count(ftr, "//w:fldSimple[@w:instr=' PAGE ']"), 1);
    cr_expect_eq(count(ftr, "//w:fldSimple[@w:instr=' NUMPAGES ']"), 1);
    xmlFreeDoc(hdr);
    xmlFreeDoc(ftr);
    xmlFreeDoc(styles);
    xmlFreeDoc(core);
    package_free(&pk);
    sb_free(&b);
    doc_set_free(&docs);
    profile_free(p);
}

Test(docx, the_same_bytes_in_every_time_zone_dated_by_approval, .init = test_lib_load,
     .fini = test_lib_free)
{
    profile *p = load_example("riverside-academy");
    doc_set docs = {0};
    example_documents(p, &docs);
    const document *doc = doc_for(&docs, "parent");
    /* POSIX zones, so that no time zone database is needed: UTC-12 and
     * UTC+14, a day apart at noon. */
    setenv("TZ", "WEST+12", 1);
    tzset();
    strbuf a = docx_of(doc), agree = {0}, agree2 = {0};
    diag_list dl = {0};
    cr_assert_gt(render_docx_agreement(p, &docs, doc_for(&docs, "pupil-ks3-4"), NULL, &agree, &dl), 0);
    setenv("TZ", "EAST-14", 1);
    tzset();
    strbuf b = docx_of(doc);
    cr_assert_gt(render_docx_agreement(p, &docs, doc_for(&docs, "pupil-ks3-4"), NULL, &agree2, &dl), 0);
    cr_expect(a.len == b.len && !memcmp(a.data, b.data, a.len), "bytes differ across runs");
    cr_expect(agree.len == agree2.len && !memcmp(agree.data, agree2.data, agree.len),
              "agreement bytes differ");
    package pk = unpack(&b);
    for (size_t i = 0; i < pk.n; i++) {
        struct tm tm;
        localtime_r(&pk.e[i].mtime, &tm);
        cr_expect(tm.tm_year + 1900 == doc->approved.year && tm.tm_mon + 1 == doc->approved.month &&
                  tm.tm_mday == doc->approved.day && tm.tm_hour == 12,
                  "%s is dated %04d-%02d-%02d %02d:00", pk.e[i].name, tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour);
    }
    unsetenv("TZ");
    tzset();
    package_free(&pk);
    diag_free(&dl);
    sb_free(&a);
    sb_free(&b);
    sb_free(&agree);
    sb_free(&agree2);
    doc_set_free(&docs);
    profile_free(p);
}

Test(docx, a_draft_without_dates_takes_source_date_epoch)
{
    document *d = md_document("# Rules\n\n- Be kind.\n", BAND_KS2, READING_STANDARD);
    d->approved = (aupc_date){0, 0, 0};
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);   /* 2026-01-01 */
    strbuf b = docx_of(d);
    unsetenv("SOURCE_DATE_EPOCH");
    package pk = unpack(&b);
    struct tm tm;
    localtime_r(&pk.e[0].mtime, &tm);
    cr_expect(tm.tm_year == 126 && tm.tm_mon == 0 && tm.tm_mday == 1, "%d-%d-%d",
              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    package_free(&pk);
    sb_free(&b);
    document_free(d);
}

Test(docx, hostile_text_stays_text)
{
    const char *md = "# A \x01title <b>&amp; \"quoted\"\n\n"
                     "Text with a \x1b control, a [script](javascript:alert(1)) link, a "
                     "[mail](mailto:a@b.example) link and a <span>tag</span>.\n\n"
                     "<div>raw html</div>\n\n"
                     "```\ncode\twith a tab\n```\n\n"
                     "1. one\n   - nested\n2. two\n";
    document *d = md_document(md, BAND_NONE, READING_STANDARD);
    free(d->setting_name);
    d->setting_name = xstrdup("St <Anne's> & \xEF\xBF\xBE Friends");
    strbuf b = docx_of(d);
    check_docx(&b, "hostile");
    package pk = unpack(&b);
    xmlDocPtr rels = parse_part(&pk, "word/_rels/document.xml.rels");
    cr_expect_eq(count(rels, "//rel:Relationship[starts-with(@Target, 'javascript')]"), 0);
    cr_expect_eq(count(rels, "//rel:Relationship[@Target='mailto:a@b.example']"), 1);
    xmlDocPtr doc = parse_part(&pk, "word/document.xml");
    char *title = first_value(doc, "//w:p[w:pPr/w:pStyle/@w:val='Title']");
    cr_expect_str_eq(title, "A title & \"quoted\"");  /* <b> is markup: dropped */
    free(title);
    cr_expect_eq(count(doc, "//w:t[contains(., 'raw html')]"), 0);
    cr_expect_eq(count(doc, "//w:t[contains(., 'script')]"), 1);
    xmlDocPtr hdr = parse_part(&pk, "word/header1.xml");
    char *h = first_value(hdr, "//w:p");
    cr_expect(strstr(h, "St <Anne's> &  Friends"), "%s", h);
    free(h);
    xmlFreeDoc(hdr);
    xmlFreeDoc(doc);
    xmlFreeDoc(rels);
    package_free(&pk);
    sb_free(&b);
    document_free(d);
}

/* The files of one compile of oakfield-primary with ARGS, one name a line. */
static char *compiled_files(const char *dir, const char *name, const char *args)
{
    char *ex = src_path("examples/oakfield-primary.xml");
    char *cmd = xasprintf("compile -q %s -o %s/%s %s", args, dir, name, ex);
    run_result r = run_aupc(cmd);
    cr_assert_eq(r.status, 0, "%s: %s", cmd, r.err);
    run_free(&r);
    free(cmd);
    cmd = xasprintf("LC_ALL=C ls %s/%s/oakfield-primary", dir, name);
    r = run_sh(cmd);
    char *out = xstrdup(r.out);
    run_free(&r);
    free(cmd);
    free(ex);
    return out;
}

/* Word is written only when asked for, and then with everything the PDF
 * comes with (the documents, the agreement, the posters); -f all writes
 * what each format writes alone. */
Test(docx, written_on_request_beside_every_pdf)
{
    char *dir = make_tmpdir();
    char *plain = compiled_files(dir, "plain", "");
    char *word = compiled_files(dir, "word", "-f docx");
    char *all = compiled_files(dir, "all", "-f all");
    strbuf others = {0};   /* the files of the other formats written on request */
    for (size_t i = 0; i < format_count(); i++) {
        const format_info *f = format_at(i);
        if (!format_serves(f, FORMAT_FOR_COMPILE) || !f->on_request || !strcmp(f->name, "docx"))
            continue;
        char *args = xasprintf("-f %s", f->name);
        char *files = compiled_files(dir, f->name, args);
        sb_puts(&others, files);
        free(files);
        free(args);
    }
    cr_expect_null(strstr(plain, ".docx"), "Word files unasked:\n%s", plain);
    strbuf pdfs = {0}, docxs = {0}, both = {0};
    for (char *l = strtok(plain, "\n"); l; l = strtok(NULL, "\n")) {
        size_t n = strlen(l);
        if (n > 4 && !strcmp(l + n - 4, ".pdf"))
            sb_printf(&pdfs, "%.*s.docx\n", (int)(n - 4), l);
        sb_printf(&both, "%s\n", l);
    }
    cr_expect_str_eq(word, pdfs.data, "-f docx wrote:\n%s", word);
    for (char *l = strtok(word, "\n"); l; l = strtok(NULL, "\n"))
        sb_printf(&docxs, "%s\n", l);
    /* ls sorts, as sort(1) does, in the C collation. */
    char *cmd = xasprintf("printf '%%s%%s%%s' '%s' '%s' '%s' | LC_ALL=C sort", both.data,
                          docxs.data, others.data ? others.data : "");
    run_result r = run_sh(cmd);
    cr_expect_str_eq(all, r.out, "-f all wrote:\n%s", all);
    run_free(&r);
    free(cmd);
    sb_free(&pdfs);
    sb_free(&docxs);
    sb_free(&both);
    sb_free(&others);
    free(plain);
    free(word);
    free(all);
    remove_tree(dir);
    free(dir);
}

/* ------------------------------------------------------------------ */
/* Real clients. The sanitizer build runs everything above; the clients
 * read the same bytes, so they run once, in the normal build. */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SKIP_CLIENTS() cr_skip_test("the clients run in the normal build")
#else
#define SKIP_CLIENTS() ((void)0)
#endif

/* Letters and digits only, lower case: what survives any converter's
 * choice of spaces, quotes and list markers. */
static char *letters(const char *s)
{
    strbuf b = {0};
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
            sb_add(&b, s, 1);
        else if (c >= 'A' && c <= 'Z')
            sb_printf(&b, "%c", c - 'A' + 'a');
    }
    return b.data ? b.data : xstrdup("");
}

static void plain_text(cmark_node *n, strbuf *sb)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            sb_puts(sb, cmark_node_get_literal(k));
        else
            plain_text(k, sb);
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            sb_puts(sb, " ");
    }
}

/* Every statement of D, in order, from *AT on in TEXT (reduced to letters);
 * *AT moves past the last. */
static void expect_statements(const document *d, const char *text, size_t *at,
                              const char *what)
{
    size_t found = 0;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        const doc_tag *t = document_tag_of(n);
        if (ev != CMARK_EVENT_ENTER || !t || t->kind != TAG_STATEMENT)
            continue;
        strbuf sb = {0};
        plain_text(n, &sb);
        char *want = letters(sb.data ? sb.data : "");
        const char *hit = strstr(text + *at, want);
        cr_expect_not_null(hit, "%s: statement %s missing or out of order: %s", what,
                           t->stmt ? t->stmt->id : "?", sb.data);
        if (hit)
            *at = (size_t)(hit - text) + strlen(want);
        found++;
        free(want);
        sb_free(&sb);
    }
    cmark_iter_free(it);
    cr_expect_gt(found, 3, "%s: too few statements to check", what);
}

static char *pandoc_letters(const char *dir, const char *name, const strbuf *docx)
{
    char *path = xasprintf("%s/%s", dir, name);
    write_bytes(path, docx->data, docx->len);
    char *cmd = xasprintf("pandoc -f docx -t plain --wrap=none '%s'", path);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "pandoc failed on %s: %s", name, r.err);
    char *s = letters(r.out);
    run_free(&r);
    free(cmd);
    free(path);
    return s;
}

Test(docx_clients, pandoc_reads_every_statement_in_order, .init = test_lib_load,
     .fini = test_lib_free,
     .timeout = 900)
{
    SKIP_CLIENTS();
    if (!have_program("pandoc"))
        cr_skip_test("pandoc is not installed");
    char *dir = make_tmpdir();
    for (size_t e = 0; e < NEXAMPLES; e++) {
        profile *p = load_example(examples[e]);
        doc_set docs = {0};
        example_documents(p, &docs);
        for (size_t i = 0; i < docs.count; i++) {
            const document *d = docs.docs[i];
            strbuf b = docx_of(d);
            char *what = xasprintf("%s/%s.docx", examples[e], d->audience_id);
            char *text = pandoc_letters(dir, "d.docx", &b);
            size_t at = 0;
            expect_statements(d, text, &at, what);
            free(text);
            free(what);
            sb_free(&b);
        }
        for (size_t k = 0; k < docs.count; k++) {
            strbuf b = {0};
            diag_list dl = {0};
            if (render_docx_agreement(p, &docs, docs.docs[k], NULL, &b, &dl) > 0) {
                const document **parts;
                size_t n = pack_agreement_parts(p, &docs, docs.docs[k], &parts);
                char *text = pandoc_letters(dir, "a.docx", &b);
                size_t at = 0;
                for (size_t i = 0; i < n; i++)
                    expect_statements(parts[i], text, &at, examples[e]);
                free(parts);
                free(text);
            }
            sb_free(&b);
            diag_free(&dl);
        }
        doc_set_free(&docs);
        profile_free(p);
    }
    remove_tree(dir);
    free(dir);
}

/* LibreOffice converts every example's Word files, once, in one run with
 * a profile of its own (so that parallel runs never share one), keeping
 * the blank pages that start each part of the agreement on a right-hand
 * page; each PDF has the pages of aupc's own, give or take one. */
Test(docx_clients, libreoffice_converts_every_example_to_the_same_pages, .timeout = 1800)
{
    SKIP_CLIENTS();
    if (!have_program("soffice"))
        cr_skip_test("LibreOffice (soffice) is not installed");
    char *dir = make_tmpdir();
    char *ex = src_path("examples");
    char *args = xasprintf("compile -q -f pdf,docx -o %s/out %s", dir, ex);
    run_result r = run_aupc(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* One folder of uniquely named links, so that one run converts all. */
    char *cmd = xasprintf("cd '%s' && mkdir docx lo && for f in out/*/*.docx; do "
                          "s=${f#out/}; ln -s \"$PWD/$f\" \"docx/${s%%%%/*}--${s#*/}\"; done && "
                          "for f in out/*/*.docx; do unzip -tq \"$f\" >/dev/null || echo \"$f\"; "
                          "done", dir);
    r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "", "unzip -t fails: %s", r.out);
    run_free(&r);
    free(cmd);
    cmd = xasprintf("cd '%s' && soffice -env:UserInstallation=file://%s/lo-profile --headless "
                    "--convert-to 'pdf:writer_pdf_Export:{\"IsSkipEmptyPages\":"
                    "{\"type\":\"boolean\",\"value\":\"false\"}}' --outdir lo docx/*.docx",
                    dir, dir);
    r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "soffice: %s", r.err);
    cr_expect_null(strstr(r.err, "Error"), "soffice: %s", r.err);
    run_free(&r);
    free(cmd);
    cmd = xasprintf("cd '%s' && ls docx", dir);
    r = run_sh(cmd);
    size_t checked = 0, same = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        size_t len = strlen(line);
        char *stem = xstrndup(line, len - 5);
        char *sep = strstr(stem, "--");
        cr_assert_not_null(sep);
        *sep = 0;
        char *lo = xasprintf("%s/lo/%s--%s.pdf", dir, stem, sep + 2);
        char *ours = xasprintf("%s/out/%s/%s.pdf", dir, stem, sep + 2);
        char *test = xasprintf("test -s '%s'", lo);
        cr_expect_eq(system(test), 0, "LibreOffice made no PDF of %s/%s.docx", stem, sep + 2);
        if (system(test) == 0) {
            int a = pdf_page_count(ours), b = pdf_page_count(lo);
            cr_expect(abs(a - b) <= 1, "%s/%s: aupc's PDF has %d pages, LibreOffice's %d", stem,
                      sep + 2, a, b);
            same += a == b;
        }
        checked++;
        free(test);
        free(ours);
        free(lo);
        free(stem);
    }
    run_free(&r);
    free(cmd);
    cr_expect_geq(checked, 35, "only %zu Word files were made", checked);
    printf("LibreOffice: %zu Word files converted, %zu with the pages of aupc's PDF, "
           "%zu within one\n", checked, same, checked - same);
    /* The incident decisions count from 1 again after the sanctions. */
    char *pdf = xasprintf("%s/lo/oakfield-primary--staff.pdf", dir);
    char *text = pdf_text(pdf, 0, 0, false);
    cr_expect_not_null(strstr(text, "1. An online safety incident is found"), "%.2000s", text);
    diag_list dl = {0};
    const flowchart *fc = flowchart_builtin(&dl);
    cr_assert_not_null(fc);
    const flow_node *last = &fc->nodes[fc->order[fc->nnodes - 1]];
    char *want = xasprintf("%zu. %.12s", fc->nnodes, last->text);
    cr_expect_not_null(strstr(text, want), "no '%s' in %.200s", want, text);
    free(want);
    free(text);
    free(pdf);
    remove_tree(dir);
    free(dir);
    free(args);
    free(ex);
}
