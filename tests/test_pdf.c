/* PDF output checked from the outside, with poppler-utils and qpdf. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile.h"
#include "helpers.h"
#include "render_pdf.h"

static char tmpdir[64];

static void make_tmp(void)
{
    strcpy(tmpdir, "/tmp/aupc-pdf-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void clean_tmp(void)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
}

/* Tag the document the way the compiler does: "I will" items are
 * positive rules, "I will not" negative, a paragraph with a blank to
 * write on is the acknowledgement. */
static void tag_nodes(document *d)
{
    cmark_iter *it = cmark_iter_new(d->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *t = cmark_node_first_child(n);
        const char *lit = t ? cmark_node_get_literal(t) : NULL;
        if (cmark_node_get_type(n) == CMARK_NODE_ITEM) {
            t = cmark_node_first_child(t);
            lit = t ? cmark_node_get_literal(t) : NULL;
            doc_tag *g = document_tag(d, n, TAG_STATEMENT);
            g->negative_rule = lit && strncmp(lit, "I will not", 10) == 0;
            g->positive_rule = lit && !g->negative_rule && strncmp(lit, "I will", 6) == 0;
        } else if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH && lit &&
                   strstr(lit, "Name: ")) {
            document_tag(d, n, TAG_SIGNATURE);
        }
    }
    cmark_iter_free(it);
}

static document *doc_md(const char *md, pupil_band band, reading_level reading)
{
    document *d = md_document(md, band, reading);
    tag_nodes(d);
    return d;
}

/* Render D into TMPDIR/NAME; returns the path. */
static char *render_file(const document *d, const pdf_options *o, const char *name,
                         layout_info *info)
{
    strbuf out = {0};
    diag_list dl = {0};
    int rc = pdf_render(d, o, NULL, &out, info, &dl);
    cr_assert_eq(rc, 0, "pdf_render failed: %s", dl.count ? dl.items[0].message : "?");
    cr_assert_gt(out.len, 100);
    cr_assert_eq(io_write_atomic(tmpdir, name, out.data, out.len), 0);
    sb_free(&out);
    diag_free(&dl);
    return xasprintf("%s/%s", tmpdir, name);
}

/* Run CMD; returns its standard output and sets *status. */
static char *run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    strbuf sb = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        sb_add(&sb, buf, n);
    int st = pclose(p);
    if (status)
        *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (!sb.data)
        sb_add(&sb, "", 0);
    return sb.data;
}

static char *runf(int *status, const char *fmt, const char *path)
{
    char *cmd = xasprintf(fmt, path);
    char *out = run(cmd, status);
    free(cmd);
    return out;
}

/* Assert that the NULL-terminated WORDS appear in TEXT in order. */
static void assert_in_order(const char *text, const char *const *words)
{
    const char *at = text;
    for (; *words; words++) {
        const char *p = strstr(at, *words);
        cr_assert_not_null(p, "'%s' missing or out of order in:\n%s", *words, text);
        at = p + strlen(*words);
    }
}

static const char sample[] =
    "# Acceptable use policy for pupils\n\n"
    "This policy helps you use **technology** safely at school. Read more on "
    "[our website](https://oakfield.example.org/safety).\n\n"
    "## What I will do\n\n"
    "- I will keep my password secret.\n"
    "- I will tell a trusted adult if something upsets me.\n\n"
    "## What I will not do\n\n"
    "- I will not be unkind online.\n\n"
    "1. First step\n2. Second step\n\n"
    "> A quote to remember.\n\n"
    "---\n\n"
    "<div>not shown</div>\n\n"
    "## Signing\n\n"
    "Name: ..............................\\\n"
    "Signed: ..............................\\\n"
    "Date: ..............................\n";

Test(pdf, round_trip_text_in_order, .init = make_tmp, .fini = clean_tmp)
{
    document *d = doc_md(sample, BAND_KS2, READING_STANDARD);
    layout_info info;
    char *path = render_file(d, NULL, "a.pdf", &info);
    char *text = runf(NULL, "pdftotext '%s' - 2>/dev/null", path);
    const char *words[] = {"Oakfield Primary School", "Acceptable use policy for pupils",
                           "technology", "our website", "What I will do", "password secret",
                           "trusted adult", "What I will not do", "unkind online",
                           "First step", "Second step", "quote to remember", "Signing",
                           "Name", "Signed", "Date", "Parent or carer", "Version 2026.1",
                           "Approved 1 September 2026", "Next review 1 September 2027",
                           "Page 1 of 1", NULL};
    assert_in_order(text, words);
    cr_assert_null(strstr(text, "not shown"));
    cr_assert_null(strstr(text, "....."), "signature blanks are drawn, not dotted");
    cr_assert_eq(pdf_page_count(path), info.pages);
    free(text);
    free(path);
    layout_info_free(&info);
    document_free(d);
}

Test(pdf, qpdf_check_clean, .init = make_tmp, .fini = clean_tmp)
{
    document *d = doc_md(sample, BAND_NONE, READING_EASY);
    char *path = render_file(d, NULL, "q.pdf", NULL);
    int st;
    char *out = runf(&st, "qpdf --check '%s' 2>&1", path);
    cr_assert_eq(st, 0, "qpdf --check: %s", out);
    cr_assert_null(strstr(out, "WARNING"), "%s", out);
    free(out);
    free(path);
    document_free(d);
}

Test(pdf, info_dictionary_and_links, .init = make_tmp, .fini = clean_tmp)
{
    document *d = doc_md(sample, BAND_KS2, READING_STANDARD);
    char *path = render_file(d, NULL, "i.pdf", NULL);
    char *info = runf(NULL, "pdfinfo '%s' 2>/dev/null", path);
    const char *want[] = {"Title:", "Acceptable use policy", "Subject:", "Pupils in Key Stage 2",
                          "Author:", "Oakfield Primary School", "Creator:", "aupc " AUPC_VERSION,
                          "CreationDate:", "Sep  1 00:00:00 2026", NULL};
    assert_in_order(info, want);
    cr_assert_not_null(strstr(info, "595.276 x 841.89 pts (A4)"), "%s", info);
    char *json = runf(NULL, "qpdf --json '%s'", path);
    cr_assert_not_null(strstr(json, "https://oakfield.example.org/safety"), "no URI link");
    cr_assert_not_null(strstr(json, "\"title\": \"What I will not do\""), "no bookmark");
    free(json);
    free(info);
    free(path);
    document_free(d);
}

Test(pdf, identical_bytes_for_identical_input)
{
    document *d = doc_md(sample, BAND_KS2, READING_EASY);
    strbuf a = {0}, b = {0};
    diag_list dl = {0};
    cr_assert_eq(pdf_render(d, NULL, NULL, &a, NULL, &dl), 0);
    sleep(1);   /* a clock-based date or /ID would now differ */
    cr_assert_eq(pdf_render(d, NULL, NULL, &b, NULL, &dl), 0);
    cr_assert_eq(a.len, b.len);
    cr_assert(memcmp(a.data, b.data, a.len) == 0, "two renders differ");
    sb_free(&a);
    sb_free(&b);
    diag_free(&dl);
    document_free(d);
}

/* Welsh needs ŵ and ŷ, which WinAnsi lacks: Liberation Sans is embedded as
 * simple TrueType fonts, WinAnsi plus ISO 8859-14, never as a CID font. */
Test(pdf, welsh_names_embed_a_unicode_font, .init = make_tmp, .fini = clean_tmp)
{
    document *d = doc_md("# Croeso\n\nMae Dŵr yn bwysig. Ŷ ŷ ŵ Ŵ.\n\n- I will drink dŵr.\n",
                         BAND_KS2, READING_STANDARD);
    free(d->setting_name);
    d->setting_name = xstrdup("Ysgol Gymraeg Glan-y-Môr");
    layout_info info;
    char *path = render_file(d, NULL, "w.pdf", &info);
    cr_assert(info.unicode_font);
    char *text = runf(NULL, "pdftotext '%s' - 2>/dev/null", path);
    const char *words[] = {"Ysgol Gymraeg Glan-y-Môr", "Croeso", "Mae Dŵr yn bwysig.",
                           "Ŷ ŷ ŵ Ŵ.", "drink dŵr", NULL};
    assert_in_order(text, words);
    char *fonts = runf(NULL, "pdffonts '%s' 2>/dev/null", path);
    cr_assert_not_null(strstr(fonts, "LiberationSans"), "%s", fonts);
    cr_assert_null(strstr(fonts, "Helvetica"), "%s", fonts);
    cr_assert_not_null(strstr(fonts, "TrueType          WinAnsi          yes"), "%s", fonts);
    cr_assert_not_null(strstr(fonts, "TrueType          Custom           yes"), "%s", fonts);
    cr_assert_null(strstr(fonts, "CID"), "%s", fonts);
    char *info_out = runf(NULL, "pdfinfo '%s' 2>/dev/null", path);
    cr_assert_not_null(strstr(info_out, "Ysgol Gymraeg Glan-y-Môr"), "%s", info_out);
    free(info_out);
    free(fonts);
    free(text);
    free(path);
    layout_info_free(&info);
    document_free(d);
}

/* Render MD and return pdffonts' report; *TEXT gets the text read back. */
static char *fonts_of(const char *md, const char *name, char **text)
{
    document *d = doc_md(md, BAND_NONE, READING_STANDARD);
    layout_info info;
    char *path = render_file(d, NULL, name, &info);
    cr_assert(info.unicode_font);
    char *raw = runf(NULL, "pdftotext '%s' - 2>/dev/null", path);
    *text = squash_space(raw);
    free(raw);
    char *fonts = runf(NULL, "pdffonts '%s' 2>/dev/null", path);
    int st;
    char *check = runf(&st, "qpdf --check '%s' 2>&1", path);
    cr_assert_eq(st, 0, "%s", check);
    free(check);
    free(path);
    layout_info_free(&info);
    document_free(d);
    return fonts;
}

/* Polish and Russian each fit one more single-byte encoding; Greek is set
 * with the Unicode fonts, as CP1253's glyph names print blank. */
Test(pdf, other_scripts_use_a_second_simple_encoding, .init = make_tmp, .fini = clean_tmp)
{
    const char *samples[][2] = {
        {"Zażółć gęślą jaźń – “tak”.", "pl.pdf"},
        {"Правила для учеников – «да».", "ru.pdf"},
        {"Κανόνες για τους μαθητές – ναι.", "el.pdf"},
    };
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        char *text;
        char *fonts = fonts_of(samples[i][0], samples[i][1], &text);
        cr_expect_not_null(strstr(text, samples[i][0]), "%s: %s", samples[i][1], text);
        if (i < 2)
            cr_expect_null(strstr(fonts, "CID"), "%s", fonts);
        else
            cr_expect_not_null(strstr(fonts, "CID"), "%s", fonts);
        cr_expect_not_null(strstr(fonts, "LiberationSans"), "%s", fonts);
        free(fonts);
        free(text);
    }
}

/* Text that no one extra encoding holds falls back to Unicode CID fonts,
 * and still reads back whole. */
Test(pdf, mixed_scripts_fall_back_to_a_cid_font, .init = make_tmp, .fini = clean_tmp)
{
    const char *md = "Dŵr, łódź, Привет and Ελλάδα in one line.";
    char *text;
    char *fonts = fonts_of(md, "mixed.pdf", &text);
    cr_expect_not_null(strstr(text, md), "%s", text);
    cr_expect_not_null(strstr(fonts, "CID TrueType      Identity-H       yes"), "%s", fonts);
    free(fonts);
    free(text);
}

/* A thread reuses one libharu document from PDF to PDF. A PDF made with a
 * reused document, whatever came before it, has the bytes a new one gives. */
static void render_into(const document *d, strbuf *out)
{
    diag_list dl = {0};
    cr_assert_eq(pdf_render(d, NULL, NULL, out, NULL, &dl), 0);
    diag_free(&dl);
}

Test(pdf, reused_documents_give_the_same_bytes)
{
    document *docs[] = {
        doc_md("# Dŵr\n\nBold **Tŷ** only.\n", BAND_NONE, READING_STANDARD),
        doc_md("# Llŷr\n\nSome *italic ŵ*, `code`, **bold** and plain.\n", BAND_NONE,
               READING_STANDARD),
        doc_md("# Plain\n\nHelvetica only.\n", BAND_NONE, READING_STANDARD),
        /* Its faces are first needed in another order than the second's. */
        doc_md("`code` ŷ, then *italic*, then plain.\n", BAND_NONE, READING_STANDARD),
    };
    size_t n = sizeof docs / sizeof *docs;
    for (size_t target = 0; target < n; target++) {
        strbuf fresh = {0};
        pdf_thread_done();
        render_into(docs[target], &fresh);
        for (size_t before = 0; before < n; before++) {
            strbuf scratch = {0}, reused = {0};
            pdf_thread_done();
            render_into(docs[before], &scratch);
            render_into(docs[target], &reused);
            cr_expect(reused.len == fresh.len && memcmp(reused.data, fresh.data, fresh.len) == 0,
                      "document %zu made after document %zu differs", target, before);
            sb_free(&scratch);
            sb_free(&reused);
        }
        sb_free(&fresh);
    }
    pdf_thread_done();
    for (size_t i = 0; i < n; i++)
        document_free(docs[i]);
}

Test(pdf, latin1_text_stays_with_standard_fonts, .init = make_tmp, .fini = clean_tmp)
{
    document *d = doc_md("Café “quoted” – naïve £5 — ok…\n", BAND_NONE, READING_STANDARD);
    layout_info info;
    char *path = render_file(d, NULL, "c.pdf", &info);
    cr_assert_not(info.unicode_font);
    char *text = runf(NULL, "pdftotext '%s' - 2>/dev/null", path);
    cr_assert_not_null(strstr(text, "Café “quoted” – naïve £5 — ok…"), "%s", text);
    char *fonts = runf(NULL, "pdffonts '%s' 2>/dev/null", path);
    cr_assert_not_null(strstr(fonts, "Helvetica"), "%s", fonts);
    cr_assert_null(strstr(fonts, "yes"), "nothing embedded: %s", fonts);
    free(fonts);
    free(text);
    free(path);
    layout_info_free(&info);
    document_free(d);
}

/* Each word's bounding box from pdftotext -bbox: calls F for each. */
static void each_word(const char *path, void (*f)(double x0, double y0, double x1, double y1,
                                                  const char *word, void *arg),
                      void *arg)
{
    char *html = runf(NULL, "pdftotext -bbox '%s' - 2>/dev/null", path);
    const char *p = html;
    while ((p = strstr(p, "<word ")) != NULL) {
        double x0, y0, x1, y1;
        char word[256] = "";
        cr_assert_eq(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%255[^<]",
                            &x0, &y0, &x1, &y1, word), 5);
        f(x0, y0, x1, y1, word, arg);
        p++;
    }
    free(html);
}

static void check_margin(double x0, double y0, double x1, double y1, const char *w, void *arg)
{
    const layout_info *info = arg;
    (void)y0, (void)y1;
    cr_assert_leq(x1, info->page_w - info->margin_right + 0.5, "'%s' ends at %.1f", w, x1);
    cr_assert_geq(x0, info->margin_left - 0.5, "'%s' starts at %.1f", w, x0);
}

Test(pdf, long_word_never_passes_the_margin, .init = make_tmp, .fini = clean_tmp)
{
    strbuf md = {0};
    sb_puts(&md, "Short words first, then ");
    for (int i = 0; i < 200; i++)
        sb_add(&md, i % 7 ? "w" : "ŵ", i % 7 ? 1 : 2);
    sb_puts(&md, " and after.\n\n- I will read **");
    for (int i = 0; i < 200; i++)
        sb_add(&md, "M", 1);
    sb_puts(&md, "** too.\n");
    document *d = doc_md(md.data, BAND_KS2, READING_EASY);
    layout_info info;
    char *path = render_file(d, NULL, "long.pdf", &info);
    each_word(path, check_margin, &info);
    char *text = runf(NULL, "pdftotext '%s' - 2>/dev/null", path);
    cr_assert_not_null(strstr(text, "and after."));
    free(text);
    free(path);
    sb_free(&md);
    layout_info_free(&info);
    document_free(d);
}

typedef struct {
    double min_body;
    int words;
} height_check;

static void check_height(double x0, double y0, double x1, double y1, const char *w, void *arg)
{
    height_check *h = arg;
    (void)x0, (void)x1;
    /* Body text only: the header and footer are small on purpose. */
    if (y0 < 70 || y0 > 841.89 - 70)
        return;
    if (y1 - y0 < h->min_body)
        h->min_body = y1 - y0;
    h->words++;
    (void)w;
}

Test(pdf, easy_read_body_is_at_least_14pt, .init = make_tmp, .fini = clean_tmp)
{
    document *d = doc_md(sample, BAND_NONE, READING_EASY);
    layout_info info;
    char *path = render_file(d, NULL, "easy.pdf", &info);
    height_check h = {1000, 0};
    each_word(path, check_height, &h);
    cr_assert_gt(h.words, 20);
    /* poppler's word box spans Helvetica's ascent to descent, 0.925 em:
     * 14 pt type gives 12.95 pt boxes, 10.5 pt type 9.71 pt. */
    cr_assert_geq(h.min_body, 0.925 * 14 - 0.01, "smallest body word box %.2f pt", h.min_body);
    cr_assert_geq(info.body_size, 14.0);
    char *json = runf(NULL, "qpdf --qdf --object-streams=disable '%s' - 2>/dev/null", path);
    cr_assert_not_null(strstr(json, "1 0.98 0.9 rg"), "no cream page");
    free(json);
    free(path);
    layout_info_free(&info);
    document_free(d);
}

Test(pdf, standard_body_is_10_5_to_11pt)
{
    document *d = doc_md(sample, BAND_NONE, READING_STANDARD);
    layout_info info;
    diag_list dl = {0};
    cr_assert_eq(layout_measure(d, NULL, &info, &dl), 0);
    cr_assert(info.body_size >= 10.5 && info.body_size <= 11);
    layout_info_free(&info);
    document_free(d);
}

static char *long_doc(int paragraphs)
{
    strbuf md = {0};
    sb_puts(&md, "# A long policy\n\n");
    for (int i = 0; i < paragraphs; i++) {
        if (i % 5 == 0)
            sb_printf(&md, "## Section %d\n\n", i / 5 + 1);
        sb_printf(&md, "Paragraph %d. This sentence is here to fill the page with ordinary "
                       "words so that the document runs on to further pages, as a long policy "
                       "would when a school adds many statements of its own.\n\n", i);
    }
    return md.data;
}

Test(pdf, long_document_spills_onto_a_third_page, .init = make_tmp, .fini = clean_tmp)
{
    char *md = long_doc(40);
    document *d = doc_md(md, BAND_NONE, READING_STANDARD);
    layout_info info;
    char *path = render_file(d, NULL, "three.pdf", &info);
    cr_assert_eq(info.pages, 3);
    cr_assert_eq(pdf_page_count(path), 3);
    char *text = runf(NULL, "pdftotext '%s' - 2>/dev/null", path);
    const char *words[] = {"Paragraph 0.", "Page 1 of 3", "Page 2 of 3", "Paragraph 39.",
                           "Page 3 of 3", NULL};
    assert_in_order(text, words);
    free(text);
    free(path);
    free(md);
    layout_info_free(&info);
    document_free(d);
}

Test(pdf, missing_font_is_an_error_not_a_crash)
{
    document *d = doc_md(sample, BAND_NONE, READING_STANDARD);
    pdf_options o = {"/nonexistent/font.ttf", NULL};
    strbuf out = {0};
    diag_list dl = {0};
    cr_assert_eq(pdf_render(d, &o, NULL, &out, NULL, &dl), -1);
    cr_assert_eq(diag_count(&dl, DIAG_ERROR), 1);
    cr_assert_not_null(strstr(dl.items[0].message, "/nonexistent/font.ttf"));
    cr_assert_eq(out.len, 0);
    sb_free(&out);
    diag_free(&dl);
    document_free(d);
}

Test(pdf, school_font_is_embedded, .init = make_tmp, .fini = clean_tmp)
{
    document *d = doc_md(sample, BAND_NONE, READING_STANDARD);
    pdf_options o = {"/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                     "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"};
    layout_info info;
    char *path = render_file(d, &o, "serif.pdf", &info);
    cr_assert(info.unicode_font);
    char *fonts = runf(NULL, "pdffonts '%s' 2>/dev/null", path);
    cr_assert_not_null(strstr(fonts, "LiberationSerif-Bold"), "%s", fonts);
    cr_assert_null(strstr(fonts, "Helvetica"), "%s", fonts);
    free(fonts);
    free(path);
    layout_info_free(&info);
    document_free(d);
}

/* Every example profile compiles to PDFs that poppler and qpdf accept. */
static void check_example(const char *xml)
{
    diag_list dl = {0};
    profile *p = profile_load(xml, &dl);
    cr_assert_not_null(p, "%s does not load", xml);
    library *lib = library_load_embedded(&dl);
    cr_assert_not_null(lib);
    doc_set set = {0};
    cr_assert_eq(compile_profile(p, lib, &set, &dl), 0, "%s does not compile", xml);
    for (size_t i = 0; i < set.count; i++) {
        const document *d = set.docs[i];
        char *name = xasprintf("%s.pdf", d->audience_id);
        layout_info info;
        char *path = render_file(d, NULL, name, &info);
        int st;
        char *out = runf(&st, "qpdf --check '%s' 2>&1", path);
        cr_assert_eq(st, 0, "%s: %s", path, out);
        cr_assert_eq(pdf_page_count(path), info.pages, "%s", path);
        cr_assert_geq(info.core_pages, 1, "%s has no core statements", path);
        each_word(path, check_margin, &info);
        char *text = runf(NULL, "pdftotext '%s' - 2>/dev/null", path);
        cr_assert_not_null(strstr(text, d->setting_name), "%s", path);
        free(text);
        free(out);
        free(path);
        free(name);
        layout_info_free(&info);
    }
    doc_set_free(&set);
    library_free(lib);
    profile_free(p);
    diag_free(&dl);
}

Test(pdf, every_example_renders, .init = make_tmp, .fini = clean_tmp)
{
    glob_t g;
    cr_assert_eq(glob(AUPC_SOURCE_ROOT "/examples/*.xml", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++)
        check_example(g.gl_pathv[i]);
    globfree(&g);
}
