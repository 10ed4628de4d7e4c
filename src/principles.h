/* principles: the rules every AUP is held to, and the engine that checks one
 * document against them. The rules and their limits per audience live in
 * statements/principles.xml (see the comment at its top for what each
 * principle asks and how severe a failure is).
 *
 * One engine serves both commands. For a compiled document (one built by
 * compile_profile, with a profile), the facts come from the statement tags
 * and the profile. For a Markdown draft (no profile), they come from what
 * each unit of its text does (draft.h): the content principles count
 * classified units, and the rest match detection phrases at the start of a
 * word of the folded text. */
#ifndef AUPC_PRINCIPLES_H
#define AUPC_PRINCIPLES_H

#include <stdbool.h>
#include <stddef.h>

#include "classify.h"
#include "diag.h"
#include "document.h"
#include "draft.h"
#include "layout.h"
#include "library.h"
#include "profile.h"
#include "readability.h"

/* What a phrase names: for the setting principle, a local policy or the
 * setting's technology; for voice and setting-words, words a reader must
 * not meet; for consistent, the words that say a setting-wide fact (its
 * value is the phrase's value=). */
typedef enum {
    PHRASE_POLICY, PHRASE_TECH,
    PHRASE_SECOND_PERSON,   /* voice: "you" in a first-person document */
    PHRASE_CHILD_VOICE,     /* voice: a child's words in an adult's easy read */
    PHRASE_CHILDREN,        /* voice: what a post-16 reader is never called */
    PHRASE_SCHOOL_WORD,     /* setting-words: a school's word where there is no school */
    PHRASE_DEVICE_RULE,     /* consistent: the pupils' device rule ("hand it in") */
    PHRASE_OCCASION,        /* consistent: a rule for one occasion only ("exam") */
    PHRASE_AUTHORISES,      /* consistent: someone agrees to closer checks ("can agree") */
    PHRASE_AUTHORITY,       /* consistent: who, by role ("the head") */
    PHRASE_KEEPS,           /* consistent: a device kept ("keep it") */
    PHRASE_BEYOND_DAY,      /* consistent: ... after the day ends */
    PHRASE_MONITORS,        /* consistent: a thing said to be monitored ("email") */
    PHRASE_JOINS_IDEAS,     /* easy-read: words that join two ideas (", and") */
    PHRASE_JOB_TITLE,       /* easy-read: a job title a reader may not know */
    PHRASE_PLAIN_ACRONYM,   /* easy-read: capitals everyone knows ("OK") */
    PHRASE_EXPLAINS         /* easy-read: words that explain ("who") */
} phrase_role;

typedef struct {
    char *text;        /* lower case */
    phrase_role role;
    char *value;       /* consistent: the fact it says (hand-in, head, email); else NULL */
} principle_phrase;

typedef struct {
    char *id;
    diag_severity severity;
    char *title, *description, *help;
    principle_phrase *phrases;
    size_t nphrases;
} principle_def;

typedef struct {
    char id[16];       /* pupil-early, ..., staff, easy */
    int pages;
    double fk_max, wps_max, prohibition_max;
    int positive_min;
    int review_months;
    bool policies_required;
} principle_limits;

typedef struct principle_set {
    principle_def *defs;      /* in file order; "core" is the template for core-* */
    size_t ndefs;
    principle_limits *limits;
    size_t nlimits;
    classifier *classifier;   /* how drafts are read (statements/classify.xml) */
} principle_set;

/* Load the embedded statements/principles.xml, or FILE when not NULL.
 * NULL with errors in *diags. */
principle_set *principles_load(const char *file, diag_list *diags);
void principles_free(principle_set *ps);
const principle_def *principles_find(const principle_set *ps, const char *id);
/* Limits for an audience id (pupil-ks2, parent-easy, ...); NULL when unknown. */
const principle_limits *principles_limits_for(const principle_set *ps, const char *audience_id);
/* True for an audience id aupc knows (with or without -easy). */
bool principles_audience_known(const char *audience_id);

/* The ids a report covers, in order: the registry's principles, then core-<id>
 * for each core statement of LIB (in library order). True when ID is one. */
bool principles_id_known(const library *lib, const char *id);

/* Phrase matching used by the engine: true when PHRASE (lower case) occurs
 * in TEXT at the start of a word, ignoring ASCII case. */
bool principles_phrase_in(const char *text, const char *phrase);
/* True when PHRASE occurs in TEXT as whole words, ignoring ASCII case. */
bool principles_words_in(const char *text, const char *phrase);
/* The text of a compiled document's BLOCK (its text nodes, spaced); the
 * caller frees it. */
char *principles_block_text(cmark_node *block);
/* True for a block whose words are not the document's own voice: contacts,
 * signature, annexes, the flowchart, the consent form, link text. */
bool principles_block_skipped(cmark_node *block);
/* Where a block's words came from: "statement ID", "the profile's
 * sanctions steps", an annex, form or block aupc adds, or "the template";
 * the caller frees it. */
char *principles_block_source(cmark_node *block);

typedef enum {
    OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_WAIVED, OUTCOME_NOT_APPLICABLE
} outcome_status;

/* A unit of a draft that counted for a principle, and why. */
typedef struct {
    int line, col;
    char *text;                 /* the unit as written */
    char *act;                  /* what it counted as: "prohibits", "monitors"... */
    char *why;                  /* the rule or context that decided it */
} principle_unit;

typedef struct {
    char *id;
    const principle_def *def;   /* for core-*: the "core" template */
    outcome_status status;
    diag_severity severity;     /* worst finding when FAIL; the principle's otherwise */
    char *evidence;             /* one line: what was found, or what is missing */
    char *title;                /* short description (core-*: names the statement) */
    char *waiver;               /* the waiver's reason, when WAIVED */
    principle_unit *units;      /* drafts: the units that counted, in order */
    size_t nunits;
    size_t units_total;         /* how many counted, when more than were kept */
} principle_outcome;

/* What the engine found for one document. */
typedef struct {
    char *file;                 /* the draft, or the profile for a compiled document */
    char *audience;             /* NULL when unknown */
    char *label;                /* "Pupils in Key Stage 2", ...; may be NULL */
    principle_outcome *outcomes;
    size_t noutcomes;
    diag_list diags;            /* findings, rule = principle id */
    readability_stats reading;
    bool has_reading;
    int pages, core_pages;      /* 0 when not laid out */
    double prohibition_share;
    size_t positives;
    aupc_date approved, next_review;   /* as checked; year 0 when none, day 0 for a month */
} principle_report;

typedef struct {
    const char *file;           /* for diagnostics */
    const char *source;         /* the draft's text, for columns; may be NULL */
    size_t source_len;
    const profile *prof;        /* NULL for a draft_facts */
    int line;                   /* where document-level findings point (>= 1) */
    aupc_date today;
    int cycle_months;           /* 0: from the profile or the limits */
    bool personal_messages;     /* draft: the metadata asks for it */
    const pdf_options *pdf;     /* may be NULL */
    const draft_facts *draft;       /* a draft read from its text; NULL for a compiled document */
    int approved_line, next_line;   /* draft: where the text printed its dates, 0 if not */
} principle_input;

/* Check D. REPORT must be zeroed; free it with principle_report_free.
 * Returns 0, or -1 when the document could not be laid out (an error in
 * the report's diags). */
int principles_check(const principle_set *ps, const library *lib, const document *d,
                     const principle_input *in, principle_report *report);
void principle_report_free(principle_report *r);
principle_outcome *principle_report_find(principle_report *r, const char *id);

/* How many units a principle keeps for --explain and the JSON output. */
#define PRINCIPLE_UNITS_KEPT 20

/* Dates: months between, and today's date from SOURCE_DATE_EPOCH or the clock. */
aupc_date principles_today(void);
aupc_date principles_add_months(aupc_date d, int months);
int principles_date_cmp(aupc_date a, aupc_date b);

#endif
