/* render: what every document renderer takes and gives, so that a row of
 * the format registry (format.h) can point at it, and the Markdown and
 * HTML renderers, which return a malloc'd NUL-terminated string. */
#ifndef AUPC_RENDER_H
#define AUPC_RENDER_H

#include "diag.h"
#include "document.h"
#include "layout.h"
#include "profile.h"
#include "render_pdf.h"
#include "util/io.h"

/* What a document renderer may use and report beyond the document. */
typedef struct {
    const pdf_options *pdf;   /* fonts, for formats that lay out pages; may be NULL */
    layout_info *info;        /* when not NULL, a format that lays the document out fills
                                 it (and the caller frees it with layout_info_free) */
    pdf_layouts *layouts;     /* layouts the PDFs of one setting share; may be NULL */
} render_ctx;

/* A document's bytes appended to *OUT. Returns 0, or -1 with an error in
 * *DIAGS: LAYOUT_UNSHOWN when the document holds text the format cannot
 * show (the input's fault), any other negative value for I/O or internal
 * failures. */
typedef int render_document_fn(const document *d, const render_ctx *c, strbuf *out,
                               diag_list *diags);
/* The home-school agreement for the family of a reader of PUPIL (one of
 * DOCS): the parents' document bound with PUPIL; returns how many parts it
 * bound (0: no agreement for PUPIL, nothing written), or a failure as
 * above. */
typedef int render_agreement_fn(const profile *p, const doc_set *docs, const document *pupil,
                                const render_ctx *c, strbuf *out, diag_list *diags);

/* Markdown, opened by the metadata comment that aupc lint reads back. */
char *render_md(const document *d);
char *render_html(const document *d);

#endif
