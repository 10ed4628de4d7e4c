#include "render_pdf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "ttf_embed.h"

/* libharu errors are sticky and its default handler prints: remember the
 * first one and let the caller turn it into a diagnostic. */
typedef struct {
    HPDF_STATUS code, detail;
} hpdf_err;

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    hpdf_err *e = data;
    if (!e->code)
        e->code = code, e->detail = detail;
}

/* A libharu document and the faces it has parsed. Each thread keeps one
 * spare between PDFs: libharu holds on to parsed TrueType faces across
 * HPDF_NewDoc, so a thread parses a face once rather than once per PDF. */
typedef struct {
    HPDF_Doc pdf;
    layout_faces faces;
    HPDF_BYTE tag[6];       /* libharu's last face tag (HPDFAA...), see doc_take */
} doc_slot;

static _Thread_local doc_slot spare;

static bool doc_take(doc_slot *s, hpdf_err *e)
{
    if (spare.pdf) {
        *s = spare;
        memset(&spare, 0, sizeof spare);
        /* libharu's error handler takes no data of its own; the book's
         * error record rides in the document's error object. */
        s->pdf->error.user_data = e;
        if (HPDF_NewDoc(s->pdf) == HPDF_OK) {
            /* HPDF_NewDoc keeps the faces but restarts their tags: carry
             * on from the last, or a new face would share a tag. */
            memcpy(s->pdf->ttfont_tag, s->tag, sizeof s->tag);
            return true;
        }
        HPDF_Free(s->pdf);
        layout_faces_clear(&s->faces);
    }
    memset(s, 0, sizeof *s);
    s->pdf = HPDF_New(on_error, e);
    if (s->pdf)
        HPDF_SetCompressionMode(s->pdf, HPDF_COMP_ALL);
    return s->pdf != NULL;
}

/* Keep S as the thread's spare unless it failed or there is one already. */
static void doc_give_back(doc_slot *s, bool ok)
{
    if (!s->pdf)
        return;
    if (ok && !spare.pdf) {
        memcpy(s->tag, s->pdf->ttfont_tag, sizeof s->tag);
        HPDF_FreeDoc(s->pdf);
        spare = *s;
    } else {
        HPDF_Free(s->pdf);
        layout_faces_clear(&s->faces);
    }
    memset(s, 0, sizeof *s);
}

void pdf_thread_done(void)
{
    doc_give_back(&spare, false);
}

static int fail(const document *d, diag_list *diags, const hpdf_err *e)
{
    diag_add(diags, DIAG_ERROR, d->source_file, 0, 0, NULL,
             "cannot make the PDF for %s: libharu error 0x%04lX (detail %lu)",
             d->audience_id ? d->audience_id : "this document", (unsigned long)e->code,
             (unsigned long)e->detail);
    return -1;
}

int layout_measure(const document *d, const pdf_options *o, layout_info *info,
                   diag_list *diags)
{
    hpdf_err e = {0};
    doc_slot slot;
    if (!doc_take(&slot, &e))
        return fail(d, diags, &e);
    layout_fonts f;
    layout l;
    layout_fonts_init(&f, slot.pdf, d, o);
    f.faces = &slot.faces;
    int rc = layout_run(d, &f, &l, diags);
    if (rc == 0 && e.code)
        rc = fail(d, diags, &e);
    if (rc == 0)
        layout_fill_info(&l, &f, info);
    layout_free(&l);
    doc_give_back(&slot, rc == 0);
    return rc;
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
    HPDF_Page page;
    layout_fonts *f;
    const layout *l;
    const document *d;
} page_ctx;

/* Shorten encoded TEXT until it fits W points, ending it with "...". */
static void fit(layout_fonts *f, int font, double size, char *text, double w)
{
    size_t len = strlen(text);
    if (layout_width(f, font, size, text, len) <= w)
        return;
    while (len > 0) {
        do
            len--;
        while (len > 0 && f->utf8 && ((unsigned char)text[len] & 0xC0) == 0x80);
        if (len + 4 > strlen(text))
            continue;
        memcpy(text + len, "...", 4);
        if (layout_width(f, font, size, text, len + 3) <= w)
            return;
    }
    text[0] = 0;
}

static void text_at(page_ctx *pc, const char *utf8, double x, double y, double maxw, bool right)
{
    const double size = 7.5;
    char *enc = layout_encode(pc->f, utf8);
    fit(pc->f, FONT_REGULAR, size, enc, maxw);
    double w = layout_width(pc->f, FONT_REGULAR, size, enc, strlen(enc));
    HPDF_Page_BeginText(pc->page);
    HPDF_Page_SetRGBFill(pc->page, 0.4, 0.4, 0.4);
    layout_show(pc->f, pc->page, FONT_REGULAR, size, right ? x - w : x, y, enc);
    HPDF_Page_EndText(pc->page);
    free(enc);
}

static void hrule(HPDF_Page p, double x0, double x1, double y)
{
    HPDF_Page_SetRGBStroke(p, 0.7, 0.7, 0.7);
    HPDF_Page_SetLineWidth(p, 0.5);
    HPDF_Page_MoveTo(p, x0, y);
    HPDF_Page_LineTo(p, x1, y);
    HPDF_Page_Stroke(p);
}

static void draw_header(page_ctx *pc)
{
    const layout *l = pc->l;
    const char *name = pc->d->setting_name ? pc->d->setting_name : "";
    const char *title = pc->d->title ? pc->d->title : "";
    double y = l->page_h - 38, avail = l->right - l->left;
    char *enc = layout_encode(pc->f, name);
    double nw = layout_width(pc->f, FONT_REGULAR, 7.5, enc, strlen(enc));
    free(enc);
    if (nw > avail / 2)
        nw = avail / 2;
    text_at(pc, name, l->left, y, nw, false);
    text_at(pc, title, l->right, y, avail - nw - 24, true);
    hrule(pc->page, l->left, l->right, y - 5);
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
    hrule(pc->page, l->left, l->right, y + 10);
    text_at(pc, right, l->right, y, 80, true);
    text_at(pc, left[0] == ' ' ? left + 5 : left, l->left, y, l->right - l->left - 90, false);
}

/* ------------------------------------------------------------------ */
/* Content */

static void draw_tick(HPDF_Page p, const layout_op *op)
{
    double x = op->x, y = op->y, s = op->w;
    HPDF_Page_SetRGBStroke(p, 0.0, 0.5, 0.2);
    HPDF_Page_SetLineWidth(p, op->line_width);
    HPDF_Page_MoveTo(p, x + 0.08 * s, y + 0.5 * s);
    HPDF_Page_LineTo(p, x + 0.38 * s, y + 0.15 * s);
    HPDF_Page_LineTo(p, x + 0.95 * s, y + 0.92 * s);
    HPDF_Page_Stroke(p);
}

static void draw_cross(HPDF_Page p, const layout_op *op)
{
    double x = op->x, y = op->y, s = op->w, m = 0.12 * s;
    HPDF_Page_SetRGBStroke(p, 0.78, 0.1, 0.1);
    HPDF_Page_SetLineWidth(p, op->line_width);
    HPDF_Page_MoveTo(p, x + m, y + m);
    HPDF_Page_LineTo(p, x + s - m, y + s - m);
    HPDF_Page_MoveTo(p, x + m, y + s - m);
    HPDF_Page_LineTo(p, x + s - m, y + m);
    HPDF_Page_Stroke(p);
}

static void draw_shape(HPDF_Page p, const layout_op *op)
{
    double x = op->x, y = op->y, w = op->w, h = op->h, i = op->inset;
    HPDF_Page_SetLineWidth(p, op->line_width > 0 ? op->line_width : 0.8);
    HPDF_Page_SetRGBStroke(p, op->sr, op->sg, op->sb);
    HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
    switch (op->shape) {
    case SHAPE_HEXAGON:
        HPDF_Page_MoveTo(p, x + i, y);
        HPDF_Page_LineTo(p, x + w - i, y);
        HPDF_Page_LineTo(p, x + w, y + h / 2);
        HPDF_Page_LineTo(p, x + w - i, y + h);
        HPDF_Page_LineTo(p, x + i, y + h);
        HPDF_Page_LineTo(p, x, y + h / 2);
        HPDF_Page_ClosePath(p);
        break;
    case SHAPE_ROUNDED: {
        /* Quarter circles by Bézier curves (k = 0.5523). */
        double r = i > h / 2 ? h / 2 : i, k = 0.5523 * r;
        HPDF_Page_MoveTo(p, x + r, y);
        HPDF_Page_LineTo(p, x + w - r, y);
        HPDF_Page_CurveTo(p, x + w - r + k, y, x + w, y + r - k, x + w, y + r);
        HPDF_Page_LineTo(p, x + w, y + h - r);
        HPDF_Page_CurveTo(p, x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
        HPDF_Page_LineTo(p, x + r, y + h);
        HPDF_Page_CurveTo(p, x + r - k, y + h, x, y + h - r + k, x, y + h - r);
        HPDF_Page_LineTo(p, x, y + r);
        HPDF_Page_CurveTo(p, x, y + r - k, x + r - k, y, x + r, y);
        HPDF_Page_ClosePath(p);
        break;
    }
    case SHAPE_TICKBOX:
        HPDF_Page_Rectangle(p, x, y, w, h);
        HPDF_Page_Stroke(p);
        return;
    default:
        HPDF_Page_Rectangle(p, x, y, w, h);
        break;
    }
    HPDF_Page_FillStroke(p);
}

static void draw_arrow(HPDF_Page p, const layout_op *op)
{
    /* Tip at x, y; (w, h) is the unit direction it points along. */
    double len = op->size > 0 ? op->size : 4.5, half = 0.45 * len;
    double bx = op->x - op->w * len, by = op->y - op->h * len;
    HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
    HPDF_Page_MoveTo(p, op->x, op->y);
    HPDF_Page_LineTo(p, bx - op->h * half, by + op->w * half);
    HPDF_Page_LineTo(p, bx + op->h * half, by - op->w * half);
    HPDF_Page_ClosePath(p);
    HPDF_Page_Fill(p);
}

static void draw_graphic(HPDF_Page p, const layout_op *op)
{
    switch (op->kind) {
    case LOP_SHAPE:
        draw_shape(p, op);
        break;
    case LOP_ARROW:
        draw_arrow(p, op);
        break;
    case LOP_RULE:
        HPDF_Page_SetRGBStroke(p, op->r, op->g, op->b);
        HPDF_Page_SetLineWidth(p, op->line_width);
        HPDF_Page_MoveTo(p, op->x, op->y);
        HPDF_Page_LineTo(p, op->x + op->w, op->y + op->h);
        HPDF_Page_Stroke(p);
        break;
    case LOP_BULLET:
        /* A dot: a line of no length with round ends is a filled circle as
         * wide as the line, in a tenth of the bytes of four curves. */
        HPDF_Page_GSave(p);
        HPDF_Page_SetRGBStroke(p, 0.2, 0.2, 0.2);
        HPDF_Page_SetLineCap(p, HPDF_ROUND_END);
        HPDF_Page_SetLineWidth(p, op->w);
        HPDF_Page_MoveTo(p, op->x, op->y);
        HPDF_Page_LineTo(p, op->x, op->y);
        HPDF_Page_Stroke(p);
        HPDF_Page_GRestore(p);
        break;
    case LOP_BAR:
        HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
        HPDF_Page_Rectangle(p, op->x, op->y, op->w, op->h);
        HPDF_Page_Fill(p);
        break;
    case LOP_TICK:
        draw_tick(p, op);
        break;
    case LOP_CROSS:
        draw_cross(p, op);
        break;
    default:
        break;
    }
}

static void draw_link(HPDF_Page p, const layout_op *op)
{
    HPDF_Rect r = {(HPDF_REAL)op->x, (HPDF_REAL)op->y, (HPDF_REAL)(op->x + op->w),
                   (HPDF_REAL)(op->y + op->h)};
    HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(p, r, op->uri);
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

static void draw_content(page_ctx *pc, int page)
{
    const layout *l = pc->l;
    HPDF_Page p = pc->page;
    for (size_t i = 0; i < l->nops; i++)
        if (l->ops[i].page == page && l->ops[i].kind != LOP_TEXT && l->ops[i].kind != LOP_LINK)
            draw_graphic(p, &l->ops[i]);
    HPDF_Page_BeginText(p);
    /* Font and colour persist inside one text object: set them only when
     * they change, which keeps content streams small and fast to write. */
    const layout_op *last = NULL;
    for (size_t i = 0; i < l->nops; i++) {
        const layout_op *op = &l->ops[i];
        if (op->page != page || op->kind != LOP_TEXT || !op->text[0])
            continue;
        if (!last || last->r != op->r || last->g != op->g || last->b != op->b)
            HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
        layout_show(pc->f, p, op->font, op->size, op->x, op->y, op->text);
        last = op;
    }
    HPDF_Page_EndText(p);
    for (size_t i = 0; i < l->nops; i++)
        if (l->ops[i].page == page && l->ops[i].kind == LOP_LINK)
            draw_link(p, &l->ops[i]);
}

static HPDF_Page draw_page(HPDF_Doc pdf, layout_fonts *f, const layout *l, const document *d,
                           int page)
{
    HPDF_Page p = HPDF_AddPage(pdf);
    if (!p)
        return NULL;
    HPDF_Page_SetWidth(p, l->page_w);
    HPDF_Page_SetHeight(p, l->page_h);
    if (l->style.easy) {
        /* A cream ground is easier on readers with dyslexia than white. */
        HPDF_Page_SetRGBFill(p, 1.0, 0.98, 0.90);
        HPDF_Page_Rectangle(p, 0, 0, l->page_w, l->page_h);
        HPDF_Page_Fill(p);
    }
    page_ctx pc = {p, f, l, d};
    if (!l->plain) {
        draw_header(&pc);
        draw_footer(&pc, page);
    }
    draw_content(&pc, page);
    return p;
}

static void add_outlines(HPDF_Doc pdf, const layout_fonts *f, const layout *l, HPDF_Page *pages)
{
    if (!l->nmarks)
        return;
    HPDF_Encoder enc = HPDF_GetEncoder(pdf, f->utf8 ? "UTF-8" : "WinAnsiEncoding");
    HPDF_Outline parent[8] = {0};
    for (size_t i = 0; i < l->nmarks; i++) {
        const layout_mark *m = &l->marks[i];
        int lv = m->level < 1 ? 1 : m->level > 6 ? 6 : m->level;
        HPDF_Outline up = NULL;
        for (int k = lv - 1; k >= 1 && !up; k--)
            up = parent[k];
        HPDF_Outline o = HPDF_CreateOutline(pdf, up, m->title, enc);
        if (!o || m->page < 1 || m->page > l->pages)
            return;
        HPDF_Destination dst = HPDF_Page_CreateDestination(pages[m->page - 1]);
        if (!dst)
            return;
        HPDF_Destination_SetFitH(dst, m->y);
        HPDF_Outline_SetDestination(o, dst);
        HPDF_Outline_SetOpened(o, HPDF_TRUE);
        parent[lv] = o;
        for (int k = lv + 1; k < 8; k++)
            parent[k] = NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Document information */

/* Info strings as UTF-16BE: libharu 2.3.0 refuses the UTF-8 encoder here
 * and writes other strings raw, which readers take as PDFDocEncoding. */
static void info_text(HPDF_Doc pdf, const char *key, const char *utf8)
{
    if (!utf8 || !pdf->info)
        return;
    size_t n = strlen(utf8);
    unsigned char *buf = xmalloc(4 * n + 2), *o = buf;
    *o++ = 0xFE, *o++ = 0xFF;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        unsigned cp = *p++;
        int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        cp &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
        for (; extra > 0 && (*p & 0xC0) == 0x80; extra--)
            cp = (cp << 6) | (*p++ & 0x3F);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            unsigned hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            *o++ = (unsigned char)(hi >> 8), *o++ = (unsigned char)hi;
            cp = lo;
        }
        *o++ = (unsigned char)(cp >> 8), *o++ = (unsigned char)cp;
    }
    HPDF_Binary b = HPDF_Binary_New(pdf->mmgr, buf, (HPDF_UINT)(o - buf));
    if (b)
        HPDF_Dict_Add(pdf->info, key, b);
    free(buf);
}

/* The approval date, else SOURCE_DATE_EPOCH, else none: never the clock. */
static bool info_date(const document *d, HPDF_Date *out)
{
    memset(out, 0, sizeof *out);
    out->ind = 'Z';
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

static void set_info(HPDF_Doc pdf, const document *d, const char *title)
{
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "aupc " AUPC_VERSION);
    info_text(pdf, "Title", title ? title : d->title);
    info_text(pdf, "Author", d->setting_name);
    info_text(pdf, "Subject", d->audience_label);
    HPDF_Date date;
    if (info_date(d, &date)) {
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
    }
}

/* libharu 2.3.0 writes a trailer /ID only when encrypting, and no dates of
 * its own, so the bytes depend on the document alone. */
static int save(HPDF_Doc pdf, layout_faces *faces, hpdf_err *e, strbuf *out)
{
    ttf_embed_prepare(pdf, faces);
    if (HPDF_SaveToStream(pdf) != HPDF_OK || e->code)
        return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf), got = size;
    HPDF_STATUS st = HPDF_ReadFromStream(pdf, (HPDF_BYTE *)sb_reserve(out, size), &got);
    /* Reading to the very end reports end-of-stream: not an error here. */
    if (st == HPDF_STREAM_EOF || e->code == HPDF_STREAM_EOF)
        HPDF_ResetError(pdf), e->code = 0, st = HPDF_OK;
    if (st != HPDF_OK || got != size)
        return -1;
    out->len += size;
    out->data[out->len] = '\0';
    return 0;
}

/* ------------------------------------------------------------------ */
/* Books: one or more documents bound into one PDF */

struct pdf_book {
    hpdf_err e;
    doc_slot slot;
    layout_fonts f;
    int pages;
    bool outlines;
    const document *first;
};

static pdf_book *book_alloc(const document *first)
{
    pdf_book *b = xcalloc(1, sizeof *b);
    if (!doc_take(&b->slot, &b->e)) {
        free(b);
        return NULL;
    }
    b->first = first;
    return b;
}

pdf_book *pdf_book_new(const document *const *docs, size_t n, const pdf_options *o)
{
    pdf_book *b = book_alloc(n ? docs[0] : NULL);
    if (b) {
        layout_fonts_init_set(&b->f, b->slot.pdf, docs, n, o);
        b->f.faces = &b->slot.faces;
    }
    return b;
}

pdf_book *pdf_book_new_text(const document *first, const char *const *texts, size_t n,
                            const pdf_options *o)
{
    pdf_book *b = book_alloc(first);
    if (b) {
        layout_fonts_init_text(&b->f, b->slot.pdf, texts, n, o);
        b->f.faces = &b->slot.faces;
    }
    return b;
}

layout_fonts *pdf_book_fonts(pdf_book *b)
{
    return &b->f;
}

int pdf_book_pages(const pdf_book *b)
{
    return b->pages;
}

static int book_fail(pdf_book *b, const document *d, diag_list *diags)
{
    if (b->f.failed)
        layout_fonts_failure(&b->f, d ? d->source_file : NULL, diags);
    else
        fail(d, diags, &b->e);
    return -1;
}

int pdf_book_add_layout(pdf_book *b, const document *d, const layout *l, diag_list *diags)
{
    HPDF_Page *pages = xcalloc((size_t)l->pages, sizeof *pages);
    for (int i = 0; i < l->pages && !b->e.code; i++)
        pages[i] = draw_page(b->slot.pdf, &b->f, l, d, i + 1);
    if (!b->e.code)
        add_outlines(b->slot.pdf, &b->f, l, pages);
    b->outlines |= l->nmarks > 0;
    free(pages);
    if (b->e.code || b->f.failed)
        return book_fail(b, d, diags);
    int first = b->pages + 1;
    b->pages += l->pages;
    return first;
}

int pdf_book_blank_page(pdf_book *b, diag_list *diags)
{
    HPDF_Page p = HPDF_AddPage(b->slot.pdf);
    if (p) {
        HPDF_Page_SetWidth(p, 595.276);
        HPDF_Page_SetHeight(p, 841.89);
        page_ctx pc = {p, &b->f, NULL, NULL};
        text_at(&pc, "This page is left blank for printing on both sides.", 51.02, 40, 400,
                false);
    }
    if (b->e.code || b->f.failed)
        return book_fail(b, b->first, diags);
    b->pages++;
    return 0;
}

int pdf_book_add(pdf_book *b, const document *d, bool odd, layout_info *info, diag_list *diags)
{
    if (odd && b->pages % 2 == 1 && pdf_book_blank_page(b, diags) != 0)
        return -1;
    layout l;
    if (layout_run(d, &b->f, &l, diags) != 0) {
        layout_free(&l);
        return -1;
    }
    int first = pdf_book_add_layout(b, d, &l, diags);
    if (first > 0 && info)
        layout_fill_info(&l, &b->f, info);
    layout_free(&l);
    return first;
}

int pdf_book_save(pdf_book *b, const document *d, const char *title, strbuf *out,
                  diag_list *diags)
{
    HPDF_SetPageMode(b->slot.pdf, b->outlines ? HPDF_PAGE_MODE_USE_OUTLINE : HPDF_PAGE_MODE_USE_NONE);
    if (!b->e.code)
        set_info(b->slot.pdf, d, title);
    if (b->e.code || save(b->slot.pdf, &b->slot.faces, &b->e, out) != 0)
        return book_fail(b, d, diags);
    return 0;
}

void pdf_book_free(pdf_book *b)
{
    if (!b)
        return;
    doc_give_back(&b->slot, !b->e.code && !b->f.failed);
    free(b);
}

int pdf_render(const document *d, const pdf_options *o, strbuf *out, layout_info *info,
               diag_list *diags)
{
    pdf_book *b = pdf_book_new(&d, 1, o);
    if (!b) {
        hpdf_err e = {HPDF_FAILD_TO_ALLOC_MEM, 0};
        return fail(d, diags, &e);
    }
    int rc = pdf_book_add(b, d, false, info, diags) > 0 ? 0 : -1;
    if (rc == 0 && pdf_book_save(b, d, NULL, out, diags) != 0) {
        layout_info_free(info);
        rc = -1;
    }
    pdf_book_free(b);
    return rc;
}
