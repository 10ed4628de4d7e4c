/* document: the one structure every stage shares, a cmark AST plus the
 * metadata of the AUP it holds. Blocks that came from the statement library
 * carry a doc_tag as cmark user data; the document owns the tags. */
#ifndef AUPC_DOCUMENT_H
#define AUPC_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark.h>

#include "library.h"
#include "profile.h"

typedef enum {
    TAG_STATEMENT,     /* a list item or paragraph holding one statement */
    TAG_SIGNATURE,     /* the acknowledgement block: keep together */
    TAG_SANCTIONS,     /* the sanctions ladder list */
    TAG_CONTACTS,      /* the contacts list */
    TAG_REVIEW,        /* the review paragraph */
    TAG_ANNEX,         /* a custom block that starts on a new page in the PDF */
    TAG_FLOWCHART,     /* a custom block: the incident flowchart, a page of its own */
    TAG_CONSENT,       /* the image consent list: tick boxes in the PDF */
    TAG_CONTACTS_MAP   /* a list of the contacts map: "**Name**, what: how (hours) **24/7**" */
} doc_tag_kind;

typedef struct doc_tag {
    doc_tag_kind kind;
    const statement *stmt;     /* TAG_STATEMENT only */
    statement_section section; /* TAG_STATEMENT only */
    bool positive_rule;        /* an "I will" rule: drawn with a tick */
    bool negative_rule;        /* an "I will not" rule: drawn with a cross */
    struct doc_tag *next;
} doc_tag;

typedef enum { READING_STANDARD, READING_EASY } reading_level;

typedef struct {
    cmark_node *root;
    char *setting_id, *setting_name;
    char *audience_id;         /* pupil-ks2, staff, parent-easy, ... */
    char *audience_label;      /* "Pupils in Key Stage 2", ... */
    char *title;               /* "Acceptable use policy for ..." */
    char *lang;                /* BCP 47, e.g. en-GB */
    char *version;
    audience_kind kind;
    pupil_band band;
    reading_level reading;
    aupc_date approved, next_review;
    char *source_file;         /* the profile or draft it came from */
    doc_tag *tags;
    library *owned_library;    /* the profile's custom statements, freed with the document */
} document;

document *document_new(void);
void document_free(document *d);
/* Attach a new tag of KIND to NODE; the document owns it. */
doc_tag *document_tag(document *d, cmark_node *node, doc_tag_kind kind);
/* A text node holding S literally, and a block of TYPE holding one. */
cmark_node *document_text(const char *s);
cmark_node *document_block(cmark_node_type type, const char *s);
/* The tag on NODE, or NULL. */
const doc_tag *document_tag_of(cmark_node *node);
/* The tag of list item ITEM: its own, or its first paragraph's, or NULL. */
const doc_tag *document_item_tag(cmark_node *item);

/* The documents of one setting, one per audience, in the profile's order. */
typedef struct {
    document **docs;
    size_t count;
} doc_set;

void doc_set_free(doc_set *s);

#endif
