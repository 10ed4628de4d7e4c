#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compile.h"
#include "render.h"
#include "render_pdf.h"
#include "util/io.h"

enum { FMT_MD = 1, FMT_HTML = 2, FMT_PDF = 4 };

static const char compile_help[] =
    "usage: aupc compile [OPTIONS] PROFILE...\n"
    "\n"
    "Write an acceptable use policy for every audience each profile asks for,\n"
    "as OUT/SETTING-ID/AUDIENCE-ID.{pdf,md,html}. Nothing is written for a\n"
    "profile with errors; files are replaced atomically. A warning names any\n"
    "document whose core rules run past two A4 pages.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR      where to write (default: out)\n"
    "  -f, --format LIST     comma-separated formats: pdf, md, html (default: all three)\n"
    "      --font REG[,BOLD] TrueType fonts for the PDF, e.g. a school's own typeface\n"
    "                        (default: Helvetica, or Liberation Sans when the text\n"
    "                        needs characters Helvetica lacks, such as w circumflex)\n"
    "      --library DIR     use the statement library in DIR instead of the built-in one\n"
    "  -q, --quiet           print nothing but diagnostics\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 when every profile compiled, 1 when any profile is invalid,\n"
    "2 on a usage error, 3 when an output could not be written.\n";

static int parse_formats(const char *list, unsigned *out)
{
    *out = 0;
    char *copy = xstrdup(list);
    int rc = 0;
    for (char *w = strtok(copy, ","); w; w = strtok(NULL, ",")) {
        if (!strcmp(w, "pdf")) *out |= FMT_PDF;
        else if (!strcmp(w, "md")) *out |= FMT_MD;
        else if (!strcmp(w, "html")) *out |= FMT_HTML;
        else {
            fprintf(stderr, "aupc compile: unknown format '%s': expected pdf, md or html\n", w);
            rc = -1;
        }
    }
    free(copy);
    return rc == 0 && *out ? 0 : -1;
}

typedef struct {
    char *name;
    char *data;
    size_t len;
} out_file;

typedef struct {
    out_file *files;
    size_t count;
} out_set;

static void out_add_bytes(out_set *s, char *name, char *data, size_t len)
{
    s->files = xrealloc(s->files, (s->count + 1) * sizeof *s->files);
    s->files[s->count++] = (out_file){name, data, len};
}

static void out_add(out_set *s, char *name, char *data)
{
    out_add_bytes(s, name, data, strlen(data));
}

static void out_free(out_set *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->files[i].name);
        free(s->files[i].data);
    }
    free(s->files);
}

/* Core rules past two pages are not read: the guidance asks for one or two.
 * The warning points at the <audience> line that asked for the document. */
static void warn_if_long(const profile *p, size_t i, const layout_info *info,
                         diag_list *diags)
{
    if (info->core_pages > 2)
        diag_add(diags, DIAG_WARNING, p->file, p->audiences[i].line, p->audiences[i].col, "concise",
                 "%s: the core rules run to %d A4 pages; aim for two at most (the PDF has %d)",
                 p->audiences[i].id, info->core_pages, info->pages);
}

static int render_one(const profile *p, size_t i, const document *d, unsigned formats,
                      const pdf_options *font, out_set *out, diag_list *diags)
{
    layout_info info = {0};
    if (formats & FMT_PDF) {
        strbuf pdf = {0};
        if (pdf_render(d, font, &pdf, &info, diags) != 0) {
            sb_free(&pdf);
            return -1;
        }
        out_add_bytes(out, xasprintf("%s.pdf", d->audience_id), pdf.data, pdf.len);
    } else if (layout_measure(d, font, &info, diags) != 0) {
        return -1;
    }
    warn_if_long(p, i, &info, diags);
    layout_info_free(&info);
    if (formats & FMT_MD)
        out_add(out, xasprintf("%s.md", d->audience_id), render_md(d));
    if (formats & FMT_HTML)
        out_add(out, xasprintf("%s.html", d->audience_id), render_html(d));
    return 0;
}

static int render_all(const profile *p, const doc_set *docs, unsigned formats,
                      const pdf_options *font, out_set *out, diag_list *diags)
{
    for (size_t i = 0; i < docs->count; i++)
        if (render_one(p, i, docs->docs[i], formats, font, out, diags) != 0)
            return -1;
    return 0;
}

static int write_all(const char *dir, const out_set *out)
{
    int rc = io_mkdirs(dir);
    if (rc != 0) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", dir, strerror(rc));
        return EXIT_IO;
    }
    for (size_t i = 0; i < out->count; i++) {
        rc = io_write_atomic(dir, out->files[i].name, out->files[i].data, out->files[i].len);
        if (rc != 0) {
            fprintf(stderr, "%s/%s: error: cannot write: %s\n", dir, out->files[i].name,
                    strerror(rc));
            return EXIT_IO;
        }
    }
    return EXIT_OK;
}

static int compile_one(const char *path, const library *lib, const char *outdir,
                       unsigned formats, const pdf_options *font, int quiet)
{
    diag_list diags = {0};
    profile *p = profile_load(path, &diags);
    doc_set docs = {0};
    int status = EXIT_OK;
    if (!p || compile_profile(p, lib, &docs, &diags) != 0) {
        cli_print_diags(&diags);
        diag_free(&diags);
        profile_free(p);
        return EXIT_FINDINGS;
    }
    out_set out = {0};
    char *dir = xasprintf("%s/%s", outdir, p->id);
    if (render_all(p, &docs, formats, font, &out, &diags) != 0)
        status = EXIT_IO;
    else
        status = write_all(dir, &out);
    cli_print_diags(&diags);
    if (status == EXIT_OK && !quiet)
        fprintf(stderr, "aupc: %s: %zu documents, %zu files in %s/\n", p->id, docs.count,
                out.count, dir);
    free(dir);
    out_free(&out);
    doc_set_free(&docs);
    profile_free(p);
    diag_free(&diags);
    return status;
}

int cli_compile(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"format", required_argument, 0, 'f'},
        {"library", required_argument, 0, 'L'}, {"quiet", no_argument, 0, 'q'},
        {"font", required_argument, 0, 'F'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *outdir = "out", *libdir = NULL;
    unsigned formats = FMT_PDF | FMT_MD | FMT_HTML;
    pdf_options font = {NULL, NULL};
    char *fonts = NULL;
    int quiet = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, "o:f:qh", opts, NULL)) != -1;) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 'f':
            if (parse_formats(optarg, &formats) != 0) {
                free(fonts);
                return EXIT_USAGE;
            }
            break;
        case 'L': libdir = optarg; break;
        case 'q': quiet = 1; break;
        case 'F':
            free(fonts);
            fonts = xstrdup(optarg);
            font.font_regular = fonts;
            char *comma = strchr(fonts, ',');
            if (comma) {
                *comma = '\0';
                font.font_bold = comma + 1;
            }
            break;
        case 'h': free(fonts); fputs(compile_help, stdout); return EXIT_OK;
        default: free(fonts); fputs(compile_help, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        free(fonts);
        fputs("aupc compile: no profile given\n\n", stderr);
        fputs(compile_help, stderr);
        return EXIT_USAGE;
    }
    diag_list diags = {0};
    library *lib = cli_load_library(libdir, &diags);
    cli_print_diags(&diags);
    diag_free(&diags);
    if (!lib) {
        free(fonts);
        return EXIT_FINDINGS;
    }
    int status = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        int rc = compile_one(argv[i], lib, outdir, formats, &font, quiet);
        if (rc > status)
            status = rc;
    }
    library_free(lib);
    free(fonts);
    return status;
}
