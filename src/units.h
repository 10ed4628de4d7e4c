/* units: a draft cut into the pieces a reader judges one at a time.
 *
 * A unit is a sentence of a paragraph or list item, a table cell, or a
 * heading. Each carries its context: the nearest heading above it and the
 * lead-in it completes, so that "share my password" under "I will not:"
 * can be read as the prohibition it is. A lead-in is the sentence just
 * before a list that ends in a colon or is a bare phrase ("Examples of
 * unacceptable use"), the item a nested list hangs from, or the header of a
 * table column (and, in a table of three or more columns, the first cell of
 * its row labels it: "Your own phone | Use it at break | Use it in
 * lessons", unless the first column's header says who does what it holds,
 * as "The school will" or "Pupils must:" does). A paragraph that is all bold and short (what Word exports
 * for a heading) counts as a heading one level below the last real one.
 *
 * Pipe tables are read from the paragraph cmark leaves them in: the core
 * CommonMark grammar has no tables. Images (their alternative text),
 * HTML and code are not units. */
#ifndef AUPC_UNITS_H
#define AUPC_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmark.h>

typedef enum { UNIT_HEADING, UNIT_PARAGRAPH, UNIT_ITEM, UNIT_CELL } unit_kind;

typedef struct {
    unit_kind kind;
    char *text;          /* as written, markup removed, white space collapsed */
    char *folded;        /* text through textnorm_fold */
    uint32_t len, folded_len;   /* a draft is at most IO_MAX_INPUT bytes */
    int line, col;       /* where the unit starts in the draft (col 1 when unsure) */
    int heading;         /* index of the nearest heading above; for a heading, its parent; -1 */
    int lead_in;         /* index of the lead-in this unit completes, -1 */
    int block;           /* units of one paragraph, item or table row share this number */
    int level;           /* a heading's level (1-6, 7 for a bold paragraph); list depth */
    int row;             /* table cells: 0 for the header row, then 1, 2...; -1 otherwise */
    int row_head;        /* a cell's row label (the first cell of a table of three or more
                            columns), -1 otherwise */
    bool label;          /* this cell is such a row label, or a header cell */
    bool first;          /* the first unit of its block */
    bool field;          /* holds a blank to fill in: ____, ......, [ ] or a box */
    uint8_t column;      /* table cells: the column, from 0 */
    uint32_t words, syllables, polysyllables;   /* as readability counts them */
} unit;

typedef struct units_chunk units_chunk;

typedef struct {
    unit *items;
    size_t count, cap;
    units_chunk *chunks;   /* every unit's text and folded text, freed at once */
} unit_list;

/* Cut the tree ROOT of the draft SOURCE (LEN bytes) into units, in
 * document order. OUT must be zeroed; free it with units_free. */
void units_build(cmark_node *root, const char *source, size_t len, unit_list *out);
void units_free(unit_list *l);
/* units_build with the draft cut before each of the NCUTS (at most 64)
 * top-level headings CUTS, in order, none of them the first node: the
 * first stretch read on this thread, the others at once on a second, the
 * last first; no cut, on one thread. units_build itself cuts a draft of
 * 64 KiB or more at up to 31 headings spread through it and has the two
 * threads take stretches from either end. Exposed for tests: the units
 * are the same wherever it is cut. */
void units_build_at(cmark_node *root, const char *source, size_t len, unit_list *out,
                    cmark_node *const *cuts, size_t ncuts);

/* Name of a kind: "heading", "sentence", "item", "cell". */
const char *units_kind_name(unit_kind k);

#endif
