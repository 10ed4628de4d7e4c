#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "principles.h"
#include "profile.h"
#include "audience.h"
#include "util/escape.h"
#include "util/io.h"
#include "util/par.h"
#include "util/suggest.h"

void cli_print_diags(const diag_list *d)
{
    int colour = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    diag_print_gnu(stderr, d, colour);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = xvasprintf(fmt, ap), *clean = esc_text_dup(message);
    va_end(ap);
    fprintf(stderr, "aupc %s: error: %s\nsee aupc %s --help\n", cmd, clean, cmd);
    free(clean);
    free(message);
    return EXIT_USAGE;
}

int cli_unknown(const char *cmd, const char *what, const char *word, const char *list,
                const char *tail)
{
    char *near = suggest_in_list(word, list);
    if (near)
        cli_usage(cmd, "unknown %s '%s': did you mean %s? (expected %s%s)", what, word, near,
                  list, tail ? tail : "");
    else
        cli_usage(cmd, "unknown %s '%s': expected %s%s", what, word, list, tail ? tail : "");
    free(near);
    return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, const struct option *opts, char **argv)
{
    /* getopt has stepped past the word it could not use */
    const char *word = optind > 0 ? argv[optind - 1] : "";
    if (optopt && optopt != '?' && strncmp(word, "--", 2) != 0) {
        for (const struct option *o = opts; o->name; o++)
            if (o->val == optopt && o->has_arg == required_argument)
                return cli_usage(cmd, "option -%c needs a value", optopt);
        return cli_usage(cmd, "unknown option '-%c'", optopt);
    }
    const char *name = word + (strncmp(word, "--", 2) ? 0 : 2);
    size_t n = strcspn(name, "=");
    char *bare = xstrndup(name, n);
    const char *names[64];
    size_t count = 0;
    for (const struct option *o = opts; o->name && count < 64; o++) {
        names[count++] = o->name;
        if (!strcmp(o->name, bare)) {
            int rc = o->has_arg == no_argument
                         ? cli_usage(cmd, "option --%s takes no value", bare)
                         : cli_usage(cmd, "option --%s needs a value", bare);
            free(bare);
            return rc;
        }
    }
    const char *near = suggest_nearest(bare, names, count);
    int rc = near ? cli_usage(cmd, "unknown option '%s': did you mean --%s?", word, near)
                  : cli_usage(cmd, "unknown option '%s'", word);
    free(bare);
    return rc;
}

const format_info *cli_format(const char *cmd, const char *name, int use)
{
    /* -f PDF or -f Json: the names are short enough to mean one thing */
    char lower[32];
    size_t n = 0;
    for (; name[n] && n < sizeof lower - 1; n++)
        lower[n] = (char)tolower((unsigned char)name[n]);
    lower[n] = '\0';
    const format_info *f = format_find(lower, (format_use)use);
    if (!f) {
        char *names = format_list((format_use)use, ", ", " or ");
        cli_unknown(cmd, "format", name, names, NULL);
        free(names);
    }
    return f;
}

int cli_audience(const char *cmd, const char *id)
{
    if (principles_audience_known(id))
        return 0;
    char *ids = audience_list(AUDIENCE_LIST_IDS, ", ", " or ");
    cli_unknown(cmd, "audience", id, ids, ", with -easy for easy read");
    free(ids);
    return -1;
}

/* An argument is a file, a folder (the files in it, below it too when
 * RECURSE) or a glob the shell left alone. */
static void expand_one(const char *arg, const char *ext, bool recurse, path_list *out,
                       diag_list *inputs)
{
    struct stat st;
    int found = stat(arg, &st) == 0;
    bool missing = !found && errno == ENOENT;
    if (found && S_ISDIR(st.st_mode)) {
        size_t before = out->count;
        int rc = paths_walk(arg, ext, recurse, out);
        if (rc)
            diag_add(inputs, DIAG_ERROR, arg, 0, 0, DIAG_LOAD_RULE,
                     "cannot read the folder: %s", strerror(rc));
        else if (out->count == before)
            diag_add(inputs, DIAG_WARNING, arg, 0, 0, DIAG_LOAD_RULE,
                     "no %s files in this folder%s", ext, recurse ? " or below it" : "");
        return;
    }
    if (missing && paths_is_glob(arg)) {
        size_t before = out->count;
        path_list got = {0};
        paths_glob(arg, &got);
        for (size_t i = 0; i < got.count; i++) {
            size_t n = strlen(got.items[i]);
            if (n > strlen(ext) && !strcmp(got.items[i] + n - strlen(ext), ext))
                paths_add(out, got.items[i]);
            else
                free(got.items[i]);
        }
        free(got.items);
        if (out->count == before)
            diag_add(inputs, DIAG_ERROR, arg, 0, 0, DIAG_LOAD_RULE,
                     "no %s file matches this pattern", ext);
        return;
    }
    paths_add(out, xstrdup(arg));
}

void cli_expand(char **args, int n, const char *ext, bool recurse, path_list *out,
                diag_list *inputs)
{
    for (int i = 0; i < n; i++)
        expand_one(args[i], ext, recurse, out, inputs);
}

char *cli_format_choices(int use)
{
    char *names = format_list((format_use)use, ", ", " or ");
    const char *first = strchr(names, ',');
    char *s = first ? xasprintf("%.*s (default)%s", (int)(first - names), names, first)
                    : xasprintf("%s (default)", names);
    free(names);
    return s;
}

void cli_print_wrapped(FILE *out, const char *lead, int indent, const char *text)
{
    enum { WIDTH = 79 };
    int col = fprintf(out, "%-*s", indent, lead);
    bool first = true;
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        if (!first && col + 1 + (int)n > WIDTH)
            col = fprintf(out, "\n%*s", indent, "") - 1;
        else if (!first)
            col += fprintf(out, " ");
        col += fprintf(out, "%.*s", (int)n, p);
        first = false;
        p += n;
    }
    fputc('\n', out);
}

library *cli_load_library(const char *dir, diag_list *d)
{
    return dir ? library_load_dir(dir, d) : library_load_embedded(d);
}

struct cli_engine {
    pthread_t thread;
    bool running, done;
    const char *libdir;
    library *lib;
    principle_set *ps;
    diag_list diags;
};

static void load_engine(cli_engine *e)
{
    e->lib = cli_load_library(e->libdir, &e->diags);
    e->ps = e->lib ? principles_load(NULL, &e->diags) : NULL;
}

static void *load_on_thread(void *arg)
{
    par_thread_start();
    load_engine(arg);
    return NULL;
}

cli_engine *cli_engine_start(const char *libdir, bool thread)
{
    cli_engine *e = xcalloc(1, sizeof *e);
    e->libdir = libdir;
    e->running = thread && pthread_create(&e->thread, NULL, load_on_thread, e) == 0;
    return e;
}

int cli_engine_wait(cli_engine *e, library **lib, principle_set **ps)
{
    if (!e->done) {
        if (e->running)
            pthread_join(e->thread, NULL);
        else
            load_engine(e);
        e->running = false;
        e->done = true;
        cli_print_diags(&e->diags);
        diag_free(&e->diags);
        if (!e->lib || !e->ps) {
            library_free(e->lib);
            principles_free(e->ps);
            e->lib = NULL;
            e->ps = NULL;
        }
    }
    *lib = e->lib;
    *ps = e->ps;
    return e->lib && e->ps ? EXIT_OK : EXIT_IO;
}

int cli_load_engine(const char *libdir, library **lib, principle_set **ps)
{
    cli_engine e = {.libdir = libdir};
    return cli_engine_wait(&e, lib, ps);
}

void cli_engine_free(cli_engine *e)
{
    if (!e)
        return;
    /* nothing is printed when the command stopped before it needed the engine */
    if (e->running)
        pthread_join(e->thread, NULL);
    diag_free(&e->diags);
    principles_free(e->ps);
    library_free(e->lib);
    free(e);
}

int cli_parse_level(const char *cmd, const char *opt, const char *s, diag_severity *out)
{
    if (diag_severity_parse(s, out) == 0)
        return 0;
    cli_unknown(cmd, opt, s, "note, warning or error", NULL);
    return -1;
}


int cli_parse_today(const char *cmd, const char *opt, const char *s, aupc_date *out)
{
    if (profile_date_parse(s, out) && out->month >= 1 && out->month <= 12 && out->day >= 1 &&
        principles_add_months(*out, 0).day == out->day)
        return 0;
    cli_usage(cmd, "%s '%s' is not a date: write it as YYYY-MM-DD", opt, s);
    return -1;
}
