#include "classify_blob.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify_types.h"
#include "embedded.h"

/* "aupc classifier", the format's version, and what the numbers in it
 * are: a blob from another version or machine is refused. */
static const char MAGIC[8] = "aupccls";
enum { VERSION = 1 };

static uint64_t shape(void)
{
    const uint16_t one = 1;
    unsigned char little;
    memcpy(&little, &one, 1);
    return (uint64_t)VERSION << 32 | (uint64_t)sizeof(size_t) << 24 |
           (uint64_t)sizeof(classifier) << 8 | little;
}

/* ---- writing ---- */

static void put(strbuf *b, const void *p, size_t n)
{
    if (n)
        sb_add(b, p, n);
}

static void put_u64(strbuf *b, uint64_t v)
{
    put(b, &v, sizeof v);
}

static void put_int(strbuf *b, int v)
{
    put_u64(b, (uint64_t)(int64_t)v);
}

static void put_bits(strbuf *b, const uint64_t *w, size_t n)
{
    put(b, w, n * sizeof *w);
}

static void put_str(strbuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u64(b, s ? n + 1 : 0);
    put(b, s, n);
}

static void put_seq(strbuf *b, const seq *s);

static void put_element(strbuf *b, const element *e)
{
    put_u64(b, (uint64_t)e->kind | (uint64_t)e->optional << 8 | (uint64_t)e->any_first << 9);
    put_int(b, e->arg);
    put_u64(b, e->nalts);
    for (size_t i = 0; i < e->nalts; i++)
        put_seq(b, &e->alts[i]);
    put_u64(b, e->nset);
    for (size_t i = 0; i < e->nset; i++)
        put_int(b, e->set[i]);
    put_u64(b, e->first_words);
    put_u64(b, e->first_lists);
    put_u64(b, e->nbyword);
    put_bits(b, e->byword, e->nbyword);
    put_u64(b, e->nothers);
    for (size_t i = 0; i < e->nothers; i++)
        put_u64(b, e->others[i]);
}

static void put_seq(strbuf *b, const seq *s)
{
    put_u64(b, s->n | (uint64_t)s->phrase << 63);
    for (size_t i = 0; i < s->n; i++)
        put_element(b, &s->els[i]);
}

static void put_rule(strbuf *b, const rule *r)
{
    put_str(b, r->id);
    put_str(b, r->why);
    put_seq(b, &r->pat);
    put_u64(b, r->act);
    put_u64(b, r->marks);
    put_u64(b, r->topics);
    put_u64(b, r->readers);
    put_u64(b, r->qualifies);
    const bool flags[] = {r->main_only, r->context_only, r->title_only, r->field_only,
                          r->claims,    r->anchored,     r->alt_anchored, r->anywhere,
                          r->at_start,  r->agent,        r->consequent,   r->thing};
    uint64_t f = 0;
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        f |= (uint64_t)flags[i] << i;
    put_u64(b, f);
    put_u64(b, r->nreq);
    for (size_t i = 0; i < r->nreq; i++) {
        put_u64(b, r->req[i].lists);
        put_bits(b, r->req[i].words, 4);
    }
    put_int(b, r->gword);
    put_int(b, r->gshift);
    put_u64(b, r->gmask);
}

/* The requirement groups of N words or lists, GROUP_WORDS each, by the
 * words of them that are not 0 (most are). */
static void put_groups(strbuf *b, const uint64_t *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const uint64_t *w = g + i * GROUP_WORDS;
        uint64_t used = 0;
        for (size_t k = 0; k < GROUP_WORDS; k++)
            used |= (uint64_t)(w[k] != 0) << k;
        put_u64(b, used);
        for (size_t k = 0; k < GROUP_WORDS; k++)
            if (w[k])
                put_u64(b, w[k]);
    }
}

static void put_vocab(strbuf *b, const classifier *c)
{
    put_u64(b, c->nvocab);
    for (size_t i = 0; i < c->nvocab; i++) {
        const vocab_entry *v = &c->vocab[i];
        put_str(b, v->text);
        put_u64(b, v->len);
        put_u64(b, v->lists);
        put_u64(b, v->excluded);
        put_u64(b, v->multi);
        put_bits(b, v->starts, RULE_WORDS);
        put_int(b, v->contraction);
    }
    put_u64(b, c->tablesize);
    for (size_t i = 0; i < c->tablesize; i++)
        put_int(b, c->table[i]);
    put_groups(b, c->vocab_groups, c->nvocab);
}

static void put_lists(strbuf *b, const classifier *c)
{
    put_u64(b, c->nlists);
    for (size_t i = 0; i < c->nlists; i++) {
        const word_list *l = &c->lists[i];
        put_str(b, l->id);
        put_u64(b, l->nmulti);
        for (size_t k = 0; k < l->nmulti; k++) {
            put_u64(b, l->multi[k].n);
            for (size_t j = 0; j < l->multi[k].n; j++)
                put_int(b, l->multi[k].words[j]);
        }
        put_bits(b, l->starts, RULE_WORDS);
    }
    put_groups(b, c->list_groups, MAX_LISTS);
    put_u64(b, c->nwild);
    for (size_t i = 0; i < c->nwild; i++) {
        put_str(b, c->wild[i].affix);
        put_u64(b, c->wild[i].len);
        put_int(b, c->wild[i].list);
        put_u64(b, c->wild[i].suffix);
    }
    put_u64(b, c->ncontr);
    for (size_t i = 0; i < c->ncontr; i++) {
        put_str(b, c->contr[i].from);
        put_u64(b, c->contr[i].suffix);
        for (size_t k = 0; k < 3; k++)
            put_int(b, c->contr[i].to[k]);
    }
}

void classify_blob_write(const classifier *c, strbuf *out)
{
    put(out, MAGIC, sizeof MAGIC);
    put_u64(out, shape());
    put_vocab(out, c);
    put_lists(out, c);
    put_u64(out, c->nrules);
    for (size_t i = 0; i < c->nrules; i++)
        put_rule(out, &c->rules[i]);
    const uint64_t *sets[] = {c->anywhere,   c->at_start,    c->anchored,   c->context_rules,
                              c->field_rules, c->title_rules, c->guess_rules,
                              c->addressee_rules};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        put_bits(out, sets[i], RULE_WORDS);
    put_u64(out, c->ngroupwords);
    const int ids[] = {c->l_neg,     c->l_modal,  c->l_be,        c->l_sub,    c->l_rel,
                       c->l_content, c->l_pronoun, c->w_comma,    c->w_semicolon, c->w_colon,
                       c->w_stop,    c->w_excl,   c->w_quest,     c->w_open,   c->w_close,
                       c->w_dash,    c->w_that,   c->l_reader,    c->l_filler, c->l_verb,
                       c->l_breach,  c->l_gerund,  c->l_person_word, c->w_poss,
                       c->l_common};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        put_int(out, ids[i]);
}

/* ---- reading ---- */

typedef struct {
    const unsigned char *p, *end;
    bool bad;
} reader;

static void take(reader *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
}

static uint64_t get_u64(reader *r)
{
    uint64_t v;
    take(r, &v, sizeof v);
    return v;
}

static int get_int(reader *r)
{
    return (int)(int64_t)get_u64(r);
}

/* A count of items of SIZE bytes each, held to what is left of the blob,
 * so that a damaged count allocates nothing huge. */
static size_t get_count(reader *r, size_t size)
{
    uint64_t n = get_u64(r);
    if (n > (uint64_t)(r->end - r->p) / (size ? size : 1)) {
        r->bad = true;
        return 0;
    }
    return (size_t)n;
}

static void *get_array(reader *r, size_t n, size_t size)
{
    void *p = xmalloc((n ? n : 1) * size);
    take(r, p, n * size);
    return p;
}

static char *get_str(reader *r)
{
    size_t n = get_count(r, 1);
    if (!n)
        return NULL;
    char *s = xmalloc(n);
    take(r, s, n - 1);
    s[n - 1] = '\0';
    return s;
}

static void get_seq(reader *r, seq *s, int depth);

static void get_element(reader *r, element *e, int depth)
{
    uint64_t k = get_u64(r);
    e->kind = (el_kind)(k & 0xff);
    e->optional = (k >> 8) & 1;
    e->any_first = (k >> 9) & 1;
    e->arg = get_int(r);
    e->nalts = get_count(r, 8);
    e->alts = e->nalts ? xcalloc(e->nalts, sizeof *e->alts) : NULL;
    for (size_t i = 0; i < e->nalts; i++)
        get_seq(r, &e->alts[i], depth + 1);
    e->nset = get_count(r, 8);
    e->set = e->nset ? xmalloc(e->nset * sizeof *e->set) : NULL;
    for (size_t i = 0; i < e->nset; i++)
        e->set[i] = get_int(r);
    e->first_words = get_u64(r);
    e->first_lists = get_u64(r);
    e->nbyword = get_count(r, 8);
    e->byword = e->nbyword ? get_array(r, e->nbyword, sizeof *e->byword) : NULL;
    e->nothers = get_count(r, 8);
    e->others = e->nothers ? xmalloc(e->nothers * sizeof *e->others) : NULL;
    for (size_t i = 0; i < e->nothers; i++)
        e->others[i] = (uint32_t)get_u64(r);
}

static void get_seq(reader *r, seq *s, int depth)
{
    uint64_t n = get_u64(r);
    s->phrase = n >> 63;
    n &= ~((uint64_t)1 << 63);
    /* patterns nest a few levels; a blob that says more is damaged */
    if (depth > 64 || n > (uint64_t)(r->end - r->p) / 8) {
        r->bad = true;
        n = 0;
    }
    s->n = (size_t)n;
    s->els = s->n ? xcalloc(s->n, sizeof *s->els) : NULL;
    for (size_t i = 0; i < s->n && !r->bad; i++)
        get_element(r, &s->els[i], depth);
}

static void get_rule(reader *r, rule *x)
{
    x->id = get_str(r);
    x->why = get_str(r);
    get_seq(r, &x->pat, 0);
    x->act = (unsigned)get_u64(r);
    x->marks = (unsigned)get_u64(r);
    x->topics = (unsigned)get_u64(r);
    x->readers = (unsigned)get_u64(r);
    x->qualifies = (unsigned)get_u64(r);
    uint64_t f = get_u64(r);
    bool *flags[] = {&x->main_only, &x->context_only, &x->title_only, &x->field_only,
                     &x->claims,    &x->anchored,     &x->alt_anchored, &x->anywhere,
                     &x->at_start,  &x->agent,        &x->consequent,   &x->thing};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        *flags[i] = (f >> i) & 1;
    x->nreq = get_count(r, 40);
    x->req = x->nreq ? xcalloc(x->nreq, sizeof *x->req) : NULL;
    for (size_t i = 0; i < x->nreq; i++) {
        x->req[i].lists = get_u64(r);
        take(r, x->req[i].words, sizeof x->req[i].words);
    }
    x->gword = get_int(r);
    x->gshift = get_int(r);
    x->gmask = get_u64(r);
}

static uint64_t *get_groups(reader *r, size_t n)
{
    uint64_t *g = xcalloc(n ? n : 1, GROUP_WORDS * sizeof *g);
    for (size_t i = 0; i < n && !r->bad; i++)
        for (uint64_t used = get_u64(r); used; used &= used - 1)
            g[i * GROUP_WORDS + (size_t)__builtin_ctzll(used)] = get_u64(r);
    return g;
}

static void get_vocab(reader *r, classifier *c)
{
    c->nvocab = c->capvocab = get_count(r, 8 * (6 + RULE_WORDS));
    c->vocab = xcalloc(c->nvocab ? c->nvocab : 1, sizeof *c->vocab);
    for (size_t i = 0; i < c->nvocab && !r->bad; i++) {
        vocab_entry *v = &c->vocab[i];
        v->text = get_str(r);
        v->len = (size_t)get_u64(r);
        v->lists = get_u64(r);
        v->excluded = get_u64(r);
        v->multi = get_u64(r);
        take(r, v->starts, sizeof v->starts);
        v->contraction = get_int(r);
    }
    c->tablesize = get_count(r, 8);
    c->table = xmalloc((c->tablesize ? c->tablesize : 1) * sizeof *c->table);
    for (size_t i = 0; i < c->tablesize; i++)
        c->table[i] = get_int(r);
    c->vocab_groups = get_groups(r, c->nvocab);
}

static void get_lists(reader *r, classifier *c)
{
    c->nlists = get_count(r, 8);
    if (c->nlists > MAX_LISTS) {
        r->bad = true;
        c->nlists = 0;
    }
    for (size_t i = 0; i < c->nlists && !r->bad; i++) {
        word_list *l = &c->lists[i];
        l->id = get_str(r);
        l->nmulti = get_count(r, 8);
        l->multi = l->nmulti ? xcalloc(l->nmulti, sizeof *l->multi) : NULL;
        for (size_t k = 0; k < l->nmulti; k++) {
            l->multi[k].n = get_count(r, 8);
            l->multi[k].words = xmalloc((l->multi[k].n ? l->multi[k].n : 1) * sizeof(int));
            for (size_t j = 0; j < l->multi[k].n; j++)
                l->multi[k].words[j] = get_int(r);
        }
        take(r, l->starts, sizeof l->starts);
    }
    c->list_groups = get_groups(r, MAX_LISTS);
    c->nwild = get_count(r, 32);
    c->wild = xcalloc(c->nwild ? c->nwild : 1, sizeof *c->wild);
    for (size_t i = 0; i < c->nwild; i++) {
        c->wild[i].affix = get_str(r);
        c->wild[i].len = (size_t)get_u64(r);
        c->wild[i].list = get_int(r);
        c->wild[i].suffix = get_u64(r) != 0;
    }
    c->ncontr = get_count(r, 40);
    c->contr = xcalloc(c->ncontr ? c->ncontr : 1, sizeof *c->contr);
    for (size_t i = 0; i < c->ncontr; i++) {
        c->contr[i].from = get_str(r);
        c->contr[i].suffix = get_u64(r) != 0;
        for (size_t k = 0; k < 3; k++)
            c->contr[i].to[k] = get_int(r);
    }
}

classifier *classify_blob_read(const unsigned char *data, size_t len)
{
    reader r = {data, data + len, false};
    char magic[sizeof MAGIC];
    take(&r, magic, sizeof magic);
    if (r.bad || memcmp(magic, MAGIC, sizeof MAGIC) || get_u64(&r) != shape())
        return NULL;
    classifier *c = xcalloc(1, sizeof *c);
    get_vocab(&r, c);
    get_lists(&r, c);
    c->nrules = r.bad ? 0 : get_count(&r, 8);
    if (c->nrules > MAX_RULES) {
        r.bad = true;
        c->nrules = 0;
    }
    c->rules = xcalloc(c->nrules ? c->nrules : 1, sizeof *c->rules);
    for (size_t i = 0; i < c->nrules && !r.bad; i++)
        get_rule(&r, &c->rules[i]);
    uint64_t *sets[] = {c->anywhere,   c->at_start,    c->anchored,   c->context_rules,
                        c->field_rules, c->title_rules, c->guess_rules, c->addressee_rules};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        take(&r, sets[i], RULE_WORDS * sizeof *sets[i]);
    c->ngroupwords = (size_t)get_u64(&r);
    int *ids[] = {&c->l_neg,     &c->l_modal,   &c->l_be,        &c->l_sub,    &c->l_rel,
                  &c->l_content, &c->l_pronoun, &c->w_comma,     &c->w_semicolon, &c->w_colon,
                  &c->w_stop,    &c->w_excl,    &c->w_quest,     &c->w_open,   &c->w_close,
                  &c->w_dash,    &c->w_that,    &c->l_reader,    &c->l_filler, &c->l_verb,
                  &c->l_breach,  &c->l_gerund,  &c->l_person_word, &c->w_poss,
                  &c->l_common};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        *ids[i] = get_int(&r);
    if (r.bad || r.p != r.end || c->ngroupwords > GROUP_WORDS) {
        classify_free(c);
        return NULL;
    }
    return c;
}

classifier *classify_load_embedded(diag_list *diags)
{
    /* the build's own compiled copy, unless it was built without one */
    classifier *built = classify_blob_size
                            ? classify_blob_read(classify_blob_data, classify_blob_size)
                            : NULL;
    if (built)
        return built;
    const char *name = "statements/classify.xml";
    const embedded_file *f = embedded_find(name);
    if (!f) {
        diag_add(diags, DIAG_ERROR, name, 0, 0, NULL, "the classifier is not built in");
        return NULL;
    }
    return classify_load(name, f->data, f->len, diags);
}
