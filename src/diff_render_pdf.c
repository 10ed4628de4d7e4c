/* diff_render_pdf: a change set as an A4 PDF redline. */
#include "diff_render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "typeset.h"

/* PDF: an A4 redline. The pages are laid out first as typeset's drawing
 * operations, so the footer can say "page N of M", then drawn in order. */

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 56.0
#define BODY 10.0
#define LEADING 13.5

enum { DECO_NONE, DECO_DEL, DECO_INS };

static const double colours[3][3] = {{0, 0, 0}, {0.72, 0.05, 0.05}, {0.0, 0.42, 0.12}};

typedef struct {
    ts_fonts *f;
    ts_ops ops;
    int page;            /* current page, 1-based */
    double y;            /* baseline of the next line */
    /* Structure: the elements, the one new text belongs to, the type of
     * the next paragraph, and whether its marked words are only decoration. */
    ts_tree tree;
    int elem;
    ts_role role;
    bool plain_marks;
} pdf_ctx;

/* An operation on the current page, black, in the current element. */
static ts_op *op_add(pdf_ctx *c, ts_op_kind kind)
{
    ts_op *o = ts_push(&c->ops, kind, 0, 0, 0, 0);
    o->page = c->page;
    o->r = o->g = o->b = 0;
    o->elem = c->elem;
    return o;
}

/* The line through (DECO_DEL) or under (DECO_INS) W points of text of
 * SIZE whose baseline starts at X, Y. */
static void deco_rule(pdf_ctx *c, double x, double y, double w, double size, int deco)
{
    ts_op *o = op_add(c, TS_RULE);
    o->x = x, o->y = deco == DECO_DEL ? y + size * 0.3 : y - size * 0.15, o->w = w;
    o->line_width = 0.8, o->elem = TS_ARTIFACT;
    o->r = colours[deco][0], o->g = colours[deco][1], o->b = colours[deco][2];
}

static void new_page(pdf_ctx *c)
{
    c->page++;
    c->y = PAGE_H - MARGIN;
}

static void need(pdf_ctx *c, double h)
{
    if (c->y - h < MARGIN + 20)
        new_page(c);
}

/* One run of text, wrapped at the margin: words of style DECO in FONT. */
typedef struct {
    const char *text;
    int font, deco;
    bool space_before;
} run;

/* A span of PARA for run R; words taken out or put in say so to a reader
 * who cannot see the colour. */
static int run_span(pdf_ctx *c, int para, const run *r)
{
    int span = ts_tree_add(&c->tree, para, TS_SPAN);
    if (r->deco != DECO_NONE) {
        char *alt = xasprintf("%s: %s", r->deco == DECO_DEL ? "taken out" : "put in", r->text);
        ts_tree_set_alt(&c->tree, span, alt);
        free(alt);
    }
    return span;
}

/* A paragraph (of c->role) of RUNS. When some are marked, each run is a
 * span of its own. */
static void put_runs(pdf_ctx *c, const run *runs, size_t n, double indent, double size,
                     double leading)
{
    double left = MARGIN + indent, right = PAGE_W - MARGIN, x = left;
    double space = ts_width(c->f, FONT_REGULAR, size, " ", 1);
    need(c, leading);
    int para = ts_tree_add(&c->tree, -1, c->role);
    bool spans = false;
    for (size_t i = 0; i < n && !c->plain_marks; i++)
        spans |= runs[i].deco != DECO_NONE;
    c->role = TS_P, c->plain_marks = false;
    bool line_start = true;
    size_t last = (size_t)-1;    /* the paragraph's last word's operation */
    for (size_t i = 0; i < n; i++) {
        c->elem = spans ? run_span(c, para, &runs[i]) : para;
        char *enc = ts_encode(c->f, runs[i].text);
        bool first = true;
        for (char *p = enc; *p;) {
            bool sp = first ? runs[i].space_before : false;
            while (*p == ' ')
                p++, sp = true;
            if (!*p)
                break;
            size_t len = strcspn(p, " ");
            double w = ts_width(c->f, runs[i].font, size, p, len);
            /* A word longer than the line is cut where it must be. */
            while (w > right - left && len > 1) {
                len--;
                w = ts_width(c->f, runs[i].font, size, p, len);
            }
            double gap = line_start ? 0 : (sp ? space : 0);
            if (!line_start && x + gap + w > right) {
                c->y -= leading;
                need(c, leading);
                x = left, gap = 0;
            }
            const double *col = colours[runs[i].deco];
            if (sp && last != (size_t)-1) {
                /* The space goes at the end of the word before, so that
                 * text read out of the page keeps the words apart. */
                ts_op *prev = &c->ops.v[last];
                size_t plen = strlen(prev->text);
                prev->text = xrealloc(prev->text, plen + 2);
                memcpy(prev->text + plen, " ", 2);
            }
            if (gap > 0 && runs[i].deco != DECO_NONE && !first)
                /* Keep the line continuous across a space inside a run. */
                deco_rule(c, x, c->y, gap, size, runs[i].deco);
            x += gap;
            last = c->ops.n;
            ts_op *o = op_add(c, TS_TEXT);
            o->x = x, o->y = c->y, o->w = w, o->font = runs[i].font, o->size = size;
            o->r = col[0], o->g = col[1], o->b = col[2];
            o->text = xstrndup(p, len);
            if (runs[i].deco != DECO_NONE)
                deco_rule(c, x, c->y, w, size, runs[i].deco);
            x += w;
            p += len;
            line_start = false;
            first = false;
        }
        free(enc);
    }
    c->y -= leading;
}

static void put_text(pdf_ctx *c, const char *text, int font, double size, double indent,
                     int deco)
{
    run r = {text, font, deco, false};
    put_runs(c, &r, 1, indent, size, size * 1.35);
}

static void put_heading(pdf_ctx *c, const char *text, double size)
{
    need(c, size * 1.4 + 3 * LEADING);
    c->y -= size * 0.7;
    c->role = TS_H2;
    put_text(c, text, FONT_BOLD, size, 0, DECO_NONE);
    c->y -= 2;
}

static void put_rule(pdf_ctx *c, double x, double y, double w, double grey)
{
    ts_op *o = op_add(c, TS_RULE);
    o->x = x, o->y = y, o->w = w, o->line_width = 0.4, o->r = o->g = o->b = grey;
    o->elem = TS_ARTIFACT;
}

static void put_bar(pdf_ctx *c, double x, double y, double w, double h, double grey)
{
    ts_op *o = op_add(c, TS_BAR);
    o->x = x, o->y = y, o->w = w, o->h = h, o->r = o->g = o->b = grey;
    o->elem = TS_ARTIFACT;
}

static void put_cell(pdf_ctx *c, const char *text, int font, double x, double y, double maxw,
                     bool right_align)
{
    char *enc = ts_encode(c->f, text);
    size_t len = strlen(enc);
    double w = ts_width(c->f, font, BODY - 1, enc, len);
    char *shown = xstrdup(enc);
    if (w > maxw) {
        /* Too long for the column: cut it and say so. */
        double dots = ts_width(c->f, font, BODY - 1, "...", 3);
        while (len > 1 && (w = ts_width(c->f, font, BODY - 1, enc, len)) + dots > maxw)
            len--;
        free(shown);
        shown = xasprintf("%.*s...", (int)len, enc);
        w += dots;
    }
    ts_op *o = op_add(c, TS_TEXT);
    o->x = right_align ? x + maxw - w : x, o->y = y, o->w = w, o->font = font, o->size = BODY - 1;
    o->text = shown;
    free(enc);
}

static void summary_table(pdf_ctx *c, const diff_result *r)
{
    static const char *const head[] = {"Audience", "Document", "Added", "Removed", "Reworded",
                                       "Moved"};
    const double width = PAGE_W - 2 * MARGIN;
    const double colx[] = {0, 0.46, 0.58, 0.67, 0.79, 0.91};
    const double row = 16;
    need(c, row * 3);
    put_bar(c, MARGIN, c->y - 4.5, width, row, 0.88);
    int table = ts_tree_add(&c->tree, -1, TS_TABLE);
    int tr = ts_tree_add(&c->tree, table, TS_TR);
    for (int k = 0; k < 6; k++) {
        double x = MARGIN + 4 + colx[k] * width;
        double next = k < 5 ? MARGIN + colx[k + 1] * width : MARGIN + width - 4;
        c->elem = ts_tree_add(&c->tree, tr, TS_TH);
        put_cell(c, head[k], FONT_BOLD, x, c->y, next - x - 4, k >= 2);
    }
    c->y -= row;
    size_t tot[CH_KIND_COUNT];
    diff_totals(r, tot);
    for (size_t i = 0; i <= r->naudiences; i++) {
        need(c, row);
        const diff_audience *a = i < r->naudiences ? &r->audiences[i] : NULL;
        const size_t *n = a ? a->counts : tot;
        char cells[6][160];
        bool two = false;
        if (a) {
            snprintf(cells[0], sizeof cells[0], "%s (%s)", a->label, a->id);
            char *enc = ts_encode(c->f, cells[0]);
            /* A long label puts the id on a line of its own. */
            two = ts_width(c->f, FONT_REGULAR, BODY - 1, enc, strlen(enc)) >
                  colx[1] * width - 8;
            free(enc);
            if (two) {
                need(c, 2 * row);
                snprintf(cells[0], sizeof cells[0], "%s", a->label);
            }
        } else {
            snprintf(cells[0], sizeof cells[0], "Total");
        }
        snprintf(cells[1], sizeof cells[1], "%s", a ? diff_audience_status_name(a->status) : "");
        snprintf(cells[2], sizeof cells[2], "%zu", n[CH_ADDED]);
        snprintf(cells[3], sizeof cells[3], "%zu", n[CH_REMOVED]);
        snprintf(cells[4], sizeof cells[4], "%zu", n[CH_REWORDED]);
        snprintf(cells[5], sizeof cells[5], "%zu", n[CH_MOVED]);
        tr = ts_tree_add(&c->tree, table, TS_TR);
        for (int k = 0; k < 6; k++) {
            double x = MARGIN + 4 + colx[k] * width;
            double next = k < 5 ? MARGIN + colx[k + 1] * width : MARGIN + width - 4;
            c->elem = ts_tree_add(&c->tree, tr, TS_TD);
            put_cell(c, cells[k], a ? FONT_REGULAR : FONT_BOLD, x, c->y, next - x - 4, k >= 2);
            if (k == 0 && two) {
                char id[64];
                snprintf(id, sizeof id, "(%s)", a->id);
                put_cell(c, id, FONT_REGULAR, MARGIN + 4, c->y - (BODY + 1),
                         colx[1] * width - 8, false);
            }
        }
        if (two)
            c->y -= BODY + 1;
        put_rule(c, MARGIN, c->y - 5, width, 0.6);
        c->y -= row;
    }
    c->y -= 4;
    if (r->mode == DIFF_PROFILES) {
        char line[64];
        snprintf(line, sizeof line, "Settings changed: %zu.", r->nsettings);
        put_text(c, line, FONT_REGULAR, BODY, 0, DECO_NONE);
    }
}

static void words_runs(const word_diff *w, run **out, size_t *n)
{
    *out = xcalloc(w->count + 1, sizeof **out);
    *n = w->count;
    for (size_t i = 0; i < w->count; i++) {
        const diff_seg *s = &w->segs[i];
        (*out)[i] = (run){s->text, s->kind == SEG_SAME ? FONT_REGULAR : FONT_BOLD,
                          s->kind == SEG_DEL ? DECO_DEL : s->kind == SEG_INS ? DECO_INS : DECO_NONE,
                          i > 0 && (s->space_before ||
                                    (s->kind == SEG_INS && w->segs[i - 1].kind == SEG_DEL))};
    }
}

static void collect_text(strbuf *all, const diff_result *r)
{
    const diff_side *sides[] = {&r->old_side, &r->new_side};
    for (int i = 0; i < 2; i++) {
        sb_puts(all, sides[i]->file);
        sb_puts(all, sides[i]->setting ? sides[i]->setting : "");
        sb_puts(all, sides[i]->version ? sides[i]->version : "");
    }
    const diff_setting *lists[] = {r->review, r->settings};
    size_t counts[] = {r->nreview, r->nsettings};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const diff_setting *s = &lists[l][i];
            sb_puts(all, s->label);
            sb_puts(all, s->old_value ? s->old_value : "");
            sb_puts(all, s->new_value ? s->new_value : "");
        }
    for (size_t i = 0; i < r->naudiences; i++) {
        sb_puts(all, r->audiences[i].label);
        for (size_t k = 0; k < r->audiences[i].count; k++) {
            const diff_change *c = &r->audiences[i].changes[k];
            sb_puts(all, c->section ? c->section : "");
            sb_puts(all, c->old_text ? c->old_text : "");
            sb_puts(all, c->new_text ? c->new_text : "");
        }
    }
}

static void layout_redline(pdf_ctx *c, const diff_result *r, const diff_render_opts *o)
{
    new_page(c);
    c->role = TS_H1;
    put_text(c, "Changes to the acceptable use policies", FONT_BOLD, 18, 0, DECO_NONE);
    c->y -= 4;
    strbuf t = {0};
    sb_puts(&t, "Old: ");
    diff_render_side(&t, &r->old_side);
    put_text(c, t.data, FONT_REGULAR, BODY, 0, DECO_NONE);
    sb_free(&t);
    sb_puts(&t, "New: ");
    diff_render_side(&t, &r->new_side);
    put_text(c, t.data, FONT_REGULAR, BODY, 0, DECO_NONE);
    sb_free(&t);
    if (diff_identical(r)) {
        c->y -= 6;
        put_text(c, "No changes.", FONT_BOLD, BODY + 2, 0, DECO_NONE);
        return;
    }
    c->y -= 4;
    run legend[] = {{"Key:", FONT_BOLD, DECO_NONE, false},
                    {"words taken out", FONT_BOLD, DECO_DEL, true},
                    {"are struck through in red;", FONT_REGULAR, DECO_NONE, true},
                    {"words put in", FONT_BOLD, DECO_INS, true},
                    {"are underlined in green.", FONT_REGULAR, DECO_NONE, true}};
    c->plain_marks = true;     /* the key's words only show the marks */
    put_runs(c, legend, 5, 0, BODY, LEADING);
    put_heading(c, "Summary", 13);
    summary_table(c, r);
    if (o->stat)
        return;
    if (r->nreview) {
        put_heading(c, "Review", 13);
        for (size_t i = 0; i < r->nreview; i++) {
            const diff_setting *s = &r->review[i];
            char *label = xasprintf("%s:", s->label);
            char *verdict = xasprintf("(%s)", diff_render_verdict(s->verdict));
            bool kept = !strcmp(s->verdict, "kept");
            run rs[] = {{label, FONT_BOLD, DECO_NONE, false},
                        {diff_render_or_none(kept ? s->new_value : s->old_value), FONT_REGULAR,
                         kept ? DECO_NONE : DECO_DEL, true},
                        {diff_render_or_none(s->new_value), FONT_REGULAR, DECO_INS, true},
                        {verdict, FONT_REGULAR, DECO_NONE, true}};
            if (kept)
                rs[2] = rs[3];
            put_runs(c, rs, kept ? 3 : 4, 0, BODY, LEADING);
            free(label);
            free(verdict);
        }
    }
    if (r->nsettings) {
        put_heading(c, "Settings changed", 13);
        for (size_t i = 0; i < r->nsettings; i++) {
            const diff_setting *s = &r->settings[i];
            need(c, 2 * LEADING);
            put_text(c, s->label, FONT_BOLD, BODY, 0, DECO_NONE);
            if (s->old_value && s->new_value) {
                word_diff w;
                word_diff_compute(s->old_value, s->new_value, &w);
                run *rs;
                size_t n;
                words_runs(&w, &rs, &n);
                put_runs(c, rs, n, 12, BODY, LEADING);
                free(rs);
                word_diff_free(&w);
            } else {
                run r1 = {s->old_value ? s->old_value : s->new_value, FONT_REGULAR,
                          s->old_value ? DECO_DEL : DECO_INS, false};
                put_runs(c, &r1, 1, 12, BODY, LEADING);
            }
            for (int added = 1; added >= 0; added--) {
                if (!diff_render_has_effect(s, added))
                    continue;
                strbuf e = {0};
                sb_puts(&e, added ? "Brought in: " : "Took out: ");
                diff_render_effects(&e, s, added, diff_render_plain);
                put_text(c, e.data, FONT_ITALIC, BODY - 1, 12, DECO_NONE);
                sb_free(&e);
            }
            c->y -= 3;
        }
    }
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        if (a->status == AUDIENCE_SAME)
            continue;
        char *h = xasprintf("%s (%s)", a->label, a->id);
        put_heading(c, h, 13);
        free(h);
        if (a->status != AUDIENCE_CHANGED)
            put_text(c, a->status == AUDIENCE_ADDED ? "A new document for this audience."
                                                    : "This audience no longer gets a document.",
                     FONT_REGULAR, BODY, 0, DECO_NONE);
        for (size_t k = 0; k < a->count; k++) {
            const diff_change *ch = &a->changes[k];
            strbuf hd = {0};
            sb_printf(&hd, "%c%s: ", diff_change_kind_name(ch->kind)[0] - 'a' + 'A',
                      diff_change_kind_name(ch->kind) + 1);
            diff_render_where(&hd, ch, diff_render_plain);
            need(c, 3 * LEADING);
            c->y -= 3;
            put_text(c, hd.data, FONT_BOLD, BODY - 1, 0, DECO_NONE);
            sb_free(&hd);
            if (ch->kind == CH_ADDED || ch->kind == CH_REMOVED) {
                bool add = ch->kind == CH_ADDED;
                put_text(c, add ? ch->new_text : ch->old_text, FONT_REGULAR, BODY, 12,
                         add ? DECO_INS : DECO_DEL);
            } else {
                run *rs;
                size_t n;
                words_runs(&ch->words, &rs, &n);
                put_runs(c, rs, n, 12, BODY, LEADING);
                free(rs);
            }
            if (ch->nbecause) {
                strbuf w = {0};
                sb_puts(&w, "Because of:");
                for (size_t q = 0; q < ch->nbecause; q++)
                    sb_printf(&w, "%s %s", q ? "," : "", ch->because[q]);
                put_text(c, w.data, FONT_ITALIC, BODY - 1, 12, DECO_NONE);
                sb_free(&w);
            }
        }
    }
}

/* The document information and a footer on every page. */
static void finish(ts_doc *doc, pdf_ctx *c, const diff_result *r)
{
    const char *title = "Changes to the acceptable use policies";
    char *enc = ts_encode(c->f, title);
    /* The footer on every page, an artifact. */
    c->elem = TS_ARTIFACT;
    for (int p = 1; p <= c->page; p++) {
        char foot[64];
        snprintf(foot, sizeof foot, "Page %d of %d", p, c->page);
        double w = ts_width(c->f, FONT_REGULAR, 8, foot, strlen(foot));
        ts_op *o = op_add(c, TS_TEXT);
        o->page = p, o->x = MARGIN, o->y = MARGIN - 24, o->font = FONT_REGULAR, o->size = 8;
        o->r = o->g = o->b = 0.35, o->text = xstrdup(enc);
        o = op_add(c, TS_TEXT);
        o->page = p, o->x = PAGE_W - MARGIN - w, o->y = MARGIN - 24, o->w = w;
        o->font = FONT_REGULAR, o->size = 8, o->r = o->g = o->b = 0.35, o->text = xstrdup(foot);
    }
    int base = ts_struct_add(doc, &c->tree, TS_ROOT);
    for (int p = 1; p <= c->page && !ts_doc_failed(doc); p++)
        if (ts_page_add(doc, PAGE_W, PAGE_H) > 0)
            ts_draw_page(doc, &c->ops, p, base);
    free(enc);
    ts_date d = {r->new_side.approved.year, r->new_side.approved.month,
                 r->new_side.approved.day, 0, 0, 0};
    ts_info info = {title, r->new_side.setting, NULL, r->new_side.lang,
                    r->new_side.approved.year ? &d : NULL};
    ts_set_info(doc, &info);
}

int diff_render_pdf(const diff_result *r, const diff_render_opts *o, strbuf *out,
                    diag_list *diags)
{
    /* Choose Helvetica or the embedded family from every string shown. */
    strbuf all = {0};
    collect_text(&all, r);
    ts_charset *cs = xcalloc(1, sizeof *cs);
    ts_charset_add(cs, all.data);
    sb_free(&all);
    ts_doc *doc = ts_doc_new(cs, NULL);
    free(cs);
    if (!doc) {
        diag_add(diags, DIAG_ERROR, r->new_side.file, 0, 0, NULL,
                 "cannot make the PDF: out of memory");
        return -1;
    }
    pdf_ctx c = {.f = ts_doc_fonts(doc), .role = TS_P};
    layout_redline(&c, r, o);
    const char *files[] = {r->new_side.file, r->old_side.file};
    int rc = layout_check_glyphs(c.f, &c.ops, files, 2, false,
                                 "show the changes in another format (-f text, md, html or json)",
                                 diags);
    if (rc == 0) {
        finish(doc, &c, r);
        if ((rc = ts_doc_save(doc, out)) != 0)
            ts_doc_report(doc, r->new_side.file, "the redline", diags);
    }
    ts_ops_free(&c.ops);
    ts_tree_free(&c.tree);
    ts_doc_free(doc);
    return rc;
}
