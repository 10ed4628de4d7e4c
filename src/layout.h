/* layout: typesetting a document's cmark AST onto A4 pages.
 *
 * Layout measures text with libharu's font metrics, breaks lines itself
 * (ragged right, never past the margin), and paginates with widow, orphan
 * and keep-together rules. It produces positioned drawing operations and
 * the position of every block, but draws nothing: render_pdf.c turns the
 * operations into a PDF, and the principles engine can run layout alone to
 * measure how long a document is. */
#ifndef AUPC_LAYOUT_H
#define AUPC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "diag.h"
#include "document.h"
#include "util/io.h"

typedef struct {
    const char *font_regular;  /* a school's own TrueType typeface, or NULL */
    const char *font_bold;     /* its bold; NULL uses font_regular */
} pdf_options;

/* Where one block landed. A block that runs over a page break has one entry
 * per page. x, y is the lower-left corner in PDF points (origin at the
 * page's lower left); nested blocks (a list and its items) overlap their
 * parents by design. */
typedef struct {
    int page;                  /* 1-based */
    double x, y, w, h;
    cmark_node *node;          /* NULL for the title aupc adds itself */
    const doc_tag *tag;        /* the node's tag, if it came from the library */
} layout_block;

typedef struct {
    layout_block *blocks;
    size_t nblocks;
    int pages;
    int core_pages;            /* page on which the last core statement ends; 0: none */
    bool unicode_font;         /* an embedded TrueType family was used */
    double body_size;          /* body text size in points */
    double page_w, page_h;
    double margin_left, margin_right, content_top, content_bottom;
} layout_info;

/* Lay D out without drawing. Returns 0, or -1 with an error in *diags. */
int layout_measure(const document *d, const pdf_options *o, layout_info *info,
                   diag_list *diags);
int layout_core_pages(const layout_info *info);
void layout_info_free(layout_info *info);

/* ---- Shared with render_pdf.c ---- */

enum { FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_MONO, FONT_COUNT };
/* Latin-1 and Latin Extended-A (Welsh ŵ and ŷ among them). */
#define LAYOUT_WIDTH_CACHE 0x180

/* The TrueType faces a reusable libharu document has parsed. libharu keeps
 * them across HPDF_NewDoc, so the next PDF made with the document finds a
 * face here instead of parsing its file again. Each face's file is kept
 * too, for ttf_embed to write its font program from. */
#define LAYOUT_FACES_MAX 16
typedef struct {
    size_t n;
    char *path[LAYOUT_FACES_MAX];        /* owned */
    const char *name[LAYOUT_FACES_MAX];  /* libharu's names, owned by the document */
    unsigned char *data[LAYOUT_FACES_MAX];  /* the file, owned; NULL if unread */
    size_t len[LAYOUT_FACES_MAX];
    strbuf scratch;                      /* ttf_embed's working space */
} layout_faces;

void layout_faces_clear(layout_faces *faces);

/* How a PDF's text is set. */
typedef enum {
    FONTS_STANDARD,  /* Helvetica and Courier in WinAnsi, not embedded; text held as CP1252 */
    FONTS_TRUETYPE,  /* embedded TrueType faces as simple fonts: WinAnsi, plus one more
                        single-byte encoding for what WinAnsi lacks; text held as UTF-8 */
    FONTS_UNICODE    /* embedded TrueType with libharu's UTF-8 encoding (costly: the
                        last resort for text no two single-byte encodings hold) */
} font_mode;

/* The fonts of one PDF document, loaded on first use so unused faces are
 * never embedded. */
typedef struct {
    HPDF_Doc pdf;
    font_mode mode;
    bool utf8;                 /* text held as UTF-8 (any mode but FONTS_STANDARD) */
    const char *path[FONT_COUNT];
    const char *ttf[FONT_COUNT];        /* libharu's names for the loaded faces */
    HPDF_Font font[FONT_COUNT];         /* WinAnsi, or UTF-8 in FONTS_UNICODE */
    const char *extra;                  /* FONTS_TRUETYPE: the second encoding, or NULL */
    unsigned short extra_cp[128];       /* its bytes 0x80-0xFF as code points */
    HPDF_Font extra_font[FONT_COUNT];   /* the faces in that encoding */
    HPDF_Dict to_unicode[2];            /* FONTS_TRUETYPE: the map for WinAnsi, for extra */
    const char *failed;        /* path of a font that would not load */
    const char *failed_why;    /* and why, when aupc knows */
    layout_faces *faces;       /* set by the caller for a reusable document, else NULL */
    /* Glyph widths (1/1000 em) by code point, 0 when not yet measured:
     * libharu looks each glyph up in a TrueType cmap by linear search. */
    float width[FONT_COUNT][LAYOUT_WIDTH_CACHE];
} layout_fonts;

/* Report, as an error in FILE, the font F could not load. */
void layout_fonts_failure(const layout_fonts *f, const char *file, diag_list *diags);

/* Choose the font family for D (and O) and prepare PDF for it. */
void layout_fonts_init(layout_fonts *f, HPDF_Doc pdf, const document *d, const pdf_options *o);
/* The same for N documents bound into one PDF: one family that suits them all. */
void layout_fonts_init_set(layout_fonts *f, HPDF_Doc pdf, const document *const *docs, size_t n,
                           const pdf_options *o);
/* The same for a page that shows only the N strings TEXTS (UTF-8). */
void layout_fonts_init_text(layout_fonts *f, HPDF_Doc pdf, const char *const *texts, size_t n,
                            const pdf_options *o);
HPDF_Font layout_font(layout_fonts *f, int which);
/* Convert UTF-8 to the text the fonts expect (CP1252, or UTF-8 as it is). Caller frees. */
char *layout_encode(const layout_fonts *f, const char *utf8);
/* Width of encoded TEXT in points. */
double layout_width(layout_fonts *f, int font, double size, const char *text, size_t len);
/* Show encoded TEXT with its baseline starting at X, Y, inside a text
 * object on PAGE; the page's font changes only when it must. */
void layout_show(layout_fonts *f, HPDF_Page page, int font, double size, double x, double y,
                 const char *text);
/* Break UTF8 into lines no wider than W points (greedy, at spaces; a word
 * wider than W is split). *LINES gets the lines, encoded for the fonts,
 * each owned, as is the array. Returns the number of lines. */
size_t layout_wrap(layout_fonts *f, int font, double size, const char *utf8, double w,
                   char ***lines);

typedef enum {
    LOP_TEXT,      /* text at x, y (baseline); w is its measured width */
    LOP_RULE,      /* line from x, y to x + w, y + h */
    LOP_LINK,      /* URI link over the rectangle x, y, w, h */
    LOP_BULLET,    /* filled disc centred on x, y, diameter w */
    LOP_TICK,      /* green tick in the box x, y, w, w */
    LOP_CROSS,     /* red cross in the box x, y, w, w */
    LOP_BAR,       /* a filled rectangle x, y, w, h */
    LOP_SHAPE,     /* a filled, outlined shape in the box x, y, w, h (see layout_shape) */
    LOP_ARROW      /* a filled arrowhead with its tip at x, y pointing along (w, h), length size */
} layout_op_kind;

typedef enum {
    SHAPE_RECT,    /* a rectangle */
    SHAPE_ROUNDED, /* corners rounded by inset */
    SHAPE_HEXAGON, /* ends pointed, inset deep: a question in a flowchart */
    SHAPE_TICKBOX  /* an empty box to tick, outlined only */
} layout_shape;

typedef struct {
    layout_op_kind kind;
    int page;
    double x, y, w, h;
    int font;
    double size, line_width;
    double r, g, b;
    char *text;                /* encoded for the fonts (LOP_TEXT) */
    char *uri;                 /* UTF-8 (LOP_LINK) */
    layout_shape shape;        /* LOP_SHAPE: r, g, b fill it, sr, sg, sb outline it */
    double inset, sr, sg, sb;
} layout_op;

typedef struct {
    int level;                 /* heading level, 1..6 */
    char *title;               /* encoded for the fonts */
    int page;
    double y;
} layout_mark;

typedef struct {
    double body, leading, measure;
    double heading[7];         /* sizes by heading level */
    bool easy;                 /* easy read: cream page, no italics */
    bool symbols;              /* ticks and crosses beside rules */
    bool countersign;          /* parent or carer signs too */
} layout_style;

typedef struct {
    layout_op *ops;
    size_t nops, capops;
    layout_mark *marks;
    size_t nmarks, capmarks;
    layout_block *blocks;
    size_t nblocks;
    int pages;
    layout_style style;
    double page_w, page_h, left, right, top, bottom;
    bool plain;                /* no running header and footer (a poster) */
} layout;

/* Lay D out with fonts F. Returns 0, or -1 with an error in *diags. */
int layout_run(const document *d, layout_fonts *f, layout *out, diag_list *diags);
void layout_free(layout *l);
/* An empty one-page layout with the usual page size and margins. */
void layout_init_page(layout *l);
/* Append an operation to L (page 1 unless the caller changes it). */
layout_op *layout_push_op(layout *l, layout_op_kind kind, double x, double y, double w, double h);
/* Copy the results a caller keeps into INFO. */
void layout_fill_info(const layout *l, const layout_fonts *f, layout_info *info);

#endif
