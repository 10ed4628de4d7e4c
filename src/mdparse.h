/* mdparse: Markdown that someone hands aupc (a draft, a statement library
 * text) parsed by cmark within bounds of time and depth.
 *
 * libcmark 0.30.2 is quadratic on some inputs well inside the 8 MiB limit:
 * a paragraph that leaves many '![' open (each link then walks back over
 * all of them) and blank lines under deeply nested containers (each line
 * visits every open container). And every walker over the tree that
 * follows one child at a time down, such as the layout of blocks and
 * inlines, needs the depth bounded. So before cmark sees the text, one
 * linear pass bounds the nesting of block quotes and list items from each
 * line's prefix and counts the brackets left open, and the '<', in each
 * paragraph; after it, one iterative walk bounds the nesting of the tree, inlines included.
 * A draft past either limit is refused with its line, never parsed slowly
 * or walked too deep. */
#ifndef AUPC_MDPARSE_H
#define AUPC_MDPARSE_H

#include <stddef.h>

#include <cmark.h>

#include "diag.h"

/* Block quotes, list items, emphasis, strong emphasis, links and images
 * inside one another: the deepest nesting aupc reads. */
#define MD_MAX_DEPTH 16
/* '[' and '![' left open at once in one paragraph. */
#define MD_MAX_OPEN_BRACKETS 100
/* '<' in one paragraph (not an HTML block or code, nor a link's "(<"):
 * each that opens no tag costs cmark a node of its own, some microseconds. */
#define MD_MAX_ANGLES 1000

/* Rule id of the refusals, for lint. */
#define MD_RULE "structure"

/* Check TEXT before parsing: 0, or -1 with one error (rule MD_RULE) in
 * *DIAGS naming FILE and the line. */
int md_precheck(const char *file, const char *text, size_t len, diag_list *diags);

/* The deepest nesting in ROOT, walked without recursion; *LINE gets the
 * line of the first block where it passes MD_MAX_DEPTH (0 when it does
 * not). */
int md_depth(cmark_node *root, int *line);

/* md_precheck, cmark_parse_document with OPTIONS, then md_depth. Returns
 * the tree, or NULL with one error in *DIAGS. */
cmark_node *md_parse(const char *file, const char *text, size_t len, int options,
                     diag_list *diags);

/* md_parse for TEXT that starts at line FIRST of FILE (a statement's text
 * inside a library file): lines in the error count from there. */
cmark_node *md_parse_from(const char *file, int first, const char *text, size_t len,
                          int options, diag_list *diags);

/* md_parse for a draft: one of PAR_MIN_BYTES (util/par.h) or more is cut
 * at a seam into two halves parsed at once, when it has one (md_seam). The
 * tree, source positions included, and any refusal are the same as
 * md_parse's. */
cmark_node *md_parse_draft(const char *file, const char *text, size_t len, int options,
                           diag_list *diags);

/* Where TEXT can be cut so that its halves parse as they do in the whole
 * (a line start near the middle, blank line before and ATX heading at
 * column 1, and no link reference definition anywhere), or 0. */
size_t md_seam(const char *text, size_t len);
/* md_parse cut at SEAM (from md_seam): exposed for tests. */
cmark_node *md_parse_at(const char *file, const char *text, size_t len, int options,
                        diag_list *diags, size_t seam);

#endif
