#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

void cli_print_diags(const diag_list *d)
{
    int colour = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    diag_print_gnu(stderr, d, colour);
}

library *cli_load_library(const char *dir, diag_list *d)
{
    return dir ? library_load_dir(dir, d) : library_load_embedded(d);
}
