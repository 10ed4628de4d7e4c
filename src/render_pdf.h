/* render_pdf: a document as a printable A4 PDF, in memory.
 * The caller writes the bytes with io_write_atomic, so no partial file
 * is ever left behind. Identical input gives identical bytes: every date
 * comes from the document (or SOURCE_DATE_EPOCH), never the clock. */
#ifndef AUPC_RENDER_PDF_H
#define AUPC_RENDER_PDF_H

#include <stdbool.h>

#include "diag.h"
#include "document.h"
#include "layout.h"
#include "util/io.h"

/* Each thread that makes PDFs keeps a libharu document for the next one;
 * call this before the thread ends (and before exit) to free it. */
void pdf_thread_done(void);

/* Layouts shared by the PDFs of one setting: the home-school agreement
 * binds the parent and pupil documents as their own PDFs laid them out,
 * rather than laying them out again. Threads may share it. */
typedef struct pdf_layouts pdf_layouts;
pdf_layouts *pdf_layouts_new(void);
/* D will be bound USES times: its layout is freed after the last. Without
 * this, a layout is kept until pdf_layouts_free. */
void pdf_layouts_expect(pdf_layouts *s, const document *d, int uses);
void pdf_layouts_free(pdf_layouts *s);

/* Render D as PDF into *out (appending). O and SHARED may be NULL. Returns
 * 0, or -1 (LAYOUT_UNSHOWN for text its fonts cannot draw) with an error in
 * *diags. Fills *info when non-NULL; free it with layout_info_free. */
int pdf_render(const document *d, const pdf_options *o, pdf_layouts *shared, strbuf *out,
               layout_info *info, diag_list *diags);

/* A book: several documents (or layouts made by the caller) bound into one
 * PDF, each with its own running header, footer and page numbers. The
 * fonts suit every document passed to pdf_book_new. */
typedef struct pdf_book pdf_book;

pdf_book *pdf_book_new(const document *const *docs, size_t n, const pdf_options *o);
/* A book of pages the caller lays out, whose fonts suit the N strings
 * TEXTS (UTF-8): every string those pages show. FIRST names the book. */
pdf_book *pdf_book_new_text(const document *first, const char *const *texts, size_t n,
                            const pdf_options *o);
ts_fonts *pdf_book_fonts(pdf_book *b);
/* Lay D out (or take its layout from SHARED, when not NULL) and add its
 * pages; with ODD, a blank page first when needed so that D starts on an
 * odd (right-hand) page. Returns D's first page number in the book, or -1
 * (LAYOUT_UNSHOWN) with an error in *diags. Fills *info when non-NULL. */
int pdf_book_add(pdf_book *b, const document *d, bool odd, pdf_layouts *shared,
                 layout_info *info, diag_list *diags);
/* Add the pages of a layout the caller made; D names the running header
 * and footer (unused when l->plain). Returns its first page number or -1. */
int pdf_book_add_layout(pdf_book *b, const document *d, const layout *l, diag_list *diags);
int pdf_book_blank_page(pdf_book *b, diag_list *diags);
int pdf_book_pages(const pdf_book *b);
/* Write the book into *out; D gives the document information, TITLE (when
 * non-NULL) replaces its title. Returns 0 or -1. */
int pdf_book_save(pdf_book *b, const document *d, const char *title, strbuf *out,
                  diag_list *diags);
void pdf_book_free(pdf_book *b);

#endif
