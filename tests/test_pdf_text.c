/* Every statement a document was given can be read back from its PDF, in
 * the order the document gives it: nothing lost, truncated or reordered by
 * the typesetter. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "helpers.h"
#include "render_pdf.h"
#include "util/io.h"

static char *node_text(cmark_node *n)
{
    strbuf b = {0};
    cmark_iter *it = cmark_iter_new(n);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            sb_puts(&b, cmark_node_get_literal(c));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
        case CMARK_NODE_PARAGRAPH:
            sb_puts(&b, " ");
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    char *s = squash_space(b.data ? b.data : "");
    sb_free(&b);
    return s;
}

/* The body text of the PDF, page by page, without the running header and footer. */
static char *body_text(const char *pdf, const layout_info *info)
{
    int y = (int)(info->page_h - info->content_top) - 2;
    int h = (int)(info->content_top - info->content_bottom) + 4;
    strbuf all = {0};
    for (int page = 1; page <= info->pages; page++) {
        char *cmd = xasprintf("pdftotext -f %d -l %d -x 0 -y %d -W %d -H %d '%s' - 2>/dev/null",
                              page, page, y, (int)info->page_w, h, pdf);
        run_result r = run_sh(cmd);
        sb_puts(&all, r.out);
        sb_puts(&all, " ");
        run_free(&r);
        free(cmd);
    }
    char *s = squash_space(all.data ? all.data : "");
    sb_free(&all);
    return s;
}

static void check_document(const document *d, const char *dir)
{
    strbuf pdf = {0};
    layout_info info = {0};
    diag_list dl = {0};
    cr_assert_eq(pdf_render(d, NULL, NULL, &pdf, &info, &dl), 0);
    char *path = xasprintf("%s/%s.pdf", dir, d->audience_id);
    cr_assert_eq(io_write_atomic(dir, strrchr(path, '/') + 1, pdf.data, pdf.len), 0);
    char *text = body_text(path, &info);
    const char *at = text;
    size_t found = 0;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        const doc_tag *tag = document_tag_of(n);
        if (ev != CMARK_EVENT_ENTER || !tag || tag->kind != TAG_STATEMENT)
            continue;
        char *want = node_text(n);
        const char *hit = strstr(at, want);
        cr_expect_not_null(hit, "%s/%s: statement %s not found after the previous one:\n"
                           "  want: %s\n  near: %.200s", d->setting_id, d->audience_id,
                           tag->stmt->id, want, at);
        if (hit) {
            at = hit + strlen(want);
            found++;
        }
        free(want);
    }
    cmark_iter_free(it);
    cr_expect_gt(found, 10, "%s/%s", d->setting_id, d->audience_id);
    free(text);
    free(path);
    layout_info_free(&info);
    sb_free(&pdf);
    diag_free(&dl);
}

Test(pdf_text, every_statement_of_every_example_reads_back_in_order, .timeout = 240)
{
    diag_list dl = {0};
    library *lib = library_load_embedded(&dl);
    cr_assert_not_null(lib);
    glob_t g;
    cr_assert_eq(glob(AUPC_SOURCE_ROOT "/examples/*.xml", 0, NULL, &g), 0);
    char *dir = make_tmpdir();
    for (size_t i = 0; i < g.gl_pathc; i++) {
        profile *p = profile_load(g.gl_pathv[i], &dl);
        cr_assert_not_null(p, "%s", g.gl_pathv[i]);
        doc_set set;
        cr_assert_eq(compile_profile(p, lib, &set, &dl), 0);
        for (size_t k = 0; k < set.count; k++)
            check_document(set.docs[k], dir);
        doc_set_free(&set);
        profile_free(p);
    }
    remove_tree(dir);
    free(dir);
    globfree(&g);
    library_free(lib);
    diag_free(&dl);
}
