/* The incident flowchart: its data, its automatic layout and where it
 * lands in the staff documents. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowchart.h"
#include "helpers.h"
#include "render.h"
#include "render_pdf.h"
#include "util/io.h"

/* A4 with the layout's margins, as layout_init_page sets them. */
static void page_area(double *x, double *y, double *w, double *h)
{
    layout l;
    layout_init_page(&l);
    *x = l.left, *y = l.bottom, *w = l.right - l.left, *h = l.top - l.bottom;
    layout_free(&l);
}

static flowchart *parse(const char *xml, diag_list *dl)
{
    return flowchart_parse("test.xml", xml, strlen(xml), dl);
}

Test(flowchart, builtin_loads_and_covers_the_guidance)
{
    diag_list dl = {0};
    const flowchart *fc = flowchart_builtin(&dl);
    cr_assert_not_null(fc, "%s", dl.count ? dl.items[0].message : "?");
    cr_assert_geq(fc->nnodes, 12);
    /* The routes the guidance asks for, by node id. */
    static const char *const ids[] = {"call-999", "allegation", "unsuitable", "evidence",
                                      "social-care", "iwf", "ceop", "police", "internal",
                                      "debrief", "review"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        bool found = false;
        for (size_t n = 0; n < fc->nnodes; n++)
            found |= !strcmp(fc->nodes[n].id, ids[i]);
        cr_expect(found, "no node '%s'", ids[i]);
    }
    size_t decisions = 0;
    for (size_t n = 0; n < fc->nnodes; n++) {
        if (fc->nodes[n].kind != FLOW_DECISION)
            continue;
        decisions++;
        size_t outs[8], m = flowchart_out_edges(fc, n, outs, 8);
        cr_expect_geq(m, 2, "question '%s' has %zu answers", fc->nodes[n].id, m);
        for (size_t j = 0; j < m; j++)
            cr_expect_not_null(fc->edges[outs[j]].label);
    }
    cr_expect_geq(decisions, 3);
    diag_free(&dl);
}

Test(flowchart, steps_are_numbered_so_every_go_to_points_forward)
{
    const flowchart *fc = flowchart_builtin(NULL);
    cr_assert_not_null(fc);
    for (size_t k = 0; k < fc->nnodes; k++)
        cr_expect_eq(fc->nodes[fc->order[k]].step, (int)k + 1);
    cr_expect_eq(fc->nodes[fc->order[0]].kind, FLOW_START);
    for (size_t e = 0; e < fc->nedges; e++)
        cr_expect_lt(fc->nodes[fc->edges[e].from].step, fc->nodes[fc->edges[e].to].step);
}

static bool overlap(const flow_box *a, const flow_box *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Lay the chart out in X, Y, W, H and hold it to the rules a reader needs. */
static void check_layout(const flowchart *fc, ts_fonts *f, double x, double y, double w,
                         double h)
{
    flow_layout fl;
    cr_assert_eq(flowchart_layout(fc, f, x, y, w, h, &fl), 0, "the chart does not fit");
    cr_assert_eq(fl.nboxes, fc->nnodes);
    cr_expect_geq(fl.font_size, 6.0, "type too small to read: %.2f pt", fl.font_size);
    for (size_t i = 0; i < fl.nboxes; i++) {
        const flow_box *b = &fl.boxes[i];
        const char *id = fc->nodes[i].id;
        cr_expect_geq(b->x, x - 1e-6, "'%s' starts left of the margin (%.1f)", id, b->x);
        cr_expect_leq(b->x + b->w, x + w + 1e-6, "'%s' passes the right margin", id);
        cr_expect_geq(b->y, y - 1e-6, "'%s' runs below the area", id);
        cr_expect_leq(b->y + b->h, y + h + 1e-6, "'%s' runs above the area", id);
        cr_expect_gt(fl.ntext[i], 0, "'%s' has no text", id);
        /* Every line of text fits inside its box. */
        for (size_t t = 0; t < fl.ntext[i]; t++) {
            double tw = ts_width(f, fc->nodes[i].kind == FLOW_ACTION ? FONT_REGULAR : FONT_BOLD,
                                     fl.font_size, fl.text[i][t], strlen(fl.text[i][t]));
            cr_expect_leq(tw, b->w, "'%s' line %zu is wider than its box", id, t);
        }
        cr_expect_leq((double)fl.ntext[i] * fl.leading, b->h + 1e-6, "'%s' text overflows", id);
        for (size_t j = i + 1; j < fl.nboxes; j++)
            cr_expect_not(overlap(b, &fl.boxes[j]), "'%s' and '%s' overlap", id,
                          fc->nodes[j].id);
    }
    /* Arrows run from the source box to the target box and through no other box. */
    for (size_t e = 0; e < fl.npaths; e++) {
        const flow_path *p = &fl.paths[e];
        size_t from = fc->edges[e].from, to = fc->edges[e].to;
        cr_assert_geq(p->npts, 2);
        const flow_box *fb = &fl.boxes[from], *tb = &fl.boxes[to];
        cr_expect_lt(fabs(p->pts[0].y - fb->y), 0.01, "edge %zu leaves its box's foot", e);
        cr_expect_lt(fabs(p->pts[p->npts - 1].y - (tb->y + tb->h)), 0.01,
                     "edge %zu ends on its target's head", e);
        for (size_t k = 0; k + 1 < p->npts; k++) {
            /* Segments are axis-parallel: test each against every other box. */
            double x0 = fmin(p->pts[k].x, p->pts[k + 1].x), x1 = fmax(p->pts[k].x, p->pts[k + 1].x);
            double y0 = fmin(p->pts[k].y, p->pts[k + 1].y), y1 = fmax(p->pts[k].y, p->pts[k + 1].y);
            cr_expect(x0 == x1 || y0 == y1, "edge %zu has a slanted segment", e);
            for (size_t i = 0; i < fl.nboxes; i++) {
                const flow_box *b = &fl.boxes[i];
                bool inside = x1 > b->x + 0.01 && x0 < b->x + b->w - 0.01 &&
                              y1 > b->y + 0.01 && y0 < b->y + b->h - 0.01;
                cr_expect_not(inside, "edge %s -> %s crosses box '%s'", fc->nodes[from].id,
                              fc->nodes[to].id, fc->nodes[i].id);
            }
        }
    }
    flow_layout_free(&fl);
}

static document *small_doc(const char *name)
{
    document *d = document_new();
    d->title = xstrdup("Test");
    d->setting_name = xstrdup(name);
    return d;
}

Test(flowchart, boxes_never_overlap_and_stay_inside_the_margins)
{
    const flowchart *fc = flowchart_builtin(NULL);
    cr_assert_not_null(fc);
    document *d = small_doc("Oakfield Primary School");
    pdf_book *b = pdf_book_new((const document *const *)&d, 1, NULL);
    double x, y, w, h;
    page_area(&x, &y, &w, &h);
    check_layout(fc, pdf_book_fonts(b), x, y, w, h);
    /* A shorter area, as under the annex's heading, and a narrow one. */
    check_layout(fc, pdf_book_fonts(b), x, y, w, h - 120);
    check_layout(fc, pdf_book_fonts(b), x + 60, y, w - 120, h - 60);
    pdf_book_free(b);
    document_free(d);
}

Test(flowchart, unicode_fonts_lay_out_too)
{
    const flowchart *fc = flowchart_builtin(NULL);
    document *d = small_doc("Ysgol Gymraeg Glan-y-M\xC3\xB4r \xC5\xB5");
    pdf_book *b = pdf_book_new((const document *const *)&d, 1, NULL);
    cr_assert(ts_utf8(pdf_book_fonts(b)));
    double x, y, w, h;
    page_area(&x, &y, &w, &h);
    check_layout(fc, pdf_book_fonts(b), x, y, w, h - 80);
    pdf_book_free(b);
    document_free(d);
}

Test(flowchart, too_small_an_area_is_reported_not_overdrawn)
{
    const flowchart *fc = flowchart_builtin(NULL);
    document *d = small_doc("S");
    pdf_book *b = pdf_book_new((const document *const *)&d, 1, NULL);
    flow_layout fl;
    cr_expect_eq(flowchart_layout(fc, pdf_book_fonts(b), 50, 50, 200, 100, &fl), -1);
    flow_layout_free(&fl);
    pdf_book_free(b);
    document_free(d);
}

#define FLOW_HEAD "<?xml version=\"1.0\"?>\n<flow xmlns=\"urn:aupc:flow:1\">\n<title>T</title>\n"

Test(flowchart, broken_charts_are_errors_with_a_line)
{
    static const struct {
        const char *xml, *want;
    } cases[] = {
        {FLOW_HEAD "<node id=\"a\" kind=\"start\">A</node>\n<node id=\"b\" kind=\"end\">B</node>\n"
                   "<edge from=\"a\" to=\"c\"/>\n</flow>\n", "c"},
        {FLOW_HEAD "<node id=\"a\" kind=\"start\">A</node>\n<node id=\"q\" kind=\"decision\">Q?</node>\n"
                   "<node id=\"b\" kind=\"end\">B</node>\n<edge from=\"a\" to=\"q\"/>\n"
                   "<edge from=\"q\" to=\"b\" label=\"Yes\"/>\n<edge from=\"q\" to=\"b\"/>\n</flow>\n",
         "label"},
        {FLOW_HEAD "<node id=\"a\" kind=\"start\">A</node>\n<node id=\"b\" kind=\"action\">B</node>\n"
                   "<node id=\"c\" kind=\"action\">C</node>\n<edge from=\"a\" to=\"b\"/>\n"
                   "<edge from=\"b\" to=\"c\"/>\n<edge from=\"c\" to=\"b\"/>\n</flow>\n", "circle"},
        {FLOW_HEAD "<node id=\"a\" kind=\"start\">A</node>\n<node id=\"b\" kind=\"end\">B</node>\n"
                   "<node id=\"x\" kind=\"end\">X</node>\n<edge from=\"a\" to=\"b\"/>\n</flow>\n",
         "cannot be reached"},
        {FLOW_HEAD "<node id=\"a\" kind=\"action\">A</node>\n<node id=\"b\" kind=\"end\">B</node>\n"
                   "<edge from=\"a\" to=\"b\"/>\n</flow>\n", "start"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        diag_list dl = {0};
        flowchart *fc = parse(cases[i].xml, &dl);
        cr_expect_null(fc, "case %zu was accepted", i);
        cr_assert_gt(dl.count, 0, "case %zu: no message", i);
        bool said = false;
        for (size_t k = 0; k < dl.count; k++)
            said |= strstr(dl.items[k].message, cases[i].want) != NULL;
        cr_expect(said, "case %zu: '%s' not in '%s'", i, cases[i].want, dl.items[0].message);
        flowchart_free(fc);
        diag_free(&dl);
    }
}

Test(flowchart, staff_pdf_draws_every_node_on_a_page_of_its_own, .timeout = 60)
{
    if (!have_program("pdftotext") || !have_program("pdfinfo"))
        cr_skip_test("poppler-utils not installed");
    const flowchart *fc = flowchart_builtin(NULL);
    char *tmp = make_tmpdir();
    char *ex = src_path("examples");
    static const char *const examples[] = {"oakfield-primary", "ysgol-glan-y-mor"};
    for (size_t x = 0; x < 2; x++) {
        char *args = xasprintf("compile -q -f pdf,md,html -o %s %s/%s.xml", tmp, ex, examples[x]);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        free(args);
        char *pdf = xasprintf("%s/%s/staff.pdf", tmp, examples[x]);
        int pages = pdf_page_count(pdf), at = 0;
        for (int p = 1; p <= pages && !at; p++) {
            char *t = pdf_text(pdf, p, p, true);
            if (strstr(t, fc->title))
                at = p;
            free(t);
        }
        cr_assert_gt(at, 1, "%s: no flowchart page", examples[x]);
        char *t = pdf_text(pdf, at, at, true);
        /* The page holds the chart and nothing of the policy or the contacts. */
        cr_expect(strncmp(t, fc->title, strlen(fc->title)) == 0 || strstr(t, fc->title) < t + 200,
                  "%s: the annex does not open its page", examples[x]);
        cr_expect_null(strstr(t, "local contacts"), "%s: the contacts share the chart's page",
                       examples[x]);
        for (size_t n = 0; n < fc->nnodes; n++)
            cr_expect_not_null(strstr(t, fc->nodes[n].text), "%s: '%s' missing from page %d",
                               examples[x], fc->nodes[n].text, at);
        free(t);
        /* The policy before it ends on an earlier page; the contacts follow. */
        char *next = pdf_text(pdf, at + 1, at + 1, true);
        cr_expect_not_null(strstr(next, "local contacts"), "%s: contacts annex not next",
                           examples[x]);
        free(next);
        /* Markdown and HTML carry the numbered steps. */
        char *mdp = xasprintf("%s/%s/staff.md", tmp, examples[x]);
        char *md = slurp(mdp);
        cr_assert_not_null(md);
        char *want = xasprintf("1.  %s", fc->nodes[fc->order[0]].text);
        cr_expect_not_null(strstr(md, want), "%s: steps missing from Markdown", examples[x]);
        cr_expect_not_null(strstr(md, "Yes: go to "), "%s", examples[x]);
        free(want);
        free(md);
        free(mdp);
        char *htp = xasprintf("%s/%s/staff.html", tmp, examples[x]);
        char *html = slurp(htp);
        cr_expect_not_null(strstr(html, "<ol>"));
        cr_expect_not_null(strstr(html, "No: go to "));
        free(html);
        free(htp);
        free(pdf);
    }
    free(ex);
    remove_tree(tmp);
    free(tmp);
}

Test(flowchart, markdown_list_reads_as_decisions)
{
    const flowchart *fc = flowchart_builtin(NULL);
    document *d = document_new();
    d->root = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_node_append_child(d->root, flowchart_block(fc, d));
    d->title = xstrdup("T");
    char *md = render_md(d);
    /* Every question ends in its answers, each naming a step. */
    for (size_t k = 0; k < fc->nnodes; k++) {
        const flow_node *n = &fc->nodes[fc->order[k]];
        char *line = xasprintf("\n%zu.", k + 1);
        const char *at = strstr(md, line);
        cr_assert_not_null(at, "step %zu missing", k + 1);
        const char *eol = strchr(at + 1, '\n');
        char *one = xstrndup(at + 1, eol ? (size_t)(eol - at - 1) : strlen(at + 1));
        if (n->kind == FLOW_DECISION) {
            cr_expect_not_null(strstr(one, "Yes: go to "), "%s", one);
            cr_expect_not_null(strstr(one, "No: go to "), "%s", one);
        } else if (n->kind != FLOW_END) {
            cr_expect_not_null(strstr(one, "Then go to "), "%s", one);
        }
        free(one);
        free(line);
    }
    free(md);
    document_free(d);
}
