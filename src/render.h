/* render: a document as Markdown (CommonMark) or as a standalone, accessible
 * HTML5 page. Both return a malloc'd NUL-terminated string. */
#ifndef AUPC_RENDER_H
#define AUPC_RENDER_H

#include "document.h"

/* Markdown, opened by the metadata comment that aupc lint reads back. */
char *render_md(const document *d);
char *render_html(const document *d);

#endif
