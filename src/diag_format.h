/* diag_format: the principles engine's findings in the formats CI systems
 * and people read: GNU lines, JSON, SARIF 2.1.0, GitHub workflow commands,
 * JUnit XML, and the plain-text and Markdown checklists of `aupc check`.
 * Strings are escaped by util/escape.h. */
#ifndef AUPC_DIAG_FORMAT_H
#define AUPC_DIAG_FORMAT_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "library.h"
#include "principles.h"

/* JSON format version, the "version" field of --format json. */
#define FMT_JSON_VERSION 1

typedef struct {
    const principle_report *reports;
    size_t nreports;
    const principle_set *ps;
    const library *lib;
    diag_severity fail_level;
    const char *heading;      /* text and md: what was checked, e.g. the setting's name */
    aupc_date today;
    /* What went wrong reading the inputs (a file that would not read, a
     * profile that would not load, a draft that is not text), rule "load"
     * when a diagnostic has none: each format reports it beside the
     * findings, so CI never shows green over a broken input. May be NULL. */
    const diag_list *inputs;
    /* Findings below this level are not written (--min-level). */
    diag_severity min_level;
} fmt_run;



/* Write RUN in one format (the registry in format.c names them). COLOUR
 * (ANSI colours) applies to gnu and text only. */
void fmt_write_gnu(FILE *out, const fmt_run *run, int colour);
void fmt_write_json(FILE *out, const fmt_run *run, int colour);
void fmt_write_sarif(FILE *out, const fmt_run *run, int colour);
void fmt_write_github(FILE *out, const fmt_run *run, int colour);
void fmt_write_junit(FILE *out, const fmt_run *run, int colour);
/* check's checklists, one setting per run: plain text and Markdown. */
void fmt_write_text(FILE *out, const fmt_run *run, int colour);
void fmt_write_md(FILE *out, const fmt_run *run, int colour);

/* For each report, how each principle was judged: its status and
 * evidence, and for a draft the units that counted and why, one per line
 * (FILE:LINE:COL: PRINCIPLE: ACT: "TEXT" [WHY]). */
void fmt_write_explain(FILE *out, const fmt_run *run);
/* The result of outcome O as the Markdown checklist words it: "Pass",
 * "Fail", "Warning", "Note", "Waived" or "Not needed". */
const char *fmt_outcome_word(const principle_outcome *o);

/* True when any report has a finding, or an input a problem, at or above
 * LEVEL. */
int fmt_any_at(const fmt_run *run, diag_severity level);

/* ---- building blocks, exposed for tests; results are owned by the caller ---- */

/* GitHub workflow command escaping: a message (% CR LF) and a property
 * value (also : and ,). */
char *fmt_github_data(const char *s);
char *fmt_github_property(const char *s);
/* PATH as a URI relative to CWD (no leading "./"), percent-encoded; an
 * absolute path outside CWD becomes a file:// URI. */
char *fmt_sarif_uri(const char *path, const char *cwd);
/* The stable part of a SARIF fingerprint: a hash of the rule id, the file's
 * URI and the text of the flagged line with white space collapsed. */
uint64_t fmt_fingerprint(const char *rule, const char *uri, const char *line_text);

#endif
