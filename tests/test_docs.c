/* The manual pages are part of what aupc ships: mandoc's own checker must
 * find nothing in them, not even a style note. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "helpers.h"
#include "util/io.h"

/* PAGE as the build wrote it from man/PAGE.in. */
static void expect_lint_clean(const char *page)
{
    cr_assert(have_program("mandoc"), "mandoc is not installed (it is in the Makefile's "
              "PACKAGES)");
    char *path = xasprintf("%s/man/%s", AUPC_BUILD_ROOT, page);
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
    expect_lint_clean("aupc.1");
}

Test(docs, aupc_profile_5_is_lint_clean)
{
    expect_lint_clean("aupc-profile.5");
}

/* The manual pages the build made from the tables are the ones installed,
 * and aupc-profile(5) tells editors' users where the schemas are. */
Test(docs, meson_install_puts_the_schemas_in_the_data_folder, .timeout = 120)
{
    char *dir = make_tmpdir();
    char *cmd = xasprintf("meson install -C '%s' --no-rebuild --quiet --destdir '%s' "
                          "&& meson introspect --buildoptions '%s' | python3 -c "
                          "\"import json,sys; o={x['name']:x['value'] for x in json.load(sys.stdin)}; "
                          "print(o['prefix'] + '/' + o['datadir']); "
                          "print(o['prefix'] + '/' + o['mandir'])\"",
                          AUPC_BUILD_ROOT, dir, AUPC_BUILD_ROOT);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *mandir = r.out + strcspn(r.out, "\n");
    cr_assert_eq(*mandir, '\n', "%s", r.out);
    *mandir++ = '\0';
    mandir[strcspn(mandir, "\n")] = '\0';
    static const char *const pages[] = {"man1/aupc.1", "man5/aupc-profile.5"};
    for (size_t i = 0; i < 2; i++) {
        char *installed = xasprintf("%s%s/%s", dir, mandir, pages[i]);
        char *built = xasprintf("%s/man/%s", AUPC_BUILD_ROOT, strchr(pages[i], '/') + 1);
        char *got = slurp(installed), *want = slurp(built);
        cr_expect(got && want && !strcmp(got, want), "%s is not the build's %s", installed,
                  built);
        free(got);
        free(want);
        free(installed);
        free(built);
    }
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
    char *page = xasprintf("%s/man/aupc-profile.5", AUPC_BUILD_ROOT);
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

/* The names of the formats that serve USE (or that write checklists, when
 * CHECKLISTS) as aupc(1) lists them: in bold, CONJ before the last, PUNCT
 * after it. */
static char *roff_formats(format_use use, bool checklists, const char *conj, const char *punct)
{
    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; i < format_count() && n < 32; i++)
        if (checklists ? format_at(i)->checklist != NULL : format_serves(format_at(i), use))
            names[n++] = format_at(i)->name;
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n)
            sb_printf(&b, ".BR %s ,\n", names[i]);
        else if (i + 2 == n)
            sb_printf(&b, ".B %s\n%s\n", names[i], conj);
        else
            sb_printf(&b, *punct ? ".BR %s %s\n" : ".B %s%s\n", names[i], punct);
    }
    return b.data;
}

/* Each command's --format entry in aupc(1) lists exactly the registry's
 * formats for it (the build writes them from the registry). */
Test(docs, aupc_1_lists_every_format)
{
    char *path = xasprintf("%s/man/aupc.1", AUPC_BUILD_ROOT);
    char *man = slurp(path);
    cr_assert_not_null(man, "%s", path);
    struct {
        const char *before;
        format_use use;
        bool checklists;
        const char *conj, *punct;
    } lists[] = {
        {"The formats to write, as a comma\\-separated list of\n", FORMAT_FOR_COMPILE, false,
         "and", ","},
        {"A report for people,\n", FORMAT_FOR_CHECK, true, "or", ","},
        {"machine formats\n", FORMAT_FOR_LINT, false, "and", "."},
        {"\\fB\\-\\-format\\fP \\fIFORMAT\\fP\n", FORMAT_FOR_LINT, false, "or", ";"},
        {"\\fB\\-\\-format\\fP \\fIFORMAT\\fP\n", FORMAT_FOR_DIFF, false, "or", ";"},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        char *want = roff_formats(lists[i].use, lists[i].checklists, lists[i].conj,
                                  lists[i].punct);
        char *entry = xasprintf("%s%s", lists[i].before, want);
        cr_expect_not_null(strstr(man, entry), "aupc(1) lacks the list:\n%s", entry);
        free(entry);
        free(want);
    }
    free(man);
    free(path);
}
