#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audience.h"
#include "flowchart.h"
#include "signature.h"
#include "util/io.h"
#include "util/utf8.h"

/* A4 portrait, 18 mm side margins; the header and footer live in the
 * space above content_top and below content_bottom. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 51.02
#define CONTENT_TOP (PAGE_H - 64.0)
#define CONTENT_BOTTOM 64.0

/* ------------------------------------------------------------------ */
/* Fonts */

void layout_charset_add_doc(ts_charset *m, const document *d)
{
    ts_charset_add(m, d->title);
    ts_charset_add(m, d->setting_name);
    ts_charset_add(m, d->version);
    ts_charset_add(m, d->audience_label);
    if (!d->root)
        return;
    cmark_iter *it = cmark_iter_new(d->root);
    cmark_event_type ev;
    while (!m->overflow && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type ty = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER && ty != CMARK_NODE_HTML_BLOCK &&
            ty != CMARK_NODE_HTML_INLINE)
            ts_charset_add(m, cmark_node_get_literal(n));
    }
    cmark_iter_free(it);
}

ts_doc *layout_doc_new(const document *const *docs, size_t n, const pdf_options *o)
{
    ts_charset *cs = xcalloc(1, sizeof *cs);
    for (size_t i = 0; i < n && !cs->overflow; i++)
        layout_charset_add_doc(cs, docs[i]);
    ts_doc *doc = ts_doc_new(cs, o);
    free(cs);
    return doc;
}

/* CP (U+0080 or above) as UTF-8 in BUF (5 bytes). */
static void utf8_of(unsigned cp, char *buf)
{
    memset(buf, 0, 5);
    if (cp < 0x800)
        buf[0] = (char)(0xC0 | cp >> 6), buf[1] = (char)(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
        buf[0] = (char)(0xE0 | cp >> 12), buf[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
        buf[2] = (char)(0x80 | (cp & 0x3F));
    else
        buf[0] = (char)(0xF0 | cp >> 18), buf[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
        buf[2] = (char)(0x80 | (cp >> 6 & 0x3F)), buf[3] = (char)(0x80 | (cp & 0x3F));
}

/* The line of FILE where CP first occurs, or 0. */
static int line_of_char(const char *file, unsigned cp)
{
    char *data, utf8[5];
    size_t len;
    const char *why;
    if (!file || io_read_file(file, &data, &len, &why) != 0)
        return 0;
    utf8_of(cp, utf8);
    size_t n = strlen(utf8);
    int line = 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (!memcmp(data + i, utf8, n))
            break;
        line += data[i] == '\n';
        if (i + n == len)
            line = 0;
    }
    if (len < n)
        line = 0;
    free(data);
    return line;
}

/* What a face other than the regular one is called in a message. */
static const char *face_name(int font)
{
    switch (font) {
    case FONT_BOLD: return " in bold";
    case FONT_ITALIC: return " in italics";
    case FONT_BOLD_ITALIC: return " in bold italics";
    case FONT_MONO: return " in the fixed-width face";
    default: return "";
    }
}

int layout_check_glyphs(ts_fonts *f, const ts_ops *ops, const char *const *files,
                        size_t nfiles, bool font_option, const char *instead,
                        diag_list *diags)
{
    int font = FONT_REGULAR;
    unsigned cp = ts_ops_unshown(f, ops, &font);
    if (!cp)
        return 0;
    char ch[5];
    utf8_of(cp, ch);
    const char *file = nfiles ? files[0] : NULL;
    int line = 0;
    for (size_t i = 0; i < nfiles && !line; i++)
        if ((line = line_of_char(files[i], cp)))
            file = files[i];
    /* Only a face the regular one does better than is named. */
    const char *face = font != FONT_REGULAR && ts_can_show(f, FONT_REGULAR, cp)
                           ? face_name(font) : "";
    if (ts_right_to_left(cp))
        diag_add(diags, DIAG_ERROR, file, line, 0, NULL,
                 "the PDF cannot set right-to-left text such as '%s' (U+%04X): it would print "
                 "the letters in the wrong order; write the text in a left-to-right script, or "
                 "%s", ch, cp, instead);
    else if (*face)
        diag_add(diags, DIAG_ERROR, file, line, 0, NULL,
                 "the PDF font has no glyph for '%s' (U+%04X)%s: remove or replace the "
                 "character, or give a %s face that has it with --font REGULAR.ttf,BOLD.ttf",
                 ch, cp, face, font == FONT_MONO || font == FONT_ITALIC ? "regular" : "bold");
    else
        diag_add(diags, DIAG_ERROR, file, line, 0, NULL,
                 "the PDF font has no glyph for '%s' (U+%04X): remove or replace the "
                 "character, %sor %s", ch, cp,
                 font_option ? "give a font that has it with --font, " : "", instead);
    return LAYOUT_UNSHOWN;
}

/* ------------------------------------------------------------------ */
/* Styles */

static bool young_pupil(const document *d)
{
    return audience_for(d->kind, d->band)->young;
}

/* How each class of reader's page is set: one row per class, so the type
 * of every document can be read, and compared, in one place. Young
 * readers and easy-read readers get larger type, symbols beside their
 * rules and a compact signature block (each row two fields wide), sized so
 * that an early-years document fits on one A4 page and every other
 * young or easy-read document on two. */
typedef enum { STYLE_STANDARD, STYLE_YOUNG, STYLE_EASY, STYLE_COUNT } style_class;

static const layout_style styles[STYLE_COUNT] = {
    [STYLE_STANDARD] = {.body = 10.5, .leading = 1.22, .heading = {0, 19, 13.5, 11.5, 10.5, 10.5, 10.5},
                        .item_gap = 0.25, .heading_gap = 0.65},
    /* 13 pt (the BDA style guide asks 12 to 14), lines a little apart,
     * headings close to what they head. */
    [STYLE_YOUNG] = {.body = 13, .leading = 1.17, .heading = {0, 21, 15.5, 14, 14, 14, 14},
                     .item_gap = 0.06, .heading_gap = 0.4, .symbols = true,
                     .compact_signature = true},
    /* Easy read: 14 pt (what easy-read guidance asks), more space between
     * lines and a measure of about 65 characters. */
    [STYLE_EASY] = {.body = 14, .leading = 1.3, .heading = {0, 22, 16.5, 15, 15, 15, 15},
                    .measure = 31 * 14, .item_gap = 0.15, .heading_gap = 0.55, .easy = true,
                    .symbols = true, .compact_signature = true},
};

static void style_for(const document *d, layout_style *s)
{
    style_class k = d->reading == READING_EASY ? STYLE_EASY
                    : young_pupil(d)            ? STYLE_YOUNG
                                                : STYLE_STANDARD;
    *s = styles[k];
    if (!s->measure)
        s->measure = PAGE_W - 2 * MARGIN;
    s->countersign = young_pupil(d);
}

/* ------------------------------------------------------------------ */
/* Words: a paragraph's inlines, measured. */

static void add_inlines(ts_fonts *f, const layout_style *sty, ts_words *t, ts_word_state st,
                        cmark_node *parent, ts_word_state *out);

static void add_inline(ts_fonts *f, const layout_style *sty, ts_words *t, ts_word_state *st,
                       cmark_node *n)
{
    ts_word_state sub = *st;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
        ts_words_add(f, t, st, cmark_node_get_literal(n));
        return;
    case CMARK_NODE_CODE:
        sub.font = FONT_MONO;
        ts_words_add(f, t, &sub, cmark_node_get_literal(n));
        st->space = sub.space, st->hard = sub.hard;
        return;
    case CMARK_NODE_SOFTBREAK:
        st->space = true;
        return;
    case CMARK_NODE_LINEBREAK:
        st->hard = true;
        return;
    case CMARK_NODE_HTML_INLINE:
        return;
    case CMARK_NODE_EMPH:
        /* Easy read avoids italics: emphasis becomes bold. */
        if (sub.font != FONT_MONO)
            sub.font |= sty->easy ? FONT_BOLD : FONT_ITALIC;
        break;
    case CMARK_NODE_STRONG:
        if (sub.font != FONT_MONO)
            sub.font |= FONT_BOLD;
        break;
    case CMARK_NODE_LINK:
        sub.uri = cmark_node_get_url(n);
        break;
    default:
        break;
    }
    add_inlines(f, sty, t, sub, n, st);
}

/* Add the inline children of PARENT starting in state ST; the spacing
 * state at the end goes back to OUT. */
static void add_inlines(ts_fonts *f, const layout_style *sty, ts_words *t, ts_word_state st,
                        cmark_node *parent, ts_word_state *out)
{
    for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
        add_inline(f, sty, t, &st, c);
    if (out)
        out->space = st.space, out->hard = st.hard;
}

/* ------------------------------------------------------------------ */
/* Lines: the units pagination moves. Their ops hold y as a distance
 * below the line's top until the line is placed. */

typedef struct {
    double h, space_before, x, w;
    bool keep_next;
    bool new_page;          /* starts a page (an annex) */
    cmark_node *node;
    size_t op0, op1;
    int mark;
    int page;
    double top;
} line;

typedef struct {
    cmark_node *node;
    double x, w;
} geo;

typedef enum { MARK_NONE, MARK_BULLET, MARK_NUMBER, MARK_TICK, MARK_CROSS, MARK_CONSENT } marker_kind;

typedef struct {
    const document *d;
    ts_fonts *f;
    layout *out;
    const layout_style *s;
    line *lines;
    size_t nlines, caplines;
    geo *geos;
    size_t ngeos, capgeos;
    double space;           /* space wanted before the next line */
    double space_cap;       /* after a heading: at most this; < 0 none */
    bool keep_all;          /* inside a keep-together block */
    marker_kind marker;
    int marker_num;
    double marker_x;        /* left edge of the item's text */
    double sig_col;         /* width of the signature rows' first labels */
    bool break_pending;     /* the next line starts a new page */
    /* Structure: the element new elements go under, the one new
     * operations belong to, the list item's label, the consent row's
     * answers and the table the signature rows make. */
    int parent, elem, marker_elem, consent_td[2], sig_table;
    bool text_in_parent;    /* the next paragraph is its parent's text (a one-paragraph LBody) */
} ctx;

static ts_op *add_op(ctx *c, ts_op_kind kind, double x, double y, double w, double h)
{
    ts_op *op = ts_push(&c->out->ops, kind, x, y, w, h);
    op->elem = c->elem;
    return op;
}

/* A new element of ROLE under the current parent. */
static int open_elem(ctx *c, ts_role role)
{
    return ts_tree_add(&c->out->tree, c->parent, role);
}

static void want_space(ctx *c, double s)
{
    if (c->space_cap >= 0 && s > c->space_cap)
        s = c->space_cap;
    if (s > c->space)
        c->space = s;
}

static line *new_line(ctx *c, double h, double x, double w, cmark_node *node)
{
    if (c->nlines == c->caplines) {
        c->caplines = c->caplines ? 2 * c->caplines : 64;
        c->lines = xrealloc(c->lines, c->caplines * sizeof *c->lines);
    }
    line *ln = &c->lines[c->nlines++];
    memset(ln, 0, sizeof *ln);
    ln->h = h, ln->x = x, ln->w = w, ln->node = node, ln->mark = -1;
    ln->space_before = c->space;
    ln->keep_next = c->keep_all;
    ln->new_page = c->break_pending;
    c->break_pending = false;
    ln->op0 = ln->op1 = c->out->ops.n;
    c->space = 0;
    c->space_cap = -1;
    return ln;
}

static void end_line(ctx *c, line *ln)
{
    ln->op1 = c->out->ops.n;
}

static void set_geo(ctx *c, cmark_node *n, double x, double w)
{
    if (c->ngeos == c->capgeos) {
        c->capgeos = c->capgeos ? 2 * c->capgeos : 64;
        c->geos = xrealloc(c->geos, c->capgeos * sizeof *c->geos);
    }
    c->geos[c->ngeos++] = (geo){n, x, w};
}

/* Draw the pending list marker beside a line whose baseline is BASE below
 * its top. */
static void draw_marker(ctx *c, double base, double size)
{
    double x = c->marker_x;
    ts_op *op;
    switch (c->marker) {
    case MARK_BULLET:
        op = add_op(c, TS_BULLET, x - 0.95 * size, base - 0.33 * size, 0.36 * size, 0);
        op->elem = c->marker_elem;
        break;
    case MARK_NUMBER: {
        char buf[16];
        snprintf(buf, sizeof buf, "%d.", c->marker_num);
        double w = ts_width(c->f, FONT_REGULAR, size, buf, strlen(buf));
        op = add_op(c, TS_TEXT, x - 0.45 * size - w, base, w, 0);
        op->font = FONT_REGULAR, op->size = size, op->text = xstrdup(buf);
        op->elem = c->marker_elem;
        break;
    }
    case MARK_TICK:
    case MARK_CROSS: {
        double box = 0.9 * size;
        op = add_op(c, c->marker == MARK_TICK ? TS_TICK : TS_CROSS, x - 0.6 * size - box,
                    base + 0.08 * size, box, box);
        op->line_width = 0.16 * size, op->elem = c->marker_elem;
        break;
    }
    case MARK_CONSENT: {
        /* Two boxes to tick, "Yes" and "No", before the use they answer. */
        static const char *const answers[2] = {"Yes", "No"};
        double box = 0.95 * size;
        for (int k = 0; k < 2; k++) {
            op = add_op(c, TS_SHAPE, x, base + 0.12 * size, box, box);
            op->shape = TS_SHAPE_TICKBOX, op->line_width = 0.8;
            op->sr = op->sg = op->sb = 0.2, op->elem = TS_ARTIFACT;
            x += box + 0.3 * size;
            double w = ts_width(c->f, FONT_BOLD, size, answers[k], strlen(answers[k]));
            op = add_op(c, TS_TEXT, x, base, w, 0);
            op->font = FONT_BOLD, op->size = size, op->text = xstrdup(answers[k]);
            op->elem = c->consent_td[k];
            x += w + 1.1 * size;
        }
        break;
    }
    case MARK_NONE:
        break;
    }
    c->marker = MARK_NONE;
}


/* Lay tokens out as a paragraph at X, W: no single line left alone at
 * the foot or head of a page. Returns the number of lines. */
static size_t lay_tokens(ctx *c, ts_words *t, double x, double w, const ts_text_style *ts,
                         cmark_node *node)
{
    ts_words_split_wide(c->f, t, w, ts->size);
    size_t *starts;
    size_t n = ts_break_lines(t, w, &starts);
    double base = (ts->lead - ts->size) / 2 + 0.8 * ts->size;
    for (size_t i = 0; i < n; i++) {
        line *ln = new_line(c, ts->lead, x, w, node);
        if (i == 0 || i + 2 == n)
            ln->keep_next = ln->keep_next || n > 1;
        if (c->marker != MARK_NONE)
            draw_marker(c, base, c->s->body);
        ts_emit_line(&c->out->ops, t, starts[i], starts[i + 1], x, base, ts, c->elem);
        end_line(c, ln);
    }
    free(starts);
    return n;
}

static ts_text_style body_style(const ctx *c)
{
    const layout_style *s = c->s;
    return (ts_text_style){s->body, s->body * s->leading, 0.1, 0.1, 0.1, !s->easy};
}

static void lay_inlines(ctx *c, cmark_node *n, double x, double w, int font,
                        const ts_text_style *ts)
{
    ts_words t = {0};
    ts_word_state st = {.font = font, .size = ts->size};
    add_inlines(c->f, c->s, &t, st, n, NULL);
    lay_tokens(c, &t, x, w, ts, n);
    ts_words_free(&t);
}

static void lay_paragraph(ctx *c, cmark_node *n, double x, double w)
{
    ts_text_style ts = body_style(c);
    cmark_node *parent = cmark_node_parent(n);
    bool tight = parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
                 cmark_node_get_list_tight(cmark_node_parent(parent));
    want_space(c, (tight ? 0.25 : 0.6) * ts.lead);
    c->elem = c->text_in_parent ? c->parent : open_elem(c, TS_P);
    c->text_in_parent = false;
    lay_inlines(c, n, x, w, FONT_REGULAR, &ts);
}

/* Plain text of N's inlines, for bookmarks and signature labels. */
static void plain_text(cmark_node *n, strbuf *sb)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type ty = cmark_node_get_type(k);
        if (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE)
            sb_puts(sb, cmark_node_get_literal(k));
        else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
            sb_puts(sb, "\n");
        else
            plain_text(k, sb);
    }
}

static void add_mark(ctx *c, line *ln, int level, const char *utf8)
{
    layout *l = c->out;
    if (l->nmarks == l->capmarks) {
        l->capmarks = l->capmarks ? 2 * l->capmarks : 16;
        l->marks = xrealloc(l->marks, l->capmarks * sizeof *l->marks);
    }
    char *flat = xstrdup(utf8);
    for (char *p = flat; *p; p++)
        if (*p == '\n')
            *p = ' ';
    l->marks[l->nmarks] = (ts_mark){level, ts_encode(c->f, flat), 0, 0};
    free(flat);
    ln->mark = (int)l->nmarks++;
}

static ts_text_style heading_style(const ctx *c, int level)
{
    double size = c->s->heading[level < 1 ? 1 : level > 6 ? 6 : level];
    ts_text_style ts = {size, size * 1.22, 0.09, 0.2, 0.38, !c->s->easy};
    return ts;
}

/* A heading keeps with what follows it. TEXT replaces N's inlines when N
 * is NULL (the title aupc adds). */
static void lay_heading(ctx *c, cmark_node *n, int level, const char *text, double x, double w)
{
    ts_text_style ts = heading_style(c, level);
    want_space(c, (level <= 1 ? 0.4 : c->s->heading_gap) * c->s->body * c->s->leading);
    c->elem = open_elem(c, TS_H1 + (level < 1 ? 0 : level > 6 ? 5 : level - 1));
    size_t first = c->nlines;
    ts_words t = {0};
    ts_word_state st = {.font = FONT_BOLD, .size = ts.size};
    if (n)
        add_inlines(c->f, c->s, &t, st, n, NULL);
    else
        ts_words_add(c->f, &t, &st, text);
    size_t nl = lay_tokens(c, &t, x, w, &ts, n);
    ts_words_free(&t);
    for (size_t i = first; i < c->nlines; i++)
        c->lines[i].keep_next = true;
    if (nl) {
        strbuf sb = {0};
        if (n)
            plain_text(n, &sb);
        add_mark(c, &c->lines[first], level, n ? (sb.data ? sb.data : "") : text);
        sb_free(&sb);
    }
    c->space = 0;
    c->space_cap = 0.35 * c->s->body * c->s->leading;
}

static void lay_block(ctx *c, cmark_node *n, double x, double w);

static void lay_children(ctx *c, cmark_node *n, double x, double w)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        lay_block(c, k, x, w);
}

/* N's children inside an element of ROLE. */
static void lay_container(ctx *c, cmark_node *n, ts_role role, double x, double w)
{
    int saved = c->parent;
    c->parent = open_elem(c, role);
    lay_children(c, n, x, w);
    c->parent = saved;
}

static marker_kind item_marker(const ctx *c, cmark_node *item, cmark_list_type type)
{
    const doc_tag *tag = document_item_tag(item);
    if (c->s->symbols && tag && tag->positive_rule)
        return MARK_TICK;
    if (c->s->symbols && tag && tag->negative_rule)
        return MARK_CROSS;
    return type == CMARK_ORDERED_LIST ? MARK_NUMBER : MARK_BULLET;
}

/* A list item's label: a bullet or number, or a tick or cross whose /Alt
 * says what it means (the label itself, not a figure in it: one object
 * fewer per rule). Returns the element its marker draws in. */
static int open_label(ctx *c, marker_kind kind)
{
    int lbl = open_elem(c, TS_LBL);
    if (kind == MARK_BULLET)
        c->out->tree.v[lbl].actual = xstrdup("\xE2\x80\xA2");
    else if (kind == MARK_TICK || kind == MARK_CROSS)
        ts_tree_set_alt(&c->out->tree, lbl, kind == MARK_TICK ? "Allowed" : "Not allowed");
    return lbl;
}

static void lay_list(ctx *c, cmark_node *list, double x, double w)
{
    cmark_list_type type = cmark_node_get_list_type(list);
    double indent = (c->s->symbols ? 2.1 : 1.6) * c->s->body;
    int num = cmark_node_get_list_start(list);
    want_space(c, 0.6 * c->s->body * c->s->leading);
    int saved = c->parent;
    int l = open_elem(c, TS_L);
    bool symbols = false;
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it), num++) {
        set_geo(c, it, x, w);
        want_space(c, c->s->item_gap * c->s->body * c->s->leading);
        c->marker = item_marker(c, it, type);
        c->marker_num = num;
        c->marker_x = x + indent;
        symbols |= c->marker == MARK_TICK || c->marker == MARK_CROSS;
        c->parent = l;
        c->parent = open_elem(c, TS_LI);
        c->marker_elem = open_label(c, c->marker);
        c->parent = open_elem(c, TS_LBODY);
        /* A body of one paragraph holds its text itself, as Word tags it. */
        cmark_node *only = cmark_node_first_child(it);
        c->text_in_parent = only && !cmark_node_next(only) &&
                            cmark_node_get_type(only) == CMARK_NODE_PARAGRAPH;
        lay_children(c, it, x + indent, w - indent);
        c->text_in_parent = false;
        c->marker = MARK_NONE;
    }
    c->out->tree.v[l].numbering = type == CMARK_ORDERED_LIST ? "Decimal" : symbols ? "None"
                                                                               : "Disc";
    c->parent = saved;
}

static void lay_code_block(ctx *c, cmark_node *n, double x, double w)
{
    ts_text_style ts = body_style(c);
    ts.size *= 0.9;
    ts.lead = ts.size * 1.3;
    want_space(c, 0.6 * c->s->body * c->s->leading);
    c->elem = open_elem(c, TS_P);
    const char *lit = cmark_node_get_literal(n);
    for (const char *p = lit ? lit : ""; *p;) {
        size_t len = strcspn(p, "\n");
        char *one = xstrndup(p, len);
        ts_words t = {0};
        ts_word_state st = {.font = FONT_MONO, .size = ts.size};
        ts_words_add(c->f, &t, &st, one);
        if (t.n == 0)
            end_line(c, new_line(c, ts.lead, x, w, n));
        lay_tokens(c, &t, x + 0.5 * ts.size, w - 0.5 * ts.size, &ts, n);
        ts_words_free(&t);
        free(one);
        p += len + (p[len] == '\n');
    }
}

static void lay_rule(ctx *c, cmark_node *n, double x, double w)
{
    double lead = c->s->body * c->s->leading;
    want_space(c, 0.3 * lead);
    line *ln = new_line(c, lead, x, w, n);
    ts_op *op = add_op(c, TS_RULE, x, lead / 2, w, 0);
    op->line_width = 0.6, op->r = op->g = op->b = 0.6, op->elem = TS_ARTIFACT;
    end_line(c, ln);
}

static void lay_signature(ctx *c, cmark_node *n, double x, double w);

/* What follows starts on a new page (unless nothing came before). */
static void start_page(ctx *c)
{
    if (c->nlines) {
        c->lines[c->nlines - 1].keep_next = false;
        c->break_pending = true;
    }
    c->space = 0;
}

/* The image consent list: each item's paragraph opens with a "Yes / No: "
 * text node, drawn here as two boxes to tick. */
static void lay_consent(ctx *c, cmark_node *list, double x, double w)
{
    ts_text_style ts = body_style(c);
    double size = c->s->body, box = 0.95 * size;
    double indent = 2 * (box + 0.3 * size) + 2 * 1.1 * size +
                    ts_width(c->f, FONT_BOLD, size, "Yes", 3) +
                    ts_width(c->f, FONT_BOLD, size, "No", 2);
    want_space(c, 0.6 * ts.lead);
    int saved = c->parent, table = open_elem(c, TS_TABLE);
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
        set_geo(c, it, x, w);
        cmark_node *para = cmark_node_first_child(it);
        if (!para)
            continue;
        want_space(c, 0.55 * ts.lead);
        /* A row: "Yes", "No" and the use they answer. */
        c->parent = table;
        c->parent = open_elem(c, TS_TR);
        c->consent_td[0] = open_elem(c, TS_TD);
        c->consent_td[1] = open_elem(c, TS_TD);
        c->elem = open_elem(c, TS_TD);
        ts_words t = {0};
        ts_word_state st = {.font = FONT_REGULAR, .size = ts.size};
        cmark_node *k = cmark_node_first_child(para);
        if (k && cmark_node_get_type(k) == CMARK_NODE_TEXT)
            k = cmark_node_next(k);     /* the "Yes / No: " prompt */
        for (; k; k = cmark_node_next(k))
            add_inline(c->f, c->s, &t, &st, k);
        c->marker = MARK_CONSENT;
        c->marker_x = x;
        lay_tokens(c, &t, x + indent, w - indent, &ts, para);
        c->marker = MARK_NONE;
        ts_words_free(&t);
    }
    c->parent = saved;
}

/* LIST's items as numbered sentences on one line: a figure's words. */
static void list_text(cmark_node *list, strbuf *sb)
{
    int num = cmark_node_get_list_start(list);
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it), num++) {
        sb_printf(sb, "%s%d. ", sb->len ? " " : "", num);
        size_t from = sb->len;
        for (cmark_node *p = cmark_node_first_child(it); p; p = cmark_node_next(p))
            plain_text(p, sb);
        for (size_t i = from; i < sb->len; i++)
            if (sb->data[i] == '\n')
                sb->data[i] = ' ';
    }
}

/* The incident flowchart: its heading and introduction, then the chart
 * filling the rest of a page of its own. Without the chart data the
 * numbered steps are laid out as text instead. */
static void lay_flowchart(ctx *c, cmark_node *n, double x, double w)
{
    const flowchart *fc = flowchart_builtin(NULL);
    layout *l = c->out;
    start_page(c);
    size_t first = c->nlines;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        if (!fc || cmark_node_get_type(k) != CMARK_NODE_LIST)
            lay_block(c, k, x, w);
    if (!fc)
        return;
    double used = 0;
    for (size_t i = first; i < c->nlines; i++) {
        used += c->lines[i].h + (i > first ? c->lines[i].space_before : 0);
        c->lines[i].keep_next = true;
    }
    want_space(c, 0.8 * c->s->body * c->s->leading);
    double before = c->nlines > first ? c->space : 0;
    double avail = (l->top - l->bottom) - used - before - 1;
    double top = l->top - used - before;
    line *ln = new_line(c, avail, x, w, n);
    flow_layout fl;
    flowchart_layout(fc, c->f, x, top - avail, w, avail, &fl);
    size_t op0 = l->ops.n;
    flowchart_emit(fc, &fl, c->f, &l->ops, top);
    flow_layout_free(&fl);
    /* One figure, whose alternative text is the steps the chart draws. */
    int fig = open_elem(c, TS_FIGURE);
    for (size_t k = op0; k < l->ops.n; k++)
        l->ops.v[k].elem = fig;
    strbuf alt = {0};
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        if (cmark_node_get_type(k) == CMARK_NODE_LIST)
            list_text(k, &alt);
    ts_tree_set_alt(&l->tree, fig, alt.data ? alt.data : "");
    sb_free(&alt);
    end_line(c, ln);
    ln->keep_next = false;
    c->break_pending = true;
}

static void lay_block(ctx *c, cmark_node *n, double x, double w)
{
    const doc_tag *tag = document_tag_of(n);
    set_geo(c, n, x, w);
    if (tag && tag->kind == TAG_SIGNATURE) {
        lay_signature(c, n, x, w);
        return;
    }
    if (tag && tag->kind == TAG_FLOWCHART) {
        lay_flowchart(c, n, x, w);
        return;
    }
    if (tag && tag->kind == TAG_ANNEX) {
        start_page(c);
        lay_container(c, n, TS_SECT, x, w);
        return;
    }
    if (tag && tag->kind == TAG_CONSENT && cmark_node_get_type(n) == CMARK_NODE_LIST) {
        lay_consent(c, n, x, w);
        return;
    }
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        lay_paragraph(c, n, x, w);
        break;
    case CMARK_NODE_HEADING:
        lay_heading(c, n, cmark_node_get_heading_level(n), NULL, x, w);
        break;
    case CMARK_NODE_LIST:
        lay_list(c, n, x, w);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
        want_space(c, 0.6 * c->s->body * c->s->leading);
        lay_container(c, n, TS_BLOCKQUOTE, x + c->s->body * 1.2, w - c->s->body * 1.2);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        lay_rule(c, n, x, w);
        break;
    case CMARK_NODE_CODE_BLOCK:
        lay_code_block(c, n, x, w);
        break;
    case CMARK_NODE_HTML_BLOCK:
        break;
    default:
        lay_children(c, n, x, w);
        break;
    }
}

/* ------------------------------------------------------------------ */
/* The acknowledgement block: labels with ruled lines to write on. */

static void sig_row(ctx *c, signature_field *f, size_t n, double x, double w)
{
    double size = c->s->body, lead = size * c->s->leading;
    /* Room to write by hand: less in a compact block, whose type is larger. */
    double h = c->s->compact_signature ? fmax(1.6 * lead, lead + 8) : fmax(2.0 * lead, lead + 14);
    double base = h - 0.45 * lead;
    double total = 0, gap = 1.2 * size;
    for (size_t i = 0; i < n; i++)
        total += f[i].weight;
    if (total < 2)
        total = 2;      /* a lone date needs only half the width */
    line *ln = new_line(c, h, x, w, NULL);
    /* A table row: each label a row header, each rule an empty cell to write in. */
    int saved = c->parent;
    if (c->sig_table < 0)
        c->sig_table = open_elem(c, TS_TABLE);
    c->parent = c->sig_table;
    c->parent = open_elem(c, TS_TR);
    for (size_t i = 0; i < n; i++) {
        c->elem = open_elem(c, TS_TH);
        double slot = (w - gap * (double)(n - 1)) * f[i].weight / total;
        char *enc = ts_encode(c->f, f[i].label);
        double lw = ts_width(c->f, FONT_BOLD, size, enc, strlen(enc));
        if (lw > slot * 0.6)
            lw = 0, enc[0] = 0;     /* no room for the label: just the rule */
        ts_op *op = add_op(c, TS_TEXT, x, base, lw, 0);
        op->font = FONT_BOLD, op->size = size, op->text = enc;
        /* Rules of the first column start together. */
        double col = i == 0 && c->sig_col < slot * 0.6 ? fmax(lw, c->sig_col) : lw;
        double rx = x + col + (lw > 0 ? 0.5 * size : 0);
        ts_op *r = add_op(c, TS_RULE, rx, base + 2, x + slot - rx, 0);
        r->line_width = 0.7, r->r = r->g = r->b = 0.35, r->elem = TS_ARTIFACT;
        open_elem(c, TS_TD);
        x += slot + gap;
    }
    end_line(c, ln);
    c->parent = saved;
}

static void sig_prose(ctx *c, const char *text, double x, double w)
{
    ts_text_style ts = body_style(c);
    c->sig_table = -1;
    c->elem = open_elem(c, TS_P);
    ts_words t = {0};
    ts_word_state st = {.font = FONT_REGULAR, .size = ts.size};
    ts_words_add(c->f, &t, &st, text);
    lay_tokens(c, &t, x, w, &ts, NULL);
    ts_words_free(&t);
}

/* Lay one line of the block's text: prose, or a row of fields. Returns
 * whether it named a parent or carer. */
static bool sig_line(ctx *c, const char *text, double x, double w, size_t *nfields)
{
    signature_field f[6];
    size_t n = signature_fields(text, f, 6);
    bool parent = false;
    if (n == 0) {
        want_space(c, 0.3 * c->s->body * c->s->leading);
        sig_prose(c, text, x, w);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        parent = parent || signature_has_word(f[i].label, "parent") ||
                           signature_has_word(f[i].label, "carer");
    sig_row(c, f, n, x, w);
    for (size_t i = 0; i < n; i++)
        free(f[i].label);
    *nfields += n;
    return parent;
}

/* Walk the block's paragraphs line by line. */
static bool sig_walk(ctx *c, cmark_node *n, double x, double w, size_t *nfields)
{
    bool parent = false;
    cmark_node_type ty = cmark_node_get_type(n);
    if (ty == CMARK_NODE_HEADING) {
        c->sig_table = -1;
        lay_heading(c, n, cmark_node_get_heading_level(n), NULL, x, w);
        return false;
    }
    if (ty != CMARK_NODE_PARAGRAPH) {
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            parent = sig_walk(c, k, x, w, nfields) || parent;
        return parent;
    }
    strbuf sb = {0};
    plain_text(n, &sb);
    for (char *p = sb.data, *e; p && *p; p = e + (*e == '\n')) {
        e = p + strcspn(p, "\n");
        char *one = xstrndup(p, (size_t)(e - p));
        parent = sig_line(c, one, x, w, nfields) || parent;
        free(one);
    }
    sb_free(&sb);
    return parent;
}

/* Widen the label column to fit the first label of LINE. */
static void sig_measure_line(ctx *c, const char *line)
{
    signature_field f[6];
    size_t n = signature_fields(line, f, 6);
    if (n > 0) {
        char *enc = ts_encode(c->f, f[0].label);
        c->sig_col = fmax(c->sig_col, ts_width(c->f, FONT_BOLD, c->s->body, enc,
                                                   strlen(enc)));
        free(enc);
    }
    for (size_t i = 0; i < n; i++)
        free(f[i].label);
}

static void sig_measure(ctx *c, cmark_node *n)
{
    if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH) {
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            sig_measure(c, k);
        return;
    }
    strbuf sb = {0};
    plain_text(n, &sb);
    for (char *p = sb.data, *e; p && *p; p = e + (*e == '\n')) {
        e = p + strcspn(p, "\n");
        char *one = xstrndup(p, (size_t)(e - p));
        sig_measure_line(c, one);
        free(one);
    }
    sb_free(&sb);
}

static void lay_signature(ctx *c, cmark_node *n, double x, double w)
{
    c->sig_col = 0;
    sig_measure(c, n);
    if (c->s->countersign)
        sig_measure_line(c, "Parent or carer: ___");
    size_t nfields = 0, first = c->nlines;
    /* The words that lead into the block go with it: a signature is never
     * alone on a page. */
    if (first > 0)
        c->lines[first - 1].keep_next = true;
    want_space(c, 0.5 * c->s->body * c->s->leading);
    /* The block moves to the next page whole rather than split. */
    c->keep_all = true;
    bool parent = sig_walk(c, n, x, w, &nfields);
    if (nfields == 0) {
        sig_line(c, "Name: ___", x, w, &nfields);
        sig_line(c, "Signature: ___ Date: ___", x, w, &nfields);
    }
    if (c->s->countersign && !parent)
        sig_line(c, "Parent or carer: ___ Date: ___", x, w, &nfields);
    c->keep_all = false;
    c->sig_table = -1;
    if (c->nlines > first)
        c->lines[c->nlines - 1].keep_next = false;
    for (size_t i = first; i < c->nlines; i++)
        c->lines[i].node = n;
}

/* ------------------------------------------------------------------ */
/* Pagination */

static void place(line *ln, int page, double *y, bool at_top)
{
    if (!at_top)
        *y -= ln->space_before;
    ln->page = page;
    ln->top = *y;
    *y -= ln->h;
}

/* The lines from I that must stay on one page, and their height. */
static size_t chunk_end(const ctx *c, size_t i, double *h)
{
    size_t j = i;
    *h = c->lines[i].h;
    while (j + 1 < c->nlines && c->lines[j].keep_next) {
        j++;
        *h += c->lines[j].space_before + c->lines[j].h;
    }
    return j + 1;
}

static int paginate(ctx *c)
{
    const layout *l = c->out;
    int page = 1;
    double y = l->top;
    for (size_t i = 0; i < c->nlines;) {
        double h;
        size_t end = chunk_end(c, i, &h);
        bool at_top = y >= l->top;
        if (!at_top && y - c->lines[i].space_before - h < l->bottom) {
            page++, y = l->top, at_top = true;
        }
        for (; i < end; i++) {
            if (c->lines[i].new_page && y < l->top)
                page++, y = l->top;
            /* A chunk taller than a page has to break somewhere. */
            if (y - c->lines[i].h < l->bottom && y < l->top)
                page++, y = l->top;
            place(&c->lines[i], page, &y, y >= l->top);
        }
    }
    return page;
}

/* Turn line-relative y into page coordinates. */
static void fix_ops(ctx *c)
{
    layout *l = c->out;
    for (size_t i = 0; i < c->nlines; i++) {
        line *ln = &c->lines[i];
        for (size_t k = ln->op0; k < ln->op1; k++) {
            l->ops.v[k].page = ln->page;
            l->ops.v[k].y = ln->top - l->ops.v[k].y;
        }
        if (ln->mark >= 0) {
            l->marks[ln->mark].page = ln->page;
            l->marks[ln->mark].y = ln->top;
        }
    }
}

/* collect_blocks looks up every ancestor of every line; a linear search
 * through the blocks (and the geometry) made a long document quadratic, so
 * both are found through a small open-addressing table keyed on the node
 * and page. */
typedef struct {
    cmark_node *node;
    int page;
    bool used;
    size_t index;
} node_slot;

typedef struct {
    node_slot *slots;
    size_t cap, count;
} node_map;

static size_t node_hash(const cmark_node *n, int page)
{
    uint64_t h = (uint64_t)(uintptr_t)n * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)(unsigned)page * 0xC2B2AE3D27D4EB4Fu;
    h ^= h >> 29;
    return (size_t)h;
}

static node_slot *node_map_slot(const node_map *m, const cmark_node *n, int page)
{
    size_t mask = m->cap - 1;
    for (size_t i = node_hash(n, page) & mask;; i = (i + 1) & mask) {
        node_slot *s = &m->slots[i];
        if (!s->used || (s->node == n && s->page == page))
            return s;
    }
}

static void node_map_put(node_map *m, cmark_node *n, int page, size_t index)
{
    if ((m->count + 1) * 2 > m->cap) {
        node_map old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->slots = xcalloc(m->cap, sizeof *m->slots);
        m->count = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].used)
                node_map_put(m, old.slots[i].node, old.slots[i].page, old.slots[i].index);
        free(old.slots);
    }
    node_slot *s = node_map_slot(m, n, page);
    if (!s->used) {
        *s = (node_slot){n, page, true, 0};
        m->count++;
    }
    s->index = index;
}

static const node_slot *node_map_get(const node_map *m, const cmark_node *n, int page)
{
    if (!m->cap)
        return NULL;
    const node_slot *s = node_map_slot(m, n, page);
    return s->used ? s : NULL;
}

static void extend_block(ctx *c, node_map *blocks, const node_map *geos, cmark_node *n,
                         const line *ln, size_t *cap)
{
    layout *l = c->out;
    const node_slot *found = node_map_get(blocks, n, ln->page);
    if (found) {
        layout_block *b = &l->blocks[found->index];
        double bottom = fmin(b->y, ln->top - ln->h);
        b->h = fmax(b->y + b->h, ln->top) - bottom;
        b->y = bottom;
        return;
    }
    if (l->nblocks == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        l->blocks = xrealloc(l->blocks, *cap * sizeof *l->blocks);
    }
    const node_slot *gs = n ? node_map_get(geos, n, 0) : NULL;
    const geo *g = gs ? &c->geos[gs->index] : NULL;
    node_map_put(blocks, n, ln->page, l->nblocks);
    l->blocks[l->nblocks++] = (layout_block){
        ln->page, g ? g->x : ln->x, ln->top - ln->h, g ? g->w : ln->w, ln->h, n,
        n ? document_tag_of(n) : NULL};
}

static void collect_blocks(ctx *c)
{
    size_t cap = 0;
    node_map blocks = {0}, geos = {0};
    /* The last geometry recorded for a node wins. */
    for (size_t i = 0; i < c->ngeos; i++)
        node_map_put(&geos, c->geos[i].node, 0, i);
    for (size_t i = 0; i < c->nlines; i++) {
        const line *ln = &c->lines[i];
        if (!ln->node) {
            extend_block(c, &blocks, &geos, NULL, ln, &cap);
            continue;
        }
        for (cmark_node *n = ln->node; n && cmark_node_get_type(n) != CMARK_NODE_DOCUMENT;
             n = cmark_node_parent(n))
            extend_block(c, &blocks, &geos, n, ln, &cap);
    }
    free(blocks.slots);
    free(geos.slots);
}

/* Block quotes get a bar down their left edge on every page they touch. */
static void quote_bars(ctx *c)
{
    layout *l = c->out;
    for (size_t i = 0; i < l->nblocks; i++) {
        const layout_block *b = &l->blocks[i];
        if (!b->node || cmark_node_get_type(b->node) != CMARK_NODE_BLOCK_QUOTE)
            continue;
        ts_op *op = add_op(c, TS_BAR, b->x, b->y, 2.5, b->h);
        op->page = b->page, op->r = op->g = 0.75, op->b = 0.8, op->elem = TS_ARTIFACT;
    }
}

/* ------------------------------------------------------------------ */

static bool starts_with_title(const document *d)
{
    cmark_node *first = d->root ? cmark_node_first_child(d->root) : NULL;
    while (first && cmark_node_get_type(first) == CMARK_NODE_HTML_BLOCK)
        first = cmark_node_next(first);
    return first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
           cmark_node_get_heading_level(first) == 1;
}

int layout_run(const document *d, ts_fonts *f, layout *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    ts_fonts_track(f, &out->font_uses);
    style_for(d, &out->style);
    out->page_w = PAGE_W, out->page_h = PAGE_H;
    out->left = MARGIN, out->right = PAGE_W - MARGIN;
    out->top = CONTENT_TOP, out->bottom = CONTENT_BOTTOM;
    ctx c = {.d = d, .f = f, .out = out, .s = &out->style, .space_cap = -1, .parent = -1,
             .elem = TS_ARTIFACT, .sig_table = -1};
    double x = out->left, w = out->style.measure;
    if (d->title && *d->title && !starts_with_title(d))
        lay_heading(&c, NULL, 1, d->title, x, w);
    if (d->root)
        lay_children(&c, d->root, x, w);
    out->pages = c.nlines ? paginate(&c) : 1;
    fix_ops(&c);
    collect_blocks(&c);
    quote_bars(&c);
    free(c.lines);
    free(c.geos);
    ts_fonts_track(f, NULL);
    if (ts_fonts_failed(f)) {
        ts_fonts_report(f, d->source_file, diags);
        return -1;
    }
    /* The running header and footer, drawn with the pages, are checked
     * with the body. */
    ts_ops all = out->ops;
    const char *heads[] = {d->setting_name, d->title, d->version, d->audience_label};
    for (size_t i = 0; i < 4; i++) {
        ts_op *op = ts_push(&all, TS_TEXT, 0, 0, 0, 0);
        op->font = FONT_REGULAR, op->text = ts_encode(f, heads[i] ? heads[i] : "");
    }
    const char *files[] = {d->source_file};
    int rc = layout_check_glyphs(f, &all, files, 1, true, LAYOUT_INSTEAD, diags);
    for (size_t i = out->ops.n; i < all.n; i++)
        free(all.v[i].text);
    all.n = out->ops.n;
    out->ops = all;
    return rc;
}

void layout_init_page(layout *l)
{
    memset(l, 0, sizeof *l);
    l->page_w = PAGE_W, l->page_h = PAGE_H;
    l->left = MARGIN, l->right = PAGE_W - MARGIN;
    l->top = CONTENT_TOP, l->bottom = CONTENT_BOTTOM;
    l->pages = 1;
    l->style = styles[STYLE_STANDARD];
    l->style.measure = PAGE_W - 2 * MARGIN;
}

void layout_free(layout *l)
{
    ts_ops_free(&l->ops);
    ts_tree_free(&l->tree);
    for (size_t i = 0; i < l->nmarks; i++)
        free(l->marks[i].title);
    free(l->marks);
    free(l->blocks);
    memset(l, 0, sizeof *l);
}

void layout_fill_info(const layout *l, const ts_fonts *f, layout_info *info)
{
    memset(info, 0, sizeof *info);
    info->nblocks = l->nblocks;
    info->blocks = xmalloc((l->nblocks ? l->nblocks : 1) * sizeof *info->blocks);
    if (l->nblocks)
        memcpy(info->blocks, l->blocks, l->nblocks * sizeof *l->blocks);
    info->pages = l->pages;
    for (size_t i = 0; i < l->nblocks; i++)
        if (l->blocks[i].tag && l->blocks[i].tag->kind == TAG_STATEMENT &&
            l->blocks[i].page > info->core_pages)
            info->core_pages = l->blocks[i].page;
    info->unicode_font = ts_utf8(f);
    info->body_size = l->style.body;
    info->page_w = l->page_w, info->page_h = l->page_h;
    info->margin_left = l->left, info->margin_right = l->page_w - l->right;
    info->content_top = l->top, info->content_bottom = l->bottom;
}

int layout_measure(const document *d, const pdf_options *o, layout_info *info,
                   diag_list *diags)
{
    ts_doc *doc = layout_doc_new(&d, 1, o);
    if (!doc) {
        diag_add(diags, DIAG_ERROR, d->source_file, 0, 0, NULL,
                 "cannot lay out %s: out of memory", d->audience_id ? d->audience_id
                                                                    : "this document");
        return -1;
    }
    layout l;
    int rc = layout_run(d, ts_doc_fonts(doc), &l, diags);
    if (rc == 0 && ts_doc_failed(doc)) {
        ts_doc_report(doc, d->source_file, d->audience_id, diags);
        rc = -1;
    }
    if (rc == 0)
        layout_fill_info(&l, ts_doc_fonts(doc), info);
    layout_free(&l);
    ts_doc_free(doc);
    return rc;
}

int layout_core_pages(const layout_info *info)
{
    return info->core_pages;
}

void layout_info_free(layout_info *info)
{
    if (!info)
        return;
    free(info->blocks);
    info->blocks = NULL;
    info->nblocks = 0;
}
