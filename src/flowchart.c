#include "flowchart.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "embedded.h"
#include "util/io.h"
#include "xmlload.h"

#define FLOW_FILE "statements/incident-flow.xml"
#define FLOW_SCHEMA "schema/incident-flow.xsd"

/* ------------------------------------------------------------------ */
/* Loading and checking */

static const char *const kind_names[] = {"start", "action", "decision", "end"};

void flowchart_free(flowchart *fc)
{
    if (!fc)
        return;
    for (size_t i = 0; i < fc->nnodes; i++) {
        free(fc->nodes[i].id);
        free(fc->nodes[i].text);
    }
    for (size_t i = 0; i < fc->nedges; i++)
        free(fc->edges[i].label);
    free(fc->nodes);
    free(fc->edges);
    free(fc->order);
    free(fc->title);
    free(fc->intro);
    free(fc);
}

size_t flowchart_out_edges(const flowchart *fc, size_t n, size_t *out, size_t max)
{
    size_t k = 0;
    for (size_t e = 0; e < fc->nedges; e++)
        if (fc->edges[e].from == n) {
            if (k < max)
                out[k] = e;
            k++;
        }
    return k;
}

static size_t node_index(const flowchart *fc, const char *id)
{
    for (size_t i = 0; i < fc->nnodes; i++)
        if (!strcmp(fc->nodes[i].id, id))
            return i;
    return SIZE_MAX;
}

/* The virtual graph used for ordering and drawing: the real nodes, then one
 * dummy per layer an edge passes through. */
typedef struct {
    size_t node;        /* real node index, or SIZE_MAX for a dummy */
    int layer;
    double key;         /* ordering key within the layer */
    int pos;            /* index within its layer after ordering */
} vnode;

typedef struct {
    vnode *v;
    size_t nv;
    size_t **chain;     /* per edge: vnode indices from source to target */
    size_t *nchain;
    size_t **layer;     /* per layer: vnode indices in order */
    size_t *nlayer;
    int nlayers;
    size_t nedges;
} vgraph;

static void vgraph_free(vgraph *g)
{
    free(g->v);
    for (size_t e = 0; g->chain && e < g->nedges; e++)
        free(g->chain[e]);
    free(g->chain);
    free(g->nchain);
    for (int l = 0; l < g->nlayers; l++)
        free(g->layer[l]);
    free(g->layer);
    free(g->nlayer);
    memset(g, 0, sizeof *g);
}

static size_t add_vnode(vgraph *g, size_t node, int layer, double key)
{
    g->v = xrealloc(g->v, (g->nv + 1) * sizeof *g->v);
    g->v[g->nv] = (vnode){node, layer, key, 0};
    return g->nv++;
}

static const vgraph *sort_graph;

static int by_key(const void *a, const void *b)
{
    const vnode *x = &sort_graph->v[*(const size_t *)a], *y = &sort_graph->v[*(const size_t *)b];
    if (x->key < y->key) return -1;
    if (x->key > y->key) return 1;
    /* Stable on the previous position. */
    return x->pos - y->pos;
}

static void sort_layer(vgraph *g, int l)
{
    /* qsort with a global is fine: layouts are not shared between threads,
     * but guard the comparator's context with a lock all the same. */
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    sort_graph = g;
    qsort(g->layer[l], g->nlayer[l], sizeof *g->layer[l], by_key);
    pthread_mutex_unlock(&lock);
    for (size_t i = 0; i < g->nlayer[l]; i++)
        g->v[g->layer[l][i]].pos = (int)i;
}

/* Count crossings between layer L and L + 1. */
static long crossings(const vgraph *g, const flowchart *fc, int l)
{
    typedef struct { int a, b; } seg;
    seg *s = NULL;
    size_t n = 0;
    for (size_t e = 0; e < fc->nedges; e++)
        for (size_t k = 0; k + 1 < g->nchain[e]; k++) {
            const vnode *u = &g->v[g->chain[e][k]], *w = &g->v[g->chain[e][k + 1]];
            if (u->layer == l) {
                s = xrealloc(s, (n + 1) * sizeof *s);
                s[n++] = (seg){u->pos, w->pos};
            }
        }
    long c = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if ((s[i].a - s[j].a) * (s[i].b - s[j].b) < 0)
                c++;
    free(s);
    return c;
}

static long total_crossings(const vgraph *g, const flowchart *fc)
{
    long c = 0;
    for (int l = 0; l + 1 < g->nlayers; l++)
        c += crossings(g, fc, l);
    return c;
}

/* Barycentre of V's neighbours in the layer above (DOWN) or below. Edges
 * leaving a node with several exits are spread a little, so that the
 * first answer ("Yes") goes left of the second. */
static bool barycentre(const vgraph *g, const flowchart *fc, size_t vi, bool down, double *out)
{
    double sum = 0;
    int n = 0;
    for (size_t e = 0; e < fc->nedges; e++) {
        for (size_t k = 0; k + 1 < g->nchain[e]; k++) {
            size_t a = g->chain[e][k], b = g->chain[e][k + 1];
            size_t self = down ? b : a, other = down ? a : b;
            if (self != vi)
                continue;
            double off = 0;
            if (down && k == 0) {
                size_t outs[16];
                size_t m = flowchart_out_edges(fc, fc->edges[e].from, outs, 16);
                for (size_t j = 0; j < m && j < 16; j++)
                    if (outs[j] == e)
                        off = 0.1 * ((double)j - (double)(m - 1) / 2);
            }
            sum += g->v[other].pos + off;
            n++;
        }
    }
    if (n)
        *out = sum / n;
    return n > 0;
}

static void sweep(vgraph *g, const flowchart *fc, bool down)
{
    int from = down ? 1 : g->nlayers - 2, to = down ? g->nlayers : -1, step = down ? 1 : -1;
    for (int l = from; l != to; l += step) {
        for (size_t i = 0; i < g->nlayer[l]; i++) {
            size_t vi = g->layer[l][i];
            double b;
            g->v[vi].key = barycentre(g, fc, vi, down, &b) ? b : g->v[vi].pos;
        }
        sort_layer(g, l);
    }
}

static void build_vgraph(const flowchart *fc, vgraph *g)
{
    memset(g, 0, sizeof *g);
    g->nlayers = fc->layers;
    /* Initial keys: the order nodes are first reached, depth first, taking
     * each node's edges in file order. */
    double *seen = xmalloc(fc->nnodes * sizeof *seen);
    for (size_t i = 0; i < fc->nnodes; i++)
        seen[i] = -1;
    size_t *stack = xmalloc((fc->nnodes + fc->nedges + 1) * sizeof *stack), sp = 0;
    double counter = 0;
    stack[sp++] = fc->order ? fc->order[0] : 0;
    for (size_t i = 0; i < fc->nnodes; i++)
        if (fc->nodes[i].kind == FLOW_START)
            stack[0] = i;
    while (sp) {
        size_t n = stack[--sp];
        if (seen[n] >= 0)
            continue;
        seen[n] = counter++;
        size_t outs[64];
        size_t m = flowchart_out_edges(fc, n, outs, 64);
        for (size_t j = m > 64 ? 64 : m; j-- > 0;)
            stack[sp++] = fc->edges[outs[j]].to;
    }
    free(stack);
    for (size_t i = 0; i < fc->nnodes; i++)
        add_vnode(g, i, fc->nodes[i].layer, seen[i]);
    free(seen);
    g->chain = xcalloc(fc->nedges + 1, sizeof *g->chain);
    g->nchain = xcalloc(fc->nedges + 1, sizeof *g->nchain);
    g->nedges = fc->nedges;
    for (size_t e = 0; e < fc->nedges; e++) {
        size_t a = fc->edges[e].from, b = fc->edges[e].to;
        int la = fc->nodes[a].layer, lb = fc->nodes[b].layer;
        g->chain[e] = xmalloc((size_t)(lb - la + 1) * sizeof **g->chain);
        g->chain[e][g->nchain[e]++] = a;
        for (int l = la + 1; l < lb; l++)
            g->chain[e][g->nchain[e]++] = add_vnode(g, SIZE_MAX, l, g->v[a].key + 0.5);
        g->chain[e][g->nchain[e]++] = b;
    }
    g->layer = xcalloc((size_t)g->nlayers, sizeof *g->layer);
    g->nlayer = xcalloc((size_t)g->nlayers, sizeof *g->nlayer);
    for (size_t i = 0; i < g->nv; i++) {
        int l = g->v[i].layer;
        g->layer[l] = xrealloc(g->layer[l], (g->nlayer[l] + 1) * sizeof **g->layer);
        g->layer[l][g->nlayer[l]++] = i;
    }
    for (int l = 0; l < g->nlayers; l++) {
        for (size_t i = 0; i < g->nlayer[l]; i++)
            g->v[g->layer[l][i]].pos = (int)i;
        sort_layer(g, l);
    }
    /* A few sweeps of the barycentre heuristic, keeping the best order. */
    long best = total_crossings(g, fc);
    int *keep = xmalloc(g->nv * sizeof *keep);
    for (size_t i = 0; i < g->nv; i++)
        keep[i] = g->v[i].pos;
    for (int round = 0; round < 6 && best > 0; round++) {
        sweep(g, fc, round % 2 == 0);
        long c = total_crossings(g, fc);
        if (c < best) {
            best = c;
            for (size_t i = 0; i < g->nv; i++)
                keep[i] = g->v[i].pos;
        }
    }
    for (size_t i = 0; i < g->nv; i++)
        g->v[i].key = keep[i], g->v[i].pos = keep[i];
    for (int l = 0; l < g->nlayers; l++)
        sort_layer(g, l);
    free(keep);
}

static int check(flowchart *fc, const char *file, diag_list *diags)
{
    size_t start = SIZE_MAX, nstart = 0;
    int errors = 0;
    for (size_t i = 0; i < fc->nnodes; i++)
        if (fc->nodes[i].kind == FLOW_START)
            start = i, nstart++;
    if (nstart != 1) {
        diag_add(diags, DIAG_ERROR, file, 0, 0, NULL,
                 "the flowchart needs exactly one node of kind \"start\" (it has %zu)", nstart);
        return -1;
    }
    for (size_t i = 0; i < fc->nnodes; i++) {
        const flow_node *n = &fc->nodes[i];
        size_t outs[64], m = flowchart_out_edges(fc, i, outs, 64), in = 0;
        for (size_t e = 0; e < fc->nedges; e++)
            in += fc->edges[e].to == i;
        const char *why = NULL;
        if (n->kind == FLOW_END && m)
            why = "an end node has no edges leaving it";
        else if (n->kind != FLOW_END && !m)
            why = "only an end node may have no edges leaving it";
        else if (n->kind == FLOW_DECISION && m < 2)
            why = "a question needs an edge for each answer, at least two";
        else if (n->kind != FLOW_DECISION && m > 1)
            why = "only a question may have more than one edge leaving it";
        else if (n->kind == FLOW_START && in)
            why = "no edge may lead back to the start";
        for (size_t j = 0; !why && n->kind == FLOW_DECISION && j < m && j < 64; j++)
            if (!fc->edges[outs[j]].label)
                why = "every edge leaving a question needs a label (the answer)";
        if (why) {
            diag_add(diags, DIAG_ERROR, file, n->line, 0, NULL, "node '%s': %s", n->id, why);
            errors++;
        }
    }
    if (errors)
        return -1;
    /* Longest-path layers by Kahn's algorithm; what is left over is a cycle. */
    size_t *indeg = xcalloc(fc->nnodes, sizeof *indeg), *queue = xmalloc(fc->nnodes * sizeof *queue);
    size_t qh = 0, qt = 0;
    for (size_t e = 0; e < fc->nedges; e++)
        indeg[fc->edges[e].to]++;
    for (size_t i = 0; i < fc->nnodes; i++) {
        fc->nodes[i].layer = 0;
        if (!indeg[i])
            queue[qt++] = i;
    }
    while (qh < qt) {
        size_t n = queue[qh++];
        for (size_t e = 0; e < fc->nedges; e++) {
            if (fc->edges[e].from != n)
                continue;
            size_t t = fc->edges[e].to;
            if (fc->nodes[t].layer < fc->nodes[n].layer + 1)
                fc->nodes[t].layer = fc->nodes[n].layer + 1;
            if (--indeg[t] == 0)
                queue[qt++] = t;
        }
    }
    free(indeg);
    free(queue);
    if (qt != fc->nnodes) {
        diag_add(diags, DIAG_ERROR, file, 0, 0, NULL,
                 "the flowchart goes round in a circle; every edge must lead onward");
        return -1;
    }
    for (size_t i = 0; i < fc->nnodes; i++)
        if (i != start && fc->nodes[i].layer == 0) {
            diag_add(diags, DIAG_ERROR, file, fc->nodes[i].line, 0, NULL,
                     "node '%s' cannot be reached from the start", fc->nodes[i].id);
            return -1;
        }
    fc->layers = 0;
    for (size_t i = 0; i < fc->nnodes; i++)
        if (fc->nodes[i].layer + 1 > fc->layers)
            fc->layers = fc->nodes[i].layer + 1;
    /* Steps are numbered layer by layer, left to right as drawn, so every
     * "go to" points forward. */
    vgraph g;
    build_vgraph(fc, &g);
    fc->order = xmalloc(fc->nnodes * sizeof *fc->order);
    size_t k = 0;
    for (int l = 0; l < g.nlayers; l++)
        for (size_t i = 0; i < g.nlayer[l]; i++) {
            size_t n = g.v[g.layer[l][i]].node;
            if (n != SIZE_MAX) {
                fc->order[k++] = n;
                fc->nodes[n].step = (int)k;
            }
        }
    vgraph_free(&g);
    return 0;
}

/* SCHEMA is NULL for the built-in flowchart, which the build validates. */
static flowchart *parse(const char *file, const char *data, size_t len, const char *schema,
                        diag_list *diags)
{
    xmlDocPtr doc = xmlload_parse(file, data, len, schema, diags);
    if (!doc)
        return NULL;
    flowchart *fc = xcalloc(1, sizeof *fc);
    int errors = 0;
    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlload_is(c, "title")) {
            fc->title = xmlload_text(c);
        } else if (xmlload_is(c, "intro")) {
            fc->intro = xmlload_text(c);
        } else if (xmlload_is(c, "node")) {
            char *kind = xmlload_attr(c, "kind");
            flow_node n = {xmlload_attr(c, "id"), xmlload_text(c), FLOW_ACTION,
                           (int)xmlGetLineNo(c), 0, 0};
            for (int k = 0; k < 4; k++)
                if (kind && !strcmp(kind, kind_names[k]))
                    n.kind = (flow_kind)k;
            free(kind);
            fc->nodes = xrealloc(fc->nodes, (fc->nnodes + 1) * sizeof *fc->nodes);
            fc->nodes[fc->nnodes++] = n;
        } else if (xmlload_is(c, "edge")) {
            char *from = xmlload_attr(c, "from"), *to = xmlload_attr(c, "to");
            flow_edge e = {node_index(fc, from), node_index(fc, to), xmlload_attr(c, "label")};
            if (e.from == SIZE_MAX || e.to == SIZE_MAX) {
                /* The schema's keyref catches this; be safe regardless. */
                diag_add(diags, DIAG_ERROR, file, (int)xmlGetLineNo(c), 0, NULL,
                         "edge from '%s' to '%s' names a node that does not exist", from, to);
                errors++;
                free(e.label);
            } else {
                fc->edges = xrealloc(fc->edges, (fc->nedges + 1) * sizeof *fc->edges);
                fc->edges[fc->nedges++] = e;
            }
            free(from);
            free(to);
        }
    }
    xmlFreeDoc(doc);
    if (errors || check(fc, file, diags) != 0) {
        flowchart_free(fc);
        return NULL;
    }
    return fc;
}

flowchart *flowchart_parse(const char *file, const char *data, size_t len, diag_list *diags)
{
    return parse(file, data, len, FLOW_SCHEMA, diags);
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static flowchart *builtin;
static diag_list builtin_diags;

static void load_builtin(void)
{
    const embedded_file *f = embedded_find(FLOW_FILE);
    if (!f) {
        diag_add(&builtin_diags, DIAG_ERROR, FLOW_FILE, 0, 0, NULL,
                 "the incident flowchart is missing from the binary");
        return;
    }
    builtin = parse(f->name, f->data, f->len, NULL, &builtin_diags);
}

const flowchart *flowchart_builtin(diag_list *diags)
{
    pthread_once(&builtin_once, load_builtin);
    if (!builtin && diags)
        for (size_t i = 0; i < builtin_diags.count; i++)
            diag_add(diags, builtin_diags.items[i].severity, builtin_diags.items[i].file,
                     builtin_diags.items[i].line, builtin_diags.items[i].col,
                     builtin_diags.items[i].rule, "%s", builtin_diags.items[i].message);
    return builtin;
}

/* ------------------------------------------------------------------ */
/* As numbered steps */

/* S with a full stop added unless it already ends a sentence. */
static char *sentence(const char *s)
{
    size_t n = strlen(s);
    return xasprintf("%s%s", s, n && strchr(".?!:", s[n - 1]) ? "" : ".");
}

cmark_node *flowchart_block(const flowchart *fc, document *d)
{
    cmark_node *block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(block, "");
    cmark_node_set_on_exit(block, "");
    document_tag(d, block, TAG_FLOWCHART);
    cmark_node *h = document_block(CMARK_NODE_HEADING, fc->title);
    cmark_node_set_heading_level(h, 2);
    cmark_node_append_child(block, h);
    if (fc->intro)
        cmark_node_append_child(block, document_block(CMARK_NODE_PARAGRAPH, fc->intro));
    cmark_node *list = cmark_node_new(CMARK_NODE_LIST);
    cmark_node_set_list_type(list, CMARK_ORDERED_LIST);
    cmark_node_set_list_start(list, 1);
    cmark_node_set_list_delim(list, CMARK_PERIOD_DELIM);
    cmark_node_set_list_tight(list, 1);
    for (size_t k = 0; k < fc->nnodes; k++) {
        size_t n = fc->order[k];
        const flow_node *fn = &fc->nodes[n];
        strbuf b = {0};
        char *first = sentence(fn->text);
        sb_puts(&b, first);
        free(first);
        size_t outs[64], m = flowchart_out_edges(fc, n, outs, 64);
        for (size_t j = 0; j < m && j < 64; j++) {
            const flow_edge *e = &fc->edges[outs[j]];
            int to = fc->nodes[e->to].step;
            if (e->label)
                sb_printf(&b, " %s: go to %d.", e->label, to);
            else
                sb_printf(&b, " Then go to %d.", to);
        }
        cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
        if (fn->kind == FLOW_DECISION) {
            /* The question in bold, the answers after it. */
            size_t qlen = strlen(fn->text) + (b.len > strlen(fn->text) &&
                                              b.data[strlen(fn->text)] == '.');
            char *q = xstrndup(b.data, qlen);
            cmark_node *strong = cmark_node_new(CMARK_NODE_STRONG);
            cmark_node_append_child(strong, document_text(q));
            cmark_node_append_child(para, strong);
            if (b.data[qlen])
                cmark_node_append_child(para, document_text(b.data + qlen));
            free(q);
        } else {
            cmark_node_append_child(para, document_text(b.data));
        }
        sb_free(&b);
        cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
        cmark_node_append_child(item, para);
        cmark_node_append_child(list, item);
    }
    cmark_node_append_child(block, list);
    return block;
}

/* ------------------------------------------------------------------ */
/* Geometry */

#define GAP_X 12.0          /* between boxes side by side */
#define DUMMY_W 6.0         /* the slot an edge takes through a layer */
#define MAX_BOX_W 230.0
#define PAD_X 6.0
#define PAD_Y 4.5
#define MIN_GAP_Y 22.0
#define MAX_GAP_Y 40.0

static double inset_of(flow_kind k, double h)
{
    return k == FLOW_DECISION ? fmin(h / 2, 11.0) : k == FLOW_ACTION ? 0 : fmin(h / 2, 9.0);
}

static int font_of(flow_kind k)
{
    return k == FLOW_ACTION ? FONT_REGULAR : FONT_BOLD;
}

void flow_layout_free(flow_layout *fl)
{
    if (fl->text)
        for (size_t i = 0; i < fl->nboxes; i++) {
            for (size_t k = 0; k < fl->ntext[i]; k++)
                free(fl->text[i][k]);
            free(fl->text[i]);
        }
    for (size_t i = 0; i < fl->npaths; i++)
        free(fl->paths[i].pts);
    free(fl->text);
    free(fl->ntext);
    free(fl->boxes);
    free(fl->paths);
    memset(fl, 0, sizeof *fl);
}

static void add_pt(flow_path *p, double x, double y)
{
    if (p->npts) {
        flow_point *last = &p->pts[p->npts - 1];
        if (fabs(last->x - x) < 0.01 && fabs(last->y - y) < 0.01)
            return;
    }
    p->pts = xrealloc(p->pts, (p->npts + 1) * sizeof *p->pts);
    p->pts[p->npts++] = (flow_point){x, y};
}

/* Try one type size: widths, wrapping and heights. Returns the total height
 * needed with the smallest gaps. */
static double measure(const flowchart *fc, const vgraph *g, ts_fonts *f, double size,
                      double width, flow_layout *out, double *layer_h)
{
    double lead = 1.2 * size;
    for (int l = 0; l < g->nlayers; l++) {
        size_t k = 0, d = 0;
        for (size_t i = 0; i < g->nlayer[l]; i++)
            g->v[g->layer[l][i]].node == SIZE_MAX ? d++ : k++;
        double avail = width - (double)(k + d - 1) * GAP_X - (double)d * DUMMY_W;
        double bw = fmin(MAX_BOX_W, avail / (double)(k ? k : 1));
        layer_h[l] = 0;
        for (size_t i = 0; i < g->nlayer[l]; i++) {
            size_t n = g->v[g->layer[l][i]].node;
            if (n == SIZE_MAX)
                continue;
            const flow_node *fn = &fc->nodes[n];
            /* The slanted ends of a hexagon take room from the text. */
            double inner = bw - 2 * PAD_X - 2 * inset_of(fn->kind, 3 * lead);
            for (size_t t = 0; t < out->ntext[n]; t++)
                free(out->text[n][t]);
            free(out->text[n]);
            out->ntext[n] = ts_wrap(f, font_of(fn->kind), size, fn->text, inner, &out->text[n]);
            double h = (double)out->ntext[n] * lead + 2 * PAD_Y;
            if (fn->kind == FLOW_DECISION)
                h += 2;
            out->boxes[n].w = bw;
            out->boxes[n].h = h;
            out->boxes[n].layer = l;
            if (h > layer_h[l])
                layer_h[l] = h;
        }
    }
    double total = 0;
    for (int l = 0; l < g->nlayers; l++)
        total += layer_h[l];
    return total + MIN_GAP_Y * (g->nlayers - 1);
}

/* Centres of the vnodes of layer L, kept in order, nearest to WANT. */
static void place_layer(const vgraph *g, int l, const double *w, double *cx, const double *want,
                        double left, double right)
{
    size_t n = g->nlayer[l];
    const size_t *v = g->layer[l];
    for (size_t i = 0; i < n; i++) {
        double c = want[v[i]];
        double lo = i == 0 ? left + w[v[i]] / 2
                           : cx[v[i - 1]] + (w[v[i - 1]] + w[v[i]]) / 2 + GAP_X;
        cx[v[i]] = fmax(c, lo);
    }
    for (size_t i = n; i-- > 0;) {
        double hi = i + 1 == n ? right - w[v[i]] / 2
                               : cx[v[i + 1]] - (w[v[i + 1]] + w[v[i]]) / 2 - GAP_X;
        cx[v[i]] = fmin(cx[v[i]], hi);
    }
    for (size_t i = 0; i < n; i++) {
        double lo = i == 0 ? left + w[v[i]] / 2
                           : cx[v[i - 1]] + (w[v[i - 1]] + w[v[i]]) / 2 + GAP_X;
        cx[v[i]] = fmax(cx[v[i]], lo);
    }
}

int flowchart_layout(const flowchart *fc, ts_fonts *f, double x, double y, double w,
                     double h, flow_layout *out)
{
    memset(out, 0, sizeof *out);
    vgraph g;
    build_vgraph(fc, &g);
    out->nboxes = fc->nnodes;
    out->boxes = xcalloc(fc->nnodes, sizeof *out->boxes);
    out->text = xcalloc(fc->nnodes, sizeof *out->text);
    out->ntext = xcalloc(fc->nnodes, sizeof *out->ntext);
    double *layer_h = xcalloc((size_t)g.nlayers, sizeof *layer_h);
    double size = 9.5, need = 0;
    for (; size >= 5.5; size -= 0.25)
        if ((need = measure(fc, &g, f, size, w, out, layer_h)) <= h)
            break;
    int rc = need <= h ? 0 : -1;
    out->font_size = size;
    out->leading = 1.2 * size;
    double sum = need - MIN_GAP_Y * (g.nlayers - 1);
    double gap = g.nlayers > 1 ? fmin(MAX_GAP_Y, (h - sum) / (g.nlayers - 1)) : 0;
    if (gap < MIN_GAP_Y)
        gap = MIN_GAP_Y;
    /* Layer tops, from the top of the area down; centred when there is room. */
    double *top = xcalloc((size_t)g.nlayers, sizeof *top);
    double used = sum + gap * (g.nlayers - 1);
    double t = y + h - (rc == 0 ? fmax(0, (h - used) / 4) : 0);
    for (int l = 0; l < g.nlayers; l++) {
        top[l] = t;
        t -= layer_h[l] + gap;
    }
    /* Widths of every vnode, then centres layer by layer from the top. */
    double *vw = xcalloc(g.nv, sizeof *vw), *cx = xcalloc(g.nv, sizeof *cx),
           *want = xcalloc(g.nv, sizeof *want);
    for (size_t i = 0; i < g.nv; i++)
        vw[i] = g.v[i].node == SIZE_MAX ? DUMMY_W : out->boxes[g.v[i].node].w;
    for (int l = 0; l < g.nlayers; l++) {
        for (size_t i = 0; i < g.nlayer[l]; i++) {
            size_t vi = g.layer[l][i];
            double sumx = 0;
            int n = 0;
            for (size_t e = 0; e < fc->nedges; e++)
                for (size_t k = 1; k < g.nchain[e]; k++) {
                    if (g.chain[e][k] != vi)
                        continue;
                    size_t u = g.chain[e][k - 1];
                    double off = 0;
                    if (k == 1) {
                        size_t outs[16], m = flowchart_out_edges(fc, fc->edges[e].from, outs, 16);
                        for (size_t j = 0; j < m && j < 16; j++)
                            if (outs[j] == e)
                                off = ((double)j - (double)(m - 1) / 2) * (vw[vi] + GAP_X);
                    }
                    sumx += cx[u] + off;
                    n++;
                }
            want[vi] = n ? sumx / n : x + w / 2;
        }
        place_layer(&g, l, vw, cx, want, x, x + w);
    }
    /* Pull a node with one predecessor under it when its layer lets it:
     * a bottom-up pass centres parents over their children. */
    for (int l = g.nlayers - 2; l >= 0; l--) {
        for (size_t i = 0; i < g.nlayer[l]; i++) {
            size_t vi = g.layer[l][i];
            double sumx = 0;
            int n = 0;
            for (size_t e = 0; e < fc->nedges; e++)
                for (size_t k = 0; k + 1 < g.nchain[e]; k++)
                    if (g.chain[e][k] == vi)
                        sumx += cx[g.chain[e][k + 1]], n++;
            want[vi] = n ? (cx[vi] + sumx / n) / 2 : cx[vi];
        }
        if (l > 0)
            continue;   /* only the top: deeper layers keep their split */
        place_layer(&g, l, vw, cx, want, x, x + w);
    }
    for (size_t i = 0; i < fc->nnodes; i++) {
        flow_box *b = &out->boxes[i];
        int l = fc->nodes[i].layer;
        b->h = layer_h[l];
        b->x = cx[i] - b->w / 2;
        b->y = top[l] - b->h;
    }
    /* Edges: down from the source, across in the gap, down into the target.
     * Each edge that moves sideways in a gap gets its own height there. */
    out->npaths = fc->nedges;
    out->paths = xcalloc(fc->nedges, sizeof *out->paths);
    int *crossers = xcalloc((size_t)g.nlayers, sizeof *crossers);
    int *seen = xcalloc((size_t)g.nlayers, sizeof *seen);
    double *exit_x = xcalloc(fc->nedges, sizeof *exit_x);
    for (size_t n = 0; n < fc->nnodes; n++) {
        size_t outs[16], m = flowchart_out_edges(fc, n, outs, 16);
        if (m > 16)
            m = 16;
        /* Exits spread along the bottom in the order of their targets. */
        for (size_t a = 0; a < m; a++) {
            size_t rank = 0;
            double ta = cx[g.chain[outs[a]][1]];
            for (size_t b = 0; b < m; b++) {
                double tb = cx[g.chain[outs[b]][1]];
                rank += tb < ta || (tb == ta && b < a);
            }
            const flow_box *bx = &out->boxes[n];
            double span = fmin(bx->w / 3, 36);
            exit_x[outs[a]] = cx[n] + (m > 1 ? ((double)rank - (double)(m - 1) / 2) * span : 0);
        }
    }
    for (size_t e = 0; e < fc->nedges; e++)
        for (size_t k = 1; k < g.nchain[e]; k++) {
            double from = k == 1 ? exit_x[e] : cx[g.chain[e][k - 1]];
            if (fabs(from - cx[g.chain[e][k]]) > 0.01)
                crossers[g.v[g.chain[e][k]].layer]++;
        }
    for (size_t e = 0; e < fc->nedges; e++) {
        flow_path *p = &out->paths[e];
        size_t src = fc->edges[e].from;
        int l0 = fc->nodes[src].layer;
        double px = exit_x[e], bottom = top[l0] - layer_h[l0];
        add_pt(p, px, bottom);
        for (size_t k = 1; k < g.nchain[e]; k++) {
            size_t vi = g.chain[e][k];
            int l = g.v[vi].layer;
            double upper = top[l - 1] - layer_h[l - 1], lower = top[l];
            double nx = cx[vi];
            if (fabs(px - nx) > 0.01) {
                int slot = seen[l]++, of = crossers[l];
                double frac = of > 1 ? 0.45 + 0.3 * slot / (of - 1) : 0.5;
                double my = upper - frac * (upper - lower);
                add_pt(p, px, my);
                add_pt(p, nx, my);
            }
            add_pt(p, nx, lower);
            if (g.v[vi].node == SIZE_MAX)
                add_pt(p, nx, top[l] - layer_h[l]);
            px = nx;
        }
        /* The label beside the first stretch, on the side it turns to. */
        double size7 = 0.85 * size;
        p->label_y = bottom - 1.0 - 0.8 * size7;
        bool left = p->npts > 2 && p->pts[2].x < p->pts[1].x - 0.01;
        double lw = 0;
        if (fc->edges[e].label) {
            char *enc = ts_encode(f, fc->edges[e].label);
            lw = ts_width(f, FONT_BOLD, size7, enc, strlen(enc));
            free(enc);
        }
        p->label_x = p->pts[0].x + (left ? -lw - 2.5 : 2.5);
    }
    free(crossers);
    free(seen);
    free(exit_x);
    free(vw);
    free(cx);
    free(want);
    free(top);
    free(layer_h);
    vgraph_free(&g);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Drawing */

void flowchart_emit(const flowchart *fc, const flow_layout *fl, ts_fonts *f, ts_ops *ops,
                    double top)
{
    const double ink = 0.25;
    for (size_t e = 0; e < fl->npaths; e++) {
        const flow_path *p = &fl->paths[e];
        for (size_t k = 0; k + 1 < p->npts; k++) {
            double x0 = p->pts[k].x, y0 = p->pts[k].y, x1 = p->pts[k + 1].x,
                   y1 = p->pts[k + 1].y;
            /* The last stretch stops short of the tip: the arrowhead ends it. */
            if (k + 2 == p->npts && y1 < y0)
                y1 += 3;
            ts_op *op = ts_push(ops, TS_RULE, x0, top - y0, x1 - x0, y1 - y0);
            op->line_width = 0.8, op->r = op->g = op->b = ink;
        }
        if (p->npts >= 2) {
            const flow_point *a = &p->pts[p->npts - 2], *b = &p->pts[p->npts - 1];
            double dx = b->x - a->x, dy = b->y - a->y, len = hypot(dx, dy);
            ts_op *op = ts_push(ops, TS_ARROW, b->x, top - b->y,
                                           len > 0 ? dx / len : 0, len > 0 ? dy / len : -1);
            op->size = 4.5, op->r = op->g = op->b = ink;
        }
        if (fc->edges[e].label) {
            double size = 0.85 * fl->font_size;
            char *enc = ts_encode(f, fc->edges[e].label);
            double w = ts_width(f, FONT_BOLD, size, enc, strlen(enc));
            ts_op *op = ts_push(ops, TS_TEXT, p->label_x, top - p->label_y, w, 0);
            op->font = FONT_BOLD, op->size = size, op->text = enc;
            op->r = 0.45, op->g = 0.25, op->b = 0.0;
        }
    }
    for (size_t i = 0; i < fl->nboxes; i++) {
        const flow_box *b = &fl->boxes[i];
        flow_kind k = fc->nodes[i].kind;
        ts_op *op = ts_push(ops, TS_SHAPE, b->x, top - b->y, b->w, b->h);
        op->line_width = 0.9;
        switch (k) {
        case FLOW_DECISION:
            op->shape = TS_SHAPE_HEXAGON, op->inset = inset_of(k, b->h);
            op->r = 1.0, op->g = 0.93, op->b = 0.76;
            op->sr = 0.62, op->sg = 0.42, op->sb = 0.05;
            break;
        case FLOW_ACTION:
            op->shape = TS_SHAPE_RECT;
            op->r = op->g = op->b = 1.0;
            op->sr = 0.09, op->sg = 0.2, op->sb = 0.38;
            break;
        default:
            op->shape = TS_SHAPE_ROUNDED, op->inset = inset_of(k, b->h);
            op->r = 0.09, op->g = 0.2, op->b = 0.38;
            op->sr = 0.09, op->sg = 0.2, op->sb = 0.38;
            break;
        }
        double size = fl->font_size, lead = fl->leading;
        double block = (double)fl->ntext[i] * lead;
        double base = b->y + b->h / 2 + block / 2 - (lead - size) / 2 - 0.8 * size;
        for (size_t t = 0; t < fl->ntext[i]; t++, base -= lead) {
            const char *s = fl->text[i][t];
            double w = ts_width(f, font_of(k), size, s, strlen(s));
            ts_op *tx = ts_push(ops, TS_TEXT, b->x + (b->w - w) / 2, top - base, w, 0);
            tx->font = font_of(k), tx->size = size, tx->text = xstrdup(s);
            if (k == FLOW_START || k == FLOW_END)
                tx->r = tx->g = tx->b = 1.0;
            else
                tx->r = tx->g = tx->b = 0.1;
        }
    }
}
