/* classify: what each unit of a draft does, and what it is about.
 *
 * The word lists and rules are data (statements/classify.xml, described at
 * its top); this module compiles them and applies them. Every unit gets:
 *
 *   acts    permits (acceptable use, or something asked of the reader),
 *           prohibits, monitors, consequence, acknowledges, informs;
 *   topics  personal devices, the setting's systems, data, images, people;
 *
 * and for each act and fact the rule (or the heading or lead-in) that
 * decided it, so that every verdict can be explained.
 *
 * How the rules combine:
 *  - a unit states a consequence when it names an outcome (losing access,
 *    parents told, disciplinary action) and a condition (a rule broken)
 *    comes with it: in the unit, in its lead-in or heading ("If I break the
 *    rules:", "Sanctions"), or in the sentence before when this one follows
 *    on ("When this happens, ..."); an outcome that says it is one
 *    ("disciplinary action") needs no condition. A negation inside a
 *    consequence ("I will not be allowed to use the computers") is part of
 *    the outcome, not a prohibition;
 *  - an item or cell under a prohibiting heading or lead-in ("What is not
 *    acceptable", "I will not:") prohibits unless it is a complete rule of
 *    its own with a modal verb; so does any unit that is only a command or
 *    an "-ing" phrase there. Under a permitting one, such a unit permits;
 *  - a unit with no topic of its own takes its lead-in's, else its
 *    nearest heading's ("Mobile phones" / "Keep it switched off"); a rule
 *    on how to treat people ("Be kind to others online") takes only its
 *    lead-in's;
 *  - a prohibition about personal devices with no limit of time, place or
 *    purpose is a total ban.
 *
 * Deterministic: the same text always gives the same classes. */
#ifndef AUPC_CLASSIFY_H
#define AUPC_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audience.h"
#include "diag.h"
#include "units.h"

typedef enum {
    ACT_PERMITS = 1u << 0, ACT_PROHIBITS = 1u << 1, ACT_MONITORS = 1u << 2,
    ACT_CONSEQUENCE = 1u << 3, ACT_ACKNOWLEDGES = 1u << 4, ACT_INFORMS = 1u << 5,
} classify_act;
enum { CLASSIFY_NACTS = 6 };

typedef enum {
    TOPIC_PERSONAL = 1u << 0, TOPIC_SYSTEMS = 1u << 1, TOPIC_DATA = 1u << 2,
    TOPIC_IMAGES = 1u << 3, TOPIC_PEOPLE = 1u << 4,
} classify_topic;
enum { CLASSIFY_NTOPICS = 5 };

/* Facts the rules find, combined into acts (see statements/classify.xml). */
typedef enum {
    MARK_CONDITION, MARK_OUTCOME, MARK_OUTCOME_ALONE, MARK_SANCTIONS, MARK_FOLLOW_ON,
    MARK_WEAK, MARK_LIMIT, MARK_BAN, MARK_RESTRICTS, MARK_PROMOTES, MARK_MESSAGES, MARK_COMMUNICATION,
    MARK_CONSULTATION, MARK_POLICY, MARK_APPROVED, MARK_NEXT_REVIEW, MARK_EASY_READ,
    MARK_CONDUCT, MARK_CHANNEL, MARK_AUTHORED, MARK_BAND, MARK_ADDRESSEE, MARK_REFERS,
    MARK_WATCHING, MARK_SETTING_WILL, MARK_NETWORK, MARK_OUTCOME_SAID, MARK_WHO, MARK_ADVICE, MARK_REQUEST,
    MARK_BENEFIT, MARK_SUPPOSE,
    CLASSIFY_NMARKS
} classify_mark;

/* A condition: a misuse named ("if you break"), or only who an outcome is
 * for ("Anyone who ..."), which leaves the misuse to the outcome's words. */
enum { CLASSIFY_CONDITIONS = (1u << MARK_CONDITION) | (1u << MARK_WHO) };

/* Why a unit has an act, topic or mark. */
typedef enum {
    WHY_NONE, WHY_RULE, WHY_CONTEXT, WHY_FOLLOWS, WHY_PERMITS_DEFAULT,
    WHY_ANSWERS,         /* the unit answers the question UNIT asks */
    WHY_RESTATES         /* its condition says what the rule in UNIT forbids */
} why_kind;

typedef struct {
    uint8_t kind;        /* why_kind */
    int16_t rule;        /* WHY_RULE: the rule's index */
    int32_t unit;        /* WHY_CONTEXT, WHY_FOLLOWS, WHY_ANSWERS: the unit that gave it */
    uint32_t from, to;   /* WHY_RULE: the words matched, bytes of the unit's folded text */
} classify_why;

/* What a heading or lead-in says of the units under it. */
typedef enum {
    POLARITY_NONE, POLARITY_PERMITS, POLARITY_PROHIBITS, POLARITY_SANCTIONS
} classify_polarity;

typedef struct {
    unsigned acts;       /* classify_act bits */
    unsigned topics;     /* classify_topic bits */
    unsigned marks;      /* 1 << classify_mark */
    bool ban;            /* a total ban on personal devices */
    bool promotes;       /* acceptable use that promotes a good use of technology */
    bool weak;           /* its permission came only from a command or its context */
    int context;         /* the heading or lead-in that gave its polarity, or -1 */
    classify_polarity polarity;   /* headings and lead-ins: what they say of what follows */
    unsigned readers;    /* CLASSIFY_READER_KIND bits: who the unit seems written for */
    unsigned named;      /* the same, from rules that name the reader outright: a year
                            group or age (mark band), or "for volunteers" (addressee) */
    /* why it has each act, topic and mark: read with classify_act_why and
       the like. Only the reasons there are are kept (a long draft has tens
       of thousands of units, each with a few): one bit for each act, then
       topic, then mark, and the reasons in that order */
    uint64_t why_set;
    const classify_why *why;
} unit_class;

/* Why the unit of class K has act ACT, topic TOPIC or mark M: the rule,
 * heading or lead-in that gave it; kind WHY_NONE when nothing did. */
classify_why classify_act_why(const unit_class *k, unsigned act);
classify_why classify_topic_why(const unit_class *k, unsigned topic);
classify_why classify_mark_why(const unit_class *k, classify_mark m);

/* The units at the start of a draft where, with its headings, what it says
 * of whom it is for counts (rules with the mark addressee run only there). */
enum { CLASSIFY_OPENING_UNITS = 6 };

/* Bits of unit_class.readers, the readers a rule points to ("your child":
 * a parent), for telling the audience of a draft that does not name it:
 * bit R for the audience in row R of the audience table ("pupil-ks2",
 * "staff"), bit CLASSIFY_READER_KIND + K for kind K alone ("pupil"). */
#define CLASSIFY_READER_KIND ((unsigned)AUDIENCE_COUNT)

typedef struct classifier classifier;

/* The same from a file's contents (FILE names it in diagnostics). */
classifier *classify_load(const char *file, const char *data, size_t len, diag_list *diags);
void classify_free(classifier *c);

/* Classify every unit of U. Returns U->count classes, with their reasons, in
 * one block (free with free()). */
unit_class *classify_units(const classifier *c, const unit_list *u);
/* classify_units, passing over the rules that only guess who the draft is
 * for when READER_KNOWN (its audience is given): the classes then lack the
 * readers, bands, addressees and easy-read marks those rules give, and
 * differ in nothing else. */
unit_class *classify_units_for(const classifier *c, const unit_list *u, bool reader_known);
/* The same, with the units from SPLIT on read on a second thread while
 * those before are classified on this one (SPLIT 0 or U->count: all on
 * one thread). The classes are the same for every SPLIT: classify_units
 * has the two threads of a long draft take stretches of units from either
 * end until they meet, wherever that is; tests try fixed splits. */
unit_class *classify_units_at(const classifier *c, const unit_list *u, size_t split);

/* Index of the act bit ACT (0..5), and the names used in output. */
int classify_act_index(unsigned act);
const char *classify_act_name(unsigned act);
const char *classify_topic_name(unsigned topic);
const char *classify_mark_name(classify_mark m);
/* "personal systems" for a set of topics, into BUF. */
const char *classify_topics_text(unsigned topics, char *buf, size_t size);

/* One line on why unit I has WHY: the rule's id, the words it matched and
 * what the rule means, or the heading or lead-in it sits under. Owned by
 * the caller. */
char *classify_why_text(const classifier *c, const unit_list *u, size_t i,
                        const classify_why *why);

/* Every place in unit X where a rule with mark M matches, as byte spans of
 * X's folded text, in order: up to MAX into FROM and TO. Returns how many. */
size_t classify_find(const classifier *c, const unit *x, classify_mark m, size_t *from,
                     size_t *to, size_t max);

/* The rule with index I: its id and meaning. */
const char *classify_rule_id(const classifier *c, int i);

#endif
