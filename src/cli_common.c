#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "principles.h"

void cli_print_diags(const diag_list *d)
{
    int colour = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    diag_print_gnu(stderr, d, colour);
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
