#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "format.h"
#include "util/escape.h"
#include "util/io.h"

/* The formats' extensions, their names, and how many they are: from the
 * format registry. */
static const char compile_help[] =
    "usage: aupc compile [OPTIONS] PROFILE-OR-FOLDER...\n"
    "\n"
    "Write an acceptable use policy for every audience each profile asks for,\n"
    "as OUT/SETTING-ID/AUDIENCE-ID.{%s}. Nothing is written for a\n"
    "profile with errors; files are replaced atomically. A warning names any\n"
    "document whose core rules run past two A4 pages.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR      where to write (default: out)\n"
    "  -f, --format LIST     comma-separated formats: %s, or all\n"
    "                        (default: %s)\n"
    "      --font REG[,BOLD] TrueType fonts for the PDF, e.g. a school's own typeface\n"
    "                        (default: Helvetica, or Liberation Sans when the text\n"
    "                        needs characters Helvetica lacks, such as w circumflex)\n"
    "      --library DIR     use the statement library in DIR instead of the built-in one\n"
    "  -j, --jobs N          compile N profiles at once, 1 to 256 (default: one per\n"
    "                        CPU, at most 64)\n"
    "  -q, --quiet           print nothing but diagnostics\n"
    "  -h, --help            show this help\n"
    "\n"
    "A folder stands for the .xml profiles directly inside it. The statement\n"
    "library is read once; an invalid profile is reported and skipped, and the\n"
    "others are still written.\n"
    "\n"
    "Exit status: 0 when every profile compiled, 1 when any profile is invalid,\n"
    "2 on a usage error, 3 when a profile could not be opened or an output could\n"
    "not be written.\n";

/* The names of the formats in MASK: "all three", or "pdf, md and html"
 * when some are left out. Owned by the caller. */
static char *names_of(unsigned mask)
{
    static const char *const all[] = {"it", "it", "both", "all three", "all four", "all five",
                                      "all six", "all seven", "all eight"};
    size_t n = 0, k = 0;
    for (unsigned m = mask; m; m &= m - 1)
        n++;
    if (mask == format_compile_mask(true))
        return xstrdup(n < sizeof all / sizeof *all ? all[n] : "all");
    strbuf b = {0};
    for (size_t i = 0; i < format_count(); i++)
        if (mask >> i & 1u)
            sb_printf(&b, "%s%s", k++ ? k == n ? " and " : ", " : "", format_at(i)->name);
    return b.data;
}

static void print_help(FILE *out)
{
    strbuf ext = {0};
    size_t n = 0;
    for (size_t i = 0; i < format_count(); i++)
        if (format_serves(format_at(i), FORMAT_FOR_COMPILE))
            sb_printf(&ext, "%s%s", n++ ? "," : "", format_at(i)->extension);
    char *names = format_list(FORMAT_FOR_COMPILE, ", ", ", ");
    char *defaults = names_of(format_compile_mask(false));
    fprintf(out, compile_help, ext.data, names, defaults);
    free(defaults);
    free(names);
    sb_free(&ext);
}

/* LIST names formats, or is "all" for every one compile writes. */
static int parse_formats(const char *list, unsigned *out)
{
    *out = 0;
    char *copy = xstrdup(list);
    int rc = 0;
    char *save_w = NULL;
    for (char *w = strtok_r(copy, ",", &save_w); w; w = strtok_r(NULL, ",", &save_w)) {
        for (char *c = w; *c; c++)
            *c = (char)tolower((unsigned char)*c);   /* -f PDF */
        const format_info *f = format_find(w, FORMAT_FOR_COMPILE);
        if (f) {
            *out |= 1u << (f - format_at(0));
            continue;
        }
        if (!strcmp(w, "all")) {
            *out |= format_compile_mask(true);
            continue;
        }
        char *names = format_list(FORMAT_FOR_COMPILE, ", ", ", ");
        char *list = xasprintf("%s or all", names);
        cli_unknown("compile", "format", w, list, NULL);
        free(list);
        free(names);
        rc = -1;
        break;
    }
    free(copy);
    if (rc == 0 && !*out)
        cli_usage("compile", "-f needs at least one format");
    return rc == 0 && *out ? 0 : -1;
}


static int parse_jobs(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    return *s && !*end && n >= 1 && n <= 256 ? (int)n : -1;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)(n > 64 ? 64 : n) : 1;
}

/* REG[,BOLD]: -1 (a usage error printed) when a name is empty. */
static int parse_fonts(const char *arg, char **owned, pdf_options *font)
{
    const char *sep = strchr(arg, ',');
    if (!*arg || sep == arg || (sep && !sep[1]))
        return cli_usage("compile", "--font wants a TrueType file, or two as REGULAR.ttf,BOLD.ttf, "
                         "not '%s'", arg);
    free(*owned);
    *owned = xstrdup(arg);
    font->font_regular = *owned;
    font->font_bold = NULL;
    char *comma = strchr(*owned, ',');
    if (comma) {
        *comma = '\0';
        font->font_bold = comma + 1;
    }
    return 0;
}

/* A warning given for one profile after another (the same message, the
 * same rule) is printed the first time, and counted after that. */
typedef struct {
    char **keys, **files;   /* the message and rule; the profile first given it */
    size_t *times, n;
} repeats;

/* Whether D was printed for another profile before; counts it if so. */
static bool repeats_seen(repeats *r, const diag *d)
{
    if (d->severity != DIAG_WARNING || !d->file)
        return false;
    char *key = xasprintf("%s\x1f%s", d->rule ? d->rule : "", d->message);
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->keys[i], key)) {
            free(key);
            if (!strcmp(r->files[i], d->file))
                return false;
            r->times[i]++;
            return true;
        }
    r->keys = xrealloc(r->keys, (r->n + 1) * sizeof *r->keys);
    r->files = xrealloc(r->files, (r->n + 1) * sizeof *r->files);
    r->times = xrealloc(r->times, (r->n + 1) * sizeof *r->times);
    r->keys[r->n] = key;
    r->files[r->n] = xstrdup(d->file);
    r->times[r->n++] = 1;
    return false;
}

static void repeats_print(const repeats *r)
{
    size_t times = 0;
    for (size_t i = 0; i < r->n; i++)
        times += r->times[i] - 1;
    if (times)
        fprintf(stderr, "aupc: %zu more warning%s, each the same as one above but for another "
                        "profile, %s not repeated\n", times, times == 1 ? "" : "s",
                times == 1 ? "is" : "are");
}

static void repeats_free(repeats *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->keys[i]);
        free(r->files[i]);
    }
    free(r->keys);
    free(r->files);
    free(r->times);
}

/* What the command line shows as the batch runs. */
typedef struct {
    repeats repeats;
    size_t npaths;
    bool progress, quiet, library_ok;
    size_t done, docs;
    struct timespec start;
} run_view;

static double elapsed(const run_view *v)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - v->start.tv_sec) + (double)(now.tv_nsec - v->start.tv_nsec) / 1e9;
}

static void show_library(void *ctx, const diag_list *diags, bool ok)
{
    run_view *v = ctx;
    v->library_ok = ok;
    cli_print_diags(diags);
}

static void show_result(void *ctx, const batch_result *r)
{
    run_view *v = ctx;
    if (v->progress)
        fputs("\r\033[K", stderr);
    int colour = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    for (size_t i = 0; i < r->diags->count; i++)
        if (!repeats_seen(&v->repeats, &r->diags->items[i]))
            diag_print_one(stderr, &r->diags->items[i], colour);
    v->done++;
    v->docs += r->docs;
    if (r->dir && !v->quiet && v->npaths == 1) {
        char *dir = esc_text_dup(r->dir);
        fprintf(stderr, "aupc: %zu documents, %zu files in %s/\n", r->docs, r->files, dir);
        free(dir);
    }
    if (v->progress)
        fprintf(stderr, "[%zu/%zu] %zu documents, %.1f s", v->done, v->npaths, v->docs,
                elapsed(v));
}

static int run(const path_list *l, const batch_options *o, run_view *v)
{
    v->npaths = l->count;
    v->progress = !v->quiet && l->count > 1 && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &v->start);
    batch_summary sum;
    /* Ctrl-C or a kill leaves no half-written set folder behind. */
    io_cleanup_on_signals();
    batch_run(l->items, l->count, o, &sum);
    if (v->progress)
        fputs("\r\033[K", stderr);
    repeats_print(&v->repeats);
    if (!v->quiet && l->count > 1 && v->library_ok)
        fprintf(stderr, "aupc: %zu profiles compiled, %zu failed: %zu documents, %zu files in "
                "%.2f s\n", sum.done - sum.failed, sum.failed, sum.docs, sum.files, elapsed(v));
    return sum.status;
}

int cli_compile(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"format", required_argument, 0, 'f'},
        {"library", required_argument, 0, 'L'}, {"quiet", no_argument, 0, 'q'},
        {"font", required_argument, 0, 'F'}, {"jobs", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    run_view v = {0};
    pdf_options font = {NULL, NULL};
    batch_options o = {.outdir = "out", .formats = format_compile_mask(false), .font = &font,
                       .jobs = default_jobs(), .ctx = &v, .library = show_library,
                       .report = show_result};
    path_list l = {0};
    char *fonts = NULL;
    int status = EXIT_OK;
    optind = 1;
    opterr = 0;
    for (int c; status == EXIT_OK && (c = getopt_long(argc, argv, "o:f:j:qh", opts, NULL)) != -1;) {
        switch (c) {
        case 'o':
            /* many files into a folder: there is no standard output form */
            if (!strcmp(optarg, "-"))
                status = cli_usage("compile", "-o names a folder, and compile writes several "
                                   "files into it: standard output (-) cannot hold them");
            o.outdir = optarg;
            break;
        case 'f':
            if (parse_formats(optarg, &o.formats) != 0)
                status = EXIT_USAGE;
            break;
        case 'j':
            if ((o.jobs = parse_jobs(optarg)) < 0)
                status = cli_usage("compile", "-j wants a number from 1 to 256, not '%s'",
                                   optarg);
            break;
        case 'L': o.library_dir = optarg; break;
        case 'q': v.quiet = true; break;
        case 'F':
            if (parse_fonts(optarg, &fonts, &font) != 0)
                status = EXIT_USAGE;
            break;
        case 'h': free(fonts); print_help(stdout); return EXIT_OK;
        default: status = cli_bad_option("compile", opts, argv); break;
        }
    }
    if (status == EXIT_OK && optind >= argc)
        status = cli_usage("compile", "no profile given");
    if (status == EXIT_OK) {
        diag_list inputs = {0};
        cli_expand(argv + optind, argc - optind, ".xml", false, &l, &inputs);
        cli_print_diags(&inputs);
        if (diag_count(&inputs, DIAG_ERROR))
            status = EXIT_IO;
        diag_free(&inputs);
    }
    if (status == EXIT_OK && l.count > 0)
        status = run(&l, &o, &v);
    paths_free(&l);
    repeats_free(&v.repeats);
    free(fonts);
    return status;
}
