/* diff_render: a change set (diff.h) as text, Markdown, HTML, JSON or an A4
 * PDF redline, one file per format, and what their writers share. The text
 * renderers return a malloc'd NUL-terminated string; the PDF renderer
 * appends bytes to a strbuf. No output depends on the clock: the PDF's
 * dates come from the newer profile. */
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
/* Returns 0, or -1 (LAYOUT_UNSHOWN, layout.h, for text its fonts cannot
 * draw) with an error in *diags. */
int diff_render_pdf(const diff_result *r, const diff_render_opts *o, strbuf *out,
                    diag_list *diags);

/* ---- shared by the writers, one file per format ---- */

/* How a writer marks deleted and inserted words, and escapes text. */
typedef struct {
    const char *del_open, *del_close, *ins_open, *ins_close;
    void (*escape)(strbuf *, const char *);
    bool space_del_ins;  /* a space between a deletion and the insertion after it */
} diff_render_style;

const char *diff_render_or_none(const char *s);           /* "(none)" for NULL */
const char *diff_render_verdict(const char *v);           /* "moved-on" as "moved on" */
/* "2 added, 1 removed, 0 reworded, 0 moved" */
void diff_render_counts(strbuf *b, const size_t c[CH_KIND_COUNT]);
void diff_render_plain(strbuf *b, const char *s);         /* S as it is */
/* A word diff, marked and escaped as ST says. */
void diff_render_words(strbuf *b, const word_diff *w, const diff_render_style *st);
/* The statements a setting added (or removed), per audience. */
void diff_render_effects(strbuf *b, const diff_setting *s, bool added,
                         void (*esc)(strbuf *, const char *));
bool diff_render_has_effect(const diff_setting *s, bool added);
/* "file (version V, approved D)" */
void diff_render_side(strbuf *b, const diff_side *s);
/* Where a change is: its statement, or its block and lines, and its section. */
void diff_render_where(strbuf *b, const diff_change *c, void (*esc)(strbuf *, const char *));

#endif
