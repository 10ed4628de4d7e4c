#include "classify.h"
#include "classify_types.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textnorm.h"
#include "util/io.h"
#include "util/par.h"
#include "xmlload.h"

/* ---- vocabulary ---- */

static uint32_t hash_word(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int vocab_find(const classifier *c, const char *s, size_t n)
{
    if (!c->tablesize)
        return -1;
    size_t mask = c->tablesize - 1;
    for (size_t h = hash_word(s, n) & mask;; h = (h + 1) & mask) {
        int v = c->table[h];
        if (!v)
            return -1;
        const vocab_entry *e = &c->vocab[v - 1];
        if (e->len == n && !memcmp(e->text, s, n))
            return v - 1;
    }
}

static void rehash(classifier *c, size_t size)
{
    free(c->table);
    c->tablesize = size;
    c->table = xcalloc(size, sizeof *c->table);
    for (size_t i = 0; i < c->nvocab; i++) {
        const char *t = c->vocab[i].text;
        size_t h = hash_word(t, strlen(t)) & (size - 1);
        while (c->table[h])
            h = (h + 1) & (size - 1);
        c->table[h] = (int)i + 1;
    }
}

static int vocab_add(classifier *c, const char *s, size_t n)
{
    int v = vocab_find(c, s, n);
    if (v >= 0)
        return v;
    if (c->nvocab == c->capvocab) {
        c->capvocab = c->capvocab ? c->capvocab * 2 : 256;
        c->vocab = xrealloc(c->vocab, c->capvocab * sizeof *c->vocab);
    }
    vocab_entry *e = &c->vocab[c->nvocab++];
    memset(e, 0, sizeof *e);
    e->text = xstrndup(s, n);
    e->len = n;
    if (c->nvocab * 2 > c->tablesize)
        rehash(c, c->tablesize ? c->tablesize * 2 : 1024);
    else {
        size_t h = hash_word(s, n) & (c->tablesize - 1);
        while (c->table[h])
            h = (h + 1) & (c->tablesize - 1);
        c->table[h] = (int)c->nvocab;
    }
    return (int)c->nvocab - 1;
}

/* ---- loading ---- */

/* Marks that only qualify another (combine, settle_channel): a limit
 * tells only whether a ban is total ("No phones in lessons"), that the
 * rules were written together tells only whether a channel named is how
 * readers are told, and what a clause says will be done is an outcome
 * only after a misuse named, or a condition that may turn out to name one
 * (restated_rule). A rule that sets nothing but such a mark is tried
 * once the mark it qualifies is found, so the rules that find that mark
 * come first (the loader holds them to it). */
static const struct {
    unsigned mark, qualifies;
} qualifier[] = {
    {1u << MARK_LIMIT, 1u << MARK_BAN},
    {1u << MARK_AUTHORED, 1u << MARK_CHANNEL},
    {1u << MARK_OUTCOME_SAID, (1u << MARK_CONDITION) | (1u << MARK_SUPPOSE)},
};
enum { NQUALIFIERS = sizeof qualifier / sizeof qualifier[0] };

/* The mark a rule that sets only mark R->marks qualifies, or 0. */
static unsigned qualified_by(const rule *r)
{
    if (r->act || r->readers || r->topics)
        return 0;
    for (size_t q = 0; q < NQUALIFIERS; q++)
        if (r->marks == qualifier[q].mark)
            return qualifier[q].qualifies;
    return 0;
}

typedef struct {
    classifier *c;
    const char *file;
    diag_list *diags;
    int line;
    const char *rule_id;
    bool failed;
    unsigned qualified;  /* marks qualified by a rule read already */
} loader;

static void load_error(loader *ld, const char *fmt, const char *arg)
{
    char *msg = xasprintf(fmt, arg);
    if (ld->rule_id)
        diag_add(ld->diags, DIAG_ERROR, ld->file, ld->line, 0, NULL, "rule '%s': %s", ld->rule_id,
                 msg);
    else
        diag_add(ld->diags, DIAG_ERROR, ld->file, ld->line, 0, NULL, "%s", msg);
    free(msg);
    ld->failed = true;
}

static int list_find(const classifier *c, const char *id, size_t n)
{
    for (size_t i = 0; i < c->nlists; i++)
        if (strlen(c->lists[i].id) == n && !memcmp(c->lists[i].id, id, n))
            return (int)i;
    return -1;
}

/* The contraction word W (N bytes) opens, or NULL; *BASE is how much of W
 * stays a word of its own (0 for a whole-word contraction). *ID is W's
 * vocabulary id when this looked it up, else VOCAB_UNSEEN. */
enum { VOCAB_UNSEEN = -2 };

static const contraction *contraction_for(const classifier *c, const char *w, size_t n,
                                          size_t *base, int *id)
{
    *id = VOCAB_UNSEEN;
    if (!memchr(w, '\'', n)) {
        /* only whole words ("cannot") open without an apostrophe */
        int v = *id = vocab_find(c, w, n);
        if (v < 0 || !c->vocab[v].contraction)
            return NULL;
        *base = 0;
        return &c->contr[c->vocab[v].contraction - 1];
    }
    for (size_t i = 0; i < c->ncontr; i++) {
        const contraction *k = &c->contr[i];
        size_t fl = strlen(k->from);
        if (!k->suffix && fl == n && !memcmp(w, k->from, n)) {
            *base = 0;
            return k;
        }
        if (k->suffix && n > fl && !memcmp(w + n - fl, k->from, fl)) {
            *base = n - fl;
            return k;
        }
    }
    return NULL;
}

/* The words W (N bytes of folded text) reads as, added to the vocabulary:
 * itself, or what its contraction opens into. */
static size_t word_ids(classifier *c, const char *w, size_t n, int *ids, size_t max)
{
    size_t base, k = 0;
    int id;
    const contraction *t = contraction_for(c, w, n, &base, &id);
    if (!t) {
        if (max)
            ids[k++] = vocab_add(c, w, n);
        return k;
    }
    if (base && k < max)
        ids[k++] = vocab_add(c, w, base);
    for (size_t j = 0; j < 3 && t->to[j] >= 0 && k < max; j++)
        ids[k++] = t->to[j];
    return k;
}

/* Words of TERM (a list entry or contraction), folded and split as drafts are. */
static size_t term_words(classifier *c, const char *term, int *ids, size_t max, bool open)
{
    size_t n = strlen(term), pos = 0, a, b, k = 0;
    char *folded = xmalloc(n + 1);
    size_t fn = textnorm_fold(term, n, folded);
    textnorm_kind kind;
    while ((kind = textnorm_next(folded, fn, &pos, &a, &b)) != TEXTNORM_END && k < max) {
        if (open && kind == TEXTNORM_WORD)
            k += word_ids(c, folded + a, b - a, ids + k, max - k);
        else
            ids[k++] = vocab_add(c, folded + a, b - a);
    }
    free(folded);
    return k;
}

static void add_term(loader *ld, int list, char *term)
{
    classifier *c = ld->c;
    size_t n = strlen(term);
    if (n == 0)
        return;
    uint64_t bit = (uint64_t)1 << list;
    if (term[0] == '-') {
        int v = vocab_add(c, term + 1, n - 1);   /* may move c->vocab */
        c->vocab[v].excluded |= bit;
        return;
    }
    if (term[0] == '*' || term[n - 1] == '*') {
        bool suffix = term[0] == '*';
        c->wild = xrealloc(c->wild, (c->nwild + 1) * sizeof *c->wild);
        wildcard *w = &c->wild[c->nwild++];
        w->affix = suffix ? xstrdup(term + 1) : xstrndup(term, n - 1);
        w->len = n - 1;
        w->list = list;
        w->suffix = suffix;
        return;
    }
    int ids[16];
    size_t k = term_words(c, term, ids, 16, true);
    if (k == 0)
        return;
    if (k == 1) {
        c->vocab[ids[0]].lists |= bit;
        return;
    }
    word_list *l = &c->lists[list];
    l->multi = xrealloc(l->multi, (l->nmulti + 1) * sizeof *l->multi);
    multi_entry *m = &l->multi[l->nmulti++];
    m->n = k;
    m->words = xmalloc(k * sizeof *m->words);
    memcpy(m->words, ids, k * sizeof *ids);
    c->vocab[ids[0]].multi |= bit;
}

static void load_list(loader *ld, xmlNodePtr n)
{
    classifier *c = ld->c;
    char *id = xmlload_attr(n, "id");
    if (c->nlists == MAX_LISTS) {
        load_error(ld, "more than 64 word lists (at '%s')", id);
        free(id);
        return;
    }
    if (list_find(c, id, strlen(id)) >= 0)
        load_error(ld, "list '%s' is defined twice", id);
    int li = (int)c->nlists++;
    c->lists[li].id = id;
    char *text = xmlload_text(n);
    char *save = NULL;
    const char **seen = NULL;   /* the entries so far: one twice is a slip */
    size_t nseen = 0;
    for (char *t = strtok_r(text, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ' || *t == '\n')
            t++;
        size_t e = strlen(t);
        while (e && (t[e - 1] == ' ' || t[e - 1] == '\n'))
            t[--e] = '\0';
        for (size_t j = 0; j < nseen; j++)
            if (!strcmp(seen[j], t)) {
                char *what = xasprintf("'%s' in list '%s'", t, id);
                load_error(ld, "%s is there twice", what);
                free(what);
            }
        seen = xgrow(seen, nseen, sizeof *seen);
        seen[nseen++] = t;
        add_term(ld, li, t);
    }
    free(seen);
    free(text);
}

static void load_contraction(loader *ld, xmlNodePtr n)
{
    classifier *c = ld->c;
    char *word = xmlload_attr(n, "word"), *suffix = xmlload_attr(n, "suffix");
    char *text = xmlload_text(n);
    if (!word == !suffix) {
        load_error(ld, "a contraction needs a word or a suffix%s", "");
    } else {
        c->contr = xrealloc(c->contr, (c->ncontr + 1) * sizeof *c->contr);
        contraction *k = &c->contr[c->ncontr++];
        k->from = word ? word : suffix;
        k->suffix = suffix != NULL;
        if (word) {
            int v = vocab_add(c, word, strlen(word));   /* may move c->vocab */
            c->vocab[v].contraction = (int)c->ncontr;
        }
        word = suffix = NULL;
        int ids[3];
        size_t m = term_words(c, text, ids, 2, false);
        for (size_t i = 0; i < 3; i++)
            k->to[i] = i < m ? ids[i] : -1;
        if (k->suffix && m != 1)
            load_error(ld, "a suffix contraction becomes one word, not '%s'", text);
    }
    free(word);
    free(suffix);
    free(text);
}

/* ---- patterns ---- */

typedef struct {
    loader *ld;
    const char *p;
} parser;

static void seq_free(seq *s);

static void element_free(element *e)
{
    for (size_t i = 0; i < e->nalts; i++)
        seq_free(&e->alts[i]);
    free(e->alts);
    free(e->set);
    free(e->byword);
    free(e->others);
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void index_choices(element *e);

/* Move the choices of E that are one plain word into its sorted set: one
 * look-up instead of a try for each. */
static void gather_words(element *e)
{
    size_t k = 0;
    for (size_t j = 0; j < e->nalts; j++) {
        seq *a = &e->alts[j];
        if (a->n == 1 && a->els[0].kind == EL_WORD && !a->els[0].optional) {
            e->set = xrealloc(e->set, (e->nset + 1) * sizeof *e->set);
            e->set[e->nset++] = a->els[0].arg;
            seq_free(a);
            continue;
        }
        e->alts[k++] = *a;
    }
    e->nalts = k;
    if (e->nset)
        qsort(e->set, e->nset, sizeof *e->set, int_cmp);
    index_choices(e);
}

/* What the choices of E can start with (see element). */
static void index_choices(element *e)
{
    for (size_t j = 0; j < e->nset; j++)
        e->first_words |= (uint64_t)1 << (e->set[j] % 64);
    for (size_t j = 0; j < e->nalts; j++) {
        const element *f = e->alts[j].n ? &e->alts[j].els[0] : NULL;
        bool word = f && !f->optional && f->kind == EL_WORD;
        if (word)
            e->first_words |= (uint64_t)1 << (f->arg % 64);
        else if (f && !f->optional && f->kind == EL_LIST)
            e->first_lists |= (uint64_t)1 << f->arg;
        else
            e->any_first = true;
        if (word) {
            e->byword = xgrow(e->byword, e->nbyword, sizeof *e->byword);
            e->byword[e->nbyword++] = (uint64_t)(uint32_t)f->arg << 32 | j;
        } else {
            e->others = xgrow(e->others, e->nothers, sizeof *e->others);
            e->others[e->nothers++] = (uint32_t)j;
        }
    }
    if (e->nbyword)
        qsort(e->byword, e->nbyword, sizeof *e->byword, u64_cmp);
}

/* The branches of choice E that start with word ID: E->byword[*FROM, *TO). */
static void branches_starting(const element *e, int id, size_t *from, size_t *to)
{
    uint64_t key = (uint64_t)(uint32_t)id << 32;
    size_t lo = 0, hi = e->nbyword;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->byword[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = *to = lo;
    while (*to < e->nbyword && (e->byword[*to] >> 32) == (uint32_t)id)
        (*to)++;
}

/* Does every match of S start at the start of the unit: a ^, or a choice
 * each of whose branches does? */
static bool starts_anchored(const seq *s)
{
    if (s->n == 0 || s->els[0].optional)
        return false;
    const element *e = &s->els[0];
    if (e->kind == EL_START)
        return true;
    if (e->kind != EL_ALT || e->nset || e->nalts == 0)
        return false;
    for (size_t j = 0; j < e->nalts; j++)
        if (!starts_anchored(&e->alts[j]))
            return false;
    return true;
}

static void seq_free(seq *s)
{
    for (size_t i = 0; i < s->n; i++)
        element_free(&s->els[i]);
    free(s->els);
    s->els = NULL;
    s->n = 0;
}

static void skip_spaces(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t')
        ps->p++;
}

static bool word_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '\'' || ch == '-' ||
           ch == '.';
}

static seq parse_seq(parser *ps);

/* Is S a phrase: words that must all come, in order? */
static void seq_index(seq *s)
{
    s->phrase = s->n > 0;
    for (size_t i = 0; i < s->n && s->phrase; i++)
        s->phrase = s->els[i].kind == EL_WORD && !s->els[i].optional;
}

static bool parse_atom(parser *ps, element *e)
{
    classifier *c = ps->ld->c;
    memset(e, 0, sizeof *e);
    char ch = *ps->p;
    if (ch == '^' || ch == '$') {
        e->kind = ch == '^' ? EL_START : EL_END;
        ps->p++;
    } else if (ch == '~') {
        ps->p++;
        e->kind = EL_GAP;
        e->arg = 0;
        while (*ps->p >= '0' && *ps->p <= '9')
            e->arg = e->arg * 10 + (*ps->p++ - '0');
        if (e->arg < 1 || e->arg > 12)
            load_error(ps->ld, "a gap is ~1 to ~12%s", "");
    } else if (ch == '!' || ch == '<') {
        ps->p++;
        e->kind = ch == '!' ? EL_NOT : EL_BEFORE;
        e->alts = xcalloc(1, sizeof *e->alts);
        e->nalts = 1;
        element inner;
        if (!parse_atom(ps, &inner)) {
            load_error(ps->ld, "nothing after '!'%s", "");
            return true;
        }
        e->alts[0].els = xmalloc(sizeof inner);
        e->alts[0].els[0] = inner;
        e->alts[0].n = 1;
        seq_index(&e->alts[0]);
    } else if (ch == '(') {
        ps->p++;
        e->kind = EL_ALT;
        for (;;) {
            seq s = parse_seq(ps);
            e->alts = xrealloc(e->alts, (e->nalts + 1) * sizeof *e->alts);
            e->alts[e->nalts++] = s;
            if (*ps->p == '|') {
                ps->p++;
                continue;
            }
            if (*ps->p == ')') {
                ps->p++;
                break;
            }
            load_error(ps->ld, "unclosed '('%s", "");
            break;
        }
        gather_words(e);
    } else if (ch == '@') {
        const char *a = ++ps->p;
        while (word_char(*ps->p))
            ps->p++;
        e->kind = EL_LIST;
        e->arg = list_find(c, a, (size_t)(ps->p - a));
        if (e->arg < 0) {
            char *name = xstrndup(a, (size_t)(ps->p - a));
            load_error(ps->ld, "unknown list '@%s' (lists must come before the rules using them)",
                       name);
            free(name);
            e->arg = 0;
        }
    } else if (ch == ',' || ch == ':' || ch == ';' || (ch == '.' && !word_char(ps->p[1]))) {
        e->kind = EL_WORD;
        e->arg = vocab_add(c, ps->p, 1);
        ps->p++;
    } else if (word_char(ch)) {
        const char *a = ps->p;
        while (word_char(*ps->p))
            ps->p++;
        int ids[4];
        size_t k = word_ids(c, a, (size_t)(ps->p - a), ids, 4);
        e->kind = EL_WORD;
        e->arg = ids[0];
        if (k > 1) {
            /* "won't" in a pattern reads "will not", as in a draft */
            e->kind = EL_ALT;
            e->alts = xcalloc(1, sizeof *e->alts);
            e->nalts = 1;
            e->alts[0].els = xcalloc(k, sizeof *e->alts[0].els);
            e->alts[0].n = k;
            for (size_t i = 0; i < k; i++)
                e->alts[0].els[i] = (element){.kind = EL_WORD, .arg = ids[i]};
            seq_index(&e->alts[0]);
            index_choices(e);
        }
    } else {
        return false;
    }
    if (*ps->p == '?') {
        e->optional = true;
        ps->p++;
    }
    return true;
}

static seq parse_seq(parser *ps)
{
    seq s = {0};
    for (;;) {
        skip_spaces(ps);
        if (!*ps->p || *ps->p == '|' || *ps->p == ')')
            break;
        element e;
        if (!parse_atom(ps, &e)) {
            char bad[2] = {*ps->p, 0};
            load_error(ps->ld, "unexpected '%s' in the pattern", bad);
            ps->p++;
            continue;
        }
        s.els = xrealloc(s.els, (s.n + 1) * sizeof *s.els);
        s.els[s.n++] = e;
    }
    seq_index(&s);
    return s;
}

/* The words and lists a match of S (from element I) can start with, into
 * WORDS (vocabulary flags) and *LISTS (both NULL: only whether there are
 * such). False when it can start with any word (a gap, a negative
 * look-ahead, or a pattern that may match nothing). A ^ is passed over;
 * with AT_START, a ^ before what can start with any word ends the search
 * and sets *AT_START instead: such a match starts where the unit does
 * ("(^|:) ~4 @doc-title" starts there or at a colon, not at any word). */
static bool first_set(const seq *s, size_t i, bool *words, uint64_t *lists, bool *at_start)
{
    for (; i < s->n; i++) {
        const element *e = &s->els[i];
        switch (e->kind) {
        case EL_WORD:
            if (words)
                words[e->arg] = true;
            break;
        case EL_LIST:
            if (lists)
                *lists |= (uint64_t)1 << e->arg;
            break;
        case EL_ALT:
            for (size_t k = 0; k < e->nset && words; k++)
                words[e->set[k]] = true;
            for (size_t k = 0; k < e->nalts; k++)
                if (!first_set(&e->alts[k], 0, words, lists, at_start))
                    return false;
            break;
        case EL_START:
            if (at_start && !e->optional && !first_set(s, i + 1, NULL, NULL, NULL)) {
                *at_start = true;
                return true;
            }
            continue;
        case EL_END:
        case EL_NOT:
        case EL_BEFORE:
            continue;
        case EL_GAP:
            return false;
        }
        if (!e->optional)
            return true;
    }
    return false;
}

static unsigned act_from(const char *s)
{
    static const char *const names[] = {"permits", "prohibits", "monitors", "consequence",
                                        "acknowledges", "informs"};
    for (unsigned i = 0; s && i < CLASSIFY_NACTS; i++)
        if (!strcmp(s, names[i]))
            return 1u << i;
    return 0;
}

static const char *const mark_names[CLASSIFY_NMARKS] = {
    "condition", "outcome", "outcome-alone", "sanctions", "follow-on", "weak", "limit", "ban",
    "restricts",
    "promotes", "messages", "communication", "consultation", "policy", "approved",
    "next-review", "easy-read", "conduct", "channel", "authored", "band", "addressee",
    "refers", "watching", "setting-will", "network", "outcome-said", "who", "advice", "request",
    "benefit", "suppose",
};
static const char *const topic_names[CLASSIFY_NTOPICS] = {
    "personal", "systems", "data", "images", "people",
};

static unsigned bits_from(const char *list, const char *const *names, size_t n)
{
    unsigned bits = 0;
    if (!list)
        return 0;
    char *copy = xstrdup(list), *save = NULL;
    for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
        for (size_t i = 0; i < n; i++)
            if (!strcmp(t, names[i]))
                bits |= 1u << i;
    free(copy);
    return bits;
}

/* A list of audience ids and kinds from the audience table, as
 * CLASSIFY_READER_KIND bits. */
static unsigned readers_from(loader *ld, const char *list)
{
    unsigned bits = 0;
    if (!list)
        return 0;
    char *copy = xstrdup(list), *save = NULL;
    for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
        bool easy = false;
        const audience_info *a = audience_find(t, &easy);
        int k = audience_kind_find(t);
        if (a && !easy)
            bits |= 1u << (a - audience_at(0));
        else if (k >= 0)
            bits |= 1u << (CLASSIFY_READER_KIND + (unsigned)k);
        else
            load_error(ld, "unknown reader '%s'", t);
    }
    free(copy);
    return bits;
}

static bool attr_true(xmlNodePtr n, const char *name)
{
    char *v = xmlload_attr(n, name);
    bool r = v && (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"));
    free(v);
    return r;
}

static bool attr_is(xmlNodePtr n, const char *name, const char *value)
{
    char *v = xmlload_attr(n, name);
    bool r = v && !strcmp(v, value);
    free(v);
    return r;
}

static void load_rule(loader *ld, xmlNodePtr n)
{
    classifier *c = ld->c;
    if (c->nrules == MAX_RULES) {
        char most[16];
        snprintf(most, sizeof most, "%d", MAX_RULES);
        load_error(ld, "more than %s rules", most);
        return;
    }
    c->rules = xrealloc(c->rules, (c->nrules + 1) * sizeof *c->rules);
    rule *r = &c->rules[c->nrules];
    memset(r, 0, sizeof *r);
    r->id = xmlload_attr(n, "id");
    r->why = xmlload_attr(n, "why");
    ld->rule_id = r->id;
    char *act = xmlload_attr(n, "act"), *marks = xmlload_attr(n, "mark");
    char *topics = xmlload_attr(n, "topic");
    r->act = act_from(act);
    r->marks = bits_from(marks, mark_names, CLASSIFY_NMARKS);
    r->topics = bits_from(topics, topic_names, CLASSIFY_NTOPICS);
    char *reader = xmlload_attr(n, "reader");
    r->readers = readers_from(ld, reader);
    free(reader);
    free(act);
    free(marks);
    free(topics);
    r->thing = attr_is(n, "scope", "thing");
    r->agent = r->thing || attr_is(n, "scope", "agent");
    r->consequent = attr_is(n, "scope", "consequent");
    r->main_only = r->agent || r->consequent || attr_is(n, "scope", "main");
    r->context_only = attr_is(n, "on", "context");
    r->title_only = attr_is(n, "on", "title");
    r->field_only = attr_true(n, "field");
    r->claims = attr_true(n, "claims");
    if (r->marks & ld->qualified)
        load_error(ld, "it sets a mark that a rule before it only qualifies: put it before "
                       "that rule%s", "");
    r->qualifies = qualified_by(r);
    ld->qualified |= r->qualifies;
    char *text = xmlload_text(n);
    parser ps = {ld, text};
    r->pat = parse_seq(&ps);
    if (*ps.p)
        load_error(ld, "unexpected '%s' in the pattern", ps.p);
    if (r->pat.n == 0)
        load_error(ld, "the pattern is empty%s", "");
    free(text);
    ld->rule_id = NULL;
    r->anchored = r->pat.n && r->pat.els[0].kind == EL_START;
    r->alt_anchored = !r->anchored && starts_anchored(&r->pat);
    c->nrules++;
}

static void add_require(rule *r, const bool *words, size_t nvocab, uint64_t lists)
{
    struct require q = {lists, {0, 0, 0, 0}};
    for (size_t v = 0; v < nvocab; v++)
        if (words[v])
            q.words[(v % 256) / 64] |= (uint64_t)1 << (v % 64);
    r->req = xgrow(r->req, r->nreq, sizeof *r->req);
    r->req[r->nreq++] = q;
}

/* Words and lists one of which a match needs, with how many they are
 * (a list counts as many words: it lets more units through). */
typedef struct {
    uint64_t lists;
    uint64_t words[4];   /* vocabulary ids, folded into 256 bits */
    size_t cost;
    bool any;            /* no such group: anything may match */
} need_group;

static need_group element_need(const element *e);

/* The group, of those the elements of S that are not optional need, that
 * lets the fewest units through. */
static need_group seq_need(const seq *s)
{
    need_group best = {.any = true};
    for (size_t i = 0; i < s->n; i++) {
        if (s->els[i].optional)
            continue;
        need_group g = element_need(&s->els[i]);
        if (!g.any && (best.any || g.cost <= best.cost))
            best = g;
    }
    return best;
}

/* What E needs: its word, its list, or for a choice what each of its
 * branches needs, together. */
static need_group element_need(const element *e)
{
    need_group g = {0};
    switch (e->kind) {
    case EL_WORD:
        g.words[(e->arg % 256) / 64] |= (uint64_t)1 << (e->arg % 64);
        g.cost = 1;
        return g;
    case EL_LIST:
        g.lists = (uint64_t)1 << e->arg;
        g.cost = 32;
        return g;
    case EL_ALT:
        for (size_t k = 0; k < e->nset; k++)
            g.words[(e->set[k] % 256) / 64] |= (uint64_t)1 << (e->set[k] % 64);
        g.cost = e->nset;
        for (size_t k = 0; k < e->nalts; k++) {
            need_group b = seq_need(&e->alts[k]);
            if (b.any)
                return b;
            g.lists |= b.lists;
            for (size_t w = 0; w < 4; w++)
                g.words[w] |= b.words[w];
            g.cost += b.cost;
        }
        return g;
    default:
        g.any = true;
        return g;
    }
}

static void push_require(rule *r, need_group g)
{
    r->req = xgrow(r->req, r->nreq, sizeof *r->req);
    r->req[r->nreq++] = (struct require){g.lists, {g.words[0], g.words[1], g.words[2], g.words[3]}};
}

enum { BRANCH_GROUPS = 4, CHOICE_GROUPS = 16 };

/* What each element of S that is not optional needs, up to MAX groups. */
static size_t seq_groups(const seq *s, need_group *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n && n < max; i++)
        if (!s->els[i].optional) {
            need_group g = element_need(&s->els[i]);
            if (!g.any)
                out[n++] = g;
        }
    return n;
}

/* A choice matches when one of its branches does, and a branch when each
 * of its groups is there: so for every way of picking one group from each
 * branch, the unit must hold one of the picked. Stronger than one group
 * for the whole choice ("(^ ~3 is @doing | ^ we @did)" needs @doing or
 * @did, whatever else); added to R's requirements when there are at most
 * CHOICE_GROUPS such ways. */
static void require_choice(rule *r, const element *e)
{
    size_t nb = e->nalts;
    if (nb == 0 || nb > 8)
        return;
    need_group g[8][BRANCH_GROUPS];
    size_t ng[8], ways = 1;
    for (size_t b = 0; b < nb; b++) {
        ng[b] = seq_groups(&e->alts[b], g[b], BRANCH_GROUPS);
        if (ng[b] == 0)
            return;   /* a branch that may match anywhere */
        ways *= ng[b];
        if (ways > CHOICE_GROUPS)
            return;
    }
    need_group words = {0};   /* the choices that are one word go with every way */
    for (size_t k = 0; k < e->nset; k++)
        words.words[(e->set[k] % 256) / 64] |= (uint64_t)1 << (e->set[k] % 64);
    for (size_t w = 0; w < ways; w++) {
        need_group u = words;
        for (size_t b = 0, rest = w; b < nb; rest /= ng[b], b++) {
            const need_group *p = &g[b][rest % ng[b]];
            u.lists |= p->lists;
            for (size_t q = 0; q < 4; q++)
                u.words[q] |= p->words[q];
        }
        push_require(r, u);
    }
}

/* What a unit must hold for S to match: one group for each element that
 * is not optional (for a choice, the words its choices can start with,
 * and what each of them needs wherever it is). */
static void index_requires(classifier *c, rule *r, const seq *s, bool *words)
{
    for (size_t i = 0; i < s->n; i++) {
        const element *e = &s->els[i];
        if (e->optional)
            continue;
        memset(words, 0, c->nvocab * sizeof *words);
        uint64_t lists = 0;
        if (e->kind == EL_WORD)
            words[e->arg] = true;
        else if (e->kind == EL_LIST)
            lists = (uint64_t)1 << e->arg;
        else if (e->kind == EL_ALT) {
            need_group g = element_need(e);
            if (!g.any && e->nalts) {
                push_require(r, g);
                require_choice(r, e);
            }
            bool any = false;
            for (size_t k = 0; k < e->nset; k++)
                words[e->set[k]] = true;
            for (size_t k = 0; k < e->nalts && !any; k++)
                any = !first_set(&e->alts[k], 0, words, &lists, NULL);
            if (any)
                continue;
        } else {
            continue;
        }
        add_require(r, words, c->nvocab, lists);
    }
}

/* Group Q of a rule is bit BIT: set it for every word and list that meets Q. */
static void index_group(classifier *c, const struct require *q, size_t bit)
{
    uint64_t mask = (uint64_t)1 << (bit % 64);
    /* the words are folded into 256 bits: each bit stands for every id
       with its remainder */
    for (size_t w = 0; w < 4; w++)
        for (uint64_t m = q->words[w]; m; m &= m - 1)
            for (size_t v = w * 64 + (size_t)__builtin_ctzll(m); v < c->nvocab; v += 256)
                c->vocab_groups[v * GROUP_WORDS + bit / 64] |= mask;
    for (size_t l = 0; l < c->nlists; l++)
        if ((q->lists >> l) & 1)
            c->list_groups[l * GROUP_WORDS + bit / 64] |= mask;
}

/* Give every requirement group of every rule a bit, so that a unit learns
 * which groups it meets from its words (once for each distinct word, see
 * lex_find) and a rule's groups are tested in one step. A rule's groups
 * share one 64-bit word; a rule whose groups do not fit keeps the test
 * group by group. */
static void index_groups(classifier *c)
{
    c->vocab_groups = xcalloc((c->nvocab ? c->nvocab : 1) * GROUP_WORDS, sizeof(uint64_t));
    c->list_groups = xcalloc(MAX_LISTS * GROUP_WORDS, sizeof(uint64_t));
    size_t bit = 0;
    for (size_t ri = 0; ri < c->nrules; ri++) {
        rule *r = &c->rules[ri];
        size_t n = r->nreq;
        r->gword = -1;
        if (n > 64)
            continue;
        if (bit % 64 + n > 64)
            bit = (bit + 63) / 64 * 64;
        if (bit + n > 64 * GROUP_WORDS)
            continue;
        r->gword = (int)(bit / 64);
        r->gshift = (int)(bit % 64);
        r->gmask = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
        for (size_t g = 0; g < n; g++)
            index_group(c, &r->req[g], bit + g);
        bit += n;
    }
    c->ngroupwords = (bit + 63) / 64;
}

/* The marks that say who a draft is for, and nothing else. */
#define READER_MARKS ((1u << MARK_BAND) | (1u << MARK_ADDRESSEE) | (1u << MARK_EASY_READ))

/* Does rule R only guess the reader: readers, bands, addressees, easy read? */
static bool guesses_reader(const rule *r)
{
    return !r->act && !r->topics && !(r->marks & ~READER_MARKS) && (r->readers || r->marks);
}

/* For each rule, the words and lists it can start with. */
static void index_rules(classifier *c)
{
    bool *words = xcalloc(c->nvocab ? c->nvocab : 1, sizeof *words);
    for (size_t ri = 0; ri < c->nrules; ri++) {
        rule *r = &c->rules[ri];
        memset(words, 0, c->nvocab * sizeof *words);
        uint64_t lists = 0;
        /* a rule that starts with ^ is tried at the first word when that
           word is one it can start with, so for it the words come first */
        bool *start = r->anchored || r->alt_anchored ? NULL : &r->at_start;
        r->anywhere = !first_set(&r->pat, 0, words, &lists, start);
        r->at_start = r->at_start && !r->anywhere;
        bool *req = xcalloc(c->nvocab ? c->nvocab : 1, sizeof *req);
        index_requires(c, r, &r->pat, req);
        free(req);
        uint64_t bit = (uint64_t)1 << (ri % 64);
        size_t w = ri / 64;
        if (r->context_only || r->title_only)
            c->context_rules[w] |= bit;
        if (r->field_only)
            c->field_rules[w] |= bit;
        if (r->title_only)
            c->title_rules[w] |= bit;
        if (guesses_reader(r))
            c->guess_rules[w] |= bit;
        if (guesses_reader(r) && (r->marks & (1u << MARK_ADDRESSEE)) && !r->context_only &&
            !r->title_only)
            c->addressee_rules[w] |= bit;
        if (r->anchored)
            c->anchored[w] |= bit;
        if (r->anywhere) {
            c->anywhere[w] |= bit;
            continue;
        }
        if (r->at_start)
            c->at_start[w] |= bit;
        for (size_t v = 0; v < c->nvocab; v++)
            if (words[v])
                c->vocab[v].starts[w] |= bit;
        for (size_t l = 0; l < c->nlists; l++)
            if (lists & ((uint64_t)1 << l))
                c->lists[l].starts[w] |= bit;
    }
    free(words);
    /* a known word starts what its lists start */
    for (size_t v = 0; v < c->nvocab; v++) {
        uint64_t m = (c->vocab[v].lists & ~c->vocab[v].excluded) | c->vocab[v].multi;
        for (size_t l = 0; m && l < c->nlists; l++)
            if (m & ((uint64_t)1 << l))
                for (size_t w = 0; w < RULE_WORDS; w++)
                    c->vocab[v].starts[w] |= c->lists[l].starts[w];
    }
    index_groups(c);
}

static int need_list(loader *ld, const char *id)
{
    int l = list_find(ld->c, id, strlen(id));
    if (l < 0)
        load_error(ld, "the list '%s' is missing", id);
    return l < 0 ? 0 : l;
}

static int multi_cmp(const void *a, const void *b)
{
    const multi_entry *x = a, *y = b;
    return (x->words[0] > y->words[0]) - (x->words[0] < y->words[0]);
}

/* Each list's phrases in order of their first word, so that those a word
 * starts are found by halving (list_lengths); the blob keeps the order. */
static void sort_multi(classifier *c)
{
    for (size_t i = 0; i < c->nlists; i++)
        if (c->lists[i].nmulti > 1)
            qsort(c->lists[i].multi, c->lists[i].nmulti, sizeof *c->lists[i].multi, multi_cmp);
}

classifier *classify_load(const char *file, const char *data, size_t len, diag_list *diags)
{
    xmlDocPtr doc = xmlload_parse(file, data, len, NULL, diags);
    if (!doc)
        return NULL;
    classifier *c = xcalloc(1, sizeof *c);
    loader ld = {c, file, diags, 0, NULL, false, 0};
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !xmlload_is(root, "classifier"))
        load_error(&ld, "the root element is not <classifier>%s", "");
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        ld.line = (int)xmlGetLineNo(n);
        if (xmlload_is(n, "contractions")) {
            for (xmlNodePtr k = n->children; k; k = k->next)
                if (xmlload_is(k, "contraction")) {
                    ld.line = (int)xmlGetLineNo(k);
                    load_contraction(&ld, k);
                }
        } else if (xmlload_is(n, "list")) {
            load_list(&ld, n);
        } else if (xmlload_is(n, "rule")) {
            load_rule(&ld, n);
        }
    }
    xmlFreeDoc(doc);
    ld.line = 0;
    c->l_neg = need_list(&ld, "neg");
    c->l_modal = need_list(&ld, "modal");
    c->l_be = need_list(&ld, "be");
    c->l_sub = need_list(&ld, "subordinator");
    c->l_rel = need_list(&ld, "relative");
    c->l_content = need_list(&ld, "content-verb");
    c->l_pronoun = need_list(&ld, "pronoun");
    c->l_reader = need_list(&ld, "reader-word");
    c->l_filler = need_list(&ld, "filler");
    c->l_verb = need_list(&ld, "verb");
    c->l_breach = need_list(&ld, "breach");
    c->l_gerund = need_list(&ld, "gerund");
    c->l_person_word = need_list(&ld, "person-word");
    c->l_common = need_list(&ld, "common-word");
    c->w_comma = vocab_add(c, ",", 1);
    c->w_semicolon = vocab_add(c, ";", 1);
    c->w_colon = vocab_add(c, ":", 1);
    c->w_stop = vocab_add(c, ".", 1);
    c->w_excl = vocab_add(c, "!", 1);
    c->w_quest = vocab_add(c, "?", 1);
    c->w_open = vocab_add(c, "(", 1);
    c->w_close = vocab_add(c, ")", 1);
    c->w_dash = vocab_add(c, "-", 1);
    c->w_that = vocab_add(c, "that", 4);
    c->w_poss = -1;
    for (size_t i = 0; i < c->ncontr; i++)
        if (c->contr[i].suffix && !strcmp(c->contr[i].from, "'s"))
            c->w_poss = c->contr[i].to[0];
    if (ld.failed) {
        classify_free(c);
        return NULL;
    }
    index_rules(c);
    sort_multi(c);
    return c;
}

void classify_free(classifier *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nvocab; i++)
        free(c->vocab[i].text);
    free(c->vocab);
    free(c->table);
    free(c->vocab_groups);
    free(c->list_groups);
    for (size_t i = 0; i < c->nlists; i++) {
        free(c->lists[i].id);
        for (size_t k = 0; k < c->lists[i].nmulti; k++)
            free(c->lists[i].multi[k].words);
        free(c->lists[i].multi);
    }
    for (size_t i = 0; i < c->nwild; i++)
        free(c->wild[i].affix);
    free(c->wild);
    for (size_t i = 0; i < c->ncontr; i++)
        free(c->contr[i].from);
    free(c->contr);
    for (size_t i = 0; i < c->nrules; i++) {
        free(c->rules[i].id);
        free(c->rules[i].why);
        free(c->rules[i].req);
        seq_free(&c->rules[i].pat);
    }
    free(c->rules);
    free(c);
}

/* ---- tokens ---- */

typedef struct {
    int id;              /* vocabulary id, or -1 */
    uint64_t lists;      /* single-word lists */
    uint64_t starts[RULE_WORDS];   /* rules that may start here */
    uint64_t multi;
    uint32_t from, to;   /* bytes of the folded text */
    bool mark;           /* a mark of punctuation that ends or opens a clause */
    bool sub;            /* in a subordinate clause */
    bool stop;           /* a gap may not cross it */
    bool claimed;
} token;

typedef struct {
    token *t;
    size_t n, cap;
    size_t first;        /* the first word that is not a mark or a clause number */
    bool numbered;       /* it opens on a clause number: "3.2", "12" */
    /* what the unit holds, to pass over rules that cannot match */
    uint64_t starts[RULE_WORDS];
    uint64_t lists;
    uint64_t words[4];
    uint64_t groups[GROUP_WORDS];   /* the requirement groups it meets */
} tokens;

static void push_token(const classifier *c, tokens *ts, int id, uint64_t lists, uint64_t multi,
                       size_t a, size_t b)
{
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 64;
        ts->t = xrealloc(ts->t, ts->cap * sizeof *ts->t);
    }
    token *t = &ts->t[ts->n++];
    *t = (token){.id = id, .lists = lists, .multi = multi, .from = (uint32_t)a,
                 .to = (uint32_t)b};
    t->mark = id >= 0 && (id == c->w_comma || id == c->w_semicolon || id == c->w_colon ||
                          id == c->w_stop || id == c->w_excl || id == c->w_quest ||
                          id == c->w_open || id == c->w_close || id == c->w_dash);
    uint64_t via = lists;
    if (id >= 0) {
        const vocab_entry *e = &c->vocab[id];
        memcpy(t->starts, e->starts, sizeof t->starts);
        via &= ~e->lists;   /* its own lists are in its starts already */
        ts->words[(id % 256) / 64] |= (uint64_t)1 << (id % 64);
    }
    for (size_t l = 0; via && l < c->nlists; l++)
        if (via & ((uint64_t)1 << l))
            for (size_t w = 0; w < RULE_WORDS; w++)
                t->starts[w] |= c->lists[l].starts[w];
    for (size_t w = 0; w < RULE_WORDS; w++)
        ts->starts[w] |= t->starts[w];
    ts->lists |= lists | multi;
}

static void push_known(const classifier *c, tokens *ts, int id, size_t a, size_t b)
{
    const vocab_entry *e = &c->vocab[id];
    push_token(c, ts, id, e->lists & ~e->excluded, e->multi, a, b);
}

/* A word of the draft: its vocabulary entry (ID, or VOCAB_UNSEEN to look
 * it up), plus the lists its wildcards take. */
static void push_word(const classifier *c, tokens *ts, const char *w, size_t n, size_t a, int id)
{
    if (id == VOCAB_UNSEEN)
        id = vocab_find(c, w, n);
    uint64_t lists = 0, excl = 0, multi = 0;
    if (id >= 0) {
        lists = c->vocab[id].lists;
        excl = c->vocab[id].excluded;
        multi = c->vocab[id].multi;
    }
    for (size_t i = 0; i < c->nwild; i++) {
        const wildcard *wc = &c->wild[i];
        if (wc->len > n)
            continue;
        if (wc->suffix ? !memcmp(w + n - wc->len, wc->affix, wc->len)
                       : !memcmp(w, wc->affix, wc->len))
            lists |= (uint64_t)1 << wc->list;
    }
    push_token(c, ts, id, lists & ~excl, multi, a, a + n);
}

/* The tokens word W (N bytes, of KIND) reads as, into TS: itself, or
 * what its contraction opens into. */
static void word_tokens(const classifier *c, const char *w, size_t n, textnorm_kind kind,
                        tokens *ts)
{
    size_t base;
    int id = VOCAB_UNSEEN;
    const contraction *k = kind == TEXTNORM_WORD ? contraction_for(c, w, n, &base, &id) : NULL;
    if (!k) {
        push_word(c, ts, w, n, 0, id);
        return;
    }
    if (base)
        push_word(c, ts, w, base, 0, VOCAB_UNSEEN);
    for (size_t j = 0; j < 3 && k->to[j] >= 0; j++)
        push_known(c, ts, k->to[j], 0, n);
}

/* ---- the words of one run ----
 *
 * A draft uses a few thousand distinct words many times over. Each is
 * looked up once (its contraction, vocabulary entry, wildcard lists and
 * the rules it may start) and its tokens are copied from here after that. */

typedef struct {
    uint32_t hash;
    uint32_t text, len;    /* its bytes: lexicon.bytes[text, text + len) */
    uint32_t first, n;     /* its tokens: lexicon.toks[first, first + n) */
    uint32_t index;        /* its requirement groups: lexicon.groups[index * GROUP_WORDS ...] */
} lex_word;

typedef struct {
    lex_word *words;
    size_t nwords;
    uint32_t *table;       /* open addressing over words: index + 1, 0 empty */
    size_t tablesize;
    char *bytes;
    size_t nbytes, capbytes;
    tokens toks;
    tokens scratch;
    uint64_t *groups;
} lexicon;

static void lex_free(lexicon *lx)
{
    free(lx->words);
    free(lx->table);
    free(lx->bytes);
    free(lx->toks.t);
    free(lx->scratch.t);
    free(lx->groups);
}

static void lex_insert(lexicon *lx, uint32_t index)
{
    size_t mask = lx->tablesize - 1;
    size_t h = lx->words[index].hash & mask;
    while (lx->table[h])
        h = (h + 1) & mask;
    lx->table[h] = index + 1;
}

/* Make room for one more word, keeping the table at most half full. */
static void lex_grow(lexicon *lx)
{
    lx->words = xgrow(lx->words, lx->nwords, sizeof *lx->words);
    if ((lx->nwords + 1) * 2 <= lx->tablesize)
        return;
    free(lx->table);
    lx->tablesize = lx->tablesize ? lx->tablesize * 2 : 4096;
    lx->table = xcalloc(lx->tablesize, sizeof *lx->table);
    for (size_t i = 0; i < lx->nwords; i++)
        lex_insert(lx, (uint32_t)i);
}

/* The requirement groups the tokens SC of a new word meet, after those of
 * the words before it in LX. */
static void word_groups(const classifier *c, lexicon *lx, const tokens *sc)
{
    size_t gw = c->ngroupwords;
    if ((lx->nwords & (lx->nwords - 1)) == 0)
        lx->groups = xrealloc(lx->groups,
                              (lx->nwords ? 2 * lx->nwords : 1) * GROUP_WORDS * sizeof(uint64_t));
    uint64_t *g = lx->groups + lx->nwords * GROUP_WORDS;
    memset(g, 0, GROUP_WORDS * sizeof *g);
    for (size_t j = 0; j < sc->n; j++) {
        const token *t = &sc->t[j];
        if (t->id >= 0)
            for (size_t w = 0; w < gw; w++)
                g[w] |= c->vocab_groups[(size_t)t->id * GROUP_WORDS + w];
        uint64_t ls = t->lists | t->multi;
        for (size_t l = 0; ls && l < c->nlists; l++)
            if ((ls >> l) & 1)
                for (size_t w = 0; w < gw; w++)
                    g[w] |= c->list_groups[l * GROUP_WORDS + w];
    }
}

/* A draft's words are a few bytes long: compared in place, where a call
 * to memcmp would cost more than the comparison. */
static inline bool same_word(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Word W (N bytes, of KIND), looked up on its first use. */
static const lex_word *lex_find(const classifier *c, lexicon *lx, const char *w, size_t n,
                                textnorm_kind kind)
{
    uint32_t h = hash_word(w, n);
    size_t mask = lx->tablesize - 1;
    for (size_t i = lx->tablesize ? h & mask : 0; lx->tablesize; i = (i + 1) & mask) {
        uint32_t v = lx->table[i];
        if (!v)
            break;
        const lex_word *e = &lx->words[v - 1];
        if (e->hash == h && e->len == n && same_word(lx->bytes + e->text, w, n))
            return e;
    }
    lex_grow(lx);
    if (lx->nbytes + n > lx->capbytes) {
        lx->capbytes = (lx->nbytes + n) * 2;
        lx->bytes = xrealloc(lx->bytes, lx->capbytes);
    }
    memcpy(lx->bytes + lx->nbytes, w, n);
    tokens *sc = &lx->scratch;
    sc->n = 0;
    word_tokens(c, w, n, kind, sc);
    lex_word *e = &lx->words[lx->nwords];
    *e = (lex_word){h, (uint32_t)lx->nbytes, (uint32_t)n, (uint32_t)lx->toks.n, (uint32_t)sc->n,
                    (uint32_t)lx->nwords};
    lx->nbytes += n;
    word_groups(c, lx, sc);
    for (size_t j = 0; j < sc->n; j++) {
        lx->toks.t = xgrow(lx->toks.t, lx->toks.n, sizeof *lx->toks.t);
        lx->toks.t[lx->toks.n++] = sc->t[j];
    }
    lex_insert(lx, (uint32_t)lx->nwords++);
    return e;
}

/* Add T, a token of the word at bytes [A, B), to TS and what TS holds. */
static void push_copy(tokens *ts, const token *t, size_t a, size_t b)
{
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 64;
        ts->t = xrealloc(ts->t, ts->cap * sizeof *ts->t);
    }
    token *d = &ts->t[ts->n++];
    *d = *t;
    d->from = (uint32_t)a;
    d->to = (uint32_t)b;
    for (size_t w = 0; w < RULE_WORDS; w++)
        ts->starts[w] |= t->starts[w];
    if (t->id >= 0)
        ts->words[(t->id % 256) / 64] |= (uint64_t)1 << (t->id % 64);
    ts->lists |= t->lists | t->multi;
}

/* Is the word W (N bytes) a clause number such as "3", "3.2" or "4.1.2"? */
static bool clause_number(const char *w, size_t n)
{
    if (n == 0 || n > 8 || w[0] < '0' || w[0] > '9')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((w[i] >= '0' && w[i] <= '9') || w[i] == '.'))
            return false;
    return true;
}

/* Cut the folded text S into tokens, opening contractions; every token of
 * a word spans the whole word. */
static void tokenise(const classifier *c, lexicon *lx, const char *s, size_t n, tokens *ts)
{
    ts->n = 0;
    ts->numbered = false;
    memset(ts->starts, 0, sizeof ts->starts);
    memset(ts->words, 0, sizeof ts->words);
    ts->lists = 0;
    /* a fixed count of words, for the compiler to OR in wide registers */
    uint64_t groups[GROUP_WORDS] = {0};
    size_t pos = 0, a, b;
    textnorm_kind kind;
    while ((kind = textnorm_next(s, n, &pos, &a, &b)) != TEXTNORM_END) {
        const char *w = s + a;
        size_t len = b - a;
        if (kind == TEXTNORM_WORD && len == 1 && *w == '&') {
            w = "and";
            len = 3;
        }
        if (ts->n == 0)
            ts->numbered = kind == TEXTNORM_WORD && clause_number(w, len);
        const lex_word *e = lex_find(c, lx, w, len, kind);
        for (uint32_t j = 0; j < e->n; j++)
            push_copy(ts, &lx->toks.t[e->first + j], a, b);
        const uint64_t *g = lx->groups + (size_t)e->index * GROUP_WORDS;
        for (size_t w = 0; w < GROUP_WORDS; w++)
            groups[w] |= g[w];
    }
    memcpy(ts->groups, groups, sizeof groups);
}

static bool in_list(const token *t, int list)
{
    return t->lists & ((uint64_t)1 << list);
}

/* Does a word or phrase of list L start at T? */
static bool in_any(const token *t, int list)
{
    return (t->lists | t->multi) & ((uint64_t)1 << list);
}

/* Lengths at which list L matches at POS, longest first, into LENS. */
static size_t list_lengths(const classifier *c, const tokens *ts, size_t pos, int l, size_t *lens,
                           size_t max)
{
    size_t k = 0;
    const token *t = &ts->t[pos];
    uint64_t bit = (uint64_t)1 << l;
    if ((t->multi & bit) && t->id >= 0) {
        const word_list *wl = &c->lists[l];
        size_t lo = 0, hi = wl->nmulti;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (wl->multi[mid].words[0] < t->id)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < wl->nmulti && wl->multi[i].words[0] == t->id && k < max; i++) {
            const multi_entry *m = &wl->multi[i];
            if (pos + m->n > ts->n)
                continue;
            size_t j = 1;
            while (j < m->n && ts->t[pos + j].id == m->words[j])
                j++;
            if (j == m->n)
                lens[k++] = m->n;
        }
        /* longest first */
        for (size_t i = 1; i < k; i++)
            for (size_t j = i; j > 0 && lens[j] > lens[j - 1]; j--) {
                size_t x = lens[j];
                lens[j] = lens[j - 1];
                lens[j - 1] = x;
            }
    }
    if ((t->lists & bit) && k < max)
        lens[k++] = 1;
    return k;
}

/* Mark the clauses: a token is in a subordinate clause from a
 * subordinating word (or a relative pronoun, or an opening bracket) to the
 * next comma, semicolon, colon or closing bracket. "That" after a verb
 * such as "understand" opens no subordinate clause, and a relative clause
 * ends at a modal verb that follows two or more of its words ("Pupils who
 * bring phones must not..."), or at a form of "be" after "who" or "which"
 * ("Photos of members who have said yes are welcome"; after "that" it may
 * still be the clause "remind them that unkind messages are..."). */
static void mark_clauses(const classifier *c, tokens *ts)
{
    bool sub = false, relative = false, that = false;
    size_t since = 0;
    ts->first = ts->n;
    for (size_t i = 0; i < ts->n; i++) {
        token *t = &ts->t[i];
        int id = t->id;
        bool mark = t->mark;
        /* "3.2 Do not ...": the rule starts after its number */
        if (!mark && ts->first == ts->n && !(i == 0 && ts->numbered && ts->n > 1))
            ts->first = i;
        t->stop = in_list(t, c->l_neg) || (mark && id != c->w_comma && id != c->w_dash);
        if (mark) {
            t->sub = sub;
            sub = id == c->w_open;
            relative = false;
            continue;
        }
        size_t lens[4];
        if (in_any(t, c->l_sub) && list_lengths(c, ts, i, c->l_sub, lens, 4)) {
            sub = true;
            relative = false;
            t->stop = true;
            since = i;
        } else if (sub && !relative && i >= since + 3 && id >= 0 && in_list(t, c->l_pronoun) &&
                   i + 1 < ts->n && in_list(&ts->t[i + 1], c->l_modal) &&
                   !in_list(&ts->t[i - 1], c->l_modal)) {
            /* "When using the iPads you must not ...": with no comma, a
               subject and its modal verb open the main clause */
            sub = false;
        } else if (in_list(t, c->l_rel)) {
            bool content = (i >= 1 && in_list(&ts->t[i - 1], c->l_content)) ||
                           (i >= 2 && in_list(&ts->t[i - 2], c->l_content));
            if (!content) {
                /* "that" as a pronoun ("that is not allowed") opens nothing,
                   nor does it as a determiner, after a verb or before a
                   possessive ("we will suspend that family's access") */
                bool pronoun = i == ts->first;
                bool determiner = id == c->w_that &&
                                  ((i >= 1 && in_list(&ts->t[i - 1], c->l_verb)) ||
                                   (i + 2 < ts->n && ts->t[i + 2].id == c->w_poss));
                if (!pronoun && !determiner) {
                    sub = true;
                    relative = true;
                    that = id == c->w_that;
                    since = i;
                    t->stop = true;
                }
            }
        } else if (relative && sub && (in_list(t, c->l_modal) || (!that && in_list(t, c->l_be))) &&
                   i >= since + 3 && !in_list(&ts->t[i - 1], c->l_pronoun)) {
            sub = false;
            relative = false;
        }
        t->sub = sub;
    }
}

/* ---- matching ---- */

typedef struct cont {
    const seq *s;
    size_t i;
    const struct cont *next;
} cont;

typedef struct {
    const classifier *c;
    const tokens *ts;
    bool respect_claims;
} matcher;

static long match_seq(const matcher *m, const seq *s, size_t i, size_t pos, const cont *k);

static bool usable(const matcher *m, size_t pos)
{
    return pos < m->ts->n && !(m->respect_claims && m->ts->t[pos].claimed);
}

/* Can element E match at POS? False only when it cannot: a word, list or
 * choice that must come and cannot start here, told without a call. */
static bool may_fit(const matcher *m, const element *e, size_t pos)
{
    if (e->optional)
        return true;
    const tokens *ts = m->ts;
    switch (e->kind) {
    case EL_WORD:
        return usable(m, pos) && ts->t[pos].id == e->arg;
    case EL_LIST:
        return pos < ts->n && (((ts->t[pos].lists | ts->t[pos].multi) >> e->arg) & 1);
    case EL_ALT: {
        if (e->any_first)
            return true;
        if (pos >= ts->n)
            return false;
        const token *t = &ts->t[pos];
        return (t->id >= 0 && ((e->first_words >> (t->id % 64)) & 1)) ||
               ((t->lists | t->multi) & e->first_lists);
    }
    default:
        return true;
    }
}

static long match_next(const matcher *m, const seq *s, size_t i, size_t pos, const cont *k)
{
    if (i < s->n)
        return may_fit(m, &s->els[i], pos) ? match_seq(m, s, i, pos, k) : -1;
    if (k)
        return match_next(m, k->s, k->i, pos, k->next);
    return (long)pos;
}

/* How many words of phrase A match from POS: all of them, or fewer. */
static size_t phrase_length(const matcher *m, const seq *a, size_t pos)
{
    size_t q = 0;
    while (q < a->n && usable(m, pos + q) && m->ts->t[pos + q].id == a->els[q].arg)
        q++;
    return q;
}

/* Is ID in the sorted SET of N words? */
static bool in_set(const int *set, size_t n, int id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (set[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo] == id;
}

static long match_seq(const matcher *m, const seq *s, size_t i, size_t pos, const cont *k)
{
    const element *e = &s->els[i];
    const tokens *ts = m->ts;
    long r = -1;
    switch (e->kind) {
    case EL_START:
        if (pos == ts->first || pos == 0)
            r = match_next(m, s, i + 1, pos < ts->first ? ts->first : pos, k);
        break;
    case EL_END: {
        const classifier *c = m->c;
        if (pos >= ts->n || ts->t[pos].id == c->w_stop || ts->t[pos].id == c->w_excl ||
            ts->t[pos].id == c->w_quest)
            r = match_next(m, s, i + 1, pos, k);
        break;
    }
    case EL_WORD:
        if (usable(m, pos) && ts->t[pos].id == e->arg)
            r = match_next(m, s, i + 1, pos + 1, k);
        break;
    case EL_LIST:
        if (usable(m, pos)) {
            size_t lens[8];
            size_t nl = list_lengths(m->c, ts, pos, e->arg, lens, 8);
            for (size_t j = 0; j < nl && r < 0; j++) {
                bool ok = true;
                for (size_t q = 1; q < lens[j] && ok; q++)
                    ok = usable(m, pos + q);
                if (ok)
                    r = match_next(m, s, i + 1, pos + lens[j], k);
            }
        }
        break;
    case EL_GAP:
        for (size_t g = 0; g <= (size_t)e->arg && r < 0; g++) {
            if (g > 0 && (pos + g > ts->n || ts->t[pos + g - 1].stop))
                break;
            r = match_next(m, s, i + 1, pos + g, k);
        }
        break;
    case EL_ALT: {
        if (!e->any_first) {
            /* no choice can start here */
            if (pos >= ts->n)
                break;
            const token *t = &ts->t[pos];
            if (!(t->id >= 0 && ((e->first_words >> (t->id % 64)) & 1)) &&
                !((t->lists | t->multi) & e->first_lists))
                break;
        }
        if (e->nset && usable(m, pos) && ts->t[pos].id >= 0 &&
            in_set(e->set, e->nset, ts->t[pos].id))
            r = match_next(m, s, i + 1, pos + 1, k);
        cont after = {s, i + 1, k};
        /* the branches that start with this word, and those that start
           otherwise, merged back into their order */
        size_t w = 0, wend = 0, o = 0;
        if (pos < ts->n && ts->t[pos].id >= 0)
            branches_starting(e, ts->t[pos].id, &w, &wend);
        while (r < 0 && (w < wend || o < e->nothers)) {
            size_t j;
            if (o < e->nothers && (w == wend || e->others[o] < (uint32_t)e->byword[w]))
                j = e->others[o++];
            else
                j = (uint32_t)e->byword[w++];
            const seq *a = &e->alts[j];
            if (a->n == 0) {
                r = match_next(m, s, i + 1, pos, k);
                continue;
            }
            if (a->phrase) {
                if (phrase_length(m, a, pos) == a->n)
                    r = match_next(m, s, i + 1, pos + a->n, k);
                continue;
            }
            /* a choice that must start with a word or list the text lacks here */
            const element *f = &a->els[0];
            if (!f->optional && (f->kind == EL_WORD || f->kind == EL_LIST)) {
                if (pos >= ts->n)
                    continue;
                const token *t = &ts->t[pos];
                if (f->kind == EL_WORD ? t->id != f->arg
                                       : !(((t->lists | t->multi) >> f->arg) & 1))
                    continue;
            }
            r = match_seq(m, a, 0, pos, &after);
        }
        break;
    }
    case EL_NOT:
        if (match_seq(m, &e->alts[0], 0, pos, NULL) < 0)
            r = match_next(m, s, i + 1, pos, k);
        break;
    case EL_BEFORE:
        /* the one word before POS */
        if (pos > 0 && match_seq(m, &e->alts[0], 0, pos - 1, NULL) == (long)pos)
            r = match_next(m, s, i + 1, pos, k);
        break;
    }
    if (r < 0 && e->optional && e->kind != EL_NOT && e->kind != EL_BEFORE)
        r = match_next(m, s, i + 1, pos, k);
    return r;
}

/* ---- one unit ---- */

typedef struct {
    unsigned acts, marks, topics;
    bool weak_only;       /* permits came only from weak rules */
    classify_why act_why[CLASSIFY_NACTS];
    classify_why topic_why[CLASSIFY_NTOPICS];
    classify_why mark_why[CLASSIFY_NMARKS];
    unsigned readers, named;
} raw_class;

/* What the units after a unit need of its raw class: kept for every unit,
 * where the whole raw class (with its reasons) is kept for one unit at a
 * time, as a long draft has tens of thousands of units. */
typedef struct {
    unsigned acts, marks, topics, readers;
    bool weak_only;
} raw_brief;

static raw_brief brief_of(const raw_class *rc)
{
    return (raw_brief){rc->acts, rc->marks, rc->topics, rc->readers, rc->weak_only};
}

static int bit_index(unsigned bit)
{
    int i = 0;
    while (bit > 1) {
        bit >>= 1;
        i++;
    }
    return i;
}

/* Rules that name the reader outright rather than sound like them. */
#define NAMING_MARKS ((1u << MARK_BAND) | (1u << MARK_ADDRESSEE))

static void record(raw_class *rc, const rule *r, int ri, const tokens *ts, size_t from, size_t to)
{
    classify_why w = {WHY_RULE, (int16_t)ri, -1, ts->t[from].from, ts->t[to - 1].to};
    /* the first rule to give a fact is its reason */
    for (unsigned b = r->act & ~rc->acts; b; b &= b - 1)
        rc->act_why[__builtin_ctz(b)] = w;
    for (unsigned b = r->topics & ~rc->topics; b; b &= b - 1)
        rc->topic_why[__builtin_ctz(b)] = w;
    for (unsigned b = r->marks & ~rc->marks; b; b &= b - 1)
        rc->mark_why[__builtin_ctz(b)] = w;
    bool weak = r->marks & (1u << MARK_WEAK);
    if (r->act & ACT_PERMITS)
        rc->weak_only = (rc->acts & ACT_PERMITS) ? rc->weak_only && weak : weak;
    rc->acts |= r->act;
    rc->topics |= r->topics;
    rc->marks |= r->marks;
    rc->readers |= r->readers;
    if (r->marks & NAMING_MARKS)
        rc->named |= r->readers;
}

/* The rules of ONLY that apply to unit U, read as a heading or lead-in
 * (CONTEXT) or not, into APPLY. */
static void rules_apply(const classifier *c, const unit *u, bool context, const uint64_t *only,
                        uint64_t *apply)
{
    bool title = context && u->kind == UNIT_HEADING && u->level == 1;
    for (size_t w = 0; w < RULE_WORDS; w++) {
        apply[w] = only[w];
        if (!u->field)
            apply[w] &= ~c->field_rules[w];
        if (!context)
            apply[w] &= ~c->context_rules[w];
        if (!title)
            apply[w] &= ~c->title_rules[w];
        /* whom a heading below the title addresses (classify_units_for),
           in no other heading or lead-in */
        if (context && !(u->kind == UNIT_HEADING && u->level > 1))
            apply[w] &= ~c->addressee_rules[w];
    }
}

/* Where the words of POS's clause before it start: back to a mark (with
 * COMMAS, only to one that ends a sentence or clause outright) or to where
 * the clause around POS opens. */
static size_t clause_start(const classifier *c, const tokens *ts, size_t pos, bool commas)
{
    size_t j = pos;
    while (j > ts->first) {
        const token *t = &ts->t[j - 1];
        if (t->id == c->w_close) {
            /* "The building management system (BMS) lets ...": the words
               in brackets are an aside within the clause */
            size_t k = j - 1;
            while (k > ts->first && ts->t[k - 1].id != c->w_open)
                k--;
            if (k > ts->first) {
                j = k - 1;
                continue;
            }
        }
        if ((t->mark && (!commas || t->stop)) || t->sub != ts->t[pos].sub)
            break;
        j--;
    }
    return j;
}

/* Does someone other than the reader do what starts at POS? The words of
 * its clause before it name who: there must be some besides fillers, the
 * first not a verb or an "-ing" word ("Then check the history", "Lock or
 * log off ...", "Using your phone to check ..." are the reader's), and
 * none may be the reader ("I will check my messages",
 * "Pupils log off and check ..."); "Leaders walk round the hall and watch
 * what is showing" names the leaders. */
static bool other_agent(const classifier *c, const tokens *ts, size_t pos, bool thing)
{
    const token *first = NULL;
    size_t from = clause_start(c, ts, pos, false), end = pos;
    /* nothing before the match but a comma: "Our WhatsApp group, 'NYC
       Tuesdays', lets you ..." sets off a name, and who does it comes
       before that; "The officer prints the script, checks ..." shares the
       subject of the predicate before, whose first words (up to its verb,
       or four) say who */
    if (from == pos && from > ts->first + 1 && ts->t[from - 1].id == c->w_comma) {
        size_t prev = clause_start(c, ts, from - 1, false);
        if (prev < from - 1 && prev > ts->first && ts->t[prev - 1].id == c->w_comma) {
            from = clause_start(c, ts, prev - 1, false);
        } else if (prev < from - 1) {
            from = prev;
            end = from + 1;
            while (end < pos && end < from + 4 && !in_list(&ts->t[end], c->l_verb))
                end++;
        }
    }
    for (size_t j = from; j < end; j++) {
        const token *t = &ts->t[j];
        if (in_list(t, c->l_reader) || (thing && in_list(t, c->l_person_word)))
            return false;
        if (!first && !in_list(t, c->l_filler))
            first = t;
    }
    return first && !in_list(first, c->l_verb) && !in_list(first, c->l_gerund);
}

/* Is the misuse not what the clause of POS is about? "Misuse of a laptop,
 * by anyone, will be dealt with" says nothing of what follows it; "If you
 * misuse a laptop, we will collect it" does. */
static bool no_misuse_subject(const classifier *c, const tokens *ts, size_t pos)
{
    for (size_t j = clause_start(c, ts, pos, true); j < pos; j++)
        if (in_list(&ts->t[j], c->l_breach))
            return false;
    return true;
}

/* Try rule R at POS; on a match, record it and return the end. */
static long try_rule(const classifier *c, const tokens *ts, const rule *r, size_t pos)
{
    if (r->main_only && ts->t[pos].sub)
        return -1;
    if (r->agent && !other_agent(c, ts, pos, r->thing))
        return -1;
    if (r->consequent && !no_misuse_subject(c, ts, pos))
        return -1;
    matcher m = {c, ts, r->topics != 0};
    return match_next(&m, &r->pat, 0, pos, NULL);
}

/* Can rule R (index RI) start at POS of TS? False only when it cannot. */
static bool may_start(const tokens *ts, const rule *r, size_t ri, size_t pos)
{
    if (r->anchored || r->anywhere || (r->at_start && (pos == 0 || pos == ts->first)))
        return true;
    return (ts->t[pos].starts[ri / 64] >> (ri % 64)) & 1;
}

/* Can rule R, a candidate of TS (classify_tokens: one that may start in
 * it), match anywhere in the unit? Only if it holds every word it needs. */
static bool unit_may_match(const tokens *ts, const rule *r)
{
    if (r->gword >= 0)
        return ((ts->groups[r->gword] >> r->gshift) & r->gmask) == r->gmask;
    for (size_t g = 0; g < r->nreq; g++) {
        const struct require *q = &r->req[g];
        uint64_t has = (q->lists & ts->lists) | (q->words[0] & ts->words[0]) |
                       (q->words[1] & ts->words[1]) | (q->words[2] & ts->words[2]) |
                       (q->words[3] & ts->words[3]);
        if (!has)
            return false;
    }
    return true;
}

static void try_candidate(const classifier *c, tokens *ts, size_t ri, raw_class *rc);

/* Run the rules that may match TS (those in ONLY) on it, adding to RC. */
static void classify_tokens(const classifier *c, tokens *ts, const unit *u, bool context,
                            const uint64_t *only, raw_class *rc)
{
    uint64_t cand[RULE_WORDS], apply[RULE_WORDS];
    const uint64_t *first = ts->first < ts->n ? ts->t[ts->first].starts : NULL;
    rules_apply(c, u, context, only, apply);
    for (size_t w = 0; w < RULE_WORDS; w++) {
        cand[w] = (ts->starts[w] & ~c->anchored[w]) | c->anywhere[w] | c->at_start[w];
        if (first)
            cand[w] |= first[w] & c->anchored[w];
        cand[w] &= apply[w];
    }
    /* rules in file order, so that a rule that claims words comes first */
    for (size_t w = 0; w < RULE_WORDS; w++)
        for (uint64_t bits = cand[w]; bits; bits &= bits - 1)
            try_candidate(c, ts, w * 64 + (size_t)__builtin_ctzll(bits), rc);
}

/* Try rule RI wherever it may start in TS, recording what it finds. */
static void try_candidate(const classifier *c, tokens *ts, size_t ri, raw_class *rc)
{
    const rule *r = &c->rules[ri];
    bool topic = r->topics != 0;
    bool need = topic ? r->claims || (rc->topics & r->topics) != r->topics
                      : (r->act & ~rc->acts) || (r->marks & ~rc->marks) ||
                            (r->readers & ~rc->readers) ||
                            ((r->marks & NAMING_MARKS) && (r->readers & ~rc->named));
    if (need && r->qualifies && !(rc->marks & r->qualifies))
        need = false;
    if (!need || !unit_may_match(ts, r))
        return;
    size_t start = r->anchored ? (ts->first < ts->n ? ts->first : 0) : 0;
    size_t end = r->anchored ? start + 1 : ts->n;
    for (size_t pos = start; pos < end && pos < ts->n; pos++) {
        if (!may_start(ts, r, ri, pos))
            continue;
        /* a ^ in every branch: only the unit's first token, or its first word */
        if (r->alt_anchored && pos != 0 && pos != ts->first) {
            if (pos > ts->first)
                break;
            continue;
        }
        long e = try_rule(c, ts, r, pos);
        if (e < 0)
            continue;
        size_t to = (size_t)e > pos ? (size_t)e : pos + 1;
        record(rc, r, (int)ri, ts, pos, to);
        if (!r->claims)
            break;
        for (size_t q = pos; q < to; q++)
            ts->t[q].claimed = true;
        pos = to - 1;
    }
}

/* ---- context and combination ---- */

typedef classify_polarity polarity;

static polarity polarity_of(const raw_brief *rc)
{
    bool permits = (rc->acts & ACT_PERMITS) && !rc->weak_only;
    if (rc->acts & ACT_PROHIBITS)
        /* "Dos and don'ts" heads both kinds */
        return permits ? POLARITY_NONE : POLARITY_PROHIBITS;
    if (rc->marks & ((1u << MARK_SANCTIONS) | CLASSIFY_CONDITIONS))
        return POLARITY_SANCTIONS;
    if ((rc->acts & ACT_PERMITS) && !rc->weak_only)
        return POLARITY_PERMITS;
    return POLARITY_NONE;
}

/* The unit that gives unit I its polarity: its lead-in, else the nearest
 * heading above with one. -1 when none. */
static int context_of(const unit_list *u, const raw_brief *ctx, size_t i, polarity *pol)
{
    const unit *x = &u->items[i];
    if (x->lead_in >= 0 && (*pol = polarity_of(&ctx[x->lead_in])) != POLARITY_NONE)
        return x->lead_in;
    int guard = 0;
    for (int h = x->kind == UNIT_HEADING ? -1 : x->heading; h >= 0 && guard < 64;
         h = u->items[h].heading, guard++)
        if ((*pol = polarity_of(&ctx[h])) != POLARITY_NONE)
            return h;
    *pol = POLARITY_NONE;
    return -1;
}

enum { TECH_TOPICS = TOPIC_PERSONAL | TOPIC_SYSTEMS };

/* Where a unit that names no technology takes it from: its lead-in, or its
 * section's heading; with FAR, also the headings above that. */
static int topic_source(const unit_list *u, const raw_brief *raw, const raw_brief *ctx, size_t i,
                        bool far, bool ruled)
{
    const unit *x = &u->items[i];
    if (x->row_head >= 0 && (raw[x->row_head].topics & TECH_TOPICS))
        return x->row_head;
    if (x->lead_in >= 0 && (raw[x->lead_in].topics & TECH_TOPICS))
        return x->lead_in;
    int guard = 0;
    for (int h = x->heading; h >= 0 && guard < 64; h = u->items[h].heading, guard++) {
        unsigned tech = (raw[h].topics | ctx[h].topics) & TECH_TOPICS;
        /* for an item under "I will not", a title over the whole draft
           ("Laptops and phones in our class") says nothing of which the
           rule, naming neither, is on */
        if (tech && !(ruled && h != x->heading && tech == TECH_TOPICS))
            return h;
        if (!far)
            break;
    }
    return -1;
}

/* A unit's class with a place for every reason, as combine builds it; kept
 * for one unit at a time, and stored as a unit_class with only the reasons
 * there are (see keep_class). */
typedef struct {
    unsigned acts, topics, marks;
    bool ban, promotes, weak;
    int context;
    classify_polarity polarity;
    union {
        struct {
            classify_why act_why[CLASSIFY_NACTS];
            classify_why topic_why[CLASSIFY_NTOPICS];
            classify_why mark_why[CLASSIFY_NMARKS];
        };
        classify_why why[CLASSIFY_NACTS + CLASSIFY_NTOPICS + CLASSIFY_NMARKS];   /* all, in turn */
    };
    unsigned readers, named;
} full_class;

static void set_act(full_class *k, unsigned act, classify_why why)
{
    k->act_why[classify_act_index(act)] = why;
    k->acts |= act;
}

/* "Keep your phone in your bag and do not use it": a command, then a
 * prohibition in a clause of its own; both stand. ("Do not ..." is read as
 * a command too, but there both start the unit.) */
static bool second_clause(const full_class *k)
{
    const classify_why *p = &k->act_why[classify_act_index(ACT_PROHIBITS)];
    const classify_why *a = &k->act_why[classify_act_index(ACT_PERMITS)];
    return p->kind == WHY_RULE && a->kind == WHY_RULE && a->from == 0 && p->from > 0;
}

/* "Do not try to get round the school filter": a watcher named as the
 * object of what is forbidden does not say that anyone watches. */
static void drop_forbidden_watching(full_class *k)
{
    if (!(k->acts & ACT_MONITORS) || !(k->acts & ACT_PROHIBITS))
        return;
    const classify_why *p = &k->act_why[classify_act_index(ACT_PROHIBITS)];
    const classify_why *m = &k->act_why[classify_act_index(ACT_MONITORS)];
    if (p->kind != WHY_RULE || (m->kind == WHY_RULE && m->from > p->from)) {
        k->acts &= ~ACT_MONITORS;
        k->act_why[classify_act_index(ACT_MONITORS)] = (classify_why){0};
    }
}

/* "Please read this card": the good activity named ("read") is the verb
 * of the words that ask the reader to read or sign the document, whose
 * object, the document, comes after it; reading it uses no technology.
 * "I agree to use the tablets to learn" and "bring your laptop along to
 * fill in forms online" promote all the same: the acknowledgement does not
 * run on past the activity named. */
static bool reads_the_rules(const full_class *k)
{
    const classify_why *p = &k->mark_why[MARK_PROMOTES];
    const classify_why *a = &k->act_why[classify_act_index(ACT_ACKNOWLEDGES)];
    return (k->acts & ACT_ACKNOWLEDGES) && p->kind == WHY_RULE && a->kind == WHY_RULE &&
           p->from <= a->from && a->from < p->to && p->to < a->to;
}

/* Does K name the setting's kit before byte FROM of its text? A later
 * pronoun ("..., and don't install anything on it") then stands for that
 * ("the session laptop"), not for what the unit before named. */
static bool names_kit_before(const full_class *k, uint32_t from)
{
    const classify_why *w = &k->topic_why[bit_index(TOPIC_SYSTEMS)];
    return (k->topics & TOPIC_SYSTEMS) && w->kind == WHY_RULE && w->from < from;
}

/* "These rules are on the classroom wall" says where readers meet the
 * rules; "We wrote these rules together as a class" names the class only
 * as who wrote them, which tells no one: a channel counts as how readers
 * are told unless the unit is about making the rules. */
static void settle_channel(full_class *k)
{
    unsigned channel = 1u << MARK_CHANNEL, told = 1u << MARK_COMMUNICATION;
    /* "If someone forgets the code, we will talk about it": talk about a
       misuse the unit names, not about the rules */
    if (k->marks & (1u << MARK_CONDITION))
        k->marks &= ~(channel | told);
    if (!(k->marks & channel) || (k->marks & told) || (k->marks & (1u << MARK_AUTHORED)))
        return;
    k->marks |= told;
    k->mark_why[MARK_COMMUNICATION] = k->mark_why[MARK_CHANNEL];
}

/* The question unit I answers, when it asks what happens if a rule is
 * broken ("What happens if I break the rules? It depends. You might lose
 * your access"): the nearest question before it in its own paragraph or
 * the one before, the answer running on from it. -1 when none, or when
 * the question names no condition. */
static int asked_condition(const unit_list *u, const raw_brief *raw, size_t i)
{
    const unit *x = &u->items[i];
    for (size_t j = i; j-- > 0;) {
        const unit *q = &u->items[j];
        if (q->kind == UNIT_HEADING || x->block - q->block > 1)
            return -1;
        if (q->len && q->text[q->len - 1] == '?')
            return (raw[j].marks & CLASSIFY_CONDITIONS) ? (int)j : -1;
    }
    return -1;
}

/* ---- a condition that restates a rule ---- */

enum { STEMS = 24, STEM_LEN = 15, RESTATE_REACH = 120 };

typedef struct {
    char s[STEMS][STEM_LEN + 1];
    size_t n;
} stem_set;

/* The stem of word W (N bytes, folded): "photos" -> "photo", "takes" -> "take". */
static size_t stem_of(const char *w, size_t n, char *out)
{
    if (n > 2 && w[n - 2] == '\'' && w[n - 1] == 's')
        n -= 2;
    if (n > 5 && !memcmp(w + n - 3, "ing", 3))
        n -= 3;
    else if (n > 4 && !memcmp(w + n - 2, "ed", 2))
        n -= 2;
    else if (n > 4 && !memcmp(w + n - 3, "ies", 3))
        n -= 2;
    else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
        n -= 1;
    if (n > STEM_LEN)
        n = STEM_LEN;
    memcpy(out, w, n);
    out[n] = '\0';
    return n;
}

/* The content words of S (N bytes, folded) into SET, up to the first
 * comma when CLAUSE: words of four letters or more, none of list
 * common-word. */
static void content_stems(const classifier *c, const char *s, size_t n, bool clause,
                          stem_set *set)
{
    set->n = 0;
    size_t pos = 0, a, b;
    textnorm_kind t;
    while (set->n < STEMS && (t = textnorm_next(s, n, &pos, &a, &b)) != TEXTNORM_END) {
        if (t == TEXTNORM_MARK) {
            if (clause && s[a] == ',' && set->n)
                return;
            continue;
        }
        if (b - a < 4 || (s[a] >= '0' && s[a] <= '9'))
            continue;
        int v = vocab_find(c, s + a, b - a);
        bool common = v >= 0 && (c->vocab[v].lists & ((uint64_t)1 << c->l_common));
        if (!common && stem_of(s + a, b - a, set->s[set->n]) >= 3)
            set->n++;
    }
}

static size_t shared_stems(const stem_set *x, const stem_set *y)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n; i++)
        for (size_t j = 0; j < y->n; j++)
            if (!strcmp(x->s[i], y->s[j])) {
                n++;
                break;
            }
    return n;
}

/* Does unit J forbid something, by its words or its context? */
static bool forbids(const unit_list *u, const raw_brief *raw, const raw_brief *ctx, size_t j)
{
    if (u->items[j].kind == UNIT_HEADING)
        return false;
    if (raw[j].acts & ACT_PROHIBITS)
        return true;
    polarity pol;
    context_of(u, ctx, j, &pol);
    return pol == POLARITY_PROHIBITS;
}

/* The rule before unit I whose words its condition repeats ("If someone
 * takes photos inside the nursery, ..." after "Please don't take photos
 * or videos anywhere inside the nursery"): two or more words shared, the
 * misuse named by naming what is forbidden. -1 when none. */
static int restated_rule(const classifier *c, const unit_list *u, const raw_brief *raw,
                         const raw_brief *ctx, size_t i)
{
    stem_set cond, rule;
    content_stems(c, u->items[i].folded, u->items[i].folded_len, true, &cond);
    if (cond.n < 2)
        return -1;
    for (size_t j = i; j-- > 0 && i - j <= RESTATE_REACH;) {
        if (!forbids(u, raw, ctx, j))
            continue;
        content_stems(c, u->items[j].folded, u->items[j].folded_len, false, &rule);
        if (shared_stems(&cond, &rule) >= 2)
            return (int)j;
    }
    return -1;
}

/* Is the draft unit I is in about technology: does its title (a heading
 * of the first level among its first units) or the unit before it in the
 * same block name some? */
static bool about_technology(const unit_list *u, const raw_brief *raw, size_t i)
{
    const unsigned tech = TECH_TOPICS | TOPIC_IMAGES;
    if (i > 0 && u->items[i - 1].block == u->items[i].block && (raw[i - 1].topics & tech))
        return true;
    for (size_t t = 0; t < u->count && t < 3 && t < i; t++)
        if (u->items[t].kind == UNIT_HEADING && u->items[t].level == 1)
            return (raw[t].topics & tech) != 0;
    return false;
}

/* The heading, lead-in or column header that says the setting will do
 * what unit I says ("The school will", "Staff will:"), -1 when none: the
 * nearest of them that says who does it. */
static int setting_does(const unit_list *u, const raw_brief *ctx, size_t i)
{
    const unit *x = &u->items[i];
    unsigned will = 1u << MARK_SETTING_WILL;
    if (x->lead_in >= 0)
        return (ctx[x->lead_in].marks & will) ? x->lead_in : -1;
    int guard = 0;
    for (int h = x->heading; h >= 0 && guard < 64; h = u->items[h].heading, guard++)
        if (ctx[h].marks & will)
            return h;
    return -1;
}

/* Unit I from its raw class RC (and, for a heading or lead-in, RCTX, what it
 * says of what follows); RAW and CTX hold the same, in brief, of the units
 * before it. */
static void combine(const classifier *c, const unit_list *u, const raw_class *rc,
                    const raw_class *rctx,
                    const raw_brief *raw, const raw_brief *ctx, size_t i, full_class *k)
{
    const unit *x = &u->items[i];
    memset(k, 0, sizeof *k);
    k->context = -1;
    k->marks = rc->marks;
    memcpy(k->mark_why, rc->mark_why, sizeof k->mark_why);
    memcpy(k->act_why, rc->act_why, sizeof k->act_why);
    k->readers = rc->readers;
    k->named = rc->named;
    settle_channel(k);
    if (x->kind == UNIT_HEADING || x->label) {
        /* what a heading says of its section ("Sanctions") is what counts */
        k->marks |= rctx->marks;
        k->readers |= rctx->readers;
        k->named |= rctx->named;
        for (size_t m = 0; m < CLASSIFY_NMARKS; m++)
            if (k->mark_why[m].kind == WHY_NONE)
                k->mark_why[m] = rctx->mark_why[m];
        k->acts = ACT_INFORMS;
        k->topics = rc->topics;
        memcpy(k->topic_why, rc->topic_why, sizeof k->topic_why);
        return;
    }
    polarity pol;
    int ctxu = context_of(u, ctx, i, &pol);
    unsigned acts = rc->acts;
    bool weak = rc->weak_only && (acts & ACT_PERMITS);
    bool bare = (rc->marks & (1u << MARK_WEAK)) != 0;
    unsigned has = rc->marks;
    bool asked_limit = false;   /* a limit asked for with "please" */
    /* a consequence: an outcome, and a condition that comes with it */
    bool misuse = has & (1u << MARK_CONDITION), cond = has & CLASSIFY_CONDITIONS;
    classify_why cond_why = rc->mark_why[misuse ? MARK_CONDITION : MARK_WHO];
    if (!cond && pol == POLARITY_SANCTIONS) {
        cond = true;
        cond_why = (classify_why){WHY_CONTEXT, -1, ctxu, 0, 0};
    }
    if (!cond && (has & (1u << MARK_FOLLOW_ON)) && i > 0 && u->items[i - 1].block == x->block &&
        (raw[i - 1].marks & CLASSIFY_CONDITIONS)) {
        cond = true;
        cond_why = (classify_why){WHY_FOLLOWS, -1, (int32_t)(i - 1), 0, 0};
    }
    if (!misuse && (has & (1u << MARK_SUPPOSE)) &&
        (has & ((1u << MARK_OUTCOME) | (1u << MARK_OUTCOME_SAID)))) {
        int r = restated_rule(c, u, raw, ctx, i);
        if (r >= 0) {
            misuse = cond = true;
            cond_why = (classify_why){WHY_RESTATES, -1, r, 0, 0};
        }
    }
    if (!cond && (has & (1u << MARK_OUTCOME))) {
        int q = asked_condition(u, raw, i);
        if (q >= 0) {
            cond = true;
            cond_why = (classify_why){WHY_ANSWERS, -1, q, 0, 0};
        }
    }
    bool outcome = has & (1u << MARK_OUTCOME), alone = has & (1u << MARK_OUTCOME_ALONE);
    /* "If you do not keep to this letter, we may collect the laptop": after
       a misuse named in the unit itself, what its main clause says will
       happen is the outcome, whatever the words */
    if (!outcome && misuse && (has & (1u << MARK_OUTCOME_SAID))) {
        outcome = true;
        k->marks |= 1u << MARK_OUTCOME;
        k->mark_why[MARK_OUTCOME] = rc->mark_why[MARK_OUTCOME_SAID];
    }
    k->acts = acts & (ACT_MONITORS | ACT_ACKNOWLEDGES);
    if (alone || (outcome && cond)) {
        classify_why w = alone ? rc->mark_why[MARK_OUTCOME_ALONE] : k->mark_why[MARK_OUTCOME];
        set_act(k, ACT_CONSEQUENCE, w);
        if (!alone)
            k->mark_why[MARK_CONDITION] = cond_why;
        k->context = cond_why.kind == WHY_CONTEXT ? ctxu : -1;
    } else {
        k->acts |= acts & (ACT_PERMITS | ACT_PROHIBITS | ACT_INFORMS);
        /* "We strongly recommend leaving your phone in your bag" advises:
           it forbids nothing, whatever words of a rule it holds */
        bool advice = has & (1u << MARK_ADVICE);
        if (advice)
            k->acts &= ~ACT_PROHIBITS;
        if ((k->acts & ACT_PROHIBITS) && weak && !second_clause(k))
            k->acts &= ~ACT_PERMITS;
        bool loose = x->kind == UNIT_ITEM || x->kind == UNIT_CELL || bare || weak;
        classify_why by_ctx = {WHY_CONTEXT, -1, ctxu, 0, 0};
        if (pol == POLARITY_PROHIBITS && !(k->acts & ACT_PROHIBITS) && loose &&
            !((k->acts & ACT_PERMITS) && !weak)) {
            k->acts &= ~ACT_PERMITS;
            set_act(k, ACT_PROHIBITS, by_ctx);
            k->context = ctxu;
        } else if (pol == POLARITY_PERMITS && !(k->acts & (ACT_PERMITS | ACT_PROHIBITS)) &&
                   (x->kind == UNIT_ITEM || x->kind == UNIT_CELL || bare)) {
            set_act(k, ACT_PERMITS, by_ctx);
            k->context = ctxu;
            weak = true;
        }
        /* a prohibition that is only the other side of a restriction
           ("play only games with the right age rating") still lets the
           unit name a good use */
        bool restricted = false;
        if (has & (1u << MARK_RESTRICTS)) {
            /* "it stays in the office": allowed, and not to be used */
            classify_why w = rc->mark_why[MARK_RESTRICTS];
            if (!(k->acts & ACT_PERMITS))
                set_act(k, ACT_PERMITS, w);
            if (!(k->acts & ACT_PROHIBITS) && !advice) {
                set_act(k, ACT_PROHIBITS, w);
                restricted = true;
                asked_limit = has & (1u << MARK_REQUEST);
            }
        }
        k->weak = (k->acts & ACT_PERMITS) && weak;
        bool promotes = has & (1u << MARK_PROMOTES);
        if (!promotes && k->context >= 0 && (ctx[k->context].marks & (1u << MARK_PROMOTES)) &&
            (k->acts & ACT_PERMITS)) {
            promotes = true;
            k->mark_why[MARK_PROMOTES] = by_ctx;
        }
        /* "we use software to check what is visited" watches; it promotes nothing */
        unsigned against = ACT_MONITORS | (restricted ? 0 : ACT_PROHIBITS);
        k->promotes = promotes && !(k->acts & against) && !reads_the_rules(k);
    }
    /* "Keep an eye on how the laptop is used" under "The school will": the
       setting watches, as "the school keeps an eye on ..." would say */
    if ((has & (1u << MARK_WATCHING)) && !(k->acts & ACT_MONITORS)) {
        int by = setting_does(u, ctx, i);
        if (by >= 0) {
            k->acts &= ~ACT_PERMITS;
            set_act(k, ACT_MONITORS, (classify_why){WHY_CONTEXT, -1, by, 0, 0});
            k->promotes = false;
        }
    }
    drop_forbidden_watching(k);
    if (!k->acts)
        k->acts = ACT_INFORMS;
    /* topics: its own; when it names no technology, the technology its
       lead-in or section is about, or with no topic at all, the document's */
    k->topics = rc->topics;
    memcpy(k->topic_why, rc->topic_why, sizeof k->topic_why);
    /* "The trip leader carries the school mobile. Use it to call school":
       a pronoun that opens a unit stands for the technology the unit
       before it in the same paragraph or list item named; one that comes
       later ("..., and it must never be used to photograph the till";
       "Games are not allowed on them") does so whatever else it names */
    bool later = rc->mark_why[MARK_REFERS].from > 0;
    if ((has & (1u << MARK_REFERS)) && i > 0 && u->items[i - 1].block == x->block &&
        (raw[i - 1].topics & TECH_TOPICS & ~k->topics) &&
        (later ? !names_kit_before(k, rc->mark_why[MARK_REFERS].from)
               : !(k->topics & TECH_TOPICS))) {
        unsigned add = raw[i - 1].topics & TECH_TOPICS & ~k->topics;
        k->topics |= add;
        for (size_t t = 0; t < CLASSIFY_NTOPICS; t++)
            if (add & (1u << t))
                k->topic_why[t] = (classify_why){WHY_FOLLOWS, -1, (int32_t)(i - 1), 0, 0};
    }
    if (!(k->topics & TECH_TOPICS)) {
        /* how to treat people ("Be kind to others online") is a rule about
           behaviour, not about the technology its section is headed by;
           only a lead-in it completes ("On the class iPads I will:") gives
           it one */
        bool conduct = (has & (1u << MARK_CONDUCT)) != 0;
        bool ruled = k->topics == 0 && k->context >= 0 && x->kind == UNIT_ITEM &&
                     (pol == POLARITY_PERMITS || pol == POLARITY_PROHIBITS);
        int src = topic_source(u, raw, ctx, i, k->topics == 0, ruled);
        if (conduct && src >= 0 && src != x->lead_in && src != x->row_head)
            src = -1;
        if (src >= 0) {
            unsigned add = (raw[src].topics | ctx[src].topics) & TECH_TOPICS;
            /* "Please don't film anyone else's child" under "Phones, photos
               and screens": a heading that names the setting's technology
               and the reader's own leaves a photograph or a post, naming
               neither, to the reader's own camera and accounts */
            if (add == TECH_TOPICS && u->items[src].kind == UNIT_HEADING &&
                (k->topics & (TOPIC_IMAGES | TOPIC_PEOPLE)))
                add = TOPIC_PERSONAL;
            k->topics |= add;
            for (size_t t = 0; t < CLASSIFY_NTOPICS; t++)
                if (add & (1u << t))
                    k->topic_why[t] = (classify_why){WHY_CONTEXT, -1, src, 0, 0};
        }
    }
    /* "Please do not stream films on the centre wifi" under "Your own phone
       or tablet": a rule on the network alone, in a section about the
       reader's own devices, is about those devices on it */
    if ((has & (1u << MARK_NETWORK)) && (k->topics & TOPIC_SYSTEMS) &&
        !(k->topics & TOPIC_PERSONAL) && !(rc->topics & TOPIC_PERSONAL)) {
        int src = topic_source(u, raw, ctx, i, false, false);
        if (src >= 0 && ((raw[src].topics | ctx[src].topics) & TECH_TOPICS) == TOPIC_PERSONAL) {
            k->topics |= TOPIC_PERSONAL;
            k->topic_why[bit_index(TOPIC_PERSONAL)] = (classify_why){WHY_CONTEXT, -1, src, 0, 0};
        }
    }
    /* "Please use only your own login" asks, and of the setting's kit a
       request forbids nothing; "please take calls outside" still limits
       one's own phone */
    if (asked_limit && !(k->topics & TOPIC_PERSONAL))
        k->acts &= ~ACT_PROHIBITS;
    /* "The salon iPad is there to help you build a portfolio": what a thing
       does for people is a good use of it once the unit is about technology,
       named or followed on from, or the draft is ("It means nobody has to
       wait at the roadside" in "The bus tracker app"); said of anything else
       it is not */
    if (!k->promotes && (has & (1u << MARK_BENEFIT)) &&
        ((k->topics & (TECH_TOPICS | TOPIC_IMAGES)) || about_technology(u, raw, i)) &&
        !(k->acts & (ACT_MONITORS | ACT_PROHIBITS | ACT_CONSEQUENCE))) {
        k->promotes = true;
        k->mark_why[MARK_PROMOTES] = k->mark_why[MARK_BENEFIT];
    }
    /* a unit that also allows the device bans it only in part */
    k->ban = (k->acts & ACT_PROHIBITS) && !(k->acts & ACT_PERMITS) &&
             (k->topics & TOPIC_PERSONAL) && (has & (1u << MARK_BAN)) &&
             !(has & (1u << MARK_LIMIT));
    if (k->acts != ACT_INFORMS)
        k->acts &= ~ACT_INFORMS;
}

static bool is_context_unit(const unit_list *u, size_t i, const bool *lead)
{
    return u->items[i].kind == UNIT_HEADING || u->items[i].label || lead[i];
}

/* ---- classes with their reasons ---- */

enum { WHY_SLOTS = CLASSIFY_NACTS + CLASSIFY_NTOPICS + CLASSIFY_NMARKS };
_Static_assert(WHY_SLOTS <= 64, "unit_class.why_set has a bit for each act, topic and mark");
_Static_assert(CLASSIFY_NMARKS <= 32, "unit_class.marks has a bit for each mark, and is full");

/* Room for reasons given at once to a draft's classes, per unit: a little
 * more than units have on average, as every byte given is touched sooner
 * or later (malloc marks a block's end). More are made room for as needed. */
enum { WHYS_PER_UNIT = 4 };

/* The reasons of every unit, end to end, while the classes are made. */
typedef struct {
    classify_why *w;
    size_t n, cap;
} why_pool;

/* Room in POOL for one class's reasons. */
static void pool_room(why_pool *pool)
{
    if (pool->cap - pool->n < WHY_SLOTS) {
        pool->cap = pool->cap ? pool->cap * 2 : 4096;
        pool->w = xrealloc(pool->w, pool->cap * sizeof *pool->w);
    }
}

/* N classes and, after them, their reasons, in the one block classify_units
 * returns: written in place, unit by unit, so that nothing is copied. */
typedef struct {
    unit_class *out;
    size_t n, head;      /* the classes, and the bytes before the reasons */
    size_t nwhy, capwhy;
    size_t base;         /* the unit out[0] is the class of */
} class_block;

static void block_init(class_block *b, size_t n)
{
    size_t head = (n ? n : 1) * sizeof *b->out;
    b->head = (head + _Alignof(classify_why) - 1) / _Alignof(classify_why) *
              _Alignof(classify_why);
    b->n = n;
    b->nwhy = 0;
    b->base = 0;
    b->capwhy = (n ? n : 1) * WHYS_PER_UNIT;
    b->out = xmalloc(b->head + b->capwhy * sizeof(classify_why));
}

static classify_why *block_whys(const class_block *b)
{
    return (classify_why *)((char *)b->out + b->head);
}

/* Put the class F of unit I into B, its reasons after those before it
 * (its why is set in seal_classes, when the block stops moving). */
static void keep_class(const full_class *f, class_block *b, size_t i)
{
    if (b->capwhy - b->nwhy < WHY_SLOTS) {
        b->capwhy *= 2;
        b->out = xrealloc(b->out, b->head + b->capwhy * sizeof(classify_why));
    }
    unit_class *k = &b->out[i - b->base];
    *k = (unit_class){f->acts, f->topics, f->marks, f->ban, f->promotes, f->weak, f->context,
                      f->polarity, f->readers, f->named, 0, NULL};
    classify_why *w = block_whys(b);
    for (size_t s = 0; s < WHY_SLOTS; s++)
        if (f->why[s].kind != WHY_NONE) {
            k->why_set |= (uint64_t)1 << s;
            w[b->nwhy++] = f->why[s];
        }
}

/* B's classes, each pointing at its reasons, in a block that free()
 * releases. */
static unit_class *seal_classes(class_block *b)
{
    classify_why *w = block_whys(b);
    for (size_t i = 0; i < b->n; i++) {
        b->out[i].why = w;
        w += __builtin_popcountll(b->out[i].why_set);
    }
    return b->out;
}

static classify_why why_in(const unit_class *k, size_t slot)
{
    uint64_t bit = (uint64_t)1 << slot;
    if (!(k->why_set & bit))
        return (classify_why){0};
    return k->why[__builtin_popcountll(k->why_set & (bit - 1))];
}

classify_why classify_act_why(const unit_class *k, unsigned act)
{
    return why_in(k, (size_t)bit_index(act));
}

classify_why classify_topic_why(const unit_class *k, unsigned topic)
{
    return why_in(k, CLASSIFY_NACTS + (size_t)bit_index(topic));
}

classify_why classify_mark_why(const unit_class *k, classify_mark m)
{
    return why_in(k, CLASSIFY_NACTS + CLASSIFY_NTOPICS + (size_t)m);
}

/* ---- raw classes kept for later ----
 *
 * A raw class (what the rules found in one unit) depends on that unit
 * alone; its final class also on the briefs of the units before it. The
 * second half of a long draft is read on a thread of its own while the
 * first is classified, and its raw classes are kept, in unit order, until
 * every brief before them is known. */

typedef struct {
    unsigned acts, marks, topics, readers, named;
    bool weak_only;
    uint64_t why_set;    /* the reasons it has: acts, then topics, then marks */
} raw_kept;

typedef struct {
    raw_kept *k;
    size_t n, cap, next;   /* kept, room, and the next to take */
    why_pool pool;
    size_t next_why;
} raw_store;

/* Room in ST for the raw classes of N units, of which CONTEXT are
 * headings or lead-ins (which keep two), and their reasons (see
 * WHYS_PER_UNIT), given at once. */
static void raw_room(raw_store *st, size_t n, size_t context)
{
    st->cap = n + context;
    st->k = xmalloc((st->cap ? st->cap : 1) * sizeof *st->k);
    st->pool.cap = (n ? n : 1) * WHYS_PER_UNIT;
    st->pool.w = xmalloc(st->pool.cap * sizeof *st->pool.w);
}

/* Slot S of RC's reasons, numbered as in raw_kept. */
static classify_why *raw_why(raw_class *rc, size_t s)
{
    if (s < CLASSIFY_NACTS)
        return &rc->act_why[s];
    s -= CLASSIFY_NACTS;
    if (s < CLASSIFY_NTOPICS)
        return &rc->topic_why[s];
    return &rc->mark_why[s - CLASSIFY_NTOPICS];
}

/* The slots of RC that may hold a reason: record gives a fact its reason
 * when it sets the fact's bit, so only those of its bits. */
static uint64_t raw_slots(const raw_class *rc)
{
    return (uint64_t)rc->acts | (uint64_t)rc->topics << CLASSIFY_NACTS |
           (uint64_t)rc->marks << (CLASSIFY_NACTS + CLASSIFY_NTOPICS);
}

static void raw_put(raw_store *st, raw_class *rc)
{
    if (st->n == st->cap) {
        st->cap = st->cap ? 2 * st->cap : 64;
        st->k = xrealloc(st->k, st->cap * sizeof *st->k);
    }
    raw_kept *k = &st->k[st->n++];
    *k = (raw_kept){rc->acts, rc->marks, rc->topics, rc->readers, rc->named, rc->weak_only, 0};
    pool_room(&st->pool);
    for (uint64_t m = raw_slots(rc); m; m &= m - 1) {
        size_t s = (size_t)__builtin_ctzll(m);
        const classify_why *w = raw_why(rc, s);
        if (w->kind != WHY_NONE) {
            k->why_set |= (uint64_t)1 << s;
            st->pool.w[st->pool.n++] = *w;
        }
    }
}

/* The next raw class kept in ST, into RC. */
static void raw_take(raw_store *st, raw_class *rc)
{
    const raw_kept *k = &st->k[st->next++];
    *rc = (raw_class){.acts = k->acts, .marks = k->marks, .topics = k->topics,
                      .weak_only = k->weak_only, .readers = k->readers, .named = k->named};
    for (uint64_t m = k->why_set; m; m &= m - 1)
        *raw_why(rc, (size_t)__builtin_ctzll(m)) = st->pool.w[st->next_why++];
}

/* ---- all the units ---- */

/* What every share of the work reads, and the briefs each writes for its
 * own units only. */
typedef struct {
    const classifier *c;
    const unit_list *u;
    const bool *lead;    /* units that are a lead-in */
    raw_brief *raw, *ctx;   /* see classify_units_at */
    uint64_t body[RULE_WORDS];   /* the rules for every unit */
    uint64_t deep[RULE_WORDS];   /* the same, past the opening lines and not a heading */
    uint64_t context[RULE_WORDS];   /* and those for headings and lead-ins only */
} pass;

/* Units taken at a time: a few hundred microseconds of work. */
enum { STRETCH = 256 };

/* A stretch of units whose raw classes were kept: [FROM, TO), from entry
 * K and reason WHY of the store on. */
typedef struct {
    size_t from, to, k, why;
} kept_stretch;

/* One thread's share, with words and tokens of its own. With OUT, it takes
 * stretches from the front of CL and finishes their classes into OUT (every
 * unit before them is its own, done in order); without, it takes them from
 * the back and keeps their raw classes in KEPT, stretch by stretch. */
typedef struct {
    const pass *p;
    par_claims *cl;
    tokens ts;
    lexicon lx;
    class_block *out;    /* NULL: keep the raw classes */
    raw_store kept;
    kept_stretch *kept_at;   /* in the order taken: the last units first */
    size_t nkept_at;
} share;

/* Unit I's raw class RC and, as a heading or lead-in, RCTX, with their
 * briefs. Returns whether it is one (for others, RCTX is RC: not copied,
 * as a raw class is some 500 bytes). */
static bool read_unit(share *sh, size_t i, raw_class *rc, raw_class *rctx)
{
    const pass *p = sh->p;
    const unit *x = &p->u->items[i];
    *rc = (raw_class){0};
    tokenise(p->c, &sh->lx, x->folded, x->folded_len, &sh->ts);
    mark_clauses(p->c, &sh->ts);
    bool top = i < CLASSIFY_OPENING_UNITS || x->kind == UNIT_HEADING;
    classify_tokens(p->c, &sh->ts, x, false, top ? p->body : p->deep, rc);
    p->raw[i] = p->ctx[i] = brief_of(rc);
    if (!is_context_unit(p->u, i, p->lead))
        return false;
    /* as the body, plus what only headings and lead-ins say */
    *rctx = *rc;
    classify_tokens(p->c, &sh->ts, x, true, p->context, rctx);
    p->ctx[i] = brief_of(rctx);
    return true;
}

/* Unit I's class into OUT[I], once every unit before it has its brief. */
static void finish_unit(const pass *p, size_t i, const raw_class *rc, const raw_class *rctx,
                        class_block *out)
{
    full_class k;
    combine(p->c, p->u, rc, rctx, p->raw, p->ctx, i, &k);
    if (is_context_unit(p->u, i, p->lead))
        k.polarity = polarity_of(&p->ctx[i]);
    keep_class(&k, out, i);
}

static void run_share(void *arg)
{
    share *sh = arg;
    size_t from, to;
    while (par_claim(sh->cl, sh->out != NULL, STRETCH, &from, &to)) {
        if (!sh->out) {
            sh->kept_at = xgrow(sh->kept_at, sh->nkept_at, sizeof *sh->kept_at);
            sh->kept_at[sh->nkept_at++] = (kept_stretch){from, to, sh->kept.n, sh->kept.pool.n};
        }
        for (size_t i = from; i < to; i++) {
            raw_class rc, rctx;
            bool context = read_unit(sh, i, &rc, &rctx);
            if (sh->out) {
                finish_unit(sh->p, i, &rc, context ? &rctx : &rc, sh->out);
                continue;
            }
            raw_put(&sh->kept, &rc);
            if (context)
                raw_put(&sh->kept, &rctx);
        }
    }
    free(sh->ts.t);
    lex_free(&sh->lx);
}

/* The kept stretches AT[0..N) of a share (the last units first),
 * finished into OUT. */
typedef struct {
    const share *sh;
    const kept_stretch *at;
    size_t n;
    class_block *out;
} finishing;

static void finish_stretches(void *arg)
{
    finishing *f = arg;
    const pass *p = f->sh->p;
    raw_store st = f->sh->kept;
    for (size_t s = f->n; s-- > 0;) {
        st.next = f->at[s].k;
        st.next_why = f->at[s].why;
        for (size_t i = f->at[s].from; i < f->at[s].to; i++) {
            raw_class rc, rctx;
            raw_take(&st, &rc);
            bool context = is_context_unit(p->u, i, p->lead);
            if (context)
                raw_take(&st, &rctx);
            finish_unit(p, i, &rc, context ? &rctx : &rc, f->out);
        }
    }
}

/* Add the classes of B, the units after those of OUT, to OUT. */
static void append_block(class_block *out, const class_block *b)
{
    if (out->capwhy - out->nwhy < b->nwhy) {
        out->capwhy = out->nwhy + b->nwhy;
        out->out = xrealloc(out->out, out->head + out->capwhy * sizeof(classify_why));
    }
    memcpy(out->out + b->base, b->out, b->n * sizeof *b->out);
    memcpy(block_whys(out) + out->nwhy, block_whys(b), b->nwhy * sizeof(classify_why));
    out->nwhy += b->nwhy;
}

/* Finish the units of SH, whose raw classes it kept, into OUT: when they
 * are many, the later of them on the helper into a block of their own,
 * added after the others'. */
static void finish_kept(share *sh, class_block *out)
{
    size_t n = sh->nkept_at, units = 0, half = 0, k = 0;
    for (size_t s = 0; s < n; s++)
        units += sh->kept_at[s].to - sh->kept_at[s].from;
    /* the stretches at the back, K of them, make about half the units */
    while (k < n && half < units / 2)
        half += sh->kept_at[k].to - sh->kept_at[k].from, k++;
    finishing a = {sh, sh->kept_at + k, n - k, out};
    if (units < 1024 || k == 0 || k == n) {
        a = (finishing){sh, sh->kept_at, n, out};
        finish_stretches(&a);
    } else {
        class_block rest;
        block_init(&rest, half);
        rest.base = sh->kept_at[k - 1].from;
        finishing b = {sh, sh->kept_at, k, &rest};
        par_two(finish_stretches, &a, &b);
        append_block(out, &rest);
        free(rest.out);
    }
    free(sh->kept_at);
    free(sh->kept.k);
    free(sh->kept.pool.w);
}

/* Is U long enough to be worth a second thread (PAR_MIN_BYTES)? */
static bool worth_a_thread(const unit_list *u)
{
    size_t total = 0;
    for (size_t k = 0; k < u->count && total < PAR_MIN_BYTES; k++)
        total += u->items[k].folded_len;
    return total >= PAR_MIN_BYTES;
}

/* How many of P's units are headings or lead-ins, which keep two raw
 * classes. */
static size_t context_units(const pass *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->u->count; i++)
        n += is_context_unit(p->u, i, p->lead);
    return n;
}

/* classify_units_at, with the rules that guess the reader unless READER_KNOWN. */
static unit_class *classify(const classifier *c, const unit_list *u, size_t split,
                            bool reader_known)
{
    size_t n = u->count, one = n ? n : 1;
    class_block out;
    block_init(&out, n);
    bool *lead = xcalloc(one, sizeof *lead);
    for (size_t i = 0; i < n; i++)
        if (u->items[i].lead_in >= 0)
            lead[u->items[i].lead_in] = true;
    /* each unit's raw class in brief; in CTX, for headings and lead-ins,
       with what they say of what follows */
    pass p = {c, u, lead, xcalloc(one, sizeof(raw_brief)), xcalloc(one, sizeof(raw_brief)),
              {0}, {0}, {0}};
    for (size_t w = 0; w < RULE_WORDS; w++) {
        uint64_t used = reader_known ? ~c->guess_rules[w] : ~(uint64_t)0;
        p.body[w] = ~c->context_rules[w] & used;
        /* whom a draft says it is for counts only in its opening lines and
           headings (src/draft.c); elsewhere those rules would only add to
           the words pointing to a reader, which the reader rules count
           already, at a sixth of the cost of classifying a long draft */
        p.deep[w] = p.body[w] & ~c->addressee_rules[w];
        /* whom a heading addresses ("For grown-ups at home") matters even
           when the reader is known: what it says is not said to them */
        p.context[w] = (c->context_rules[w] & used) | (reader_known ? c->addressee_rules[w] : 0);
    }
    /* SPLIT within the draft: each thread up to it from its end; else
       both from one pool, the second thread only for a long draft */
    bool pooled = split == SIZE_MAX && worth_a_thread(u);
    if (split > n)
        split = n;
    par_claims front, back;
    par_claims_init(&front, 0, pooled ? n : split);
    par_claims_init(&back, split, n);
    share a = {.p = &p, .cl = &front, .out = &out};
    share b = {.p = &p, .cl = pooled ? &front : &back};
    /* room for the raw classes of a little more than half the units */
    raw_room(&b.kept, n / 2 + n / 16, context_units(&p) / 2);
    if (pooled || (split > 0 && split < n)) {
        par_two(run_share, &a, &b);
    } else {
        run_share(&a);
        run_share(&b);
    }
    finish_kept(&b, &out);
    free(p.raw);
    free(p.ctx);
    free(lead);
    return seal_classes(&out);
}

unit_class *classify_units_at(const classifier *c, const unit_list *u, size_t split)
{
    return classify(c, u, split, false);
}

unit_class *classify_units(const classifier *c, const unit_list *u)
{
    return classify(c, u, SIZE_MAX, false);
}

unit_class *classify_units_for(const classifier *c, const unit_list *u, bool reader_known)
{
    return classify(c, u, SIZE_MAX, reader_known);
}

size_t classify_find(const classifier *c, const unit *x, classify_mark m, size_t *from,
                     size_t *to, size_t max)
{
    tokens ts = {0};
    lexicon lx = {0};
    tokenise(c, &lx, x->folded, x->folded_len, &ts);
    lex_free(&lx);
    mark_clauses(c, &ts);
    size_t k = 0;
    for (size_t pos = 0; pos < ts.n && k < max; pos++) {
        for (size_t ri = 0; ri < c->nrules; ri++) {
            const rule *r = &c->rules[ri];
            if (!(r->marks & (1u << m)) || (r->anchored && pos != ts.first))
                continue;
            if (!may_start(&ts, r, ri, pos))
                continue;
            long e = try_rule(c, &ts, r, pos);
            if (e <= (long)pos)
                continue;
            from[k] = ts.t[pos].from;
            to[k] = ts.t[e - 1].to;
            k++;
            pos = (size_t)e - 1;
            break;
        }
    }
    free(ts.t);
    return k;
}

/* ---- names and explanations ---- */

int classify_act_index(unsigned act)
{
    return bit_index(act);
}

const char *classify_act_name(unsigned act)
{
    static const char *const names[] = {"permits", "prohibits", "monitors", "consequence",
                                        "acknowledges", "informs"};
    int i = bit_index(act);
    return i < CLASSIFY_NACTS ? names[i] : "?";
}

const char *classify_mark_name(classify_mark m)
{
    return (unsigned)m < CLASSIFY_NMARKS ? mark_names[m] : "?";
}

const char *classify_topic_name(unsigned topic)
{
    int i = bit_index(topic);
    return i < CLASSIFY_NTOPICS ? topic_names[i] : "?";
}

const char *classify_topics_text(unsigned topics, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < CLASSIFY_NTOPICS; i++)
        if (topics & (1u << i)) {
            int w = snprintf(buf + k, size - k, "%s%s", k ? " " : "", topic_names[i]);
            if (w < 0 || (size_t)w >= size - k)
                break;
            k += (size_t)w;
        }
    return buf;
}

const char *classify_rule_id(const classifier *c, int i)
{
    return i >= 0 && (size_t)i < c->nrules ? c->rules[i].id : "?";
}

static char *quote_unit(const unit *x)
{
    if (x->len <= 50)
        return xasprintf("\"%s\"", x->text);
    size_t cut = 47;
    while (cut > 0 && ((unsigned char)x->text[cut] & 0xC0) == 0x80)
        cut--;
    return xasprintf("\"%.*s...\"", (int)cut, x->text);
}

char *classify_why_text(const classifier *c, const unit_list *u, size_t i,
                        const classify_why *why)
{
    switch (why->kind) {
    case WHY_RULE: {
        const rule *r = &c->rules[why->rule];
        const unit *x = &u->items[i];
        if (why->to > why->from && why->to <= x->folded_len)
            return xasprintf("%s: \"%.*s\" (%s)", r->id, (int)(why->to - why->from),
                             x->folded + why->from, r->why);
        return xasprintf("%s (%s)", r->id, r->why);
    }
    case WHY_CONTEXT:
    case WHY_FOLLOWS:
    case WHY_ANSWERS:
    case WHY_RESTATES: {
        if (why->unit < 0 || (size_t)why->unit >= u->count)
            return xstrdup("its context");
        const unit *x = &u->items[why->unit];
        char *q = quote_unit(x);
        const char *what = why->kind == WHY_FOLLOWS    ? "follows on from"
                           : why->kind == WHY_ANSWERS  ? "answers"
                           : why->kind == WHY_RESTATES ? "names what is forbidden by"
                           : x->kind == UNIT_HEADING ? "under the heading"
                                                     : "completes the lead-in";
        char *r = xasprintf("%s %s (line %d)", what, q, x->line);
        free(q);
        return r;
    }
    default:
        return xstrdup("no rule");
    }
}
