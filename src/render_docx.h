/* render_docx: a document, the home-school agreement and the posters as
 * Word documents (Office Open XML, .docx) that a school can restyle and
 * edit.
 *
 * The document tree maps one to one onto named Word styles (render_docx_styles.h):
 * the title, headings, bulleted and numbered lists (each numbered list
 * counting from its own start), "I will" and "I will not" rules with a
 * tick or cross picture whose alternative text says "Allowed" or "Not
 * allowed", and tables for the image consent form, the signature block and
 * the contacts map. Nothing in word/document.xml carries formatting of its
 * own. Each page has a header (setting, title) and a footer (version,
 * approval and review dates, page numbers); the properties give the title,
 * subject and language. The bytes depend on the document alone. */
#ifndef AUPC_RENDER_DOCX_H
#define AUPC_RENDER_DOCX_H

#include "render.h"

/* D as a .docx in OUT (the format registry's shape, render.h; Word lays
 * out its own pages, so the fonts and layout report in the context go
 * unused). Returns 0, or -1 with an error in *DIAGS. */
render_document_fn render_docx;

/* The home-school agreement for PUPIL's family (pack_agreement_parts), each
 * part a section that starts on an odd page, pages numbered throughout,
 * and a blank page at the end when the PDF has one. Returns the number of
 * parts, 0 when there is none for PUPIL, or -1 with an error in *DIAGS. */
render_agreement_fn render_docx_agreement;

/* The poster for pupil document D: its five rules in large type. */
render_document_fn render_docx_poster;

#endif
