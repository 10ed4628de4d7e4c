#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "check.h"
#include "compile.h"
#include "diag_format.h"
#include "format.h"
#include "principles.h"
#include "util/io.h"

static const char check_help[] =
    "usage: aupc check [OPTIONS] PROFILE.xml|FOLDER...\n"
    "\n"
    "Compile every audience's document from each profile, without writing it,\n"
    "and hold it to the principles every acceptable use policy should meet.\n"
    "Prints a checklist per audience: each principle with pass, warning or\n"
    "fail and what was found. A folder stands for the *.xml profiles in it.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT      text (default), md (a report for governors and the\n"
    "                        management team), or %s\n"
    "      --fail-level LVL  note, warning or error (default): the least severe\n"
    "                        finding that makes aupc exit 1\n"
    "      --min-level LVL   note (default), warning or error: the least severe\n"
    "                        finding printed\n"
    "      --today DATE      the date to check review dates against (default:\n"
    "                        SOURCE_DATE_EPOCH, else the clock)\n"
    "      --library DIR     use the statement library in DIR instead of the built-in one\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 every principle met, 1 a finding at or above the fail level\n"
    "or an invalid profile, 2 usage error, 3 a profile could not be read.\n";

typedef struct {
    principle_report *reports;
    size_t n;
    char *heading;
} profile_result;

/* The findings formats come from the format registry. */
static void print_help(FILE *out)
{
    char *names = format_list(FORMAT_FOR_LINT, ", ", ", ");
    fprintf(out, check_help, names);
    free(names);
}

#define usage(...) cli_usage("check", __VA_ARGS__)

/* What went wrong loading a profile goes to INPUTS, to be printed and
 * carried by every format. */
static int check_one(const char *path, const library *lib, const principle_set *ps,
                     aupc_date today, profile_result *out, diag_list *inputs)
{
    if (access(path, R_OK) != 0) {
        diag_add(inputs, DIAG_ERROR, path, 0, 0, DIAG_LOAD_RULE, "cannot read the profile: %s",
                 strerror(errno));
        return EXIT_IO;
    }
    diag_list diags = {0};
    profile *p = profile_load(path, &diags);
    doc_set docs = {0};
    bool ok = p && compile_profile(p, lib, &docs, &diags) == 0;
    for (size_t i = 0; i < diags.count; i++) {
        const diag *d = &diags.items[i];
        diag_add(inputs, d->severity, d->file, d->line, d->col, d->rule ? d->rule : DIAG_LOAD_RULE,
                 "%s", d->message);
    }
    diag_free(&diags);
    if (!ok) {
        profile_free(p);
        return EXIT_FINDINGS;
    }
    out->heading = xasprintf("%s (%s)", p->name, path);
    out->n = docs.count;
    int status = check_setting(ps, lib, p, &docs, path, today, &out->reports) == 0 ? EXIT_OK
                                                                                 : EXIT_IO;
    doc_set_free(&docs);
    profile_free(p);
    return status;
}

int cli_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'}, {"fail-level", required_argument, 0, 'F'},
        {"min-level", required_argument, 0, 'M'},
        {"today", required_argument, 0, 'T'}, {"library", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const format_info *fmt = format_find("text", FORMAT_FOR_CHECK);
    diag_severity fail = DIAG_ERROR, min = DIAG_NOTE;
    aupc_date today = principles_today();
    const char *libdir = NULL;
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1;) {
        switch (c) {
        case 'f':
            if (!(fmt = cli_format("check", optarg, FORMAT_FOR_CHECK)))
                return EXIT_USAGE;
            break;
        case 'F':
            if (cli_parse_level("check", "--fail-level", optarg, &fail) != 0)
                return EXIT_USAGE;
            break;
        case 'M':
            if (cli_parse_level("check", "--min-level", optarg, &min) != 0)
                return EXIT_USAGE;
            break;
        case 'T':
            if (cli_parse_today("check", "--today", optarg, &today) != 0)
                return EXIT_USAGE;
            break;
        case 'L': libdir = optarg; break;
        case 'h': print_help(stdout); return EXIT_OK;
        default: return cli_bad_option("check", opts, argv);
        }
    }
    if (optind >= argc)
        return usage("%s", "no profile given");
    library *lib;
    principle_set *ps;
    if (cli_load_engine(libdir, &lib, &ps) != EXIT_OK)
        return EXIT_IO;
    diag_list inputs = {0};
    path_list paths = {0};
    cli_expand(argv + optind, argc - optind, ".xml", false, &paths, &inputs);
    size_t np = paths.count;
    profile_result *res = xcalloc(np + 1, sizeof *res);
    int status = diag_count(&inputs, DIAG_ERROR) ? EXIT_FINDINGS : EXIT_OK;
    for (size_t i = 0; i < np; i++) {
        int rc = check_one(paths.items[i], lib, ps, today, &res[i], &inputs);
        if (rc > status)
            status = rc;
    }
    cli_print_diags(&inputs);
    int colour = fmt->colour && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    bool findings = false;
    if (fmt->checklist) {
        for (size_t i = 0; i < np; i++) {
            if (!res[i].heading)
                continue;
            fmt_run run = {res[i].reports, res[i].n, ps, lib, fail, res[i].heading, today, NULL,
                           min};
            if (i)
                fputs(fmt->separator, stdout);
            fmt->checklist(stdout, &run, colour);
            findings |= fmt_any_at(&run, fail);
        }
    } else {
        size_t total = 0;
        for (size_t i = 0; i < np; i++)
            total += res[i].n;
        principle_report *all = xcalloc(total ? total : 1, sizeof *all);
        size_t k = 0;
        for (size_t i = 0; i < np; i++)
            for (size_t j = 0; j < res[i].n; j++)
                all[k++] = res[i].reports[j];
        fmt_run run = {all, total, ps, lib, fail, NULL, today, &inputs, min};
        fmt->findings(stdout, &run, colour);
        findings = fmt_any_at(&run, fail);
        free(all);
    }
    fflush(stdout);
    if (findings && status == EXIT_OK)
        status = EXIT_FINDINGS;
    for (size_t i = 0; i < np; i++) {
        for (size_t j = 0; j < res[i].n; j++)
            principle_report_free(&res[i].reports[j]);
        free(res[i].reports);
        free(res[i].heading);
    }
    free(res);
    paths_free(&paths);
    diag_free(&inputs);
    principles_free(ps);
    library_free(lib);
    return status;
}
