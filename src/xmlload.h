/* xmlload: the one way aupc reads XML. Safe parser options, no DOCTYPE,
 * validation against an embedded schema, and libxml2's messages turned into
 * diagnostics a school's online-safety lead can act on. */
#ifndef AUPC_XMLLOAD_H
#define AUPC_XMLLOAD_H

#include <stddef.h>

#include <libxml/tree.h>

#include "diag.h"

/* Parse DATA and validate it against the embedded schema SCHEMA_NAME
 * ("schema/profile.xsd"). A NULL SCHEMA_NAME skips validation: only for data
 * built into aupc, which the build checks against its schema. Returns the
 * document, or NULL with errors in *diags. */
xmlDocPtr xmlload_parse(const char *file, const char *data, size_t len,
                        const char *schema_name, diag_list *diags);

/* Compile the embedded schema SCHEMA_NAME now rather than on first use, so
 * that a thread with time to spare does it while another reads the file
 * that needs it. */
void xmlload_prepare(const char *schema_name);

/* Column of NEEDLE on line LINE of DATA (1-based), or 1. */
int xmlload_column(const char *data, size_t len, int line, const char *needle);

/* Where node N of a document xmlload_parse read from DATA starts: *LINE,
 * and the column returned. With ATTR, the column of that attribute in N's
 * start tag. N may be an attribute node, which names ATTR itself. */
int xmlload_where(const char *data, size_t len, xmlNodePtr n, const char *attr, int *line);

/* Helpers over a validated tree. Returned strings are owned by the caller. */
/* Both trim and collapse white space, as xs:token does. */
/* "<PARENT> holds at most MAX <ELEM> elements": the words for one element
 * more than the schema allows, shared with the questionnaire. Owned. */
char *xmlload_limit(const char *parent, int max, const char *elem);
char *xmlload_attr(xmlNodePtr n, const char *name);     /* NULL when absent */
/* The same with white space collapsed and trimmed, as xs:token reads it:
 * for values from a fixed set, ids and lists. */
char *xmlload_token(xmlNodePtr n, const char *name);
char *xmlload_text(xmlNodePtr n);
int xmlload_is(xmlNodePtr n, const char *name);         /* element with this local name */

#endif
