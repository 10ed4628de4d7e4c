#include "render_pdf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pdf_thread_done(void)
{
    ts_thread_done();
}

/* ------------------------------------------------------------------ */
/* Running header and footer */

static const char *const months[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};

static void date_long(aupc_date dt, char *buf, size_t size)
{
    if (dt.year && dt.month >= 1 && dt.month <= 12)
        snprintf(buf, size, "%d %s %d", dt.day, months[dt.month - 1], dt.year);
    else
        buf[0] = 0;
}

typedef struct {
    ts_doc *doc;
    ts_fonts *f;
    const layout *l;
    const document *d;
    ts_ops running;            /* the page's header, footer and ground: artifacts */
} page_ctx;

/* Shorten encoded TEXT until it fits W points, ending it with "...". */
static void fit(ts_fonts *f, int font, double size, char *text, double w)
{
    size_t len = strlen(text);
    if (ts_width(f, font, size, text, len) <= w)
        return;
    while (len > 0) {
        do
            len--;
        while (len > 0 && ts_utf8(f) && ((unsigned char)text[len] & 0xC0) == 0x80);
        if (len + 4 > strlen(text))
            continue;
        memcpy(text + len, "...", 4);
        if (ts_width(f, font, size, text, len + 3) <= w)
            return;
    }
    text[0] = 0;
}

static void text_at(page_ctx *pc, const char *utf8, double x, double y, double maxw, bool right)
{
    const double size = 7.5;
    char *enc = ts_encode(pc->f, utf8);
    fit(pc->f, FONT_REGULAR, size, enc, maxw);
    double w = ts_width(pc->f, FONT_REGULAR, size, enc, strlen(enc));
    ts_op *op = ts_push(&pc->running, TS_TEXT, right ? x - w : x, y, w, 0);
    op->font = FONT_REGULAR, op->size = size, op->r = op->g = op->b = 0.4, op->text = enc;
}

static void hrule(page_ctx *pc, double x0, double x1, double y)
{
    ts_op *op = ts_push(&pc->running, TS_RULE, x0, y, x1 - x0, 0);
    op->line_width = 0.5, op->r = op->g = op->b = 0.7;
}

/* Draw the page's running matter, all of it artifacts, and forget it. */
static void draw_running(page_ctx *pc)
{
    ts_draw_page(pc->doc, &pc->running, 1, 0);
    ts_ops_free(&pc->running);
}

static void draw_header(page_ctx *pc)
{
    const layout *l = pc->l;
    const char *name = pc->d->setting_name ? pc->d->setting_name : "";
    const char *title = pc->d->title ? pc->d->title : "";
    double y = l->page_h - 38, avail = l->right - l->left;
    char *enc = ts_encode(pc->f, name);
    double nw = ts_width(pc->f, FONT_REGULAR, 7.5, enc, strlen(enc));
    free(enc);
    if (nw > avail / 2)
        nw = avail / 2;
    text_at(pc, name, l->left, y, nw, false);
    text_at(pc, title, l->right, y, avail - nw - 24, true);
    hrule(pc, l->left, l->right, y - 5);
}

static void draw_footer(page_ctx *pc, int page)
{
    const layout *l = pc->l;
    const document *d = pc->d;
    char approved[40], next[40], left[256], right[40];
    date_long(d->approved, approved, sizeof approved);
    date_long(d->next_review, next, sizeof next);
    snprintf(left, sizeof left, "%s%s%s%s%s%s", d->version ? "Version " : "",
             d->version ? d->version : "", *approved ? "  \xC2\xB7  Approved " : "", approved,
             *next ? "  \xC2\xB7  Next review " : "", next);
    snprintf(right, sizeof right, "Page %d of %d", page, l->pages);
    double y = 40;
    hrule(pc, l->left, l->right, y + 10);
    text_at(pc, right, l->right, y, 80, true);
    text_at(pc, left[0] == ' ' ? left + 5 : left, l->left, y, l->right - l->left - 90, false);
}


/* The approval date, else SOURCE_DATE_EPOCH, else none: never the clock. */
static bool info_date(const document *d, ts_date *out)
{
    memset(out, 0, sizeof *out);
    if (d->approved.year > 0 && d->approved.month >= 1 && d->approved.day >= 1) {
        out->year = d->approved.year, out->month = d->approved.month;
        out->day = d->approved.day;
        return true;
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long t = sde ? strtoll(sde, &end, 10) : -1;
    if (!sde || *end || t < 0)
        return false;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return false;
    out->year = tm.tm_year + 1900, out->month = tm.tm_mon + 1, out->day = tm.tm_mday;
    out->hour = tm.tm_hour, out->minutes = tm.tm_min, out->seconds = tm.tm_sec;
    return true;
}

/* ------------------------------------------------------------------ */
/* Pages */

static void draw_page(page_ctx *pc, int page, int base)
{
    const layout *l = pc->l;
    if (ts_page_add(pc->doc, l->page_w, l->page_h) < 0)
        return;
    if (l->style.easy) {
        /* A cream ground is easier on readers with dyslexia than white. */
        ts_op *ground = ts_push(&pc->running, TS_BAR, 0, 0, l->page_w, l->page_h);
        ground->r = 1.0, ground->g = 0.98, ground->b = 0.90;
    }
    if (!l->plain) {
        draw_header(pc);
        draw_footer(pc, page);
    }
    draw_running(pc);
    ts_draw_page(pc->doc, &l->ops, page, base);
}

/* ------------------------------------------------------------------ */
/* Books: one or more documents bound into one PDF */

struct pdf_book {
    ts_doc *doc;
    int pages;
    bool outlines;
    bool parts;                /* several documents: each is a Part of the structure */
    const document *first;
};

static pdf_book *book_of(ts_doc *doc, const document *first)
{
    if (!doc)
        return NULL;
    pdf_book *b = xcalloc(1, sizeof *b);
    b->doc = doc;
    b->first = first;
    return b;
}

pdf_book *pdf_book_new(const document *const *docs, size_t n, const pdf_options *o)
{
    pdf_book *b = book_of(layout_doc_new(docs, n, o), n ? docs[0] : NULL);
    if (b)
        b->parts = n > 1;
    return b;
}

pdf_book *pdf_book_new_text(const document *first, const char *const *texts, size_t n,
                            const pdf_options *o)
{
    ts_charset *cs = xcalloc(1, sizeof *cs);
    for (size_t i = 0; i < n && !cs->overflow; i++)
        ts_charset_add(cs, texts[i]);
    pdf_book *b = book_of(ts_doc_new(cs, o), first);
    free(cs);
    return b;
}

ts_fonts *pdf_book_fonts(pdf_book *b)
{
    return ts_doc_fonts(b->doc);
}

int pdf_book_pages(const pdf_book *b)
{
    return b->pages;
}

static int book_fail(pdf_book *b, const document *d, diag_list *diags)
{
    ts_doc_report(b->doc, d ? d->source_file : NULL, d ? d->audience_id : NULL, diags);
    return -1;
}

int pdf_book_add_layout(pdf_book *b, const document *d, const layout *l, diag_list *diags)
{
    page_ctx pc = {b->doc, ts_doc_fonts(b->doc), l, d, {0}};
    int first = ts_page_count(b->doc) + 1;
    int under = TS_ROOT;
    if (b->parts) {
        ts_tree part = {0};
        ts_tree_add(&part, -1, TS_PART);
        under = ts_struct_add(b->doc, &part, TS_ROOT);
        ts_tree_free(&part);
    }
    int base = ts_struct_add(b->doc, &l->tree, under);
    for (int i = 0; i < l->pages && !ts_doc_failed(b->doc); i++)
        draw_page(&pc, i + 1, base);
    if (!ts_doc_failed(b->doc))
        ts_outline(b->doc, l->marks, l->nmarks, first, l->pages);
    b->outlines |= l->nmarks > 0;
    if (ts_doc_failed(b->doc))
        return book_fail(b, d, diags);
    first = b->pages + 1;
    b->pages += l->pages;
    return first;
}

int pdf_book_blank_page(pdf_book *b, diag_list *diags)
{
    if (ts_page_add(b->doc, 595.276, 841.89) > 0) {
        page_ctx pc = {b->doc, ts_doc_fonts(b->doc), NULL, NULL, {0}};
        text_at(&pc, "This page is left blank for printing on both sides.", 51.02, 40, 400,
                false);
        draw_running(&pc);
    }
    if (ts_doc_failed(b->doc))
        return book_fail(b, b->first, diags);
    b->pages++;
    return 0;
}

/* ---- Layouts shared by the PDFs of one setting ---- */

/* D laid out with fonts of KEY, by the first PDF that needed it. */
typedef struct {
    const document *d;
    ts_font_key key;
    layout l;
    int rc;                    /* layout_run's; a failure is laid out again by each */
    bool done;
    bool gone;                 /* freed after its last expected use */
} shared_layout;

/* How many more PDFs will bind D. */
typedef struct {
    const document *d;
    int left;
} expected_uses;

struct pdf_layouts {
    pthread_mutex_t lock;      /* guards everything below and each entry's rc, done and gone */
    pthread_cond_t done;       /* an entry is laid out */
    shared_layout **v;
    size_t n;
    expected_uses *uses;
    size_t nuses;
};

pdf_layouts *pdf_layouts_new(void)
{
    pdf_layouts *s = xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->done, NULL);
    return s;
}

void pdf_layouts_free(pdf_layouts *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        layout_free(&s->v[i]->l);
        free(s->v[i]);
    }
    free(s->v);
    free(s->uses);
    pthread_cond_destroy(&s->done);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* D laid out with fonts F: taken from S when another PDF laid it out with
 * fonts like F (waiting while it does), else laid out here and kept in S.
 * Returns NULL, with *RC, when D could not be laid out. */
static const layout *shared_run(pdf_layouts *s, const document *d, ts_fonts *f, int *rc,
                                diag_list *diags)
{
    ts_font_key key = ts_fonts_key(f);
    pthread_mutex_lock(&s->lock);
    shared_layout *e = NULL;
    for (size_t i = 0; i < s->n && !e; i++)
        if (s->v[i]->d == d && !s->v[i]->gone && ts_font_key_same(&s->v[i]->key, &key))
            e = s->v[i];
    if (e) {
        while (!e->done)
            pthread_cond_wait(&s->done, &s->lock);
        pthread_mutex_unlock(&s->lock);
        /* A failure is laid out again, so that its errors are this PDF's too. */
        if (e->rc == 0)
            return &e->l;
        return NULL;
    }
    e = xcalloc(1, sizeof *e);
    e->d = d, e->key = key;
    s->v = xgrow(s->v, s->n, sizeof *s->v);
    s->v[s->n++] = e;
    pthread_mutex_unlock(&s->lock);
    int r = layout_run(d, f, &e->l, diags);
    pthread_mutex_lock(&s->lock);
    e->rc = r, e->done = true;
    pthread_cond_broadcast(&s->done);
    pthread_mutex_unlock(&s->lock);
    *rc = r;
    return r == 0 ? &e->l : NULL;
}

void pdf_layouts_expect(pdf_layouts *s, const document *d, int uses)
{
    pthread_mutex_lock(&s->lock);
    s->uses = xgrow(s->uses, s->nuses, sizeof *s->uses);
    s->uses[s->nuses++] = (expected_uses){d, uses};
    pthread_mutex_unlock(&s->lock);
}

/* A PDF has bound D: after the last one expected, D's layouts are freed,
 * so that the memory serves what comes next rather than fresh pages. */
static void shared_used(pdf_layouts *s, const document *d)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->nuses; i++) {
        if (s->uses[i].d != d || s->uses[i].left <= 0 || --s->uses[i].left > 0)
            continue;
        for (size_t k = 0; k < s->n; k++) {
            if (s->v[k]->d == d && s->v[k]->done && !s->v[k]->gone) {
                layout_free(&s->v[k]->l);
                s->v[k]->gone = true;
            }
        }
    }
    pthread_mutex_unlock(&s->lock);
}

int pdf_book_add(pdf_book *b, const document *d, bool odd, pdf_layouts *shared,
                 layout_info *info, diag_list *diags)
{
    if (odd && b->pages % 2 == 1 && pdf_book_blank_page(b, diags) != 0)
        return -1;
    ts_fonts *f = ts_doc_fonts(b->doc);
    layout own;
    int rc = 0;
    const layout *l = shared ? shared_run(shared, d, f, &rc, diags) : NULL;
    if (!l && rc == 0) {
        rc = layout_run(d, f, &own, diags);
        l = &own;
    }
    if (rc != 0) {
        if (l == &own)
            layout_free(&own);
        return rc;
    }
    /* Fonts made in the order the layout first used them, as if it had
     * been made here: the PDF's bytes do not depend on where it was. */
    ts_fonts_replay(f, &l->font_uses);
    int first = pdf_book_add_layout(b, d, l, diags);
    if (first > 0 && info)
        layout_fill_info(l, f, info);
    if (l == &own)
        layout_free(&own);
    if (shared)
        shared_used(shared, d);
    return first;
}

int pdf_book_save(pdf_book *b, const document *d, const char *title, strbuf *out,
                  diag_list *diags)
{
    ts_show_outline(b->doc, b->outlines);
    if (!ts_doc_failed(b->doc)) {
        ts_date date;
        ts_info info = {title ? title : d->title, d->setting_name, d->audience_label, d->lang,
                        info_date(d, &date) ? &date : NULL};
        ts_set_info(b->doc, &info);
    }
    if (ts_doc_save(b->doc, out) != 0)
        return book_fail(b, d, diags);
    return 0;
}

void pdf_book_free(pdf_book *b)
{
    if (!b)
        return;
    ts_doc_free(b->doc);
    free(b);
}

int pdf_render(const document *d, const pdf_options *o, pdf_layouts *shared, strbuf *out,
               layout_info *info, diag_list *diags)
{
    pdf_book *b = pdf_book_new(&d, 1, o);
    if (!b) {
        diag_add(diags, DIAG_ERROR, d->source_file, 0, 0, NULL,
                 "cannot make the PDF for %s: out of memory",
                 d->audience_id ? d->audience_id : "this document");
        return -1;
    }
    int first = pdf_book_add(b, d, false, shared, info, diags);
    int rc = first > 0 ? 0 : first == LAYOUT_UNSHOWN ? first : -1;
    if (rc == 0 && pdf_book_save(b, d, NULL, out, diags) != 0) {
        layout_info_free(info);
        rc = -1;
    }
    pdf_book_free(b);
    return rc;
}
