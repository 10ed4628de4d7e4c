/* layout: a document's cmark AST laid out on A4 pages.
 *
 * Layout turns blocks into lines of words with typeset's fonts and line
 * breaker, and paginates with widow, orphan and keep-together rules. It
 * produces typeset's drawing operations and the position of every block,
 * but draws nothing: render_pdf.c binds the operations into a PDF, and the
 * principles engine runs layout alone (layout_measure) to measure how long
 * a document is. */
#ifndef AUPC_LAYOUT_H
#define AUPC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "typeset.h"

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

/* What a PDF maker returns, in place of -1, when the input holds text the
 * PDF's fonts cannot draw (an error in *diags): the input's fault, to be
 * fixed there, not an I/O or internal failure. */
#define LAYOUT_UNSHOWN (-2)

/* Lay D out without drawing. Returns 0, or -1 (LAYOUT_UNSHOWN) with an
 * error in *diags. */
int layout_measure(const document *d, const pdf_options *o, layout_info *info,
                   diag_list *diags);
int layout_core_pages(const layout_info *info);
void layout_info_free(layout_info *info);

/* ---- Shared with render_pdf.c, pack.c and the tests ---- */

/* Add the characters of D's text beyond WinAnsi to CS. */
void layout_charset_add_doc(ts_charset *cs, const document *d);
/* A PDF whose fonts suit the N documents DOCS. NULL when memory runs out. */
ts_doc *layout_doc_new(const document *const *docs, size_t n, const pdf_options *o);

typedef struct {
    double body, leading, measure;
    double heading[7];         /* sizes by heading level */
    double item_gap;           /* space before a list item, in lines */
    double heading_gap;        /* space before a heading below the title, in lines */
    bool easy;                 /* easy read: cream page, no italics */
    bool symbols;              /* ticks and crosses beside rules */
    bool countersign;          /* parent or carer signs too */
    bool compact_signature;    /* two fields to a row, rows closer together */
} layout_style;

typedef struct {
    ts_ops ops;
    ts_tree tree;              /* the logical structure the operations belong to */
    ts_mark *marks;            /* a bookmark per heading */
    size_t nmarks, capmarks;
    layout_block *blocks;
    size_t nblocks;
    int pages;
    layout_style style;
    double page_w, page_h, left, right, top, bottom;
    bool plain;                /* no running header and footer (a poster) */
    ts_font_uses font_uses;    /* the fonts it measured with, to replay where it is drawn */
} layout;

/* Lay D out with fonts F. Returns 0, or -1 (LAYOUT_UNSHOWN) with an error
 * in *diags. */
int layout_run(const document *d, ts_fonts *f, layout *out, diag_list *diags);
/* Whether every character of OPS' text is drawn by its face: 0, or
 * LAYOUT_UNSHOWN with an error that names the character, its face when
 * the regular one has it, the first of the NFILES FILES (the inputs the
 * text came from) and line where it occurs, and what to do: remove it,
 * give a font (when the command has FONT_OPTION --font), or INSTEAD
 * (another format: "compile ... only (-f ...)"). */
int layout_check_glyphs(ts_fonts *f, const ts_ops *ops, const char *const *files,
                        size_t nfiles, bool font_option, const char *instead,
                        diag_list *diags);
/* INSTEAD for a compiled document. */
#define LAYOUT_INSTEAD "compile the Markdown, HTML or Word versions only (-f md,html,docx)"
void layout_free(layout *l);
/* An empty one-page layout with the usual page size and margins. */
void layout_init_page(layout *l);
/* Copy the results a caller keeps into INFO. */
void layout_fill_info(const layout *l, const ts_fonts *f, layout_info *info);

#endif
