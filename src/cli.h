/* cli: the subcommands behind main(). Each takes argv from its own name on,
 * prints its diagnostics and returns the exit status. */
#ifndef AUPC_CLI_H
#define AUPC_CLI_H

#include <stdio.h>

#include "diag.h"
#include "library.h"
#include "profile.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

int cli_compile(int argc, char **argv);
int cli_statements(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_lint(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_diff(int argc, char **argv);

/* Shared by the subcommands. */
void cli_print_diags(const diag_list *d);
/* "aupc CMD: MESSAGE", a blank line and the command's help on stderr;
 * returns EXIT_USAGE. */
int cli_usage(const char *cmd, void (*help)(FILE *out), const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct format_info;
/* The format called NAME for USE (format.h), or NULL after a usage error
 * naming the formats there are. */
const struct format_info *cli_format(const char *cmd, void (*help)(FILE *out), const char *name,
                                     int use);
/* The names of the formats for USE (format.h) with the first marked as the
 * default: "gnu (default), json, sarif, github or junit". Owned. */
char *cli_format_choices(int use);
/* Help text whose words come from a table: LEAD padded to INDENT columns,
 * then TEXT filled to lines of at most 79 columns, each further line
 * indented by INDENT, and a newline. */
void cli_print_wrapped(FILE *out, const char *lead, int indent, const char *text);
/* The embedded library, or the one in DIR when DIR is not NULL. */
library *cli_load_library(const char *dir, diag_list *d);

struct principle_set;
/* The library and the principles, for lint and check; prints what went
 * wrong. Returns EXIT_OK, or EXIT_IO with nothing to free. */
int cli_load_engine(const char *libdir, library **lib, struct principle_set **ps);
/* --fail-level and date options (lint and check); 0 or -1, the date's
 * error printed. */
int cli_parse_fail_level(const char *s, diag_severity *out);
int cli_parse_today(const char *cmd, const char *opt, const char *s, aupc_date *out);

#endif
