#include "render_docx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audience.h"
#include "render_docx_image.h"
#include "render_docx_package.h"
#include "render_docx_styles.h"
#include "pack.h"
#include "signature.h"
#include "util/utf8.h"

#define NO_STYLE DOCX_STYLE_COUNT

typedef struct {
    xmlTextWriterPtr w;         /* word/document.xml */
    xmlBufferPtr w_buf;
    docx_pkg *pkg;
    docx_looks looks;
    docx_look look;             /* of the part being written */
    const document *d;          /* the part being written */
    bool symbols;               /* ticks and crosses beside rules */
    docx_num *nums;             /* one per numbered list */
    size_t nnums;
    int pictures;               /* drawings so far: each needs its own id */
    int headers, footers;       /* so far, for their part names */
    const char *image_rel[DOCX_IMAGE_COUNT];
    /* where the walk is */
    int depth;                  /* of list nesting */
    int quote;                  /* of block quotes */
    int num_id;                 /* of the innermost list */
    bool ordered;
    bool item_open;             /* the next paragraph opens a list item */
    int item_mark;              /* -1, or the docx_image beside it */
    bool after_title;           /* the last block was the title */
    bool new_page;              /* the next block starts a page */
    char idbuf[64];
} wctx;

static docx_look look_of(const document *d)
{
    if (d->reading == READING_EASY)
        return DOCX_LOOK_EASY;
    return audience_for(d->kind, d->band)->young ? DOCX_LOOK_YOUNG : DOCX_LOOK_STANDARD;
}

static const char *sid(wctx *c, docx_style s)
{
    return docx_style_id(&c->looks, c->look, s, c->idbuf, sizeof c->idbuf);
}

/* ------------------------------------------------------------------ */
/* Runs */

static void run_open(wctx *c, docx_style rs)
{
    docx_start(c->w, "w:r");
    if (rs != NO_STYLE) {
        docx_start(c->w, "w:rPr");
        docx_el_val(c->w, "w:rStyle", sid(c, rs));
        docx_end(c->w);
    }
}

static void text_el(wctx *c, const char *s, size_t len)
{
    docx_start(c->w, "w:t");
    xmlTextWriterWriteAttribute(c->w, BAD_CAST "xml:space", BAD_CAST "preserve");
    docx_text(c->w, s, len);
    docx_end(c->w);
}

/* Text in one run; tabs and line ends become Word's own. */
static void run_text(wctx *c, const char *s, docx_style rs)
{
    if (!s || !*s)
        return;
    run_open(c, rs);
    while (*s) {
        size_t n = strcspn(s, "\t\n");
        if (n)
            text_el(c, s, n);
        s += n;
        if (*s == '\t')
            docx_el(c->w, "w:tab");
        else if (*s == '\n' && s[1])
            docx_el(c->w, "w:br");
        if (*s)
            s++;
    }
    docx_end(c->w);
}

static void run_break(wctx *c, const char *type)
{
    docx_start(c->w, "w:r");
    docx_start(c->w, "w:br");
    if (type)
        docx_attr(c->w, "w:type", type);
    docx_end(c->w);
    docx_end(c->w);
}

static void run_tab(wctx *c)
{
    docx_start(c->w, "w:r");
    docx_el(c->w, "w:tab");
    docx_end(c->w);
}

static const char *image_rel(wctx *c, docx_image which)
{
    if (!c->image_rel[which]) {
        const docx_image_data *img = docx_image_get(which);
        char *name = xasprintf("media/%s", img->name);
        c->image_rel[which] = docx_pkg_add(c->pkg, DOCX_PART_IMAGE, name, img->png, img->len,
                                           false);
        free(name);
    }
    return c->image_rel[which];
}

static void attrs_ext(xmlTextWriterPtr w, const char *el, long emu)
{
    docx_start(w, el);
    docx_attr_int(w, "cx", emu);
    docx_attr_int(w, "cy", emu);
    docx_end(w);
}

static void pic_props(wctx *c, const char *tag, const docx_image_data *img)
{
    docx_start(c->w, tag);
    docx_attr_int(c->w, "id", c->pictures);
    docx_attr(c->w, "name", img->name);
    docx_attr(c->w, "descr", img->alt);
    docx_end(c->w);
}

/* A tick or cross in line with the text, its alternative text said by
 * screen readers and kept by every converter. */
static void run_image(wctx *c, docx_image which)
{
    const docx_image_data *img = docx_image_get(which);
    const char *rid = image_rel(c, which);
    long emu = docx_symbol_emu(&c->looks, c->look);
    xmlTextWriterPtr w = c->w;
    c->pictures++;
    docx_start(w, "w:r");
    docx_start(w, "w:drawing");
    docx_start(w, "wp:inline");
    static const char *const dist[] = {"distT", "distB", "distL", "distR"};
    for (int i = 0; i < 4; i++)
        docx_attr(w, dist[i], "0");
    attrs_ext(w, "wp:extent", emu);
    pic_props(c, "wp:docPr", img);
    docx_start(w, "wp:cNvGraphicFramePr");
    docx_start(w, "a:graphicFrameLocks");
    docx_attr(w, "noChangeAspect", "1");
    docx_end(w);
    docx_end(w);
    docx_start(w, "a:graphic");
    docx_start(w, "a:graphicData");
    docx_attr(w, "uri", "http://schemas.openxmlformats.org/drawingml/2006/picture");
    docx_start(w, "pic:pic");
    docx_start(w, "pic:nvPicPr");
    pic_props(c, "pic:cNvPr", img);
    docx_el(w, "pic:cNvPicPr");
    docx_end(w);
    docx_start(w, "pic:blipFill");
    docx_start(w, "a:blip");
    docx_attr(w, "r:embed", rid);
    docx_end(w);
    docx_start(w, "a:stretch");
    docx_el(w, "a:fillRect");
    docx_end(w);
    docx_end(w);
    docx_start(w, "pic:spPr");
    docx_start(w, "a:xfrm");
    docx_start(w, "a:off");
    docx_attr(w, "x", "0");
    docx_attr(w, "y", "0");
    docx_end(w);
    attrs_ext(w, "a:ext", emu);
    docx_end(w);
    docx_start(w, "a:prstGeom");
    docx_attr(w, "prst", "rect");
    docx_el(w, "a:avLst");
    docx_end(w);
    docx_end(w);
    docx_end(w);    /* pic:pic */
    docx_end(w);    /* a:graphicData */
    docx_end(w);    /* a:graphic */
    docx_end(w);    /* wp:inline */
    docx_end(w);    /* w:drawing */
    docx_end(w);    /* w:r */
}

/* Only addresses a reader can follow safely become links. */
static bool linkable(const char *url)
{
    return url && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8) ||
                   !strncasecmp(url, "mailto:", 7));
}

static void inlines(wctx *c, cmark_node *n, docx_style rs);

static void inline_node(wctx *c, cmark_node *k, docx_style rs)
{
    switch (cmark_node_get_type(k)) {
    case CMARK_NODE_TEXT:
        run_text(c, cmark_node_get_literal(k), rs);
        break;
    case CMARK_NODE_CODE:
        run_text(c, cmark_node_get_literal(k), DOCX_CODE);
        break;
    case CMARK_NODE_SOFTBREAK:
        run_text(c, " ", rs);
        break;
    case CMARK_NODE_LINEBREAK:
        run_break(c, NULL);
        break;
    case CMARK_NODE_EMPH:
        inlines(c, k, DOCX_EMPHASIS);
        break;
    case CMARK_NODE_STRONG:
        inlines(c, k, DOCX_STRONG);
        break;
    case CMARK_NODE_LINK:
        if (!linkable(cmark_node_get_url(k))) {
            inlines(c, k, rs);
            break;
        }
        docx_start(c->w, "w:hyperlink");
        docx_attr(c->w, "r:id", docx_pkg_link(c->pkg, cmark_node_get_url(k)));
        docx_attr(c->w, "w:history", "1");
        inlines(c, k, DOCX_HYPERLINK);
        docx_end(c->w);
        break;
    case CMARK_NODE_IMAGE:
        /* An image is not fetched: its description stands in for it. */
        inlines(c, k, rs);
        break;
    default:
        break;  /* raw HTML is markup, not words */
    }
}

static void inlines(wctx *c, cmark_node *n, docx_style rs)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        inline_node(c, k, rs);
}

/* ------------------------------------------------------------------ */
/* Paragraphs */

static void para_open(wctx *c, docx_style ps, int num_id, int ilvl)
{
    /* Word's default paragraph style need not be named; a second look's
     * body text must be. */
    bool named = ps != DOCX_NORMAL || c->look != c->looks.base;
    docx_start(c->w, "w:p");
    if (!named && num_id <= 0)
        return;
    docx_start(c->w, "w:pPr");
    if (named)
        docx_el_val(c->w, "w:pStyle", sid(c, ps));
    if (num_id > 0) {
        docx_start(c->w, "w:numPr");
        docx_el_int(c->w, "w:ilvl", ilvl);
        docx_el_int(c->w, "w:numId", num_id);
        docx_end(c->w);
    }
    docx_end(c->w);
}

static void para_text(wctx *c, docx_style ps, const char *text, docx_style rs)
{
    para_open(c, ps, 0, 0);
    run_text(c, text, rs);
    docx_end(c->w);
}

static void plain(cmark_node *n, strbuf *sb)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            sb_puts(sb, cmark_node_get_literal(k));
        else if (t == CMARK_NODE_SOFTBREAK)
            sb_puts(sb, " ");
        else if (t == CMARK_NODE_LINEBREAK)
            sb_puts(sb, "\n");
        else
            plain(k, sb);
    }
}

static bool is_setting_name(wctx *c, cmark_node *para)
{
    if (!c->d->setting_name)
        return false;
    strbuf sb = {0};
    plain(para, &sb);
    bool same = sb.data && !strcmp(sb.data, c->d->setting_name);
    sb_free(&sb);
    return same;
}

/* A page break before a block that cannot carry one in its style. */
static void page_break(wctx *c)
{
    para_open(c, DOCX_SECTION_END, 0, 0);
    run_break(c, "page");
    docx_end(c->w);
}

static void paragraph(wctx *c, cmark_node *n)
{
    docx_style ps = DOCX_NORMAL;
    int num = 0;
    if (c->item_open) {
        if (c->item_mark >= 0)
            ps = DOCX_LIST_SYMBOL;
        else
            ps = c->ordered ? DOCX_LIST_NUMBER : DOCX_LIST_BULLET;
        /* A bulleted list at the top level takes its numbering from the
         * style; a numbered one names its own, so that it counts from 1. */
        if (ps != DOCX_LIST_SYMBOL && (c->ordered || c->depth > 1))
            num = c->num_id;
    } else if (c->depth > 0) {
        ps = DOCX_LIST_CONTINUE;
    } else if (c->quote > 0) {
        ps = DOCX_QUOTE;
    } else if (c->after_title && is_setting_name(c, n)) {
        ps = DOCX_SUBTITLE;
    }
    para_open(c, ps, num, c->depth > 0 ? c->depth - 1 : 0);
    if (c->item_open && c->item_mark >= 0) {
        run_image(c, (docx_image)c->item_mark);
        run_tab(c);
    }
    c->item_open = false;
    inlines(c, n, NO_STYLE);
    docx_end(c->w);
}

static void heading(wctx *c, cmark_node *n)
{
    int level = cmark_node_get_heading_level(n);
    docx_style ps = level <= 1 ? DOCX_TITLE : level == 2 ? DOCX_H1 : level == 3 ? DOCX_H2
                                                                               : DOCX_H3;
    if (c->new_page && ps == DOCX_H1)
        ps = DOCX_H1_NEW_PAGE;
    else if (c->new_page)
        page_break(c);
    c->new_page = false;
    para_open(c, ps, 0, 0);
    inlines(c, n, NO_STYLE);
    docx_end(c->w);
}

static void code_block(wctx *c, cmark_node *n)
{
    const char *lit = cmark_node_get_literal(n);
    para_open(c, DOCX_PLAIN_TEXT, 0, 0);
    run_text(c, lit ? lit : "", NO_STYLE);
    docx_end(c->w);
}

/* ------------------------------------------------------------------ */
/* Lists */

static int new_num(wctx *c, int start)
{
    c->nums = xrealloc(c->nums, (c->nnums + 1) * sizeof *c->nums);
    int id = 100 + (int)c->nnums;
    c->nums[c->nnums++] = (docx_num){id, start > 0 ? start : 1, c->look};
    return id;
}

static int item_mark(const wctx *c, cmark_node *item)
{
    const doc_tag *t = document_item_tag(item);
    if (!c->symbols || !t)
        return -1;
    return t->positive_rule ? DOCX_TICK : t->negative_rule ? DOCX_CROSS : -1;
}

static void block(wctx *c, cmark_node *n);

static void children(wctx *c, cmark_node *n)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        block(c, k);
}

static void list(wctx *c, cmark_node *n)
{
    wctx saved = *c;
    if (c->item_open) {
        /* An item that opens with a list still shows its own marker. */
        paragraph(c, cmark_node_new(CMARK_NODE_PARAGRAPH));
    }
    c->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    c->depth++;
    c->num_id = c->ordered ? new_num(c, cmark_node_get_list_start(n))
              : c->depth > 1 ? docx_num_bullet(c->look) : 0;
    for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it)) {
        c->item_open = true;
        c->item_mark = item_mark(c, it);
        children(c, it);
        if (c->item_open)   /* an empty item */
            paragraph(c, it);
    }
    c->depth = saved.depth;
    c->ordered = saved.ordered;
    c->num_id = saved.num_id;
    c->item_open = false;
}

/* ------------------------------------------------------------------ */
/* Tables: the consent form, the signature block, the contacts map */

static void table_open(wctx *c, docx_style ts, const long *cols, size_t ncols)
{
    docx_start(c->w, "w:tbl");
    docx_start(c->w, "w:tblPr");
    docx_el_val(c->w, "w:tblStyle", sid(c, ts));
    docx_start(c->w, "w:tblW");
    docx_attr(c->w, "w:w", "5000");
    docx_attr(c->w, "w:type", "pct");
    docx_end(c->w);
    docx_start(c->w, "w:tblLook");
    docx_attr(c->w, "w:val", "0420");
    docx_attr(c->w, "w:firstRow", "1");
    docx_attr(c->w, "w:lastRow", "0");
    docx_attr(c->w, "w:firstColumn", "0");
    docx_attr(c->w, "w:lastColumn", "0");
    docx_attr(c->w, "w:noHBand", "1");
    docx_attr(c->w, "w:noVBand", "1");
    docx_end(c->w);
    docx_end(c->w);
    docx_start(c->w, "w:tblGrid");
    for (size_t i = 0; i < ncols; i++) {
        docx_start(c->w, "w:gridCol");
        docx_attr_int(c->w, "w:w", cols[i]);
        docx_end(c->w);
    }
    docx_end(c->w);
}

static void row_open(wctx *c, bool header)
{
    docx_start(c->w, "w:tr");
    if (header) {
        docx_start(c->w, "w:trPr");
        docx_el(c->w, "w:tblHeader");
        docx_end(c->w);
    }
}

/* A cell COLS[FIRST..FIRST+SPAN) wide; the caller writes its paragraphs. */
static void cell_open(wctx *c, const long *cols, size_t first, size_t span)
{
    long width = 0;
    for (size_t i = first; i < first + span; i++)
        width += cols[i];
    docx_start(c->w, "w:tc");
    docx_start(c->w, "w:tcPr");
    docx_start(c->w, "w:tcW");
    docx_attr_int(c->w, "w:w", width);
    docx_attr(c->w, "w:type", "dxa");
    docx_end(c->w);
    if (span > 1)
        docx_el_int(c->w, "w:gridSpan", (long)span);
    docx_end(c->w);
}

static void cell_text(wctx *c, const long *cols, size_t first, size_t span, docx_style ps,
                      const char *text)
{
    cell_open(c, cols, first, span);
    para_text(c, ps, text, NO_STYLE);
    docx_end(c->w);
}

/* Column widths from shares of the text width. */
static void columns(wctx *c, const double *share, size_t n, long *cols)
{
    long total = docx_text_width(c->look);
    for (size_t i = 0; i < n; i++)
        cols[i] = (long)(share[i] * (double)total);
}

/* A table of style TS whose N columns take SHARE of the width, opened by
 * a row of HEADS that Word repeats on every page the table reaches. */
static void headed_table(wctx *c, docx_style ts, const double *share,
                         const char *const *heads, size_t n, long *cols)
{
    columns(c, share, n, cols);
    table_open(c, ts, cols, n);
    row_open(c, true);
    for (size_t i = 0; i < n; i++)
        cell_text(c, cols, i, 1, DOCX_TABLE_HEADING, heads[i]);
    docx_end(c->w);
}

/* The image consent form: one row per use, with a box each for Yes and No.
 * Each item's paragraph opens with the prompt "Yes / No: ", which the
 * boxes replace. */
static void consent_table(wctx *c, cmark_node *list)
{
    static const double share[] = {0.74, 0.13, 0.13};
    static const char *const heads[] = {"How we may use your child's image", "Yes", "No"};
    long cols[3];
    headed_table(c, DOCX_CONSENT_TABLE, share, heads, 3, cols);
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
        cmark_node *para = cmark_node_first_child(it);
        if (!para)
            continue;
        row_open(c, false);
        cell_open(c, cols, 0, 1);
        para_open(c, DOCX_TABLE_TEXT, 0, 0);
        cmark_node *k = cmark_node_first_child(para);
        if (k && cmark_node_get_type(k) == CMARK_NODE_TEXT)
            k = cmark_node_next(k);
        for (; k; k = cmark_node_next(k))
            inline_node(c, k, NO_STYLE);
        docx_end(c->w);
        docx_end(c->w);
        cell_text(c, cols, 1, 1, DOCX_TABLE_TEXT, "");
        cell_text(c, cols, 2, 1, DOCX_TABLE_TEXT, "");
        docx_end(c->w);
    }
    docx_end(c->w);
}

#define MAX_FIELDS 3

/* The widest row of fields in the block's lines. */
static size_t most_fields(char **lines, size_t n)
{
    size_t most = 1;
    for (size_t i = 0; i < n; i++) {
        signature_field f[MAX_FIELDS];
        size_t k = signature_fields(lines[i], f, MAX_FIELDS);
        signature_fields_free(f, k);
        most = k > most ? k : most;
    }
    return most;
}

static void signature_row(wctx *c, const char *line, const long *cols, size_t ncols)
{
    signature_field f[MAX_FIELDS];
    size_t n = signature_fields(line, f, MAX_FIELDS);
    row_open(c, false);
    if (n == 0)
        cell_text(c, cols, 0, ncols, DOCX_SIGN_TEXT, line);
    for (size_t i = 0; i < n; i++) {
        cell_text(c, cols, 2 * i, 1, DOCX_SIGN_LABEL, f[i].label);
        /* The last field's line runs to the end of the row. */
        size_t span = i + 1 == n ? ncols - 2 * i - 1 : 1;
        cell_text(c, cols, 2 * i + 1, span, DOCX_SIGN_LINE, "");
    }
    signature_fields_free(f, n);
    docx_end(c->w);
}

/* The acknowledgement block: a row per line, a label and a ruled cell to
 * write in for each field, prose across the whole row. */
static void signature_table(wctx *c, cmark_node *para)
{
    strbuf sb = {0};
    plain(para, &sb);
    char **lines = NULL;
    size_t n = 0;
    for (char *p = sb.data, *e; p && *p; p = e + (*e == '\n')) {
        e = p + strcspn(p, "\n");
        lines = xrealloc(lines, (n + 1) * sizeof *lines);
        lines[n++] = xstrndup(p, (size_t)(e - p));
    }
    size_t fields = most_fields(lines, n);
    static const double one[] = {0.38, 0.62}, two[] = {0.27, 0.41, 0.1, 0.22},
                        three[] = {0.16, 0.24, 0.1, 0.2, 0.1, 0.2};
    const double *share = fields == 1 ? one : fields == 2 ? two : three;
    long cols[2 * MAX_FIELDS];
    columns(c, share, 2 * fields, cols);
    table_open(c, DOCX_SIGNATURE_TABLE, cols, 2 * fields);
    for (size_t i = 0; i < n; i++) {
        signature_row(c, lines[i], cols, 2 * fields);
        free(lines[i]);
    }
    docx_end(c->w);
    free(lines);
    sb_free(&sb);
}

/* One entry of the contacts map: "**Name**, what: how (hours) **24/7**". */
static void contact_row(wctx *c, cmark_node *item, const long *cols)
{
    cmark_node *para = cmark_node_first_child(item);
    cmark_node *k = para ? cmark_node_first_child(para) : NULL;
    strbuf name = {0}, rest = {0};
    bool always = false;
    if (k && cmark_node_get_type(k) == CMARK_NODE_STRONG) {
        plain(k, &name);
        k = cmark_node_next(k);
    }
    for (; k; k = cmark_node_next(k)) {
        if (cmark_node_get_type(k) == CMARK_NODE_STRONG && !cmark_node_next(k)) {
            strbuf s = {0};
            plain(k, &s);
            always = s.data && !strcmp(s.data, "24/7");
            sb_free(&s);
            if (always)
                break;
        }
        if (cmark_node_get_type(k) == CMARK_NODE_TEXT)
            sb_puts(&rest, cmark_node_get_literal(k));
        else
            plain(k, &rest);
    }
    const char *r = rest.data ? rest.data : "";
    r += strspn(r, ",: ");
    size_t len = strlen(r);
    while (len && r[len - 1] == ' ')
        len--;
    char *details = xstrndup(r, len);
    row_open(c, false);
    cell_text(c, cols, 0, 1, DOCX_TABLE_TEXT, name.data ? name.data : "");
    cell_text(c, cols, 1, 1, DOCX_TABLE_TEXT, details);
    cell_text(c, cols, 2, 1, DOCX_TABLE_TEXT, always ? "24/7" : "");
    docx_end(c->w);
    free(details);
    sb_free(&name);
    sb_free(&rest);
}

static void contacts_table(wctx *c, cmark_node *list)
{
    static const double share[] = {0.33, 0.55, 0.12};
    static const char *const heads[] = {"Contact", "How to reach them", "24/7"};
    long cols[3];
    headed_table(c, DOCX_CONTACTS_TABLE, share, heads, 3, cols);
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it))
        contact_row(c, it, cols);
    docx_end(c->w);
}

/* ------------------------------------------------------------------ */
/* Blocks */

static bool tagged_block(wctx *c, cmark_node *n)
{
    const doc_tag *t = document_tag_of(n);
    cmark_node_type type = cmark_node_get_type(n);
    if (!t)
        return false;
    if (t->kind == TAG_ANNEX || t->kind == TAG_FLOWCHART) {
        /* Annexes start a page, as in the PDF; the flowchart is its
         * numbered decisions, as in Markdown and HTML. */
        c->new_page = true;
        children(c, n);
        return true;
    }
    if (c->new_page) {
        page_break(c);
        c->new_page = false;
    }
    if (t->kind == TAG_SIGNATURE && type == CMARK_NODE_PARAGRAPH)
        signature_table(c, n);
    else if (t->kind == TAG_CONSENT && type == CMARK_NODE_LIST)
        consent_table(c, n);
    else if (t->kind == TAG_CONTACTS_MAP && type == CMARK_NODE_LIST)
        contacts_table(c, n);
    else
        return false;
    return true;
}

static void block(wctx *c, cmark_node *n)
{
    cmark_node_type type = cmark_node_get_type(n);
    bool title = type == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 1;
    if (tagged_block(c, n)) {
        c->after_title = false;
        return;
    }
    if (c->new_page && type != CMARK_NODE_HEADING) {
        page_break(c);
        c->new_page = false;
    }
    switch (type) {
    case CMARK_NODE_HEADING: heading(c, n); break;
    case CMARK_NODE_PARAGRAPH: paragraph(c, n); break;
    case CMARK_NODE_LIST: list(c, n); break;
    case CMARK_NODE_CODE_BLOCK: code_block(c, n); break;
    case CMARK_NODE_THEMATIC_BREAK:
        para_text(c, DOCX_RULE_LINE, "", NO_STYLE);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
        c->quote++;
        children(c, n);
        c->quote--;
        break;
    case CMARK_NODE_HTML_BLOCK:
        break;      /* markup, not words */
    default:
        children(c, n);
        break;
    }
    c->after_title = title;
}

/* The part's blocks, opened by its title when the tree has none. */
static void body(wctx *c, const document *d)
{
    c->d = d;
    c->look = look_of(d);
    c->symbols = c->look != DOCX_LOOK_STANDARD;
    cmark_node *first = d->root ? cmark_node_first_child(d->root) : NULL;
    bool titled = first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
                  cmark_node_get_heading_level(first) == 1;
    if (!titled && d->title && *d->title) {
        para_text(c, DOCX_TITLE, d->title, NO_STYLE);
        c->after_title = true;
    }
    if (d->root)
        children(c, d->root);
}

/* ------------------------------------------------------------------ */
/* Headers, footers and sections */

static void field(xmlTextWriterPtr w, const char *instr, const char *shown)
{
    docx_start(w, "w:fldSimple");
    docx_attr(w, "w:instr", instr);
    docx_start(w, "w:r");
    docx_start(w, "w:t");
    docx_text(w, shown, strlen(shown));
    docx_end(w);
    docx_end(w);
    docx_end(w);
}

static void margin_run(xmlTextWriterPtr w, const char *text, bool tab_first)
{
    docx_start(w, "w:r");
    if (tab_first)
        docx_el(w, "w:tab");
    if (text && *text) {
        docx_start(w, "w:t");
        xmlTextWriterWriteAttribute(w, BAD_CAST "xml:space", BAD_CAST "preserve");
        docx_text(w, text, strlen(text));
        docx_end(w);
    }
    docx_end(w);
}

/* header1.xml and the like: LEFT, then RIGHT at the right margin; with
 * PAGES (the field counting them), "Page N of M" there instead. */
static const char *margin_part(wctx *c, docx_part_kind kind, const char *left,
                               const char *right, const char *pages)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, kind == DOCX_PART_HEADER ? "w:hdr" : "w:ftr");
    docx_wml_namespaces(w);
    docx_start(w, "w:p");
    docx_start(w, "w:pPr");
    docx_el_val(w, "w:pStyle", kind == DOCX_PART_HEADER ? "Header" : "Footer");
    docx_end(w);
    margin_run(w, left, false);
    if (pages) {
        margin_run(w, "Page ", true);
        field(w, " PAGE ", "1");
        margin_run(w, " of ", false);
        field(w, pages, "1");
    } else if (right && *right) {
        margin_run(w, right, true);
    }
    docx_end(w);
    docx_end(w);
    size_t len;
    char *xml = docx_xml_close(w, buf, &len);
    char name[32];
    if (kind == DOCX_PART_HEADER)
        snprintf(name, sizeof name, "header%d.xml", ++c->headers);
    else
        snprintf(name, sizeof name, "footer%d.xml", ++c->footers);
    return docx_pkg_add(c->pkg, kind, name, xml, len, true);
}

typedef struct {
    const char *header, *footer;    /* relationship ids */
    bool odd_page;                  /* starts on an odd page */
} section;

/* A4, with the PDF's margins: 18 mm at the sides, 64 pt top and bottom. */
static void sect_pr(wctx *c, const section *s)
{
    xmlTextWriterPtr w = c->w;
    docx_start(w, "w:sectPr");
    static const char *const refs[] = {"w:headerReference", "w:footerReference"};
    const char *ids[] = {s->header, s->footer};
    for (int i = 0; i < 2; i++) {
        if (!ids[i])
            continue;
        docx_start(w, refs[i]);
        docx_attr(w, "w:type", "default");
        docx_attr(w, "r:id", ids[i]);
        docx_end(w);
    }
    if (s->odd_page)
        docx_el_val(w, "w:type", "oddPage");
    docx_start(w, "w:pgSz");
    docx_attr(w, "w:w", "11906");
    docx_attr(w, "w:h", "16838");
    docx_end(w);
    docx_start(w, "w:pgMar");
    static const char *const mar[][2] = {
        {"w:top", "1280"}, {"w:right", "1020"}, {"w:bottom", "1280"}, {"w:left", "1020"},
        {"w:header", "620"}, {"w:footer", "760"}, {"w:gutter", "0"},
    };
    for (size_t i = 0; i < sizeof mar / sizeof *mar; i++)
        docx_attr(w, mar[i][0], mar[i][1]);
    docx_end(w);
    docx_end(w);
}

/* The header (setting, title) and footer (version, dates, page numbers)
 * of D. A bound pack numbers its pages straight through: Word and
 * LibreOffice both start an "odd page" section by its page number, so
 * numbering each part from 1 would put every part on page 1 whatever
 * side of the sheet it fell on. */
static section margins_for(wctx *c, const document *d)
{
    char approved[40], next[40];
    profile_date_long(d->approved, approved, sizeof approved);
    profile_date_long(d->next_review, next, sizeof next);
    strbuf foot = {0};
    if (d->version)
        sb_printf(&foot, "Version %s", d->version);
    if (d->approved.year)
        sb_printf(&foot, "%sApproved %s", foot.len ? " \xC2\xB7 " : "", approved);
    if (d->next_review.year)
        sb_printf(&foot, "%sNext review %s", foot.len ? " \xC2\xB7 " : "", next);
    section s = {0};
    s.header = margin_part(c, DOCX_PART_HEADER, d->setting_name, d->title, NULL);
    s.footer = margin_part(c, DOCX_PART_FOOTER, foot.data, NULL, " NUMPAGES ");
    sb_free(&foot);
    return s;
}

/* ------------------------------------------------------------------ */
/* The package */

static void wctx_open(wctx *c, docx_look base)
{
    memset(c, 0, sizeof *c);
    c->pkg = docx_pkg_new();
    c->looks.base = base;
    c->looks.used[base] = true;
    xmlBufferPtr buf;
    c->w = docx_xml_open(&buf);
    c->w_buf = buf;
    docx_start(c->w, "w:document");
    docx_wml_namespaces(c->w);
    if (base == DOCX_LOOK_EASY) {
        /* A cream page is easier on readers with dyslexia than white. */
        docx_start(c->w, "w:background");
        docx_attr(c->w, "w:color", "FDF6E3");
        docx_end(c->w);
    }
    docx_start(c->w, "w:body");
}

static char *settings_xml(bool background, const char *lang, size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "w:settings");
    docx_wml_namespaces(w);
    if (background)
        docx_el(w, "w:displayBackgroundShape");
    docx_el_int(w, "w:defaultTabStop", 720);
    docx_el_val(w, "w:characterSpacingControl", "doNotCompress");
    docx_start(w, "w:compat");
    docx_start(w, "w:compatSetting");
    docx_attr(w, "w:name", "compatibilityMode");
    docx_attr(w, "w:uri", "http://schemas.microsoft.com/office/word");
    docx_attr(w, "w:val", "15");
    docx_end(w);
    docx_end(w);
    docx_start(w, "w:themeFontLang");
    docx_attr(w, "w:val", lang);
    docx_end(w);
    docx_end(w);
    return docx_xml_close(w, buf, len);
}

/* Close the body (its last section SECT), add every part and zip them. */
static int wctx_finish(wctx *c, const section *sect, const document *d, const docx_props *pr,
                       strbuf *out, diag_list *diags)
{
    sect_pr(c, sect);
    docx_end(c->w);     /* w:body */
    docx_end(c->w);     /* w:document */
    size_t len;
    char *xml = docx_xml_close(c->w, c->w_buf, &len);
    const char *lang = d->lang && *d->lang ? d->lang : "en-GB";
    docx_pkg_add(c->pkg, DOCX_PART_DOCUMENT, "document.xml", xml, len, true);
    xml = docx_styles_xml(&c->looks, lang, &len);
    docx_pkg_add(c->pkg, DOCX_PART_STYLES, "styles.xml", xml, len, true);
    xml = docx_numbering_xml(&c->looks, c->nums, c->nnums, &len);
    docx_pkg_add(c->pkg, DOCX_PART_NUMBERING, "numbering.xml", xml, len, true);
    xml = settings_xml(c->looks.base == DOCX_LOOK_EASY, lang, &len);
    docx_pkg_add(c->pkg, DOCX_PART_SETTINGS, "settings.xml", xml, len, true);
    int rc = docx_pkg_write(c->pkg, pr, out, diags);
    docx_pkg_free(c->pkg);
    free(c->nums);
    return rc;
}

/* The date D's files carry: its approval date, else the day (UTC) that
 * SOURCE_DATE_EPOCH names, else none (year 0). Never the clock, so that
 * the bytes depend on the input alone. */
static aupc_date document_date(const document *d)
{
    if (d->approved.year > 0)
        return d->approved;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long t = sde && *sde ? strtoll(sde, &end, 10) : -1;
    struct tm tm;
    time_t tt = (time_t)t;
    if (t < 0 || *end || !gmtime_r(&tt, &tm))
        return (aupc_date){0, 0, 0};
    return (aupc_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

static docx_props props_of(const document *d, const char *title, const char *subject,
                           char *description, size_t size)
{
    char approved[40], next[40];
    profile_date_long(d->approved, approved, sizeof approved);
    profile_date_long(d->next_review, next, sizeof next);
    snprintf(description, size, "Approved %s; next review by %s.", approved, next);
    return (docx_props){
        .title = title ? title : d->title,
        .subject = subject ? subject : d->audience_label,
        .creator = d->setting_name,
        .company = d->setting_name,
        .description = d->approved.year ? description : NULL,
        .keywords = "acceptable use policy; online safety",
        .lang = d->lang && *d->lang ? d->lang : "en-GB",
        .version = d->version,
        .date = document_date(d),
    };
}

int render_docx(const document *d, const render_ctx *ctx, strbuf *out, diag_list *diags)
{
    (void)ctx;
    wctx c;
    wctx_open(&c, look_of(d));
    body(&c, d);
    section s = margins_for(&c, d);
    char description[128];
    docx_props pr = props_of(d, NULL, NULL, description, sizeof description);
    return wctx_finish(&c, &s, d, &pr, out, diags);
}

/* End the section just written as Word does, with its properties in a
 * paragraph of its own. */
static void section_end(wctx *c, const section *s)
{
    docx_start(c->w, "w:p");
    docx_start(c->w, "w:pPr");
    docx_el_val(c->w, "w:pStyle", sid(c, DOCX_SECTION_END));
    sect_pr(c, s);
    docx_end(c->w);
    docx_end(c->w);
}

/* As the PDF agreement ends on an even page, so that copies printed in one
 * run never share a sheet: each part starts on an odd page, so a last part
 * of an odd number of pages (as laid out for the PDF) is followed by a
 * blank one. */
static void blank_to_even(wctx *c, const document *last, const pdf_options *o, diag_list *diags)
{
    layout_info info = {0};
    if (layout_measure(last, o, &info, diags) == 0 && info.pages % 2 == 1) {
        docx_start(c->w, "w:p");
        run_break(c, "page");
        run_text(c, "This page is left blank for printing on both sides.", NO_STYLE);
        docx_end(c->w);
    }
    layout_info_free(&info);
}

int render_docx_agreement(const profile *p, const doc_set *docs, const document *pupil,
                          const render_ctx *ctx, strbuf *out, diag_list *diags)
{
    (void)ctx;
    const document **parts;
    size_t n = pack_agreement_parts(p, docs, pupil, &parts);
    if (!n)
        return 0;
    wctx c;
    wctx_open(&c, look_of(parts[0]));
    section s = {0};
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            section_end(&c, &s);
        c.looks.used[look_of(parts[i])] = true;
        body(&c, parts[i]);
        s = margins_for(&c, parts[i]);
        s.odd_page = i > 0;
    }
    blank_to_even(&c, parts[n - 1], ctx ? ctx->pdf : NULL, diags);
    char *title = xasprintf("Home\xE2\x80\x93school agreement: %s", p->name);
    char description[128];
    docx_props pr = props_of(parts[0], title, "Home\xE2\x80\x93school agreement", description,
                             sizeof description);
    int rc = wctx_finish(&c, &s, parts[0], &pr, out, diags);
    free(title);
    free(parts);
    return rc == 0 ? (int)n : -1;
}

/* The poster's type: the largest size from 40 pt down to 28 pt at which
 * the rules fit the page, by bold Arial's average width (a Word document
 * cannot shrink its own type to fit, as the PDF poster does). */
static double poster_size(char **rules, size_t n)
{
    const double avail = 600, width = 493.2;
    double size = 40;
    for (; size > 28; size -= 1) {
        double h = 0;
        for (size_t i = 0; i < n; i++) {
            size_t chars = 0;
            uint32_t cp;
            for (const char *p = rules[i]; *p; p += utf8_decode(p, 4, &cp))
                chars++;
            double line = width - 1.45 * size;
            h += (1 + (double)(int)((double)chars * 0.55 * size / line)) * 1.15 * size
                 + 0.7 * size;
        }
        if (h <= avail)
            break;
    }
    return size;
}

int render_docx_poster(const document *d, const render_ctx *ctx, strbuf *out, diag_list *diags)
{
    (void)ctx;
    wctx c;
    wctx_open(&c, DOCX_LOOK_POSTER);
    c.d = d;
    c.look = DOCX_LOOK_POSTER;
    const char *title = pack_poster_title(d);
    para_text(&c, DOCX_TITLE, title, NO_STYLE);
    para_open(&c, DOCX_SUBTITLE, 0, 0);
    run_text(&c, d->setting_name, NO_STYLE);
    if (d->audience_label && *d->audience_label) {
        run_break(&c, NULL);
        run_text(&c, d->audience_label, NO_STYLE);
    }
    docx_end(c.w);
    char *rules[5];
    bool positive[5];
    size_t n = pack_poster_rules(d, rules, positive, 5);
    c.looks.poster_rule = poster_size(rules, n);
    for (size_t i = 0; i < n; i++) {
        para_open(&c, DOCX_POSTER_RULE, 0, 0);
        run_image(&c, positive[i] ? DOCX_TICK : DOCX_CROSS);
        run_tab(&c);
        run_text(&c, rules[i], NO_STYLE);
        docx_end(c.w);
        free(rules[i]);
    }
    char foot[512];
    pack_poster_foot(d, foot, sizeof foot);
    section s = {0};
    s.footer = margin_part(&c, DOCX_PART_FOOTER, foot, NULL, NULL);
    char *t = xasprintf("%s: poster", title);
    char description[128];
    docx_props pr = props_of(d, t, NULL, description, sizeof description);
    int rc = wctx_finish(&c, &s, d, &pr, out, diags);
    free(t);
    return rc;
}
