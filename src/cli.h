/* cli: the subcommands behind main(). Each takes argv from its own name on,
 * prints its diagnostics and returns the exit status. */
#ifndef AUPC_CLI_H
#define AUPC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "library.h"
#include "profile.h"
#include "util/paths.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

int cli_compile(int argc, char **argv);
int cli_statements(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_lint(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_serve(int argc, char **argv);

/* Shared by the subcommands. */
void cli_print_diags(const diag_list *d);
/* A usage error: "aupc CMD: error: MESSAGE" and "see aupc CMD --help" on
 * stderr, not the whole help; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "unknown WHAT 'WORD'", with "did you mean" when a name in LIST (as the
 * messages write it: "a, b or c") is near, then the list and TAIL (may be
 * NULL). Returns EXIT_USAGE. */
int cli_unknown(const char *cmd, const char *what, const char *word, const char *list,
                const char *tail);
struct option;
/* After getopt_long (with opterr = 0) returned '?': an unknown option,
 * with "did you mean" among OPTS, or a value missing. EXIT_USAGE. */
int cli_bad_option(const char *cmd, const struct option *opts, char **argv);
struct format_info;
/* The format called NAME for USE (format.h), in any case, or NULL after a
 * usage error naming the formats there are. */
const struct format_info *cli_format(const char *cmd, const char *name, int use);
/* 0 when ID is an audience id, else -1 after a usage error. */
int cli_audience(const char *cmd, const char *id);
/* The files ARGS name: a file as it is, a folder as the EXT files in it
 * (and below it when RECURSE), a quoted glob as the EXT files it matches.
 * A folder or glob that gives nothing is a problem in INPUTS. */
void cli_expand(char **args, int n, const char *ext, bool recurse, path_list *out,
                diag_list *inputs);

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
/* The same, loaded on a thread of its own from cli_engine_start when
 * THREAD, so that a command can read its input meanwhile (worth a thread
 * only for long input). cli_engine_wait waits for it, or loads it when no
 * thread did (once; later calls give the same), and prints what went
 * wrong; cli_engine_free frees the engine with its handle. */
typedef struct cli_engine cli_engine;
cli_engine *cli_engine_start(const char *libdir, bool thread);
int cli_engine_wait(cli_engine *e, library **lib, struct principle_set **ps);
void cli_engine_free(cli_engine *e);
/* --fail-level, --min-level and date options (lint and check); 0 or -1
 * after a usage error. */
int cli_parse_level(const char *cmd, const char *opt, const char *s, diag_severity *out);
int cli_parse_today(const char *cmd, const char *opt, const char *s, aupc_date *out);

#endif
