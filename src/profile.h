/* profile: the typed model of one setting profile, its loader (profile.c)
 * and its writer (profile_write.c). The loader owns every string in the
 * model; profile_free releases it all. */
#ifndef AUPC_PROFILE_H
#define AUPC_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "audience.h"
#include "diag.h"
#include "util/io.h"

typedef enum {
    KIND_PRIMARY, KIND_SECONDARY, KIND_ALL_THROUGH, KIND_SPECIAL, KIND_COLLEGE,
    KIND_EARLY_YEARS, KIND_YOUTH_SERVICE, KIND_LIBRARY, KIND_CHILDREN_SERVICES,
    KIND_COUNT
} setting_kind;

typedef enum { DEVICES_BANNED, DEVICES_APPROVED_USE, DEVICES_ENCOURAGED } device_policy;

typedef enum {
    TECH_LEARNING_PLATFORM, TECH_EMAIL, TECH_INTERNET, TECH_WIFI, TECH_DEVICES,
    TECH_AI_TOOLS, TECH_VIDEO_CALLS, TECH_REMOTE_LEARNING, TECH_COUNT
} tech_kind;

typedef enum {
    ROLE_ONLINE_SAFETY_LEAD, ROLE_DSL, ROLE_HEAD, ROLE_LINK_GOVERNOR,
    ROLE_NETWORK_MANAGER, ROLE_DPO, ROLE_COUNT
} person_role;

typedef enum {
    POLICY_CHILD_PROTECTION, POLICY_ANTI_BULLYING, POLICY_BEHAVIOUR,
    POLICY_DATA_PROTECTION, POLICY_STAFF_CONDUCT, POLICY_OTHER
} policy_kind;

/* A parsed date; 0 in every field means "not given". */
typedef struct {
    int year, month, day;
} aupc_date;

typedef struct {
    person_role role;
    char *name, *title, *email, *phone;
} profile_person;

typedef struct {
    char *role, *group, *name, *phone, *email, *web, *hours;
    bool always;
    int line;
} profile_contact;

typedef struct {
    bool present;
    char *name, *note;
} profile_tech;

typedef struct {
    audience_kind kind;
    pupil_band band;
    bool easy;
    const audience_info *info;  /* its row in the audience table */
    char id[32];       /* pupil-ks2, staff, parent-easy, ... */
    int line, col;     /* of its <audience> element */
} profile_audience;

typedef struct {
    audience_kind audience;
    char **steps;
    size_t nsteps;
} profile_ladder;

typedef struct {
    policy_kind kind;
    char *title, *url;
} profile_policy;

typedef struct {
    audience_kind audience;
    aupc_date on;
    char *how;
} profile_consulted;

typedef struct {
    audience_kind audience;
    char *via;          /* space-separated channel ids, as written */
    char *check;
} profile_tell;

typedef struct {
    char *reader;       /* "pupil-ks2", "easy", ... */
    char *text;
    int line;
} profile_text;

typedef enum { OVERRIDE_INCLUDE, OVERRIDE_EXCLUDE, OVERRIDE_CUSTOM } override_kind;

typedef struct {
    override_kind kind;
    char *id;
    char *audiences;    /* space-separated audience ids or kinds; NULL: all */
    char *reason;
    /* custom statements only */
    char *section, *principles;
    unsigned order;
    char **detect;
    size_t ndetect;
    profile_text *texts;
    size_t ntexts;
    int line, col;
} profile_override;

typedef struct {
    aupc_date date;
    char *by, *note;
} profile_change;

/* A value still as `aupc init` printed it: a made-up name, address or
 * number the documents would print as real. */
typedef struct {
    char *value;                /* as written, white space collapsed */
    char *attr;                 /* the attribute holding it; NULL: the element's text */
    char *element;
    int line, col;
} profile_placeholder;

typedef struct {
    char *file;                 /* path the profile was read from */
    char *id, *version, *lang;
    int lang_line, lang_col;    /* of lang=, or of <setting> when it is absent */
    char *name, *website;
    setting_kind kind;
    int age_from, age_to;
    char *nation;

    profile_person *people;     size_t npeople;
    profile_contact *contacts;  size_t ncontacts;
    profile_tech tech[TECH_COUNT];

    device_policy devices[AUD_KIND_COUNT];
    device_policy devices_post16;   /* for an audience whose band has its own attribute */

    struct {
        char *provider;
        bool accredited, personal_messages, enhanced, confiscation;
        char *what;             /* space-separated list, as written */
        person_role authorised_by;
    } monitoring;

    profile_ladder *ladders;    size_t nladders;
    profile_policy *policies;   size_t npolicies;
    profile_audience *audiences; size_t naudiences;
    profile_consulted *consulted; size_t nconsulted;
    profile_tell *tells;        size_t ntells;
    char *image_uses;           /* space-separated, NULL when absent */

    struct {
        aupc_date approved, next;
        char *by;
        int cycle_months;
        bool after_incidents;
        profile_change *changes;
        size_t nchanges;
    } review;

    profile_override *overrides; size_t noverrides;
    profile_placeholder *placeholders; size_t nplaceholders;
} profile;

/* Parse, validate and load a profile from memory. On failure returns NULL
 * and appends at least one error to *diags. `file` names the input in
 * diagnostics. */
profile *profile_parse(const char *file, const char *data, size_t len, diag_list *diags);
/* Get profile_parse's schema ready now, on a thread with time to spare. */
void profile_prepare(void);

/* Read FILE and parse it. */
profile *profile_load(const char *file, diag_list *diags);

void profile_free(profile *p);

/* Append P to OUT as profile XML that validates against schema/profile.xsd:
 * loading it gives P again (source lines aside), and writing that gives
 * the same bytes. Comments and the order of <technology> are not kept.
 * Every string in P must be valid UTF-8 without control characters other
 * than tab, line feed and carriage return. A model built by hand may leave
 * things unset (a NULL string, an enumeration past its last value, a date
 * with no year, a negative age): they are left out or written empty, for
 * the loader to report. Returns 0, or -1 when libxml2 fails (out of memory). */
int profile_write(const profile *p, strbuf *out);

/* Lookups used by selection and templates. NULL when absent. */
const profile_person *profile_person_by_role(const profile *p, person_role role);
const profile_ladder *profile_ladder_for(const profile *p, audience_kind kind);
const profile_tell *profile_tell_for(const profile *p, audience_kind kind);
const profile_consulted *profile_consulted_for(const profile *p, audience_kind kind);
device_policy profile_device_policy(const profile *p, const profile_audience *a);

/* Names, for messages and output. */
const char *profile_kind_name(setting_kind k);
const char *profile_device_policy_name(device_policy d);
const char *profile_role_name(person_role r);
const char *profile_tech_name(tech_kind t);
const char *profile_policy_kind_name(policy_kind k);

/* True when TEXT holds one of the example values `aupc init` prints: the
 * word "Example", the example.org or example.sch.uk domains, the starter's
 * made-up phone number. */
bool profile_is_placeholder(const char *text);

/* The words a reader expects for a kind of setting: what it is, the people
 * it serves, their time with it, whom its head answers to, its board, a
 * group of its learners and the board member linked to online safety. */
typedef struct {
    const char *noun, *learner, *learners, *sessions, *head_reports_to, *board, *group,
        *link_role;
} setting_words;
const setting_words *profile_words(setting_kind k);

/* What a reader calls the setting: "school", "college", "youth service"... */
const char *profile_setting_noun(setting_kind k);

/* Parse a kind / role / tech name; -1 when unknown. */
int profile_kind_from_name(const char *s);

/* Format a date as "1 September 2026" (long) or "2026-09-01" (iso). */
void profile_date_long(aupc_date d, char *buf, size_t size);
void profile_date_iso(aupc_date d, char *buf, size_t size);
bool profile_date_parse(const char *s, aupc_date *out);

#endif
