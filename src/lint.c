#include "lint.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "draft.h"
#include "textnorm.h"
#include "mdparse.h"
#include "util/io.h"
#include "util/par.h"

bool lint_set_audience(document *d, const char *id)
{
    /* A kind alone ("pupil") stands for the kind's default audience. */
    bool easy = false;
    const audience_info *a = audience_find(id, &easy);
    int kind = audience_kind_of(id);
    if (!a && kind >= 0)
        a = audience_at(audience_kind_at((audience_kind)kind)->default_row);
    if (!a)
        return false;
    free(d->audience_id);
    d->audience_id = xstrdup(id);
    d->kind = a->kind;
    d->band = a->band;
    d->reading = easy ? READING_EASY : READING_STANDARD;
    return true;
}

typedef enum { WAIVE_FILE, WAIVE_NEXT_LINE, WAIVE_END } waiver_scope;

typedef struct {
    char *ids;       /* as written */
    char *reason;    /* NULL when none */
    int line, col;
    int end_line;    /* the comment's last line */
    waiver_scope scope;
} waiver;

typedef struct {
    const char *file;
    diag_list extra;            /* metadata and waiver findings */
    waiver *waivers;
    size_t nwaivers;
    char *audience;
    aupc_date approved, next;
    int cycle;
    bool personal_messages;
} draft_meta;

static char *trim(const char *a, const char *b)
{
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    return xstrndup(a, (size_t)(b - a));
}

/* Column (1-based) of P within TEXT's line that starts at LINE_START. */
static int col_at(const char *line_start, const char *p)
{
    return (int)(p - line_start) + 1;
}

static void parse_metadata(draft_meta *m, const char *body, const char *end, int line, int col)
{
    const char *p = body;
    while (p < end) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        const char *w = p;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        char *tok = xstrndup(w, (size_t)(p - w));
        int tcol = col + (int)(w - body);
        char *eq = strchr(tok, '=');
        if (!eq) {
            diag_add(&m->extra, DIAG_WARNING, m->file, line, tcol, "metadata",
                     "'%s' in the aupc comment is not a key=value pair", tok);
            free(tok);
            continue;
        }
        *eq = '\0';
        const char *key = tok, *val = eq + 1;
        if (!strcmp(key, "audience")) {
            if (!principles_audience_known(val)) {
                char *ids = audience_list(AUDIENCE_LIST_IDS, ", ", " or ");
                diag_add(&m->extra, DIAG_ERROR, m->file, line, tcol, "metadata",
                         "unknown audience '%s': expected %s, with -easy for easy read", val, ids);
                free(ids);
            } else {
                free(m->audience);
                m->audience = xstrdup(val);
            }
        } else if (!strcmp(key, "approved") || !strcmp(key, "next-review")) {
            aupc_date d;
            if (!profile_date_parse(val, &d) || d.month < 1 || d.month > 12 || d.day < 1 ||
                principles_add_months(d, 0).day != d.day)
                diag_add(&m->extra, DIAG_ERROR, m->file, line, tcol, "metadata",
                         "%s date '%s' is not a date: write it as YYYY-MM-DD", key, val);
            else if (!strcmp(key, "approved"))
                m->approved = d;
            else
                m->next = d;
        } else if (!strcmp(key, "cycle")) {
            char *e;
            long v = strtol(val, &e, 10);
            if (*e || v < 1 || v > 120)
                diag_add(&m->extra, DIAG_ERROR, m->file, line, tcol, "metadata",
                         "cycle '%s' is not a number of months from 1 to 120", val);
            else
                m->cycle = (int)v;
        } else if (!strcmp(key, "personal-messages")) {
            if (!strcmp(val, "yes") || !strcmp(val, "true"))
                m->personal_messages = true;
            else if (!strcmp(val, "no") || !strcmp(val, "false"))
                m->personal_messages = false;
            else
                diag_add(&m->extra, DIAG_WARNING, m->file, line, tcol, "metadata",
                         "personal-messages should be yes or no, not '%s'", val);
        } else if (strcmp(key, "version") != 0) {
            diag_add(&m->extra, DIAG_WARNING, m->file, line, tcol, "metadata",
                     "unknown key '%s' in the aupc comment (known: audience, approved, "
                     "next-review, version, cycle, personal-messages)", key);
        }
        free(tok);
    }
}

/* Scan one HTML block for aupc comments. FIRST: this is the draft's leading block. */
static void scan_html(draft_meta *m, const char *lit, int line, int col, bool first)
{
    const char *line_start = lit;
    int cur = line;
    int base_col = col;
    for (const char *p = lit; *p; p++) {
        if (*p == '\n') {
            cur++;
            line_start = p + 1;
            base_col = 1;
            continue;
        }
        if (strncmp(p, "<!--", 4) != 0)
            continue;
        const char *body = p + 4;
        const char *close = strstr(body, "-->");
        const char *end = close ? close : body + strlen(body);
        const char *b = body;
        while (b < end && (*b == ' ' || *b == '\t'))
            b++;
        int pcol = base_col + col_at(line_start, p) - 1;
        static const struct {
            const char *word;
            waiver_scope scope;
        } forms[] = {
            {"aupc-disable-next-line", WAIVE_NEXT_LINE},
            {"aupc-disable", WAIVE_FILE},
            {"aupc-enable", WAIVE_END},
        };
        size_t form = 0, flen = 0;
        for (; form < sizeof forms / sizeof forms[0]; form++) {
            flen = strlen(forms[form].word);
            if (!strncmp(b, forms[form].word, flen) &&
                (b + flen == end || isspace((unsigned char)b[flen]) || b[flen] == ':'))
                break;
        }
        if (form < sizeof forms / sizeof forms[0]) {
            const char *ids = b + flen;
            const char *colon = memchr(ids, ':', (size_t)(end - ids));
            waiver w = {0};
            w.ids = trim(ids, colon ? colon : end);
            char *reason = colon ? trim(colon + 1, end) : NULL;
            if (reason && !*reason) {
                free(reason);
                reason = NULL;
            }
            w.reason = reason;
            w.line = cur;
            w.col = pcol;
            w.end_line = cur;
            for (const char *q = p; q < end; q++)
                w.end_line += *q == '\n';
            w.scope = forms[form].scope;
            m->waivers = xrealloc(m->waivers, (m->nwaivers + 1) * sizeof *m->waivers);
            m->waivers[m->nwaivers++] = w;
        } else if (!strncmp(b, "aupc:", 5)) {
            if (!first)
                diag_add(&m->extra, DIAG_WARNING, m->file, cur, pcol, "metadata",
                         "the aupc comment is only read at the top of the draft");
            else
                parse_metadata(m, b + 5, end, cur, pcol + (int)(b + 5 - p));
        }
        for (const char *q = p; q < end; q++)
            if (*q == '\n') {
                cur++;
                line_start = q + 1;
                base_col = 1;
            }
        if (!close)
            break;
        p = close + 2;
    }
}

static void scan_comments(draft_meta *m, cmark_node *root)
{
    bool first = true;
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
            const char *lit = cmark_node_get_literal(n);
            if (lit)
                scan_html(m, lit, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
                          first);
        }
        first = false;
    }
}

/* Drop ID's findings on lines FROM to TO. */
static void drop_lines(diag_list *l, const char *id, int from, int to)
{
    size_t k = 0;
    for (size_t i = 0; i < l->count; i++) {
        diag *d = &l->items[i];
        if (d->rule && !strcmp(d->rule, id) && d->line >= from && d->line <= to) {
            free(d->file);
            free(d->message);
            free(d->rule);
            continue;
        }
        l->items[k++] = *d;
    }
    l->count = k;
}


void lint_apply_waiver(principle_report *r, const char *id, const char *reason)
{
    principle_outcome *o = principle_report_find(r, id);
    if (!o)
        return;
    o->status = OUTCOME_WAIVED;
    free(o->waiver);
    o->waiver = xstrdup(reason ? reason : "");
    drop_lines(&r->diags, id, INT_MIN, INT_MAX);
}

/* Whether waiver W names ID. */
static bool names(const waiver *w, const char *id)
{
    char *ids = xstrdup(w->ids);
    char *save = NULL;
    bool hit = false;
    for (char *t = strtok_r(ids, ", \t", &save); t && !hit; t = strtok_r(NULL, ", \t", &save))
        hit = !strcmp(t, id);
    free(ids);
    return hit;
}

/* The <!-- aupc-enable ID --> after W that ends its range for ID; NULL. */
static const waiver *enable_for(const draft_meta *m, const waiver *w, const char *id)
{
    for (size_t i = 0; i < m->nwaivers; i++) {
        const waiver *e = &m->waivers[i];
        if (e->scope == WAIVE_END && e->line > w->end_line && names(e, id))
            return e;
    }
    return NULL;
}

/* A disable comment with an enable after it for every principle it names
 * is a range, which needs no reason; one without is the whole file. */
static bool is_range(const draft_meta *m, const waiver *w)
{
    char *ids = xstrdup(w->ids);
    char *save = NULL;
    bool all = false;
    for (char *t = strtok_r(ids, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
        all = enable_for(m, w, t) != NULL;
        if (!all)
            break;
    }
    free(ids);
    return all;
}

/* The first line after LINE that holds more than white space. */
static int next_text_line(const char *text, size_t len, int line)
{
    int cur = 1;
    size_t i = 0;
    for (; i < len && cur <= line; i++)
        cur += text[i] == '\n';
    while (i < len) {
        size_t start = i;
        bool blank = true;
        for (; i < len && text[i] != '\n'; i++)
            blank = blank && isspace((unsigned char)text[i]);
        if (!blank || start == len)
            return cur;
        i++;
        cur++;
    }
    return cur;
}


static void waive_one(draft_meta *m, const waiver *w, const char *id, principle_report *r,
                      const char *text, size_t len)
{
    if (w->scope == WAIVE_NEXT_LINE) {
        int t = next_text_line(text, len, w->end_line);
        drop_lines(&r->diags, id, t, t);
    } else if (w->scope == WAIVE_END) {
        bool opened = false;
        for (size_t i = 0; i < m->nwaivers && !opened; i++)
            opened = m->waivers[i].scope == WAIVE_FILE && m->waivers[i].line < w->line &&
                     names(&m->waivers[i], id);
        if (!opened)
            diag_add(&m->extra, DIAG_WARNING, m->file, w->line, w->col, "waiver",
                     "aupc-enable %s has no aupc-disable %s before it", id, id);
    } else {
        const waiver *e = enable_for(m, w, id);
        if (e)
            drop_lines(&r->diags, id, w->line, e->line);
        else
            lint_apply_waiver(r, id, w->reason);
    }
}

static const char *const form_names[] = {"aupc-disable", "aupc-disable-next-line",
                                         "aupc-enable"};

static void apply_waivers(draft_meta *m, const library *lib, principle_report *r,
                          const char *text, size_t len)
{
    for (size_t i = 0; i < m->nwaivers; i++) {
        waiver *w = &m->waivers[i];
        const char *form = form_names[w->scope];
        bool needs_reason = w->scope == WAIVE_NEXT_LINE || (w->scope == WAIVE_FILE &&
                                                            !is_range(m, w));
        if (!*w->ids)
            diag_add(&m->extra, DIAG_WARNING, m->file, w->line, w->col, "waiver",
                     "the %s comment names no principle: write <!-- %s ID%s -->", form, form,
                     w->scope == WAIVE_END ? "" : ": reason");
        else if (!w->reason && needs_reason)
            diag_add(&m->extra, DIAG_WARNING, m->file, w->line, w->col, "waiver",
                     "the waiver for '%s' gives no reason: add one after a colon", w->ids);
        char *ids = xstrdup(w->ids);
        char *save_t = NULL;
        for (char *t = strtok_r(ids, ", \t", &save_t); t;
             t = strtok_r(NULL, ", \t", &save_t)) {
            if (!principles_id_known(lib, t))
                diag_add(&m->extra, DIAG_WARNING, m->file, w->line, w->col, "waiver",
                         "the waiver names '%s', which is not a principle", t);
            else
                waive_one(m, w, t, r, text, len);
        }
        free(ids);
    }
}

static void sort_by_line(diag_list *l)
{
    for (size_t i = 1; i < l->count; i++) {
        diag d = l->items[i];
        size_t j = i;
        while (j > 0 && l->items[j - 1].line > d.line) {
            l->items[j] = l->items[j - 1];
            j--;
        }
        l->items[j] = d;
    }
}

/* Where document-level findings point: the first heading, else line 1. */
static int document_line(cmark_node *root)
{
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
            return cmark_node_get_start_line(n);
    return 1;
}

/* The youngest audience of KIND whose reading level the draft keeps to. */
static int band_by_reading(const principle_set *ps, const draft_facts *dr, int kind)
{
    readability_report rr;
    draft_reading(dr, 0, &rr);
    int last = -1;
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const audience_info *a = audience_at((audience_row)r);
        if ((int)a->kind != kind)
            continue;
        last = r;
        const principle_limits *l = principles_limits_for(ps, a->id);
        if (l && rr.stats.fk_grade <= l->fk_max + 1e-9)
            break;
    }
    readability_report_free(&rr);
    return last;
}

/* The audience a draft seems written for, when neither the comment nor an
 * option names it; a note says so. */
static void infer_audience(const principle_set *ps, draft_meta *m, const draft_facts *dr,
                           document *d)
{
    draft_reader who;
    if (!draft_audience(dr, &who)) {
        diag_add(&m->extra, DIAG_ERROR, m->file, 1, 1, "metadata",
                 "no audience, and the text does not tell: start the draft with <!-- aupc: "
                 "audience=ID approved=YYYY-MM-DD next-review=YYYY-MM-DD --> or pass --audience");
        return;
    }
    bool by_reading = who.row < 0;
    if (by_reading)
        who.row = band_by_reading(ps, dr, who.kind);
    char id[64];
    audience_make_id((audience_row)who.row, who.easy, id, sizeof id);
    lint_set_audience(d, id);
    if (who.unit >= 0 && !by_reading) {
        const unit *x = &dr->units.items[who.unit];
        diag_add(&m->extra, DIAG_NOTE, m->file, x->line, x->col, "metadata",
                 "no aupc comment: checked as written for %s, as the text suggests (\"%.40s%s\"); "
                 "say so with <!-- aupc: audience=%s -->", id, x->text,
                 strlen(x->text) > 40 ? "..." : "", id);
    } else {
        diag_add(&m->extra, DIAG_NOTE, m->file, 1, 1, "metadata",
                 "no aupc comment: checked as written for %s, a pupil's band chosen by its "
                 "reading level; say so with <!-- aupc: audience=%s -->", id, id);
    }
}

/* Review dates the text prints, where the options and the comment give none. */
static void text_dates(const draft_facts *dr, document *d, principle_input *in)
{
    draft_date ap, next;
    draft_dates(dr, &ap, &next);
    if (!d->approved.year && ap.unit >= 0) {
        d->approved = ap.date;
        in->approved_line = dr->units.items[ap.unit].line;
    }
    if (!d->next_review.year && next.unit >= 0) {
        d->next_review = next.date;
        in->next_line = dr->units.items[next.unit].line;
    }
}

/* A file that is not UTF-8 text gets one error and nothing else. */
static bool refuse_non_text(const char *file, const char *text, size_t len,
                            principle_report *report)
{
    textnorm_problem p;
    if (textnorm_check_input(text, len, &p))
        return false;
    report->file = xstrdup(file);
    diag_add(&report->diags, DIAG_ERROR, file, p.line, p.col, "not-text", "%s", p.message);
    free(p.message);
    return true;
}

struct lint_draft {
    const char *file, *text;
    size_t len;
    document *d;
    draft_meta m;
    draft_facts dr;
    struct lint_draft *kept;   /* the draft kept before it (lint_options.keep_draft) */
};

/* Drafts judged with keep_draft: never freed, but reachable from here
 * until the process exits. */
static lint_draft *kept_drafts;

lint_draft *lint_read(const char *file, const char *text, size_t len, principle_report *report)
{
    if (refuse_non_text(file, text, len, report))
        return NULL;
    /* A draft nested past the depth every tree walk allows, or one that
     * would drive cmark into quadratic time, is one error and no findings. */
    cmark_node *root = md_parse_draft(file, text, len, CMARK_OPT_SOURCEPOS, &report->diags);
    if (!root) {
        report->file = xstrdup(file);
        return NULL;
    }
    lint_draft *ld = xcalloc(1, sizeof *ld);
    *ld = (lint_draft){.file = file, .text = text, .len = len, .d = document_new(),
                       .m = {.file = file}};
    ld->d->root = root;
    ld->d->source_file = xstrdup(file);
    scan_comments(&ld->m, root);
    draft_cut(&ld->dr, root, text, len);
    return ld;
}

static void free_tree(void *root)
{
    cmark_node_free(root);
}

static void free_document(void *d)
{
    document_free(d);
}

/* D freed; a long draft's tree in two halves at once, as freeing it is a
 * walk over every node. */
static void free_draft_document(document *d, size_t len)
{
    size_t n = 0;
    for (cmark_node *c = d->root ? cmark_node_first_child(d->root) : NULL; c;
         c = cmark_node_next(c))
        n++;
    if (len < PAR_MIN_BYTES || n < 2) {
        document_free(d);
        return;
    }
    cmark_node *c = cmark_node_first_child(d->root);
    for (size_t i = 0; i < n / 2; i++)
        c = cmark_node_next(c);
    cmark_node *rest = cmark_node_new(CMARK_NODE_DOCUMENT);
    for (cmark_node *next; c; c = next) {
        next = cmark_node_next(c);
        cmark_node_append_child(rest, c);
    }
    par_both(free_document, d, free_tree, rest);
}

void lint_discard(lint_draft *ld)
{
    if (!ld)
        return;
    draft_meta *m = &ld->m;
    diag_free(&m->extra);
    for (size_t i = 0; i < m->nwaivers; i++) {
        free(m->waivers[i].ids);
        free(m->waivers[i].reason);
    }
    free(m->waivers);
    free(m->audience);
    draft_free(&ld->dr);
    free_draft_document(ld->d, ld->len);
    free(ld);
}

/* The comment's own problems first, then the findings, by line. */
static void merge_findings(draft_meta *m, principle_report *report)
{
    diag_list all = m->extra;
    for (size_t i = 0; i < report->diags.count; i++) {
        diag *x = &report->diags.items[i];
        diag_add(&all, x->severity, x->file, x->line, x->col, x->rule, "%s", x->message);
    }
    diag_free(&report->diags);
    report->diags = all;
    m->extra = (diag_list){0};
    sort_by_line(&report->diags);
}

void lint_judge(const principle_set *ps, const library *lib, lint_draft *ld,
                const lint_options *o, principle_report *report)
{
    document *d = ld->d;
    draft_meta *m = &ld->m;
    draft_facts *dr = &ld->dr;
    const char *aud = o->audience ? o->audience : m->audience ? m->audience : o->default_audience;
    /* the rules that guess the reader are for drafts that do not say */
    draft_classify(dr, ps->classifier, aud != NULL);
    if (aud)
        lint_set_audience(d, aud);
    else if (!diag_count(&m->extra, DIAG_ERROR))
        infer_audience(ps, m, dr, d);
    draft_set_reader(dr, d->audience_id ? (int)d->kind : -1);
    d->approved = o->approved.year ? o->approved : m->approved;
    d->next_review = o->next_review.year ? o->next_review : m->next;
    principle_input in = {
        .file = ld->file, .source = ld->text, .source_len = ld->len, .prof = NULL,
        .line = document_line(d->root), .today = o->today, .cycle_months = m->cycle,
        .personal_messages = m->personal_messages, .pdf = o->pdf, .draft = dr,
    };
    text_dates(dr, d, &in);
    principles_check(ps, lib, d, &in, report);
    apply_waivers(m, lib, report, ld->text, ld->len);
    merge_findings(m, report);
    if (o->keep_draft) {
        ld->kept = kept_drafts;
        kept_drafts = ld;
        return;
    }
    lint_discard(ld);
}

void lint_source(const principle_set *ps, const library *lib, const char *file,
                 const char *text, size_t len, const lint_options *o, principle_report *report)
{
    lint_draft *ld = lint_read(file, text, len, report);
    if (ld)
        lint_judge(ps, lib, ld, o, report);
}

int lint_file(const principle_set *ps, const library *lib, const char *file,
              const lint_options *o, principle_report *report, const char **err)
{
    char *data;
    size_t len;
    int rc = io_read_file(file, &data, &len, err);
    if (rc != 0)
        return rc;
    lint_source(ps, lib, file, data, len, o, report);
    free(data);
    return 0;
}
