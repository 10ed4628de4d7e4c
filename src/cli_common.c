#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "principles.h"

void cli_print_diags(const diag_list *d)
{
    int colour = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    diag_print_gnu(stderr, d, colour);
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
