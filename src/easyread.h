/* easyread: what makes an easy-read document easy to read, sentence by
 * sentence: one idea, at most EASYREAD_MAX_WORDS words, and no acronym or
 * job title without a plain explanation. The words that join two ideas,
 * the job titles, the acronyms everyone knows and the words that explain
 * are the phrases of the `easy-read` principle in statements/principles.xml. */
#ifndef AUPC_EASYREAD_H
#define AUPC_EASYREAD_H

#include <stddef.h>

#include "document.h"
#include "principles.h"

#define EASYREAD_MAX_WORDS 12

/* Read each easy-read document of DOCS, already checked one by one into
 * REPORTS (same order): each fault of each sentence is a finding of the
 * `easy-read` principle at LINES[i] of FILE, and the outcome gets its
 * evidence. */
void easyread_check(const principle_set *ps, const doc_set *docs, principle_report *reports,
                    const int *lines, const char *file);

#endif
