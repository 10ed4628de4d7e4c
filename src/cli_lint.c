#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "audience.h"
#include "diag_format.h"
#include "format.h"
#include "lint.h"
#include "principles.h"
#include "util/io.h"

static const char lint_help_head[] =
    "usage: aupc lint [OPTIONS] FILE.md...\n"
    "\n"
    "Check hand-written Markdown drafts against the principles every acceptable\n"
    "use policy should meet (see aupc(1), PRINCIPLES). A draft names its reader\n"
    "and dates in a first-line comment:\n"
    "  <!-- aupc: audience=pupil-ks2 approved=2026-09-01 next-review=2027-09-01 -->\n"
    "and may switch a principle off with a reason:\n"
    "  <!-- aupc-disable sanctions: covered by the behaviour policy handout -->\n"
    "Markdown written by aupc compile carries the comment already. Without it,\n"
    "the reader is read from the text (with a note) and so are review dates the\n"
    "draft prints (\"Next review: Sept 2027\"). Each sentence, list item and\n"
    "table cell is judged by what it does (see aupc(1), HOW DRAFTS ARE READ).\n"
    "A file that is not UTF-8 text gets one error and nothing else.\n"
    "\n"
    "options:\n";
/* then --audience, from the audience table */
static const char lint_help_tail[] =
    "      --approved DATE   approval date, YYYY-MM-DD; wins over the comment\n"
    "      --next-review DATE  next review date, YYYY-MM-DD; wins over the comment\n"
    "      --today DATE      the date to check review dates against (default:\n"
    "                        SOURCE_DATE_EPOCH, else the clock)\n"
    "  -f, --format FMT      %s\n"
    "      --fail-level LVL  note, warning or error (default): the least severe\n"
    "                        finding that makes aupc exit 1\n"
    "      --library DIR     use the statement library in DIR for the core ideas\n"
    "      --explain         after the findings, show how each principle was judged:\n"
    "                        its evidence and, one a line, the sentences, items and\n"
    "                        cells that counted and the rule that read each (gnu\n"
    "                        format; the json format always carries them)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 clean, 1 a finding at or above the fail level, 2 usage\n"
    "error, 3 a draft could not be read.\n";

static void print_help(FILE *out)
{
    fputs(lint_help_head, out);
    char *ids = audience_list(AUDIENCE_LIST_IDS, ", ", ", ");
    char *text = xasprintf("the reader (%s; add -easy for easy read); wins over the comment",
                           ids);
    cli_print_wrapped(out, "  -a, --audience ID", 24, text);
    free(text);
    free(ids);
    char *formats = cli_format_choices(FORMAT_FOR_LINT);
    fprintf(out, lint_help_tail, formats);
    free(formats);
}

#define usage(...) cli_usage("lint", print_help, __VA_ARGS__)

int cli_lint(int argc, char **argv)
{
    static const struct option opts[] = {
        {"audience", required_argument, 0, 'a'}, {"approved", required_argument, 0, 'A'},
        {"next-review", required_argument, 0, 'N'}, {"today", required_argument, 0, 'T'},
        {"format", required_argument, 0, 'f'}, {"fail-level", required_argument, 0, 'F'},
        {"library", required_argument, 0, 'L'}, {"help", no_argument, 0, 'h'},
        {"explain", no_argument, 0, 'E'},
        {0, 0, 0, 0},
    };
    lint_options lo = {0};
    lo.today = principles_today();
    const format_info *fmt = format_find("gnu", FORMAT_FOR_LINT);
    diag_severity fail = DIAG_ERROR;
    const char *libdir = NULL;
    bool explain = false;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, "a:f:h", opts, NULL)) != -1;) {
        switch (c) {
        case 'a':
            if (!principles_audience_known(optarg))
                return usage("unknown audience '%s'", optarg);
            lo.audience = optarg;
            break;
        case 'A':
            if (cli_parse_today("lint", "--approved", optarg, &lo.approved) != 0)
                return EXIT_USAGE;
            break;
        case 'N':
            if (cli_parse_today("lint", "--next-review", optarg, &lo.next_review) != 0)
                return EXIT_USAGE;
            break;
        case 'T':
            if (cli_parse_today("lint", "--today", optarg, &lo.today) != 0)
                return EXIT_USAGE;
            break;
        case 'f':
            if (!(fmt = cli_format("lint", print_help, optarg, FORMAT_FOR_LINT)))
                return EXIT_USAGE;
            break;
        case 'F':
            if (cli_parse_fail_level(optarg, &fail) != 0)
                return usage("unknown fail level '%s': expected note, warning or error", optarg);
            break;
        case 'L': libdir = optarg; break;
        case 'E': explain = true; break;
        case 'h': print_help(stdout); return EXIT_OK;
        default: print_help(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage("%s", "no draft given");
    if (explain && strcmp(fmt->name, "gnu") != 0)
        return usage("%s", "--explain goes with the gnu format; the json format carries the "
                           "same evidence");
    library *lib;
    principle_set *ps;
    if (cli_load_engine(libdir, &lib, &ps) != EXIT_OK)
        return EXIT_IO;
    size_t n = (size_t)(argc - optind), nr = 0;
    principle_report *reports = xcalloc(n, sizeof *reports);
    int status = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        const char *err = NULL;
        if (lint_file(ps, lib, argv[i], &lo, &reports[nr], &err) != 0) {
            fprintf(stderr, "%s: error: cannot read the draft: %s\n", argv[i], err);
            status = EXIT_IO;
            continue;
        }
        nr++;
    }
    fmt_run run = {reports, nr, ps, lib, fail, NULL, lo.today};
    int colour = fmt->colour && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    fmt->findings(stdout, &run, colour);
    if (explain)
        fmt_write_explain(stdout, &run);
    fflush(stdout);
    if (status == EXIT_OK && fmt_any_at(&run, fail))
        status = EXIT_FINDINGS;
    for (size_t i = 0; i < nr; i++)
        principle_report_free(&reports[i]);
    free(reports);
    principles_free(ps);
    library_free(lib);
    return status;
}
