/* libmicrohttpd and libzip are loaded only by the commands that use them:
 * the executable does not name them, every other command runs where they
 * cannot be loaded, and the ones that need them say which file and which
 * Debian package are missing. A library "cannot be loaded" here because
 * LD_LIBRARY_PATH puts an empty file of its soname first in the search. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lazylib_names.h"
#include "util/io.h"

static char *dir;

/* A folder whose empty files shadow the libraries given, for every aupc
 * this test runs. */
static void shadow(const char *const *sonames, size_t n)
{
    dir = make_tmpdir();
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, sonames[i]);
        write_text(path, "");
        free(path);
    }
    cr_assert_eq(setenv("LD_LIBRARY_PATH", dir, 1), 0);
}

static void cleanup(void)
{
    if (dir)
        remove_tree(dir);
    free(dir);
    dir = NULL;
}

TestSuite(lazylib, .fini = cleanup);

Test(lazylib, the_executable_does_not_link_them)
{
    if (!have_program("readelf"))
        cr_skip_test("readelf not installed");
    const char *bin = getenv("AUPC");
    char *fallback = xasprintf("%s/aupc", AUPC_BUILD_ROOT);
    char *cmd = xasprintf("readelf -d '%s'", bin ? bin : fallback);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "(NEEDED)"), "readelf shows no libraries: %s", r.out);
    cr_expect_null(strstr(r.out, "[" LAZYLIB_ZIP_SONAME "]"), "%s", r.out);
    cr_expect_null(strstr(r.out, "[" LAZYLIB_MHD_SONAME "]"), "%s", r.out);
    run_free(&r);
    free(cmd);
    free(fallback);
}

Test(lazylib, other_commands_run_without_them)
{
    shadow((const char *const[]){LAZYLIB_ZIP_SONAME, LAZYLIB_MHD_SONAME}, 2);
    run_result v = run_aupc("--version");
    cr_expect_eq(v.status, 0, "%s", v.err);
    cr_expect(strstr(v.out, "aupc"), "%s", v.out);
    char *args = xasprintf("compile -q -o '%s/out' '%s'", dir,
                           src_path("examples/oakfield-primary.xml"));
    run_result c = run_aupc(args);
    cr_expect_eq(c.status, 0, "%s", c.err);
    char *pdf = xasprintf("%s/out/oakfield-primary/pupil-ks2.pdf", dir);
    cr_expect_eq(pdf_page_count(pdf) > 0, 1);
    run_free(&v);
    run_free(&c);
    free(args);
    free(pdf);
}

Test(lazylib, word_output_names_the_missing_libzip)
{
    shadow((const char *const[]){LAZYLIB_ZIP_SONAME}, 1);
    char *args = xasprintf("compile -q -f docx -o '%s/out' '%s'", dir,
                           src_path("examples/oakfield-primary.xml"));
    run_result r = run_aupc(args);
    cr_expect_neq(r.status, 0);
    cr_expect(strstr(r.err, "Word output needs " LAZYLIB_ZIP_SONAME ", which cannot be loaded"),
              "%s", r.err);
    cr_expect(strstr(r.err, "sudo apt install " LAZYLIB_ZIP_PACKAGE), "%s", r.err);
    char *docx = xasprintf("%s/out/oakfield-primary/pupil-ks2.docx", dir);
    cr_expect_null(slurp(docx), "a Word file was written without libzip");
    run_free(&r);
    free(args);
    free(docx);
}

Test(lazylib, serve_names_the_missing_libmicrohttpd)
{
    shadow((const char *const[]){LAZYLIB_MHD_SONAME}, 1);
    run_result r = run_aupc("serve --listen 127.0.0.1:0");
    cr_expect_eq(r.status, 3, "%s", r.err);
    cr_expect(strstr(r.err, "aupc serve needs " LAZYLIB_MHD_SONAME ", which cannot be loaded"),
              "%s", r.err);
    cr_expect(strstr(r.err, "sudo apt install " LAZYLIB_MHD_PACKAGE), "%s", r.err);
    run_free(&r);
}
