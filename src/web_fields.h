/* web_fields: the questionnaire's fields and the profile model, both ways.
 *
 * A form is a list of named values in the order the browser sent them;
 * the names mirror the profile's XML ("person.dsl.email", "contact.3.phone",
 * "review.next"), so that an error aupc reports against a line and an
 * attribute of the profile can be shown beside the field that caused it.
 * The form never holds the whole truth: fields become a model, the model
 * is written as XML (profile_write), and that XML is loaded as aupc loads
 * any profile. What loads is what the documents are made from. */
#ifndef AUPC_WEB_FIELDS_H
#define AUPC_WEB_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "library.h"
#include "profile.h"
#include "util/io.h"

typedef struct {
    char *key, *value;
    size_t next;         /* 1 + index of the next field of the same key, or 0 */
} web_field;

/* The fields in order, and a hash of their keys: a post may hold
 * thousands, and the form looks each up, so a look-up must not be a scan. */
typedef struct {
    web_field *items;
    size_t count, cap;
    size_t *heads, *tails;   /* per slot: 1 + index of a key's first and last field */
    size_t nslots;
} web_fields;

void web_fields_add(web_fields *f, const char *key, const char *value);
void web_fields_addn(web_fields *f, const char *key, const char *value, size_t len);
/* The first value of KEY, or NULL. */
const char *web_fields_get(const web_fields *f, const char *key);
/* True when KEY has VALUE among its values (checkboxes send one each). */
bool web_fields_has(const web_fields *f, const char *key, const char *value);
void web_fields_free(web_fields *f);
/* The highest row number a list field may have ("contact.N.name"). */
#define WEB_MAX_ROW 100000

/* The rows of list PREFIX ("contact", "ladder", "policy", "consulted",
 * "tell", "change") that hold an answer, by number (the N of
 * "contact.N.name"), in the order the form sent them; *NEXT (when not
 * NULL) gets a number no row of the list uses. Returns the count; *ROWS is
 * owned by the caller. */
size_t web_fields_rows(const web_fields *f, const char *prefix, size_t **rows, size_t *next);

/* A list of the form and the profile elements its rows become: at most MAX
 * of ELEM in PARENT, as profile.xsd allows. web_fields_rows gives no more
 * rows than that; a form that sends more is told beside PARENT's section. */
typedef struct {
    const char *prefix, *parent, *elem;
    size_t max;
} web_row_limit;

extern const web_row_limit web_row_limits[];
extern const size_t web_row_limits_count;
/* The limit of list PREFIX, or NULL for a list the schema does not bound. */
const web_row_limit *web_fields_row_limit(const char *prefix);

/* The fields of an empty questionnaire: only the defaults the profile
 * format itself has (nation, device policies for adults, review cycle). */
void web_fields_blank(web_fields *out);
/* The fields that show P. */
void web_fields_from_profile(const profile *p, web_fields *out);

/* An error or warning for the form: beside FIELD (a field name, or a
 * section such as "people") or, when FIELD is NULL, above the form. */
typedef struct {
    char *field;
    diag_severity severity;
    char *message;
} web_note;

typedef struct {
    web_note *items;
    size_t count;
} web_notes;

void web_notes_add(web_notes *n, const char *field, diag_severity sev, const char *message);
void web_notes_free(web_notes *n);
/* The first note for FIELD, or NULL. */
const web_note *web_notes_for(const web_notes *n, const char *field);

/* What the fields come to. */
typedef struct {
    profile *model;      /* loaded from XML, NULL when the fields do not make a valid profile */
    web_notes notes;     /* the loader's errors, each beside its field */
} web_result;

/* Turn F into a profile. LAST, when not NULL, is the profile the form was
 * filled from: the statement overrides and custom statements the form does
 * not show come from it. LIB, when not NULL, is the statement library the
 * overrides must name statements of. FILE names the profile in messages. */
void web_fields_load(const web_fields *f, const profile *last, const library *lib,
                     const char *file, web_result *out);
void web_result_free(web_result *r);

#endif
