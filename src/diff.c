#include "diff.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "compile.h"
#include "mdparse.h"
#include "select.h"
#include "util/escape.h"
#include "util/io.h"

/* ------------------------------------------------------------------ */
/* Tokens */

typedef struct {
    const char *s;
    size_t n;
    bool space;          /* whitespace before it */
    uint32_t h;
} token;

static bool word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

static uint32_t hash_bytes(const char *s, size_t n, bool fold)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        h = (h ^ (fold ? (unsigned char)tolower(c) : c)) * 16777619u;
    }
    return h;
}

static size_t tokenize(const char *text, token **out)
{
    size_t n = 0, cap = 0;
    token *t = NULL;
    const char *p = text ? text : "";
    bool space = false;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            space = true;
            p++;
            continue;
        }
        size_t len = 1;
        if (word_byte(c))
            while (p[len] && word_byte((unsigned char)p[len]))
                len++;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            t = xrealloc(t, cap * sizeof *t);
        }
        t[n++] = (token){p, len, space, hash_bytes(p, len, false)};
        space = false;
        p += len;
    }
    *out = t;
    return n;
}

static bool tok_eq(const token *a, const token *b)
{
    return a->h == b->h && a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* ------------------------------------------------------------------ */
/* LCS over units (a token, or a run of tokens) */

typedef struct {
    size_t start, end;   /* token range */
    uint32_t h;
} unit;

typedef enum { OP_SAME, OP_DEL, OP_INS } op_kind;

typedef struct {
    op_kind kind;
    size_t a, b;         /* unit index in old (SAME, DEL) and new (SAME, INS) */
} lcs_op;

typedef struct {
    const token *ta, *tb;
    const unit *ua, *ub;
} unit_ctx;

static bool unit_eq(const unit_ctx *c, size_t i, size_t j)
{
    const unit *a = &c->ua[i], *b = &c->ub[j];
    if (a->h != b->h || a->end - a->start != b->end - b->start)
        return false;
    for (size_t k = 0; k < a->end - a->start; k++)
        if (!tok_eq(&c->ta[a->start + k], &c->tb[b->start + k]))
            return false;
    return true;
}

/* Append ops that turn old units [0,n) into new units [0,m). Returns false
 * (appending nothing) when the table would pass DIFF_MAX_CELLS or what is
 * left of *BUDGET (NULL: no budget), which it then uses up. */
static bool lcs_units(const unit_ctx *c, size_t n, size_t m, lcs_op **ops, size_t *nops,
                      size_t *budget)
{
    uint64_t cells = (uint64_t)(n + 1) * (m + 1);
    if (cells > DIFF_MAX_CELLS || (budget && cells > *budget))
        return false;
    if (budget)
        *budget -= (size_t)cells;
    size_t w = m + 1;
    uint32_t *dp = xcalloc((n + 1) * w, sizeof *dp);
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            dp[i * w + j] = unit_eq(c, i, j)
                                ? dp[(i + 1) * w + j + 1] + 1
                                : (dp[(i + 1) * w + j] >= dp[i * w + j + 1] ? dp[(i + 1) * w + j]
                                                                           : dp[i * w + j + 1]);
    *ops = xrealloc(*ops, (*nops + n + m + 1) * sizeof **ops);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && unit_eq(c, i, j))
            (*ops)[(*nops)++] = (lcs_op){OP_SAME, i++, j++};
        else if (j >= m || (i < n && dp[(i + 1) * w + j] >= dp[i * w + j + 1]))
            (*ops)[(*nops)++] = (lcs_op){OP_DEL, i++, j};
        else
            (*ops)[(*nops)++] = (lcs_op){OP_INS, i, j++};
    }
    free(dp);
    return true;
}

/* Without a table: walk both sides, and at a difference look ahead a
 * bounded window for the nearest point where they agree again. Not minimal,
 * but linear in memory. */
#define RESYNC_WINDOW 64

static void greedy_units(const unit_ctx *c, size_t n, size_t m, lcs_op **ops, size_t *nops)
{
    *ops = xrealloc(*ops, (*nops + n + m + 1) * sizeof **ops);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && unit_eq(c, i, j)) {
            (*ops)[(*nops)++] = (lcs_op){OP_SAME, i++, j++};
            continue;
        }
        size_t bi = n, bj = m, best = SIZE_MAX;
        for (size_t di = 0; di < RESYNC_WINDOW && i + di < n; di++)
            for (size_t dj = 0; dj < RESYNC_WINDOW && j + dj < m && di + dj < best; dj++)
                if (unit_eq(c, i + di, j + dj))
                    best = di + dj, bi = i + di, bj = j + dj;
        if (best == SIZE_MAX) {
            /* Nothing near: drop one of each and try again. */
            bi = i < n ? i + 1 : i;
            bj = j < m ? j + 1 : j;
        }
        while (i < bi)
            (*ops)[(*nops)++] = (lcs_op){OP_DEL, i++, j};
        while (j < bj)
            (*ops)[(*nops)++] = (lcs_op){OP_INS, i, j++};
    }
}

/* ------------------------------------------------------------------ */
/* Word diff */

static void seg_add(word_diff *w, diff_seg_kind kind, const token *t, size_t from, size_t to)
{
    if (from >= to)
        return;
    strbuf b = {0};
    for (size_t k = from; k < to; k++) {
        if (k > from && t[k].space)
            sb_puts(&b, " ");
        sb_add(&b, t[k].s, t[k].n);
    }
    /* Merge with a previous segment of the same kind. */
    if (w->count && w->segs[w->count - 1].kind == kind) {
        diff_seg *s = &w->segs[w->count - 1];
        strbuf m = {0};
        sb_puts(&m, s->text);
        if (t[from].space)
            sb_puts(&m, " ");
        sb_puts(&m, b.data);
        free(s->text);
        s->text = m.data;
        sb_free(&b);
        return;
    }
    w->segs = xrealloc(w->segs, (w->count + 1) * sizeof *w->segs);
    w->segs[w->count++] = (diff_seg){kind, b.data, t[from].space};
}

static bool is_stop(const token *t)
{
    return t->n == 1 && strchr(".!?", t->s[0]);
}

/* Split tokens [from,to) into sentences: a run ending in . ! ? or at most
 * 48 tokens, so one unit never grows without bound. */
static size_t sentences(const token *t, size_t from, size_t to, unit **out)
{
    size_t n = 0;
    unit *u = xmalloc((to - from + 1) * sizeof *u);
    size_t start = from;
    for (size_t k = from; k < to; k++) {
        bool stop = (t[k].n == 1 && strchr(".!?", t[k].s[0])) || k + 1 - start >= 48 || k + 1 == to;
        if (!stop)
            continue;
        uint32_t h = 2166136261u;
        for (size_t q = start; q <= k; q++)
            h = (h ^ t[q].h) * 16777619u;
        u[n++] = (unit){start, k + 1, h};
        start = k + 1;
    }
    *out = u;
    return n;
}

static size_t word_diff_within(const char *old_text, const char *new_text, word_diff *out,
                               size_t *budget);

size_t word_diff_compute(const char *old_text, const char *new_text, word_diff *out)
{
    return word_diff_within(old_text, new_text, out, NULL);
}

static size_t word_diff_within(const char *old_text, const char *new_text, word_diff *out,
                               size_t *budget)
{
    memset(out, 0, sizeof *out);
    token *a, *b;
    size_t na = tokenize(old_text, &a), nb = tokenize(new_text, &b);
    size_t pre = 0, suf = 0;
    while (pre < na && pre < nb && tok_eq(&a[pre], &b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && tok_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    size_t ea = na - suf, eb = nb - suf;   /* the middle is [pre,ea) and [pre,eb) */
    /* Words first, then sentences, then one replacement. */
    unit *ua = NULL, *ub = NULL;
    size_t nua = 0, nub = 0;
    lcs_op *ops = NULL;
    size_t nops = 0;
    bool done = false;
    if (ea > pre && eb > pre) {
        nua = ea - pre, nub = eb - pre;
        ua = xmalloc(nua * sizeof *ua), ub = xmalloc(nub * sizeof *ub);
        for (size_t k = 0; k < nua; k++)
            ua[k] = (unit){pre + k, pre + k + 1, a[pre + k].h};
        for (size_t k = 0; k < nub; k++)
            ub[k] = (unit){pre + k, pre + k + 1, b[pre + k].h};
        unit_ctx c = {a, b, ua, ub};
        done = lcs_units(&c, nua, nub, &ops, &nops, budget);
        if (!done) {
            free(ua);
            free(ub);
            /* Widen the middle to whole sentences, so units line up. */
            while (pre > 0 && !is_stop(&a[pre - 1]))
                pre--;
            while (ea < na && !is_stop(&a[ea - 1]))
                ea++, eb++;
            nua = sentences(a, pre, ea, &ua);
            nub = sentences(b, pre, eb, &ub);
            c = (unit_ctx){a, b, ua, ub};
            if (!lcs_units(&c, nua, nub, &ops, &nops, budget))
                greedy_units(&c, nua, nub, &ops, &nops);
            done = true;
            out->coarse = true;
        }
    }
    seg_add(out, SEG_SAME, a, 0, pre);
    if (done) {
        /* Runs of changes come out as one deletion, then one insertion. */
        for (size_t k = 0; k < nops;) {
            if (ops[k].kind == OP_SAME) {
                seg_add(out, SEG_SAME, a, ua[ops[k].a].start, ua[ops[k].a].end);
                k++;
                continue;
            }
            size_t e = k;
            while (e < nops && ops[e].kind != OP_SAME)
                e++;
            for (size_t q = k; q < e; q++)
                if (ops[q].kind == OP_DEL)
                    seg_add(out, SEG_DEL, a, ua[ops[q].a].start, ua[ops[q].a].end);
            for (size_t q = k; q < e; q++)
                if (ops[q].kind == OP_INS)
                    seg_add(out, SEG_INS, b, ub[ops[q].b].start, ub[ops[q].b].end);
            k = e;
        }
    } else {
        seg_add(out, SEG_DEL, a, pre, ea);
        seg_add(out, SEG_INS, b, pre, eb);
    }
    seg_add(out, SEG_SAME, a, ea, na);
    free(ops);
    free(ua);
    free(ub);
    free(a);
    free(b);
    size_t changed = 0;
    for (size_t k = 0; k < out->count; k++)
        changed += out->segs[k].kind != SEG_SAME;
    return changed;
}

void word_diff_free(word_diff *w)
{
    for (size_t k = 0; k < w->count; k++)
        free(w->segs[k].text);
    free(w->segs);
    memset(w, 0, sizeof *w);
}

/* ------------------------------------------------------------------ */
/* Similarity */

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Blocks hold a few dozen words: insertion sort beats qsort's calls. */
static void sort_u32(uint32_t *h, size_t n)
{
    if (n > 48) {
        qsort(h, n, sizeof *h, cmp_u32);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = h[i];
        size_t j = i;
        for (; j > 0 && h[j - 1] > v; j--)
            h[j] = h[j - 1];
        h[j] = v;
    }
}

/* The sorted, distinct hashes of the lowercased words of S: the word
 * tokens tokenize makes, hashed as hash_bytes folds them, without the
 * tokens (blocks of a long draft are most of its diff's time). */
static size_t word_set(const char *s, uint32_t **out)
{
    size_t k = 0, cap = 16;
    uint32_t *h = xmalloc(cap * sizeof *h);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        if (!word_byte(*p)) {
            p++;
            continue;
        }
        uint32_t x = 2166136261u;
        for (; *p && word_byte(*p); p++)
            x = (x ^ (unsigned char)tolower(*p)) * 16777619u;
        if (k == cap)
            h = xrealloc(h, (cap *= 2) * sizeof *h);
        h[k++] = x;
    }
    sort_u32(h, k);
    size_t d = 0;
    for (size_t i = 0; i < k; i++)
        if (d == 0 || h[d - 1] != h[i])
            h[d++] = h[i];
    *out = h;
    return d;
}

static double jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (na == 0 && nb == 0)
        return 1.0;
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            both++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return (double)both / (double)(na + nb - both);
}

double diff_similarity(const char *a, const char *b)
{
    uint32_t *ha, *hb;
    size_t na = word_set(a, &ha), nb = word_set(b, &hb);
    double s = jaccard(ha, na, hb, nb);
    free(ha);
    free(hb);
    return s;
}

/* ------------------------------------------------------------------ */
/* Blocks of a document */

typedef struct {
    const char *kind;    /* heading, paragraph, item, block */
    char *text;          /* whitespace collapsed */
    char *section;       /* the heading above it */
    int line;
    const statement *stmt;  /* by-id comparison */
    char *id;
    uint32_t *words;
    size_t nwords;
    uint64_t key;        /* hash of the text and whether it is a heading */
    bool used;
} block;

typedef struct {
    block *items;
    size_t count, cap;
} block_list;

/* S with each run of white space one space, and sanitised: every text a
 * change set holds passes through here or esc_text_dup, so no renderer
 * meets a control character or malformed UTF-8. */
static char *collapse(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;
    bool space = false;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            space = o != out;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        *o++ = *s;
    }
    *o = 0;
    /* Printable ASCII is as esc_text_dup would leave it. */
    const unsigned char *q = (const unsigned char *)out;
    while (*q >= 0x20 && *q < 0x7F)
        q++;
    if (!*q)
        return out;
    char *clean = esc_text_dup(out);
    free(out);
    return clean;
}

/* After a link's text (from FROM in B), its address in brackets, unless
 * the text already says it (an autolink, or a mailto: address). */
static void link_target(strbuf *b, size_t from, const char *url)
{
    if (!url || !*url)
        return;
    const char *text = b->data + from, *bare = url;
    if (!strncmp(bare, "mailto:", 7))
        bare += 7;
    if (!strcmp(text, url) || !strcmp(text, bare))
        return;
    sb_printf(b, " (%s)", url);
}

/* Plain text of NODE; with SKIP_LISTS, nested lists are left out. */
static char *node_text(cmark_node *node, bool skip_lists)
{
    strbuf b = {0};
    sb_puts(&b, "");
    cmark_iter *it = cmark_iter_new(node);
    int depth = 0;
    /* Where each open link's text begins in B: a link's target is part of
     * what a reader is told, so a changed address is a changed block. */
    size_t link_at[MD_MAX_DEPTH + 1];
    int links = 0;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (skip_lists && t == CMARK_NODE_LIST && n != node) {
            depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
            continue;
        }
        if (depth == 0 && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
            if (ev == CMARK_EVENT_ENTER && links <= MD_MAX_DEPTH)
                link_at[links] = b.len;
            if (ev == CMARK_EVENT_ENTER)
                links++;
            else if (--links <= MD_MAX_DEPTH)
                link_target(&b, link_at[links], cmark_node_get_url(n));
            continue;
        }
        if (depth > 0 || ev != CMARK_EVENT_ENTER) {
            if (ev == CMARK_EVENT_EXIT && depth == 0 &&
                (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING))
                sb_puts(&b, " ");
            continue;
        }
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE ||
            t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
            sb_puts(&b, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            sb_puts(&b, " ");
    }
    cmark_iter_free(it);
    char *s = collapse(b.data);
    sb_free(&b);
    return s;
}

static bool is_heading(const block *b)
{
    return strcmp(b->kind, "heading") == 0;
}

static uint64_t text_key(const block *b)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)b->text; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h ^ is_heading(b);
}

static block *block_add(block_list *l, const char *kind, char *text, const char *section,
                        int line)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    block *b = &l->items[l->count++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->text = text;
    b->section = xstrdup(section ? section : "");
    b->line = line;
    b->nwords = word_set(text, &b->words);
    b->key = text_key(b);
    return b;
}

static void blocks_free(block_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].text);
        free(l->items[i].section);
        free(l->items[i].words);
        free(l->items[i].id);
    }
    free(l->items);
}

/* Headings, paragraphs, list items and other leaf blocks, in order. */
static void draft_blocks(cmark_node *root, block_list *out)
{
    char *section = xstrdup("");
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        int line = cmark_node_get_start_line(n);
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HEADING:
            free(section);
            section = node_text(n, false);
            block_add(out, "heading", xstrdup(section), "", line);
            break;
        case CMARK_NODE_ITEM:
            block_add(out, "item", node_text(n, true), section, line);
            break;
        case CMARK_NODE_PARAGRAPH: {
            cmark_node *parent = cmark_node_parent(n);
            if (parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM)
                break;
            block_add(out, "paragraph", node_text(n, false), section, line);
            break;
        }
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HTML_BLOCK: {
            const char *lit = cmark_node_get_literal(n);
            if (lit && !strncmp(lit, "<!-- aupc:", 10))
                break;   /* the metadata comment: reported as review facts */
            block_add(out, "block", collapse(lit ? lit : ""), section, line);
            break;
        }
        default:
            break;
        }
    }
    cmark_iter_free(it);
    free(section);
}

/* Statement blocks of a compiled document, one per statement id (a
 * statement that became several paragraphs is joined into one). */
static void statement_blocks(const document *d, block_list *out)
{
    char *section = xstrdup("");
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
            free(section);
            section = node_text(n, false);
            continue;
        }
        const doc_tag *t = document_tag_of(n);
        if (!t || t->kind != TAG_STATEMENT || !t->stmt)
            continue;
        char *text = node_text(n, false);
        block *prev = NULL;
        for (size_t i = 0; i < out->count; i++)
            if (!strcmp(out->items[i].id, t->stmt->id))
                prev = &out->items[i];
        if (prev) {
            char *joined = xasprintf("%s %s", prev->text, text);
            free(prev->text);
            free(text);
            prev->text = joined;
            free(prev->words);
            prev->nwords = word_set(prev->text, &prev->words);
            continue;
        }
        block *b = block_add(out, "statement", text, section, cmark_node_get_start_line(n));
        b->stmt = t->stmt;
        b->id = xstrdup(t->stmt->id);
    }
    cmark_iter_free(it);
    free(section);
}

/* ------------------------------------------------------------------ */
/* Changes */

/* Cells of word LCS tables one comparison may fill in all; past that, the
 * remaining reworded blocks are compared sentence by sentence, so that two
 * long drafts rewritten throughout still take time in proportion to their
 * size. */
#define DIFF_WORD_BUDGET (64u << 20)

static diff_change *change_add(diff_audience *a, diff_change_kind kind, const block *o,
                               const block *n, size_t *budget)
{
    /* Doubling, as the number of changes is only bounded by the drafts. */
    if ((a->count & (a->count - 1)) == 0)
        a->changes = xrealloc(a->changes, (a->count ? 2 * a->count : 1) * sizeof *a->changes);
    diff_change *c = &a->changes[a->count++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    const block *any = n ? n : o;
    c->statement = any->id ? xstrdup(any->id) : NULL;
    c->section = xstrdup(any->section);
    c->block = any->kind;
    c->old_text = o ? xstrdup(o->text) : NULL;
    c->new_text = n ? xstrdup(n->text) : NULL;
    if (!any->id) {
        c->old_line = o ? o->line : 0;
        c->new_line = n ? n->line : 0;
    }
    if (o && n)
        word_diff_within(o->text, n->text, &c->words, budget);
    a->counts[kind]++;
    return c;
}

#define SIM_THRESHOLD 0.5

static bool same_class(const block *a, const block *b)
{
    return (strcmp(a->kind, "heading") == 0) == (strcmp(b->kind, "heading") == 0);
}

static double block_score(const block *a, const block *b)
{
    if (!same_class(a, b))
        return -1;
    if (!strcmp(a->text, b->text))
        return 2.0;
    double s = jaccard(a->words, a->nwords, b->words, b->nwords);
    return s >= SIM_THRESHOLD ? s : -1;
}

static bool same_text(const block *a, const block *b)
{
    return a->key == b->key && is_heading(a) == is_heading(b) && !strcmp(a->text, b->text);
}

/* ---- Alignment ----
 *
 * Up to DIFF_MAX_CELLS pairs of blocks, one table over both drafts: a
 * weighted LCS where identical blocks weigh most. Longer drafts are first
 * cut at the blocks both share once each (patience diff: the longest run of
 * them in order), again within each gap up to ALIGN_PATIENCE_DEPTH times;
 * what is left is aligned by the table while ALIGN_BUDGET cells last, then
 * by a look ahead of ALIGN_WINDOW blocks. So the time grows with the size of
 * the drafts, not with its square. */

#define ALIGN_PATIENCE_DEPTH 8
#define ALIGN_BUDGET (16u << 20)
#define ALIGN_WINDOW 4

typedef struct {
    const block_list *o, *n;
    size_t *pair;        /* PAIR[i]: the new block matched to old block i, or SIZE_MAX */
} aligner;

/* The weighted LCS over old [a0,a1) and new [b0,b1). */
static void align_table(const aligner *al, size_t a0, size_t a1, size_t b0, size_t b1)
{
    const block *ob = al->o->items + a0, *nb = al->n->items + b0;
    size_t na = a1 - a0, nbn = b1 - b0, w = nbn + 1;
    float *s = xcalloc((na + 1) * w, sizeof *s);
    for (size_t i = na; i-- > 0;)
        for (size_t j = nbn; j-- > 0;) {
            float best = s[(i + 1) * w + j] > s[i * w + j + 1] ? s[(i + 1) * w + j]
                                                               : s[i * w + j + 1];
            double sc = block_score(&ob[i], &nb[j]);
            if (sc >= 0 && (float)(s[(i + 1) * w + j + 1] + sc) > best)
                best = (float)(s[(i + 1) * w + j + 1] + sc);
            s[i * w + j] = best;
        }
    size_t i = 0, j = 0;
    while (i < na && j < nbn) {
        double sc = block_score(&ob[i], &nb[j]);
        if (sc >= 0 && s[i * w + j] == (float)(s[(i + 1) * w + j + 1] + sc))
            al->pair[a0 + i++] = b0 + j++;
        else if (s[(i + 1) * w + j] >= s[i * w + j + 1])
            i++;
        else
            j++;
    }
    free(s);
}

/* Walk both sides; at each step pair the nearest blocks within the window
 * that resemble each other (the most alike among equally near ones). */
static void align_window(const aligner *al, size_t a0, size_t a1, size_t b0, size_t b1)
{
    size_t i = a0, j = b0;
    while (i < a1 && j < b1) {
        size_t bi = SIZE_MAX, bj = SIZE_MAX;
        double best = -1;
        for (size_t d = 0; d < 2 * ALIGN_WINDOW - 1 && bi == SIZE_MAX; d++)
            for (size_t di = d < ALIGN_WINDOW ? 0 : d - ALIGN_WINDOW + 1;
                 di <= d && di < ALIGN_WINDOW; di++) {
                size_t x = i + di, y = j + d - di;
                if (x >= a1 || y >= b1)
                    continue;
                double sc = block_score(&al->o->items[x], &al->n->items[y]);
                if (sc >= 0 && sc > best)
                    best = sc, bi = x, bj = y;
            }
        if (bi == SIZE_MAX) {
            i++, j++;
            continue;
        }
        al->pair[bi] = bj;
        i = bi + 1, j = bj + 1;
    }
}

typedef struct {
    uint64_t key;
    size_t at;
    int side;            /* 0 old, 1 new */
} keyed;

static int by_key(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->side != b->side)
        return a->side - b->side;
    return a->at < b->at ? -1 : a->at > b->at;
}

typedef struct {
    size_t i, j;
} anchor;

static int by_old(const void *x, const void *y)
{
    const anchor *a = x, *b = y;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Which of the N pairs (old index OLD[k], in new order) keep their order:
 * a longest increasing run, marked in KEEP (patience sorting). */
static void keep_order(const size_t *old, size_t n, bool *keep)
{
    size_t *tail = xmalloc((n + 1) * sizeof *tail), *prev = xmalloc((n + 1) * sizeof *prev);
    size_t len = 0;
    for (size_t k = 0; k < n; k++) {
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (old[tail[mid]] < old[k])
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[k] = lo ? tail[lo - 1] : SIZE_MAX;
        tail[lo] = k;
        if (lo == len)
            len++;
        keep[k] = false;
    }
    for (size_t k = len ? tail[len - 1] : SIZE_MAX; k != SIZE_MAX; k = prev[k])
        keep[k] = true;
    free(tail);
    free(prev);
}

/* Blocks that occur once in old [a0,a1) and once in new [b0,b1) with the
 * same text, the longest run of them in order on both sides, into *OUT
 * (owned), sorted. Returns how many. */
static size_t unique_anchors(const aligner *al, size_t a0, size_t a1, size_t b0, size_t b1,
                             anchor **out)
{
    size_t n = (a1 - a0) + (b1 - b0), k = 0;
    keyed *e = xmalloc((n + 1) * sizeof *e);
    for (size_t i = a0; i < a1; i++)
        e[k++] = (keyed){al->o->items[i].key, i, 0};
    for (size_t j = b0; j < b1; j++)
        e[k++] = (keyed){al->n->items[j].key, j, 1};
    qsort(e, n, sizeof *e, by_key);
    anchor *c = xmalloc((n / 2 + 1) * sizeof *c);
    size_t nc = 0;
    for (size_t g = 0; g < n;) {
        size_t h = g;
        while (h < n && e[h].key == e[g].key)
            h++;
        if (h - g == 2 && e[g].side == 0 && e[g + 1].side == 1 &&
            same_text(&al->o->items[e[g].at], &al->n->items[e[g + 1].at]))
            c[nc++] = (anchor){e[g].at, e[g + 1].at};
        g = h;
    }
    free(e);
    qsort(c, nc, sizeof *c, by_old);
    /* The anchors that keep their order in both versions. */
    size_t *j = xmalloc((nc + 1) * sizeof *j);
    bool *keep = xmalloc((nc + 1) * sizeof *keep);
    for (size_t x = 0; x < nc; x++)
        j[x] = c[x].j;
    keep_order(j, nc, keep);
    anchor *run = xmalloc((nc + 1) * sizeof *run);
    size_t len = 0;
    for (size_t x = 0; x < nc; x++)
        if (keep[x])
            run[len++] = c[x];
    free(j);
    free(keep);
    free(c);
    *out = run;
    return len;
}

typedef struct {
    size_t a0, a1, b0, b1;
    int depth;
} gap;

static void align_long(const aligner *al)
{
    size_t budget = ALIGN_BUDGET;
    gap *stack = xmalloc(sizeof *stack);
    size_t top = 0, cap = 1;
    stack[top++] = (gap){0, al->o->count, 0, al->n->count, 0};
    while (top > 0) {
        gap g = stack[--top];
        while (g.a0 < g.a1 && g.b0 < g.b1 &&
               same_text(&al->o->items[g.a0], &al->n->items[g.b0]))
            al->pair[g.a0++] = g.b0++;
        while (g.a0 < g.a1 && g.b0 < g.b1 &&
               same_text(&al->o->items[g.a1 - 1], &al->n->items[g.b1 - 1]))
            al->pair[--g.a1] = --g.b1;
        if (g.a0 == g.a1 || g.b0 == g.b1)
            continue;
        anchor *run = NULL;
        size_t nrun = g.depth < ALIGN_PATIENCE_DEPTH
                          ? unique_anchors(al, g.a0, g.a1, g.b0, g.b1, &run)
                          : 0;
        if (nrun > 0) {
            /* The gaps between anchors, pushed last first so that the
             * first is aligned first. */
            if (top + nrun + 1 > cap) {
                cap = 2 * (top + nrun + 1);
                stack = xrealloc(stack, cap * sizeof *stack);
            }
            for (size_t r = nrun + 1; r-- > 0;) {
                size_t a0 = r ? run[r - 1].i + 1 : g.a0, b0 = r ? run[r - 1].j + 1 : g.b0;
                size_t a1 = r < nrun ? run[r].i : g.a1, b1 = r < nrun ? run[r].j : g.b1;
                stack[top++] = (gap){a0, a1, b0, b1, g.depth + 1};
                if (r < nrun)
                    al->pair[run[r].i] = run[r].j;
            }
            free(run);
            continue;
        }
        free(run);
        uint64_t cells = (uint64_t)(g.a1 - g.a0 + 1) * (g.b1 - g.b0 + 1);
        if (cells <= DIFF_MAX_CELLS && cells <= budget) {
            budget -= (size_t)cells;
            align_table(al, g.a0, g.a1, g.b0, g.b1);
        } else {
            align_window(al, g.a0, g.a1, g.b0, g.b1);
        }
    }
    free(stack);
}

static void align_blocks(const block_list *o, const block_list *n, size_t *pair)
{
    for (size_t i = 0; i < o->count; i++)
        pair[i] = SIZE_MAX;
    aligner al = {o, n, pair};
    if (o->count == 0 || n->count == 0)
        return;    /* nothing to pair (and an empty list may have no items at all) */
    if ((uint64_t)(o->count + 1) * (n->count + 1) <= DIFF_MAX_CELLS)
        align_table(&al, 0, o->count, 0, n->count);
    else
        align_long(&al);
}

/* ---- Moves ----
 *
 * A block left over on both sides that still resembles another (Jaccard
 * similarity of at least SIM_THRESHOLD) moved there. Candidates come from
 * an index of the rarest words of each left-over new block: two word sets
 * that alike share one of the first |x| - ceil(t|x|) + 1 of their words in
 * rarest-first order (the prefix filter of similarity joins), so no pair is
 * missed and common words cost nothing. At most MOVE_CANDIDATES are scored
 * for each old block, whatever the drafts hold. */

#define MOVE_CANDIDATES 32

/* Each distinct word of the left-over blocks and its rarity: its place
 * when the words are ordered by how often they occur, then by hash. An
 * open-addressing table from word to count, then to rank. */
typedef struct {
    uint32_t word;
    uint32_t value;      /* count, then rank */
    bool used;
} rarity_slot;

typedef struct {
    rarity_slot *slots;
    size_t mask;
} rarity;

static rarity_slot *rarity_slot_of(const rarity *r, uint32_t w)
{
    size_t i = (w * 2654435761u) & r->mask;
    while (r->slots[i].used && r->slots[i].word != w)
        i = (i + 1) & r->mask;
    return &r->slots[i];
}

typedef struct {
    uint32_t word, count;
} word_count;

static int by_count(const void *x, const void *y)
{
    const word_count *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? -1 : 1;
    return a->word < b->word ? -1 : a->word > b->word;
}

/* Count the N words in ALL (each block's words, which are distinct within
 * the block) and rank them; returns how many distinct words there are. */
static size_t rarity_build(rarity *r, const uint32_t *all, size_t n)
{
    /* Sized by the distinct words, doubled as they come: a long draft
     * repeats a few thousand words, and a table sized by every word it
     * holds was tens of megabytes to clear. */
    size_t size = 1024;
    r->slots = xcalloc(size, sizeof *r->slots);
    r->mask = size - 1;
    size_t u = 0;
    for (size_t q = 0; q < n; q++) {
        rarity_slot *s = rarity_slot_of(r, all[q]);
        if (!s->used) {
            *s = (rarity_slot){all[q], 0, true}, u++;
            if (2 * u > size) {
                rarity_slot *old = r->slots;
                size_t old_size = size;
                size *= 2;
                r->slots = xcalloc(size, sizeof *r->slots);
                r->mask = size - 1;
                for (size_t i = 0; i < old_size; i++)
                    if (old[i].used)
                        *rarity_slot_of(r, old[i].word) = old[i];
                free(old);
                s = rarity_slot_of(r, all[q]);
            }
        }
        s->value++;
    }
    word_count *wc = xmalloc((u + 1) * sizeof *wc);
    size_t k = 0;
    for (size_t i = 0; i < size; i++)
        if (r->slots[i].used)
            wc[k++] = (word_count){r->slots[i].word, r->slots[i].value};
    qsort(wc, k, sizeof *wc, by_count);
    for (size_t q = 0; q < k; q++)
        rarity_slot_of(r, wc[q].word)->value = (uint32_t)q;
    free(wc);
    return k;
}

static uint32_t rank_of(const rarity *r, uint32_t w)
{
    return rarity_slot_of(r, w)->value;
}

/* The prefix of B's words, rarest first, into BUF (room for B's words), as
 * ranks. */
static size_t word_prefix(const block *b, const rarity *r, uint32_t *buf)
{
    size_t n = b->nwords;
    for (size_t q = 0; q < n; q++) {
        uint32_t k = rank_of(r, b->words[q]);
        size_t p = q;
        for (; p > 0 && buf[p - 1] > k; p--)
            buf[p] = buf[p - 1];
        buf[p] = k;
    }
    if (n == 0)
        return 0;
    size_t keep = (size_t)((double)n * SIM_THRESHOLD);
    if ((double)keep < (double)n * SIM_THRESHOLD)
        keep++;
    return n - keep + 1;
}

static void find_moves(block_list *o, const block_list *n, const size_t *pair, const size_t *rev,
                       size_t *moved)
{
    /* How often each word occurs among the left-over blocks. */
    size_t nw = 0, most = 0;
    for (size_t i = 0; i < o->count; i++)
        if (pair[i] == SIZE_MAX)
            nw += o->items[i].nwords, most = o->items[i].nwords > most ? o->items[i].nwords : most;
    for (size_t j = 0; j < n->count; j++)
        if (rev[j] == SIZE_MAX)
            nw += n->items[j].nwords, most = n->items[j].nwords > most ? n->items[j].nwords : most;
    uint32_t *all = xmalloc((nw + 1) * sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < o->count; i++)
        if (pair[i] == SIZE_MAX)
            for (size_t q = 0; q < o->items[i].nwords; q++)
                all[k++] = o->items[i].words[q];
    for (size_t j = 0; j < n->count; j++)
        if (rev[j] == SIZE_MAX)
            for (size_t q = 0; q < n->items[j].nwords; q++)
                all[k++] = n->items[j].words[q];
    rarity r;
    size_t ranks = rarity_build(&r, all, nw);
    free(all);

    /* The index, by rank: START[R] .. START[R + 1] in POST are the left-over
     * new blocks with word R in their prefix, in order; blocks with no
     * words at all go under rank RANKS. */
    uint32_t *buf = xmalloc((most + 1) * sizeof *buf);
    size_t *start = xcalloc(ranks + 2, sizeof *start), *post = NULL;
    for (int pass = 0; pass < 2; pass++) {
        size_t *fill = pass ? xmalloc((ranks + 1) * sizeof *fill) : NULL;
        if (pass)
            memcpy(fill, start, (ranks + 1) * sizeof *fill);
        for (size_t j = 0; j < n->count; j++) {
            if (rev[j] != SIZE_MAX)
                continue;
            size_t p = word_prefix(&n->items[j], &r, buf);
            if (n->items[j].nwords == 0)
                buf[0] = (uint32_t)ranks, p = 1;
            for (size_t q = 0; q < p; q++) {
                if (pass)
                    post[fill[buf[q]]++] = j;
                else
                    start[buf[q] + 1]++;
            }
        }
        if (pass == 0) {
            for (size_t x = 1; x <= ranks + 1; x++)
                start[x] += start[x - 1];
            post = xmalloc((start[ranks + 1] + 1) * sizeof *post);
        }
        free(fill);
    }

    for (size_t i = 0; i < o->count; i++) {
        if (pair[i] != SIZE_MAX)
            continue;
        const block *ob = &o->items[i];
        double best = -1;
        size_t bj = SIZE_MAX, seen = 0;
        size_t p = word_prefix(ob, &r, buf);
        if (ob->nwords == 0)
            buf[0] = (uint32_t)ranks, p = 1;
        /* Candidates already taken count too, so the look is bounded. */
        for (size_t q = 0; q < p && seen < MOVE_CANDIDATES; q++)
            for (size_t x = start[buf[q]]; x < start[buf[q] + 1] && seen < MOVE_CANDIDATES;
                 x++, seen++) {
                size_t j = post[x];
                if (moved[j] != SIZE_MAX)
                    continue;
                double sc = block_score(ob, &n->items[j]);
                if (sc > best || (sc == best && j < bj))
                    best = sc, bj = j;
            }
        if (bj != SIZE_MAX && best >= 0) {
            moved[bj] = i;
            o->items[i].used = true;
        }
    }
    free(post);
    free(start);
    free(buf);
    free(r.slots);
}

static void diff_by_similarity(block_list *o, block_list *n, diff_audience *a, size_t *budget)
{
    size_t *pair = xmalloc((o->count + 1) * sizeof *pair);
    size_t *rev = xmalloc((n->count + 1) * sizeof *rev);
    align_blocks(o, n, pair);
    for (size_t j = 0; j < n->count; j++)
        rev[j] = SIZE_MAX;
    for (size_t i = 0; i < o->count; i++)
        if (pair[i] != SIZE_MAX)
            rev[pair[i]] = i;
    size_t *moved = xmalloc((n->count + 1) * sizeof *moved);
    for (size_t j = 0; j < n->count; j++)
        moved[j] = SIZE_MAX;
    find_moves(o, n, pair, rev, moved);
    /* Report in document order: a removal where the old block stood, the
     * rest where the new block stands. */
    size_t i = 0;
    for (size_t j = 0; j <= n->count; j++) {
        size_t upto = j < n->count && rev[j] != SIZE_MAX ? rev[j] : (j == n->count ? o->count : i);
        for (; i < upto; i++)
            if (pair[i] == SIZE_MAX && !o->items[i].used)
                change_add(a, CH_REMOVED, &o->items[i], NULL, budget);
        if (j == n->count)
            break;
        const block *nb = &n->items[j];
        if (rev[j] != SIZE_MAX) {
            const block *ob = &o->items[rev[j]];
            if (strcmp(ob->text, nb->text) != 0)
                change_add(a, CH_REWORDED, ob, nb, budget);
            i = rev[j] + 1;
        } else if (moved[j] != SIZE_MAX) {
            change_add(a, CH_MOVED, &o->items[moved[j]], nb, budget);
        } else {
            change_add(a, CH_ADDED, NULL, nb, budget);
        }
    }
    free(pair);
    free(rev);
    free(moved);
}

/* Statements matched by id. One that changed its section, or its place
 * among the statements both versions hold, has moved. */
static void diff_by_id(block_list *o, block_list *n, diff_audience *a, size_t *budget)
{
    size_t *match = xmalloc((n->count + 1) * sizeof *match);
    size_t *old = xmalloc((n->count + 1) * sizeof *old), npairs = 0;
    for (size_t j = 0; j < n->count; j++) {
        block *nb = &n->items[j];
        match[j] = SIZE_MAX;
        for (size_t i = 0; i < o->count && match[j] == SIZE_MAX; i++)
            if (!strcmp(o->items[i].id, nb->id))
                match[j] = i;
        if (match[j] == SIZE_MAX)
            change_add(a, CH_ADDED, NULL, nb, budget);
        else
            o->items[match[j]].used = true, old[npairs++] = match[j];
    }
    for (size_t i = 0; i < o->count; i++)
        if (!o->items[i].used)
            change_add(a, CH_REMOVED, &o->items[i], NULL, budget);
    bool *keep = xmalloc((npairs + 1) * sizeof *keep);
    keep_order(old, npairs, keep);
    for (size_t j = 0, k = 0; j < n->count; j++) {
        if (match[j] == SIZE_MAX)
            continue;
        block *ob = &o->items[match[j]], *nb = &n->items[j];
        if (!keep[k++] || strcmp(ob->section, nb->section) != 0) {
            change_add(a, CH_MOVED, ob, nb, budget);
            continue;
        }
        word_diff w;
        /* A whitespace-only difference is no change. */
        if (word_diff_compute(ob->text, nb->text, &w) > 0)
            change_add(a, CH_REWORDED, ob, nb, budget);
        word_diff_free(&w);
    }
    free(keep);
    free(old);
    free(match);
}

/* Compare the blocks of two documents into A, and free them. */
static void diff_block_lists(block_list *o, block_list *n, bool by_id, diff_audience *a)
{
    size_t budget = DIFF_WORD_BUDGET;
    if (by_id)
        diff_by_id(o, n, a, &budget);
    else
        diff_by_similarity(o, n, a, &budget);
    /* A "reworded" block whose words are all the same (whitespace only) is no change. */
    size_t k = 0;
    for (size_t i = 0; i < a->count; i++) {
        diff_change *c = &a->changes[i];
        bool real = true;
        if (c->kind == CH_REWORDED) {
            real = false;
            for (size_t s = 0; s < c->words.count; s++)
                real |= c->words.segs[s].kind != SEG_SAME;
        }
        if (real) {
            a->changes[k++] = *c;
            continue;
        }
        a->counts[c->kind]--;
        word_diff_free(&c->words);
        free(c->statement);
        free(c->section);
        free(c->old_text);
        free(c->new_text);
    }
    a->count = k;
    a->status = k ? AUDIENCE_CHANGED : AUDIENCE_SAME;
    blocks_free(o);
    blocks_free(n);
}

void diff_documents(const document *old_d, const document *new_d, bool by_id, diff_audience *a)
{
    block_list o = {0}, n = {0};
    if (by_id) {
        statement_blocks(old_d, &o);
        statement_blocks(new_d, &n);
    } else {
        draft_blocks(old_d->root, &o);
        draft_blocks(new_d->root, &n);
    }
    diff_block_lists(&o, &n, by_id, a);
}

/* ------------------------------------------------------------------ */
/* Drafts */

static void meta_value(const char *text, const char *key, char *buf, size_t size)
{
    buf[0] = 0;
    const char *m = strstr(text, "<!-- aupc:");
    if (!m)
        return;
    const char *end = strstr(m, "-->");
    char *pat = xasprintf(" %s=", key);
    const char *v = strstr(m, pat);
    if (v && (!end || v < end)) {
        v += strlen(pat);
        size_t n = strcspn(v, " \t\n-");
        if (!strcmp(key, "approved") || !strcmp(key, "next-review"))
            n = strcspn(v, " \t\n");
        if (n >= size)
            n = size - 1;
        memcpy(buf, v, n);
        buf[n] = 0;
    }
    free(pat);
}

static document *parse_draft(const char *file, const char *text, size_t len, diff_side *side,
                             diag_list *diags)
{
    side->file = esc_text_dup(file);
    cmark_node *root = md_parse(file, text, len, CMARK_OPT_DEFAULT, diags);
    if (!root)
        return NULL;
    document *d = document_new();
    d->root = root;
    d->source_file = xstrdup(file);
    char *copy = xstrndup(text, len);
    char buf[64];
    meta_value(copy, "version", buf, sizeof buf);
    side->version = buf[0] ? esc_text_dup(buf) : NULL;
    meta_value(copy, "approved", buf, sizeof buf);
    profile_date_parse(buf, &side->approved);
    meta_value(copy, "next-review", buf, sizeof buf);
    profile_date_parse(buf, &side->next_review);
    free(copy);
    /* The first heading names the document. */
    for (cmark_node *n = cmark_node_first_child(d->root); n; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
            side->setting = node_text(n, false);
            break;
        }
    return d;
}

static diff_setting *setting_add(diff_setting **list, size_t *n, const char *key,
                                 const char *label, const char *o, const char *nv,
                                 const char *verdict)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    diff_setting *s = &(*list)[(*n)++];
    memset(s, 0, sizeof *s);
    s->key = esc_text_dup(key);
    s->label = esc_text_dup(label);
    s->old_value = esc_text_dup(o);
    s->new_value = esc_text_dup(nv);
    s->verdict = verdict;
    return s;
}

static int date_cmp(aupc_date a, aupc_date b)
{
    long x = a.year * 10000L + a.month * 100 + a.day, y = b.year * 10000L + b.month * 100 + b.day;
    return x < y ? -1 : x > y;
}

static bool date_set(aupc_date d)
{
    return d.year != 0;
}

static void review_date(diff_result *r, const char *key, const char *label, aupc_date o,
                        aupc_date n)
{
    char a[16], b[16];
    profile_date_iso(o, a, sizeof a);
    profile_date_iso(n, b, sizeof b);
    const char *verdict = !date_set(o) && !date_set(n) ? NULL
                          : !date_set(o)               ? "set"
                          : !date_set(n)               ? "removed"
                          : date_cmp(o, n) < 0         ? "moved-on"
                          : date_cmp(o, n) > 0         ? "moved-back"
                                                       : "kept";
    if (verdict)
        setting_add(&r->review, &r->nreview, key, label, date_set(o) ? a : NULL,
                    date_set(n) ? b : NULL, verdict);
}

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static void review_text(diff_result *r, const char *key, const char *label, const char *o,
                        const char *n)
{
    if (!o && !n)
        return;
    setting_add(&r->review, &r->nreview, key, label, o, n,
                str_eq(o, n) ? "kept" : !o ? "set" : !n ? "removed" : "changed");
}

int diff_drafts(const char *old_file, const char *old_text, size_t old_len,
                const char *new_file, const char *new_text, size_t new_len, diff_result *out,
                diag_list *diags)
{
    memset(out, 0, sizeof *out);
    out->mode = DIFF_DRAFTS;
    /* Each draft's tree is freed once its blocks are out: two 8 MiB drafts
     * never hold both trees at once. */
    block_list bo = {0}, bn = {0};
    document *o = parse_draft(old_file, old_text, old_len, &out->old_side, diags);
    bool ok = o != NULL;
    if (o)
        draft_blocks(o->root, &bo);
    document_free(o);
    document *n = parse_draft(new_file, new_text, new_len, &out->new_side, diags);
    ok &= n != NULL;
    if (n)
        draft_blocks(n->root, &bn);
    document_free(n);
    if (!ok) {
        blocks_free(&bo);
        blocks_free(&bn);
        diff_result_free(out);
        return -1;
    }
    review_text(out, "version", "Version", out->old_side.version, out->new_side.version);
    review_date(out, "review.approved", "Approved on", out->old_side.approved,
                out->new_side.approved);
    review_date(out, "review.next", "Next review due", out->old_side.next_review,
                out->new_side.next_review);
    out->audiences = xcalloc(1, sizeof *out->audiences);
    out->naudiences = 1;
    diff_audience *a = &out->audiences[0];
    char buf[64];
    char *copy = xstrndup(new_text, new_len);
    meta_value(copy, "audience", buf, sizeof buf);
    free(copy);
    a->id = esc_text_dup(buf[0] ? buf : "draft");
    a->label = xstrdup(out->new_side.setting ? out->new_side.setting : "Draft");
    diff_block_lists(&bo, &bn, false, a);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Profiles: settings */

/* A setting change that selection depends on, so that statements can be
 * attributed to it, or a value whose words appear in statement texts. */
typedef enum { HOOK_NONE, HOOK_DEVICES, HOOK_POST16, HOOK_MONITORING, HOOK_TECH, HOOK_KIND } hook_kind;

typedef struct {
    hook_kind kind;
    int index;
    const char *atoms_old[4], *atoms_new[4];
} hook;

typedef struct {
    diff_result *r;
    hook *hooks;         /* parallel to r->settings */
} setting_ctx;

static hook *setting_change(setting_ctx *c, const char *key, const char *label, const char *o,
                            const char *n)
{
    if (str_eq(o, n))
        return NULL;
    setting_add(&c->r->settings, &c->r->nsettings, key, label, o, n,
                !o ? "added" : !n ? "removed" : "changed");
    c->hooks = xrealloc(c->hooks, c->r->nsettings * sizeof *c->hooks);
    hook *h = &c->hooks[c->r->nsettings - 1];
    memset(h, 0, sizeof *h);
    return h;
}

static void atom(hook *h, const char *o, const char *n)
{
    if (!h || !o || !n || !strcmp(o, n))
        return;
    for (int i = 0; i < 4; i++)
        if (!h->atoms_old[i]) {
            h->atoms_old[i] = o, h->atoms_new[i] = n;
            return;
        }
}

static char *join_nonnull(const char *sep, const char *const *parts, size_t n)
{
    strbuf b = {0};
    sb_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        if (b.len)
            sb_puts(&b, sep);
        sb_puts(&b, parts[i]);
    }
    return b.data;
}


/* A band with its own <devices> attribute follows its kind's policy unless a
 * profile sets it or has readers in that band. */
static void compare_own_devices(setting_ctx *c, const profile *o, const profile *n,
                                const audience_info *a)
{
    if (!a->own_devices)
        return;
    bool shown = o->devices_post16 != o->devices[a->kind] ||
                 n->devices_post16 != n->devices[a->kind];
    for (size_t i = 0; i < o->naudiences; i++)
        shown |= o->audiences[i].info == a;
    for (size_t i = 0; i < n->naudiences; i++)
        shown |= n->audiences[i].info == a;
    char key[64], label[96];
    snprintf(key, sizeof key, "devices.%s", a->band_name);
    snprintf(label, sizeof label, "Personal devices, %s", a->own_devices);
    hook *h = shown ? setting_change(c, key, label, profile_device_policy_name(o->devices_post16),
                                     profile_device_policy_name(n->devices_post16))
                    : NULL;
    if (h)
        h->kind = HOOK_POST16;
}

static const profile_contact *contact_by_role(const profile *p, const char *role)
{
    for (size_t i = 0; i < p->ncontacts; i++)
        if (p->contacts[i].role && !strcmp(p->contacts[i].role, role))
            return &p->contacts[i];
    return NULL;
}

static char *contact_value(const profile_contact *c)
{
    if (!c)
        return NULL;
    const char *parts[] = {c->name, c->phone, c->email, c->web, c->hours,
                           c->always ? "at any time" : NULL};
    return join_nonnull(", ", parts, 6);
}

static void compare_ladder(setting_ctx *c, audience_kind k, const profile_ladder *o,
                           const profile_ladder *n)
{
    char key[64];
    const char *plural = audience_kind_at(k)->plural;
    snprintf(key, sizeof key, "sanctions.%s", audience_kind_at(k)->name);
    block_list bo = {0}, bn = {0};
    for (size_t i = 0; o && i < o->nsteps; i++)
        block_add(&bo, "item", collapse(o->steps[i]), "", (int)i + 1);
    for (size_t i = 0; n && i < n->nsteps; i++)
        block_add(&bn, "item", collapse(n->steps[i]), "", (int)i + 1);
    diff_audience tmp = {0};
    size_t budget = DIFF_WORD_BUDGET;
    diff_by_similarity(&bo, &bn, &tmp, &budget);
    for (size_t i = 0; i < tmp.count; i++) {
        diff_change *ch = &tmp.changes[i];
        int line = ch->new_text ? ch->new_line : ch->old_line;
        char *label;
        if (ch->kind == CH_MOVED)
            label = xasprintf("Sanctions for %s, moved to step %d (was step %d)", plural,
                              ch->new_line, ch->old_line);
        else
            label = xasprintf("Sanctions for %s, step %d", plural, line);
        if (ch->kind == CH_MOVED && !strcmp(ch->old_text, ch->new_text)) {
            setting_add(&c->r->settings, &c->r->nsettings, key, label, ch->old_text,
                        ch->new_text, "moved");
            c->hooks = xrealloc(c->hooks, c->r->nsettings * sizeof *c->hooks);
            memset(&c->hooks[c->r->nsettings - 1], 0, sizeof *c->hooks);
        } else {
            setting_change(c, key, label, ch->old_text, ch->new_text);
        }
        free(label);
        word_diff_free(&ch->words);
        free(ch->statement);
        free(ch->section);
        free(ch->old_text);
        free(ch->new_text);
    }
    free(tmp.changes);
    blocks_free(&bo);
    blocks_free(&bn);
}

/* Where the contacts map lists a contact that both versions hold. */
static void compare_contact_groups(setting_ctx *c, const profile *o, const profile *n)
{
    for (size_t i = 0; i < n->ncontacts; i++) {
        const profile_contact *cn = &n->contacts[i];
        const profile_contact *co = cn->role ? contact_by_role(o, cn->role) : NULL;
        if (!co)
            continue;
        char *key = xasprintf("contacts.%s.group", cn->role);
        char *label = xasprintf("Contact: %s, listed under", cn->role);
        setting_change(c, key, label, co->group, cn->group);
        free(key);
        free(label);
    }
}

/* The policies of one kind, "title, url" each, joined by "; ". */
static char *policies_of(const profile *p, policy_kind k)
{
    strbuf b = {0};
    for (size_t i = 0; i < p->npolicies; i++) {
        const profile_policy *pp = &p->policies[i];
        if (pp->kind != k)
            continue;
        const char *parts[] = {pp->title, pp->url};
        char *one = join_nonnull(", ", parts, 2);
        sb_printf(&b, "%s%s", b.len ? "; " : "", one);
        free(one);
    }
    return b.data;
}

static void compare_policies(setting_ctx *c, const profile *o, const profile *n)
{
    for (int k = 0; k <= POLICY_OTHER; k++) {
        char *vo = policies_of(o, (policy_kind)k), *vn = policies_of(n, (policy_kind)k);
        const char *name = profile_policy_kind_name((policy_kind)k);
        char *key = xasprintf("policies.%s", name), *label = xasprintf("Policy: %s", name);
        hook *h = setting_change(c, key, label, vo, vn);
        for (size_t i = 0; h && i < o->npolicies && i < n->npolicies; i++)
            if (o->policies[i].kind == (policy_kind)k && n->policies[i].kind == (policy_kind)k) {
                atom(h, o->policies[i].title, n->policies[i].title);
                atom(h, o->policies[i].url, n->policies[i].url);
            }
        free(key);
        free(label);
        free(vo);
        free(vn);
    }
}

/* Who was consulted, and how each reader is told of the policy. */
static void compare_consultation(setting_ctx *c, const profile *o, const profile *n)
{
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const char *plural = audience_kind_at((audience_kind)k)->plural;
        const char *name = audience_kind_at((audience_kind)k)->name;
        const profile_consulted *co = profile_consulted_for(o, (audience_kind)k);
        const profile_consulted *cn = profile_consulted_for(n, (audience_kind)k);
        char *vo = NULL, *vn = NULL, d[16];
        if (co) {
            profile_date_iso(co->on, d, sizeof d);
            vo = xasprintf("%s, %s", d, co->how ? co->how : "");
        }
        if (cn) {
            profile_date_iso(cn->on, d, sizeof d);
            vn = xasprintf("%s, %s", d, cn->how ? cn->how : "");
        }
        char *key = xasprintf("consultation.%s", name);
        char *label = xasprintf("Consultation with %s", plural);
        setting_change(c, key, label, vo, vn);
        free(key);
        free(label);
        free(vo);
        free(vn);

        const profile_tell *to = profile_tell_for(o, (audience_kind)k);
        const profile_tell *tn = profile_tell_for(n, (audience_kind)k);
        vo = to ? xasprintf("%s; %s", to->via ? to->via : "", to->check ? to->check : "") : NULL;
        vn = tn ? xasprintf("%s; %s", tn->via ? tn->via : "", tn->check ? tn->check : "") : NULL;
        key = xasprintf("communication.%s", name);
        label = xasprintf("How %s are told of the policy", plural);
        hook *h = setting_change(c, key, label, vo, vn);
        if (h && to && tn)
            atom(h, to->check, tn->check);
        free(key);
        free(label);
        free(vo);
        free(vn);
    }
}

static void compare_settings(setting_ctx *c, const profile *o, const profile *n)
{
    hook *h;
    h = setting_change(c, "setting.name", "Name of the setting", o->name, n->name);
    atom(h, o->name, n->name);
    setting_change(c, "setting.lang", "Language of the documents", o->lang, n->lang);
    h = setting_change(c, "setting.kind", "Kind of setting", profile_kind_name(o->kind),
                       profile_kind_name(n->kind));
    if (h)
        h->kind = HOOK_KIND;

    for (int r = 0; r < ROLE_COUNT; r++) {
        const profile_person *po = profile_person_by_role(o, (person_role)r);
        const profile_person *pn = profile_person_by_role(n, (person_role)r);
        char *vo = NULL, *vn = NULL;
        if (po) {
            const char *parts[] = {po->name, po->title, po->email, po->phone};
            vo = join_nonnull(", ", parts, 4);
        }
        if (pn) {
            const char *parts[] = {pn->name, pn->title, pn->email, pn->phone};
            vn = join_nonnull(", ", parts, 4);
        }
        char key[64], label[96];
        snprintf(key, sizeof key, "people.%s", profile_role_name((person_role)r));
        static const char *const role_labels[ROLE_COUNT] = {
            "Online safety lead", "Designated safeguarding lead", "Head", "Link governor",
            "Network manager", "Data protection officer"};
        snprintf(label, sizeof label, "%s", role_labels[r]);
        h = setting_change(c, key, label, vo, vn);
        if (h && po && pn) {
            atom(h, po->name, pn->name);
            atom(h, po->email, pn->email);
            atom(h, po->phone, pn->phone);
            atom(h, po->title, pn->title);
        }
        free(vo);
        free(vn);
    }

    /* Contacts by role, in the new profile's order, then those dropped. */
    for (int pass = 0; pass < 2; pass++) {
        const profile *p = pass ? o : n;
        for (size_t i = 0; i < p->ncontacts; i++) {
            const char *role = p->contacts[i].role;
            if (!role || (pass && contact_by_role(n, role)))
                continue;
            const profile_contact *co = contact_by_role(o, role), *cn = contact_by_role(n, role);
            char *vo = contact_value(co), *vn = contact_value(cn);
            char *key = xasprintf("contacts.%s", role), *label = xasprintf("Contact: %s", role);
            h = setting_change(c, key, label, vo, vn);
            if (h && co && cn) {
                atom(h, co->name, cn->name);
                atom(h, co->phone, cn->phone);
                atom(h, co->email, cn->email);
                atom(h, co->web, cn->web);
            }
            free(key);
            free(label);
            free(vo);
            free(vn);
        }
    }

    compare_contact_groups(c, o, n);
    compare_policies(c, o, n);

    for (int t = 0; t < TECH_COUNT; t++) {
        const profile_tech *to = &o->tech[t], *tn = &n->tech[t];
        const char *vo = to->present ? (to->name ? to->name : "provided") : NULL;
        const char *vn = tn->present ? (tn->name ? tn->name : "provided") : NULL;
        char key[64], label[96];
        snprintf(key, sizeof key, "technology.%s", profile_tech_name((tech_kind)t));
        snprintf(label, sizeof label, "Technology provided: %s", profile_tech_name((tech_kind)t));
        h = setting_change(c, key, label, vo, vn);
        if (h) {
            h->kind = HOOK_TECH, h->index = t;
            atom(h, to->name, tn->name);
        }
    }

    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        char key[64], label[96];
        snprintf(key, sizeof key, "devices.%s", ki->devices_attr);
        snprintf(label, sizeof label, "Personal devices, %s", ki->plural);
        h = setting_change(c, key, label, profile_device_policy_name(o->devices[k]),
                           profile_device_policy_name(n->devices[k]));
        if (h)
            h->kind = HOOK_DEVICES, h->index = k;
    }
    for (int r = 0; r < AUDIENCE_COUNT; r++)
        compare_own_devices(c, o, n, audience_at((audience_row)r));

    h = setting_change(c, "monitoring.filtering-provider", "Filtering provider",
                       o->monitoring.provider, n->monitoring.provider);
    atom(h, o->monitoring.provider, n->monitoring.provider);
    const struct {
        const char *key, *label;
        bool ov, nv;
    } flags[] = {
        {"monitoring.accredited", "Filtering accredited", o->monitoring.accredited,
         n->monitoring.accredited},
        {"monitoring.personal-messages", "Monitoring covers personal messages",
         o->monitoring.personal_messages, n->monitoring.personal_messages},
        {"monitoring.enhanced", "Enhanced monitoring", o->monitoring.enhanced,
         n->monitoring.enhanced},
        {"monitoring.confiscation", "Devices may be confiscated", o->monitoring.confiscation,
         n->monitoring.confiscation},
    };
    for (int i = 0; i < 4; i++) {
        h = setting_change(c, flags[i].key, flags[i].label, flags[i].ov ? "yes" : "no",
                           flags[i].nv ? "yes" : "no");
        if (h)
            h->kind = HOOK_MONITORING, h->index = i;
    }
    setting_change(c, "monitoring.what", "What is monitored", o->monitoring.what,
                   n->monitoring.what);
    h = setting_change(c, "monitoring.authorised-by", "Searches authorised by",
                       profile_role_name(o->monitoring.authorised_by),
                       profile_role_name(n->monitoring.authorised_by));

    for (int k = 0; k < AUD_KIND_COUNT; k++)
        compare_ladder(c, (audience_kind)k, profile_ladder_for(o, (audience_kind)k),
                       profile_ladder_for(n, (audience_kind)k));

    setting_change(c, "images.uses", "Uses of images", o->image_uses, n->image_uses);
    compare_consultation(c, o, n);
}

/* Apply setting H of SRC to P (a shallow copy). */
static void apply_hook(profile *p, const profile *src, const hook *h)
{
    switch (h->kind) {
    case HOOK_DEVICES: p->devices[h->index] = src->devices[h->index]; break;
    case HOOK_POST16: p->devices_post16 = src->devices_post16; break;
    case HOOK_TECH: p->tech[h->index] = src->tech[h->index]; break;
    case HOOK_KIND: p->kind = src->kind; break;
    case HOOK_MONITORING:
        switch (h->index) {
        case 0: p->monitoring.accredited = src->monitoring.accredited; break;
        case 1: p->monitoring.personal_messages = src->monitoring.personal_messages; break;
        case 2: p->monitoring.enhanced = src->monitoring.enhanced; break;
        default: p->monitoring.confiscation = src->monitoring.confiscation; break;
        }
        break;
    case HOOK_NONE: break;
    }
}

static const profile_audience *audience_in(const profile *p, const char *id)
{
    for (size_t i = 0; i < p->naudiences; i++)
        if (!strcmp(p->audiences[i].id, id))
            return &p->audiences[i];
    return NULL;
}

/* Does changing just setting H flip whether S holds for the audience? */
static bool hook_explains(const hook *h, const statement *s, const profile *o, const profile *n,
                          const profile_audience *ao, const profile_audience *an)
{
    if (h->kind == HOOK_NONE)
        return false;
    profile ho = *o, hn = *n;
    apply_hook(&ho, n, h);
    apply_hook(&hn, o, h);
    return select_conditions_hold(s, o, ao) != select_conditions_hold(s, &ho, ao) ||
           select_conditions_hold(s, n, an) != select_conditions_hold(s, &hn, an);
}

static void because_add(diff_change *c, const char *key)
{
    for (size_t i = 0; i < c->nbecause; i++)
        if (!strcmp(c->because[i], key))
            return;
    c->because = xrealloc(c->because, (c->nbecause + 1) * sizeof *c->because);
    c->because[c->nbecause++] = xstrdup(key);
}

static void attribute(setting_ctx *c, const profile *o, const profile *n, const library *lib,
                      diff_audience *a)
{
    const profile_audience *ao = audience_in(o, a->id), *an = audience_in(n, a->id);
    if (!ao || !an)
        return;
    for (size_t i = 0; i < a->count; i++) {
        diff_change *ch = &a->changes[i];
        const statement *s = ch->statement ? library_find(lib, ch->statement) : NULL;
        for (size_t k = 0; k < c->r->nsettings; k++) {
            diff_setting *set = &c->r->settings[k];
            const hook *h = &c->hooks[k];
            bool hit = false;
            if ((ch->kind == CH_ADDED || ch->kind == CH_REMOVED) && s)
                hit = hook_explains(h, s, o, n, ao, an);
            if (ch->kind == CH_REWORDED)
                for (int q = 0; q < 4 && h->atoms_old[q] && !hit; q++)
                    hit = strstr(ch->old_text, h->atoms_old[q]) &&
                          strstr(ch->new_text, h->atoms_new[q]);
            if (!hit)
                continue;
            because_add(ch, set->key);
            if (ch->kind == CH_REWORDED)
                continue;
            set->effects = xrealloc(set->effects, (set->neffects + 1) * sizeof *set->effects);
            set->effects[set->neffects++] =
                (diff_effect){xstrdup(a->id), xstrdup(ch->statement), ch->kind == CH_ADDED};
        }
    }
}

static const document *doc_for(const doc_set *s, const char *id)
{
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->docs[i]->audience_id, id))
            return s->docs[i];
    return NULL;
}

static void side_of(diff_side *s, const profile *p)
{
    s->file = esc_text_dup(p->file ? p->file : "");
    s->setting = esc_text_dup(p->name ? p->name : p->id);
    s->version = esc_text_dup(p->version);
    s->lang = p->lang ? esc_text_dup(p->lang) : NULL;
    s->approved = p->review.approved;
    s->next_review = p->review.next;
}

int diff_profiles(const profile *old_p, const profile *new_p, const library *lib,
                  const char *only, diff_result *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    out->mode = DIFF_PROFILES;
    doc_set od = {0}, nd = {0};
    int rc_o = compile_profile(old_p, lib, &od, diags);
    int rc_n = compile_profile(new_p, lib, &nd, diags);
    if (rc_o != 0 || rc_n != 0) {
        doc_set_free(&od);
        doc_set_free(&nd);
        return -1;
    }
    side_of(&out->old_side, old_p);
    side_of(&out->new_side, new_p);

    review_text(out, "version", "Version", old_p->version, new_p->version);
    review_date(out, "review.approved", "Approved on", old_p->review.approved,
                new_p->review.approved);
    review_text(out, "review.by", "Approved by", old_p->review.by, new_p->review.by);
    char co[16], cn[16];
    snprintf(co, sizeof co, "%d", old_p->review.cycle_months);
    snprintf(cn, sizeof cn, "%d", new_p->review.cycle_months);
    review_text(out, "review.cycle-months", "Review cycle (months)", co, cn);
    review_date(out, "review.next", "Next review due", old_p->review.next, new_p->review.next);
    review_text(out, "review.after-incidents", "Reviewed after serious incidents",
                old_p->review.after_incidents ? "yes" : "no",
                new_p->review.after_incidents ? "yes" : "no");

    setting_ctx sc = {out, NULL};
    compare_settings(&sc, old_p, new_p);

    /* Audiences: the new profile's order, then any that were dropped. */
    for (int pass = 0; pass < 2; pass++) {
        const doc_set *s = pass ? &od : &nd;
        for (size_t i = 0; i < s->count; i++) {
            const document *d = s->docs[i];
            if (pass && doc_for(&nd, d->audience_id))
                continue;
            if (only && strcmp(only, d->audience_id) != 0)
                continue;
            out->audiences = xrealloc(out->audiences, (out->naudiences + 1) * sizeof *out->audiences);
            diff_audience *a = &out->audiences[out->naudiences++];
            memset(a, 0, sizeof *a);
            a->id = xstrdup(d->audience_id);
            a->label = esc_text_dup(d->audience_label ? d->audience_label : d->audience_id);
            const document *other = pass ? NULL : doc_for(&od, d->audience_id);
            if (pass)
                a->status = AUDIENCE_REMOVED;
            else if (!other)
                a->status = AUDIENCE_ADDED;
            else {
                diff_documents(other, d, true, a);
                attribute(&sc, old_p, new_p, lib, a);
            }
        }
    }
    free(sc.hooks);
    doc_set_free(&od);
    doc_set_free(&nd);
    return 0;
}

/* ------------------------------------------------------------------ */

bool diff_identical(const diff_result *r)
{
    for (size_t i = 0; i < r->nreview; i++)
        if (strcmp(r->review[i].verdict, "kept") != 0)
            return false;
    if (r->nsettings)
        return false;
    for (size_t i = 0; i < r->naudiences; i++)
        if (r->audiences[i].status != AUDIENCE_SAME)
            return false;
    return true;
}

void diff_totals(const diff_result *r, size_t counts[CH_KIND_COUNT])
{
    for (int k = 0; k < CH_KIND_COUNT; k++)
        counts[k] = 0;
    for (size_t i = 0; i < r->naudiences; i++)
        for (int k = 0; k < CH_KIND_COUNT; k++)
            counts[k] += r->audiences[i].counts[k];
}

static void settings_free(diff_setting *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].key);
        free(s[i].label);
        free(s[i].old_value);
        free(s[i].new_value);
        for (size_t k = 0; k < s[i].neffects; k++) {
            free(s[i].effects[k].audience);
            free(s[i].effects[k].statement);
        }
        free(s[i].effects);
    }
    free(s);
}

void diff_result_free(diff_result *r)
{
    diff_side *sides[2] = {&r->old_side, &r->new_side};
    for (int i = 0; i < 2; i++) {
        free(sides[i]->file);
        free(sides[i]->setting);
        free(sides[i]->lang);
        free(sides[i]->version);
    }
    settings_free(r->review, r->nreview);
    settings_free(r->settings, r->nsettings);
    for (size_t i = 0; i < r->naudiences; i++) {
        diff_audience *a = &r->audiences[i];
        for (size_t k = 0; k < a->count; k++) {
            diff_change *c = &a->changes[k];
            free(c->statement);
            free(c->section);
            free(c->old_text);
            free(c->new_text);
            word_diff_free(&c->words);
            for (size_t q = 0; q < c->nbecause; q++)
                free(c->because[q]);
            free(c->because);
        }
        free(a->changes);
        free(a->id);
        free(a->label);
    }
    free(r->audiences);
    memset(r, 0, sizeof *r);
}

const char *diff_change_kind_name(diff_change_kind k)
{
    static const char *const names[] = {"added", "removed", "reworded", "moved"};
    return k < CH_KIND_COUNT ? names[k] : "?";
}

const char *diff_audience_status_name(diff_audience_status s)
{
    static const char *const names[] = {"changed", "unchanged", "added", "removed"};
    return names[s];
}
