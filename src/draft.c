#include "draft.h"

#include <stdlib.h>
#include <string.h>

#include "util/io.h"

void draft_cut(draft_facts *d, cmark_node *root, const char *source, size_t len)
{
    memset(d, 0, sizeof *d);
    units_build(root, source, len, &d->units);
}

void draft_classify(draft_facts *d, const classifier *c, bool reader_known)
{
    d->c = c;
    d->cls = classify_units_for(c, &d->units, reader_known);
}

void draft_read(draft_facts *d, const classifier *c, cmark_node *root, const char *source,
                size_t len)
{
    draft_cut(d, root, source, len);
    draft_classify(d, c, false);
}

void draft_free(draft_facts *d)
{
    units_free(&d->units);
    free(d->cls);
    free(d->aside);
    memset(d, 0, sizeof *d);
}

enum { READER_BITS = AUDIENCE_COUNT + AUD_KIND_COUNT };

/* The audience kind a unit_class.readers bit B stands for: an audience's
 * kind, or the kind itself. */
static int reader_bit_kind(int b)
{
    return b < AUDIENCE_COUNT ? (int)audience_at((audience_row)b)->kind
                              : b - (int)CLASSIFY_READER_KIND;
}

/* Does heading H say outright that it is for readers, none of kind KIND? */
static bool addresses_others(const draft_facts *d, size_t h, int kind)
{
    unsigned named = d->cls[h].named;
    if (!(d->cls[h].marks & (1u << MARK_ADDRESSEE)) || !named)
        return false;
    for (int b = 0; b < READER_BITS; b++)
        if ((named & (1u << b)) && reader_bit_kind(b) == kind)
            return false;
    return true;
}

/* "We scan the codes with the class iPad" in a pupil's draft: the pupils
 * do it, and no one watches them; "we" watches only where the setting
 * speaks (rule we-watch, the last on watching, so a unit another rule
 * reads as watching keeps that reason). */
static void pupils_we_watch_nothing(draft_facts *d)
{
    for (size_t i = 0; i < d->units.count; i++) {
        unit_class *k = &d->cls[i];
        if (!(k->acts & ACT_MONITORS))
            continue;
        classify_why w = classify_act_why(k, ACT_MONITORS);
        if (w.kind == WHY_RULE && !strcmp(classify_rule_id(d->c, w.rule), "we-watch")) {
            k->acts &= ~ACT_MONITORS;
            if (!k->acts)
                k->acts = ACT_INFORMS;
            /* "We record our own voices reading the pages": what watching
               kept from promoting now promotes */
            if ((k->marks & (1u << MARK_PROMOTES)) && !(k->acts & ACT_PROHIBITS))
                k->promotes = true;
        }
    }
}

void draft_set_reader(draft_facts *d, int kind)
{
    const unit_list *u = &d->units;
    if (kind == AUD_PUPIL)
        pupils_we_watch_nothing(d);
    free(d->aside);
    d->aside = kind >= 0 && u->count ? xcalloc(u->count, sizeof *d->aside) : NULL;
    for (size_t i = 0; d->aside && i < u->count; i++) {
        const unit *x = &u->items[i];
        /* the title says whom the whole draft is for; the metadata won */
        bool own = x->kind == UNIT_HEADING && x->level > 1 && addresses_others(d, i, kind);
        d->aside[i] = own || (x->heading >= 0 && d->aside[x->heading]);
    }
}

/* Is unit I said to other readers (draft_set_reader)? */
static bool aside_at(const draft_facts *d, size_t i)
{
    return d->aside && d->aside[i];
}

bool draft_is_body(const draft_facts *d, size_t i)
{
    const unit *x = &d->units.items[i];
    if (x->kind == UNIT_HEADING || x->label)
        return false;
    return !(x->field && d->cls[i].acts == ACT_ACKNOWLEDGES);
}

bool draft_is_rule(const draft_facts *d, size_t i)
{
    const unit *x = &d->units.items[i];
    if (!draft_is_body(d, i))
        return false;
    if (!(d->cls[i].polarity != POLARITY_NONE && x->len && x->text[x->len - 1] == ':'))
        return true;
    /* a rule that runs on after its colon in the same paragraph ("Please don't
       run it from your own laptop: send the file instead") is a rule itself,
       not a lead-in to a list */
    return i + 1 < d->units.count && d->units.items[i + 1].lead_in == (int)i &&
           d->units.items[i + 1].block == x->block && x->kind != UNIT_HEADING;
}

/* Is unit I a rule doing ACT about any topic in TOPICS (0: any topic)? */
static bool rule_doing(const draft_facts *d, size_t i, unsigned act, unsigned topics)
{
    const unit_class *k = &d->cls[i];
    return (k->acts & act) && (!topics || (k->topics & topics)) && draft_is_rule(d, i);
}

int draft_find(const draft_facts *d, unsigned act, unsigned topics, size_t from)
{
    bool rules = !(act & ~(ACT_PERMITS | ACT_PROHIBITS));
    for (size_t i = from; i < d->units.count; i++)
        if (rule_doing(d, i, act, topics) && !(rules && aside_at(d, i)))
            return (int)i;
    return -1;
}

int draft_find_aside(const draft_facts *d, unsigned act, unsigned topics)
{
    for (size_t i = 0; i < d->units.count; i++)
        if (aside_at(d, i) && rule_doing(d, i, act, topics))
            return (int)i;
    return -1;
}

int draft_find_mark(const draft_facts *d, unsigned act, classify_mark m, size_t from)
{
    for (size_t i = from; i < d->units.count; i++) {
        const unit_class *k = &d->cls[i];
        if (draft_is_body(d, i) && (k->marks & (1u << m)) && (!act || (k->acts & act)))
            return (int)i;
    }
    return -1;
}

int draft_find_ban(const draft_facts *d, size_t from)
{
    for (size_t i = from; i < d->units.count; i++)
        if (draft_is_body(d, i) && d->cls[i].ban && !aside_at(d, i))
            return (int)i;
    return -1;
}

/* The section unit I sits in: its polarity's heading or lead-in, else its heading. */
static int section_of(const draft_facts *d, int i)
{
    if (i < 0)
        return -1;
    if (d->cls[i].context >= 0)
        return d->cls[i].context;
    int h = d->units.items[i].heading;
    return h >= 0 ? h : i;
}

int draft_home_unit(const draft_facts *d, draft_home h)
{
    const unit_list *u = &d->units;
    switch (h) {
    case DRAFT_HOME_PERMITS:
    case DRAFT_HOME_PROHIBITS: {
        /* the first heading or lead-in of that kind, else the section of the
           first rule of that kind, else of the first rule */
        classify_polarity pol = h == DRAFT_HOME_PERMITS ? POLARITY_PERMITS : POLARITY_PROHIBITS;
        for (size_t k = 0; k < u->count; k++)
            if (d->cls[k].polarity == pol)
                return (int)k;
        unsigned want = h == DRAFT_HOME_PERMITS ? ACT_PERMITS : ACT_PROHIBITS;
        int i = draft_find(d, want, 0, 0);
        if (i < 0)
            i = draft_find(d, ACT_PERMITS | ACT_PROHIBITS, 0, 0);
        return section_of(d, i);
    }
    case DRAFT_HOME_AFTER_RULES:
        /* after the last prohibition, or failing one the last rule */
        for (unsigned want = ACT_PROHIBITS; want; want = want == ACT_PROHIBITS ? ACT_PERMITS : 0)
            for (size_t i = u->count; i-- > 0;)
                if (draft_is_rule(d, i) && (d->cls[i].acts & want))
                    return section_of(d, (int)i);
        break;
    case DRAFT_HOME_END:
        for (size_t i = u->count; i-- > 0;)
            if (u->items[i].kind == UNIT_HEADING)
                return (int)i;
        return u->count ? (int)u->count - 1 : -1;
    }
    return -1;
}

/* ---- explanations ---- */

char *draft_why_act(const draft_facts *d, size_t i, unsigned act)
{
    const unit_class *k = &d->cls[i];
    classify_why why = classify_act_why(k, act), cond = classify_mark_why(k, MARK_CONDITION);
    char *w = classify_why_text(d->c, &d->units, i, &why);
    if (act != ACT_CONSEQUENCE || cond.kind == WHY_NONE ||
        !(k->marks & (1u << MARK_OUTCOME)) || (k->marks & (1u << MARK_OUTCOME_ALONE)))
        return w;
    char *c = classify_why_text(d->c, &d->units, i, &cond);
    char *r = xasprintf("%s; condition: %s", w, c);
    free(w);
    free(c);
    return r;
}

char *draft_why_mark(const draft_facts *d, size_t i, classify_mark m)
{
    classify_why why = classify_mark_why(&d->cls[i], m);
    return classify_why_text(d->c, &d->units, i, &why);
}

char *draft_why_topic(const draft_facts *d, size_t i, unsigned topic)
{
    classify_why why = classify_topic_why(&d->cls[i], topic);
    if (why.kind != WHY_FOLLOWS && why.kind != WHY_CONTEXT)
        return NULL;
    return classify_why_text(d->c, &d->units, i, &why);
}

/* ---- dates ---- */

static const struct {
    const char *name;
    int month;
} month_names[] = {
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
    {"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11},
    {"december", 12}, {"sept", 9}, {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4},
    {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
    /* the terms of the school year, by the month each starts */
    {"autumn", 9}, {"spring", 1}, {"summer", 4},
};

static bool is_alpha(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A month name at S: its number, with *LEN its length (and a following
 * '.'), or 0. */
static int month_at(const char *s, size_t n, size_t *len)
{
    size_t w = 0;
    while (w < n && is_alpha(s[w]))
        w++;
    for (size_t i = 0; i < sizeof month_names / sizeof month_names[0]; i++) {
        size_t m = strlen(month_names[i].name);
        if (m == w && !memcmp(s, month_names[i].name, m)) {
            *len = w + (w < n && s[w] == '.');
            return month_names[i].month;
        }
    }
    return 0;
}

/* Digits at S: their value and count (at most MAX digits). */
static int number_at(const char *s, size_t n, size_t max, size_t *len)
{
    size_t k = 0;
    int v = 0;
    while (k < n && k < max && is_digit(s[k]))
        v = v * 10 + (s[k++] - '0');
    *len = (k < n && is_digit(s[k])) ? 0 : k;
    return v;
}

static size_t skip_blank(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == ','))
        i++;
    return i;
}

static bool valid_date(aupc_date d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d.year < 1990 || d.year > 2100 || d.month < 1 || d.month > 12)
        return false;
    if (d.day == 0)
        return true;
    if (d.day < 1 || d.day > days[d.month - 1])
        return false;
    bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    return d.month != 2 || d.day < 29 || leap;
}

/* A year at S: four digits, or two after a numeric date ("01/09/26"). */
static int year_at(const char *s, size_t n, bool short_ok, size_t *len)
{
    size_t l;
    int y = number_at(s, n, 4, &l);
    if (l == 4) {
        *len = 4;
        return y;
    }
    if (short_ok && l == 2) {
        *len = 2;
        return 2000 + y;
    }
    *len = 0;
    return 0;
}

size_t draft_parse_date(const char *s, size_t n, aupc_date *out)
{
    size_t l1, l2, l3, ml;
    aupc_date d = {0, 0, 0};
    int a = number_at(s, n, 4, &l1);
    if (l1 == 4 && l1 < n && s[l1] == '-') {
        /* 2026-09-01 or 2026-09 */
        int m = number_at(s + 5, n - 5, 2, &l2);
        if (l2 == 2) {
            d = (aupc_date){a, m, 0};
            size_t used = 7;
            if (used < n && s[used] == '-') {
                int day = number_at(s + 8, n - 8, 2, &l3);
                if (l3 == 2) {
                    d.day = day;
                    used = 10;
                }
            }
            if (valid_date(d)) {
                *out = d;
                return used;
            }
        }
        return 0;
    }
    if (l1 >= 1 && l1 <= 2 && l1 < n && (s[l1] == '/' || s[l1] == '.' || s[l1] == '-')) {
        /* 1/9/2026, 01.09.26, 1-9-2026: day first */
        char sep = s[l1];
        int m = number_at(s + l1 + 1, n - l1 - 1, 2, &l2);
        size_t at = l1 + 1 + l2;
        if (l2 >= 1 && at < n && s[at] == sep) {
            int y = year_at(s + at + 1, n - at - 1, true, &l3);
            d = (aupc_date){y, m, a};
            if (l3 && valid_date(d)) {
                *out = d;
                return at + 1 + l3;
            }
        }
        /* 03/2027: a month and its year */
        int y = year_at(s + l1 + 1, n - l1 - 1, false, &l3);
        d = (aupc_date){y, a, 0};
        if (sep == '/' && l3 == 4 && valid_date(d)) {
            *out = d;
            return l1 + 1 + l3;
        }
        return 0;
    }
    size_t i = 0;
    if (l1 >= 1 && l1 <= 2) {
        /* 1st September 2026, 1 Sept 2026, 1st of September 2026 */
        i = l1;
        if (i + 1 < n && is_alpha(s[i]) && is_alpha(s[i + 1]) &&
            (!memcmp(s + i, "st", 2) || !memcmp(s + i, "nd", 2) || !memcmp(s + i, "rd", 2) ||
             !memcmp(s + i, "th", 2)))
            i += 2;
        i = skip_blank(s, n, i);
        if (i + 3 <= n && !memcmp(s + i, "of ", 3))
            i += 3;
        int m = month_at(s + i, n - i, &ml);
        if (!m)
            return 0;
        i = skip_blank(s, n, i + ml);
        int y = year_at(s + i, n - i, false, &l3);
        d = (aupc_date){y, m, a};
        if (l3 && valid_date(d)) {
            *out = d;
            return i + l3;
        }
        return 0;
    }
    int m = month_at(s, n, &ml);
    if (!m)
        return 0;
    i = skip_blank(s, n, ml);
    if (i + 5 <= n && !memcmp(s + i, "term ", 5))
        i = skip_blank(s, n, i + 5);
    /* September 1, 2026 */
    int day = number_at(s + i, n - i, 2, &l2);
    if (l2 >= 1 && l2 <= 2 && i + l2 < n && !is_digit(s[i + l2])) {
        size_t j = i + l2;
        if (j + 1 < n && is_alpha(s[j]) && is_alpha(s[j + 1]))
            j += 2;
        j = skip_blank(s, n, j);
        int y = year_at(s + j, n - j, false, &l3);
        d = (aupc_date){y, m, day};
        if (l3 && valid_date(d)) {
            *out = d;
            return j + l3;
        }
    }
    /* September 2026 */
    int y = year_at(s + i, n - i, false, &l3);
    d = (aupc_date){y, m, 0};
    if (l3 && valid_date(d)) {
        *out = d;
        return i + l3;
    }
    return 0;
}

enum { MAX_KEYS = 16, DATE_REACH = 80 };

/* The first date in [FROM, TO) of unit X's folded text, at a word start. */
static bool date_in(const unit *x, size_t from, size_t to, aupc_date *out)
{
    if (to > x->folded_len)
        to = x->folded_len;
    for (size_t i = from; i < to; i++) {
        if (i > 0 && (is_alpha(x->folded[i - 1]) || is_digit(x->folded[i - 1])))
            continue;
        if (draft_parse_date(x->folded + i, x->folded_len - i, out))
            return true;
    }
    return false;
}

typedef struct {
    size_t from, to;
    bool next;
} date_key;

static size_t unit_keys(const draft_facts *d, const unit *x, date_key *keys)
{
    size_t fa[MAX_KEYS], ta[MAX_KEYS], fn[MAX_KEYS], tn[MAX_KEYS];
    size_t na = classify_find(d->c, x, MARK_APPROVED, fa, ta, MAX_KEYS);
    size_t nn = classify_find(d->c, x, MARK_NEXT_REVIEW, fn, tn, MAX_KEYS);
    /* where two keys overlap, the one that starts first says which date
       follows: "to be reviewed" is no approval, "Date of last review:" no
       next review */
    size_t k = 0;
    for (size_t i = 0; i < nn; i++) {
        bool later = false;
        for (size_t j = 0; j < na; j++)
            later |= fa[j] < fn[i] && ta[j] > fn[i];
        if (!later)
            keys[k++] = (date_key){fn[i], tn[i], true};
    }
    for (size_t i = 0; i < na && k < 2 * MAX_KEYS; i++) {
        bool inside = false;
        for (size_t j = 0; j < nn; j++)
            inside |= fa[i] >= fn[j] && fa[i] < tn[j];
        if (!inside)
            keys[k++] = (date_key){fa[i], ta[i], false};
    }
    /* in text order */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && keys[j].from < keys[j - 1].from; j--) {
            date_key t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    return k;
}

/* The first unit of the cell under header cell I, in the same column of
 * the table's first row, or -1. */
static int cell_below(const unit_list *u, size_t i)
{
    const unit *x = &u->items[i];
    if (x->kind != UNIT_CELL || x->row != 0)
        return -1;
    size_t j = i + 1;
    while (j < u->count && u->items[j].block == x->block)
        j++;
    for (size_t k = j; k < u->count && u->items[k].block == u->items[j].block; k++)
        if (u->items[k].kind == UNIT_CELL && u->items[k].row == 1 &&
            u->items[k].column == x->column)
            return (int)k;
    return -1;
}

void draft_dates(const draft_facts *d, draft_date *approved, draft_date *next)
{
    approved->unit = next->unit = -1;
    approved->date = next->date = (aupc_date){0, 0, 0};
    const unit_list *u = &d->units;
    for (size_t i = 0; i < u->count && (approved->unit < 0 || next->unit < 0); i++) {
        const unit *x = &u->items[i];
        if (!(d->cls[i].marks & ((1u << MARK_APPROVED) | (1u << MARK_NEXT_REVIEW))))
            continue;
        date_key keys[2 * MAX_KEYS];
        size_t nk = unit_keys(d, x, keys);
        for (size_t k = 0; k < nk; k++) {
            draft_date *slot = keys[k].next ? next : approved;
            if (slot->unit >= 0)
                continue;
            size_t end = k + 1 < nk ? keys[k + 1].from : x->folded_len;
            if (end > keys[k].to + DATE_REACH)
                end = keys[k].to + DATE_REACH;
            aupc_date got;
            int below;
            if (date_in(x, keys[k].to, end, &got)) {
                slot->date = got;
                slot->unit = (int)i;
            } else if (k + 1 == nk && i + 1 < u->count && u->items[i + 1].block == x->block &&
                       date_in(&u->items[i + 1], 0, DATE_REACH, &got)) {
                /* | Date approved | 3 July 2026 |, or a key that ends its clause */
                slot->date = got;
                slot->unit = (int)i + 1;
            } else if (k + 1 == nk && (below = cell_below(u, i)) >= 0 &&
                       date_in(&u->items[below], 0, DATE_REACH, &got)) {
                /* a column headed "Date approved", its date in the row below */
                slot->date = got;
                slot->unit = below;
            }
        }
    }
}

/* ---- audience ---- */

/* How many audiences (pupil bands) kind K has. */
static size_t rows_of_kind(audience_kind k)
{
    size_t n = 0;
    for (size_t r = 0; r < AUDIENCE_COUNT; r++)
        n += audience_at((audience_row)r)->kind == k;
    return n;
}

/* What a draft's units say of its reader, per unit_class.readers bit. */
typedef struct {
    int score[READER_BITS];       /* every word pointing to a reader */
    int first[READER_BITS];       /* the first unit with such a word, or -1 */
    int to[READER_BITS];          /* readers it says at the top it is for */
    int band[AUDIENCE_COUNT];     /* year groups and ages named at the top */
    int first_to;                 /* the first unit saying whom it is for, or -1 */
    bool titled;                  /* the title names a year group */
    bool easy;
} reader_tally;

static void tally_readers(const draft_facts *d, reader_tally *t)
{
    *t = (reader_tally){.first_to = -1};
    for (int b = 0; b < READER_BITS; b++)
        t->first[b] = -1;
    for (size_t i = 0; i < d->units.count; i++) {
        const unit *x = &d->units.items[i];
        const unit_class *k = &d->cls[i];
        /* who approved a draft ("Approved by governors") is not its reader */
        if (k->marks & ((1u << MARK_APPROVED) | (1u << MARK_NEXT_REVIEW)))
            continue;
        /* what a heading says it is for weighs more than a passing word */
        int weight = x->kind == UNIT_HEADING && x->level == 1 ? 3 : 1;
        /* a reader or band named where a draft says who it is for: its
           headings and opening lines, not "the Year 7 areas" in a rule */
        bool top = i < CLASSIFY_OPENING_UNITS || x->kind == UNIT_HEADING;
        /* "Our youth workers meet young people aged 11 to 19": the ages
           are those of the people the reader works with */
        bool works_with = false;
        for (int b = 0; b < READER_BITS; b++)
            works_with |= (k->readers & (1u << b)) && reader_bit_kind(b) == AUD_STAFF;
        bool banded = top && (k->marks & (1u << MARK_BAND)) && !works_with;
        bool addressed = top && (k->marks & (1u << MARK_ADDRESSEE));
        /* a year group in the title ("Oak Class (Year 3) at Elm Lodge")
           says who the draft is for, when nothing else does */
        t->titled |= banded && weight > 1;
        t->easy |= (k->marks & (1u << MARK_EASY_READ)) != 0;
        for (int b = 0; b < READER_BITS; b++) {
            bool named = k->named & (1u << b);
            if (banded && named && b < AUDIENCE_COUNT)
                t->band[b] += weight;
            if (addressed && named) {
                t->to[b] += weight;
                if (t->first_to < 0)
                    t->first_to = (int)i;
            }
            if (k->readers & (1u << b)) {
                t->score[b] += weight;
                if (t->first[b] < 0)
                    t->first[b] = (int)i;
            }
        }
    }
}

/* Add to KINDS the counts of the NBITS reader bits BY: each audience's to
 * its kind, each kind's to itself. */
static void by_kind(const int *by, int nbits, int *kinds)
{
    for (int b = 0; b < nbits; b++)
        kinds[reader_bit_kind(b)] += by[b];
}

/* The kind with the most of SCORES, an adult kind winning a tie (adults'
 * documents speak of children too); -1 when none has any. */
static int top_kind(const int *scores)
{
    int kind = -1, best = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < AUD_KIND_COUNT; k++)
            if (audience_kind_at((audience_kind)k)->adult == !pass && scores[k] > best) {
                kind = k;
                best = scores[k];
            }
    return kind;
}

/* The audience of KIND the text points to most; a kind with one audience
 * has it, a kind with bands none when no band is pointed to. A year group,
 * key stage or age range named outright ("Years 3 to 6") decides the band
 * over words that only sound young ("grown-up"). */
static int top_row(const reader_tally *t, int kind)
{
    const int *by = t->score;
    for (int r = 0; r < AUDIENCE_COUNT; r++)
        if ((int)audience_at((audience_row)r)->kind == kind && t->band[r] > 0)
            by = t->band;
    int row = -1, best = 0;
    for (int r = 0; r < AUDIENCE_COUNT; r++)
        if ((int)audience_at((audience_row)r)->kind == kind &&
            (by[r] > best || rows_of_kind((audience_kind)kind) == 1)) {
            row = r;
            best = by[r];
        }
    return row;
}

bool draft_audience(const draft_facts *d, draft_reader *out)
{
    reader_tally t;
    tally_readers(d, &t);
    *out = (draft_reader){.kind = -1, .row = -1, .unit = -1, .easy = t.easy};
    /* the readers a draft says at the top it is for ("A leaflet for our
       volunteers", "Dear parents and carers") decide its kind over the
       words it uses about others ("children", "students"); a year group
       in the title does when nothing else says */
    int said_kind[AUD_KIND_COUNT] = {0}, any_kind[AUD_KIND_COUNT] = {0};
    by_kind(t.to, READER_BITS, said_kind);
    bool said = top_kind(said_kind) >= 0;
    by_kind(t.score, READER_BITS, any_kind);
    /* ... unless the words point to a parent all the same ("Can my child
       take a phone?" under "Year 5 Residential"); the residents a class
       visits are others */
    bool parent = top_kind(any_kind) == AUD_PARENT;
    if (!said && t.titled && !parent) {
        by_kind(t.band, AUDIENCE_COUNT, said_kind);
        said = true;
    }
    out->kind = top_kind(said ? said_kind : any_kind);
    if (out->kind < 0)
        return false;
    out->row = top_row(&t, out->kind);
    out->unit = out->row >= 0 && t.first[out->row] >= 0
                    ? t.first[out->row]
                    : t.first[CLASSIFY_READER_KIND + out->kind];
    if (said && (out->row < 0 || !t.band[out->row]))
        out->unit = t.first_to;
    return true;
}

/* ---- reading level ---- */

/* A short paragraph with no closing stop ("Hilltop Primary School",
 * "Easy read - Rowan Class"): a label, not a sentence to read. */
static bool is_label_line(const draft_facts *d, size_t i)
{
    const unit *x = &d->units.items[i];
    if (x->kind != UNIT_PARAGRAPH || !x->first || x->words > 8 || x->len == 0)
        return false;
    if (i + 1 < d->units.count && d->units.items[i + 1].block == x->block)
        return false;
    return !strchr(".!?:", x->text[x->len - 1]);
}

static int hardest_cmp(const void *pa, const void *pb)
{
    const readability_sentence *a = pa, *b = pb;
    if (a->fk_grade != b->fk_grade)
        return a->fk_grade > b->fk_grade ? -1 : 1;
    if (a->words != b->words)
        return a->words > b->words ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Put S among the MAX hardest so far, ALL[0..*N) hardest first: after
 * those at least as hard, so of equals the first in the draft stays first
 * (one insertion, where sorting every few sentences cost 4 M instructions
 * on a long draft). */
static void keep_hardest(readability_sentence *all, size_t *n, size_t max,
                         readability_sentence s)
{
    size_t at = *n;
    while (at > 0 && hardest_cmp(&all[at - 1], &s) > 0)
        at--;
    if (at >= max)
        return;
    size_t last = *n < max ? *n : max - 1;
    memmove(all + at + 1, all + at, (last - at) * sizeof *all);
    all[at] = s;
    if (*n < max)
        (*n)++;
}

void draft_reading(const draft_facts *d, size_t max, readability_report *out)
{
    memset(out, 0, sizeof *out);
    readability_stats *st = &out->stats;
    size_t n = 0;
    readability_sentence *all = NULL;
    for (size_t i = 0; i < d->units.count; i++) {
        const unit *x = &d->units.items[i];
        if (x->words == 0)
            continue;
        /* headings, labels and signature lines are read too, so they count
           as check counts them in a compiled document; but they are not
           sentences a writer could make easier */
        st->sentences++;
        st->words += x->words;
        st->syllables += x->syllables;
        st->polysyllables += x->polysyllables;
        if (!max || !draft_is_body(d, i) || is_label_line(d, i))
            continue;
        double fk = 0.39 * (double)x->words + 11.8 * (double)x->syllables / (double)x->words -
                    15.59;
        if (!all)
            all = xmalloc(max * sizeof *all);
        keep_hardest(all, &n, max, (readability_sentence){(char *)x->text, x->line, fk, x->words});
    }
    readability_finish(st);
    if (!n) {
        free(all);
        return;
    }
    for (size_t i = 0; i < n; i++)
        all[i].text = xstrdup(all[i].text);
    out->hardest = all;
    out->nhardest = n;
}
