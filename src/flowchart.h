/* flowchart: the incident flowchart, as data (statements/incident-flow.xml,
 * validated against schema/incident-flow.xsd), as numbered steps for
 * Markdown and HTML, and as a drawing laid out automatically on one page.
 *
 * Layout is layered: each node sits in the layer of its longest path from
 * the start, an edge that skips layers passes through a slot of its own in
 * every layer between, nodes are ordered within a layer to reduce
 * crossings, and every box in a layer has the same height so arrows run in
 * the clear bands between layers. Text is wrapped inside the boxes with
 * typeset's measurement, the type shrinks until the chart fits, and the
 * drawing is a list of typeset's operations. */
#ifndef AUPC_FLOWCHART_H
#define AUPC_FLOWCHART_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark.h>

#include "diag.h"
#include "document.h"
#include "typeset.h"

typedef enum { FLOW_START, FLOW_ACTION, FLOW_DECISION, FLOW_END } flow_kind;

typedef struct {
    char *id, *text;
    flow_kind kind;
    int line;
    int layer;          /* longest path from the start */
    int step;           /* 1-based number in reading order */
} flow_node;

typedef struct {
    size_t from, to;    /* node indices */
    char *label;        /* "Yes", "No", ...; NULL when unlabelled */
} flow_edge;

typedef struct {
    char *title, *intro;
    flow_node *nodes;
    size_t nnodes;
    flow_edge *edges;
    size_t nedges;
    size_t *order;      /* node indices by step number */
    int layers;
} flowchart;

/* Parse and check a flowchart: one start node, every node reachable from
 * it, no cycles, a label on every edge out of a question. NULL with errors
 * in *diags on failure. */
flowchart *flowchart_parse(const char *file, const char *data, size_t len, diag_list *diags);
/* The built-in chart, loaded once per process; NULL (with *diags) if it is broken. */
const flowchart *flowchart_builtin(diag_list *diags);
void flowchart_free(flowchart *fc);

/* The edges leaving node N, in file order: their indices into fc->edges. */
size_t flowchart_out_edges(const flowchart *fc, size_t n, size_t *out, size_t max);

/* The chart as a document block for D: a custom block tagged TAG_FLOWCHART
 * holding a heading, the introduction and the steps as a numbered list
 * ("2. Is it illegal? Yes: go to 4. No: go to 3."). The PDF draws the chart
 * in its place; Markdown and HTML show the list. */
cmark_node *flowchart_block(const flowchart *fc, document *d);

/* ---- Geometry (PDF points, origin at the page's lower left) ---- */

typedef struct {
    double x, y, w, h;  /* the box's bounding rectangle, lower-left corner */
    int layer;
} flow_box;

typedef struct {
    double x, y;
} flow_point;

typedef struct {
    flow_point *pts;    /* from the source box's edge to the target's; the last is the arrow tip */
    size_t npts;
    double label_x, label_y;   /* baseline of the edge's label */
} flow_path;

typedef struct {
    flow_box *boxes;    /* one per node, same index */
    size_t nboxes;
    flow_path *paths;   /* one per edge, same index */
    size_t npaths;
    char ***text;       /* per node: its wrapped lines, encoded for the fonts */
    size_t *ntext;
    double font_size, leading;
} flow_layout;

/* Lay FC out inside the rectangle X, Y, W, H with fonts F. Returns 0, or
 * -1 when even the smallest type does not fit. */
int flowchart_layout(const flowchart *fc, ts_fonts *f, double x, double y, double w,
                     double h, flow_layout *out);
void flow_layout_free(flow_layout *fl);

/* Append the drawing of FL to OPS as operations of a layout line whose top
 * is at TOP (the ops measure y down from it, as layout's lines do). */
void flowchart_emit(const flowchart *fc, const flow_layout *fl, ts_fonts *f, ts_ops *ops,
                    double top);

#endif
