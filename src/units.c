#include "units.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readability.h"
#include "textnorm.h"
#include "util/io.h"
#include "util/par.h"

const char *units_kind_name(unit_kind k)
{
    switch (k) {
    case UNIT_HEADING: return "heading";
    case UNIT_PARAGRAPH: return "sentence";
    case UNIT_ITEM: return "item";
    default: return "cell";
    }
}

/* The units' strings live in a few large chunks rather than two small
 * blocks each: a long draft has tens of thousands of units, and malloc and
 * free of each string cost more than cutting the draft up. */
struct units_chunk {
    units_chunk *next;
    size_t used, size;
    char data[];
};

enum { CHUNK_BYTES = 64 * 1024 };

static char *chunk_alloc(unit_list *l, size_t n)
{
    units_chunk *c = l->chunks;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_BYTES ? n : CHUNK_BYTES;
        c = xmalloc(sizeof *c + size);
        c->next = l->chunks;
        c->used = 0;
        c->size = size;
        l->chunks = c;
    }
    char *p = c->data + c->used;
    c->used += n;
    return p;
}

void units_free(unit_list *l)
{
    for (units_chunk *c = l->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- the walk's state ---- */

typedef struct {
    int level, unit;
    bool bold;           /* a bold paragraph standing for a heading */
} heading_ref;

typedef struct {
    int lead_in, depth;
} list_ref;

typedef struct {
    int block, last_unit;
} item_ref;

typedef struct {
    unit_list *out;
    const char *src;
    size_t srclen;
    size_t *line_start;    /* offset of each source line: line N at [N - 1] */
    size_t nlines;
    heading_ref *headings;
    size_t nheadings;
    list_ref *lists;
    size_t nlists;
    item_ref *items;
    size_t nitems;
    int blocks;
    cmark_node *last_para;  /* the last paragraph built, and its last unit */
    int last_para_unit;
    int enum_lead;          /* the lead-in of paragraphs lettered "a)", "b)"..., or -1 */
    strbuf text;
    /* the second half of a draft cut in two (units_build): the headings of
       the first half are not known yet. RESIDUE_CUT is the least level of
       a heading that reached down to them (see RESIDUE_REF) */
    bool residue;
    int residue_cut;
} walker;

/* A unit's heading in the first half, named while that half is still
   being read: the last of its open headings whose level is below C */
#define RESIDUE_REF(c) (-2 - (c))

static void index_lines(walker *w)
{
    size_t cap = 64;
    w->nlines = 0;
    w->line_start = xmalloc(cap * sizeof *w->line_start);
    w->line_start[w->nlines++] = 0;
    const char *p = w->src, *end = w->src + w->srclen;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        p++;
        if (w->nlines == cap) {
            cap *= 2;
            w->line_start = xrealloc(w->line_start, cap * sizeof *w->line_start);
        }
        w->line_start[w->nlines++] = (size_t)(p - w->src);
    }
}

/* Byte classes for the loops that look at every byte of a draft, so that
 * the common byte costs one test: white space, bytes that may start a
 * blank to fill in (_ . [ and the lead byte of U+2026 and the boxes), and
 * bytes where a clause may end (: ; and white space before a dash). */
enum { BYTE_WS = 1, BYTE_FIELD = 2, BYTE_CLAUSE = 4 };
static const unsigned char byte_class[256] = {
    [' '] = BYTE_WS | BYTE_CLAUSE, ['\t'] = BYTE_WS | BYTE_CLAUSE, ['\n'] = BYTE_WS | BYTE_CLAUSE,
    ['\v'] = BYTE_WS | BYTE_CLAUSE, ['\f'] = BYTE_WS | BYTE_CLAUSE, ['\r'] = BYTE_WS | BYTE_CLAUSE,
    ['_'] = BYTE_FIELD, ['.'] = BYTE_FIELD, ['['] = BYTE_FIELD, [0xE2] = BYTE_FIELD,
    [':'] = BYTE_CLAUSE, [';'] = BYTE_CLAUSE,
};

static bool is_ws(unsigned char c)
{
    return byte_class[c] & BYTE_WS;
}

/* The first place NEEDLE (K > 0 bytes) occurs in HAY (N bytes), or NULL:
 * memmem, without its set-up cost for the short needles looked for here. */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t k)
{
    if (k > n)
        return NULL;
    const char *last = hay + (n - k);
    for (const char *p = hay; p <= last; p++) {
        p = memchr(p, needle[0], (size_t)(last - p) + 1);
        if (!p)
            return NULL;
        if (!memcmp(p, needle, k))
            return p;
    }
    return NULL;
}

/* Column of TEXT (N bytes) on LINE of the source: where its first bytes, or
 * failing that its first word, appear; else the first character that is not
 * list or quote markup; else 1. */
static int column_of(const walker *w, int line, const char *text, size_t n)
{
    if (line < 1 || (size_t)line > w->nlines || n == 0)
        return 1;
    const char *p = w->src + w->line_start[line - 1], *end = w->src + w->srclen;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    size_t want = n < 12 ? n : 12;
    while (want > 0 && want < n && ((unsigned char)text[want] & 0xC0) == 0x80)
        want--;
    size_t word = 0;
    while (word < n && !is_ws((unsigned char)text[word]))
        word++;
    for (int pass = 0; pass < 2; pass++) {
        size_t k = pass ? word : want;
        const char *q = k ? find_bytes(p, (size_t)(eol - p), text, k) : NULL;
        if (q)
            return (int)(q - p) + 1;
    }
    for (const char *q = p; q < eol; q++)
        if (!is_ws((unsigned char)*q) && !strchr("-*+>#|", *q) && !(*q >= '0' && *q <= '9') &&
            *q != '.' && *q != ')')
            return (int)(q - p) + 1;
    return 1;
}

/* Is there a tick box at the start of S: U+2610-2612 (☐ ☑ ☒), U+25A1 (□)? */
static bool box_at(const char *s, size_t n)
{
    return n >= 3 && (unsigned char)s[0] == 0xE2 &&
           (((unsigned char)s[1] == 0x98 && (unsigned char)s[2] >= 0x90 &&
             (unsigned char)s[2] <= 0x92) ||
            ((unsigned char)s[1] == 0x96 && (unsigned char)s[2] == 0xA1));
}

/* Does S hold a blank to fill in: ___, ...., …… or a tick box? */
static bool has_field(const char *s, size_t n)
{
    size_t under = 0, dots = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* most bytes are none of _ . [ or the lead byte of a box */
        if (!(byte_class[c] & BYTE_FIELD)) {
            under = dots = 0;
            continue;
        }
        under = c == '_' ? under + 1 : 0;
        dots = c == '.' ? dots + 1 : 0;
        if (under >= 3 || dots >= 4)
            return true;
        if (c == '[' && i + 2 < n && (s[i + 1] == ' ' || s[i + 1] == 'x' || s[i + 1] == 'X') &&
            s[i + 2] == ']')
            return true;
        /* U+2026 twice, or a tick box */
        if (c == 0xE2 && i + 2 < n) {
            if (!memcmp(s + i, "\xE2\x80\xA6", 3) && i + 5 < n &&
                !memcmp(s + i + 3, "\xE2\x80\xA6", 3))
                return true;
            if (box_at(s + i, n - i))
                return true;
        }
    }
    return false;
}

typedef struct {
    const char *s;
    size_t n;
} span;

static span trim(const char *s, size_t n)
{
    while (n && is_ws((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && is_ws((unsigned char)s[n - 1]))
        n--;
    return (span){s, n};
}

/* S with white space collapsed, into T (room for N + 1 bytes). *MAYBE_FIELD
 * tells whether S could hold a blank to fill in (a doubled _ or ., a [ or
 * a box), so that has_field reads only those few closely. */
static size_t collapse(const char *s, size_t n, char *t, bool *maybe_field)
{
    /* most units are written with single spaces and nothing at either end:
       those are copied whole */
    bool maybe = false, plain = n > 0 && !is_ws((unsigned char)s[0]) &&
                                !is_ws((unsigned char)s[n - 1]);
    for (size_t i = 0; plain; i++) {
        while (i < n && !(byte_class[(unsigned char)s[i]] & (BYTE_WS | BYTE_FIELD)))
            i++;
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i], cls = byte_class[c];
        if (cls & BYTE_WS)
            plain = c == ' ' && s[i + 1] != ' ';   /* s[n - 1] is not white space */
        else
            maybe |= c == '[' || c == 0xE2 || (i > 0 && (unsigned char)s[i - 1] == c);
    }
    if (plain) {
        memcpy(t, s, n);
        t[n] = '\0';
        *maybe_field = maybe;
        return n;
    }
    size_t k = 0;
    bool space = false;
    maybe = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i], cls = byte_class[c];
        if (cls & BYTE_WS) {
            space = k > 0;
            continue;
        }
        if (cls & BYTE_FIELD)
            maybe |= c == '[' || c == 0xE2 || (i > 0 && (unsigned char)s[i - 1] == c);
        if (space)
            t[k++] = ' ';
        space = false;
        t[k++] = (char)c;
    }
    t[k] = '\0';
    *maybe_field = maybe;
    return k;
}

static int current_heading(const walker *w)
{
    if (w->nheadings)
        return w->headings[w->nheadings - 1].unit;
    return w->residue ? RESIDUE_REF(w->residue_cut) : -1;
}

/* ---- the setting's own name ---- */

/* The words that end a setting's own name ("St Mary's C of E Infant
 * School", "Little Acorns Day Nursery"), and the word a name of a setting
 * for the youngest reads as. The words before them in the name describe
 * the setting, not the draft's reader: a parents' letter from an infant
 * school is not for infants. */
static const struct {
    const char *word, *as;
} setting_nouns[] = {
    {"School", NULL},       {"Academy", NULL},         {"College", NULL},
    {"Federation", NULL},   {"Nursery", "setting"},    {"Pre-School", "setting"},
    {"Pre-school", "setting"}, {"Preschool", "setting"}, {"Playgroup", "setting"},
    {"Kindergarten", "setting"},
};

/* Capitalised words a name does not run back past ("Rules for Our Infant
 * School": the name is "Infant School"), and the small words inside one
 * ("C of E", "Stratford upon Avon"). */
static const char *const name_stops[] = {
    "The", "Our", "Your", "Their", "My", "His", "Her", "This", "That", "These", "Those",
    "A", "An", "For", "To", "At", "In", "On", "From", "With", "By", "Of", "And", "About",
    "Welcome", "Dear", "All", "Every", "Each", "New", "Year", "Years", "I", "We", "You",
};
static const char *const name_joins[] = {"of", "and", "&", "upon", "on", "the", "de", "le"};

typedef struct {
    size_t s, e;   /* a word's bytes in the unit's text, between two name_gap bytes */
} name_word;

static bool word_in(const char *s, size_t n, const char *const *set, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(set[i]) == n && !memcmp(set[i], s, n))
            return true;
    return false;
}

/* The letters (and hyphens) a word of T starts with: "Nursery's" -> "Nursery". */
static size_t letters_of(const char *t, name_word w)
{
    size_t k = w.s;
    while (k < w.e && (((t[k] | 32) >= 'a' && (t[k] | 32) <= 'z') || t[k] == '-'))
        k++;
    return k - w.s;
}

/* Does word W of T belong inside a setting's name? */
static bool name_part(const char *t, name_word w, bool *capital)
{
    size_t n = w.e - w.s;
    *capital = t[w.s] >= 'A' && t[w.s] <= 'Z';
    if (*capital)
        return !word_in(t + w.s, letters_of(t, w), name_stops,
                        sizeof name_stops / sizeof *name_stops);
    return word_in(t + w.s, n, name_joins, sizeof name_joins / sizeof *name_joins);
}

/* Where byte AT of text T (N bytes) falls in its folded form. */
static size_t folded_offset(const char *t, size_t n, size_t at)
{
    size_t k = 0;
    while (k < at && (unsigned char)t[k] < 0x80)
        k++;
    if (k == at)
        return at;
    char *tmp = xmalloc(n + 1);
    k = textnorm_fold(t, at, tmp);
    free(tmp);
    return k;
}

/* What separates the words of a name. */
static bool name_gap(char c)
{
    switch (c) {
    case ' ': case '\t': case '\n': case ',': case ';': case ':': case '(': case ')':
    case '[': case ']': case '"': case '!': case '?': case '/': case '|':
        return true;
    default:
        return false;
    }
}

/* The row of setting_nouns word W of T is, or -1. */
static int setting_noun(const char *t, name_word w)
{
    size_t len = letters_of(t, w);
    for (size_t k = 0; k < sizeof setting_nouns / sizeof *setting_nouns; k++)
        if (strlen(setting_nouns[k].word) == len && !memcmp(setting_nouns[k].word, t + w.s, len))
            return (int)k;
    return -1;
}

enum { NAME_WORDS = 6 };   /* the most words a name runs back over */

/* Blank in F the name that ends in NOUN (setting_nouns row K), its words
 * before it the last SEEN of T's words, the latest in RING[(SEEN - 1) %
 * NAME_WORDS]. */
static void blank_name(const char *t, size_t n, char *f, const name_word *ring, size_t seen,
                       name_word noun, int k)
{
    name_word next = noun, from = noun;
    size_t capitals = 0;
    for (size_t j = seen; j-- > 0 && seen - j <= NAME_WORDS;) {
        name_word w = ring[j % NAME_WORDS];
        bool capital, spaced = true;
        for (size_t b = w.e; b < next.s; b++)
            spaced &= t[b] == ' ';
        if (!spaced || !name_part(t, w, &capital))
            break;
        /* a name starts on a capital: "of" and "the" only join its words */
        if (capital)
            from = w;
        capitals += capital;
        next = w;
    }
    if (!capitals)
        return;
    size_t a = folded_offset(t, n, from.s), b = folded_offset(t, n, noun.s);
    memset(f + a, ' ', b - a);
    if (setting_nouns[k].as) {
        size_t as = strlen(setting_nouns[k].as), len = letters_of(t, noun);
        memcpy(f + b, setting_nouns[k].as, as);
        memset(f + b + as, ' ', len - as);
    }
}

/* Can C start one of setting_nouns? */
static bool noun_initial(char c)
{
    for (size_t k = 0; k < sizeof setting_nouns / sizeof *setting_nouns; k++)
        if (setting_nouns[k].word[0] == c)
            return true;
    return false;
}

/* Blank in the folded text F what a setting's name says besides its kind
 * (see setting_nouns), so that the words of the name point to no reader. */
static void blank_setting_names(const char *t, size_t n, char *f)
{
    /* most units name no setting: look first for a word after a space
       starting as a setting noun does */
    size_t at = 1;
    while (at < n && !(t[at - 1] == ' ' && noun_initial(t[at])))
        at++;
    if (at >= n)
        return;
    name_word ring[NAME_WORDS];
    size_t seen = 0;
    for (size_t i = 0;;) {
        while (i < n && name_gap(t[i]))
            i++;
        size_t s = i;
        while (i < n && !name_gap(t[i]))
            i++;
        if (i == s)
            return;
        name_word w = {s, i};
        int k = seen && t[s] >= 'A' && t[s] <= 'Z' ? setting_noun(t, w) : -1;
        if (k >= 0)
            blank_name(t, n, f, ring, seen, w, k);
        ring[seen++ % NAME_WORDS] = w;
    }
}

/* Add a unit made from S (N bytes as written). Returns its index. */
static int add_unit(walker *w, unit_kind kind, const char *s, size_t n, int line, int block,
                    int lead_in, const readability_span *counts)
{
    unit_list *l = w->out;
    if (l->count == l->cap) {
        /* a unit for every 48 bytes or so of a draft: few reallocations */
        l->cap = l->cap ? l->cap * 2 : 64 + w->srclen / 48;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    unit *u = &l->items[l->count];
    memset(u, 0, sizeof *u);
    u->kind = kind;
    u->text = chunk_alloc(l, n + 1);
    bool maybe_field;
    u->len = collapse(s, n, u->text, &maybe_field);
    u->folded = chunk_alloc(l, u->len + 1);
    u->folded_len = textnorm_fold(u->text, u->len, u->folded);
    blank_setting_names(u->text, u->len, u->folded);
    u->line = line;
    u->col = column_of(w, line, u->text, u->len);
    u->heading = current_heading(w);
    u->lead_in = lead_in;
    u->block = block;
    u->level = (int)w->nlists;
    u->row = -1;
    u->row_head = -1;
    u->first = l->count == 0 || l->items[l->count - 1].block != block;
    u->field = maybe_field && has_field(s, n);
    if (counts) {
        u->words = counts->words;
        u->syllables = counts->syllables;
        u->polysyllables = counts->polysyllables;
    }
    return (int)l->count++;
}

/* ---- block text ---- */

/* The readable text of the leaf block N into W->text; *ALL_STRONG tells
 * whether all of it is bold or italic (what Word makes of a heading). */
static void block_text(walker *w, cmark_node *n, bool *all_strong)
{
    w->text.len = 0;
    sb_add(&w->text, "", 0);
    readability_block_text(n, &w->text);
    *all_strong = cmark_node_first_child(n) != NULL;
    for (cmark_node *c = cmark_node_first_child(n); c && *all_strong; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        const char *lit = t == CMARK_NODE_TEXT ? cmark_node_get_literal(c) : NULL;
        /* a bare colon or space after the bold text still makes a bold paragraph */
        *all_strong = t == CMARK_NODE_STRONG || t == CMARK_NODE_EMPH ||
                      t == CMARK_NODE_HTML_INLINE || (lit && strspn(lit, " :") == strlen(lit));
    }
}

/* ---- sentences ---- */

typedef struct {
    walker *w;
    unit_kind kind;
    int block, lead_in, last;
    const char *base;
} sentence_sink;

/* Where a clause of its own starts after S[I]: past "; " or a spaced
 * dash (" - ", " – ", " — "), or 0. */
static size_t clause_break(const char *s, size_t n, size_t i)
{
    if (s[i] == ';' && i + 1 < n && is_ws((unsigned char)s[i + 1]))
        return i + 2;
    if (!is_ws((unsigned char)s[i]))
        return 0;
    size_t d = 0;
    if (i + 2 < n && s[i + 1] == '-')
        d = 1;
    else if (i + 4 < n && !memcmp(s + i + 1, "\xE2\x80", 2) &&
             ((unsigned char)s[i + 3] == 0x93 || (unsigned char)s[i + 3] == 0x94))
        d = 3;
    if (d && is_ws((unsigned char)s[i + 1 + d]))
        return i + 2 + d;
    return 0;
}

/* Does what follows a semicolon or dash at S go on with the clause before
 * ("- including family members -", "- to try new apps")? */
static bool continues(const char *s, size_t n)
{
    static const char *const words[] = {
        "to", "and", "or", "but", "including", "such", "for", "from", "with", "especially",
        "which", "who", "as", "e.g.", "in", "on", "at", "by",
    };
    span t = trim(s, n);
    size_t w = 0;
    while (w < t.n && !is_ws((unsigned char)t.s[w]) && t.s[w] != ',')
        w++;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == w && !strncmp(t.s, words[i], w))
            return true;
    return false;
}

typedef struct {
    size_t words, syllables, poly;
} counter;

static void on_count(void *arg, const readability_span *sp)
{
    counter *c = arg;
    c->words += sp->words;
    c->syllables += sp->syllables;
    c->poly += sp->polysyllables;
}


/* A sentence becomes one unit per clause: split at semicolons and spaced
 * dashes, so that "Never film pupils on your own phone; use the school
 * camera" is a prohibition about one device and a request about another;
 * and at a colon after three or more words, what follows becoming items
 * of that lead-in ("Devices must not be used: to bully...; to gamble...").
 * The sentence's reading counts go with its first clause. */
static void on_sentence(void *arg, const readability_span *sp)
{
    sentence_sink *k = arg;
    const char *s = k->base + sp->start;
    size_t n = sp->end - sp->start, from = 0;
    int line = sp->line, lead = k->lead_in;
    unit_kind kind = k->kind;
    const readability_span *counts = sp;
    readability_span none = {0};
    /* a dash that went on with the clause opens an aside; the dash that
       closes it ("the network - including email - is logged") goes on too */
    bool aside = false;
    for (size_t i = 0; i < n; i++) {
        while (i < n && !(byte_class[(unsigned char)s[i]] & BYTE_CLAUSE))
            i++;
        if (i >= n)
            break;
        unsigned char cls = byte_class[(unsigned char)s[i]];
        /* white space ends a clause only before a dash: - or U+2013/4 */
        if ((cls & BYTE_WS) && (i + 1 >= n || (s[i + 1] != '-' && s[i + 1] != '\xE2')))
            continue;
        bool colon = s[i] == ':' && i + 1 < n && is_ws((unsigned char)s[i + 1]) &&
                     readability_words(s + from, i - from, 3) >= 3 &&
                     readability_words(s + i, n - i, 2) >= 2;
        size_t next = colon ? i + 1 : clause_break(s, n, i);
        if (!next || !trim(s + next, n - next).n || !trim(s + from, i - from).n)
            continue;
        /* after a colon, semicolons part the items of its list */
        bool listing = kind == UNIT_ITEM && lead != k->lead_in;
        bool dash = !colon && s[i] != ';';
        if (dash && aside) {
            aside = false;
            continue;
        }
        if (!colon && !(listing && s[i] == ';') && continues(s + next, n - next)) {
            aside = dash;
            continue;
        }
        size_t end = colon ? i + 1 : i;
        k->last = add_unit(k->w, kind, s + from, end - from, line, k->block, lead, counts);
        counts = &none;
        if (colon) {
            lead = k->last;
            kind = UNIT_ITEM;
        }
        for (size_t j = from; j < next; j++)
            line += s[j] == '\n' && line > 0;
        from = next;
        i = next - 1;
    }
    k->last = add_unit(k->w, kind, s + from, n - from, line, k->block, lead, counts);
}

/* Sentences of the text S at LINE as units of KIND. Returns the last one, or -1. */
static int add_sentences(walker *w, unit_kind kind, const char *s, size_t n, int line, int block,
                         int lead_in)
{
    sentence_sink k = {w, kind, block, lead_in, -1, s};
    readability_split(s, n, line, on_sentence, &k);
    return k.last;
}


/* One unit for the whole of S (a heading, a cell, a bold line). */
static int add_whole(walker *w, unit_kind kind, const char *s, size_t n, int line, int block,
                     int lead_in)
{
    counter c = {0};
    readability_split(s, n, 0, on_count, &c);
    readability_span sp = {0, n, line, c.words, c.syllables, c.poly};
    return add_unit(w, kind, s, n, line, block, lead_in, &sp);
}

/* ---- tables ---- */

/* Is LINE a delimiter row such as |---|:--:| ? */
static bool delimiter_row(span line)
{
    line = trim(line.s, line.n);
    if (line.n == 0 || !memchr(line.s, '-', line.n))
        return false;
    bool pipe = false;
    for (size_t i = 0; i < line.n; i++) {
        char c = line.s[i];
        if (c == '|')
            pipe = true;
        else if (c != '-' && c != ':' && !is_ws((unsigned char)c))
            return false;
    }
    return pipe;
}

/* The cells of a table row: up to MAX spans between pipes, without the
 * outer pipes. Returns how many. */
static size_t row_cells(span line, span *cells, size_t max)
{
    line = trim(line.s, line.n);
    const char *p = line.s, *end = line.s + line.n;
    if (p < end && *p == '|')
        p++;
    if (end > p && end[-1] == '|')
        end--;
    size_t k = 0;
    while (p <= end && k < max) {
        const char *q = memchr(p, '|', (size_t)(end - p));
        if (!q)
            q = end;
        cells[k++] = trim(p, (size_t)(q - p));
        p = q + 1;
    }
    return k;
}

static bool has_word(span s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            return true;
        if (c >= '0' && c <= '9')
            return true;
    }
    return false;
}

enum { MAX_COLUMNS = 32 };

/* Does the header cell H say who does what its column holds ("The school
 * will", "Pupils must:", "Parents agree to")? Then the column is one of
 * rules like the rest, and its cells label no rows. */
static bool header_leads(const unit *h)
{
    static const char *const ends[] = {"will", "shall", "must", "should", "can", "may",
                                       "agree to", "agrees to", "promise to", "promises to"};
    size_t n = h->len;
    while (n && (h->text[n - 1] == ' ' || h->text[n - 1] == '.'))
        n--;
    if (n && h->text[n - 1] == ':')
        return true;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t m = strlen(ends[i]);
        if (n >= m && !strncasecmp(h->text + n - m, ends[i], m) &&
            (n == m || h->text[n - m - 1] == ' '))
            return true;
    }
    return false;
}

/* The block text as a pipe table, when it is one: each cell a unit, the
 * header cell of its column its lead-in. */
static bool add_table(walker *w, const char *s, size_t n, int line)
{
    span lines[2];
    const char *nl = memchr(s, '\n', n);
    if (!nl || !memchr(s, '|', (size_t)(nl - s)))
        return false;
    lines[0] = (span){s, (size_t)(nl - s)};
    const char *p2 = nl + 1, *nl2 = memchr(p2, '\n', (size_t)(s + n - p2));
    lines[1] = (span){p2, (size_t)((nl2 ? nl2 : s + n) - p2)};
    if (!delimiter_row(lines[1]))
        return false;
    int header[MAX_COLUMNS];
    for (size_t i = 0; i < MAX_COLUMNS; i++)
        header[i] = -1;
    const char *p = s;
    int row = 0, ln = line;
    size_t columns = row_cells(lines[0], (span[MAX_COLUMNS]){{0}}, MAX_COLUMNS);
    bool labels = columns >= 3;   /* the first cell of each row labels it */
    while (p <= s + n) {
        const char *e = memchr(p, '\n', (size_t)(s + n - p));
        if (!e)
            e = s + n;
        span l = {p, (size_t)(e - p)};
        if (row != 1) {
            span cells[MAX_COLUMNS];
            size_t nc = row_cells(l, cells, MAX_COLUMNS);
            int block = w->blocks++, head = -1;
            for (size_t c = 0; c < nc; c++) {
                if (!has_word(cells[c]))
                    continue;
                int lead = row > 0 ? header[c] : -1;
                bool label = row == 0 || (c == 0 && labels);
                /* a cell of the body is read clause by clause, like a
                   sentence ("Don't message clients from your own number;
                   use the salon phone"); a header or a label is one unit */
                size_t first = w->out->count;
                int u = label ? add_whole(w, UNIT_CELL, cells[c].s, cells[c].n, ln, block, lead)
                              : add_sentences(w, UNIT_CELL, cells[c].s, cells[c].n, ln, block,
                                              lead);
                for (size_t k = first; k < w->out->count; k++) {
                    unit *x = &w->out->items[k];
                    x->row = row ? row - 1 : 0;
                    x->column = (uint8_t)c;
                    if (row == 0 && c == 0 && header_leads(x))
                        labels = false;
                    x->label = label;
                    if (!label)
                        x->row_head = head;
                }
                if (row == 0)
                    header[c] = u;
                else if (c == 0 && labels)
                    head = u;
            }
        }
        row++;
        ln += line > 0;
        if (e == s + n)
            break;
        p = e + 1;
    }
    return true;
}

static bool ends_lead_in(const unit *u);

/* ---- bullets typed as text ---- */

/* Length of a bullet glyph typed at the start of a line (•, ·, ◦, ▪, ●,
 * ○, ‣, ⁃, or a - or * that cmark did not take as a list), or 0. */
static size_t bullet_at(const char *s, size_t n)
{
    static const char *const glyphs[] = {
        "\xE2\x80\xA2", "\xC2\xB7", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x97\x8F",
        "\xE2\x97\x8B", "\xE2\x80\xA3", "\xE2\x81\x83", "\xEF\x82\xB7",
    };
    for (size_t i = 0; i < sizeof glyphs / sizeof glyphs[0]; i++) {
        size_t g = strlen(glyphs[i]);
        if (n >= g && !memcmp(s, glyphs[i], g))
            return g;
    }
    if (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
        return 1;
    return 0;
}

/* Does a line of a typed list start at S? *SKIP says where its item
 * starts: after its bullet, or at its tick box, which stays in the item as
 * the blank a reader fills in. */
static bool item_at(const char *s, size_t n, size_t *skip)
{
    bool box = box_at(s, n);
    *skip = box ? 0 : bullet_at(s, n);
    return box || *skip > 0;
}

/* A paragraph of lines that start with typed bullets or tick boxes (what a
 * Word export makes of a list, a form's boxes): each bullet an item, the
 * text before them its lead-in. False when fewer than two lines start with
 * one. */
static bool add_typed_list(walker *w, const char *s, size_t n, int line)
{
    size_t bullets = 0;
    for (size_t i = 0; i < n;) {
        const char *e = memchr(s + i, '\n', n - i);
        size_t end = e ? (size_t)(e - s) : n;
        span l = trim(s + i, end - i);
        size_t skip;
        bullets += l.n && item_at(l.s, l.n, &skip);
        i = end + 1;
    }
    if (bullets < 2)
        return false;
    int lead = -1, ln = line, item_line = line, block = -1;
    size_t item_start = 0;
    bool in_item = false;
    for (size_t i = 0;;) {
        const char *e = i < n ? memchr(s + i, '\n', n - i) : NULL;
        size_t end = e ? (size_t)(e - s) : n;
        span l = trim(s + i, end - i);
        size_t skip = 0;
        bool g = l.n && item_at(l.s, l.n, &skip);
        bool last = end >= n;
        if (g || last) {
            /* what came before a bullet (or the end) is an item, or the lead-in */
            size_t stop = g ? i : n;
            if (in_item && stop > item_start)
                add_sentences(w, UNIT_ITEM, s + item_start, stop - item_start, item_line, block,
                              lead);
            else if (!in_item && trim(s, stop).n) {
                int u = add_sentences(w, UNIT_PARAGRAPH, s, stop, line, w->blocks++, -1);
                if (u >= 0 && ends_lead_in(&w->out->items[u]))
                    lead = u;
            }
            if (g) {
                in_item = true;
                item_start = (size_t)(l.s - s) + skip;
                item_line = ln;
                block = w->blocks++;
                if (last)
                    add_sentences(w, UNIT_ITEM, s + item_start, n - item_start, item_line, block,
                                  lead);
            }
        }
        if (last)
            break;
        i = end + 1;
        ln += line > 0;
    }
    return true;
}

/* ---- blocks ---- */

static bool ends_lead_in(const unit *u)
{
    if (u->len == 0)
        return false;
    char last = u->text[u->len - 1];
    if (last == ':')
        return true;
    /* a bare phrase with no full stop: "Examples of unacceptable use" */
    return last != '.' && last != '!' && last != '?' && u->words <= 15;
}

static void push_heading(walker *w, int level, int unit_index, bool bold)
{
    w->headings = xgrow(w->headings, w->nheadings, sizeof *w->headings);
    w->headings[w->nheadings++] = (heading_ref){level, unit_index, bold};
}

static void add_heading(walker *w, const char *s, size_t n, int line, int level, bool bold)
{
    w->enum_lead = -1;
    /* a real heading also ends the sections bold paragraphs opened */
    while (w->nheadings && (w->headings[w->nheadings - 1].level >= level ||
                            (!bold && w->headings[w->nheadings - 1].bold)))
        w->nheadings--;
    /* past the second half's own headings, those of the first go too */
    if (!w->nheadings && w->residue && level < w->residue_cut)
        w->residue_cut = level;
    int u = add_whole(w, UNIT_HEADING, s, n, line, w->blocks++, -1);
    w->out->items[u].level = level;
    push_heading(w, level, u, bold);
}

/* Length of a letter or number that starts a clause of a list typed as
 * paragraphs: "a) ", "(b) ", "iv) ", "2) ". 0 when there is none. */
static size_t enumerator_at(const char *s, size_t n)
{
    size_t i = 0;
    bool open = i < n && s[i] == '(';
    i += open;
    size_t start = i;
    while (i < n && i - start < 4 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
        i++;
    if (i == start || i >= n || s[i] != ')')
        return 0;
    /* a letter, a roman numeral or a number: not a word in brackets */
    if (i - start > 1) {
        for (size_t k = start; k < i; k++)
            if (!strchr("ivxlc0123456789", s[k]))
                return 0;
    }
    i++;
    if (i < n && !is_ws((unsigned char)s[i]))
        return 0;
    return i;
}

/* Does paragraph N open on a line all in bold ("**Can I bring my phone?**"
 * then its answer on the next line)? A question-and-answer page heads
 * each answer so. */
static bool bold_first_line(cmark_node *n)
{
    cmark_node *c = cmark_node_first_child(n);
    cmark_node *next = c ? cmark_node_next(c) : NULL;
    cmark_node_type t = next ? cmark_node_get_type(next) : CMARK_NODE_NONE;
    return c && cmark_node_get_type(c) == CMARK_NODE_STRONG &&
           (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) && cmark_node_next(next);
}

/* A short bold line of no full stop: what Word and question-and-answer
 * pages make of a heading. */
static bool heading_like(span t)
{
    return t.n && readability_words(t.s, t.n, 13) <= 12 && t.s[t.n - 1] != '.';
}

static void paragraph(walker *w, cmark_node *n)
{
    bool strong;
    block_text(w, n, &strong);
    const char *s = w->text.data;
    size_t len = w->text.len;
    int line = cmark_node_get_start_line(n);
    if (line < 0)
        line = 0;
    if (len == 0)
        return;
    cmark_node *parent = cmark_node_parent(n);
    bool in_item = parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM;
    if (!in_item && (add_table(w, s, len, line) || add_typed_list(w, s, len, line)))
        return;
    cmark_node *next = cmark_node_next(n);
    bool before_list = next && cmark_node_get_type(next) == CMARK_NODE_LIST;
    const char *nl = memchr(s, '\n', len);
    span t = trim(s, nl && !strong ? (size_t)(nl - s) : len);
    /* a bold line ending in a colon before a list leads into it ("**You
       must not:**"); without the colon it names the list's section */
    bool leads = before_list && t.n && t.s[t.n - 1] == ':';
    bool heads = !in_item && !leads && (strong ? !nl : nl && bold_first_line(n));
    if (heads && heading_like(t)) {
        /* under a real heading, a subheading; after another bold
           paragraph, its sibling (Word's headings are all alike) */
        const heading_ref *top = w->nheadings ? &w->headings[w->nheadings - 1] : NULL;
        int level = !top ? 1 : top->bold ? top->level : top->level + 1;
        add_heading(w, t.s, t.n, line, level > 7 ? 7 : level, true);
        if (strong)
            return;
        len -= (size_t)(nl + 1 - s);
        s = nl + 1;
        line += line > 0;
    }
    int block, lead = -1;
    unit_kind kind = UNIT_PARAGRAPH;
    bool lettered = false;
    if (in_item && w->nitems) {
        kind = UNIT_ITEM;
        block = w->items[w->nitems - 1].block;
        lead = w->nlists ? w->lists[w->nlists - 1].lead_in : -1;
    } else {
        block = w->blocks++;
        span t = trim(s, len);
        size_t e = enumerator_at(t.s, t.n);
        if (e && w->enum_lead >= 0) {
            /* "2.4 Staff must not:" then "a) share..." as paragraphs */
            kind = UNIT_ITEM;
            lead = w->enum_lead;
            lettered = true;
            len -= (size_t)(t.s + e - s);
            s = t.s + e;
        }
    }
    int last = add_sentences(w, kind, s, len, line, block, lead);
    if (!in_item && !lettered)
        w->enum_lead = last >= 0 && w->out->items[last].len &&
                               w->out->items[last].text[w->out->items[last].len - 1] == ':'
                           ? last
                           : -1;
    if (last < 0)
        return;
    if (in_item && w->nitems)
        w->items[w->nitems - 1].last_unit = last;
    w->last_para = n;
    w->last_para_unit = last;
}

static void enter_list(walker *w, cmark_node *n)
{
    int lead = -1;
    cmark_node *parent = cmark_node_parent(n);
    if (parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM && w->nitems) {
        lead = w->items[w->nitems - 1].last_unit;
    } else if (w->last_para && cmark_node_previous(n) == w->last_para &&
               ends_lead_in(&w->out->items[w->last_para_unit])) {
        lead = w->last_para_unit;
    }
    w->lists = xgrow(w->lists, w->nlists, sizeof *w->lists);
    w->lists[w->nlists] = (list_ref){lead, (int)w->nlists + 1};
    w->nlists++;
}

static void enter_item(walker *w)
{
    w->items = xgrow(w->items, w->nitems, sizeof *w->items);
    w->items[w->nitems++] = (item_ref){w->blocks++, -1};
}

/* Units of the nodes the iterator IT gives up to STOP's entry (NULL: to
 * the end). */
static void walk(walker *w, cmark_iter *it, cmark_node *stop)
{
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (n == stop && ev == CMARK_EVENT_ENTER)
            return;
        if (ev == CMARK_EVENT_EXIT) {
            if (t == CMARK_NODE_LIST && w->nlists)
                w->nlists--;
            else if (t == CMARK_NODE_ITEM && w->nitems)
                w->nitems--;
            continue;
        }
        switch (t) {
        case CMARK_NODE_HEADING: {
            bool strong;
            block_text(w, n, &strong);
            span s = trim(w->text.data, w->text.len);
            if (s.n)
                add_heading(w, s.s, s.n, cmark_node_get_start_line(n),
                            cmark_node_get_heading_level(n), false);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        }
        case CMARK_NODE_PARAGRAPH:
            paragraph(w, n);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        case CMARK_NODE_LIST:
            enter_list(w, n);
            break;
        case CMARK_NODE_ITEM:
            enter_item(w);
            break;
        default:
            break;
        }
    }
}

static void walker_free(walker *w)
{
    free(w->headings);
    free(w->lists);
    free(w->items);
    sb_free(&w->text);
}

/* ---- a long draft in stretches ---- */

/* A long draft is cut at top-level headings into this many stretches at
 * most, which the two threads take from either end (par_claim): the
 * main thread those from the front, with its one walker, the helper those
 * from the back, each with a walker of its own. A heading closes every
 * list and resets every lead-in, so only the headings above a cut reach
 * across it (RESIDUE_REF). */
enum { STRETCHES = 32 };

typedef struct {
    walker w;
    unit_list list;
} stretch;

typedef struct {
    walker *first;           /* the walker of the stretches from the front */
    const walker *base;      /* what every walker shares: the source and its lines */
    cmark_node *root;
    cmark_node *const *starts;   /* stretch K: the top-level nodes [starts[K], starts[K + 1]) */
    size_t n;
    stretch *back;           /* stretch K, when taken from the back */
    par_claims *front_claims, *back_claims;
} stretches;

typedef struct {
    stretches *s;
    bool front;
} stretch_task;

static void walk_from(walker *w, cmark_node *root, cmark_node *from, cmark_node *stop)
{
    cmark_iter *it = cmark_iter_new(root);
    if (from != cmark_node_first_child(root))
        cmark_iter_reset(it, cmark_node_previous(from), CMARK_EVENT_EXIT);
    walk(w, it, stop);
    cmark_iter_free(it);
}

/* Where the line node N starts on starts in the source (a tree without
 * source positions, or not of this source, gets the nearest end). */
static size_t offset_of(const walker *w, cmark_node *n)
{
    int line = cmark_node_get_start_line(n);
    if (line < 1)
        return 0;
    return (size_t)line <= w->nlines ? w->line_start[line - 1] : w->srclen;
}

/* Bytes of the source from the line node N starts on to STOP's (the end
 * when NULL). */
static size_t bytes_between(const walker *w, cmark_node *n, cmark_node *stop)
{
    size_t a = offset_of(w, n), b = stop ? offset_of(w, stop) : w->srclen;
    return b > a ? b - a : 0;
}

static void take_stretches(void *arg)
{
    stretch_task *t = arg;
    stretches *s = t->s;
    size_t k, end;
    while (par_claim(t->front ? s->front_claims : s->back_claims, t->front, 1, &k, &end)) {
        cmark_node *stop = k + 1 < s->n ? s->starts[k + 1] : NULL;
        if (t->front) {
            walk_from(s->first, s->root, s->starts[k], stop);
            continue;
        }
        stretch *x = &s->back[k];
        /* room for its units (a unit for every 48 bytes or so, add_unit) */
        x->list.cap = 64 + bytes_between(s->base, s->starts[k], stop) / 48;
        x->list.items = xmalloc(x->list.cap * sizeof *x->list.items);
        x->w = (walker){.out = &x->list, .src = s->base->src, .srclen = s->base->srclen,
                        .line_start = s->base->line_start, .nlines = s->base->nlines,
                        .enum_lead = -1, .residue = true, .residue_cut = 8};
        walk_from(&x->w, s->root, s->starts[k], stop);
    }
}

/* The top-level headings with text nearest after each of N - 1 lines spread
 * evenly through the draft, into STARTS[1..], after its first node; how
 * many stretches that makes. */
static size_t cuts_of(walker *w, cmark_node *root, cmark_node **starts, size_t n)
{
    size_t k = 1;
    starts[0] = cmark_node_first_child(root);
    for (cmark_node *x = cmark_node_next(starts[0]); x && k < n; x = cmark_node_next(x)) {
        if (cmark_node_get_type(x) != CMARK_NODE_HEADING ||
            (size_t)cmark_node_get_start_line(x) < w->nlines * k / n)
            continue;
        bool strong;
        block_text(w, x, &strong);
        if (trim(w->text.data, w->text.len).n)
            starts[k++] = x;
    }
    return k;
}

/* The unit RESIDUE_REF(C) stands for, from the headings open before a cut
 * (H, N of them): the heading cut at closed the bold ones and those of its
 * level or more. */
static int resolve_residue(const heading_ref *h, size_t n, int c)
{
    for (size_t i = n; i-- > 0;)
        if (!h[i].bold && h[i].level < c)
            return h[i].unit;
    return -1;
}

static int shift(int index, int by)
{
    return index >= 0 ? index + by : index;
}

/* Stretch X's units after OUT's, their indices and blocks moved up, their
 * strings' chunks kept; OPEN, the headings open before it, and BLOCKS
 * become those after it. */
static void join_stretch(unit_list *out, stretch *x, heading_ref **open, size_t *nopen,
                         int *blocks)
{
    int n1 = (int)out->count;
    for (size_t i = 0; i < x->list.count; i++) {
        unit *u = &out->items[out->count++];
        *u = x->list.items[i];
        u->heading = u->heading < -1 ? resolve_residue(*open, *nopen, -2 - u->heading)
                                     : shift(u->heading, n1);
        u->lead_in = shift(u->lead_in, n1);
        u->row_head = shift(u->row_head, n1);
        u->block += *blocks;
    }
    units_chunk **tail = &out->chunks;
    while (*tail)
        tail = &(*tail)->next;
    *tail = x->list.chunks;
    free(x->list.items);
    /* of the headings before, those its own did not close, then its own */
    size_t k = 0;
    for (size_t i = 0; i < *nopen; i++)
        if (!(*open)[i].bold && (*open)[i].level < x->w.residue_cut)
            (*open)[k++] = (*open)[i];
    *open = xrealloc(*open, (k + x->w.nheadings + 1) * sizeof **open);
    for (size_t i = 0; i < x->w.nheadings; i++) {
        heading_ref h = x->w.headings[i];
        h.unit = shift(h.unit, n1);
        (*open)[k++] = h;
    }
    *nopen = k;
    *blocks += x->w.blocks;
    walker_free(&x->w);
}

/* The stretches from FROM on, taken from the back, after those of W. */
static void join_back(walker *w, stretch *back, size_t from, size_t n)
{
    unit_list *out = w->out;
    size_t total = out->count;
    for (size_t k = from; k < n; k++)
        total += back[k].list.count;
    out->items = xrealloc(out->items, (total + 1) * sizeof *out->items);
    out->cap = total + 1;
    heading_ref *open = xmalloc((w->nheadings + 1) * sizeof *open);
    memcpy(open, w->headings, w->nheadings * sizeof *open);
    size_t nopen = w->nheadings;
    int blocks = w->blocks;
    for (size_t k = from; k < n; k++)
        join_stretch(out, &back[k], &open, &nopen, &blocks);
    free(open);
}

/* W's draft in the N stretches from STARTS: the first FIXED of them on
 * this thread and the rest on the helper, or, with FIXED 0, as many from
 * either end as each thread gets to. */
static void build_stretches(walker *w, cmark_node *root, cmark_node *const *starts, size_t n,
                            size_t fixed)
{
    par_claims front, back;
    par_claims_init(&front, 0, fixed ? fixed : n);
    par_claims_init(&back, fixed, n);
    walker first = *w;
    first.text = (strbuf){0};
    stretches s = {&first, w, root, starts, n, xcalloc(n, sizeof(stretch)), &front,
                   fixed ? &back : &front};
    stretch_task a = {&s, true}, b = {&s, false};
    par_two(take_stretches, &a, &b);
    size_t from = n;
    while (from > 0 && s.back[from - 1].list.items)
        from--;
    join_back(&first, s.back, from, n);
    walker_free(&first);
    free(s.back);
}

/* units_build, cut before STARTS[1..N) when N > 1 (the first FIXED
 * stretches on this thread), else where cuts_of says when the draft is
 * long. */
static void build(cmark_node *root, const char *source, size_t len, unit_list *out,
                  cmark_node *const *starts, size_t n, size_t fixed)
{
    walker w = {.out = out, .src = source ? source : "", .srclen = source ? len : 0,
                .enum_lead = -1};
    index_lines(&w);
    cmark_node *cut[STRETCHES];
    if (n < 2 && !fixed && root && cmark_node_first_child(root) && w.srclen >= PAR_MIN_BYTES) {
        n = cuts_of(&w, root, cut, STRETCHES);
        starts = cut;
    }
    if (n > 1) {
        build_stretches(&w, root, starts, n, fixed);
    } else if (root) {
        cmark_iter *it = cmark_iter_new(root);
        walk(&w, it, NULL);
        cmark_iter_free(it);
    }
    free(w.line_start);
    walker_free(&w);
}

void units_build(cmark_node *root, const char *source, size_t len, unit_list *out)
{
    build(root, source, len, out, NULL, 0, 0);
}

void units_build_at(cmark_node *root, const char *source, size_t len, unit_list *out,
                    cmark_node *const *cuts, size_t ncuts)
{
    cmark_node *starts[1 + 64];
    if (!root || !cmark_node_first_child(root) || ncuts > 64)
        ncuts = 0;
    starts[0] = root ? cmark_node_first_child(root) : NULL;
    if (ncuts)
        memcpy(starts + 1, cuts, ncuts * sizeof *cuts);
    /* no cut: the whole on one thread */
    build(root, source, len, out, starts, ncuts + 1, 1);
}
