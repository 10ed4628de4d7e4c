/* typeset: the bottom layer of the PDF back end, and with the font code
 * (ttf_embed.c) the only part of aupc that speaks to libharu.
 *
 * - Fonts and encodings: the family a PDF is set in (standard Helvetica
 *   when every character fits WinAnsi, embedded TrueType faces when not),
 *   text encoded for it and measured with libharu's metrics.
 * - Words and lines: text split into measured words, broken into lines
 *   (ragged right, never past the measure), and a line's words turned into
 *   drawing operations.
 * - Drawing operations: positioned text, rules, shapes and links, listed
 *   before anything is drawn so a footer can say "page N of M", and drawn
 *   onto a page by one drawer.
 * - Structure: every operation belongs to an element of the document's
 *   logical structure (a heading, a paragraph, a list item's label, a
 *   figure) or is an artifact (running headers, rules, decoration). The PDF
 *   is tagged: marked content in the pages, a structure tree in logical
 *   order, alternative text for figures, the document's language.
 * - The PDF document: pages, outlines, document information and the bytes.
 *   libharu's errors are sticky; one handler keeps the first, and every
 *   call's failure is reported once, as a diagnostic.
 *
 * Names are prefixed ts_ (typeset); the font numbers keep FONT_. */
#ifndef AUPC_TYPESET_H
#define AUPC_TYPESET_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util/io.h"

typedef struct {
    const char *font_regular;  /* a school's own TrueType typeface, or NULL */
    const char *font_bold;     /* its bold; NULL uses font_regular */
} pdf_options;

enum { FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_MONO, FONT_COUNT };

/* ---- Fonts and encodings ---- */

/* The characters beyond WinAnsi that a PDF will show, gathered from its
 * text before its fonts are chosen. Zero-initialise. */
#define TS_CHARSET_MAX 96
typedef struct {
    unsigned cp[TS_CHARSET_MAX];
    size_t n;
    bool overflow;             /* more than TS_CHARSET_MAX of them */
} ts_charset;

void ts_charset_add(ts_charset *cs, const char *utf8);

/* The fonts of one PDF, loaded on first use so unused faces are never
 * embedded. Owned by its ts_doc. */
typedef struct ts_fonts ts_fonts;

/* Whether CP is drawn as itself in face WHICH (FONT_REGULAR, ...) of F: a
 * glyph for it in that face (Helvetica: WinAnsi). Right-to-left scripts
 * never are, as lines are set left to right. */
bool ts_can_show(ts_fonts *f, int which, unsigned cp);
bool ts_right_to_left(unsigned cp);

/* Convert UTF-8 to the text the fonts expect (CP1252, or UTF-8 as it is). Caller frees. */
char *ts_encode(const ts_fonts *f, const char *utf8);
/* Whether encoded text is UTF-8 (any family but standard Helvetica). */
bool ts_utf8(const ts_fonts *f);
/* Length in bytes of the character starting encoded text S. */
size_t ts_char_len(const ts_fonts *f, const char *s);
/* Width of encoded TEXT in points. */
double ts_width(ts_fonts *f, int font, double size, const char *text, size_t len);
/* Break UTF8 into lines no wider than W points (greedy, at spaces; a word
 * wider than W is split). *LINES gets the lines, encoded for the fonts,
 * each owned, as is the array. Returns the number of lines. */
size_t ts_wrap(ts_fonts *f, int font, double size, const char *utf8, double w, char ***lines);
/* The fonts some work used, in the order it first used each: libharu makes
 * a font object when it is first used, so work done with one document's
 * fonts (a layout) and bound into another replays its uses there first,
 * and the objects are made, and numbered, as if it had been done there. */
typedef struct {
    unsigned char v[2 * FONT_COUNT];   /* face, plus FONT_COUNT in the extra encoding */
    unsigned char n;
} ts_font_uses;
/* Record F's uses into U from now on (NULL: stop recording). */
void ts_fonts_track(ts_fonts *f, ts_font_uses *u);
void ts_fonts_replay(ts_fonts *f, const ts_font_uses *u);
/* What decides how fonts set text: the faces, the mode and the encodings.
 * Text measured with fonts of one key measures the same with any other
 * fonts of the same key. The names are borrowed from the fonts' options. */
typedef struct {
    int mode;
    const char *extra;
    const char *path[FONT_COUNT];
} ts_font_key;
ts_font_key ts_fonts_key(const ts_fonts *f);
bool ts_font_key_same(const ts_font_key *a, const ts_font_key *b);
/* Whether a font would not load; ts_fonts_report says which and why. */
bool ts_fonts_failed(const ts_fonts *f);
void ts_fonts_report(const ts_fonts *f, const char *file, diag_list *diags);

/* ---- Structure ---- */

/* The standard structure types aupc uses (PDF 1.7, section 14.8.4). */
typedef enum {
    TS_DOCUMENT, TS_PART, TS_SECT, TS_H1, TS_H2, TS_H3, TS_H4, TS_H5, TS_H6, TS_P,
    TS_L, TS_LI, TS_LBL, TS_LBODY, TS_TABLE, TS_TR, TS_TH, TS_TD, TS_FIGURE, TS_BLOCKQUOTE,
    TS_SPAN, TS_ROLE_COUNT
} ts_role;

/* The element of an operation that is decoration, not content. */
#define TS_ARTIFACT (-1)

typedef struct {
    ts_role role;
    int parent;                /* index in the same tree; -1: the tree's root */
    char *alt;                 /* alternative text (UTF-8, owned): what a figure shows */
    char *actual;              /* replacement text (UTF-8, owned): a bullet's "•" */
    const char *numbering;     /* TS_L: its /ListNumbering (Disc, Decimal, None) */
} ts_elem;

/* Elements in logical (reading) order: a parent comes before its children,
 * and children in the order they were added. */
typedef struct {
    ts_elem *v;
    size_t n, cap;
} ts_tree;

/* Add an element of ROLE under PARENT (-1: the root); returns its index. */
int ts_tree_add(ts_tree *t, int parent, ts_role role);
void ts_tree_set_alt(ts_tree *t, int elem, const char *utf8);
void ts_tree_free(ts_tree *t);

/* ---- Drawing operations ---- */

typedef enum {
    TS_TEXT,       /* text at x, y (baseline); w is its measured width */
    TS_RULE,       /* line from x, y to x + w, y + h */
    TS_LINK,       /* URI link over the rectangle x, y, w, h */
    TS_BULLET,     /* filled disc centred on x, y, diameter w */
    TS_TICK,       /* green tick in the box x, y, w, w */
    TS_CROSS,      /* red cross in the box x, y, w, w */
    TS_BAR,        /* a filled rectangle x, y, w, h */
    TS_SHAPE,      /* a filled, outlined shape in the box x, y, w, h (see ts_shape) */
    TS_ARROW       /* a filled arrowhead with its tip at x, y pointing along (w, h), length size */
} ts_op_kind;

typedef enum {
    TS_SHAPE_RECT,     /* a rectangle */
    TS_SHAPE_ROUNDED,  /* corners rounded by inset */
    TS_SHAPE_HEXAGON,  /* ends pointed, inset deep: a question in a flowchart */
    TS_SHAPE_TICKBOX   /* an empty box to tick, outlined only */
} ts_shape;

typedef struct {
    ts_op_kind kind;
    int page;
    double x, y, w, h;
    int font;
    double size, line_width;
    double r, g, b;
    char *text;                /* encoded for the fonts (TS_TEXT) */
    char *uri;                 /* UTF-8 (TS_LINK) */
    ts_shape shape;            /* TS_SHAPE: r, g, b fill it, sr, sg, sb outline it */
    double inset, sr, sg, sb;
    int elem;                  /* its structure element (index in its tree), or TS_ARTIFACT */
} ts_op;

typedef struct {
    ts_op *v;
    size_t n, cap;
} ts_ops;

/* Append an operation (page 1, dark grey, an artifact) to OPS; its text
 * and uri are owned by the list. */
ts_op *ts_push(ts_ops *ops, ts_op_kind kind, double x, double y, double w, double h);
void ts_ops_free(ts_ops *ops);
/* The first character of OPS' text that its face cannot draw (ts_can_show),
 * with that face in *FONT; 0 when every one is drawn. */
unsigned ts_ops_unshown(ts_fonts *f, const ts_ops *ops, int *font);

/* ---- Words and lines ---- */

typedef struct {
    int font;
    char *text;                /* encoded, owned */
    size_t len;
    double w;
    double space;              /* width of the space before it; 0 when joined */
    bool brk;                  /* a line may break before it */
    bool hard;                 /* a line must break before it */
    const char *uri;
} ts_word;

typedef struct {
    ts_word *v;
    size_t n, cap;
} ts_words;

/* Where running text is going: its font, size, link and pending space. */
typedef struct {
    int font;
    const char *uri;
    double size;
    bool space, hard;
} ts_word_state;

/* Split UTF8 at white space into words in ST's font. */
void ts_words_add(ts_fonts *f, ts_words *t, ts_word_state *st, const char *utf8);
void ts_words_free(ts_words *t);
/* Replace any run of joined words wider than W by one word per character
 * (a word of thousands of characters: pieces as wide as W), so an
 * over-long word breaks between characters instead of running past the
 * margin. */
void ts_words_split_wide(ts_fonts *f, ts_words *t, double w, double size);
/* Break T into lines of at most W points: greedy, ragged right. Returns
 * the number of lines; *STARTS gets each line's first word (n+1 entries,
 * owned by the caller). */
size_t ts_break_lines(const ts_words *t, double w, size_t **starts);

typedef struct {
    double size, lead;         /* font size and line height in points */
    double r, g, b;
    bool underline_links;
} ts_text_style;

/* Append the operations for words [A, B) of T as one line, left-aligned at
 * X with its baseline at BASE: the text in element ELEM, link underlines as
 * artifacts. */
void ts_emit_line(ts_ops *ops, const ts_words *t, size_t a, size_t b, double x, double base,
                  const ts_text_style *ts, int elem);

/* ---- The PDF document ---- */

typedef struct ts_doc ts_doc;

/* A new PDF whose fonts suit the characters CS (and O, which may be NULL).
 * Each thread keeps the libharu document of its last PDF for the next, as
 * libharu keeps the TrueType faces it has parsed. NULL only when memory
 * runs out. */
ts_doc *ts_doc_new(const ts_charset *cs, const pdf_options *o);
ts_fonts *ts_doc_fonts(ts_doc *doc);
/* Whether a libharu call or a font has failed. */
bool ts_doc_failed(const ts_doc *doc);
/* Report the failure, as an error in FILE about the PDF for WHAT. */
void ts_doc_report(const ts_doc *doc, const char *file, const char *what, diag_list *diags);
void ts_doc_free(ts_doc *doc);
/* Free the thread's kept libharu document; call before the thread ends. */
void ts_thread_done(void);

/* Add a page of W by H points; drawing goes to it from now on. Returns its
 * number in the document, or -1. */
int ts_page_add(ts_doc *doc, double w, double h);
int ts_page_count(const ts_doc *doc);
/* The document's own root element: the Document. */
#define TS_ROOT 0
/* Add the elements of T to the document's structure, T's roots under the
 * document's element UNDER. Returns the document's index of T's first
 * element: the BASE its operations are drawn with. */
int ts_struct_add(ts_doc *doc, const ts_tree *t, int under);
/* Draw the operations of OPS that are on page PAGE onto the current page,
 * their elements counted from BASE: the graphics, then the text in one
 * text object, then the links. */
void ts_draw_page(ts_doc *doc, const ts_ops *ops, int page, int base);

/* A bookmark to a heading: its level (1..6), encoded title, page (1-based
 * among the pages it is given with) and height on that page. */
typedef struct {
    int level;
    char *title;
    int page;
    double y;
} ts_mark;

/* Add MARKS as the outline of the NPAGES pages from FIRST_PAGE on. */
void ts_outline(ts_doc *doc, const ts_mark *marks, size_t n, int first_page, int npages);
/* Open the outline pane when the document is opened. */
void ts_show_outline(ts_doc *doc, bool show);

typedef struct {
    int year, month, day, hour, minutes, seconds;
} ts_date;

typedef struct {
    const char *title, *author, *subject;  /* UTF-8; NULL to leave out */
    const char *lang;          /* BCP 47 language, e.g. en-GB; NULL: en-GB */
    const ts_date *date;       /* creation and modification; NULL to leave out */
} ts_info;

/* Document information: the information dictionary, and the catalogue's
 * language and request to show the title rather than the file name. */
void ts_set_info(ts_doc *doc, const ts_info *info);
/* Append the PDF's bytes to *OUT. Returns 0, or -1 (see ts_doc_report). */
int ts_doc_save(ts_doc *doc, strbuf *out);

#endif
