#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "audience.h"
#include "profile.h"
#include "util/io.h"

static const char statements_help_head[] =
    "usage: aupc statements [--audience AUDIENCE] [--format text|md] [--library DIR]\n"
    "\n"
    "Without --audience, list every statement: id, section, whether it is core,\n"
    "its conditions and the readers it has text for. With --audience, print the\n"
    "text that reader gets from each statement, so the wording can be reviewed\n"
    "before a school adopts it. {{fields}} are filled from the profile at compile time.\n"
    "\n";
/* then the audiences, from the audience table */
static const char statements_help_tail[] =
    "\n"
    "options:\n"
    "  -a, --audience A      show the texts for one reader\n"
    "  -f, --format F        text (default) or md\n"
    "      --library DIR     use the statement library in DIR\n"
    "  -h, --help            show this help\n";

static void print_help(FILE *out)
{
    fputs(statements_help_head, out);
    char *ids = audience_list(AUDIENCE_LIST_IDS, ", ", ", ");
    char *text = xasprintf("AUDIENCE is one of %s, or any of them with -easy (pupil-ks2-easy, "
                           "parent-easy).", ids);
    cli_print_wrapped(out, "", 0, text);
    free(text);
    free(ids);
    fputs(statements_help_tail, out);
}

static void print_conditions(const statement *s)
{
    const char *names[] = {"audiences", "devices", "pupil-devices", "provides", "monitoring",
                           "kinds"};
    const char *vals[] = {s->audiences, s->devices, s->pupil_devices, s->provides,
                          s->monitoring, s->kinds};
    for (int i = 0; i < 6; i++)
        if (vals[i])
            printf(" %s=%s", names[i], vals[i]);
}

static void list_all(const library *lib)
{
    for (size_t i = 0; i < lib->count; i++) {
        const statement *s = &lib->items[i];
        printf("%-28s %-14s%s", s->id, library_section_name(s->section), s->core ? " core" : "");
        print_conditions(s);
        fputs("\n    readers:", stdout);
        for (size_t k = 0; k < s->ntexts; k++)
            printf(" %s", s->texts[k].reader);
        fputc('\n', stdout);
    }
}

static void list_for(const library *lib, const char *audience, int md)
{
    if (md)
        printf("# Statements for %s\n", audience);
    int section = -1;
    for (int sec = 0; sec < SECTION_COUNT; sec++) {
        for (size_t i = 0; i < lib->count; i++) {
            const statement *s = &lib->items[i];
            const statement_text *t = statement_text_for(s, audience);
            if (s->section != (statement_section)sec || !t)
                continue;
            if (md && section != sec)
                printf("\n## %s\n\n", library_section_name(s->section));
            section = sec;
            if (md) {
                printf("- %s *(%s%s", t->text, s->id, s->core ? ", core" : "");
                print_conditions(s);
                fputs(")*\n", stdout);
            } else {
                printf("%s [%s%s]", s->id, library_section_name(s->section),
                       s->core ? ", core" : "");
                print_conditions(s);
                printf("\n    %s\n", t->text);
            }
        }
    }
}

int cli_statements(int argc, char **argv)
{
    static const struct option opts[] = {
        {"audience", required_argument, 0, 'a'}, {"format", required_argument, 0, 'f'},
        {"library", required_argument, 0, 'L'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *audience = NULL, *libdir = NULL, *format = "text";
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "a:f:h", opts, NULL)) != -1;) {
        switch (c) {
        case 'a': audience = optarg; break;
        case 'f': format = optarg; break;
        case 'L': libdir = optarg; break;
        case 'h': print_help(stdout); return EXIT_OK;
        default: return cli_bad_option("statements", opts, argv);
        }
    }
    if (strcasecmp(format, "text") && strcasecmp(format, "md"))
        return cli_unknown("statements", "format", format, "text or md", NULL);
    if (audience && !audience_known(audience, true)) {
        char *ids = audience_list(AUDIENCE_LIST_READERS, ", ", " or ");
        cli_unknown("statements", "audience", audience, ids, ", with -easy for easy read");
        free(ids);
        return EXIT_USAGE;
    }
    if (optind < argc)
        return cli_usage("statements", "unexpected argument '%s'", argv[optind]);
    diag_list diags = {0};
    library *lib = cli_load_library(libdir, &diags);
    cli_print_diags(&diags);
    diag_free(&diags);
    if (!lib)
        return EXIT_FINDINGS;
    if (audience)
        list_for(lib, audience, !strcasecmp(format, "md"));
    else
        list_all(lib);
    library_free(lib);
    return EXIT_OK;
}
