/* draft: what a hand-written draft says, read from its text.
 *
 * A draft is cut into units (units.h) and each is classified (classify.h).
 * This module turns those classes into what the principles need: the units
 * that count for each principle, where a missing statement belongs, the
 * review dates the text prints ("Reviewed September 2026", "Next review:
 * Sept 2027", "Date approved: 03/07/2026"), who the draft seems written
 * for, and its reading level without headings and signature lines. */
#ifndef AUPC_DRAFT_H
#define AUPC_DRAFT_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark.h>

#include "classify.h"
#include "profile.h"
#include "readability.h"
#include "units.h"

typedef struct {
    unit_list units;
    unit_class *cls;
    const classifier *c;
    bool *aside;    /* units under a heading addressed to other readers, or NULL */
} draft_facts;

/* Read the draft tree ROOT of SOURCE (LEN bytes). Free with draft_free. */
void draft_read(draft_facts *d, const classifier *c, cmark_node *root, const char *source,
                size_t len);
/* draft_read in two steps, the first needing no classifier (so it can run
 * while the classifier loads): cut into units, then classify them (with
 * no guess at who the draft is for when READER_KNOWN: classify_units_for). */
void draft_cut(draft_facts *d, cmark_node *root, const char *source, size_t len);
void draft_classify(draft_facts *d, const classifier *c, bool reader_known);
void draft_free(draft_facts *d);

/* Once the reader is known (audience kind KIND): the units under a heading
 * that says it is for readers of another kind ("For grown-ups at home" in
 * a nursery's promises) are said to them, so their rules are not the
 * reader's; and in a pupil's draft what "we" check or watch is what the
 * pupils do, not monitoring. */
void draft_set_reader(draft_facts *d, int kind);

/* Does unit I count as something the draft says? Not a heading, a table's
 * header row or a line to fill in. */
bool draft_is_body(const draft_facts *d, size_t i);
/* Is it a rule of its own: a body unit that is not a lead-in ending in a
 * colon ("Things you must never do:" introduces rules, it is none)? */
bool draft_is_rule(const draft_facts *d, size_t i);

/* The first body unit doing ACT (any of its bits) about any topic in
 * TOPICS (0: any topic), from unit FROM on; -1 when none. A permission or
 * prohibition said to other readers (draft_set_reader) is passed over. */
int draft_find(const draft_facts *d, unsigned act, unsigned topics, size_t from);
/* The first body unit with mark M (and, when ACT is not 0, doing ACT). */
int draft_find_mark(const draft_facts *d, unsigned act, classify_mark m, size_t from);
/* The first total ban on personal devices. */
int draft_find_ban(const draft_facts *d, size_t from);
/* The first rule doing ACT about TOPICS that draft_find passed over as said
 * to other readers (draft_set_reader), or -1. */
int draft_find_aside(const draft_facts *d, unsigned act, unsigned topics);

/* Where a statement that is missing belongs. */
typedef enum {
    DRAFT_HOME_PERMITS,     /* the section of what may be done */
    DRAFT_HOME_PROHIBITS,   /* the section of what must not be done */
    DRAFT_HOME_AFTER_RULES, /* the section of the last prohibition (monitoring and
                               sanctions follow the rules) */
    DRAFT_HOME_END          /* the last section (a signature belongs there) */
} draft_home;

/* The heading of that section, or failing one the unit it would follow;
 * -1 when the draft has neither. */
int draft_home_unit(const draft_facts *d, draft_home h);

/* One line on why unit I does ACT, or has mark M. Owned by the caller. */
char *draft_why_act(const draft_facts *d, size_t i, unsigned act);
char *draft_why_mark(const draft_facts *d, size_t i, classify_mark m);
/* Why unit I is about TOPIC (one topic bit) when the unit does not name it
 * itself but refers back to the sentence before or takes it from its
 * heading or lead-in; NULL otherwise. */
char *draft_why_topic(const draft_facts *d, size_t i, unsigned topic);

/* A review date read from the text. */
typedef struct {
    aupc_date date;      /* day 0 when only the month is given */
    int unit;            /* where it was read, -1 when none */
} draft_date;

/* The approval (or last review) date and the next review date the draft
 * prints; a date of either kind missing has unit -1. */
void draft_dates(const draft_facts *d, draft_date *approved, draft_date *next);

/* Parse a date as schools write them at the start of S (folded text, N
 * bytes): 2026-09-01, 1/9/2026 (day first), 1st September 2026,
 * September 1, 2026, Sept 2026, Autumn term 2026. Returns the bytes used,
 * 0 when S does not start with a date. Exposed for tests. */
size_t draft_parse_date(const char *s, size_t n, aupc_date *out);

/* Who a draft seems written for, in the audience table's terms. */
typedef struct {
    int kind;       /* audience_kind, or -1 when nothing tells */
    int row;        /* audience_row, or -1 when the text shows a kind with bands
                       (a pupil) but not which: the caller picks the band */
    bool easy;      /* the text says it is an easy-read version */
    int unit;       /* the unit that decided it, or -1 */
} draft_reader;

/* Fill *OUT; false when nothing in the text tells. The readers its
 * headings or opening lines say it is for ("for our volunteers", "Dear
 * parents") decide the kind; a year group named there decides the band. */
bool draft_audience(const draft_facts *d, draft_reader *out);

/* Reading measures over the body units, and their MAX hardest. */
void draft_reading(const draft_facts *d, size_t max, readability_report *out);

#endif
