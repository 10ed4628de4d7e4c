/* lint: Markdown drafts checked against the principles.
 *
 * A draft is parsed by cmark with source positions. Its audience and dates
 * come from a leading comment,
 *     <!-- aupc: audience=pupil-ks2 approved=2026-09-01 next-review=2027-09-01 -->
 * (keys: audience, approved, next-review, version, cycle (months),
 * personal-messages=yes|no), or from options, which win over the comment.
 * A comment <!-- aupc-disable ID[, ID...]: reason --> anywhere in the draft
 * waives those principles for the whole file; a waiver must give a reason.
 * <!-- aupc-disable-next-line ID: reason --> waives them for the next line
 * that is not blank, and <!-- aupc-disable ID --> ... <!-- aupc-enable ID -->
 * for the lines between (a range needs no reason).
 * Problems with the comment are reported under the rule id "metadata",
 * problems with a waiver under "waiver". */
#ifndef AUPC_LINT_H
#define AUPC_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "library.h"
#include "principles.h"

typedef struct {
    const char *audience;        /* NULL: from the comment */
    const char *default_audience;   /* when neither the option nor the comment names one */
    aupc_date approved, next_review;   /* year 0: from the comment */
    aupc_date today;
    const pdf_options *pdf;
    /* leave the draft allocated when judged, for a command about to exit:
       freeing a long draft's tree and units takes as long as a stage of
       the lint. It stays reachable (see lint_judge), so no leak is seen. */
    bool keep_draft;
} lint_options;

/* Lint TEXT (LEN bytes) read from FILE. REPORT must be zeroed. */
void lint_source(const principle_set *ps, const library *lib, const char *file,
                 const char *text, size_t len, const lint_options *o, principle_report *report);

/* lint_source in two steps, the first needing no engine (so that it can
 * run while the engine loads). lint_read refuses a file that is not text
 * or will not parse (filling REPORT and returning NULL); otherwise it
 * parses TEXT, reads its comments and cuts it into units. TEXT and FILE
 * must outlive the result, which lint_judge judges into REPORT and frees. */
typedef struct lint_draft lint_draft;
lint_draft *lint_read(const char *file, const char *text, size_t len, principle_report *report);
void lint_judge(const principle_set *ps, const library *lib, lint_draft *draft,
                const lint_options *o, principle_report *report);
/* Free a draft lint_read gave (NULL allowed) without judging it. */
void lint_discard(lint_draft *draft);

/* Read and lint FILE. Returns 0, or an errno-style code (with *err set) when
 * it cannot be read; REPORT is untouched then. */
int lint_file(const principle_set *ps, const library *lib, const char *file,
              const lint_options *o, principle_report *report, const char **err);

/* Fill D's audience fields (id, kind, band, reading) from an audience id.
 * False when the id is unknown. */
bool lint_set_audience(document *d, const char *audience_id);

/* Mark outcomes waived and drop their findings. Exposed for tests. */
void lint_apply_waiver(principle_report *r, const char *id, const char *reason);

#endif
