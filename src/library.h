/* library: the statement library (the XML files under statements/) and its loader.
 * A library owns its statements; documents point into it, so it must
 * outlive every document built from it. */
#ifndef AUPC_LIBRARY_H
#define AUPC_LIBRARY_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef enum {
    SECTION_ACCEPTABLE, SECTION_UNACCEPTABLE, SECTION_RESPONSIBILITY,
    SECTION_MONITORING, SECTION_SANCTIONS, SECTION_INFORMATION, SECTION_COUNT
} statement_section;

typedef struct {
    char *reader;      /* "pupil-ks2", "pupil", "easy", "parent-easy", ... */
    char *text;        /* inline CommonMark with {{placeholders}} */
    char *carries;     /* ids of other statements whose idea this text also says,
                          space-separated, so a young reader gets one rule for two
                          ideas; NULL: none */
    int line;
} statement_text;

typedef struct {
    char *id;
    statement_section section;
    bool core;
    unsigned order;
    char *principles;  /* space-separated principle ids */
    /* Conditions, space-separated lists; NULL means "any". devices is the
     * reader's own device policy, pupil_devices the pupils' one (what a
     * parent or member of staff is told about the children's rule). */
    char *audiences, *devices, *pupil_devices, *provides, *monitoring, *kinds;
    char **detect;     size_t ndetect;
    statement_text *texts; size_t ntexts;
    const char *file;  /* where it was defined */
    int line;
    bool custom;       /* came from a profile, not the library */
} statement;

typedef struct {
    statement *items;
    size_t count, cap;
    char **files;      /* names of the files loaded, owned */
    size_t nfiles;
} library;

/* Load the library embedded in the binary. */
library *library_load_embedded(diag_list *diags);
/* Load every *.xml file in DIR (sorted by name), except principles.xml. */
library *library_load_dir(const char *dir, diag_list *diags);
/* Parse one library file from memory and add its statements. Returns 0 on success. */
int library_add_file(library *lib, const char *file, const char *data, size_t len,
                     diag_list *diags);
library *library_new(void);
void library_free(library *lib);

const statement *library_find(const library *lib, const char *id);

/* The text a reader gets: tries the audience id, then its kind, with the
 * easy-read fallbacks (pupil-ks2-easy, pupil-easy, easy; parent-easy,
 * adult-easy). NULL when none. */
const statement_text *statement_text_for(const statement *s, const char *audience_id);

/* True when the text S gives AUDIENCE_ID also says the idea of statement ID. */
bool statement_carries(const statement *s, const char *audience_id, const char *id);

const char *library_section_name(statement_section s);
int library_section_from_name(const char *name);
/* True when the space-separated LIST holds WORD. */
bool library_list_has(const char *list, const char *word);

#endif
