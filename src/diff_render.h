/* diff_render: a change set (diff.h) as text, Markdown, HTML, JSON or an A4
 * PDF redline. The text renderers return a malloc'd NUL-terminated string;
 * the PDF renderer appends bytes to a strbuf. No output depends on the clock:
 * the PDF's dates come from the newer profile. */
#ifndef AUPC_DIFF_RENDER_H
#define AUPC_DIFF_RENDER_H

#include <stdbool.h>

#include "diag.h"
#include "diff.h"
#include "util/io.h"

typedef struct {
    bool colour;         /* text: ANSI colours instead of [-old-]{+new+} */
    bool stat;           /* counts only */
} diff_render_opts;

char *diff_render_text(const diff_result *r, const diff_render_opts *o);
char *diff_render_md(const diff_result *r, const diff_render_opts *o);
char *diff_render_html(const diff_result *r, const diff_render_opts *o);
char *diff_render_json(const diff_result *r, const diff_render_opts *o);
/* Returns 0, or -1 with an error in *diags. */
int diff_render_pdf(const diff_result *r, const diff_render_opts *o, strbuf *out,
                    diag_list *diags);

#endif
