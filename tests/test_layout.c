/* Layout rules checked on block positions, without writing a file. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "layout.h"
#include "render_pdf.h"

/* Tag every list item as a statement (alternately positive and negative)
 * and every paragraph starting "Name:" as the acknowledgement. */
static void tag_doc(document *d)
{
    cmark_iter *it = cmark_iter_new(d->root);
    cmark_event_type ev;
    int k = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *t = cmark_node_first_child(n);
        const char *lit = t ? cmark_node_get_literal(t) : NULL;
        if (cmark_node_get_type(n) == CMARK_NODE_ITEM) {
            doc_tag *g = document_tag(d, n, TAG_STATEMENT);
            g->positive_rule = k % 2 == 0;
            g->negative_rule = k++ % 2 == 1;
        } else if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH && lit &&
                   strncmp(lit, "Name:", 5) == 0) {
            document_tag(d, n, TAG_SIGNATURE);
        }
    }
    cmark_iter_free(it);
}

static void measure(const document *d, layout_info *info)
{
    diag_list dl = {0};
    cr_assert_eq(layout_measure(d, NULL, info, &dl), 0);
    diag_free(&dl);
}

static bool is_ancestor(cmark_node *a, cmark_node *b)
{
    for (; b; b = cmark_node_parent(b))
        if (a == b)
            return true;
    return false;
}

/* Filler paragraphs, then a heading, a list and the acknowledgement. */
static char *doc_with_filler(int filler, int words)
{
    strbuf md = {0};
    sb_puts(&md, "# Policy\n\n");
    for (int i = 0; i < filler; i++) {
        sb_printf(&md, "Filler %d:", i);
        for (int w = 0; w < words; w++)
            sb_puts(&md, " some ordinary words");
        sb_puts(&md, ".\n\n");
    }
    sb_puts(&md, "## Rules\n\n- I will be kind.\n- I will not share passwords.\n\n"
                 "## Signing\n\nName: ........................\\\n"
                 "Signed: ........................\\\nDate: ........................\n");
    return md.data;
}

static void check_blocks_inside_page(const layout_info *info)
{
    for (size_t i = 0; i < info->nblocks; i++) {
        const layout_block *b = &info->blocks[i];
        cr_assert(b->page >= 1 && b->page <= info->pages);
        cr_assert_geq(b->x, info->margin_left - 0.01);
        cr_assert_leq(b->x + b->w, info->page_w - info->margin_right + 0.01);
        cr_assert_geq(b->y, info->content_bottom - 0.01, "block %zu below the footer", i);
        cr_assert_leq(b->y + b->h, info->content_top + 0.01, "block %zu above the top", i);
    }
}

static void check_no_overlap(const layout_info *info)
{
    for (size_t i = 0; i < info->nblocks; i++)
        for (size_t j = i + 1; j < info->nblocks; j++) {
            const layout_block *a = &info->blocks[i], *b = &info->blocks[j];
            if (a->page != b->page || is_ancestor(a->node, b->node) ||
                is_ancestor(b->node, a->node))
                continue;
            bool apart = a->y >= b->y + b->h - 0.01 || b->y >= a->y + a->h - 0.01 ||
                         a->x >= b->x + b->w - 0.01 || b->x >= a->x + a->w - 0.01;
            cr_assert(apart, "blocks %zu and %zu overlap on page %d", i, j, a->page);
        }
}

Test(layout, blocks_stay_inside_the_page_and_never_overlap)
{
    for (int filler = 0; filler < 30; filler += 3) {
        char *md = doc_with_filler(filler, 12);
        document *d = md_document(md, filler % 2 ? BAND_KS2 : BAND_NONE, READING_STANDARD);
        tag_doc(d);
        layout_info info;
        measure(d, &info);
        cr_assert_gt(info.nblocks, 5);
        check_blocks_inside_page(&info);
        check_no_overlap(&info);
        layout_info_free(&info);
        document_free(d);
        free(md);
    }
}

Test(layout, signature_block_never_splits)
{
    /* Step the filler so the acknowledgement lands across every possible
     * point of the first page break. */
    int moved = 0;
    for (int filler = 0; filler < 60; filler++) {
        char *md = doc_with_filler(filler, 3);
        document *d = md_document(md, BAND_KS2, READING_EASY);
        tag_doc(d);
        layout_info info;
        measure(d, &info);
        int fragments = 0, page = 0;
        for (size_t i = 0; i < info.nblocks; i++)
            if (info.blocks[i].tag && info.blocks[i].tag->kind == TAG_SIGNATURE)
                fragments++, page = info.blocks[i].page;
        cr_assert_eq(fragments, 1, "signature in %d pieces with %d fillers", fragments, filler);
        if (page > 1)
            moved++;
        layout_info_free(&info);
        document_free(d);
        free(md);
    }
    cr_assert_gt(moved, 0, "the test never pushed the signature to page 2");
}

Test(layout, no_widows_or_orphans_and_headings_keep_with_next)
{
    for (int filler = 1; filler < 40; filler++) {
        char *md = doc_with_filler(filler, 9);
        document *d = md_document(md, BAND_NONE, READING_STANDARD);
        layout_info info;
        measure(d, &info);
        double line = info.body_size * 1.2;
        for (size_t i = 0; i < info.nblocks; i++) {
            const layout_block *b = &info.blocks[i];
            if (!b->node)
                continue;
            cmark_node_type ty = cmark_node_get_type(b->node);
            bool split = (i > 0 && info.blocks[i - 1].node == b->node) ||
                         (i + 1 < info.nblocks && info.blocks[i + 1].node == b->node);
            for (size_t j = 0; j < info.nblocks && !split; j++)
                split = j != i && info.blocks[j].node == b->node;
            if (ty == CMARK_NODE_PARAGRAPH && split)
                cr_assert_geq(b->h, 2 * line, "a lone line of a split paragraph (filler %d)",
                              filler);
            if (ty == CMARK_NODE_HEADING) {
                cmark_node *next = cmark_node_next(b->node);
                for (size_t j = 0; next && j < info.nblocks; j++)
                    if (info.blocks[j].node == next) {
                        cr_assert_eq(info.blocks[j].page, b->page, "heading left alone");
                        break;
                    }
            }
        }
        layout_info_free(&info);
        document_free(d);
        free(md);
    }
}

Test(layout, empty_section_at_the_end)
{
    document *d = md_document("# Title\n\nSome text.\n\n## Nothing follows\n", BAND_NONE,
                           READING_STANDARD);
    layout_info info;
    measure(d, &info);
    cr_assert_eq(info.pages, 1);
    bool found = false;
    for (size_t i = 0; i < info.nblocks; i++)
        found = found || (info.blocks[i].node &&
                          cmark_node_get_type(info.blocks[i].node) == CMARK_NODE_HEADING &&
                          cmark_node_get_heading_level(info.blocks[i].node) == 2);
    cr_assert(found);
    layout_info_free(&info);
    document_free(d);
}

Test(layout, empty_document)
{
    document *d = md_document("", BAND_NONE, READING_STANDARD);
    free(d->title);
    d->title = NULL;
    layout_info info;
    measure(d, &info);
    cr_assert_eq(info.pages, 1);
    cr_assert_eq(info.nblocks, 0);
    cr_assert_eq(layout_core_pages(&info), 0);
    layout_info_free(&info);
    document_free(d);
}

Test(layout, core_pages_is_where_the_last_statement_ends)
{
    strbuf md = {0};
    sb_puts(&md, "# Policy\n\n- I will be kind.\n- I will be safe.\n\n");
    for (int i = 0; i < 90; i++)
        sb_printf(&md, "Information paragraph %d, not a statement, with some words.\n\n", i);
    document *d = md_document(md.data, BAND_NONE, READING_STANDARD);
    tag_doc(d);
    layout_info info;
    measure(d, &info);
    cr_assert_geq(info.pages, 2);
    cr_assert_eq(layout_core_pages(&info), 1);
    layout_info_free(&info);
    document_free(d);

    sb_puts(&md, "- I will not bully anyone.\n");
    d = md_document(md.data, BAND_NONE, READING_STANDARD);
    tag_doc(d);
    measure(d, &info);
    cr_assert_eq(layout_core_pages(&info), info.pages);
    layout_info_free(&info);
    document_free(d);
    sb_free(&md);
}

/* Layout's own operations: what the renderer is told to draw. */
static size_t count_ops(const layout *l, ts_op_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < l->ops.n; i++)
        n += l->ops.v[i].kind == kind;
    return n;
}

static ts_doc *run_layout(const document *d, layout *l)
{
    diag_list dl = {0};
    ts_doc *doc = layout_doc_new(&d, 1, NULL);
    cr_assert_not_null(doc);
    cr_assert_eq(layout_run(d, ts_doc_fonts(doc), l, &dl), 0);
    diag_free(&dl);
    return doc;
}

Test(layout, ticks_and_crosses_for_young_readers_only)
{
    const char *md = "- I will be kind.\n- I will not bully.\n- I will ask.\n";
    reading_level reading[] = {READING_STANDARD, READING_EASY, READING_STANDARD};
    pupil_band band[] = {BAND_KS2, BAND_NONE, BAND_NONE};
    size_t ticks[] = {2, 2, 0}, crosses[] = {1, 1, 0}, bullets[] = {0, 0, 3};
    for (int i = 0; i < 3; i++) {
        document *d = md_document(md, band[i], reading[i]);
        tag_doc(d);
        layout l;
        ts_doc *doc = run_layout(d, &l);
        cr_assert_eq(count_ops(&l, TS_TICK), ticks[i], "case %d", i);
        cr_assert_eq(count_ops(&l, TS_CROSS), crosses[i], "case %d", i);
        cr_assert_eq(count_ops(&l, TS_BULLET), bullets[i], "case %d", i);
        layout_free(&l);
        ts_doc_free(doc);
        document_free(d);
    }
}

Test(layout, easy_read_has_no_italics_and_a_narrow_measure)
{
    document *d = md_document("Some *emphasis* and **strong** text, and a long line of ordinary "
                           "words that has to wrap because it goes on and on and on and on and "
                           "on and on and on and on past the measure.\n",
                           BAND_NONE, READING_EASY);
    layout l;
    ts_doc *doc = run_layout(d, &l);
    size_t longest = 0;
    for (size_t i = 0; i < l.ops.n; i++) {
        if (l.ops.v[i].kind != TS_TEXT)
            continue;
        cr_assert(l.ops.v[i].font != FONT_ITALIC && l.ops.v[i].font != FONT_BOLD_ITALIC);
        cr_assert_geq(l.ops.v[i].size, 14);
    }
    /* Join each line's text: 60-70 characters at most. */
    double y = -1;
    size_t len = 0;
    for (size_t i = 0; i < l.ops.n; i++) {
        if (l.ops.v[i].kind != TS_TEXT)
            continue;
        len = fabs(l.ops.v[i].y - y) < 0.01 ? len + 1 + strlen(l.ops.v[i].text)
                                           : strlen(l.ops.v[i].text);
        y = l.ops.v[i].y;
        if (len > longest)
            longest = len;
    }
    cr_assert_leq(longest, 72, "a line of %zu characters", longest);
    cr_assert_geq(longest, 50, "lines of only %zu characters", longest);
    cr_assert(l.style.easy);
    layout_free(&l);
    ts_doc_free(doc);
    document_free(d);
}

Test(layout, young_pupils_get_larger_type)
{
    document *d = md_document("Hello.\n", BAND_EARLY, READING_STANDARD);
    layout_info info;
    measure(d, &info);
    cr_assert(info.body_size >= 13 && info.body_size <= 14);
    layout_info_free(&info);
    document_free(d);
}

Test(layout, measure_agrees_with_render)
{
    char *md = doc_with_filler(25, 10);
    document *d = md_document(md, BAND_KS2, READING_STANDARD);
    tag_doc(d);
    layout_info a, b;
    measure(d, &a);
    strbuf out = {0};
    diag_list dl = {0};
    cr_assert_eq(pdf_render(d, NULL, NULL, &out, &b, &dl), 0);
    cr_assert_eq(a.pages, b.pages);
    cr_assert_eq(a.nblocks, b.nblocks);
    for (size_t i = 0; i < a.nblocks; i++)
        cr_assert(a.blocks[i].page == b.blocks[i].page && a.blocks[i].y == b.blocks[i].y);
    sb_free(&out);
    diag_free(&dl);
    layout_info_free(&a);
    layout_info_free(&b);
    document_free(d);
    free(md);
}
