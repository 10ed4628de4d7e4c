#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "audience.h"
#include "diag_format.h"
#include "format.h"
#include "lint.h"
#include "lintcfg.h"
#include "principles.h"
#include "util/io.h"
#include "util/par.h"

static const char lint_help_head[] =
    "usage: aupc lint [OPTIONS] [FILE.md | FOLDER | 'GLOB']...\n"
    "\n"
    "Check hand-written Markdown drafts against the principles every acceptable\n"
    "use policy should meet (see aupc(1), PRINCIPLES). A folder stands for the\n"
    "*.md files in and below it; a quoted glob may use ** for any folders. With\n"
    "no file named, the files= globs of the nearest .aupc.ini are checked.\n"
    "\n"
    "A draft names its reader and dates in a first-line comment:\n"
    "  <!-- aupc: audience=pupil-ks2 approved=2026-09-01 next-review=2027-09-01 -->\n"
    "and may switch a principle off, with a reason, for the whole file, the next\n"
    "line, or the lines up to an aupc-enable comment:\n"
    "  <!-- aupc-disable sanctions: covered by the behaviour policy handout -->\n"
    "  <!-- aupc-disable-next-line tone: the legal wording is required -->\n"
    "  <!-- aupc-disable positive --> ... <!-- aupc-enable positive -->\n"
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
    "      --min-level LVL   note (default), warning or error: the least severe\n"
    "                        finding printed\n"
    "      --library DIR     use the statement library in DIR for the core ideas\n"
    "      --explain         after the findings, show how each principle was judged:\n"
    "                        its evidence and, one a line, the sentences, items and\n"
    "                        cells that counted and the rule that read each (gnu\n"
    "                        format; the json format always carries them)\n"
    "      --no-config       read no .aupc.ini\n"
    "      --init-config     print a commented starter .aupc.ini and stop\n"
    "  -h, --help            show this help\n"
    "\n"
    "Configuration: the nearest .aupc.ini in a draft's folder or above it gives\n"
    "the files to check and to ignore, an audience and principles switched off\n"
    "per path, and the fail and minimum levels; options win over it.\n"
    "\n"
    "Exit status: 0 clean, 1 a finding at or above the fail level or a draft\n"
    "that is not text, 2 usage error, 3 a draft could not be read.\n";

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

#define usage(...) cli_usage("lint", __VA_ARGS__)

/* The .aupc.ini files met so far, each read once. */
typedef struct {
    char **paths;
    lintcfg **cfgs;
    size_t n;
    bool off;               /* --no-config */
    diag_list *inputs;
    bool broken;            /* one would not load */
} cfg_cache;

static lintcfg *cfg_at(cfg_cache *c, const char *path)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->paths[i], path))
            return c->cfgs[i];
    lintcfg *cfg = lintcfg_load(path, c->inputs);
    c->broken |= cfg == NULL;
    c->paths = xrealloc(c->paths, (c->n + 1) * sizeof *c->paths);
    c->cfgs = xrealloc(c->cfgs, (c->n + 1) * sizeof *c->cfgs);
    c->paths[c->n] = xstrdup(path);
    c->cfgs[c->n++] = cfg;
    return cfg;
}

/* The configuration that governs FILE (or, for NULL, the working folder). */
static lintcfg *cfg_for(cfg_cache *c, const char *file)
{
    if (c->off)
        return NULL;
    char *dir = xstrdup(file ? file : ".");
    char *slash = strrchr(dir, '/');
    if (file && slash)
        slash[slash == dir] = '\0';
    else if (file)
        strcpy(dir, ".");
    char *path = lintcfg_find(dir);
    free(dir);
    lintcfg *cfg = path ? cfg_at(c, path) : NULL;
    free(path);
    return cfg;
}

static void cfg_free(cfg_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->paths[i]);
        lintcfg_free(c->cfgs[i]);
    }
    free(c->paths);
    free(c->cfgs);
}

/* The [disable] rules of CFG that match FILE, applied as waivers. */
static void apply_config_waivers(const lintcfg *cfg, const library *lib, const char *file,
                                 principle_report *r, diag_list *inputs)
{
    char *rel = lintcfg_relative(cfg, file);
    for (size_t i = 0; rel && i < cfg->ndisables; i++) {
        const lintcfg_rule *rule = &cfg->disables[i];
        if (!paths_match(rule->glob, rel))
            continue;
        char *ids = xstrdup(rule->value);
        char *colon = strchr(ids, ':');
        const char *why = colon + 1;
        *colon = '\0';
        while (*why == ' ')
            why++;
        char *save = NULL;
        for (char *t = strtok_r(ids, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
            if (principles_id_known(lib, t))
                lint_apply_waiver(r, t, why);
            else if (!principle_report_find(r, t))
                diag_add(inputs, DIAG_WARNING, cfg->path, rule->line, 1, "waiver",
                         "[disable] names '%s', which is not a principle", t);
        }
        free(ids);
    }
    free(rel);
}

typedef struct {
    lint_options lo;
    const format_info *fmt;
    diag_severity fail, min;
    bool has_fail, has_min, init_config, no_config, explain;
    const char *libdir;
} lint_args;

static int parse_args(int argc, char **argv, lint_args *a)
{
    static const struct option opts[] = {
        {"audience", required_argument, 0, 'a'}, {"approved", required_argument, 0, 'A'},
        {"next-review", required_argument, 0, 'N'}, {"today", required_argument, 0, 'T'},
        {"format", required_argument, 0, 'f'}, {"fail-level", required_argument, 0, 'F'},
        {"min-level", required_argument, 0, 'M'}, {"library", required_argument, 0, 'L'},
        {"no-config", no_argument, 0, 'C'}, {"init-config", no_argument, 0, 'I'},
        {"explain", no_argument, 0, 'E'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "a:f:h", opts, NULL)) != -1;) {
        switch (c) {
        case 'a':
            if (cli_audience("lint", optarg) != 0)
                return EXIT_USAGE;
            a->lo.audience = optarg;
            break;
        case 'A':
            if (cli_parse_today("lint", "--approved", optarg, &a->lo.approved) != 0)
                return EXIT_USAGE;
            break;
        case 'N':
            if (cli_parse_today("lint", "--next-review", optarg, &a->lo.next_review) != 0)
                return EXIT_USAGE;
            break;
        case 'T':
            if (cli_parse_today("lint", "--today", optarg, &a->lo.today) != 0)
                return EXIT_USAGE;
            break;
        case 'f':
            if (!(a->fmt = cli_format("lint", optarg, FORMAT_FOR_LINT)))
                return EXIT_USAGE;
            break;
        case 'F':
            if (cli_parse_level("lint", "--fail-level", optarg, &a->fail) != 0)
                return EXIT_USAGE;
            a->has_fail = true;
            break;
        case 'M':
            if (cli_parse_level("lint", "--min-level", optarg, &a->min) != 0)
                return EXIT_USAGE;
            a->has_min = true;
            break;
        case 'L': a->libdir = optarg; break;
        case 'C': a->no_config = true; break;
        case 'I': a->init_config = true; break;
        case 'E': a->explain = true; break;
        case 'h': print_help(stdout); return -1;
        default: return cli_bad_option("lint", opts, argv);
        }
    }
    if (a->explain && strcmp(a->fmt->name, "gnu") != 0)
        return usage("%s", "--explain goes with the gnu format; the json format carries the "
                           "same evidence");
    return EXIT_OK;
}

/* The drafts to check: those named, or the config's files=. */
static int drafts_to_check(int argc, char **argv, cfg_cache *cc, path_list *files)
{
    if (optind < argc) {
        cli_expand(argv + optind, argc - optind, ".md", true, files, cc->inputs);
        return EXIT_OK;
    }
    lintcfg *cfg = cfg_for(cc, NULL);
    if (cc->broken) {
        cli_print_diags(cc->inputs);
        return EXIT_FINDINGS;
    }
    if (!cfg || !cfg->files.count)
        return usage("%s", cfg ? "no draft given, and .aupc.ini has no files= to check"
                               : "no draft given: name drafts or folders, or list them as "
                                 "files= in a .aupc.ini (aupc lint --init-config)");
    int rc = lintcfg_files(cfg, files);
    if (rc)
        diag_add(cc->inputs, DIAG_ERROR, cfg->path, 0, 0, DIAG_LOAD_RULE,
                 "cannot list the files= globs: %s", strerror(rc));
    else if (!files->count)
        diag_add(cc->inputs, DIAG_WARNING, cfg->path, 0, 0, DIAG_LOAD_RULE,
                 "the files= globs match no draft");
    return EXIT_OK;
}

/* Lint one draft into R; the exit status it calls for. The draft is read
 * and cut into units before the engine, loading meanwhile, is waited for:
 * -1 when it fails to load. The LAST draft's tree and units are left for
 * the exit to free. */
static int lint_one(const char *file, bool last, const lint_args *a, cfg_cache *cc,
                    cli_engine *eng, principle_report *r, bool *made)
{
    lintcfg *cfg = cfg_for(cc, file);
    *made = false;
    if (cfg && lintcfg_ignored(cfg, file))
        return EXIT_OK;
    char *data;
    size_t len;
    const char *err;
    int rc = io_read_file(file, &data, &len, &err);
    if (rc != 0) {
        diag_add(cc->inputs, DIAG_ERROR, file, 0, 0, DIAG_LOAD_RULE,
                 "cannot read the draft: %s", err);
        return EXIT_IO;
    }
    lint_options lo = a->lo;
    lo.default_audience = cfg ? lintcfg_audience(cfg, file) : NULL;
    lo.keep_draft = last;
    lint_draft *ld = lint_read(file, data, len, r);
    library *lib;
    principle_set *ps;
    if (cli_engine_wait(eng, &lib, &ps) != EXIT_OK) {
        lint_discard(ld);
        free(data);
        return -1;
    }
    if (ld)
        lint_judge(ps, lib, ld, &lo, r);
    free(data);
    if (cfg)
        apply_config_waivers(cfg, lib, file, r, cc->inputs);
    *made = true;
    return EXIT_OK;
}

/* Lint of a draft builds about this many bytes per byte of text (tree,
 * units, classes), measured on bench/gendraft.py drafts. */
enum { HEAP_PER_BYTE = 40 };
/* and each thread that reads half of it (util/par.h) about this many */
enum { THREAD_HEAP_PER_BYTE = 16 };

/* The largest of FILES, in bytes (drafts are read one at a time). */
static size_t largest_draft(const path_list *files)
{
    size_t most = 0;
    struct stat st;
    for (size_t i = 0; i < files->count; i++)
        if (stat(files->items[i], &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > most)
            most = (size_t)st.st_size;
    return most < IO_MAX_INPUT ? most : IO_MAX_INPUT;
}

int cli_lint(int argc, char **argv)
{
    lint_args a = {.fail = DIAG_ERROR, .min = DIAG_NOTE};
    a.lo.today = principles_today();
    a.fmt = format_find("gnu", FORMAT_FOR_LINT);
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_OK)
        return rc < 0 ? EXIT_OK : rc;
    if (a.init_config) {
        fputs(lintcfg_starter, stdout);
        return EXIT_OK;
    }
    diag_list inputs = {0};
    cfg_cache cc = {.off = a.no_config, .inputs = &inputs};
    path_list files = {0};
    if ((rc = drafts_to_check(argc, argv, &cc, &files)) != EXIT_OK) {
        cfg_free(&cc);
        paths_free(&files);
        diag_free(&inputs);
        return rc;
    }
    lintcfg *here = cfg_for(&cc, NULL);
    diag_severity fail = a.has_fail ? a.fail : here && here->has_fail ? here->fail_level : a.fail;
    diag_severity min = a.has_min ? a.min : here && here->has_min ? here->min_level : a.min;
    size_t largest = largest_draft(&files);
    io_heap_reserve(largest * HEAP_PER_BYTE);
    par_reserve(largest * THREAD_HEAP_PER_BYTE);
    cli_engine *eng = cli_engine_start(a.libdir, largest >= PAR_MIN_BYTES);
    principle_report *reports = xcalloc(files.count + 1, sizeof *reports);
    size_t nr = 0;
    int status = diag_count(&inputs, DIAG_ERROR) ? EXIT_FINDINGS : EXIT_OK;
    for (size_t i = 0; i < files.count && status >= 0; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = !strcmp(files.items[k], files.items[i]);
        bool made = false;
        bool last = i + 1 == files.count;
        int s = dup ? EXIT_OK
                    : lint_one(files.items[i], last, &a, &cc, eng, &reports[nr], &made);
        nr += made;
        if (s > status || s < 0)
            status = s;
    }
    library *lib;
    principle_set *ps;
    if (status < 0 || cli_engine_wait(eng, &lib, &ps) != EXIT_OK) {
        for (size_t i = 0; i <= nr; i++)
            principle_report_free(&reports[i]);
        free(reports);
        cli_engine_free(eng);
        cfg_free(&cc);
        paths_free(&files);
        diag_free(&inputs);
        return EXIT_IO;
    }
    if (cc.broken && status < EXIT_FINDINGS)
        status = EXIT_FINDINGS;
    cli_print_diags(&inputs);
    fmt_run run = {reports, nr, ps, lib, fail, NULL, a.lo.today, &inputs, min};
    int colour = a.fmt->colour && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    a.fmt->findings(stdout, &run, colour);
    if (a.explain)
        fmt_write_explain(stdout, &run);
    fflush(stdout);
    if (status == EXIT_OK && fmt_any_at(&run, fail))
        status = EXIT_FINDINGS;
    for (size_t i = 0; i < nr; i++)
        principle_report_free(&reports[i]);
    free(reports);
    cli_engine_free(eng);
    paths_free(&files);
    diag_free(&inputs);
    cfg_free(&cc);
    return status;
}
