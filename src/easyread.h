/* easyread: what makes an easy-read document easy to read, sentence by
 * sentence: one idea, at most EASYREAD_MAX_WORDS words, and no acronym or
 * job title without a plain explanation. The words that join two ideas,
 * the job titles, the acronyms everyone knows and the words that explain
 * are the phrases of the `easy-read` principle in statements/principles.xml. */
#ifndef AUPC_EASYREAD_H
#define AUPC_EASYREAD_H

#include <stddef.h>

#include <cmark.h>

#include "principles.h"

#define EASYREAD_MAX_WORDS 12

/* The findings for the document under ROOT, one message per sentence and
 * fault, in document order: *MSGS is an owned array of owned strings.
 * Returns how many. */
size_t easyread_findings(const principle_def *def, cmark_node *root, char ***msgs);

#endif
