/* consistent: what every document of one setting must say alike (the
 * pupils' device rule, what is monitored, and who can agree to closer
 * monitoring or to keeping a device), read from the words of each compiled
 * document and compared across the setting. The words that state each fact
 * are the phrases of the `consistent` principle in statements/principles.xml. */
#ifndef AUPC_CONSISTENT_H
#define AUPC_CONSISTENT_H

#include "document.h"
#include "principles.h"
#include "profile.h"

/* Compare DOCS, compiled from P and already checked one by one into
 * REPORTS (same order). LINES[i] is the profile line document i's findings
 * point to. Each difference is a finding of the `consistent` principle on
 * the document that differs; each report's outcome gets its evidence. */
void consistent_check(const principle_set *ps, const profile *p, const doc_set *docs,
                      principle_report *reports, const int *lines, const char *file);

#endif
