/* The command line as a newcomer and a CI job meet it: usage errors and
 * "did you mean", help for a command, inputs that will not load in every
 * format, lint over folders and globs, .aupc.ini, and the line-level
 * waivers. Each test runs the real binary and checks the exit status and
 * the exact message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audience.h"
#include "format.h"
#include "helpers.h"
#include "util/io.h"

/* Run aupc in DIR with ARGS. */
static run_result run_in(const char *dir, const char *args)
{
    const char *bin = getenv("AUPC");
    char *fallback = xasprintf("%s/aupc", AUPC_BUILD_ROOT);
    char *cmd = xasprintf("cd '%s' && NO_COLOR=1 '%s' %s </dev/null", dir, bin ? bin : fallback,
                          args);
    run_result r = run_sh(cmd);
    free(cmd);
    free(fallback);
    return r;
}

static void expect_usage(const char *args, const char *err)
{
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 2, "aupc %s: status %d", args, r.status);
    cr_expect_str_eq(r.err, err, "aupc %s", args);
    cr_expect_str_eq(r.out, "", "aupc %s", args);
    run_free(&r);
}

Test(usage, one_line_and_did_you_mean)
{
    expect_usage("lnit", "aupc: error: unknown command 'lnit': did you mean lint?\n"
                         "see aupc --help\n");
    /* every command of the usage, serve and help included */
    expect_usage("principles", "aupc: error: unknown command 'principles': expected compile, "
                               "check, lint, statements, init, diff, serve or help\n"
                               "see aupc --help\n");
    expect_usage("", "aupc: error: no command given: expected compile, check, lint, "
                     "statements, init, diff, serve or help\nsee aupc --help\n");
    /* The lists of audiences and formats are the tables'. */
    char *readers = audience_list(AUDIENCE_LIST_READERS, ", ", " or ");
    char *ids = audience_list(AUDIENCE_LIST_IDS, ", ", " or ");
    char *formats = format_list(FORMAT_FOR_CHECK, ", ", " or ");
    char *want = xasprintf("aupc statements: error: unknown audience 'pupl': did you mean pupil? "
                           "(expected %s, with -easy for easy read)\nsee aupc statements --help\n",
                           readers);
    expect_usage("statements -a pupl", want);
    free(want);
    expect_usage("lint --formt sarif x.md",
                 "aupc lint: error: unknown option '--formt': did you mean --format?\n"
                 "see aupc lint --help\n");
    expect_usage("check --fail-levl warning x.xml",
                 "aupc check: error: unknown option '--fail-levl': did you mean --fail-level?\n"
                 "see aupc check --help\n");
    expect_usage("lint -f", "aupc lint: error: option -f needs a value\nsee aupc lint --help\n");
    expect_usage("lint --fail-level warn x.md",
                 "aupc lint: error: unknown --fail-level 'warn': did you mean warning? "
                 "(expected note, warning or error)\nsee aupc lint --help\n");
    expect_usage("init --kind secondry",
                 "aupc init: error: unknown kind 'secondry': did you mean secondary? (expected "
                 "primary, secondary, all-through, special, college, early-years, "
                 "youth-service, library or children-services)\nsee aupc init --help\n");
    want = xasprintf("aupc lint: error: unknown audience 'pupil-ks5': did you mean pupil-ks2? "
                     "(expected %s, with -easy for easy read)\nsee aupc lint --help\n", ids);
    expect_usage("lint -a pupil-ks5 x.md", want);
    free(want);
    want = xasprintf("aupc check: error: unknown format 'jsn': did you mean json? (expected %s)\n"
                     "see aupc check --help\n", formats);
    expect_usage("check -f jsn x.xml", want);
    free(want);
    free(readers);
    free(ids);
    free(formats);
    expect_usage("compile -o - x.xml",
                 "aupc compile: error: -o names a folder, and compile writes several files "
                 "into it: standard output (-) cannot hold them\nsee aupc compile --help\n");
    expect_usage("diff -o - a.xml b.xml",
                 "aupc diff: error: -o - is not a file: leave -o out to write to standard "
                 "output\nsee aupc diff --help\n");
}

Test(usage, help_for_a_command_and_formats_in_any_case)
{
    run_result a = run_aupc("help lint"), b = run_aupc("lint --help");
    cr_expect_eq(a.status, 0);
    cr_expect_str_eq(a.out, b.out);
    cr_expect(strstr(a.out, "usage: aupc lint"), "%s", a.out);
    run_free(&a);
    run_free(&b);
    expect_usage("help lnt", "aupc: error: unknown command 'lnt': did you mean lint?\n"
                             "see aupc --help\n");
    /* the usage names every command the table has */
    run_result u = run_aupc("help");
    cr_expect_eq(u.status, 0);
    cr_expect(strstr(u.out, "\n  serve                 the questionnaire"), "%s", u.out);
    cr_expect(strstr(u.out, "\n  help [COMMAND]        this help, or a command's own\n"), "%s",
              u.out);
    run_free(&u);
    char *dir = make_tmpdir();
    run_result r = run_in(dir, "init --kind primary --id pdf-case > p.xml && aupc_q=1 true");
    run_free(&r);
    r = run_in(dir, "compile -q -f PDF,Md -o out p.xml");
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *pdf = xasprintf("%s/out/pdf-case/staff.pdf", dir);
    char *md = xasprintf("%s/out/pdf-case/staff.md", dir);
    struct stat st;
    cr_expect_eq(stat(pdf, &st), 0, "no %s", pdf);
    cr_expect_eq(stat(md, &st), 0, "no %s", md);
    free(pdf);
    free(md);
    run_free(&r);
    remove_tree(dir);
    free(dir);
}

Test(usage, one_warning_for_many_profiles)
{
    char *dir = make_tmpdir();
    run_result r = run_in(dir, "init --kind primary --id a > a.xml");
    run_free(&r);
    r = run_sh(xasprintf("cd '%s' && for i in b c d; do sed \"s/id=\\\"a\\\"/id=\\\"$i\\\"/\" a.xml "
                         "> $i.xml; done", dir));
    run_free(&r);
    r = run_in(dir, "compile -q -f md -o out a.xml b.xml c.xml d.xml");
    cr_expect_eq(r.status, 0, "%s", r.err);
    /* a starter's eight example values are warned about for one profile,
     * whichever finishes first, then counted */
    size_t lines = 0;
    for (const char *p = r.err; (p = strstr(p, ": warning: ")); p++)
        lines++;
    cr_expect_eq(lines, 8, "%s", r.err);
    cr_expect(strstr(r.err, "aupc: 24 more warnings, each the same as one above but for "
                            "another profile, are not repeated\n"), "%s", r.err);
    run_free(&r);
    remove_tree(dir);
    free(dir);
}

/* A profile and a draft that will not load, checked in every format. */
Test(load_errors, every_machine_format_reports_them)
{
    char *dir = make_tmpdir();
    char *bad = xasprintf("%s/bad.xml", dir);
    write_text(bad, "<setting xmlns=\"urn:aupc:profile:1\" id=\"x\">\n  <name>Smith & Jones</name>\n");
    free(bad);
    struct { const char *args, *want; } cases[] = {
        {"check -f junit bad.xml", "<testsuites name=\"aupc\" tests=\"1\" failures=\"0\" errors=\"1\">"},
        {"check -f junit bad.xml", "<error type=\"load\" message=\"the file ends before &lt;/setting&gt;: was it saved completely?\">"},
        {"check -f json bad.xml", "\"summary\": {\"errors\": 1, \"warnings\": 0, \"notes\": 0}"},
        {"check -f json bad.xml", "{\"file\": \"bad.xml\", \"line\": 2, \"column\": 29, \"severity\": \"error\", \"rule\": \"load\", \"message\": \"the file ends before </setting>: was it saved completely?\"}"},
        {"check -f sarif bad.xml", "\"invocations\": [{\"executionSuccessful\": false}]"},
        {"check -f sarif bad.xml", "{\"ruleId\": \"load\", \"ruleIndex\": "},
        {"check -f github bad.xml", "::error file=bad.xml,line=2,col=29,title=load::the file ends before </setting>: was it saved completely?\n"},
        {"lint -f junit missing.md", "<testcase classname=\"missing.md\" name=\"load\">"},
        {"lint -f junit missing.md", "errors=\"1\">"},
        {"lint -f json missing.md", "\"summary\": {\"errors\": 1,"},
        {"lint -f github missing.md", "::error file=missing.md,title=load::cannot read the draft: No such file or directory"},
        {"diff -f json bad.xml bad.xml", "\"identical\": null,\n  \"errors\": [\n    {\"file\": \"bad.xml\", \"line\": 2, \"column\": 29, \"rule\": \"load\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = run_in(dir, cases[i].args);
        cr_expect(r.status == 1 || r.status == 3, "%s: status %d", cases[i].args, r.status);
        cr_expect(strstr(r.out, cases[i].want), "%s: no\n%s\nin\n%s", cases[i].args,
                  cases[i].want, r.out);
        run_free(&r);
    }
    remove_tree(dir);
    free(dir);
}

Test(load_errors, a_word_file_gets_one_finding)
{
    char *dir = make_tmpdir();
    char *docx = xasprintf("%s/policy.md", dir);
    static const char zip[] = "PK\003\004\024\000\006\000word/document.xml\000\000";
    write_bytes(docx, zip, sizeof zip - 1);
    char *utf16 = xasprintf("%s/utf16.md", dir);
    static const char wide[] = "\377\376#\000 \000A\000U\000P\000";
    write_bytes(utf16, wide, sizeof wide - 1);
    run_result r = run_in(dir, "lint --today 2026-11-24 policy.md utf16.md");
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.out, "policy.md:1:1: error: the draft is a Word document (.docx), not "
                            "text: save it as plain text or Markdown (for example `pandoc -t "
                            "commonmark draft.docx -o draft.md`) [not-text]\n"
                            "utf16.md:1:1: error: the draft is UTF-16 text: save it as UTF-8 (in "
                            "Word: Save As, Plain Text, Unicode (UTF-8)) [not-text]\n");
    run_free(&r);
    r = run_in(dir, "lint --today 2026-11-24 -f json policy.md");
    cr_expect(strstr(r.out, "\"summary\": {\"errors\": 1, \"warnings\": 0, \"notes\": 0}"), "%s",
              r.out);
    run_free(&r);
    free(docx);
    free(utf16);
    remove_tree(dir);
    free(dir);
}

/* A draft that meets every principle, for a pupil in Key Stage 2. */
static char *clean_draft(void)
{
    char *p = src_path("tests/lint/clean.md");
    char *t = slurp(p);
    cr_assert_not_null(t, "%s", p);
    free(p);
    return t;
}

Test(lint_files, folders_globs_and_the_config)
{
    char *dir = make_tmpdir();
    char *clean = clean_draft();
    run_result r = run_sh(xasprintf("mkdir -p '%s/policies/pupils' '%s/policies/archive' "
                                    "'%s/policies/community'", dir, dir, dir));
    run_free(&r);
    char *p1 = xasprintf("%s/policies/pupils/ks2-rules.md", dir);
    char *p2 = xasprintf("%s/policies/archive/old.md", dir);
    char *p3 = xasprintf("%s/policies/community/hall-hire.md", dir);
    write_text(p1, clean);
    write_text(p2, "# Old rules\n\nNothing here.\n");
    /* no metadata comment: the config names the reader */
    const char *body = strstr(clean, "-->\n") + 4;
    write_text(p3, body);
    /* the README's .aupc.ini, as it is printed there */
    char *readme = slurp(src_path("README.md"));
    const char *ini = strstr(readme, "```ini\n");
    cr_assert_not_null(ini);
    ini += 7;
    const char *end = strstr(ini, "```");
    char *cfg = xasprintf("%s/.aupc.ini", dir);
    write_bytes(cfg, ini, (size_t)(end - ini));

    /* nothing named: the files= globs; the archive is ignored */
    r = run_in(dir, "lint --today 2026-11-24 -f json");
    cr_expect(strstr(r.out, "\"file\": \"policies/pupils/ks2-rules.md\""), "%s", r.out);
    cr_expect(strstr(r.out, "\"file\": \"policies/community/hall-hire.md\""), "%s", r.out);
    cr_expect_null(strstr(r.out, "archive"), "%s", r.out);
    /* the [disable] line waives concise for the hall hire terms, with its reason */
    cr_expect(strstr(r.out, "{\"id\": \"concise\", \"status\": \"waived\""), "%s", r.out);
    cr_expect(strstr(r.out, "\"waiver\": \"the hire terms are an annex the hirer signs\"}"),
              "%s", r.out);
    run_free(&r);
    /* a folder, from below the config; the [audience] line is used */
    r = run_in(dir, "lint --today 2026-11-24 -f json policies/community");
    cr_expect(strstr(r.out, "\"file\": \"policies/community/hall-hire.md\",\n      "
                            "\"audience\": \"community\""), "%s", r.out);
    run_free(&r);
    /* a quoted glob */
    r = run_in(dir, "lint --today 2026-11-24 -f json 'policies/**/ks2-*.md'");
    cr_expect(strstr(r.out, "\"file\": \"policies/pupils/ks2-rules.md\""), "%s", r.out);
    cr_expect_null(strstr(r.out, "hall-hire"), "%s", r.out);
    run_free(&r);
    r = run_in(dir, "lint 'policies/**/none-*.md'");
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, "policies/**/none-*.md: error: no .md file matches this pattern "
                            "[load]\n");
    run_free(&r);
    /* a mistake in the config is reported at its line */
    write_text(cfg, "[lint]\nfail-level = sometimes\n");
    r = run_in(dir, "lint policies/pupils/ks2-rules.md");
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, ".aupc.ini:2:1: error: fail-level 'sometimes' is not a level: "
                            "write note, warning or error\n");
    run_free(&r);
    r = run_in(dir, "lint --no-config --today 2026-11-24 policies/pupils/ks2-rules.md");
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    write_text(cfg, "[disable]\npolicies/** = concise\n");
    r = run_in(dir, "lint policies/pupils/ks2-rules.md");
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, ".aupc.ini:2:1: error: the principles switched off for policies/** "
                            "need a reason: write policies/** = ID: why\n");
    run_free(&r);
    /* the starter parses as it is printed */
    r = run_in(dir, "lint --init-config > .aupc.ini && true");
    run_free(&r);
    r = run_in(dir, "lint --today 2026-11-24 policies/pupils/ks2-rules.md");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.err, "");
    run_free(&r);
    free(cfg);
    free(readme);
    free(p1);
    free(p2);
    free(p3);
    free(clean);
    remove_tree(dir);
    free(dir);
}

Test(lint_files, min_level_hides_notes)
{
    char *d = src_path("tests/lint/tone.md");
    char *args = xasprintf("lint --today 2026-11-24 %s", d);
    run_result r = run_aupc(args);
    cr_expect(strstr(r.out, ": note: hard sentence"), "%s", r.out);
    run_free(&r);
    free(args);
    args = xasprintf("lint --today 2026-11-24 --min-level warning %s", d);
    r = run_aupc(args);
    cr_expect_null(strstr(r.out, ": note: "), "%s", r.out);
    cr_expect(strstr(r.out, ": warning: reading level is Flesch-Kincaid grade"), "%s", r.out);
    run_free(&r);
    free(args);
    free(d);
}

Test(lint_files, disable_next_line_and_ranges)
{
    char *src = slurp(src_path("tests/lint/tone.md"));
    cr_assert_not_null(src);
    const char *hard = strstr(src, "- I will participate enthusiastically");
    cr_assert_not_null(hard);
    const char *serious = strstr(src, "Serious things follow");
    cr_assert_not_null(serious);
    char *draft = xasprintf("%.*s<!-- aupc-disable-next-line tone: the council chose these "
                            "words -->\n%.*s<!-- aupc-disable tone -->\n%s\n"
                            "<!-- aupc-enable tone -->\n",
                            (int)(hard - src), src, (int)(serious - hard), hard, serious);
    char *dir = make_tmpdir();
    char *path = xasprintf("%s/d.md", dir);
    write_text(path, draft);
    /* without the comments, the long rule and the closing line have findings */
    char *plain = xasprintf("lint --today 2026-11-24 %s", src_path("tests/lint/tone.md"));
    run_result r = run_in(dir, plain);
    cr_expect(strstr(r.out, "\"I will participate enthusiastically"), "%s", r.out);
    cr_expect(strstr(r.out, "\"Serious things follow"), "%s", r.out);
    run_free(&r);
    free(plain);
    r = run_in(dir, "lint --today 2026-11-24 d.md");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_null(strstr(r.out, "participate"), "%s", r.out);
    cr_expect_null(strstr(r.out, "Serious things"), "%s", r.out);
    cr_expect_null(strstr(r.out, "[waiver]"), "%s", r.out);
    cr_expect(strstr(r.out, "[tone]"), "the findings before the range stay: %s", r.out);
    run_free(&r);
    write_text(path, "<!-- aupc-enable tone -->\n");
    r = run_in(dir, "lint --today 2026-11-24 -a staff d.md");
    cr_expect(strstr(r.out, "d.md:1:1: warning: aupc-enable tone has no aupc-disable tone "
                            "before it [waiver]"), "%s", r.out);
    run_free(&r);
    free(path);
    free(draft);
    free(src);
    remove_tree(dir);
    free(dir);
}

Test(check_files, a_folder_of_profiles)
{
    char *dir = make_tmpdir();
    run_result r = run_sh(xasprintf("mkdir '%s/profiles' && cp '%s' '%s' '%s/profiles/'", dir,
                                    src_path("examples/oakfield-primary.xml"),
                                    src_path("examples/riverside-academy.xml"), dir));
    run_free(&r);
    r = run_in(dir, "check --today 2026-11-24 -f json profiles");
    cr_expect(strstr(r.out, "\"file\": \"profiles/riverside-academy.xml\""), "%s", r.err);
    cr_expect(strstr(r.out, "\"file\": \"profiles/oakfield-primary.xml\""), "%s", r.err);
    run_free(&r);
    remove_tree(dir);
    free(dir);
}
