#include "principles.h"

#include <ctype.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audience.h"
#include "classify_blob.h"
#include "embedded.h"
#include "select.h"
#include "util/io.h"
#include "util/par.h"
#include "xmlload.h"

/* The registry of principles is at the end of the file, after their checks. */
static bool registry_has(const char *id);
static void registry_check_defined(const principle_set *ps, const char *file, diag_list *diags);

/* ---- loading ---- */

static char *lower_dup(const char *s)
{
    char *r = xstrdup(s ? s : "");
    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

static phrase_role role_from(const char *s)
{
    if (!s) return PHRASE_POLICY;
    if (!strcmp(s, "tech")) return PHRASE_TECH;
    if (!strcmp(s, "second-person")) return PHRASE_SECOND_PERSON;
    if (!strcmp(s, "child-voice")) return PHRASE_CHILD_VOICE;
    if (!strcmp(s, "children")) return PHRASE_CHILDREN;
    if (!strcmp(s, "school-word")) return PHRASE_SCHOOL_WORD;
    if (!strcmp(s, "device-rule")) return PHRASE_DEVICE_RULE;
    if (!strcmp(s, "occasion")) return PHRASE_OCCASION;
    if (!strcmp(s, "authorises")) return PHRASE_AUTHORISES;
    if (!strcmp(s, "authority")) return PHRASE_AUTHORITY;
    if (!strcmp(s, "keeps")) return PHRASE_KEEPS;
    if (!strcmp(s, "beyond-the-day")) return PHRASE_BEYOND_DAY;
    if (!strcmp(s, "monitors")) return PHRASE_MONITORS;
    if (!strcmp(s, "joins-ideas")) return PHRASE_JOINS_IDEAS;
    if (!strcmp(s, "job-title")) return PHRASE_JOB_TITLE;
    if (!strcmp(s, "plain-acronym")) return PHRASE_PLAIN_ACRONYM;
    if (!strcmp(s, "explains")) return PHRASE_EXPLAINS;
    return PHRASE_POLICY;
}

static diag_severity severity_from(const char *s)
{
    if (s && !strcmp(s, "note")) return DIAG_NOTE;
    if (s && !strcmp(s, "warning")) return DIAG_WARNING;
    return DIAG_ERROR;
}

static void load_principle(principle_set *ps, xmlNodePtr n)
{
    ps->defs = xgrow(ps->defs, ps->ndefs, sizeof *ps->defs);
    principle_def *d = &ps->defs[ps->ndefs++];
    memset(d, 0, sizeof *d);
    d->id = xmlload_attr(n, "id");
    char *sev = xmlload_attr(n, "severity");
    d->severity = severity_from(sev);
    free(sev);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (xmlload_is(c, "title")) d->title = xmlload_text(c);
        else if (xmlload_is(c, "description")) d->description = xmlload_text(c);
        else if (xmlload_is(c, "help")) d->help = xmlload_text(c);
        else if (xmlload_is(c, "phrase")) {
            d->phrases = xgrow(d->phrases, d->nphrases, sizeof *d->phrases);
            char *t = xmlload_text(c), *role = xmlload_attr(c, "role");
            d->phrases[d->nphrases++] =
                (principle_phrase){lower_dup(t), role_from(role), xmlload_attr(c, "value")};
            free(t);
            free(role);
        }
    }
}

static double attr_num(xmlNodePtr n, const char *name)
{
    char *v = xmlload_attr(n, name);
    double r = v ? strtod(v, NULL) : 0.0;
    free(v);
    return r;
}

/* Limits come for easy read and for each audience in the table, and no other. */
static bool limits_id_known(const char *id)
{
    bool easy = false;
    return !strcmp(id, "easy") || (audience_find(id, &easy) && !easy);
}

static void check_limits(const principle_set *ps, const char *file, diag_list *diags)
{
    for (int r = 0; r <= AUDIENCE_COUNT; r++) {
        const char *id = r < AUDIENCE_COUNT ? audience_at((audience_row)r)->id : "easy";
        size_t i = 0;
        while (i < ps->nlimits && strcmp(ps->limits[i].id, id))
            i++;
        if (i == ps->nlimits)
            diag_add(diags, DIAG_ERROR, file, 0, 0, NULL,
                     "no limits for the audience '%s': add <audience id=\"%s\" .../>", id, id);
    }
}

static void load_limits(principle_set *ps, xmlNodePtr n, const char *file, diag_list *diags)
{
    ps->limits = xgrow(ps->limits, ps->nlimits, sizeof *ps->limits);
    principle_limits *l = &ps->limits[ps->nlimits++];
    memset(l, 0, sizeof *l);
    char *id = xmlload_attr(n, "id");
    snprintf(l->id, sizeof l->id, "%s", id ? id : "");
    if (!limits_id_known(l->id)) {
        char *ids = audience_list(AUDIENCE_LIST_IDS, ", ", " or ");
        diag_add(diags, DIAG_ERROR, file, xmlGetLineNo(n), 0, NULL,
                 "limits for an unknown audience '%s': expected %s, or easy", id, ids);
        free(ids);
    }
    free(id);
    l->pages = (int)attr_num(n, "pages");
    l->fk_max = attr_num(n, "fk-max");
    l->wps_max = attr_num(n, "wps-max");
    l->prohibition_max = attr_num(n, "prohibition-max");
    l->positive_min = (int)attr_num(n, "positive-min");
    l->review_months = (int)attr_num(n, "review-months");
    char *pol = xmlload_attr(n, "policies");
    l->policies_required = pol && !strcmp(pol, "required");
    free(pol);
}

principle_set *principles_load(const char *file, diag_list *diags)
{
    char *data = NULL;
    size_t len = 0;
    const char *name = "statements/principles.xml";
    if (file) {
        const char *err = NULL;
        if (io_read_file(file, &data, &len, &err) != 0) {
            diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "cannot read the principles: %s", err);
            return NULL;
        }
        name = file;
    } else {
        const embedded_file *f = embedded_find(name);
        if (!f) {
            diag_add(diags, DIAG_ERROR, name, 0, 0, NULL, "the principles are not built in");
            return NULL;
        }
        data = xstrndup(f->data, f->len);
        len = f->len;
    }
    /* the built-in file was validated when aupc was built (meson.build) */
    xmlDocPtr doc = xmlload_parse(name, data, len, file ? "schema/principles.xsd" : NULL, diags);
    free(data);
    if (!doc)
        return NULL;
    principle_set *ps = xcalloc(1, sizeof *ps);
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (xmlload_is(n, "principle")) {
            load_principle(ps, n);
        } else if (xmlload_is(n, "audience")) {
            load_limits(ps, n, name, diags);
        }
    }
    xmlFreeDoc(doc);
    check_limits(ps, name, diags);
    registry_check_defined(ps, name, diags);
    if (!principles_find(ps, "core"))
        diag_add(diags, DIAG_ERROR, name, 0, 0, NULL, "the core statement template is missing");
    if (!diag_count(diags, DIAG_ERROR))
        ps->classifier = classify_load_embedded(diags);
    if (diag_count(diags, DIAG_ERROR)) {
        principles_free(ps);
        return NULL;
    }
    return ps;
}

void principles_free(principle_set *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->ndefs; i++) {
        principle_def *d = &ps->defs[i];
        free(d->id);
        free(d->title);
        free(d->description);
        free(d->help);
        for (size_t k = 0; k < d->nphrases; k++) {
            free(d->phrases[k].text);
            free(d->phrases[k].value);
        }
        free(d->phrases);
    }
    free(ps->defs);
    free(ps->limits);
    classify_free(ps->classifier);
    free(ps);
}

const principle_def *principles_find(const principle_set *ps, const char *id)
{
    for (size_t i = 0; i < ps->ndefs; i++)
        if (!strcmp(ps->defs[i].id, id))
            return &ps->defs[i];
    return NULL;
}

bool principles_audience_known(const char *id)
{
    return audience_known(id, true);
}

const principle_limits *principles_limits_for(const principle_set *ps, const char *audience_id)
{
    int kind = audience_kind_of(audience_id);
    if (kind < 0)
        return NULL;
    bool easy = false;
    const audience_info *a = audience_find(audience_id, &easy);
    if (!a)   /* a kind alone */
        a = audience_at(audience_kind_at((audience_kind)kind)->default_row);
    const char *want = easy ? "easy" : a->id;
    for (size_t i = 0; i < ps->nlimits; i++)
        if (!strcmp(ps->limits[i].id, want))
            return &ps->limits[i];
    return NULL;
}

bool principles_id_known(const library *lib, const char *id)
{
    if (registry_has(id))
        return true;
    if (strncmp(id, "core-", 5) != 0)
        return false;
    const statement *s = library_find(lib, id + 5);
    return s && s->core;
}

static inline unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

bool principles_phrase_in(const char *text, const char *phrase)
{
    size_t m = strlen(phrase);
    if (m == 0)
        return false;
    /* ASCII case folding by hand, and the word-start test only where the
     * first letter matches: this runs for every phrase over every
     * sentence, and a long draft made it most of lint's time. */
    const unsigned char first = (unsigned char)phrase[0];
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (ascii_lower(*p) != first || (p > (const unsigned char *)text && isalnum(p[-1])))
            continue;
        size_t k = 1;
        while (k < m && p[k] && ascii_lower(p[k]) == (unsigned char)phrase[k])
            k++;
        if (k == m)
            return true;
    }
    return false;
}

/* ---- dates ---- */

int principles_date_cmp(aupc_date a, aupc_date b)
{
    if (a.year != b.year) return a.year < b.year ? -1 : 1;
    if (a.month != b.month) return a.month < b.month ? -1 : 1;
    if (a.day != b.day) return a.day < b.day ? -1 : 1;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

aupc_date principles_add_months(aupc_date d, int months)
{
    int m = d.year * 12 + (d.month - 1) + months;
    aupc_date r = {m / 12, m % 12 + 1, d.day};
    int dim = days_in_month(r.year, r.month);
    if (r.day > dim)
        r.day = dim;
    return r;
}

aupc_date principles_today(void)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    return (aupc_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

static bool date_set(aupc_date d)
{
    return d.year != 0;
}

/* ---- the engine ---- */

typedef struct {
    const char *text;    /* owned by the readability report, or the draft_facts */
    char *lower;         /* owned, but for a draft: its unit's folded text */
    int line, col;
    bool heading;
    double fk;
    size_t words;
    int unit;            /* a draft's unit, -1 for a compiled document */
    size_t at;           /* where it starts in the engine's alltext */
} sentence;

enum { HEAD_BITS = 1 << 16, NHEADS = 3 };
static const size_t head_len[NHEADS] = {3, 5, 8};

typedef struct {
    const principle_set *ps;
    const library *lib;
    const document *d;
    const principle_input *in;
    principle_report *r;
    const principle_limits *lim;
    bool compiled;
    readability_report read;
    sentence *sent;
    size_t nsent;
    char *alltext;       /* every sentence, lower case, joined by spaces */
    size_t alltext_len;
    size_t *line_start;  /* offset of each line of the draft's source: line N at [N - 1] */
    size_t nline_start;
    /* the first three, five and eight bytes at every word start of
       alltext, hashed into bit sets: a phrase whose start is missing from
       one is not searched for (three bytes alone let through most phrases
       a long draft lacks: "safeguarding policy" after "safe") */
    uint64_t heads[NHEADS][HEAD_BITS / 64];
    bool failed;         /* a check could not be made (the layout failed) */
    struct concise_layout *measured;   /* a long draft's layout, made beforehand */
    /* per library statement, when looked for beforehand: the sentence
       that says a core one, or NULL */
    const sentence **core_hit;
} engine;

/* The first LEN (at most 8) bytes at P as one number, and its hash,
 * HEAD_BITS wide. */
static inline uint64_t head_bytes(const char *p, size_t len)
{
    uint64_t x = 0;
    memcpy(&x, p, len);
    return x;
}

static inline size_t head_of(uint64_t x)
{
    return (size_t)((x * 0x9E3779B97F4A7C15u) >> 48);
}

static inline size_t head_hash(const char *p, size_t len)
{
    return head_of(head_bytes(p, len));
}

static inline void head_set(engine *e, int set, uint64_t x)
{
    size_t h = head_of(x);
    e->heads[set][h / 64] |= (uint64_t)1 << (h % 64);
}

/* Could PHRASE (M bytes) start a word of alltext, as far as the bit sets tell? */
static bool head_may_match(const engine *e, const char *phrase, size_t m)
{
    for (int set = 0; set < NHEADS && head_len[set] <= m; set++) {
        size_t h = head_hash(phrase, head_len[set]);
        if (!((e->heads[set][h / 64] >> (h % 64)) & 1))
            return false;
    }
    return true;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_HEADS 1
#else
#define LITTLE_ENDIAN_HEADS 0
#endif

static void index_heads(engine *e)
{
    memset(e->heads, 0, sizeof e->heads);
    bool alnum[256];
    for (int c = 0; c < 256; c++)
        alnum[c] = isalnum(c) != 0;
    const char *t = e->alltext, *end = t + e->alltext_len;
    if (e->alltext_len < 3)
        return;
    /* a word starts at 0 and after every byte that is not a letter or
       digit; the last one indexed starts three bytes before the end */
    const char *last = end - 3;
    for (const char *p = t; p <= last; p++) {
        if (end - p >= 8 && LITTLE_ENDIAN_HEADS) {
            /* one load for the three heads: on a little-endian machine the
               first bytes are the low ones */
            uint64_t x = head_bytes(p, 8);
            head_set(e, 0, x & 0xFFFFFFu);
            head_set(e, 1, x & 0xFFFFFFFFFFu);
            head_set(e, 2, x);
        } else {
            head_set(e, 0, head_bytes(p, 3));
            if (end - p >= 5)
                head_set(e, 1, head_bytes(p, 5));
            if (end - p >= 8)
                head_set(e, 2, head_bytes(p, 8));
        }
        while (p < last && alnum[(unsigned char)*p])
            p++;
    }
}

static int sentence_line_cmp(const void *pa, const void *pb)
{
    const sentence *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return strcmp(a->text, b->text);
}

static int column_of(const engine *e, int line, const char *text);

static void collect_headings(cmark_node *root, int **lines, size_t *n)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING) {
            *lines = xgrow(*lines, *n, sizeof **lines);
            (*lines)[(*n)++] = cmark_node_get_start_line(node);
        }
    }
    cmark_iter_free(it);
}

/* A draft's sentences are its units, headings flagged, in order. */
static void draft_sentences(engine *e)
{
    const draft_facts *dr = e->in->draft;
    draft_reading(dr, 3, &e->read);
    e->r->reading = e->read.stats;
    e->r->has_reading = true;
    e->nsent = dr->units.count;
    e->sent = xcalloc(e->nsent ? e->nsent : 1, sizeof *e->sent);
    size_t total = 1;
    for (size_t i = 0; i < e->nsent; i++)
        total += dr->units.items[i].folded_len + 1;
    char *all = xmalloc(total);
    size_t len = 0;
    for (size_t i = 0; i < e->nsent; i++) {
        const unit *x = &dr->units.items[i];
        sentence *s = &e->sent[i];
        s->text = x->text;
        s->lower = x->folded;   /* the draft's, not the engine's to free */
        s->line = x->line;
        s->col = x->col;
        s->heading = x->kind == UNIT_HEADING;
        s->words = x->words;
        s->unit = (int)i;
        if (i)
            all[len++] = ' ';
        s->at = len;
        memcpy(all + len, x->folded, x->folded_len);
        len += x->folded_len;
    }
    all[len] = '\0';
    e->alltext = all;
    e->alltext_len = len;
    index_heads(e);
}

static void engine_sentences(engine *e)
{
    if (e->in->draft) {
        draft_sentences(e);
        return;
    }
    readability_document(e->d->root, SIZE_MAX, &e->read);
    e->r->reading = e->read.stats;
    e->r->has_reading = true;
    int *hl = NULL;
    size_t nhl = 0;
    if (e->d->root)
        collect_headings(e->d->root, &hl, &nhl);
    e->nsent = e->read.nhardest;
    e->sent = xcalloc(e->nsent ? e->nsent : 1, sizeof *e->sent);
    strbuf all = {0};
    for (size_t i = 0; i < e->nsent; i++) {
        const readability_sentence *rs = &e->read.hardest[i];
        sentence *s = &e->sent[i];
        s->text = rs->text;
        s->lower = lower_dup(rs->text);
        s->line = rs->line;
        s->fk = rs->fk_grade;
        s->words = rs->words;
        for (size_t k = 0; k < nhl && rs->line > 0; k++)
            if (hl[k] == rs->line)
                s->heading = true;
        s->col = e->compiled ? 0 : column_of(e, s->line, s->text);
        s->unit = -1;
    }
    free(hl);
    qsort(e->sent, e->nsent, sizeof *e->sent, sentence_line_cmp);
    for (size_t i = 0; i < e->nsent; i++) {
        if (i)
            sb_add(&all, " ", 1);
        e->sent[i].at = all.len;
        sb_puts(&all, e->sent[i].lower);
    }
    e->alltext = all.data ? all.data : xstrdup("");
    e->alltext_len = all.len;
    index_heads(e);
}

/* The sentence whose text holds the M bytes at OFF of alltext, or -1 when
 * they run over into the next. */
static int sentence_holding(const engine *e, size_t off, size_t m)
{
    size_t lo = 0, hi = e->nsent;   /* the last sentence starting at or before OFF */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (e->sent[mid].at <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t stop = lo + 1 < e->nsent ? e->sent[lo + 1].at - 1 : e->alltext_len;
    return off + m <= stop ? (int)lo : -1;
}

/* The first sentence holding PHRASE (lower case) at the start of a word, or
 * -1: one pass through the joined text, not a search of every sentence. */
static int first_with(const engine *e, const char *phrase)
{
    size_t m = strlen(phrase);
    if (!m || !e->nsent)
        return -1;
    if (!head_may_match(e, phrase, m))
        return -1;
    const char *text = e->alltext;
    for (const char *p = text; (p = strstr(p, phrase)) != NULL; p++) {
        size_t off = (size_t)(p - text);
        if (off && isalnum((unsigned char)p[-1]))
            continue;
        int i = sentence_holding(e, off, m);
        if (i >= 0)
            return i;
    }
    return -1;
}

/* Mark each sentence that holds NEEDLE (lower case) anywhere: one pass
 * through the joined text. */
static void mark_holding(const engine *e, const char *needle, bool *mark)
{
    size_t m = strlen(needle);
    if (!m || !e->nsent)
        return;
    for (const char *p = e->alltext; (p = strstr(p, needle)) != NULL; p++) {
        int i = sentence_holding(e, (size_t)(p - e->alltext), m);
        if (i >= 0)
            mark[i] = true;
    }
}

/* Where each line of the draft starts, so that finding a column is not a
 * walk from the top of the file (which made a long draft quadratic). */
static void index_lines(engine *e)
{
    const principle_input *in = e->in;
    if (!in->source)
        return;
    size_t cap = 64;
    e->line_start = xmalloc(cap * sizeof *e->line_start);
    e->line_start[e->nline_start++] = 0;
    const char *p = in->source, *end = in->source + in->source_len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        if (e->nline_start == cap) {
            cap *= 2;
            e->line_start = xrealloc(e->line_start, cap * sizeof *e->line_start);
        }
        e->line_start[e->nline_start++] = (size_t)(++p - in->source);
    }
}

/* Column of TEXT's start on LINE of the draft, or 1. */
static int column_of(const engine *e, int line, const char *text)
{
    const principle_input *in = e->in;
    if (!in->source || line < 1 || !text || (size_t)line > e->nline_start)
        return 1;
    const char *p = in->source + e->line_start[line - 1], *end = in->source + in->source_len;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    size_t want = strlen(text);
    if (want > 12)
        want = 12;
    /* stop before a multi-byte character is cut */
    while (want > 0 && want < strlen(text) && ((unsigned char)text[want] & 0xC0) == 0x80)
        want--;
    for (const char *q = p; q + want <= eol; q++)
        if (!strncmp(q, text, want))
            return (int)(q - p) + 1;
    for (const char *q = p; q < eol; q++)
        if (!isspace((unsigned char)*q) && !strchr("-*+>", *q) && !isdigit((unsigned char)*q) &&
            *q != '.' && *q != ')')
            return (int)(q - p) + 1;
    return 1;
}

static principle_outcome *add_outcome(engine *e, const char *id, const principle_def *def)
{
    principle_report *r = e->r;
    r->outcomes = xgrow(r->outcomes, r->noutcomes, sizeof *r->outcomes);
    principle_outcome *o = &r->outcomes[r->noutcomes++];
    memset(o, 0, sizeof *o);
    o->id = xstrdup(id);
    o->def = def;
    o->status = OUTCOME_PASS;
    o->severity = def->severity;
    o->title = xstrdup(def->title);
    return o;
}

static void set_evidence(principle_outcome *o, char *text)
{
    free(o->evidence);
    o->evidence = text;
}

/* A finding at LINE (0: the document's line) of the outcome's principle. */
static void finding(engine *e, principle_outcome *o, diag_severity sev, int line,
                    const char *text, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void finding(engine *e, principle_outcome *o, diag_severity sev, int line,
                    const char *text, const char *fmt, ...)
{
    int col = 1;
    if (line > 0 && !e->compiled)
        col = column_of(e, line, text);
    if (line <= 0) {
        line = e->in->line;
        col = e->compiled ? 0 : 1;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (e->compiled && e->d->audience_id)
        diag_add(&e->r->diags, sev, e->in->file, line, col, o->id, "%s: %s", e->d->audience_id,
                 msg);
    else
        diag_add(&e->r->diags, sev, e->in->file, line, col, o->id, "%s", msg);
    free(msg);
    if (sev != DIAG_NOTE) {
        if (o->status != OUTCOME_FAIL || sev > o->severity)
            o->severity = sev;
        o->status = OUTCOME_FAIL;
    }
}

/* A short quotation of a sentence for evidence. */
static char *quote(const char *text)
{
    size_t n = strlen(text);
    if (n <= 60)
        return xasprintf("\"%s\"", text);
    size_t cut = 57;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    return xasprintf("\"%.*s...\"", (int)cut, text);
}

static char *sentence_evidence(const sentence *s)
{
    char *q = quote(s->text);
    char *r = s->line > 0 ? xasprintf("%s (line %d)", q, s->line) : xstrdup(q);
    free(q);
    return r;
}

/* The first sentence holding a phrase of DEF with ROLE. */
static const sentence *find_role(const engine *e, const principle_def *def, phrase_role role)
{
    int best = -1;
    for (size_t k = 0; k < def->nphrases; k++) {
        if (def->phrases[k].role != role)
            continue;
        int i = first_with(e, def->phrases[k].text);
        if (i >= 0 && (best < 0 || i < best))
            best = i;
    }
    return best >= 0 ? &e->sent[best] : NULL;
}


/* The longest plain run of S's text for this reader, lower case with white
 * space collapsed, so a draft made from the statement is recognised. NULL
 * when no run is long enough to be telling. */
static char *statement_fragment(const engine *e, const statement *s)
{
    if (!e->d->audience_id)
        return NULL;
    const statement_text *t = statement_text_for(s, e->d->audience_id);
    if (!t || !t->text)
        return NULL;
    char *best = NULL;
    size_t bestn = 0;
    const char *p = t->text;
    while (*p) {
        strbuf run = {0};
        sb_add(&run, "", 0);
        bool space = false;
        while (*p && strchr("*_`[](){}<>\\", *p) == NULL) {
            if (isspace((unsigned char)*p)) {
                space = run.len > 0;
            } else {
                if (space)
                    sb_add(&run, " ", 1);
                space = false;
                char c = (char)tolower((unsigned char)*p);
                sb_add(&run, &c, 1);
            }
            p++;
        }
        /* a run that a placeholder cut off in mid-word: drop the partial words */
        while (run.len && run.data[run.len - 1] == ' ')
            run.data[--run.len] = '\0';
        if (run.len > bestn) {
            free(best);
            best = run.data;
            bestn = run.len;
        } else {
            sb_free(&run);
        }
        if (*p == '{') {
            const char *close = strstr(p, "}}");
            p = close ? close + 2 : p + 1;
        } else if (*p) {
            p++;
        }
    }
    if (bestn < 16) {
        free(best);
        return NULL;
    }
    return best;
}

/* The first sentence that carries statement S: one of its detection phrases
 * or its own text. NULL when none. */
static const sentence *statement_sentence(const engine *e, const statement *s)
{
    char *frag = statement_fragment(e, s);
    if (frag && strstr(e->alltext, frag)) {
        /* point at the sentence where it starts */
        char head[24];
        snprintf(head, sizeof head, "%s", frag);
        head[strcspn(head, ".!?")] = '\0';
        for (size_t i = 0; i < e->nsent; i++)
            if (strstr(e->sent[i].lower, head)) {
                free(frag);
                return &e->sent[i];
            }
        free(frag);
        return e->nsent ? &e->sent[0] : NULL;
    }
    free(frag);
    int best = -1;
    for (size_t k = 0; k < s->ndetect; k++) {
        char *ph = lower_dup(s->detect[k]);
        int i = first_with(e, ph);
        free(ph);
        if (i >= 0 && (best < 0 || i < best))
            best = i;
    }
    return best >= 0 ? &e->sent[best] : NULL;
}

/* Statement tags of the compiled document. */
typedef bool (*tag_pred)(const doc_tag *t, const void *arg);

static size_t count_tags(const engine *e, tag_pred pred, const void *arg, const doc_tag **first)
{
    size_t n = 0;
    if (first)
        *first = NULL;
    for (const doc_tag *t = e->d->tags; t; t = t->next) {
        if (pred(t, arg)) {
            if (first && !*first)
                *first = t;
            n++;
        }
    }
    return n;
}

typedef struct {
    const char *principle;
    int side;    /* 1 acceptable or responsibility, -1 unacceptable, 0 any */
} tag_query;

static bool tag_serves(const doc_tag *t, const void *arg)
{
    const tag_query *q = arg;
    if (t->kind != TAG_STATEMENT || !t->stmt)
        return false;
    if (q->principle && !library_list_has(t->stmt->principles, q->principle))
        return false;
    if (q->side > 0)
        return t->section == SECTION_ACCEPTABLE || t->section == SECTION_RESPONSIBILITY;
    if (q->side < 0)
        return t->section == SECTION_UNACCEPTABLE;
    return true;
}

static bool tag_kind_is(const doc_tag *t, const void *arg)
{
    return t->kind == *(const doc_tag_kind *)arg;
}

/* ---- each principle ---- */

static int node_ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(cmark_node *const *)a, y = (uintptr_t)*(cmark_node *const *)b;
    return x < y ? -1 : x > y;
}

/* LIST must be sorted with node_ptr_cmp: every layout block is looked up,
 * and a linear search made a long draft quadratic. */
static bool in_list(cmark_node *const *list, size_t n, cmark_node *node)
{
    return n && bsearch(&node, list, n, sizeof *list, node_ptr_cmp) != NULL;
}

/* Does the draft's heading H head what happens when rules are broken? */
static bool heading_is_sanctions(const engine *e, cmark_node *h)
{
    const draft_facts *dr = e->in->draft;
    int line = cmark_node_get_start_line(h);
    unsigned want = (1u << MARK_SANCTIONS) | CLASSIFY_CONDITIONS;
    for (size_t i = 0; dr && i < dr->units.count; i++)
        if (dr->units.items[i].kind == UNIT_HEADING && dr->units.items[i].line == line)
            return (dr->cls[i].marks & want) != 0;
    return false;
}

/* A draft's rules: list items before the sanctions heading. */
static cmark_node **draft_rules(const engine *e, size_t *n)
{
    cmark_node **items = NULL;
    *n = 0;
    if (!e->d->root)
        return NULL;
    cmark_iter *it = cmark_iter_new(e->d->root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_HEADING && heading_is_sanctions(e, node))
            break;
        if (t == CMARK_NODE_ITEM) {
            items = xgrow(items, *n, sizeof *items);
            items[(*n)++] = node;
        }
    }
    cmark_iter_free(it);
    return items;
}

/* A draft longer than this is laid out only as far as its top-level blocks
 * that start within it: plenty to tell whether the core rules fit on two
 * pages, without laying a megabyte of Markdown out page by page. */
#define CONCISE_LAYOUT_BYTES (64 * 1024)

typedef struct {
    cmark_node *parent, *node;
} cut_node;

static bool beyond_budget(const engine *e, cmark_node *n)
{
    int line = cmark_node_get_start_line(n);
    return line >= 1 && (size_t)line <= e->nline_start &&
           e->line_start[line - 1] > CONCISE_LAYOUT_BYTES;
}

/* Detach the children of PARENT that start beyond the layout budget, and
 * within the child that straddles it (a long list), its children likewise. */
static void cut_children(const engine *e, cmark_node *parent, cut_node **cut, size_t *k,
                         int depth)
{
    cmark_node *n = cmark_node_first_child(parent), *last = NULL;
    for (; n && !beyond_budget(e, n); n = cmark_node_next(n))
        last = n;
    while (n) {
        cmark_node *next = cmark_node_next(n);
        cmark_node_unlink(n);
        *cut = xgrow(*cut, *k, sizeof **cut);
        (*cut)[(*k)++] = (cut_node){parent, n};
        n = next;
    }
    if (last && depth < 8 && cmark_node_first_child(last))
        cut_children(e, last, cut, k, depth + 1);
}

/* Detach what starts beyond the layout budget; returns how many nodes, in
 * *CUT (owned), for restore_draft to put back. */
static size_t cut_draft(const engine *e, cut_node **cut)
{
    *cut = NULL;
    if (e->compiled || !e->d->root || e->in->source_len <= CONCISE_LAYOUT_BYTES)
        return 0;
    size_t k = 0;
    cut_children(e, e->d->root, cut, &k, 0);
    return k;
}

/* Put the nodes back, deepest first, each after its parent's last child. */
static void restore_draft(cut_node *cut, size_t k)
{
    for (size_t i = k; i-- > 0;) {
        size_t first = i;
        while (first > 0 && cut[first - 1].parent == cut[i].parent)
            first--;
        for (size_t j = first; j <= i; j++)
            cmark_node_append_child(cut[j].parent, cut[j].node);
        i = first;
    }
    free(cut);
}

/* Where a compiled document's pages go. Its body is everything before its
 * first annex (the rules and the signature block); annexes (the incident
 * flowchart, the contacts map, the consent form with the slip after it)
 * each start a page of their own and are budgeted apart. */
typedef struct {
    int body_pages;        /* the page on which the body ends */
    int annex_pages;       /* pages after the body */
    int consent_pages;     /* pages the consent form and slip span; 0: none */
    int lonely_signature;  /* the page the signature block has to itself; 0: none */
} page_use;

static bool is_annex(cmark_node *n)
{
    const doc_tag *t = document_tag_of(n);
    return t && (t->kind == TAG_ANNEX || t->kind == TAG_FLOWCHART);
}

static bool holds_tag(cmark_node *n, doc_tag_kind kind)
{
    const doc_tag *t = document_tag_of(n);
    if (t && t->kind == kind)
        return true;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        if (holds_tag(k, kind))
            return true;
    return false;
}

/* The first and last page of top-level block N; 0 when not laid out. */
static void block_pages(const layout_info *info, cmark_node *n, int *first, int *last)
{
    *first = *last = 0;
    for (size_t i = 0; i < info->nblocks; i++) {
        if (info->blocks[i].node != n)
            continue;
        int pg = info->blocks[i].page;
        if (!*first || pg < *first)
            *first = pg;
        if (pg > *last)
            *last = pg;
    }
}

/* The signature block is alone when nothing on its page comes from before
 * its own section (the heading above it and the words that lead into it). */
static int lonely_signature(const layout_info *info, cmark_node *sig)
{
    int page, last;
    block_pages(info, sig, &page, &last);
    if (!page)
        return 0;
    cmark_node *section = sig;
    while (cmark_node_previous(section) &&
           cmark_node_get_type(section) != CMARK_NODE_HEADING)
        section = cmark_node_previous(section);
    for (cmark_node *k = cmark_node_previous(section); k; k = cmark_node_previous(k)) {
        int a, b;
        block_pages(info, k, &a, &b);
        if (b == page)
            return 0;
        if (b && b < page)
            break;
    }
    return page;
}

static page_use measure_pages(const document *d, const layout_info *info)
{
    page_use u = {0};
    bool annexes = false, consent = false;
    int consent_first = 0, consent_last = 0;
    for (cmark_node *k = cmark_node_first_child(d->root); k; k = cmark_node_next(k)) {
        int first, last;
        block_pages(info, k, &first, &last);
        if (is_annex(k)) {
            annexes = true;
            /* the slip, not an annex itself, runs on after the form */
            consent = holds_tag(k, TAG_CONSENT);
        }
        if (!annexes && last > u.body_pages)
            u.body_pages = last;
        if (consent && first) {
            if (!consent_first)
                consent_first = first;
            if (last > consent_last)
                consent_last = last;
        }
        const doc_tag *t = document_tag_of(k);
        if (!annexes && t && t->kind == TAG_SIGNATURE && !u.lonely_signature)
            u.lonely_signature = lonely_signature(info, k);
    }
    u.annex_pages = info->pages - u.body_pages;
    u.consent_pages = consent_first ? consent_last - consent_first + 1 : 0;
    return u;
}

/* A compiled document is held to its whole page budget: the body within
 * the audience's pages, the consent form and slip on one page, and the
 * signature block never alone on a page. */
static void check_budget(engine *e, principle_outcome *o, const layout_info *info, int limit)
{
    page_use u = measure_pages(e->d, info);
    const char *s = limit == 1 ? "" : "s";
    if (u.annex_pages > 0)
        set_evidence(o, xasprintf("%d page%s of rules (limit %d), then %d of annexes",
                                  u.body_pages, u.body_pages == 1 ? "" : "s", limit,
                                  u.annex_pages));
    else
        set_evidence(o, xasprintf("%d page%s (limit %d)", u.body_pages,
                                  u.body_pages == 1 ? "" : "s", limit));
    if (u.body_pages > limit)
        finding(e, o, o->def->severity, 0, NULL,
                "the document runs to %d A4 pages%s; keep it to %d page%s", u.body_pages,
                u.annex_pages > 0 ? " before its annexes" : "", limit, s);
    if (u.consent_pages > 1)
        finding(e, o, o->def->severity, 0, NULL,
                "the consent form and slip run over %d pages; keep them to one",
                u.consent_pages);
    if (u.lonely_signature)
        finding(e, o, o->def->severity, 0, NULL,
                "the signature block is alone on page %d; keep it with the rules it signs for",
                u.lonely_signature);
}

/* The layout check_concise reads: made when it runs, or beforehand on a
 * thread of its own for a long draft (principles_check). */
typedef struct concise_layout {
    const engine *e;
    layout_info info;
    diag_list ld;
    size_t ncut;    /* top-level nodes left out, beyond the budget */
    int rc;
} concise_layout;

static void measure_concise(void *arg)
{
    concise_layout *m = arg;
    cut_node *cut;
    m->ncut = cut_draft(m->e, &cut);
    m->rc = layout_measure(m->e->d, m->e->in->pdf, &m->info, &m->ld);
    restore_draft(cut, m->ncut);
}

static void check_concise(engine *e, principle_outcome *o)
{
    concise_layout here = {.e = e};
    concise_layout *m = e->measured ? e->measured : &here;
    if (!e->measured)
        measure_concise(m);
    layout_info info = m->info;
    diag_list ld = m->ld;
    size_t ncut = m->ncut;
    int rc = m->rc;
    if (rc != 0) {
        for (size_t i = 0; i < ld.count; i++)
            diag_add(&e->r->diags, DIAG_ERROR, e->in->file, e->in->line, 0, "concise",
                     "cannot lay the document out: %s", ld.items[i].message);
        diag_free(&ld);
        o->status = OUTCOME_FAIL;
        o->severity = DIAG_ERROR;
        set_evidence(o, xstrdup("could not be laid out"));
        e->failed = true;
        return;
    }
    diag_free(&ld);
    int limit = e->lim ? e->lim->pages : 2;
    int core = info.core_pages;
    int over_line = 0;
    const char *over_text = NULL;
    if (!e->compiled) {
        size_t n;
        cmark_node **items = draft_rules(e, &n);
        if (n)
            qsort(items, n, sizeof *items, node_ptr_cmp);
        core = 0;
        size_t laid = 0;
        for (size_t i = 0; i < info.nblocks; i++) {
            const layout_block *b = &info.blocks[i];
            if (b->node && in_list(items, n, b->node)) {
                laid++;
                if (b->page > core)
                    core = b->page;
                if (b->page > limit && !over_line)
                    over_line = cmark_node_get_start_line(b->node);
            }
        }
        if (n == 0)
            core = info.pages;
        /* rules beyond what was laid out end after its last page */
        if (ncut && laid < n && core <= info.pages)
            core = info.pages + 1;
        free(items);
        for (size_t i = 0; i < e->nsent && over_line; i++)
            if (e->sent[i].line >= over_line) {
                over_text = e->sent[i].text;
                break;
            }
    }
    e->r->pages = info.pages;
    e->r->core_pages = core;
    if (e->compiled) {
        check_budget(e, o, &info, limit);
        layout_info_free(&info);
        return;
    }
    layout_info_free(&info);
    if (core > info.pages) {
        set_evidence(o, xasprintf("core rules run past page %d, as far as the draft was laid "
                                  "out", info.pages));
        finding(e, o, o->def->severity, over_line, over_text,
                "the core rules run past page %d; keep them to %d A4 page%s", info.pages, limit,
                limit == 1 ? "" : "s");
        return;
    }
    set_evidence(o, xasprintf("core rules end on page %d of %d", core, info.pages));
    if (core > limit)
        finding(e, o, o->def->severity, over_line, over_text,
                "the core rules end on page %d of %d; keep them to %d A4 page%s", core,
                info.pages, limit, limit == 1 ? "" : "s");
}

static void check_setting(engine *e, principle_outcome *o)
{
    const principle_def *def = o->def;
    bool need_policy = !e->lim || e->lim->policies_required;
    strbuf ev = {0};
    bool policy = false, tech = false;
    if (e->compiled) {
        const profile *p = e->in->prof;
        size_t named = 0;
        const char *first = NULL;
        for (size_t i = 0; i < p->npolicies; i++) {
            char *t = lower_dup(p->policies[i].title);
            if (*t && strstr(e->alltext, t)) {
                if (!first)
                    first = p->policies[i].title;
                named++;
            }
            free(t);
        }
        policy = named > 0;
        const sentence *ps_ = find_role(e, def, PHRASE_POLICY);
        if (!policy && ps_) {
            char *q = sentence_evidence(ps_);
            sb_printf(&ev, "policy: %s", q);
            free(q);
            policy = true;
        } else if (policy)
            sb_printf(&ev, "names %zu of %zu local policies (%s%s)", named, p->npolicies, first,
                      named > 1 ? ", ..." : "");
        tag_query q = {NULL, 0};
        size_t provided = 0;
        for (const doc_tag *t = e->d->tags; t; t = t->next)
            if (tag_serves(t, &q) && t->stmt->provides)
                provided++;
        size_t techs = 0;
        for (int k = 0; k < TECH_COUNT; k++)
            if (p->tech[k].present)
                techs++;
        tech = provided > 0 || (techs > 0 && find_role(e, def, PHRASE_TECH));
        if (tech)
            sb_printf(&ev, "%s%zu rule%s about the %zu services it provides", ev.len ? "; " : "",
                      provided, provided == 1 ? "" : "s", techs);
    } else {
        const sentence *ps = find_role(e, def, PHRASE_POLICY);
        const sentence *ts = find_role(e, def, PHRASE_TECH);
        policy = ps != NULL;
        tech = ts != NULL;
        if (ps) {
            char *q = sentence_evidence(ps);
            sb_printf(&ev, "policy: %s", q);
            free(q);
        }
        if (ts) {
            char *q = sentence_evidence(ts);
            sb_printf(&ev, "%stechnology: %s", ev.len ? "; " : "", q);
            free(q);
        }
    }
    set_evidence(o, ev.data ? ev.data : xstrdup("nothing found"));
    if (!policy && need_policy)
        finding(e, o, def->severity, 0, NULL,
                "no related local policy is named (child protection, anti-bullying, behaviour...)");
    if (!tech)
        finding(e, o, def->severity, 0, NULL,
                "the technology the setting provides is not described");
}

/* ---- drafts: evidence from classified units ---- */

/* Keep unit I of the draft among those that counted for O, as ACT (an
 * act bit) or, when ACT is 0, as mark M. */
static void keep_unit(engine *e, principle_outcome *o, int i, unsigned act, classify_mark m)
{
    const draft_facts *dr = e->in->draft;
    o->units_total++;
    if (o->nunits >= PRINCIPLE_UNITS_KEPT)
        return;
    const unit *x = &dr->units.items[i];
    o->units = xgrow(o->units, o->nunits, sizeof *o->units);
    principle_unit *pu = &o->units[o->nunits++];
    pu->line = x->line;
    pu->col = x->col;
    pu->text = xstrdup(x->text);
    pu->act = xstrdup(act ? classify_act_name(act) : classify_mark_name(m));
    pu->why = act ? draft_why_act(dr, (size_t)i, act) : draft_why_mark(dr, (size_t)i, m);
}

/* Keep unit I as doing ACT about TOPIC, saying why it is about TOPIC when
 * that is not what the unit names itself ("Use it ..." after "The trip
 * leader carries the school mobile"). */
static void keep_unit_on(engine *e, principle_outcome *o, int i, unsigned act, unsigned topic)
{
    size_t before = o->nunits;
    keep_unit(e, o, i, act, 0);
    if (o->nunits == before)
        return;   /* counted, not kept: a long draft has thousands */
    char *about = topic ? draft_why_topic(e->in->draft, (size_t)i, topic) : NULL;
    if (about) {
        principle_unit *pu = &o->units[o->nunits - 1];
        char *w = xasprintf("%s; about %s: %s", pu->why, classify_topic_name(topic), about);
        free(pu->why);
        pu->why = w;
    }
    free(about);
}

static char *unit_evidence(const engine *e, int i)
{
    return i >= 0 ? sentence_evidence(&e->sent[i]) : xstrdup("none");
}

/* A finding about something missing, at the section where it belongs. */
static void missing_finding(engine *e, principle_outcome *o, draft_home home, const char *fmt,
                            const char *arg)
{
    int i = draft_home_unit(e->in->draft, home);
    if (i >= 0)
        finding(e, o, o->def->severity, e->sent[i].line, e->sent[i].text, fmt, arg);
    else
        finding(e, o, o->def->severity, 0, NULL, fmt, arg);
}

/* The units doing ACT, kept for O; the first, or -1. */
static int keep_acts(engine *e, principle_outcome *o, unsigned act, unsigned topics)
{
    const draft_facts *dr = e->in->draft;
    int first = -1;
    for (int i = draft_find(dr, act, topics, 0); i >= 0; i = draft_find(dr, act, topics, (size_t)i + 1)) {
        if (first < 0)
            first = i;
        keep_unit_on(e, o, i, act, topics);
    }
    return first;
}

static void check_input(engine *e, principle_outcome *o)
{
    if (e->compiled) {
        const profile_consulted *c = profile_consulted_for(e->in->prof, e->d->kind);
        if (c) {
            char date[40] = "";
            if (date_set(c->on))
                profile_date_long(c->on, date, sizeof date);
            set_evidence(o, xasprintf("consulted: %s%s%s", c->how ? c->how : "yes",
                                      *date ? ", " : "", date));
            return;
        }
        set_evidence(o, xstrdup("no consultation recorded"));
        finding(e, o, o->def->severity, 0, NULL,
                "the profile records no consultation with %s; add a <consulted> element",
                audience_kind_at(e->d->kind)->name);
        return;
    }
    int s = -1;
    for (size_t i = 0; i < e->in->draft->units.count && s < 0; i++)
        if (e->in->draft->cls[i].marks & (1u << MARK_CONSULTATION))
            s = (int)i;
    if (s >= 0) {
        keep_unit(e, o, s, 0, MARK_CONSULTATION);
        set_evidence(o, sentence_evidence(&e->sent[s]));
        return;
    }
    set_evidence(o, xstrdup("no sentence says who was consulted"));
    finding(e, o, o->def->severity, 0, NULL, "the draft does not say that its readers were consulted");
}

static void check_tone(engine *e, principle_outcome *o)
{
    const readability_stats *st = &e->read.stats;
    if (!e->lim) {
        o->status = OUTCOME_NOT_APPLICABLE;
        set_evidence(o, xasprintf("FK grade %.1f; no audience, so no limit", st->fk_grade));
        return;
    }
    set_evidence(o, xasprintf("FK grade %.2f (limit %g), %.2f words a sentence (limit %g)",
                              st->fk_grade, e->lim->fk_max, st->words_per_sentence,
                              e->lim->wps_max));
    bool hard = st->fk_grade > e->lim->fk_max + 1e-9;
    bool longs = st->words_per_sentence > e->lim->wps_max + 1e-9;
    if (!hard && !longs)
        return;
    /* the hardest sentences come first in the readability report */
    const readability_sentence *h = e->read.nhardest ? &e->read.hardest[0] : NULL;
    if (hard)
        finding(e, o, o->def->severity, h ? h->line : 0, h ? h->text : NULL,
                "reading level is Flesch-Kincaid grade %.2f, above %g for %s", st->fk_grade,
                e->lim->fk_max, e->d->audience_id);
    if (longs)
        finding(e, o, o->def->severity, h ? h->line : 0, h ? h->text : NULL,
                "sentences average %.2f words, above %g for %s", st->words_per_sentence,
                e->lim->wps_max, e->d->audience_id);
    for (size_t i = 0; i < e->read.nhardest && i < 3; i++) {
        const readability_sentence *s = &e->read.hardest[i];
        if (s->fk_grade <= e->lim->fk_max)
            break;
        char *q = quote(s->text);
        finding(e, o, DIAG_NOTE, s->line, s->text, "hard sentence (grade %.1f, %zu words): %s",
                s->fk_grade, s->words, q);
        free(q);
    }
}

/* The limits on positive uses that hold for a draft whatever its reader:
 * fewer than *LEAST promotions or a share of prohibitions above *HIGHEST
 * fails for every reader, at least *MOST and at most *LOWEST passes for
 * every one. False when there are no limits. */
static bool limits_for_any_reader(const principle_set *ps, int *least, int *most,
                                  double *lowest, double *highest)
{
    *least = INT_MAX, *most = 0, *lowest = 1.0, *highest = 0.0;
    for (size_t i = 0; i < ps->nlimits; i++) {
        const principle_limits *l = &ps->limits[i];
        *least = l->positive_min < *least ? l->positive_min : *least;
        *most = l->positive_min > *most ? l->positive_min : *most;
        *lowest = l->prohibition_max < *lowest ? l->prohibition_max : *lowest;
        *highest = l->prohibition_max > *highest ? l->prohibition_max : *highest;
    }
    return ps->nlimits > 0;
}

static void check_positive(engine *e, principle_outcome *o)
{
    size_t total = 0, prohib = 0, pos = 0;
    const sentence *first_pos = NULL;
    if (e->compiled) {
        tag_query any = {NULL, 0};
        total = count_tags(e, tag_serves, &any, NULL);
        for (const doc_tag *t = e->d->tags; t; t = t->next) {
            if (!tag_serves(t, &any))
                continue;
            if (t->negative_rule)
                prohib++;
            if (library_list_has(t->stmt->principles, "positive") ||
                t->section == SECTION_ACCEPTABLE)
                pos++;
        }
    } else {
        const draft_facts *dr = e->in->draft;
        for (size_t i = 0; i < dr->units.count; i++) {
            if (!draft_is_body(dr, i))
                continue;
            /* a lead-in ("You must not:") introduces rules; it is not one */
            if (draft_is_rule(dr, i)) {
                total++;
                if (dr->cls[i].acts & ACT_PROHIBITS)
                    prohib++;
            }
            if (dr->cls[i].promotes) {
                pos++;
                keep_unit(e, o, (int)i, 0, MARK_PROMOTES);
                if (!first_pos)
                    first_pos = &e->sent[i];
            }
        }
    }
    double share = total ? (double)prohib / (double)total : 0.0;
    e->r->prohibition_share = share;
    e->r->positives = pos;
    const char *unit = e->compiled ? "rules" : "sentences";
    const char *one = e->compiled ? "rule" : "sentence";
    const char *pos_unit = pos == 1 ? one : unit, *verb = pos == 1 ? "promotes" : "promote";
    set_evidence(o, xasprintf("%zu %s %s positive uses; prohibitions %.0f%% of %zu %s", pos,
                              pos_unit, verb, share * 100.0, total, total == 1 ? one : unit));
    /* a draft whose reader is not known is held to what holds for every
       reader; in between, whether it is met depends on who reads it */
    int least, most = 0;
    double lowest = 1.0, highest;
    if (e->lim) {
        least = e->lim->positive_min;
        highest = e->lim->prohibition_max;
    } else if (!limits_for_any_reader(e->ps, &least, &most, &lowest, &highest)) {
        o->status = OUTCOME_NOT_APPLICABLE;
        return;
    }
    /* in a draft, each points at the section that would change */
    int pos_at = e->compiled ? -1 : draft_home_unit(e->in->draft, DRAFT_HOME_PERMITS);
    int neg_at = e->compiled ? -1 : draft_home_unit(e->in->draft, DRAFT_HOME_PROHIBITS);
    bool few = (int)pos < least, many = share > highest + 1e-9;
    if (few && e->lim)
        finding(e, o, o->def->severity, pos_at >= 0 ? e->sent[pos_at].line : 0,
                pos_at >= 0 ? e->sent[pos_at].text : NULL,
                "only %zu %s %s positive uses of technology; at least %d expected", pos,
                pos_unit, verb, least);
    else if (few)
        finding(e, o, o->def->severity, pos_at >= 0 ? e->sent[pos_at].line : 0,
                pos_at >= 0 ? e->sent[pos_at].text : NULL,
                "no sentence promotes a positive use of technology, whoever the reader is");
    if (many)
        finding(e, o, o->def->severity, neg_at >= 0 ? e->sent[neg_at].line : 0,
                neg_at >= 0 ? e->sent[neg_at].text : NULL,
                "prohibitions make up %.0f%% of the %s, above %.0f%% for %s", share * 100.0,
                unit, highest * 100.0, e->lim ? e->d->audience_id : "any reader");
    if (e->lim || few || many)
        return;
    bool depends = (int)pos < most || share > lowest + 1e-9;
    if (depends)
        o->status = OUTCOME_NOT_APPLICABLE;
    set_evidence(o, xasprintf("%s; reader not known: %s", o->evidence,
                              depends ? "met for some readers, not others"
                                      : "met whoever the reader is"));
}

/* The units doing ACT about personal devices, kept for O; the first, or
 * -1. For readers the setting lends no device to carry (parents, visitors),
 * a rule on photographs or films that names none of the setting's systems
 * ("Do not photograph or film them") is a rule on their own devices. */
static int keep_personal_acts(engine *e, principle_outcome *o, unsigned act)
{
    const draft_facts *dr = e->in->draft;
    bool own = e->d->audience_id && audience_kind_at(e->d->kind)->own_cameras;
    if (!own)
        return keep_acts(e, o, act, TOPIC_PERSONAL);
    unsigned any = TOPIC_PERSONAL | TOPIC_IMAGES;
    int first = -1;
    for (int i = draft_find(dr, act, any, 0); i >= 0; i = draft_find(dr, act, any, (size_t)i + 1)) {
        unsigned t = dr->cls[i].topics;
        if (t & TOPIC_PERSONAL) {
            keep_unit_on(e, o, i, act, TOPIC_PERSONAL);
        } else if (!(t & TOPIC_SYSTEMS)) {
            size_t before = o->nunits;
            keep_unit(e, o, i, act, 0);
            if (o->nunits > before) {
                principle_unit *pu = &o->units[o->nunits - 1];
                char *w = xasprintf("%s; about personal: photographs or films, taken on %s's "
                                    "own devices", pu->why,
                                    audience_kind_at(e->d->kind)->plain_plural);
                free(pu->why);
                pu->why = w;
            }
        } else {
            continue;
        }
        if (first < 0)
            first = i;
    }
    return first;
}

/* No rule says how WHAT MAY (or "must not") be used; when one is said to
 * other readers ("For grown-ups at home"), the finding says where, so that
 * the reader of the report sees why it did not count. */
static void missing_tech(engine *e, principle_outcome *o, unsigned act, unsigned topic,
                         const char *may, const char *what)
{
    const draft_facts *dr = e->in->draft;
    int aside = draft_find_aside(dr, act, topic);
    int h = aside >= 0 ? dr->units.items[aside].heading : -1;
    char *msg = h < 0 ? xasprintf("no rule says how %s %s be used", what, may)
                      : xasprintf("no rule says how %s %s be used (line %d says so to other "
                                  "readers, under \"%s\")",
                                  what, may, dr->units.items[aside].line, dr->units.items[h].text);
    missing_finding(e, o, act == ACT_PERMITS ? DRAFT_HOME_PERMITS : DRAFT_HOME_PROHIBITS, "%s",
                    msg);
    free(msg);
}

/* Both sides of a technology principle in a draft: a unit that permits
 * and one that prohibits, about the setting's systems or personal
 * devices; for personal devices a total ban is both. */
static void draft_tech(engine *e, principle_outcome *o, const char *what)
{
    const draft_facts *dr = e->in->draft;
    bool personal = !strcmp(o->id, "personal-tech");
    unsigned topic = personal ? TOPIC_PERSONAL : TOPIC_SYSTEMS;
    int a = personal ? keep_personal_acts(e, o, ACT_PERMITS) : keep_acts(e, o, ACT_PERMITS, topic);
    int u = personal ? keep_personal_acts(e, o, ACT_PROHIBITS) : keep_acts(e, o, ACT_PROHIBITS, topic);
    int ban = personal ? draft_find_ban(dr, 0) : -1;
    char *qu = unit_evidence(e, ban >= 0 ? ban : u);
    if (ban >= 0 && a < 0) {
        set_evidence(o, xasprintf("total ban: %s", qu));
    } else {
        char *qa = unit_evidence(e, a);
        set_evidence(o, xasprintf("acceptable: %s; unacceptable: %s", qa, qu));
        free(qa);
    }
    free(qu);
    if (a < 0 && ban < 0)
        missing_tech(e, o, ACT_PERMITS, topic, "may", what);
    if (u < 0)
        missing_tech(e, o, ACT_PROHIBITS, topic, "must not", what);
}

static void check_tech(engine *e, principle_outcome *o, const char *what)
{
    bool yes, no;
    strbuf ev = {0};
    if (e->compiled) {
        tag_query qa = {o->id, 1}, qu = {o->id, -1};
        size_t a = count_tags(e, tag_serves, &qa, NULL);
        size_t u = count_tags(e, tag_serves, &qu, NULL);
        yes = a > 0;
        no = u > 0;
        sb_printf(&ev, "%zu rules on what to do, %zu on what not to do", a, u);
    } else {
        draft_tech(e, o, what);
        return;
    }
    set_evidence(o, ev.data);
    if (!yes)
        finding(e, o, o->def->severity, 0, NULL, "no rule says how %s may be used", what);
    if (!no)
        finding(e, o, o->def->severity, 0, NULL, "no rule says how %s must not be used", what);
}

static const profile_audience *audience_of(const engine *e);

/* A compiled document must mention personal messages only where the library
 * has a statement on them for its reader: parents who cannot use the
 * setting's wifi, or young children with no accounts, send none over it. */
static bool messages_apply(const engine *e)
{
    const profile *p = e->in->prof;
    const profile_audience *a = audience_of(e);
    if (!p->monitoring.personal_messages || !a)
        return false;
    for (size_t i = 0; i < e->lib->count; i++) {
        const statement *s = &e->lib->items[i];
        if (library_list_has(s->monitoring, "personal-messages") &&
            select_conditions_hold(s, p, a) && statement_text_for(s, a->id))
            return true;
    }
    return false;
}

static void check_monitoring(engine *e, principle_outcome *o)
{
    bool said, messages = true;
    bool need_messages = e->compiled ? messages_apply(e) : e->in->personal_messages;
    strbuf ev = {0};
    if (e->compiled) {
        tag_query q = {"monitoring", 0};
        size_t n = 0, m = 0;
        for (const doc_tag *t = e->d->tags; t; t = t->next) {
            if (!tag_serves(t, &(tag_query){NULL, 0}))
                continue;
            if (tag_serves(t, &q) || t->section == SECTION_MONITORING) {
                n++;
                if (library_list_has(t->stmt->monitoring, "personal-messages"))
                    m++;
            }
        }
        said = n > 0;
        messages = m > 0;
        sb_printf(&ev, "%zu monitoring statements", n);
        if (need_messages)
            sb_printf(&ev, ", %s personal messages", messages ? "including" : "not covering");
    } else {
        const draft_facts *dr = e->in->draft;
        int s = keep_acts(e, o, ACT_MONITORS, 0);
        said = s >= 0;
        char *q = s >= 0 ? sentence_evidence(&e->sent[s]) : xstrdup("nothing found");
        sb_puts(&ev, q);
        free(q);
        if (need_messages) {
            int m = draft_find_mark(dr, ACT_MONITORS, MARK_MESSAGES, 0);
            messages = m >= 0;
            if (m >= 0) {
                q = sentence_evidence(&e->sent[m]);
                sb_printf(&ev, "; messages: %s", q);
                free(q);
            }
        }
        set_evidence(o, ev.data);
        if (!said)
            missing_finding(e, o, DRAFT_HOME_AFTER_RULES, "%s",
                            "the document does not say what is monitored");
        else if (need_messages && !messages)
            finding(e, o, o->def->severity, e->sent[s].line, e->sent[s].text,
                    "personal messages over the network are monitored, but the document does "
                    "not say so");
        return;
    }
    set_evidence(o, ev.data);
    if (!said)
        finding(e, o, o->def->severity, 0, NULL, "the document does not say what is monitored");
    if (need_messages && !messages)
        finding(e, o, o->def->severity, 0, NULL,
                "personal messages over the network are monitored, but the document does not say so");
}

static void check_sanctions(engine *e, principle_outcome *o)
{
    if (e->compiled) {
        doc_tag_kind k = TAG_SANCTIONS;
        tag_query q = {NULL, 0};
        size_t ladder = count_tags(e, tag_kind_is, &k, NULL);
        size_t stmts = 0;
        for (const doc_tag *t = e->d->tags; t; t = t->next)
            if (tag_serves(t, &q) && t->section == SECTION_SANCTIONS)
                stmts++;
        const profile_ladder *l = profile_ladder_for(e->in->prof, e->d->kind);
        if (ladder || stmts) {
            set_evidence(o, xasprintf("%zu steps, from \"%s\"", l ? l->nsteps : 0,
                                      l && l->nsteps ? l->steps[0] : "the sanctions statement"));
            return;
        }
        set_evidence(o, xstrdup("no sanctions"));
        finding(e, o, o->def->severity, 0, NULL, "the consequences of misuse are not stated");
        return;
    }
    int s = keep_acts(e, o, ACT_CONSEQUENCE, 0);
    set_evidence(o, s >= 0 ? sentence_evidence(&e->sent[s]) : xstrdup("no sanctions"));
    if (s < 0)
        missing_finding(e, o, DRAFT_HOME_AFTER_RULES, "%s",
                        "the consequences of misuse are not stated");
}

/* A date as it reads: "1 September 2026", or "September 2026" when only the
 * month is known (day 0, from a draft's text). */
static void date_text(aupc_date d, char *buf, size_t size)
{
    if (d.day)
        profile_date_long(d, buf, size);
    else {
        profile_date_long((aupc_date){d.year, d.month, 1}, buf, size);
        memmove(buf, buf + 2, strlen(buf + 2) + 1);
    }
}

/* The last day a date of month precision stands for. */
static aupc_date month_end(aupc_date d)
{
    if (d.day)
        return d;
    return (aupc_date){d.year, d.month, days_in_month(d.year, d.month)};
}

static void check_review(engine *e, principle_outcome *o)
{
    int cycle = e->in->cycle_months;
    if (!cycle && e->compiled)
        cycle = e->in->prof->review.cycle_months;
    if (!cycle && e->lim)
        cycle = e->lim->review_months;
    if (!cycle)
        cycle = 12;
    aupc_date today = e->in->today, ap = e->d->approved, next = e->d->next_review;
    /* a draft that prints one of its dates implies the other by the cycle */
    bool derived_ap = false, derived_next = false;
    if (!e->compiled && (e->in->approved_line || e->in->next_line)) {
        if (!date_set(ap) && date_set(next)) {
            ap = principles_add_months(next, -cycle);
            derived_ap = true;
        } else if (date_set(ap) && !date_set(next)) {
            next = principles_add_months(ap, cycle);
            derived_next = true;
        }
    }
    char a[40] = "", n[40] = "", t[40] = "", lim[40] = "";
    profile_date_long(today, t, sizeof t);
    if (date_set(ap))
        date_text(ap, a, sizeof a);
    if (date_set(next))
        date_text(next, n, sizeof n);
    set_evidence(o, xasprintf("approved %s%s, next review %s%s (%d-month cycle; today %s)",
                              *a ? a : "(none)", derived_ap ? " (by the cycle)" : "",
                              *n ? n : "(none)", derived_next ? " (by the cycle)" : "", cycle, t));
    const char *where = e->compiled ? "the profile's <review>" : "the aupc comment";
    int ap_line = e->in->approved_line, next_line = e->in->next_line;
    const char *ap_text = NULL, *next_text = NULL;
    if (e->in->draft) {
        for (size_t i = 0; i < e->nsent; i++) {
            if (e->sent[i].line == ap_line && !ap_text)
                ap_text = e->sent[i].text;
            if (e->sent[i].line == next_line && !next_text)
                next_text = e->sent[i].text;
        }
    }
    if (!date_set(ap)) {
        finding(e, o, o->def->severity, 0, NULL, "no approval date; record one in %s", where);
    } else if (!derived_ap) {
        aupc_date due = principles_add_months(month_end(ap), cycle);
        if (!ap.day)
            due = month_end((aupc_date){due.year, due.month, 0});
        if (principles_date_cmp(due, today) < 0) {
            profile_date_long(due, lim, sizeof lim);
            finding(e, o, o->def->severity, derived_ap ? next_line : ap_line,
                    derived_ap ? next_text : ap_text,
                    "approved on %s, more than %d months before %s; a review was due by %s", a,
                    cycle, t, lim);
        }
    }
    if (!date_set(next)) {
        finding(e, o, o->def->severity, 0, NULL, "no next-review date; record one in %s", where);
        return;
    }
    bool months = !ap.day || !next.day;
    int gap = (next.year - ap.year) * 12 + (next.month - ap.month);
    if (principles_date_cmp(month_end(next), today) < 0)
        finding(e, o, o->def->severity, derived_next ? ap_line : next_line,
                derived_next ? ap_text : next_text, "the next review was due on %s", n);
    else if (date_set(ap) && (months ? gap > cycle
                                     : principles_date_cmp(next, principles_add_months(ap, cycle)) > 0))
        finding(e, o, o->def->severity, next_line, next_text,
                "the next review (%s) is more than %d months after approval (%s)", n, cycle, a);
}

static void check_communicated(engine *e, principle_outcome *o)
{
    if (e->compiled) {
        const profile_tell *t = profile_tell_for(e->in->prof, e->d->kind);
        doc_tag_kind k = TAG_SIGNATURE;
        size_t sig = count_tags(e, tag_kind_is, &k, NULL);
        if (t || sig) {
            set_evidence(o, xasprintf("%s%s%s%s", t ? "told via " : "", t && t->via ? t->via : "",
                                      t && sig ? "; " : "", sig ? "signature block" : ""));
            return;
        }
        set_evidence(o, xstrdup("no channel and no signature"));
        finding(e, o, o->def->severity, 0, NULL,
                "the profile says nothing about how %s are told, and the document has no signature block",
                audience_kind_at(e->d->kind)->name);
        return;
    }
    const draft_facts *dr = e->in->draft;
    int first = -1;
    for (size_t i = 0; i < dr->units.count; i++) {
        const unit_class *k = &dr->cls[i];
        bool ack = k->acts & ACT_ACKNOWLEDGES;
        if (!ack && !(k->marks & (1u << MARK_COMMUNICATION)))
            continue;
        if (!ack && !draft_is_body(dr, i))
            continue;
        if (first < 0)
            first = (int)i;
        keep_unit(e, o, (int)i, ack ? ACT_ACKNOWLEDGES : 0, MARK_COMMUNICATION);
    }
    set_evidence(o, first >= 0 ? sentence_evidence(&e->sent[first]) : xstrdup("nothing found"));
    if (first < 0)
        missing_finding(e, o, DRAFT_HOME_END, "%s",
                        "the draft does not say how readers are told about it or acknowledge it "
                        "(a signature block, induction, the home-school agreement...)");
}

static const profile_audience *audience_of(const engine *e)
{
    const profile *p = e->in->prof;
    for (size_t i = 0; i < p->naudiences; i++)
        if (e->d->audience_id && !strcmp(p->audiences[i].id, e->d->audience_id))
            return &p->audiences[i];
    return NULL;
}

static void check_core(engine *e, size_t index)
{
    const statement *s = &e->lib->items[index];
    const principle_def *tmpl = principles_find(e->ps, "core");
    char *id = xasprintf("core-%s", s->id);
    principle_outcome *o = add_outcome(e, id, tmpl);
    free(id);
    free(o->title);
    o->title = xasprintf("Core statement '%s'", s->id);
    if (e->compiled) {
        for (const doc_tag *t = e->d->tags; t; t = t->next) {
            if (t->kind != TAG_STATEMENT || !t->stmt)
                continue;
            if (!strcmp(t->stmt->id, s->id)) {
                set_evidence(o, xasprintf("statement %s included", s->id));
                return;
            }
            if (statement_carries(t->stmt, e->d->audience_id, s->id)) {
                set_evidence(o, xasprintf("said by statement %s", t->stmt->id));
                return;
            }
        }
        const profile_audience *a = audience_of(e);
        if (a && !select_conditions_hold(s, e->in->prof, a)) {
            o->status = OUTCOME_NOT_APPLICABLE;
            set_evidence(o, xstrdup("not required: its conditions do not hold for this setting"));
            return;
        }
        set_evidence(o, xstrdup("missing"));
        finding(e, o, tmpl->severity, 0, NULL,
                "the core statement '%s' is missing (excluded in the profile?)", s->id);
        return;
    }
    const sentence *hit = e->core_hit ? e->core_hit[index] : statement_sentence(e, s);
    if (hit) {
        set_evidence(o, sentence_evidence(hit));
        return;
    }
    /* A draft cannot say whether the setting meets the statement's
       conditions (enhanced monitoring, say): a note, not a warning. */
    bool conditional = s->audiences || s->devices || s->pupil_devices || s->provides ||
                       s->monitoring || s->kinds;
    diag_severity sev = conditional ? DIAG_NOTE : tmpl->severity;
    set_evidence(o, xstrdup("missing"));
    strbuf phrases = {0};
    for (size_t k = 0; k < s->ndetect && k < 3; k++)
        sb_printf(&phrases, "%s\"%s\"", k ? ", " : "", s->detect[k]);
    finding(e, o, sev, 0, NULL,
            "the idea of core statement '%s' is missing (no sentence mentions %s%s)%s", s->id,
            phrases.data ? phrases.data : "it", s->ndetect > 3 ? "..." : "",
            conditional ? "; it applies only to settings that meet its conditions" : "");
    if (conditional)
        o->status = OUTCOME_NOT_APPLICABLE;
    sb_free(&phrases);
}

static int diag_line_cmp(const diag *a, const diag *b)
{
    return a->line - b->line;
}

static void sort_diags(diag_list *l)
{
    /* insertion sort: stable, and the lists are short */
    for (size_t i = 1; i < l->count; i++) {
        diag d = l->items[i];
        size_t j = i;
        while (j > 0 && diag_line_cmp(&l->items[j - 1], &d) > 0) {
            l->items[j] = l->items[j - 1];
            j--;
        }
        l->items[j] = d;
    }
}

/* ---- words that do not belong: voice and setting words ---- */

char *principles_block_text(cmark_node *block)
{
    strbuf b = {0};
    cmark_iter *it = cmark_iter_new(block);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            sb_puts(&b, cmark_node_get_literal(n));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            sb_puts(&b, " ");
    }
    cmark_iter_free(it);
    return b.data ? b.data : xstrdup("");
}

/* Whole-word: "class" is not found in "classic". */
bool principles_words_in(const char *text, const char *phrase)
{
    size_t n = strlen(phrase);
    int first = tolower((unsigned char)phrase[0]);
    for (const char *p = text; *p; p++) {
        /* the first letter before the whole phrase: this runs for every
           phrase over every paragraph of every document checked */
        if ((n && tolower((unsigned char)*p) != first) || strncasecmp(p, phrase, n) != 0)
            continue;
        bool start = p == text || !isalnum((unsigned char)p[-1]);
        bool end = !isalnum((unsigned char)p[n]) && p[n] != '\'';
        if (start && end)
            return true;
    }
    return false;
}

char *principles_block_source(cmark_node *n)
{
    static const char *const names[] = {
        [TAG_SANCTIONS] = "the profile's sanctions steps",
        [TAG_CONTACTS_MAP] = "the local contacts annex", [TAG_CONSENT] = "the image consent form",
        [TAG_SIGNATURE] = "the signature block", [TAG_FLOWCHART] = "the incident flowchart",
        [TAG_ANNEX] = "an annex",
    };
    for (cmark_node *p = n; p; p = cmark_node_parent(p)) {
        const doc_tag *t = document_tag_of(p);
        if (t && t->kind == TAG_STATEMENT && t->stmt)
            return xasprintf("statement %s", t->stmt->id);
        if (t && t->kind < sizeof names / sizeof *names && names[t->kind])
            return xstrdup(names[t->kind]);
    }
    return xstrdup("the template");
}

/* The setting's own words (names, titles, addresses) and annexes. */
bool principles_block_skipped(cmark_node *n)
{
    for (cmark_node *p = n; p; p = cmark_node_parent(p)) {
        const doc_tag *t = document_tag_of(p);
        if (t && (t->kind == TAG_CONTACTS || t->kind == TAG_SIGNATURE || t->kind == TAG_ANNEX ||
                  t->kind == TAG_FLOWCHART || t->kind == TAG_CONSENT))
            return true;
        if (cmark_node_get_type(p) == CMARK_NODE_LINK)
            return true;
    }
    return false;
}

/* Words the setting put there itself: its contacts' names and titles, and
 * the titles of its policies (link text). */
static bool own_words(cmark_node *n)
{
    for (cmark_node *p = n; p; p = cmark_node_parent(p)) {
        const doc_tag *t = document_tag_of(p);
        if ((t && t->kind == TAG_CONTACTS) || cmark_node_get_type(p) == CMARK_NODE_LINK)
            return true;
    }
    return false;
}

/* Each paragraph or heading of the compiled document that holds a phrase
 * of ROLE is a finding: "WHAT ("phrase") in SOURCE: "text"". ANNEXES: the
 * annexes, forms and slips are read too. Returns how many. */
static size_t words_in_blocks(engine *e, principle_outcome *o, phrase_role role, const char *what,
                              bool annexes)
{
    size_t found = 0;
    cmark_iter *it = cmark_iter_new(e->d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_HEADING) ||
            (annexes ? own_words(n) : principles_block_skipped(n)))
            continue;
        char *text = principles_block_text(n);
        for (size_t i = 0; i < o->def->nphrases; i++) {
            const principle_phrase *ph = &o->def->phrases[i];
            if (ph->role != role || !principles_words_in(text, ph->text))
                continue;
            char *src = principles_block_source(n);
            finding(e, o, o->def->severity, 0, NULL, "%s (\"%s\") in %s: \"%s\"", what,
                    ph->text, src, text);
            free(src);
            found++;
            break;
        }
        free(text);
    }
    cmark_iter_free(it);
    return found;
}

/* A first-person document never addresses its reader as "you"; an adult's
 * easy read never speaks as the child; a student past 16 is never one of
 * the "children". Only a compiled document knows where its words came from. */
static void check_voice(engine *e, principle_outcome *o)
{
    bool easy = false;
    const audience_info *a = e->d->audience_id ? audience_find(e->d->audience_id, &easy) : NULL;
    if (!e->compiled || !a) {
        o->status = OUTCOME_NOT_APPLICABLE;
        set_evidence(o, xstrdup("a draft: its voice is not checked"));
        return;
    }
    size_t n = 0;
    const char *voice = "second person";
    if (a->voice == VOICE_FIRST_PERSON || (easy && a->kind == AUD_PUPIL)) {
        voice = "first person";
        n += words_in_blocks(e, o, PHRASE_SECOND_PERSON, "a first-person document says", false);
    }
    if (easy && a->kind != AUD_PUPIL) {
        voice = "an adult's first person";
        n += words_in_blocks(e, o, PHRASE_CHILD_VOICE,
                             "an adult's easy read speaks as a child", false);
    }
    if (a->band == BAND_POST16)
        n += words_in_blocks(e, o, PHRASE_CHILDREN, "a post-16 document says", false);
    if (!n)
        set_evidence(o, xasprintf("%s throughout", voice));
    else
        set_evidence(o, xasprintf("%zu slip%s of voice", n, n == 1 ? "" : "s"));
}

/* A youth service, library or children's service has young people and
 * sessions: never pupils, lessons, classes, governors or directed time. */
static void check_setting_words(engine *e, principle_outcome *o)
{
    const profile *p = e->in->prof;
    if (!e->compiled || (p->kind != KIND_YOUTH_SERVICE && p->kind != KIND_LIBRARY &&
                         p->kind != KIND_CHILDREN_SERVICES)) {
        o->status = OUTCOME_NOT_APPLICABLE;
        set_evidence(o, xstrdup(e->compiled ? "a school's words suit a school"
                                            : "a draft: its setting is not known"));
        return;
    }
    size_t n = words_in_blocks(e, o, PHRASE_SCHOOL_WORD, "a school's word", true);
    set_evidence(o, n ? xasprintf("%zu school word%s", n, n == 1 ? "" : "s")
                      : xasprintf("the words of a %s throughout", profile_setting_noun(p->kind)));
}

/* The documents of one setting are compared with each other by
 * consistent_check (consistent.h) once all are checked; alone, a document
 * only says that it waits for them. */
static void check_consistent(engine *e, principle_outcome *o)
{
    if (!e->compiled) {
        o->status = OUTCOME_NOT_APPLICABLE;
        set_evidence(o, xstrdup("a draft: only the documents of a compiled setting are compared"));
        return;
    }
    set_evidence(o, xstrdup("not compared with the setting's other documents"));
}

/* A value `aupc init` wrote as an example, still in the document: a DSL
 * called "Ms A Example" or an address at example.org would be printed and
 * signed. For a compiled document, each such value of the profile that the
 * text shows, at its line in the profile; for a draft, each sentence that
 * holds one (a sentence that starts "Example" is a heading word, not a
 * value). */
static void check_placeholder(engine *e, principle_outcome *o)
{
    size_t n = 0;
    const profile *p = e->in->prof;
    if (e->compiled) {
        for (size_t i = 0; p && i < p->nplaceholders; i++) {
            const profile_placeholder *ph = &p->placeholders[i];
            char *low = lower_dup(ph->value);
            bool shown = e->alltext && strstr(e->alltext, low);
            free(low);
            if (!shown)
                continue;
            n++;
            finding(e, o, o->severity, ph->line, NULL,
                    "'%s' (%s%s<%s>) is still an example from aupc init: replace it with your "
                    "own", ph->value, ph->attr ? ph->attr : "", ph->attr ? "= on " : "",
                    ph->element);
        }
    } else {
        /* every example value holds one of these, whatever its case: only
           the sentences that do are read closely */
        bool *maybe = xcalloc(e->nsent ? e->nsent : 1, sizeof *maybe);
        mark_holding(e, "example", maybe);
        mark_holding(e, "01632 960000", maybe);
        for (size_t i = 0; i < e->nsent; i++) {
            const sentence *st = &e->sent[i];
            if (maybe[i] && strncmp(st->text, "Example", 7) != 0 &&
                profile_is_placeholder(st->text)) {
                n++;
                char *q = sentence_evidence(st);
                finding(e, o, o->severity, st->line, st->text, "an example value is left in: %s",
                        q);
                free(q);
            }
        }
        free(maybe);
    }
    set_evidence(o, n ? xasprintf("%zu example value%s left in", n, n == 1 ? "" : "s")
                      : xstrdup("no example values from aupc init"));
}

/* An easy-read document is read sentence by sentence by easyread_check
 * (easyread.h) when its setting is checked; alone, it only says so. */
static void check_easy_read(engine *e, principle_outcome *o)
{
    if (!e->compiled || e->d->reading != READING_EASY) {
        o->status = OUTCOME_NOT_APPLICABLE;
        set_evidence(o, xstrdup(e->compiled ? "not an easy-read document"
                                            : "a draft: its sentences are read by tone"));
        return;
    }
    set_evidence(o, xstrdup("its sentences not yet read"));
}

/* ---- the registry ---- */

static void check_school_tech(engine *e, principle_outcome *o)
{
    check_tech(e, o, "the setting's technology");
}

static void check_personal_tech(engine *e, principle_outcome *o)
{
    check_tech(e, o, "personal technology");
}

/* Every principle a report covers, in its order: the id of its <principle>
 * in statements/principles.xml and the function that checks a document
 * against it. A new principle is a row here, its check above and its
 * <principle> in principles.xml. */
static const struct {
    const char *id;
    void (*check)(engine *e, principle_outcome *o);
} registry[] = {
    {"concise", check_concise},
    {"setting", check_setting},
    {"input", check_input},
    {"tone", check_tone},
    {"positive", check_positive},
    {"school-tech", check_school_tech},
    {"personal-tech", check_personal_tech},
    {"monitoring", check_monitoring},
    {"sanctions", check_sanctions},
    {"review", check_review},
    {"communicated", check_communicated},
    {"voice", check_voice},
    {"setting-words", check_setting_words},
    {"consistent", check_consistent},
    {"placeholder", check_placeholder},
    {"easy-read", check_easy_read},
};
enum { NREGISTRY = sizeof registry / sizeof registry[0] };

static bool registry_has(const char *id)
{
    for (size_t i = 0; i < NREGISTRY; i++)
        if (!strcmp(registry[i].id, id))
            return true;
    return false;
}

/* Each principle of the registry is defined in FILE, and each defined there
 * (but the core template) is checked. */
static void registry_check_defined(const principle_set *ps, const char *file, diag_list *diags)
{
    for (size_t i = 0; i < NREGISTRY; i++)
        if (!principles_find(ps, registry[i].id))
            diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "principle '%s' is not defined",
                     registry[i].id);
    for (size_t i = 0; i < ps->ndefs; i++)
        if (strcmp(ps->defs[i].id, "core") && !registry_has(ps->defs[i].id))
            diag_add(diags, DIAG_ERROR, file, 0, 0, NULL,
                     "principle '%s' has no check: add it to the registry in src/principles.c",
                     ps->defs[i].id);
}

/* The sentence that says each core statement, looked for while the
 * layout of a long draft is still being made: a search of the whole
 * draft's text per statement, some milliseconds in all. */
static void find_core_hits(engine *e)
{
    if (!e->lib)
        return;
    e->core_hit = xcalloc(e->lib->count ? e->lib->count : 1, sizeof *e->core_hit);
    for (size_t i = 0; i < e->lib->count; i++)
        if (e->lib->items[i].core && !e->lib->items[i].custom)
            e->core_hit[i] = statement_sentence(e, &e->lib->items[i]);
}

static void sentences_of(void *arg)
{
    engine_sentences(arg);
    find_core_hits(arg);
}

/* measure_concise on a thread of its own, which keeps no libharu
 * document for later when it ends */
static void measure_on_thread(void *arg)
{
    measure_concise(arg);
    ts_thread_done();
}

/* The sentences and, for a long draft, the layout check_concise reads at
 * once: the layout cuts the tree for a while, and the sentences of a draft
 * are its units, which never look at the tree. */
static void sentences_and_layout(engine *e)
{
    if (e->compiled || !e->in->draft || e->in->source_len < PAR_MIN_BYTES) {
        engine_sentences(e);
        return;
    }
    e->measured = xcalloc(1, sizeof *e->measured);
    e->measured->e = e;
    par_both(sentences_of, e, measure_on_thread, e->measured);
}

int principles_check(const principle_set *ps, const library *lib, const document *d,
                     const principle_input *in, principle_report *report)
{
    engine e = {.ps = ps, .lib = lib, .d = d, .in = in, .r = report,
                .compiled = in->prof != NULL};
    report->file = xstrdup(in->file ? in->file : "");
    report->audience = d->audience_id ? xstrdup(d->audience_id) : NULL;
    report->approved = d->approved;
    report->next_review = d->next_review;
    e.lim = d->audience_id ? principles_limits_for(ps, d->audience_id) : NULL;
    if (!e.compiled)
        index_lines(&e);
    sentences_and_layout(&e);
    for (size_t i = 0; i < NREGISTRY; i++) {
        const principle_def *def = principles_find(ps, registry[i].id);
        registry[i].check(&e, add_outcome(&e, registry[i].id, def));
    }
    for (size_t i = 0; lib && i < lib->count; i++)
        if (lib->items[i].core && !lib->items[i].custom)
            check_core(&e, i);
    sort_diags(&report->diags);
    for (size_t i = 0; !in->draft && i < e.nsent; i++)
        free(e.sent[i].lower);
    free(e.sent);
    free(e.alltext);
    free(e.line_start);
    free(e.measured);
    free(e.core_hit);
    readability_report_free(&e.read);
    return e.failed ? -1 : 0;
}

principle_outcome *principle_report_find(principle_report *r, const char *id)
{
    for (size_t i = 0; i < r->noutcomes; i++)
        if (!strcmp(r->outcomes[i].id, id))
            return &r->outcomes[i];
    return NULL;
}

void principle_report_free(principle_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->noutcomes; i++) {
        free(r->outcomes[i].id);
        free(r->outcomes[i].evidence);
        free(r->outcomes[i].title);
        free(r->outcomes[i].waiver);
        for (size_t k = 0; k < r->outcomes[i].nunits; k++) {
            free(r->outcomes[i].units[k].text);
            free(r->outcomes[i].units[k].act);
            free(r->outcomes[i].units[k].why);
        }
        free(r->outcomes[i].units);
    }
    free(r->outcomes);
    free(r->file);
    free(r->audience);
    free(r->label);
    diag_free(&r->diags);
    memset(r, 0, sizeof *r);
}
