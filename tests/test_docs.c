/* The manual pages are part of what aupc ships: mandoc's own checker must
 * find nothing in them, not even a style note. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util/io.h"

static void expect_lint_clean(const char *page)
{
    cr_assert(have_program("mandoc"), "mandoc is not installed (it is in the Makefile's "
              "PACKAGES)");
    char *path = src_path(page);
    char *cmd = xasprintf("mandoc -T lint -W style '%s'", path);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "%s: mandoc exit %d", page, r.status);
    cr_expect_str_eq(r.out, "", "%s", page);
    cr_expect_str_eq(r.err, "", "%s", page);
    run_free(&r);
    free(cmd);
    free(path);
}

Test(docs, aupc_1_is_lint_clean)
{
    expect_lint_clean("man/aupc.1");
}

Test(docs, aupc_profile_5_is_lint_clean)
{
    expect_lint_clean("man/aupc-profile.5");
}

/* aupc-profile(5) tells editors' users where the schemas are installed. */
Test(docs, meson_install_puts_the_schemas_in_the_data_folder, .timeout = 120)
{
    char *dir = make_tmpdir();
    char *cmd = xasprintf("meson install -C '%s' --no-rebuild --quiet --destdir '%s' "
                          "&& meson introspect --buildoptions '%s' | python3 -c "
                          "\"import json,sys; o={x['name']:x['value'] for x in json.load(sys.stdin)}; "
                          "print(o['prefix'] + '/' + o['datadir'])\"",
                          AUPC_BUILD_ROOT, dir, AUPC_BUILD_ROOT);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "%s", r.err);
    r.out[strcspn(r.out, "\n")] = '\0';
    /* every schema of the sources, so a new one cannot be left out */
    char *schemas = src_path("schema");
    DIR *d = opendir(schemas);
    cr_assert_not_null(d, "%s", schemas);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".xsd"))
            continue;
        char *path = xasprintf("%s%s/aupc/schema/%s", dir, r.out, e->d_name);
        char *want_path = xasprintf("%s/%s", schemas, e->d_name);
        char *got = slurp(path), *want = slurp(want_path);
        cr_expect(got && want && !strcmp(got, want), "%s is not the source's schema/%s", path,
                  e->d_name);
        free(got);
        free(want);
        free(want_path);
        free(path);
        n++;
    }
    closedir(d);
    free(schemas);
    cr_expect_geq(n, 5);
    char *page = src_path("man/aupc-profile.5");
    char *man = slurp(page);
    cr_expect(strstr(man, ".I /usr/local/share/aupc/schema/profile.xsd"));
    free(man);
    free(page);
    run_free(&r);
    free(cmd);
    remove_tree(dir);
    free(dir);
}

/* The README's GitHub Actions workflow installs every package the build
 * links or runs (read from this build's own link line by dpkg), so it
 * works as printed on a fresh runner. */
Test(docs, readme_workflow_installs_what_the_build_needs, .timeout = 60)
{
    cr_assert(have_program("dpkg") && have_program("python3"), "dpkg and python3 are needed");
    char *script = src_path("tests/readme_workflow.py");
    char *cmd = xasprintf("python3 '%s' '%s' '%s'", script, AUPC_SOURCE_ROOT, AUPC_BUILD_ROOT);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "", "the README's workflow does not install:\n%s", r.out);
    run_free(&r);
    free(cmd);
    free(script);
}
