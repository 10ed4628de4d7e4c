#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "diff_render.h"
#include "format.h"
#include "util/escape.h"
#include "util/io.h"

static const char diff_help[] =
    "usage: aupc diff [OPTIONS] OLD NEW\n"
    "\n"
    "Show what changed between two versions of a setting's AUPs: two profiles\n"
    "(.xml), compiled and compared audience by audience, or two Markdown drafts\n"
    "(.md), compared block by block. For profiles it lists the statements added,\n"
    "removed and reworded for each audience, documents added or removed, the\n"
    "settings that changed with the statements each brought in or took out, and\n"
    "the review dates.\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT   %s\n"
    "  -o, --output FILE     write to FILE (needed for pdf when stdout is a terminal)\n"
    "  -a, --audience ID     only this audience (profiles only)\n"
    "      --stat            counts only\n"
    "      --library DIR     use the statement library in DIR instead of the built-in one\n"
    "      --color WHEN      text colours: auto (default; a terminal without NO_COLOR),\n"
    "                        always or never\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 when the two are the same, 1 when they differ or either is\n"
    "invalid (the errors are printed on stderr), 2 on a usage error, 3 when a\n"
    "file cannot be read or written.\n";

typedef enum { IN_PROFILE, IN_DRAFT, IN_UNKNOWN } input_kind;

static input_kind kind_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return IN_UNKNOWN;
    if (!strcmp(dot, ".xml"))
        return IN_PROFILE;
    if (!strcmp(dot, ".md") || !strcmp(dot, ".markdown"))
        return IN_DRAFT;
    return IN_UNKNOWN;
}

/* The formats' names come from the format registry. */
static void print_help(FILE *out)
{
    char *list = cli_format_choices(FORMAT_FOR_DIFF);
    fprintf(out, diff_help, list);
    free(list);
}

#define usage(...) cli_usage("diff", __VA_ARGS__)

/* The files being compared: -o may name neither of them. */
typedef struct {
    const char *paths[2];
    io_file_id ids[2];
    size_t n;
} diff_inputs;

static void inputs_of(diff_inputs *in, const char *old_path, const char *new_path)
{
    in->n = 0;
    const char *paths[2] = {old_path, new_path};
    for (int i = 0; i < 2; i++)
        if (io_file_id_of(paths[i], &in->ids[in->n]) == 0)
            in->paths[in->n++] = paths[i];
}

static void refusal(const char *raw, const char *why, const diff_inputs *in, int input)
{
    char *path = esc_text_dup(raw), *other = input >= 0 ? esc_text_dup(in->paths[input]) : NULL;
    if (input >= 0 && strcmp(raw, in->paths[input]) != 0)
        fprintf(stderr, "%s: error: will not write the diff here: it is another name for %s, one of the files "
                        "being compared\n", path, other);
    else if (input >= 0)
        fprintf(stderr, "%s: error: will not write the diff over one of the files being "
                        "compared: name another file with -o\n", path);
    else
        fprintf(stderr, "%s: error: will not write the diff here: %s; -o takes the name of a "
                        "regular file\n", path, why);
    free(path);
    free(other);
}

static int write_output(const char *path, const char *data, size_t len, const diff_inputs *in)
{
    if (!path) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "aupc diff: cannot write to standard output: %s\n", strerror(errno));
            return EXIT_IO;
        }
        return EXIT_OK;
    }
    const char *why;
    int input;
    int rc = io_write_output(path, data, len, in->ids, in->n, &why, &input);
    if (rc != 0 && why)
        refusal(path, why, in, input);
    else if (rc != 0) {
        char *clean = esc_text_dup(path);
        fprintf(stderr, "%s: error: cannot write: %s\n", clean, strerror(rc));
        free(clean);
    }
    return rc ? EXIT_IO : EXIT_OK;
}

static int read_input(const char *path, char **data, size_t *len, diag_list *diags)
{
    const char *err = NULL;
    int rc = io_read_file(path, data, len, &err);
    if (rc != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, DIAG_LOAD_RULE, "cannot read: %s",
                 err ? err : strerror(rc));
        return EXIT_IO;
    }
    return EXIT_OK;
}

/* When an input will not load, the JSON a CI job reads still says so: no
 * change set, and the errors (they are on stderr too). */
static void json_errors(const diag_list *diags, bool profiles)
{
    strbuf b = {0};
    sb_printf(&b, "{\n  \"version\": 1,\n  \"mode\": \"%s\",\n  \"identical\": null,\n"
                  "  \"errors\": [", profiles ? "profiles" : "drafts");
    size_t n = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const diag *d = &diags->items[i];
        if (d->severity != DIAG_ERROR)
            continue;
        sb_puts(&b, n++ ? ",\n    {\"file\": " : "\n    {\"file\": ");
        esc_json(&b, d->file ? d->file : "");
        sb_printf(&b, ", \"line\": %d, \"column\": %d, \"rule\": ", d->line, d->col);
        esc_json(&b, d->rule ? d->rule : DIAG_LOAD_RULE);
        sb_puts(&b, ", \"message\": ");
        esc_json(&b, d->message);
        sb_puts(&b, "}");
    }
    sb_puts(&b, n ? "\n  ]\n}\n" : "]\n}\n");
    fwrite(b.data, 1, b.len, stdout);
    sb_free(&b);
}

int cli_diff(int argc, char **argv)
{
    enum { OPT_STAT = 256, OPT_LIBRARY, OPT_COLOR };
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'}, {"output", required_argument, 0, 'o'},
        {"audience", required_argument, 0, 'a'}, {"stat", no_argument, 0, OPT_STAT},
        {"library", required_argument, 0, OPT_LIBRARY}, {"color", required_argument, 0, OPT_COLOR},
        {"colour", required_argument, 0, OPT_COLOR}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *format = "text", *output = NULL, *only = NULL, *libdir = NULL, *color = "auto";
    diff_render_opts ro = {false, false};
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "f:o:a:h", opts, NULL)) != -1;) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o':
            if (!strcmp(optarg, "-"))
                return usage("%s", "-o - is not a file: leave -o out to write to standard "
                                   "output");
            output = optarg;
            break;
        case 'a': only = optarg; break;
        case OPT_STAT: ro.stat = true; break;
        case OPT_LIBRARY: libdir = optarg; break;
        case OPT_COLOR: color = optarg; break;
        case 'h': print_help(stdout); return EXIT_OK;
        default: return cli_bad_option("diff", opts, argv);
        }
    }
    const format_info *f = cli_format("diff", format, FORMAT_FOR_DIFF);
    if (!f)
        return EXIT_USAGE;
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never"))
        return cli_unknown("diff", "--color", color, "auto, always or never", NULL);
    if (argc - optind != 2)
        return usage("%s", argc - optind < 2 ? "give two files: OLD and NEW"
                                             : "give exactly two files: OLD and NEW");
    const char *old_path = argv[optind], *new_path = argv[optind + 1];
    input_kind ko = kind_of(old_path), kn = kind_of(new_path);
    if (ko == IN_UNKNOWN)
        return usage("cannot tell what '%s' is: name a profile .xml or a draft .md", old_path);
    if (kn == IN_UNKNOWN)
        return usage("cannot tell what '%s' is: name a profile .xml or a draft .md", new_path);
    if (ko != kn)
        return usage("%s", "compare a profile with a profile, or a draft with a draft, "
                           "not one of each");
    if (only && ko == IN_DRAFT)
        return usage("%s", "--audience narrows a comparison of profiles, not of drafts");
    if (only && cli_audience("diff", only) != 0)
        return EXIT_USAGE;
    if (f->binary && !output && isatty(STDOUT_FILENO))
        return usage("will not write %s output to a terminal: use -o FILE or redirect", f->name);
    bool to_tty = !output && isatty(STDOUT_FILENO);
    ro.colour = f->colour &&
                (!strcmp(color, "always") || (!strcmp(color, "auto") && to_tty && !getenv("NO_COLOR")));

    /* Refused before any work: -o naming a device, a link or an input. */
    diff_inputs in;
    inputs_of(&in, old_path, new_path);
    if (output) {
        const char *why;
        int input;
        if (io_output_check(output, in.ids, in.n, &why, &input) != 0 && why) {
            refusal(output, why, &in, input);
            return EXIT_USAGE;
        }
    }

    char *od = NULL, *nd = NULL;
    size_t ol = 0, nl = 0;
    diag_list diags = {0};
    if (read_input(old_path, &od, &ol, &diags) != EXIT_OK ||
        read_input(new_path, &nd, &nl, &diags) != EXIT_OK) {
        cli_print_diags(&diags);
        if (!strcmp(f->name, "json"))
            json_errors(&diags, ko == IN_PROFILE);
        diag_free(&diags);
        free(od);
        free(nd);
        return EXIT_IO;
    }

    diff_result r;
    int status = EXIT_OK;
    if (ko == IN_DRAFT) {
        if (diff_drafts(old_path, od, ol, new_path, nd, nl, &r, &diags) != 0) {
            cli_print_diags(&diags);
            diag_free(&diags);
            free(od);
            free(nd);
            return EXIT_FINDINGS;
        }
    } else {
        profile *po = profile_parse(old_path, od, ol, &diags);
        profile *pn = profile_parse(new_path, nd, nl, &diags);
        library *lib = po && pn ? cli_load_library(libdir, &diags) : NULL;
        int rc = -1;
        if (lib)
            rc = diff_profiles(po, pn, lib, only, &r, &diags);
        if (rc == 0 && only && r.naudiences == 0) {
            diff_result_free(&r);
            rc = -2;
        }
        profile_free(po);
        profile_free(pn);
        library_free(lib);
        if (rc != 0) {
            cli_print_diags(&diags);
            if (rc != -2 && !strcmp(f->name, "json"))
                json_errors(&diags, true);
            diag_free(&diags);
            free(od);
            free(nd);
            if (rc == -2)
                return usage("neither profile has the audience '%s'", only);
            return EXIT_FINDINGS;
        }
    }
    free(od);
    free(nd);

    strbuf out = {0};
    int made = f->diff(&r, &ro, &out, &diags);
    if (made != 0)
        status = made == LAYOUT_UNSHOWN ? EXIT_FINDINGS : EXIT_IO;
    else
        status = write_output(output, out.data ? out.data : "", out.len, &in);
    sb_free(&out);
    cli_print_diags(&diags);
    diag_free(&diags);
    if (status == EXIT_OK && !diff_identical(&r))
        status = EXIT_FINDINGS;
    diff_result_free(&r);
    return status;
}
