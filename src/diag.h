/* diag: diagnostics collected by every stage and printed by the CLI.
 * Library code appends here instead of printing, so callers decide the format. */
#ifndef AUPC_DIAG_H
#define AUPC_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } diag_severity;

/* The rule of an input that cannot be read or checked at all. */
#define DIAG_LOAD_RULE "load"


typedef struct {
    char *file;        /* may be NULL */
    int line, col;     /* 0 when unknown */
    diag_severity severity;
    char *message;
    char *rule;        /* principle or rule id; may be NULL */
} diag;

typedef struct {
    diag *items;
    size_t count, cap;
} diag_list;

void diag_add(diag_list *l, diag_severity sev, const char *file, int line, int col,
              const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void diag_vadd(diag_list *l, diag_severity sev, const char *file, int line, int col,
               const char *rule, const char *fmt, va_list ap);
size_t diag_count(const diag_list *l, diag_severity at_least);
void diag_free(diag_list *l);

/* Print in GNU style: file:line:col: severity: message [rule] */
void diag_print_gnu(FILE *out, const diag_list *l, int colour);
void diag_print_one(FILE *out, const diag *d, int colour);
const char *diag_severity_name(diag_severity s);
/* "note", "warning" or "error" as a severity; 0, or -1 for any other word. */
int diag_severity_parse(const char *s, diag_severity *out);

#endif
