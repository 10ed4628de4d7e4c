/* web_form: the questionnaire of aupc serve as an HTML page. One section
 * per part of the profile, every field with a label and a one-line hint,
 * choices as choices and dates as date inputs, each note (an error the
 * profile loader found, or a warning) beside the field it is about. The
 * page works as a plain form; web/app.js adds the live documents. */
#ifndef AUPC_WEB_FORM_H
#define AUPC_WEB_FORM_H

#include <stddef.h>

#include "profile.h"
#include "util/io.h"
#include "web_fields.h"

/* An audience tab beside the form. */
typedef struct {
    const char *id;
    char *label;
} web_tab;

typedef struct {
    const web_fields *fields;    /* what the form shows */
    const web_notes *notes;      /* beside the fields; those without one go on top */
    const char *csrf;            /* the token every post must carry */
    const char *last_xml;        /* last year's profile (the form keeps it), or NULL */
    const profile *last;         /* the same, loaded; NULL when none */
    const char *notice;          /* a line above the form ("Loaded ..."), or NULL */
    const web_tab *tabs;         /* the documents the profile asks for */
    size_t ntabs;
    const char *view;            /* the tab shown: an audience id, "changes", or NULL */
    const char *check_html;      /* the checklist of that tab, or NULL */
    const char *upload_errors;   /* GNU-style lines from an upload that would not load */
    size_t extra_rows;           /* blank rows to add to the list named by add_to */
    const char *add_to;          /* "contact", "policy", "consulted", "change" or NULL */
} web_page;

/* The whole page, appended to OUT. */
void web_form_page(const web_page *pg, strbuf *out);

/* The name of audience ID's tab ("Pupils in Key Stage 2 (easy read)"),
 * owned; NULL when ID is no audience. */
char *web_form_audience_label(const char *id);

#endif
