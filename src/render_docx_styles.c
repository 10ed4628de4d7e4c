#include "render_docx_styles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_docx_package.h"

/* ---- Looks: the PDF's sizes, in points ---- */

typedef struct {
    const char *suffix, *label;     /* for the styles of a second look */
    double body, lead;              /* body type and its leading */
    double title, subtitle, h1, h2, h3, rule;
    double indent;                  /* of list text from the margin */
    double measure;                 /* length of a body line */
    double item_gap, heading_gap;   /* space before a list item and a heading, in lines */
    double sign_gap;                /* room above a signature field to write in, in lines */
} look_metrics;

#define FULL_MEASURE 493.2          /* A4 less 18 mm each side */

static const look_metrics looks[DOCX_LOOK_COUNT] = {
    /* The same figures as layout.c's styles, so Word pages break where the
     * PDF's do. */
    [DOCX_LOOK_STANDARD] = {"", "", 10.5, 1.22, 19, 10.5, 13.5, 11.5, 10.5, 10.5, 16.8,
                            FULL_MEASURE, 0.25, 0.65, 1.0},
    /* 13 pt (the BDA style guide asks 12 to 14), the full measure */
    [DOCX_LOOK_YOUNG] = {"Young", " (young readers)", 13, 1.17, 21, 13, 15.5, 14, 14, 13, 27.3,
                         FULL_MEASURE, 0.06, 0.4, 0.6},
    /* easy read: 14 pt and about 65 characters a line */
    [DOCX_LOOK_EASY] = {"Easy", " (easy read)", 14, 1.3, 22, 14, 16.5, 15, 15, 14, 29.4, 434,
                        0.15, 0.55, 0.6},
    [DOCX_LOOK_POSTER] = {"Poster", " (poster)", 12, 1.3, 30, 17, 19, 17, 17, 30, 46,
                          FULL_MEASURE, 0.3, 1.0, 1.0},
};

/* ---- The styles ---- */

typedef enum { SZ_NONE, SZ_BODY, SZ_TITLE, SZ_SUBTITLE, SZ_H1, SZ_H2, SZ_H3, SZ_RULE,
               SZ_SMALL, SZ_TINY } size_role;
typedef enum { SP_NONE, SP_PARA, SP_ITEM, SP_HEADING, SP_TITLE, SP_SUBTITLE, SP_CELL,
               SP_SIGN_TEXT, SP_SIGN_FIELD, SP_LINE, SP_RULE, SP_TINY } space_role;
typedef enum { IND_NONE, IND_HANG, IND_LEFT, IND_QUOTE } indent_role;
typedef enum { TB_NONE, TB_GRID, TB_ROWS, TB_PLAIN } table_borders;

enum {
    F_DEFAULT = 1 << 0,     /* the default style of its type */
    F_BOLD = 1 << 1,
    F_ITALIC = 1 << 2,      /* bold instead in easy read: italics are hard to read */
    F_NAVY = 1 << 3,
    F_GREY = 1 << 4,
    F_LINK = 1 << 5,
    F_MONO = 1 << 6,
    F_KEEP = 1 << 7,        /* keep with the next paragraph */
    F_NEW_PAGE = 1 << 8,
    F_LINE_BELOW = 1 << 9,
    F_LINE_ABOVE = 1 << 10,
    F_BULLET = 1 << 11,
    F_DECIMAL = 1 << 12,
    F_TAB = 1 << 13,        /* a tab stop where list text starts */
    F_RIGHT_TAB = 1 << 14,  /* a tab stop at the right margin */
    F_BAND = 1 << 15,       /* white on the navy band (posters) */
    F_KEEP_LINES = 1 << 16,
    F_SYMBOLS = 1 << 17,    /* a list whose marker is a picture in the text */
};

typedef struct {
    const char *id, *name;
    char type;                      /* 'p'aragraph, 'c'haracter or 't'able */
    docx_style based_on, next;      /* DOCX_STYLE_COUNT: none */
    size_role size;
    space_role space;
    indent_role indent;
    unsigned flags;
    int outline;                    /* heading level less one; -1 none */
    table_borders borders;
} style_row;

#define NONE DOCX_STYLE_COUNT

static const style_row styles[DOCX_STYLE_COUNT] = {
    [DOCX_NORMAL] = {"Normal", "Normal", 'p', NONE, NONE, SZ_BODY, SP_PARA, IND_NONE,
                     F_DEFAULT, -1, 0},
    [DOCX_TITLE] = {"Title", "Title", 'p', DOCX_NORMAL, DOCX_SUBTITLE, SZ_TITLE, SP_TITLE,
                    IND_NONE, F_BOLD | F_NAVY | F_KEEP | F_BAND, -1, 0},
    [DOCX_SUBTITLE] = {"Subtitle", "Subtitle", 'p', DOCX_NORMAL, DOCX_NORMAL, SZ_SUBTITLE,
                       SP_SUBTITLE, IND_NONE, F_BAND, -1, 0},
    [DOCX_H1] = {"Heading1", "heading 1", 'p', DOCX_NORMAL, DOCX_NORMAL, SZ_H1, SP_HEADING,
                 IND_NONE, F_BOLD | F_NAVY | F_KEEP | F_KEEP_LINES, 0, 0},
    [DOCX_H2] = {"Heading2", "heading 2", 'p', DOCX_NORMAL, DOCX_NORMAL, SZ_H2, SP_HEADING,
                 IND_NONE, F_BOLD | F_NAVY | F_KEEP | F_KEEP_LINES, 1, 0},
    [DOCX_H3] = {"Heading3", "heading 3", 'p', DOCX_NORMAL, DOCX_NORMAL, SZ_H3, SP_HEADING,
                 IND_NONE, F_BOLD | F_NAVY | F_KEEP | F_KEEP_LINES, 2, 0},
    [DOCX_H1_NEW_PAGE] = {"Heading1NewPage", "heading 1 new page", 'p', DOCX_H1, DOCX_NORMAL,
                          SZ_H1, SP_HEADING, IND_NONE, F_NEW_PAGE, 0, 0},
    [DOCX_LIST_BULLET] = {"ListBullet", "List Bullet", 'p', DOCX_NORMAL, NONE, SZ_BODY, SP_ITEM,
                          IND_HANG, F_BULLET, -1, 0},
    [DOCX_LIST_NUMBER] = {"ListNumber", "List Number", 'p', DOCX_NORMAL, NONE, SZ_BODY, SP_ITEM,
                          IND_HANG, F_DECIMAL, -1, 0},
    [DOCX_LIST_CONTINUE] = {"ListContinue", "List Continue", 'p', DOCX_NORMAL, NONE, SZ_BODY,
                            SP_ITEM, IND_LEFT, 0, -1, 0},
    [DOCX_LIST_SYMBOL] = {"ListSymbol", "List Symbol", 'p', DOCX_NORMAL, NONE, SZ_BODY, SP_ITEM,
                          IND_HANG, F_TAB | F_SYMBOLS, -1, 0},
    [DOCX_QUOTE] = {"Quote", "Quote", 'p', DOCX_NORMAL, NONE, SZ_BODY, SP_PARA, IND_QUOTE, 0,
                    -1, 0},
    [DOCX_PLAIN_TEXT] = {"PlainText", "Plain Text", 'p', DOCX_NORMAL, NONE, SZ_BODY, SP_PARA,
                         IND_NONE, F_MONO, -1, 0},
    [DOCX_RULE_LINE] = {"DividingLine", "Dividing Line", 'p', DOCX_NORMAL, DOCX_NORMAL, SZ_BODY,
                        SP_LINE, IND_NONE, F_LINE_BELOW, -1, 0},
    [DOCX_TABLE_TEXT] = {"TableText", "Table Text", 'p', DOCX_NORMAL, NONE, SZ_BODY, SP_CELL,
                         IND_NONE, 0, -1, 0},
    [DOCX_TABLE_HEADING] = {"TableHeading", "Table Heading", 'p', DOCX_TABLE_TEXT, NONE,
                            SZ_BODY, SP_CELL, IND_NONE, F_BOLD | F_NAVY | F_KEEP, -1, 0},
    [DOCX_SIGN_TEXT] = {"SignatureText", "Signature Text", 'p', DOCX_NORMAL, NONE, SZ_BODY,
                        SP_SIGN_TEXT, IND_NONE, F_KEEP, -1, 0},
    [DOCX_SIGN_LABEL] = {"SignatureLabel", "Signature Label", 'p', DOCX_NORMAL, NONE, SZ_BODY,
                         SP_SIGN_FIELD, IND_NONE, F_BOLD | F_KEEP, -1, 0},
    [DOCX_SIGN_LINE] = {"SignatureLine", "Signature Line", 'p', DOCX_NORMAL, NONE, SZ_BODY,
                        SP_SIGN_FIELD, IND_NONE, F_LINE_BELOW | F_KEEP, -1, 0},
    [DOCX_POSTER_RULE] = {"PosterRule", "Poster Rule", 'p', DOCX_NORMAL, NONE, SZ_RULE, SP_RULE,
                          IND_HANG, F_BOLD | F_TAB | F_KEEP_LINES, -1, 0},
    [DOCX_SECTION_END] = {"SectionEnd", "Section End", 'p', DOCX_NORMAL, NONE, SZ_TINY, SP_TINY,
                          IND_NONE, 0, -1, 0},
    [DOCX_HEADER] = {"Header", "header", 'p', DOCX_NORMAL, NONE, SZ_SMALL, SP_NONE, IND_NONE,
                     F_GREY | F_LINE_BELOW | F_RIGHT_TAB, -1, 0},
    [DOCX_FOOTER] = {"Footer", "footer", 'p', DOCX_NORMAL, NONE, SZ_SMALL, SP_NONE, IND_NONE,
                     F_GREY | F_LINE_ABOVE | F_RIGHT_TAB, -1, 0},
    [DOCX_DEFAULT_FONT] = {"DefaultParagraphFont", "Default Paragraph Font", 'c', NONE, NONE,
                           SZ_NONE, SP_NONE, IND_NONE, F_DEFAULT, -1, 0},
    [DOCX_STRONG] = {"Strong", "Strong", 'c', DOCX_DEFAULT_FONT, NONE, SZ_NONE, SP_NONE,
                     IND_NONE, F_BOLD, -1, 0},
    [DOCX_EMPHASIS] = {"Emphasis", "Emphasis", 'c', DOCX_DEFAULT_FONT, NONE, SZ_NONE, SP_NONE,
                       IND_NONE, F_ITALIC, -1, 0},
    [DOCX_HYPERLINK] = {"Hyperlink", "Hyperlink", 'c', DOCX_DEFAULT_FONT, NONE, SZ_NONE, SP_NONE,
                        IND_NONE, F_LINK, -1, 0},
    [DOCX_CODE] = {"HTMLCode", "HTML Code", 'c', DOCX_DEFAULT_FONT, NONE, SZ_NONE, SP_NONE,
                   IND_NONE, F_MONO, -1, 0},
    [DOCX_TABLE_NORMAL] = {"TableNormal", "Normal Table", 't', NONE, NONE, SZ_NONE, SP_NONE,
                           IND_NONE, F_DEFAULT, -1, TB_NONE},
    [DOCX_SIGNATURE_TABLE] = {"SignatureTable", "Signature Table", 't', DOCX_TABLE_NORMAL, NONE,
                              SZ_NONE, SP_NONE, IND_NONE, 0, -1, TB_PLAIN},
    [DOCX_CONSENT_TABLE] = {"ConsentTable", "Consent Table", 't', DOCX_TABLE_NORMAL, NONE,
                            SZ_NONE, SP_NONE, IND_NONE, 0, -1, TB_GRID},
    [DOCX_CONTACTS_TABLE] = {"ContactsTable", "Contacts Table", 't', DOCX_TABLE_NORMAL, NONE,
                             SZ_NONE, SP_NONE, IND_NONE, 0, -1, TB_ROWS},
};

#define NAVY "17335F"
#define INK "1A1A1A"
#define GREY "595959"
#define TWIPS(pt) ((long)((pt) * 20 + 0.5))
#define HALF_POINTS(pt) ((long)((pt) * 2 + 0.5))

/* Whether S changes with the look: sizes, spacing, indents, lists. */
static bool per_look(docx_style s)
{
    const style_row *r = &styles[s];
    return (r->size != SZ_NONE && r->size != SZ_SMALL && r->size != SZ_TINY) ||
           s == DOCX_EMPHASIS;
}

const char *docx_style_id(const docx_looks *l, docx_look look, docx_style s, char *buf,
                          size_t size)
{
    if (look == l->base || !per_look(s))
        return styles[s].id;
    snprintf(buf, size, "%s%s", styles[s].id, looks[look].suffix);
    return buf;
}

long docx_text_width(docx_look look)
{
    (void)look;
    return TWIPS(FULL_MEASURE);
}

static double rule_size(const docx_looks *l)
{
    return l->poster_rule > 0 ? l->poster_rule : looks[DOCX_LOOK_POSTER].rule;
}

/* Where list text starts: a poster's ticks grow with its type. */
static double indent_of(const docx_looks *l, docx_look look)
{
    return look == DOCX_LOOK_POSTER ? 1.45 * rule_size(l) : looks[look].indent;
}

long docx_symbol_emu(const docx_looks *l, docx_look look)
{
    double pt = 0.9 * (look == DOCX_LOOK_POSTER ? rule_size(l) : looks[look].body);
    return (long)(pt * 12700 + 0.5);
}

/* Each look has three list definitions, abstractNum 3 * look + kind,
 * and numId one more. */
enum { LIST_BULLET, LIST_DECIMAL, LIST_SYMBOL, LIST_KINDS };

int docx_num_bullet(docx_look look)
{
    return LIST_KINDS * (int)look + LIST_BULLET + 1;
}

int docx_num_decimal(docx_look look)
{
    return LIST_KINDS * (int)look + LIST_DECIMAL + 1;
}

static int num_symbol(docx_look look)
{
    return LIST_KINDS * (int)look + LIST_SYMBOL + 1;
}

/* ---- Writing one style ---- */

static double size_of(const docx_looks *l, docx_look look, size_role r)
{
    const look_metrics *m = &looks[look];
    switch (r) {
    case SZ_TITLE: return m->title;
    case SZ_SUBTITLE: return m->subtitle;
    case SZ_H1: return m->h1;
    case SZ_H2: return m->h2;
    case SZ_H3: return m->h3;
    case SZ_RULE: return rule_size(l);
    case SZ_SMALL: return 7.5;
    case SZ_TINY: return 1;
    default: return m->body;
    }
}

/* Space before and after, in points, and the line's leading factor. */
static void spacing_of(const docx_looks *ls, docx_look look, space_role r, double *before,
                       double *after, double *lead)
{
    const look_metrics *m = &looks[look];
    double l = m->body * m->lead;
    *before = *after = 0;
    *lead = m->lead;
    switch (r) {
    case SP_PARA: *before = 0.6 * l; break;
    case SP_ITEM: *before = m->item_gap * l; break;
    case SP_HEADING: *before = m->heading_gap * l, *after = 0.1 * l, *lead = 1.22; break;
    case SP_TITLE: *after = 0.2 * l, *lead = 1.22; break;
    case SP_SUBTITLE: *before = 0.2 * l, *after = 0.2 * l, *lead = 1.25; break;
    case SP_CELL: *before = 0.15 * l, *after = 0.15 * l; break;
    case SP_SIGN_TEXT: *before = 0.3 * l; break;
    case SP_SIGN_FIELD: *before = m->sign_gap * l; break;
    case SP_LINE: *before = 0.3 * l, *after = 0.6 * l; break;
    case SP_RULE: *before = 0.7 * rule_size(ls), *lead = 1.15; break;
    default: break;
    }
}

static void border(xmlTextWriterPtr w, const char *side, int eighths, const char *colour,
                   int space)
{
    docx_start(w, side);
    docx_attr(w, "w:val", eighths ? "single" : "nil");
    if (eighths) {
        docx_attr_int(w, "w:sz", eighths);
        docx_attr_int(w, "w:space", space);
        docx_attr(w, "w:color", colour);
    }
    docx_end(w);
}

static void tab_stop(xmlTextWriterPtr w, const char *kind, long pos)
{
    docx_start(w, "w:tab");
    docx_attr(w, "w:val", kind);
    docx_attr_int(w, "w:pos", pos);
    docx_end(w);
}

/* pPr, in the order the schema wants. FULL: the look-independent
 * properties too, not just those of the look. */
static void para_props(xmlTextWriterPtr w, const docx_looks *l, const style_row *r,
                       docx_look look, bool full)
{
    const look_metrics *m = &looks[look];
    bool band = (r->flags & F_BAND) && look == DOCX_LOOK_POSTER;
    docx_start(w, "w:pPr");
    if (full && (r->flags & F_KEEP))
        docx_el(w, "w:keepNext");
    if (full && (r->flags & F_KEEP_LINES))
        docx_el(w, "w:keepLines");
    if (full && (r->flags & F_NEW_PAGE))
        docx_el(w, "w:pageBreakBefore");
    if (r->flags & (F_BULLET | F_DECIMAL | F_SYMBOLS)) {
        docx_start(w, "w:numPr");
        docx_el_int(w, "w:numId", r->flags & F_BULLET ? docx_num_bullet(look)
                                : r->flags & F_DECIMAL ? docx_num_decimal(look)
                                                       : num_symbol(look));
        docx_end(w);
    }
    if (full && (r->flags & (F_LINE_BELOW | F_LINE_ABOVE))) {
        docx_start(w, "w:pBdr");
        border(w, r->flags & F_LINE_ABOVE ? "w:top" : "w:bottom",
               r->flags & (F_GREY) ? 4 : 6, r->flags & F_GREY ? "999999" : "595959", 4);
        docx_end(w);
    }
    if (band) {
        /* Borders the colour of the band pad it out, and join the title
         * and subtitle into one block. */
        docx_start(w, "w:pBdr");
        static const char *const sides[] = {"w:top", "w:left", "w:bottom", "w:right"};
        for (int i = 0; i < 4; i++)
            border(w, sides[i], 4, NAVY, r->size == SZ_TITLE && i == 0 ? 14 : 8);
        docx_end(w);
        docx_start(w, "w:shd");
        docx_attr(w, "w:val", "clear");
        docx_attr(w, "w:color", "auto");
        docx_attr(w, "w:fill", NAVY);
        docx_end(w);
    }
    bool tabs = (r->flags & F_TAB) || (full && (r->flags & F_RIGHT_TAB));
    if (tabs) {
        docx_start(w, "w:tabs");
        if (r->flags & F_TAB) {
            /* A style's tab stops add to its base's: a look with another
             * indent clears the base's stop, or the text after a tick
             * would stop there, short of the indent. */
            long mine = TWIPS(indent_of(l, look)), base = TWIPS(indent_of(l, l->base));
            if (!full && base < mine)
                tab_stop(w, "clear", base);
            tab_stop(w, "left", mine);
            if (!full && base > mine)
                tab_stop(w, "clear", base);
        }
        if (r->flags & F_RIGHT_TAB)
            tab_stop(w, "right", TWIPS(FULL_MEASURE));
        docx_end(w);
    }
    if (r->space != SP_NONE || r->size != SZ_NONE) {
        double before, after, lead, size = size_of(l, look, r->size);
        spacing_of(l, look, r->space, &before, &after, &lead);
        docx_start(w, "w:spacing");
        docx_attr_int(w, "w:before", TWIPS(before));
        docx_attr_int(w, "w:after", TWIPS(after));
        docx_attr_int(w, "w:line", r->space == SP_TINY ? 20 : TWIPS(size * lead));
        docx_attr(w, "w:lineRule", r->space == SP_TINY ? "exact" : "atLeast");
        docx_end(w);
    }
    /* Always both sides: a style based on Normal would otherwise inherit
     * the narrower measure of young readers' text. */
    double right = r->size == SZ_SMALL ? 0 : FULL_MEASURE - m->measure;
    if (r->size != SZ_NONE) {
        double left = r->indent == IND_QUOTE ? 1.2 * m->body
                    : r->indent != IND_NONE ? indent_of(l, look) : 0;
        docx_start(w, "w:ind");
        docx_attr_int(w, "w:left", TWIPS(left));
        docx_attr_int(w, "w:right", TWIPS(right));
        if (r->indent == IND_HANG)
            docx_attr_int(w, "w:hanging", TWIPS(indent_of(l, look)));
        docx_end(w);
    }
    if (r->outline >= 0)
        docx_el_int(w, "w:outlineLvl", r->outline);
    docx_end(w);
}

static void run_props(xmlTextWriterPtr w, const docx_looks *l, const style_row *r,
                      docx_look look, bool full)
{
    bool easy = look == DOCX_LOOK_EASY;
    bool band = (r->flags & F_BAND) && look == DOCX_LOOK_POSTER;
    docx_start(w, "w:rPr");
    if (full && (r->flags & F_MONO)) {
        docx_start(w, "w:rFonts");
        docx_attr(w, "w:ascii", "Courier New");
        docx_attr(w, "w:hAnsi", "Courier New");
        docx_attr(w, "w:cs", "Courier New");
        docx_end(w);
    }
    if ((full && (r->flags & F_BOLD)) || ((r->flags & F_ITALIC) && easy))
        docx_el(w, "w:b");
    if (r->flags & F_ITALIC)
        docx_el_val(w, "w:i", easy ? "0" : "1");
    if (band)
        docx_el_val(w, "w:color", "FFFFFF");
    else if (full && (r->flags & (F_NAVY | F_GREY | F_LINK)))
        docx_el_val(w, "w:color", r->flags & F_NAVY ? NAVY : r->flags & F_GREY ? GREY
                                                                              : "0B4F9E");
    else if (full && r->flags & F_DEFAULT && r->type == 'p')
        docx_el_val(w, "w:color", INK);
    if (r->size != SZ_NONE) {
        docx_el_int(w, "w:sz", HALF_POINTS(size_of(l, look, r->size)));
        docx_el_int(w, "w:szCs", HALF_POINTS(size_of(l, look, r->size)));
    }
    if (full && (r->flags & F_LINK))
        docx_el_val(w, "w:u", "single");
    docx_end(w);
}

static void table_props(xmlTextWriterPtr w, const style_row *r)
{
    docx_start(w, "w:tblPr");
    docx_start(w, "w:tblInd");
    docx_attr(w, "w:w", "0");
    docx_attr(w, "w:type", "dxa");
    docx_end(w);
    if (r->borders != TB_NONE) {
        docx_start(w, "w:tblBorders");
        static const char *const sides[] = {"w:top", "w:left", "w:bottom", "w:right",
                                            "w:insideH", "w:insideV"};
        for (int i = 0; i < 6; i++) {
            bool vertical = i == 1 || i == 3 || i == 5;
            int sz = r->borders == TB_GRID ? 6
                   : r->borders == TB_ROWS && !vertical ? 4 : 0;
            border(w, sides[i], sz, "8C8C8C", 0);
        }
        docx_end(w);
    }
    docx_start(w, "w:tblCellMar");
    static const char *const pads[][2] = {{"w:left", "85"}, {"w:right", "85"}};
    for (int i = 0; i < 2; i++) {
        docx_start(w, pads[i][0]);
        docx_attr(w, "w:w", r->borders == TB_PLAIN && i == 0 ? "0" : pads[i][1]);
        docx_attr(w, "w:type", "dxa");
        docx_end(w);
    }
    docx_end(w);
    docx_end(w);
    if (r->borders != TB_NONE) {
        /* A signature block or a form row is never split across pages. */
        docx_start(w, "w:trPr");
        docx_el(w, "w:cantSplit");
        docx_end(w);
    }
}

static void write_style(xmlTextWriterPtr w, const docx_looks *l, docx_look look, docx_style s)
{
    const style_row *r = &styles[s];
    bool full = look == l->base;
    static const char *const types[] = {"paragraph", "character", "table"};
    char buf[64];
    docx_start(w, "w:style");
    docx_attr(w, "w:type", types[r->type == 'p' ? 0 : r->type == 'c' ? 1 : 2]);
    if (full && (r->flags & F_DEFAULT))
        docx_attr(w, "w:default", "1");
    docx_attr(w, "w:styleId", docx_style_id(l, look, s, buf, sizeof buf));
    if (full) {
        docx_el_val(w, "w:name", r->name);
    } else {
        char *name = xasprintf("%s%s", r->name, looks[look].label);
        docx_el_val(w, "w:name", name);
        free(name);
    }
    docx_style based = full ? r->based_on : s;
    if (based != NONE)
        docx_el_val(w, "w:basedOn", docx_style_id(l, l->base, based, buf, sizeof buf));
    if (r->next != NONE)
        docx_el_val(w, "w:next", docx_style_id(l, look, r->next, buf, sizeof buf));
    if (r->type != 't')
        docx_el(w, "w:qFormat");
    if (r->type == 'p')
        para_props(w, l, r, look, full);
    if (r->type != 't')
        run_props(w, l, r, look, full);
    else
        table_props(w, r);
    docx_end(w);
}

static void doc_defaults(xmlTextWriterPtr w, const char *lang)
{
    docx_start(w, "w:docDefaults");
    docx_start(w, "w:rPrDefault");
    docx_start(w, "w:rPr");
    docx_start(w, "w:rFonts");
    static const char *const slots[] = {"w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"};
    for (int i = 0; i < 4; i++)
        docx_attr(w, slots[i], "Arial");
    docx_end(w);
    docx_el_int(w, "w:sz", 21);
    docx_el_int(w, "w:szCs", 21);
    docx_start(w, "w:lang");
    docx_attr(w, "w:val", lang && *lang ? lang : "en-GB");
    docx_attr(w, "w:eastAsia", lang && *lang ? lang : "en-GB");
    docx_attr(w, "w:bidi", "ar-SA");
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_start(w, "w:pPrDefault");
    docx_start(w, "w:pPr");
    docx_start(w, "w:spacing");
    docx_attr(w, "w:after", "0");
    docx_attr(w, "w:line", "240");
    docx_attr(w, "w:lineRule", "auto");
    docx_end(w);
    docx_end(w);
    docx_end(w);
    docx_end(w);
}

char *docx_styles_xml(const docx_looks *l, const char *lang, size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "w:styles");
    docx_wml_namespaces(w);
    doc_defaults(w, lang);
    for (int s = 0; s < DOCX_STYLE_COUNT; s++)
        write_style(w, l, l->base, (docx_style)s);
    for (int k = 0; k < DOCX_LOOK_COUNT; k++)
        for (int s = 0; k != (int)l->base && l->used[k] && s < DOCX_STYLE_COUNT; s++)
            if (per_look((docx_style)s))
                write_style(w, l, (docx_look)k, (docx_style)s);
    docx_end(w);
    return docx_xml_close(w, buf, len);
}

/* ---- Numbering ---- */

/* A tick or cross is a picture at the start of the item's text, so that
 * list has no marker of its own; it is still a list to Word, to screen
 * readers and to converters. */
static void level(xmlTextWriterPtr w, const look_metrics *m, int ilvl, int kind)
{
    static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x80\x93", "\xE2\x80\xA2"};
    static const char *const formats[] = {"decimal", "lowerLetter", "lowerRoman"};
    char text[16];  /* room for any int, though levels run 0-8 */
    snprintf(text, sizeof text, "%%%d.", ilvl + 1);
    docx_start(w, "w:lvl");
    docx_attr_int(w, "w:ilvl", ilvl);
    docx_el_int(w, "w:start", 1);
    /* A bullet of no width rather than numFmt "none", which converters
     * take for a paragraph continuing the item before. */
    docx_el_val(w, "w:numFmt", kind == LIST_DECIMAL ? formats[ilvl] : "bullet");
    if (kind == LIST_SYMBOL)
        docx_el_val(w, "w:suff", "nothing");
    /* The symbol list's marker is a zero-width space: an empty one reads
     * as "not a list item" to pandoc and others. */
    docx_el_val(w, "w:lvlText", kind == LIST_DECIMAL ? text
                              : kind == LIST_BULLET ? bullets[ilvl] : "\xE2\x80\x8B");
    docx_el_val(w, "w:lvlJc", "left");
    docx_start(w, "w:pPr");
    docx_start(w, "w:ind");
    docx_attr_int(w, "w:left", TWIPS(m->indent * (ilvl + 1)));
    docx_attr_int(w, "w:hanging", TWIPS(m->indent));
    docx_end(w);
    docx_end(w);
    if (kind == LIST_BULLET) {
        docx_start(w, "w:rPr");
        docx_el_val(w, "w:color", NAVY);
        docx_end(w);
    }
    docx_end(w);
}

static void abstract_num(xmlTextWriterPtr w, docx_look look, int kind)
{
    docx_start(w, "w:abstractNum");
    docx_attr_int(w, "w:abstractNumId", LIST_KINDS * (long)look + kind);
    docx_el_val(w, "w:multiLevelType", "multilevel");
    for (int i = 0; i < 3; i++)
        level(w, &looks[look], i, kind);
    docx_end(w);
}

static void num(xmlTextWriterPtr w, int id, long abstract, int start)
{
    docx_start(w, "w:num");
    docx_attr_int(w, "w:numId", id);
    docx_el_int(w, "w:abstractNumId", abstract);
    if (start > 0) {
        docx_start(w, "w:lvlOverride");
        docx_attr(w, "w:ilvl", "0");
        docx_el_int(w, "w:startOverride", start);
        docx_end(w);
    }
    docx_end(w);
}

char *docx_numbering_xml(const docx_looks *l, const docx_num *nums, size_t n, size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "w:numbering");
    docx_wml_namespaces(w);
    for (int k = 0; k < DOCX_LOOK_COUNT; k++)
        for (int kind = 0; l->used[k] && kind < LIST_KINDS; kind++)
            abstract_num(w, (docx_look)k, kind);
    for (int k = 0; k < DOCX_LOOK_COUNT; k++)
        for (int kind = 0; l->used[k] && kind < LIST_KINDS; kind++)
            num(w, LIST_KINDS * k + kind + 1, LIST_KINDS * k + kind, 0);
    for (size_t i = 0; i < n; i++)
        num(w, nums[i].id, LIST_KINDS * (long)nums[i].look + LIST_DECIMAL, nums[i].start);
    docx_end(w);
    return docx_xml_close(w, buf, len);
}
