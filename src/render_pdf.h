/* render_pdf: a document as a printable A4 PDF, in memory.
 * The caller writes the bytes with io_write_atomic, so no partial file
 * is ever left behind. Identical input gives identical bytes: every date
 * comes from the document (or SOURCE_DATE_EPOCH), never the clock. */
#ifndef AUPC_RENDER_PDF_H
#define AUPC_RENDER_PDF_H

#include "diag.h"
#include "document.h"
#include "layout.h"
#include "util/io.h"

/* Render D as PDF into *out (appending). O may be NULL. Returns 0, or -1
 * with an error in *diags. Fills *info when non-NULL; free it with
 * layout_info_free. */
int pdf_render(const document *d, const pdf_options *o, strbuf *out, layout_info *info,
               diag_list *diags);

#endif
