/* Tagged PDF, read back by poppler (pdfinfo -struct-text) and qpdf: the
 * structure a screen reader follows, in reading order, with every
 * statement under its heading, figures that say what they show, and the
 * decoration left out as artifacts. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "flowchart.h"
#include "helpers.h"
#include "pack.h"
#include "render.h"
#include "render_pdf.h"
#include "util/io.h"

static library *lib;
static char *tmp;

static void setup(void)
{
    diag_list d = {0};
    lib = library_load_embedded(&d);
    cr_assert_not_null(lib);
    diag_free(&d);
    tmp = make_tmpdir();
}

static void teardown(void)
{
    library_free(lib);
    remove_tree(tmp);
    free(tmp);
}

static const char *const examples[] = {
    "oakfield-primary", "riverside-academy", "brookfield-special", "northgate-youth",
    "ysgol-glan-y-mor",
};
#define NEXAMPLES (sizeof examples / sizeof *examples)

static void compile_example(const char *name, profile **p, doc_set *docs)
{
    char *path = xasprintf("%s/examples/%s.xml", AUPC_SOURCE_ROOT, name);
    diag_list d = {0};
    *p = profile_load(path, &d);
    cr_assert_not_null(*p, "%s", d.count ? d.items[0].message : "?");
    cr_assert_eq(compile_profile(*p, lib, docs, &d), 0, "%s", d.count ? d.items[0].message : "?");
    diag_free(&d);
    free(path);
}

static const document *doc_of(const doc_set *docs, const char *id)
{
    for (size_t i = 0; i < docs->count; i++)
        if (!strcmp(docs->docs[i]->audience_id, id))
            return docs->docs[i];
    return NULL;
}

/* Write BYTES to TMP/NAME; returns the path. */
static char *put_pdf(const char *name, const strbuf *bytes)
{
    cr_assert_eq(io_write_atomic(tmp, name, bytes->data, bytes->len), 0);
    return xasprintf("%s/%s", tmp, name);
}

static char *render(const document *d)
{
    strbuf out = {0};
    diag_list dl = {0};
    cr_assert_eq(pdf_render(d, NULL, NULL, &out, NULL, &dl), 0, "%s",
                 dl.count ? dl.items[0].message : "?");
    char *name = xasprintf("%s.pdf", d->audience_id);
    char *path = put_pdf(name, &out);
    free(name);
    sb_free(&out);
    diag_free(&dl);
    return path;
}

static char *command_out(const char *fmt, const char *path, int *status)
{
    char *cmd = xasprintf(fmt, path);
    run_result r = run_sh(cmd);
    free(cmd);
    if (status)
        *status = r.status;
    char *out = r.out;
    r.out = NULL;
    run_free(&r);
    return out;
}

/* ---- The structure as poppler reads it ---- */

/* One element of pdfinfo -struct-text: its type, depth and text. */
typedef struct {
    char role[16];
    int depth;
    char *text;                /* its own text, white space squashed; "" when none */
} s_elem;

typedef struct {
    s_elem *v;
    size_t n;
} s_tree;

/* Parse pdfinfo -struct-text: a line per element ("  LI (block)" or
 * "Figure:"), its attributes indented below it ("/BBox [...]"), and its
 * text as quoted lines. */
static s_tree struct_of(const char *pdf)
{
    int status;
    char *out = command_out("pdfinfo -struct-text '%s'", pdf, &status);
    cr_assert_eq(status, 0, "pdfinfo -struct-text failed on %s", pdf);
    s_tree t = {0};
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        int depth = 0;
        while (line[depth] == ' ')
            depth++;
        const char *s = line + depth;
        if (*s == '"' && t.n) {
            char *text = xstrdup(s + 1);
            size_t len = strlen(text);
            if (len && text[len - 1] == '"')
                text[len - 1] = 0;
            char *joined = xasprintf("%s %s", t.v[t.n - 1].text, text);
            free(t.v[t.n - 1].text);
            t.v[t.n - 1].text = squash_space(joined);
            free(joined);
            free(text);
        } else if (isupper((unsigned char)*s)) {
            t.v = xrealloc(t.v, (t.n + 1) * sizeof *t.v);
            s_elem *e = &t.v[t.n++];
            size_t k = 0;
            while (isalnum((unsigned char)s[k]) && k + 1 < sizeof e->role)
                e->role[k] = s[k], k++;
            e->role[k] = 0;
            e->depth = depth;
            e->text = xstrdup("");
        }
    }
    free(out);
    return t;
}

static void s_tree_free(s_tree *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
}

/* ---- What the document says, in order ---- */

static void plain(cmark_node *n, strbuf *sb)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            sb_puts(sb, cmark_node_get_literal(k));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            sb_puts(sb, " ");
        else
            plain(k, sb);
        if (t == CMARK_NODE_PARAGRAPH)
            sb_puts(sb, " ");
    }
}

/* A statement the document shows and the heading (level 1 or 2) it is under. */
typedef struct {
    char *text, *heading;
} said;

typedef struct {
    said *v;
    size_t n;
    char *title;
} said_list;

static void walk(cmark_node *n, said_list *out, char **heading)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        const doc_tag *tag = document_tag_of(k);
        if (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(k) <= 2) {
            strbuf sb = {0};
            plain(k, &sb);
            free(*heading);
            *heading = squash_space(sb.data ? sb.data : "");
            if (cmark_node_get_heading_level(k) == 1 && !out->title)
                out->title = xstrdup(*heading);
            sb_free(&sb);
        } else if (tag && tag->kind == TAG_STATEMENT) {
            strbuf sb = {0};
            plain(k, &sb);
            out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
            out->v[out->n].text = squash_space(sb.data ? sb.data : "");
            out->v[out->n++].heading = xstrdup(*heading ? *heading : "");
            sb_free(&sb);
        } else if (!(tag && tag->kind == TAG_FLOWCHART)) {
            walk(k, out, heading);
        }
    }
}

static said_list statements_of(const document *d)
{
    said_list l = {0};
    char *heading = d->title ? xstrdup(d->title) : NULL;
    walk(d->root, &l, &heading);
    free(heading);
    return l;
}

static void said_free(said_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].text), free(l->v[i].heading);
    free(l->v);
    free(l->title);
}

/* ---- Tests ---- */

/* Every statement's text, in order, in a paragraph or list body whose
 * nearest heading before it (H1 or H2) is the statement's own. */
static void check_reading_order(const document *d, const char *pdf)
{
    s_tree t = struct_of(pdf);
    said_list want = statements_of(d);
    cr_assert_gt(t.n, 3, "%s: no structure", pdf);
    cr_assert_str_eq(t.v[0].role, "Document", "%s: the root is %s", pdf, t.v[0].role);
    const char *heading = "";
    size_t next = 0;
    bool h1 = false;
    for (size_t i = 0; i < t.n && next < want.n; i++) {
        const s_elem *e = &t.v[i];
        if (!strcmp(e->role, "H1") || !strcmp(e->role, "H2")) {
            heading = e->text;
            h1 |= !strcmp(e->role, "H1");
            continue;
        }
        if (strcmp(e->role, "P") && strcmp(e->role, "LBody"))
            continue;
        if (strcmp(e->text, want.v[next].text))
            continue;
        cr_expect_str_eq(heading, want.v[next].heading,
                         "%s: '%.60s' is under '%s', not '%s'", pdf, e->text, heading,
                         want.v[next].heading);
        next++;
    }
    cr_expect(h1, "%s: no H1", pdf);
    cr_expect_eq(next, want.n, "%s: statement %zu of %zu, '%.80s', missing or out of order", pdf,
                 next + 1, want.n, next < want.n ? want.v[next].text : "");
    said_free(&want);
    s_tree_free(&t);
}

Test(tagged, every_statement_under_its_heading_in_reading_order, .init = setup,
     .fini = teardown, .timeout = 240)
{
    for (size_t e = 0; e < NEXAMPLES; e++) {
        profile *p;
        doc_set docs = {0};
        compile_example(examples[e], &p, &docs);
        for (size_t i = 0; i < docs.count; i++) {
            char *pdf = render(docs.docs[i]);
            check_reading_order(docs.docs[i], pdf);
            free(pdf);
        }
        doc_set_free(&docs);
        profile_free(p);
    }
}

/* The structure types a document uses, counted. */
static size_t count_role(const s_tree *t, const char *role)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += !strcmp(t->v[i].role, role);
    return n;
}

Test(tagged, lists_are_l_li_lbl_lbody, .init = setup, .fini = teardown, .timeout = 60)
{
    profile *p;
    doc_set docs = {0};
    compile_example("oakfield-primary", &p, &docs);
    for (size_t i = 0; i < docs.count; i++) {
        char *pdf = render(docs.docs[i]);
        s_tree t = struct_of(pdf);
        size_t li = count_role(&t, "LI");
        cr_expect_gt(count_role(&t, "L"), 0, "%s", pdf);
        cr_expect_gt(li, 5, "%s", pdf);
        cr_expect_eq(count_role(&t, "LBody"), li, "%s: an LBody per LI", pdf);
        cr_expect_eq(count_role(&t, "Lbl"), li, "%s: a Lbl per LI", pdf);
        cr_expect_gt(count_role(&t, "H2"), 2, "%s", pdf);
        /* Every LI holds its label, then its body. */
        for (size_t k = 0; k + 2 < t.n; k++)
            if (!strcmp(t.v[k].role, "LI")) {
                cr_expect_str_eq(t.v[k + 1].role, "Lbl", "%s: item %zu", pdf, k);
                cr_expect_eq(t.v[k + 1].depth, t.v[k].depth + 2);
            }
        s_tree_free(&t);
        free(pdf);
    }
    doc_set_free(&docs);
    profile_free(p);
}

/* The uncompressed objects of PDF (qpdf --qdf), for reading dictionaries. */
static char *qdf_of(const char *pdf)
{
    char *plain_pdf = xasprintf("%s.qdf", pdf);
    char *cmd = xasprintf("qpdf --qdf --object-streams=disable '%s' '%s'", pdf, plain_pdf);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "qpdf --qdf failed: %s", r.err);
    run_free(&r);
    free(cmd);
    char *text = slurp(plain_pdf);
    cr_assert_not_null(text);
    free(plain_pdf);
    return text;
}

/* PDFDocEncoding's bytes 0x80-0xA0 as code points (PDF 1.7, annex D);
 * the rest of the bytes that text strings use are ASCII and Latin-1. */
static const unsigned pdfdoc_high[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
    0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
    0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD, 0x20AC,
};

static void put_utf8(strbuf *sb, unsigned u)
{
    char buf[4];
    size_t n = 0;
    if (u < 0x80)
        buf[n++] = (char)u;
    else if (u < 0x800)
        buf[n++] = (char)(0xC0 | u >> 6), buf[n++] = (char)(0x80 | (u & 63));
    else
        buf[n++] = (char)(0xE0 | u >> 12), buf[n++] = (char)(0x80 | ((u >> 6) & 63)),
        buf[n++] = (char)(0x80 | (u & 63));
    sb_add(sb, buf, n);
}

static unsigned hex_digit(char c)
{
    return (unsigned)(isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10);
}

/* Decode the text string at S (as qpdf --qdf writes it: a literal, or hex,
 * in PDFDocEncoding or UTF-16BE with its byte order mark). Owned, UTF-8. */
static char *hex_text(const char *s)
{
    strbuf bytes = {0}, sb = {0};
    if (*s == '(') {
        for (s++; *s && *s != ')'; s++) {
            char c = *s;
            if (c == '\\') {
                c = *++s;
                if (c >= '0' && c <= '7') {
                    unsigned v = 0;
                    for (int k = 0; k < 3 && *s >= '0' && *s <= '7'; k++)
                        v = v * 8 + (unsigned)(*s++ - '0');
                    s--;
                    c = (char)v;
                } else if (c == 'n') {
                    c = '\n';
                }
            }
            sb_add(&bytes, &c, 1);
        }
    } else if (*s == '<') {
        for (s++; isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]); s += 2) {
            char c = (char)(hex_digit(s[0]) * 16 + hex_digit(s[1]));
            sb_add(&bytes, &c, 1);
        }
    }
    const unsigned char *b = (const unsigned char *)(bytes.data ? bytes.data : "");
    size_t n = bytes.len;
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        for (size_t i = 2; i + 1 < n; i += 2)
            put_utf8(&sb, (unsigned)b[i] << 8 | b[i + 1]);
    } else {
        for (size_t i = 0; i < n; i++)
            put_utf8(&sb, b[i] >= 0x80 && b[i] <= 0xA0 ? pdfdoc_high[b[i] - 0x80] : b[i]);
    }
    sb_free(&bytes);
    return sb.data ? sb.data : xstrdup("");
}

/* The /Alt of every picture in PDF, in object order: figures, and list
 * labels drawn as a tick or cross (a label with /Alt). *NFIG gets how
 * many there are, *NALT how many of them have /Alt. */
static char **picture_alts(const char *pdf, size_t *nfig, size_t *nalt)
{
    char *text = qdf_of(pdf);
    char **alts = NULL;
    *nfig = *nalt = 0;
    for (char *obj = strstr(text, " 0 obj"); obj;) {
        char *end = strstr(obj, "endobj");
        if (!end)
            break;
        *end = 0;
        char *alt = strstr(obj, "/Alt ");
        if (strstr(obj, "/S /Figure") || (strstr(obj, "/S /Lbl") && alt)) {
            (*nfig)++;
            if (alt) {
                alts = xrealloc(alts, (*nalt + 1) * sizeof *alts);
                alts[(*nalt)++] = hex_text(alt + 5);
            }
        }
        obj = strstr(end + 1, " 0 obj");
    }
    free(text);
    return alts;
}

static void free_alts(char **alts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(alts[i]);
    free(alts);
}

Test(tagged, ticks_and_crosses_say_allowed_or_not, .init = setup,
     .fini = teardown, .timeout = 60)
{
    profile *p;
    doc_set docs = {0};
    compile_example("oakfield-primary", &p, &docs);
    const document *ks2 = doc_of(&docs, "pupil-ks2");
    cr_assert_not_null(ks2);
    char *pdf = render(ks2);
    size_t nfig, nalt, allowed = 0, not_allowed = 0;
    char **alts = picture_alts(pdf, &nfig, &nalt);
    cr_assert_gt(nfig, 5);
    cr_expect_eq(nalt, nfig, "a figure without /Alt");
    for (size_t i = 0; i < nalt; i++) {
        allowed += !strcmp(alts[i], "Allowed");
        not_allowed += !strcmp(alts[i], "Not allowed");
    }
    cr_expect_gt(allowed, 3);
    cr_expect_gt(not_allowed, 3);
    cr_expect_eq(allowed + not_allowed, nfig);
    free_alts(alts, nalt);
    free(pdf);
    doc_set_free(&docs);
    profile_free(p);
}

/* The rules of D: its list items tagged as an "I will" or "I will not". */
static size_t rules_of(const document *d)
{
    size_t n = 0;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_ITEM)
            continue;
        const doc_tag *t = document_item_tag(node);
        n += t && (t->positive_rule || t->negative_rule);
    }
    cmark_iter_free(it);
    return n;
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Every rule of every easy-read and young reader's document has its
 * symbol, in the PDF (a figure with /Alt) and in the HTML (an image with
 * its alternative text), and nothing else has one. */
Test(tagged, every_easy_read_and_young_rule_has_its_symbol_in_pdf_and_html, .init = setup,
     .fini = teardown, .timeout = 120)
{
    static const char *const examples[] = {"oakfield-primary", "brookfield-special",
                                           "ysgol-glan-y-mor"};
    size_t checked = 0;
    for (size_t e = 0; e < sizeof examples / sizeof *examples; e++) {
        profile *p;
        doc_set docs = {0};
        compile_example(examples[e], &p, &docs);
        for (size_t i = 0; i < docs.count; i++) {
            const document *d = docs.docs[i];
            if (d->reading != READING_EASY && !(d->kind == AUD_PUPIL && d->band <= BAND_KS2))
                continue;
            size_t rules = rules_of(d);
            cr_expect_gt(rules, 5, "%s/%s", examples[e], d->audience_id);
            char *pdf = render(d);
            size_t nfig, nalt, marks = 0;
            char **alts = picture_alts(pdf, &nfig, &nalt);
            for (size_t k = 0; k < nalt; k++)
                marks += !strcmp(alts[k], "Allowed") || !strcmp(alts[k], "Not allowed");
            cr_expect_eq(marks, rules, "%s/%s: %zu symbols in the PDF for %zu rules",
                         examples[e], d->audience_id, marks, rules);
            free_alts(alts, nalt);
            free(pdf);
            char *html = render_html(d);
            size_t ticks = occurrences(html, "role=\"img\" aria-label=\"Allowed\"");
            size_t crosses = occurrences(html, "role=\"img\" aria-label=\"Not allowed\"");
            cr_expect_eq(occurrences(html, "<title>Allowed</title>"), ticks);
            cr_expect_eq(occurrences(html, "<title>Not allowed</title>"), crosses);
            cr_expect_eq(ticks + crosses, rules, "%s/%s: %zu symbols in the HTML for %zu rules",
                         examples[e], d->audience_id, ticks + crosses, rules);
            cr_expect_gt(crosses, 0, "%s/%s", examples[e], d->audience_id);
            free(html);
            checked++;
        }
        doc_set_free(&docs);
        profile_free(p);
    }
    cr_expect_geq(checked, 8);
}

Test(tagged, the_flowchart_is_a_figure_whose_alt_is_its_steps, .init = setup, .fini = teardown,
     .timeout = 60)
{
    const flowchart *fc = flowchart_builtin(NULL);
    cr_assert_not_null(fc);
    profile *p;
    doc_set docs = {0};
    compile_example("oakfield-primary", &p, &docs);
    const document *staff = doc_of(&docs, "staff");
    cr_assert_not_null(staff);
    char *pdf = render(staff);
    size_t nfig, nalt;
    char **alts = picture_alts(pdf, &nfig, &nalt);
    cr_assert_eq(nfig, 1, "the staff document has %zu figures", nfig);
    cr_assert_eq(nalt, 1);
    char *alt = squash_space(alts[0]);
    cr_expect(!strncmp(alt, "1. ", 3), "the steps are numbered: %.40s", alt);
    for (size_t i = 0; i < fc->nnodes; i++) {
        char *node = squash_space(fc->nodes[i].text);
        cr_expect_not_null(strstr(alt, node), "the figure's text lacks '%s'", node);
        free(node);
    }
    cr_expect_not_null(strstr(alt, "Yes: go to"), "the decisions' answers");
    free(alt);
    free_alts(alts, nalt);
    free(pdf);
    doc_set_free(&docs);
    profile_free(p);
}

/* Whether the operator ending LINE paints: shows text or fills or strokes a path. */
static bool paints(const char *line)
{
    static const char *const ops[] = {" Tj", " TJ", " '", " \"", "S", " s", " f", " F",
                                      " f*", " B", " B*", " b", " b*"};
    size_t len = strlen(line);
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        size_t n = strlen(ops[i]);
        if (len >= n && !strcmp(line + len - n, ops[i]) && (len == n || ops[i][0] == ' ' ||
                                                            line[len - n - 1] == ' '))
            return true;
    }
    return false;
}

/* Every text shown and every path painted on every page is either in a
 * structure element's marked content (an MCID) or an artifact, with the
 * marked-content sequences properly nested and closed. */
static void check_all_marked(const char *pdf)
{
    char *text = qdf_of(pdf);
    size_t pages = 0, painted = 0;
    for (char *c = strstr(text, "%% Contents for page"); c;
         c = strstr(c + 1, "%% Contents for page")) {
        char *body = strstr(c, "\nstream\n"), *end = body ? strstr(body, "\nendstream") : NULL;
        cr_assert(body && end, "%s: a page's contents", pdf);
        *end = 0;
        pages++;
        int depth = 0;
        for (char *line = strtok(body + 8, "\n"); line; line = strtok(NULL, "\n")) {
            size_t len = strlen(line);
            if ((len >= 3 && !strcmp(line + len - 3, "BDC")) ||
                (len >= 3 && !strcmp(line + len - 3, "BMC"))) {
                cr_expect(strstr(line, "/MCID ") || !strncmp(line, "/Artifact", 9),
                          "%s page %zu: '%s' is neither content nor artifact", pdf, pages, line);
                depth++;
            } else if (!strcmp(line, "EMC")) {
                depth--;
                cr_expect_geq(depth, 0, "%s page %zu: EMC without BDC", pdf, pages);
            } else if (paints(line)) {
                painted++;
                cr_expect_gt(depth, 0, "%s page %zu: '%s' is outside any marked content", pdf,
                             pages, line);
            }
        }
        cr_expect_eq(depth, 0, "%s page %zu: marked content left open", pdf, pages);
        *end = '\n';
    }
    cr_expect_gt(pages, 0);
    cr_expect_gt(painted, 0);
    free(text);
}

/* What pdfinfo says about PDF, and what qpdf --check says. */
static void check_tagged_file(const char *pdf, const char *title)
{
    int status;
    char *info = command_out("pdfinfo '%s'", pdf, &status);
    cr_assert_eq(status, 0);
    cr_expect_not_null(strstr(info, "Tagged:          yes"), "%s is not tagged", pdf);
    char *want = xasprintf("Title:           %s\n", title);
    cr_expect_not_null(strstr(info, want), "%s: title not '%s'", pdf, title);
    free(want);
    free(info);
    char *check = command_out("qpdf --check '%s' 2>&1", pdf, &status);
    cr_expect_eq(status, 0, "qpdf --check %s: %s", pdf, check);
    free(check);
    char *text = qdf_of(pdf);
    cr_expect_not_null(strstr(text, "/Lang (en-GB)"), "%s: no /Lang", pdf);
    cr_expect_not_null(strstr(text, "/DisplayDocTitle true"), "%s", pdf);
    cr_expect_not_null(strstr(text, "/Marked true"), "%s", pdf);
    cr_expect_not_null(strstr(text, "/StructTreeRoot"), "%s", pdf);
    free(text);
    /* The running header and footer are artifacts, not content. */
    s_tree t = struct_of(pdf);
    for (size_t i = 0; i < t.n; i++) {
        cr_expect_null(strstr(t.v[i].text, "Page 1 of"), "%s: the footer is content", pdf);
        cr_expect_null(strstr(t.v[i].text, "\xC2\xB7 Next review"), "%s: the footer is content",
                       pdf);
    }
    s_tree_free(&t);
    check_all_marked(pdf);
}

Test(tagged, every_pdf_compile_writes_is_tagged_and_clean, .init = setup, .fini = teardown,
     .timeout = 300)
{
    char *out = xasprintf("%s/out", tmp);
    for (size_t e = 0; e < NEXAMPLES; e++) {
        char *args = xasprintf("compile -q -f pdf -o '%s' '%s/examples/%s.xml'", out,
                               AUPC_SOURCE_ROOT, examples[e]);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        free(args);
        profile *p;
        doc_set docs = {0};
        compile_example(examples[e], &p, &docs);
        for (size_t i = 0; i < docs.count; i++) {
            char *pdf = xasprintf("%s/%s/%s.pdf", out, examples[e], docs.docs[i]->audience_id);
            check_tagged_file(pdf, docs.docs[i]->title);
            free(pdf);
        }
        doc_set_free(&docs);
        profile_free(p);
    }
    free(out);
}

Test(tagged, a_poster_is_a_heading_and_a_list_of_rules, .init = setup, .fini = teardown,
     .timeout = 60)
{
    profile *p;
    doc_set docs = {0};
    compile_example("oakfield-primary", &p, &docs);
    const document *ks2 = doc_of(&docs, "pupil-ks2");
    cr_assert_not_null(ks2);
    strbuf out = {0};
    diag_list dl = {0};
    cr_assert_eq(pack_poster(ks2, NULL, &out, &dl), 0);
    char *pdf = put_pdf("poster.pdf", &out);
    check_tagged_file(pdf, "Our rules for staying safe online: poster");
    s_tree t = struct_of(pdf);
    cr_assert_gt(t.n, 2);
    cr_expect_str_eq(t.v[1].role, "H1");
    cr_expect_str_eq(t.v[1].text, "Our rules for staying safe online");
    cr_expect_eq(count_role(&t, "L"), 1);
    cr_expect_eq(count_role(&t, "LI"), 5);
    cr_expect_eq(count_role(&t, "LBody"), 5);
    cr_expect_eq(count_role(&t, "Lbl"), 5);
    cr_expect_eq(count_role(&t, "Figure"), 0, "a tick or cross is its label, not a figure in it");
    char *rules[5];
    bool positive[5];
    size_t n = pack_poster_rules(ks2, rules, positive, 5);
    size_t k = 0;
    for (size_t i = 0; i < t.n && k < n; i++)
        if (!strcmp(t.v[i].role, "LBody")) {
            char *want = squash_space(rules[k]);
            /* A long rule may be shortened to its first sentence. */
            cr_expect(!strncmp(want, t.v[i].text, strlen(t.v[i].text)) && *t.v[i].text,
                      "rule %zu: '%s' for '%s'", k, t.v[i].text, want);
            free(want);
            k++;
        }
    cr_expect_eq(k, n);
    size_t nfig, nalt;
    char **alts = picture_alts(pdf, &nfig, &nalt);
    cr_expect_eq(nalt, nfig);
    for (size_t i = 0; i < nalt && i < n; i++)
        cr_expect_str_eq(alts[i], positive[i] ? "Allowed" : "Not allowed");
    free_alts(alts, nalt);
    for (size_t i = 0; i < n; i++)
        free(rules[i]);
    s_tree_free(&t);
    free(pdf);
    sb_free(&out);
    diag_free(&dl);
    doc_set_free(&docs);
    profile_free(p);
}

Test(tagged, the_agreement_binds_each_document_as_a_part, .init = setup, .fini = teardown,
     .timeout = 120)
{
    profile *p;
    doc_set docs = {0};
    compile_example("oakfield-primary", &p, &docs);
    strbuf out = {0};
    diag_list dl = {0};
    const document *pupil = NULL;
    for (size_t i = 0; i < docs.count && !pupil; i++)
        if (docs.docs[i]->kind == AUD_PUPIL)
            pupil = docs.docs[i];
    int parts = pack_agreement(p, &docs, pupil, NULL, NULL, &out, NULL, &dl);
    cr_assert_gt(parts, 1);
    char *pdf = put_pdf("agreement.pdf", &out);
    int status;
    char *info = command_out("pdfinfo '%s'", pdf, &status);
    cr_expect_not_null(strstr(info, "Tagged:          yes"));
    free(info);
    s_tree t = struct_of(pdf);
    cr_expect_eq(count_role(&t, "Part"), (size_t)parts);
    /* Each part opens with its document's title, in the order bound. */
    size_t part = 0;
    for (size_t i = 0; i + 1 < t.n; i++)
        if (!strcmp(t.v[i].role, "Part")) {
            cr_expect_str_eq(t.v[i + 1].role, "H1", "part %zu", part);
            part++;
        }
    cr_expect_eq(part, (size_t)parts);
    s_tree_free(&t);
    free(pdf);
    sb_free(&out);
    diag_free(&dl);
    doc_set_free(&docs);
    profile_free(p);
}

Test(tagged, the_redline_is_tagged_with_its_table_and_marked_words, .init = setup,
     .fini = teardown, .timeout = 60)
{
    char *pdf = xasprintf("%s/redline.pdf", tmp);
    char *args = xasprintf("diff -f pdf -o '%s' '%s/examples/review/2025.xml' "
                           "'%s/examples/review/2026.xml'", pdf, AUPC_SOURCE_ROOT,
                           AUPC_SOURCE_ROOT);
    run_result r = run_aupc(args);
    cr_assert_eq(r.status, 1, "%s", r.err);
    run_free(&r);
    check_tagged_file(pdf, "Changes to the acceptable use policies");
    s_tree t = struct_of(pdf);
    cr_expect_str_eq(t.v[1].role, "H1");
    cr_expect_str_eq(t.v[1].text, "Changes to the acceptable use policies");
    cr_expect_eq(count_role(&t, "Table"), 1);
    cr_expect_eq(count_role(&t, "TH"), 6);
    cr_expect_gt(count_role(&t, "TD"), 6);
    cr_expect_gt(count_role(&t, "H2"), 2);
    cr_expect_gt(count_role(&t, "Span"), 2);
    /* Words taken out and put in say so. */
    char *text = qdf_of(pdf);
    size_t out = 0, in = 0;
    for (char *alt = strstr(text, "/Alt "); alt; alt = strstr(alt + 1, "/Alt ")) {
        char *said = hex_text(alt + 5);
        out += !strncmp(said, "taken out: ", 11);
        in += !strncmp(said, "put in: ", 8);
        free(said);
    }
    cr_expect_gt(out, 0);
    cr_expect_gt(in, 0);
    free(text);
    s_tree_free(&t);
    free(args);
    free(pdf);
}

Test(tagged, the_language_is_the_documents_own, .init = setup, .fini = teardown, .timeout = 60)
{
    document *d = md_document("# Rheolau\n\nRwy'n cadw fy nghyfrinair yn gyfrinach.\n",
                              BAND_KS2, READING_STANDARD);
    free(d->lang);
    d->lang = xstrdup("cy-GB");
    char *pdf = render(d);
    char *text = qdf_of(pdf);
    cr_expect_not_null(strstr(text, "/Lang (cy-GB)"), "the catalogue's language");
    free(text);
    int status;
    char *info = command_out("pdfinfo -custom '%s'", pdf, &status);
    cr_expect_not_null(strstr(info, "Language:        cy-GB"), "%s", info);
    free(info);
    free(pdf);
    document_free(d);
}
