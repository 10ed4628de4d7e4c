/* check: a compiled setting held to the principles, one report per
 * audience, with what only the whole setting shows (the incident contacts
 * behind the staff document). */
#ifndef AUPC_CHECK_H
#define AUPC_CHECK_H

#include "compile.h"
#include "principles.h"

/* Check every document of DOCS, compiled from P (read from FILE). REPORTS
 * gets DOCS->count reports, to be freed with principle_report_free and
 * free. Returns 0, or -1 when a document could not be laid out (the error
 * in its report). */
int check_setting(const principle_set *ps, const library *lib, const profile *p,
                  const doc_set *docs, const char *file, aupc_date today,
                  principle_report **reports);

#endif
