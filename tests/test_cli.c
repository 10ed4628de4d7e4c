#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"
#include "format.h"
#include "helpers.h"
#include "util/io.h"

Test(cli, version_and_help)
{
    run_result r = run_aupc("--version");
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(r.out, "aupc " AUPC_VERSION "\n");
    run_free(&r);
    r = run_aupc("--help");
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "compile PROFILE"));
    run_free(&r);
    static const char *const cmds[] = {"compile", "statements", "init"};
    for (int i = 0; i < 3; i++) {
        char *args = xasprintf("%s --help", cmds[i]);
        r = run_aupc(args);
        cr_expect_eq(r.status, 0, "%s", args);
        cr_expect(strstr(r.out, "usage: aupc"), "%s", args);
        run_free(&r);
        free(args);
    }
}

Test(cli, usage_errors_exit_2)
{
    static const char *const bad[] = {
        "", "bogus", "compile", "compile --format odt x.xml", "compile --nope x.xml",
        "init", "init --kind castle", "init --kind primary --id ../x",
        "statements --audience nobody", "statements --format pdf",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_result r = run_aupc(bad[i]);
        cr_expect_eq(r.status, 2, "'aupc %s' gave %d", bad[i], r.status);
        cr_expect(strlen(r.err) > 0, "'aupc %s' said nothing", bad[i]);
        run_free(&r);
    }
}

Test(cli, invalid_profile_exits_1_and_writes_nothing)
{
    char *dir = make_tmpdir();
    char *profile = xasprintf("%s/bad.xml", dir);
    char *text = replace_once(base_profile, "pupils=\"banned\"", "pupils=\"allowed\"");
    write_text(profile, text);
    char *args = xasprintf("compile -o %s/out %s", dir, profile);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 1);
    char *want = xasprintf("%s:14:12: error: unknown personal-device policy 'allowed': "
                           "expected banned, approved-use or encouraged\n", profile);
    cr_expect_str_eq(r.err, want);
    char *out = xasprintf("%s/out", dir);
    struct stat st;
    cr_expect_neq(stat(out, &st), 0, "an output folder was created");
    run_free(&r);
    free(want);
    free(out);
    free(args);
    free(text);
    free(profile);
    remove_tree(dir);
    free(dir);
}

/* Threads share out the documents differently with each -j, and each
 * thread reuses its PDF machinery: none of that may show in the files. */
Test(cli, compile_output_does_not_depend_on_jobs, .timeout = 120)
{
    char *dir = make_tmpdir();
    char *ex = src_path("examples");
    static const char *const jobs[] = {"1", "2", "5"};
    for (int i = 0; i < 3; i++) {
        char *args = xasprintf("compile -q -j %s -o %s/j%s %s", jobs[i], dir, jobs[i], ex);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        free(args);
    }
    for (int i = 1; i < 3; i++) {
        char *cmd = xasprintf("diff -r %s/j1 %s/j%s", dir, dir, jobs[i]);
        run_result r = run_sh(cmd);
        cr_expect_eq(r.status, 0, "-j 1 and -j %s differ:\n%s", jobs[i], r.out);
        run_free(&r);
        free(cmd);
    }
    free(ex);
    remove_tree(dir);
    free(dir);
}

Test(cli, compile_writes_every_audience_identically_twice)
{
    char *dir = make_tmpdir();
    char *profile = xasprintf("%s/p.xml", dir);
    write_text(profile, base_profile);
    for (int run = 0; run < 2; run++) {
        char *args = xasprintf("compile -q -o %s/out%d %s", dir, run, profile);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_expect_str_eq(r.err, "");
        run_free(&r);
        free(args);
    }
    static const char *const files[] = {"pupil-ks2.md", "pupil-ks2.html", "pupil-ks2.pdf",
                                        "staff.md", "staff.html", "staff.pdf"};
    for (int i = 0; i < 6; i++) {
        char *a = xasprintf("%s/out0/test-school/%s", dir, files[i]);
        char *b = xasprintf("%s/out1/test-school/%s", dir, files[i]);
        char *da, *db;
        size_t la, lb;
        const char *err;
        cr_assert_eq(io_read_file(a, &da, &la, &err), 0, "%s missing", a);
        cr_assert_eq(io_read_file(b, &db, &lb, &err), 0, "%s missing", b);
        cr_expect(la == lb && memcmp(da, db, la) == 0, "%s differs between runs", files[i]);
        free(da);
        free(db);
        free(a);
        free(b);
    }
    char *ls = xasprintf("ls -A %s/out0/test-school | wc -l", dir);
    run_result r = run_sh(ls);
    free(ls);
    /* Two documents in each format compile writes unasked, and the pupils'
     * poster in each that has one. */
    size_t want = 0;
    for (size_t i = 0; i < format_count(); i++)
        if (!format_at(i)->on_request)
            want += 2 * (format_at(i)->document != NULL) + (format_at(i)->poster != NULL);
    cr_expect_eq((size_t)atoi(r.out), want, "no temporary files left behind: %s", r.out);
    run_free(&r);
    remove_tree(dir);
    free(profile);
    free(dir);
}

Test(cli, format_md_only)
{
    char *dir = make_tmpdir();
    char *profile = xasprintf("%s/p.xml", dir);
    write_text(profile, base_profile);
    char *args = xasprintf("compile -q --format md -o %s/out %s", dir, profile);
    run_result r = run_aupc(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *html = xasprintf("%s/out/test-school/staff.html", dir);
    char *md = xasprintf("%s/out/test-school/staff.md", dir);
    cr_expect(access(md, F_OK) == 0);
    cr_expect(access(html, F_OK) != 0);
    free(html);
    free(md);
    free(args);
    free(profile);
    remove_tree(dir);
    free(dir);
}

Test(cli, unwritable_output_exits_3)
{
    if (geteuid() == 0)
        cr_skip_test("root can write anywhere");
    char *dir = make_tmpdir();
    char *profile = xasprintf("%s/p.xml", dir);
    write_text(profile, base_profile);
    char *ro = xasprintf("%s/ro", dir);
    cr_assert_eq(mkdir(ro, 0555), 0);
    char *args = xasprintf("compile -o %s %s", ro, profile);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 3, "%s", r.err);
    run_free(&r);
    free(args);
    free(ro);
    free(profile);
    remove_tree(dir);
    free(dir);
}

Test(cli, output_is_a_file_exits_3)
{
    char *dir = make_tmpdir();
    char *profile = xasprintf("%s/p.xml", dir);
    write_text(profile, base_profile);
    char *blocker = xasprintf("%s/out", dir);
    write_text(blocker, "not a folder");
    char *args = xasprintf("compile -o %s %s", blocker, profile);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 3, "%s", r.err);
    cr_expect(strstr(r.err, "cannot create the output folder"), "%s", r.err);
    run_free(&r);
    free(args);
    free(blocker);
    free(profile);
    remove_tree(dir);
    free(dir);
}

Test(cli, init_for_every_kind_compiles)
{
    static const char *const kinds[] = {"primary", "secondary", "all-through", "special",
        "college", "early-years", "youth-service", "library", "children-services"};
    char *dir = make_tmpdir();
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *cmd = xasprintf("init --kind %s --name 'A & B <School>' > %s/%s.xml", kinds[i],
                              dir, kinds[i]);
        run_result r = run_aupc(cmd);
        cr_assert_eq(r.status, 0, "init %s: %s", kinds[i], r.err);
        run_free(&r);
        free(cmd);
        cmd = xasprintf("compile -q -o %s/out %s/%s.xml", dir, dir, kinds[i]);
        r = run_aupc(cmd);
        cr_expect_eq(r.status, 0, "starter for %s does not compile: %s", kinds[i], r.err);
        run_free(&r);
        free(cmd);
    }
    remove_tree(dir);
    free(dir);
}

Test(cli, statements_for_an_audience)
{
    run_result r = run_aupc("statements --audience pupil-ks2");
    cr_assert_eq(r.status, 0);
    cr_expect(strstr(r.out, "protect-logins [responsibility, core]"));
    cr_expect_null(strstr(r.out, "staff-mfa"), "staff statement shown to pupils");
    run_free(&r);
    r = run_aupc("statements --audience staff --format md");
    cr_assert_eq(r.status, 0);
    cr_expect(strstr(r.out, "# Statements for staff"));
    cr_expect(strstr(r.out, "staff-mfa"));
    run_free(&r);
    r = run_aupc("statements");
    cr_assert_eq(r.status, 0);
    cr_expect(strstr(r.out, "readers: pupil-early"));
    run_free(&r);
}

Test(cli, library_override)
{
    char *dir = make_tmpdir();
    char *file = xasprintf("%s/mine.xml", dir);
    write_text(file,
               "<library xmlns=\"urn:aupc:library:1\">\n"
               "  <statement id=\"only-one\" section=\"acceptable\" principles=\"positive\">\n"
               "    <text for=\"staff\">Enjoy the new laptops.</text>\n"
               "  </statement>\n</library>\n");
    char *args = xasprintf("statements --library %s", dir);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "only-one"));
    cr_expect_null(strstr(r.out, "protect-logins"));
    run_free(&r);
    write_text(file, "<library xmlns=\"urn:aupc:library:1\">\n  <statement id=\"x\"/>\n</library>\n");
    r = run_aupc(args);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "mine.xml:2:"), "%s", r.err);
    run_free(&r);
    free(args);
    free(file);
    remove_tree(dir);
    free(dir);
}

Test(cli, duplicate_statement_id_in_library)
{
    char *dir = make_tmpdir();
    static const char body[] =
        "<library xmlns=\"urn:aupc:library:1\">\n"
        "  <statement id=\"same\" section=\"acceptable\" principles=\"positive\">\n"
        "    <text for=\"staff\">One.</text>\n  </statement>\n</library>\n";
    char *a = xasprintf("%s/a.xml", dir), *b = xasprintf("%s/b.xml", dir);
    write_text(a, body);
    write_text(b, body);
    char *args = xasprintf("statements --library %s", dir);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "b.xml:2:14: error: statement id 'same' is already defined"),
              "%s", r.err);
    run_free(&r);
    free(args);
    free(a);
    free(b);
    remove_tree(dir);
    free(dir);
}

Test(cli, batch_compiles_a_folder_and_skips_a_bad_profile)
{
    char *dir = make_tmpdir();
    char *in = xasprintf("%s/in", dir);
    cr_assert_eq(mkdir(in, 0777), 0);
    static const char *const ids[] = {"school-a", "school-b", "school-c"};
    for (int i = 0; i < 3; i++) {
        char *id = xasprintf("id=\"%s\"", ids[i]);
        char *text = replace_once(base_profile, "id=\"test-school\"", id);
        char *path = xasprintf("%s/%s.xml", in, ids[i]);
        write_text(path, text);
        free(path);
        free(text);
        free(id);
    }
    char *bad = xasprintf("%s/broken.xml", in);
    write_text(bad, "<setting");
    char *args = xasprintf("compile -j 2 --format md -o %s/out %s", dir, in);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "broken.xml:1:"), "%s", r.err);
    cr_expect(strstr(r.err, "aupc: 3 profiles compiled, 1 failed: 6 documents, 6 files in"),
              "%s", r.err);
    for (int i = 0; i < 3; i++) {
        char *f = xasprintf("%s/out/%s/staff.md", dir, ids[i]);
        cr_expect(access(f, F_OK) == 0, "%s missing", f);
        free(f);
    }
    char *ls = xasprintf("ls %s/out", dir);
    run_result l = run_sh(ls);
    cr_expect_str_eq(l.out, "school-a\nschool-b\nschool-c\n", "something written for the bad one");
    run_free(&l);
    free(ls);
    run_free(&r);
    free(args);
    free(bad);
    free(in);
    remove_tree(dir);
    free(dir);
}

Test(cli, jobs_must_be_a_number)
{
    run_result r = run_aupc("compile -j zero x.xml");
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "-j wants a number"));
    run_free(&r);
}

Test(cli, starter_profiles_meet_every_principle)
{
    static const char *const kinds[] = {"primary", "secondary", "special", "youth-service",
                                        "library"};
    char *dir = make_tmpdir();
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *cmd = xasprintf("init --kind %s > %s/p.xml && '%s' check --today 2026-11-24 "
                              "--fail-level note -f gnu %s/p.xml", kinds[i], dir,
                              getenv("AUPC") ? getenv("AUPC") : AUPC_BUILD_ROOT "/aupc", dir);
        run_result r = run_aupc(cmd);
        /* every principle but one: the starter's example values are still in */
        cr_expect_eq(r.status, 1, "%s: %s%s", kinds[i], r.out, r.err);
        size_t found = 0;
        for (const char *l = r.out; *l; l = strchr(l, '\n') + 1) {
            const char *e = strchr(l, '\n');
            cr_assert(e);
            cr_expect(e - l > 14 && !strncmp(e - 13, "[placeholder]", 13), "%s: %.*s", kinds[i],
                      (int)(e - l), l);
            found++;
        }
        cr_expect_gt(found, 0, "%s: no placeholder finding", kinds[i]);
        run_free(&r);
        free(cmd);
    }
    remove_tree(dir);
    free(dir);
}

Test(cli, check_names_missing_incident_contacts)
{
    char *dir = make_tmpdir();
    char *profile = xasprintf("%s/p.xml", dir);
    write_text(profile, base_profile);
    char *args = xasprintf("check --today 2026-11-24 -f gnu --fail-level warning %s", profile);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 1);
    static const char *const needs[] = {"the police", "CEOP", "Internet Watch Foundation",
                                        "safeguarding partnership or the LADO"};
    for (int i = 0; i < 4; i++)
        cr_expect(strstr(r.out, needs[i]), "no warning for %s: %s", needs[i], r.out);
    cr_expect_null(strstr(r.out, "safeguarding lead ("), "the DSL is named: %s", r.out);
    run_free(&r);
    free(args);
    free(profile);
    remove_tree(dir);
    free(dir);
}

Test(cli, missing_profile_is_an_io_error)
{
    run_result r = run_aupc("compile -o /tmp/aupc-never /nonexistent/profile.xml");
    cr_expect_eq(r.status, 3);
    cr_expect_str_eq(r.err, "/nonexistent/profile.xml: error: cannot read the profile: "
                            "No such file or directory\n");
    run_free(&r);
}

Test(cli, repeated_setting_id_in_a_batch_warns)
{
    char *dir = make_tmpdir();
    char *a = xasprintf("%s/a.xml", dir), *b = xasprintf("%s/b.xml", dir);
    write_text(a, base_profile);
    write_text(b, base_profile);
    char *args = xasprintf("compile -q -j 1 -f md -o %s/out %s %s", dir, a, b);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 0);
    char *want = xasprintf("%s: warning: another profile in this run has the same setting id",
                           b);
    cr_expect(strstr(r.err, want), "%s", r.err);
    run_free(&r);
    free(want);
    free(args);
    free(a);
    free(b);
    remove_tree(dir);
    free(dir);
}

/* The library loads while the profiles are read, but its errors still
 * come first and alone: a broken profile in the same run says nothing,
 * and nothing is written. */
Test(cli, library_errors_come_first_and_alone)
{
    char *dir = make_tmpdir();
    char *lib = xasprintf("%s/lib", dir), *out = xasprintf("%s/out", dir);
    cr_assert_eq(mkdir(lib, 0755), 0);
    char *file = xasprintf("%s/broken.xml", lib);
    write_text(file, "<library xmlns=\"urn:aupc:library:1\">\n  <oops\n</library>\n");
    char *bad = xasprintf("%s/bad-profile.xml", dir);
    write_text(bad, "<setting>not a profile</setting>\n");
    char *args = xasprintf("compile --library %s -o %s %s examples/oakfield-primary.xml",
                           lib, out, bad);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect_eq(strncmp(r.err, file, strlen(file)), 0, "the library's error is not first: %s",
                 r.err);
    cr_expect_null(strstr(r.err, "bad-profile"), "a profile was reported: %s", r.err);
    cr_expect_null(strstr(r.err, "profiles compiled"), "%s", r.err);
    struct stat st;
    cr_expect_neq(stat(out, &st), 0, "the output folder was made");
    run_free(&r);
    free(args);
    free(bad);
    free(file);
    free(out);
    free(lib);
    remove_tree(dir);
    free(dir);
}

/* An empty font name is a mistake in the command, not a file that failed
 * to load: exit 2 with the usage message, and nothing compiled. */
Test(cli, empty_font_name_is_a_usage_error)
{
    static const char *const args[] = {"\"\"", "','", "',b.ttf'", "'r.ttf,'"};
    for (int i = 0; i < 4; i++) {
        char *a = xasprintf("compile --font %s -o /nonexistent/x examples/oakfield-primary.xml",
                            args[i]);
        run_result r = run_aupc(a);
        cr_expect_eq(r.status, 2, "%s: exit %d: %s", a, r.status, r.err);
        cr_expect(strstr(r.err, "aupc compile: error: --font wants a TrueType file, or two as "
                                "REGULAR.ttf,BOLD.ttf, not '"),
                  "%s: %s", a, r.err);
        cr_expect(strstr(r.err, "see aupc compile --help"), "%s: %s", a, r.err);
        run_free(&r);
        free(a);
    }
}
