/* classify_types: the compiled classifier's data, shared by its loader
 * (classify.c) and its build-time form (classify_blob.c). Private to the
 * classify module. */
#ifndef AUPC_CLASSIFY_TYPES_H
#define AUPC_CLASSIFY_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { MAX_LISTS = 64, MAX_RULES = 320, RULE_WORDS = MAX_RULES / 64 };
/* the requirement groups of all rules, a bit each (see index_groups) */
enum { GROUP_WORDS = 16 };

typedef struct {
    char *text;
    size_t len;
    uint64_t lists;      /* lists holding this word as a single-word entry */
    uint64_t excluded;   /* lists that remove it ("-during") */
    uint64_t multi;      /* lists with a multi-word entry that starts with it */
    uint64_t starts[RULE_WORDS];   /* rules whose match can start at this word */
    int contraction;     /* index + 1 of the contraction this whole word opens, or 0 */
} vocab_entry;

typedef struct {
    int *words;          /* vocabulary ids */
    size_t n;
} multi_entry;

typedef struct {
    char *id;
    multi_entry *multi;
    size_t nmulti;
    uint64_t starts[RULE_WORDS];   /* rules whose match can start with this list */
} word_list;

typedef struct {
    char *affix;         /* "monitor" for monitor*, "ing" for *ing */
    size_t len;
    int list;
    bool suffix;
} wildcard;

typedef struct {
    char *from;          /* a whole word, or a suffix */
    bool suffix;
    int to[3];           /* vocabulary ids of what it becomes; -1 ends */
} contraction;

typedef enum { EL_WORD, EL_LIST, EL_ALT, EL_GAP, EL_START, EL_END, EL_NOT, EL_BEFORE } el_kind;

struct seq;
typedef struct {
    el_kind kind;
    bool optional;
    int arg;             /* word id, list index or gap size */
    struct seq *alts;    /* EL_ALT: the choices; EL_NOT: one */
    size_t nalts;
    int *set;            /* EL_ALT: the choices that are one word, sorted */
    size_t nset;
    /* EL_ALT: what its choices can start with, to pass over it in one test
       where the text holds none of that: words (their ids modulo 64) and
       lists; any_first when a choice may start with anything */
    uint64_t first_words, first_lists;
    bool any_first;
    /* EL_ALT: its branches that start with a plain word, as (word id << 32 |
       branch index), sorted; and the others' indices, in order */
    uint64_t *byword;
    size_t nbyword;
    uint32_t *others;
    size_t nothers;
} element;

typedef struct seq {
    element *els;
    size_t n;
    bool phrase;         /* only plain words: matched in one loop */
} seq;

typedef struct {
    char *id, *why;
    seq pat;
    unsigned act;        /* classify_act bits */
    unsigned marks, topics;
    unsigned readers;
    unsigned qualifies;  /* the mark it only qualifies: tried once that is found */
    bool main_only, context_only, title_only, field_only, claims;
    bool agent;          /* someone other than the reader does what it matches */
    bool consequent;     /* in a main clause whose subject is no misuse */
    bool thing;          /* agent, and what does it is no person either */
    bool anchored;       /* starts with ^ */
    bool alt_anchored;   /* starts with a choice whose every branch starts with ^ */
    bool anywhere;       /* its first word cannot be known: tried at every word */
    bool at_start;       /* also starts at a ^ that nothing must come before ("(^|:) ...") */
    /* what a unit must hold for the rule to have a chance: for each group,
       one of its lists or words (a unit that lacks one is not tried) */
    struct require {
        uint64_t lists;
        uint64_t words[4];   /* vocabulary ids, folded into 256 bits */
    } *req;
    size_t nreq;
    /* the same groups as bits GMASK << GSHIFT of word GWORD of a unit's
       groups met; GWORD -1 when they have no bits */
    int gword, gshift;
    uint64_t gmask;
} rule;

struct classifier {
    vocab_entry *vocab;
    size_t nvocab, capvocab;
    int *table;          /* open addressing over vocab: index + 1, 0 empty */
    size_t tablesize;
    word_list lists[MAX_LISTS];
    size_t nlists;
    wildcard *wild;
    size_t nwild;
    contraction *contr;
    size_t ncontr;
    rule *rules;
    size_t nrules;
    uint64_t anywhere[RULE_WORDS];   /* rules tried wherever they may start */
    uint64_t at_start[RULE_WORDS];   /* rules tried at a unit's start, and where they may start */
    uint64_t anchored[RULE_WORDS];   /* rules tried only at a unit's first word */
    uint64_t context_rules[RULE_WORDS];   /* rules only for headings and lead-ins */
    /* rules only for some units (see rule_applies), to pass them over at once */
    uint64_t field_rules[RULE_WORDS], title_rules[RULE_WORDS];
    /* rules that only guess who the draft is for (classify_units_for); of
       them, those of the body saying outright whom a text addresses */
    uint64_t guess_rules[RULE_WORDS], addressee_rules[RULE_WORDS];
    /* for each vocabulary word and each list, the requirement groups it
       meets: GROUP_WORDS words each, of which the first ngroupwords are used */
    uint64_t *vocab_groups, *list_groups;
    size_t ngroupwords;
    /* lists the clause logic needs */
    int l_neg, l_modal, l_be, l_sub, l_rel, l_content, l_pronoun;
    int l_reader, l_filler, l_verb, l_breach, l_gerund;   /* who does what (other_agent) */
    int l_person_word;                                     /* ... and whether it is a person */
    int l_common;        /* words too common to tie a condition to a rule (restated_rule) */
    int w_comma, w_semicolon, w_colon, w_stop, w_excl, w_quest, w_open, w_close, w_dash;
    int w_that;          /* a relative pronoun that is also a complementiser */
    int w_poss;          /* "'s", which makes "that" before it a determiner */
};

#endif
