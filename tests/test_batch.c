/* The batch scheduler in process: what it reports, in what order, and what
 * it leaves on disk. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch.h"
#include "format.h"
#include "helpers.h"
#include "util/io.h"

typedef struct {
    int library_calls, reports_before_library;
    bool library_ok;
    strbuf all;         /* "status file docs files dir" per report */
    size_t reports;
    char *warning;      /* the first warning's message */
} seen;

static void on_library(void *ctx, const diag_list *d, bool ok)
{
    seen *s = ctx;
    (void)d;
    s->library_calls++;
    s->library_ok = ok;
}

static void on_report(void *ctx, const batch_result *r)
{
    seen *s = ctx;
    if (!s->library_calls)
        s->reports_before_library++;
    s->reports++;
    sb_printf(&s->all, "%d %s %zu %zu %s\n", r->status, strrchr(r->path, '/') + 1, r->docs,
              r->files, r->dir ? "dir" : "-");
    for (size_t i = 0; i < r->diags->count && !s->warning; i++)
        if (r->diags->items[i].severity == DIAG_WARNING)
            s->warning = xstrdup(r->diags->items[i].message);
}

static unsigned every_format(void)
{
    unsigned m = 0;
    for (size_t i = 0; i < format_count(); i++)
        if (format_serves(format_at(i), FORMAT_FOR_COMPILE))
            m |= 1u << i;
    return m;
}

static batch_summary run(char **paths, size_t n, const char *out, const char *libdir, int jobs,
                         seen *s)
{
    batch_options o = {.outdir = out, .formats = every_format(), .library_dir = libdir,
                       .jobs = jobs, .ctx = s, .library = on_library, .report = on_report};
    batch_summary sum;
    batch_run(paths, n, &o, &sum);
    return sum;
}

static char **example_paths(size_t *n)
{
    static const char *const names[] = {"brookfield-special", "northgate-youth",
                                        "oakfield-primary", "riverside-academy",
                                        "ysgol-glan-y-mor"};
    *n = sizeof names / sizeof *names;
    char **p = xcalloc(*n, sizeof *p);
    for (size_t i = 0; i < *n; i++) {
        char *rel = xasprintf("examples/%s.xml", names[i]);
        p[i] = src_path(rel);
        free(rel);
    }
    return p;
}

static void free_paths(char **p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i]);
    free(p);
}

/* One report per profile, after the library's, with the counts the
 * summary adds up; the same whatever the number of threads. */
Test(batch, reports_every_profile_once, .timeout = 120)
{
    size_t n;
    char **paths = example_paths(&n);
    for (int jobs = 1; jobs <= 8; jobs *= 8) {
        char *out = make_tmpdir();
        seen s = {0};
        batch_summary sum = run(paths, n, out, NULL, jobs, &s);
        cr_expect_eq(s.library_calls, 1);
        cr_expect(s.library_ok);
        cr_expect_eq(s.reports_before_library, 0);
        cr_expect_eq(s.reports, n);
        cr_expect_eq(sum.done, n);
        cr_expect_eq(sum.failed, 0);
        cr_expect_eq(sum.status, BATCH_OK);
        cr_expect_eq(sum.docs, 24, "-j %d: %zu documents", jobs, sum.docs);
        char *find = xasprintf("find %s -type f | wc -l", out);
        run_result f = run_sh(find);
        cr_expect_eq(sum.files, (size_t)atoi(f.out), "-j %d: %zu files, %s on disk", jobs,
                     sum.files, f.out);
        cr_expect_geq(sum.files, 3 * sum.docs);
        run_free(&f);
        free(find);
        char *staff = xasprintf("%s/oakfield-primary/staff.pdf", out);
        struct stat st;
        cr_expect_eq(stat(staff, &st), 0, "%s", staff);
        free(staff);
        sb_free(&s.all);
        remove_tree(out);
        free(out);
    }
    free_paths(paths, n);
}

/* A bad profile is reported and writes nothing; the others are written. */
Test(batch, a_bad_profile_spoils_only_itself)
{
    char *dir = make_tmpdir();
    size_t n;
    char **good = example_paths(&n);
    char *bad = xasprintf("%s/bad.xml", dir);
    write_text(bad, "<setting xmlns=\"urn:aupc:profile:1\"/>\n");
    char *paths[] = {good[2], bad};
    char *out = xasprintf("%s/out", dir);
    seen s = {0};
    batch_summary sum = run(paths, 2, out, NULL, 2, &s);
    cr_expect_eq(sum.done, 2);
    cr_expect_eq(sum.failed, 1);
    cr_expect_eq(sum.status, BATCH_INVALID);
    cr_expect(strstr(s.all.data, "1 bad.xml 0 0 -\n"), "%s", s.all.data);
    cr_expect(strstr(s.all.data, "0 oakfield-primary.xml 5 "), "%s", s.all.data);
    sb_free(&s.all);
    free(out);
    free(bad);
    free_paths(good, n);
    remove_tree(dir);
    free(dir);
}

/* A library that will not load is reported alone: no profile is. */
Test(batch, a_bad_library_is_reported_alone)
{
    char *dir = make_tmpdir();
    size_t n;
    char **paths = example_paths(&n);
    char *out = xasprintf("%s/out", dir);
    char *nolib = xasprintf("%s/no-such-library", dir);
    seen s = {0};
    batch_summary sum = run(paths, n, out, nolib, 2, &s);
    cr_expect_eq(s.library_calls, 1);
    cr_expect_not(s.library_ok);
    cr_expect_eq(s.reports, 0);
    cr_expect_eq(sum.status, BATCH_INVALID);
    struct stat st;
    cr_expect_neq(stat(out, &st), 0, "the output folder was made");
    free(nolib);
    free(out);
    free_paths(paths, n);
    remove_tree(dir);
    free(dir);
}

/* Two profiles with one setting id: the second to finish is warned about. */
Test(batch, a_repeated_setting_id_is_a_warning)
{
    char *dir = make_tmpdir();
    size_t n;
    char **good = example_paths(&n);
    char *paths[] = {good[2], good[2]};
    char *out = xasprintf("%s/out", dir);
    seen s = {0};
    batch_summary sum = run(paths, 2, out, NULL, 1, &s);
    cr_expect_eq(sum.status, BATCH_OK);
    cr_assert_not_null(s.warning);
    cr_expect(strstr(s.warning, "same setting id"), "%s", s.warning);
    free(s.warning);
    sb_free(&s.all);
    free(out);
    free_paths(good, n);
    remove_tree(dir);
    free(dir);
}

/* An output folder that cannot be made is an I/O failure, with the reason. */
Test(batch, an_unwritable_folder_is_an_io_error)
{
    char *dir = make_tmpdir();
    size_t n;
    char **good = example_paths(&n);
    char *file = xasprintf("%s/file", dir);
    write_text(file, "x");
    char *out = xasprintf("%s/file/out", dir);
    seen s = {0};
    batch_summary sum = run(&good[2], 1, out, NULL, 1, &s);
    cr_expect_eq(sum.status, BATCH_IO);
    cr_expect_eq(sum.failed, 1);
    cr_expect(strstr(s.all.data, "3 oakfield-primary.xml 0 0 -"), "%s", s.all.data);
    sb_free(&s.all);
    free(out);
    free(file);
    free_paths(good, n);
    remove_tree(dir);
    free(dir);
}
