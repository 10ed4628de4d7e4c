/* diff: what changed between two versions of the same AUP.
 *
 * Two compiled profiles are compared audience by audience, matching blocks
 * by the statement id on their doc_tag; two hand-written drafts, which carry
 * no ids, are compared by aligning their blocks on word similarity. Either
 * way the result is a change set (diff_result) that diff_render.c prints.
 *
 * Inside a block, the word diff works on tokens: a run of letters and digits
 * (any non-ASCII byte counts as a letter) or a single punctuation mark.
 * Whitespace separates tokens and is never itself a change. */
#ifndef AUPC_DIFF_H
#define AUPC_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "library.h"
#include "profile.h"

/* ---- word diff ---- */

typedef enum { SEG_SAME, SEG_DEL, SEG_INS } diff_seg_kind;

typedef struct {
    diff_seg_kind kind;
    char *text;          /* tokens joined by single spaces where the source had space */
    bool space_before;   /* the first token had whitespace before it */
} diff_seg;

typedef struct {
    diff_seg *segs;
    size_t count;
    bool coarse;         /* the blocks were too long for a word LCS: compared by sentence */
} word_diff;

/* Largest LCS table (cells) the diff allocates; longer inputs fall back to
 * a sentence-level comparison, then to one replacement. */
#define DIFF_MAX_CELLS (1u << 20)

/* Compare OLD and NEW (either may be NULL or empty). Returns the number of
 * changed (deleted or inserted) segments: 0 means no change. */
size_t word_diff_compute(const char *old_text, const char *new_text, word_diff *out);
void word_diff_free(word_diff *w);

/* Jaccard similarity of the sets of lowercased words in A and B, 0..1. */
double diff_similarity(const char *a, const char *b);

/* ---- change set ---- */

typedef enum { CH_ADDED, CH_REMOVED, CH_REWORDED, CH_MOVED, CH_KIND_COUNT } diff_change_kind;

typedef struct {
    diff_change_kind kind;
    char *statement;     /* statement id (profiles); NULL for drafts */
    char *section;       /* the heading the block sits under */
    const char *block;   /* "heading", "paragraph", "item", "block" (drafts); "statement" */
    char *old_text, *new_text;  /* NULL when absent */
    int old_line, new_line;     /* drafts: 1-based source lines; 0 otherwise */
    word_diff words;     /* reworded and moved-and-reworded blocks */
    char **because;      /* setting keys that explain it */
    size_t nbecause;
} diff_change;

typedef enum { AUDIENCE_CHANGED, AUDIENCE_SAME, AUDIENCE_ADDED, AUDIENCE_REMOVED } diff_audience_status;

typedef struct {
    char *id, *label;
    diff_audience_status status;
    diff_change *changes;
    size_t count;
    size_t counts[CH_KIND_COUNT];
} diff_audience;

typedef struct {
    char *audience, *statement;
    bool added;          /* brought in (true) or taken out (false) */
} diff_effect;

typedef struct {
    char *key;           /* stable id: "devices.pupils", "monitoring.filtering-provider", ... */
    char *label;         /* for people: "Personal devices, pupils" */
    char *old_value, *new_value;   /* NULL when absent */
    const char *verdict; /* review facts: "moved-on", "kept", "set", ...; else "added",
                            "removed", "changed" */
    diff_effect *effects;
    size_t neffects;
} diff_setting;

typedef enum { DIFF_PROFILES, DIFF_DRAFTS } diff_mode;

typedef struct {
    char *file, *setting, *version;
    char *lang;          /* the documents' language (profiles); NULL: en-GB */
    aupc_date approved, next_review;
} diff_side;

typedef struct {
    diff_mode mode;
    diff_side old_side, new_side;
    diff_setting *review;     size_t nreview;    /* review facts, kept ones too */
    diff_setting *settings;   size_t nsettings;  /* changed settings only */
    diff_audience *audiences; size_t naudiences;
} diff_result;

/* Compare two loaded profiles with LIB. ONLY, when not NULL, narrows to one
 * audience id. Returns 0, or -1 with errors in *diags (a profile that does
 * not compile). */
int diff_profiles(const profile *old_p, const profile *new_p, const library *lib,
                  const char *only, diff_result *out, diag_list *diags);

/* Compare two Markdown drafts held in memory. Returns 0, or -1 with errors
 * in *diags when a draft is past the limits of mdparse.h (nothing to free). */
int diff_drafts(const char *old_file, const char *old_text, size_t old_len,
                const char *new_file, const char *new_text, size_t new_len, diff_result *out,
                diag_list *diags);

/* Compare two documents block by block, by similarity (drafts) or by
 * statement id (compiled), filling A's changes. */
void diff_documents(const document *old_d, const document *new_d, bool by_id, diff_audience *a);

/* True when nothing at all changed (kept review facts do not count). */
bool diff_identical(const diff_result *r);
/* Totals over every audience. */
void diff_totals(const diff_result *r, size_t counts[CH_KIND_COUNT]);
void diff_result_free(diff_result *r);

const char *diff_change_kind_name(diff_change_kind k);
const char *diff_audience_status_name(diff_audience_status s);

#endif
