#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "principles.h"
#include "profile.h"
#include "util/io.h"

void cli_print_diags(const diag_list *d)
{
    int colour = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    diag_print_gnu(stderr, d, colour);
}

int cli_usage(const char *cmd, void (*help)(FILE *out), const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "aupc %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n\n", stderr);
    help(stderr);
    return EXIT_USAGE;
}

const format_info *cli_format(const char *cmd, void (*help)(FILE *out), const char *name,
                              int use)
{
    const format_info *f = format_find(name, (format_use)use);
    if (!f) {
        char *names = format_list((format_use)use, ", ", " or ");
        cli_usage(cmd, help, "unknown format '%s': expected %s", name, names);
        free(names);
    }
    return f;
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

int cli_load_engine(const char *libdir, library **lib, principle_set **ps)
{
    diag_list d = {0};
    *lib = cli_load_library(libdir, &d);
    *ps = *lib ? principles_load(NULL, &d) : NULL;
    cli_print_diags(&d);
    diag_free(&d);
    if (*lib && *ps)
        return EXIT_OK;
    library_free(*lib);
    principles_free(*ps);
    *lib = NULL;
    *ps = NULL;
    return EXIT_IO;
}

int cli_parse_fail_level(const char *s, diag_severity *out)
{
    if (!strcmp(s, "note")) *out = DIAG_NOTE;
    else if (!strcmp(s, "warning")) *out = DIAG_WARNING;
    else if (!strcmp(s, "error")) *out = DIAG_ERROR;
    else return -1;
    return 0;
}

int cli_parse_today(const char *cmd, const char *opt, const char *s, aupc_date *out)
{
    if (profile_date_parse(s, out) && out->month >= 1 && out->month <= 12 && out->day >= 1 &&
        principles_add_months(*out, 0).day == out->day)
        return 0;
    fprintf(stderr, "aupc %s: %s '%s' is not a date: write it as YYYY-MM-DD\n", cmd, opt, s);
    return -1;
}
