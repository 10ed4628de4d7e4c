/* tools/lint-eval, the yardstick for aupc lint: the corpus's truth files are
 * valid and balanced, and the counts and figures are right, checked with a
 * stand-in linter whose verdicts are known. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util/io.h"

static run_result lint_eval(const char *args)
{
    char *cmd = xasprintf("cd '%s' && python3 tools/lint-eval %s", AUPC_SOURCE_ROOT, args);
    run_result r = run_sh(cmd);
    free(cmd);
    return r;
}

Test(lint_eval, corpus_truth_is_valid_and_balanced)
{
    if (!have_program("python3")) {
        cr_skip_test("python3 is not installed");
        return;
    }
    run_result r = lint_eval("--check --min-each 8 tests/lint/corpus");
    cr_expect_eq(r.status, 0, "lint-eval --check: %s%s", r.out, r.err);
    int drafts = 0;
    cr_expect_eq(sscanf(r.out, "%d drafts", &drafts), 1, "%s", r.out);
    cr_expect_geq(drafts, 44, "only %d drafts in the corpus", drafts);
    run_free(&r);
}

/* A stand-in for aupc: prints NAME.fake.json for the draft NAME.md, with the
 * audience replaced by --audience when that is given. */
static const char fake_aupc[] =
    "#!/usr/bin/env python3\n"
    "import json, sys\n"
    "args = sys.argv[1:]\n"
    "doc = json.load(open(args[-1][:-3] + '.fake.json'))\n"
    "if '--audience' in args:\n"
    "    doc['files'][0]['audience'] = args[args.index('--audience') + 1]\n"
    "print(json.dumps(doc))\n"
    "sys.exit(1)\n";

static const char draft_a[] =
    "<!-- aupc: audience=pupil-ks2 approved=2026-09-01 next-review=2027-09-01 -->\n\n# A\n";
static const char truth_a[] =
    "audience: pupil-ks2\n"
    "monitoring: missing\nsanctions: met\nschool-tech: met\npersonal-tech: missing\n"
    "positive: met\ncommunicated: met\n"
    "approved: 2026-09\nnext-review: 2027-09\n"
    "why: monitoring: nothing on watching\nwhy: personal-tech: no phones\n";
static const char json_a[] =
    "{\"version\": 1, \"files\": [{\"file\": \"a.md\", \"audience\": \"pupil-ks2\", \"principles\": ["
    "{\"id\": \"monitoring\", \"status\": \"fail\"},"
    "{\"id\": \"sanctions\", \"status\": \"fail\"},"
    "{\"id\": \"school-tech\", \"status\": \"pass\"},"
    "{\"id\": \"personal-tech\", \"status\": \"pass\"},"
    "{\"id\": \"positive\", \"status\": \"n/a\"},"
    "{\"id\": \"communicated\", \"status\": \"warning\"},"
    "{\"id\": \"review\", \"status\": \"pass\", \"evidence\": "
    "\"approved 1 September 2026, next review 1 September 2027 (12-month cycle)\"}]}]}\n";

static const char draft_b[] = "# B\n\nYour child will use the school laptops.\n";
static const char truth_b[] =
    "audience: parent\n"
    "monitoring: met\nsanctions: missing\nschool-tech: missing\npersonal-tech: met\n"
    "positive: missing\ncommunicated: met\n"
    "approved: none\nnext-review: 2027-09\n"
    "why: sanctions: none\nwhy: school-tech: none\nwhy: positive: none\n";
static const char json_b[] =
    "{\"version\": 1, \"files\": [{\"file\": \"b.md\", \"audience\": \"pupil-ks2\","
    " \"next_review\": \"2027-09-01\", \"principles\": ["
    "{\"id\": \"monitoring\", \"status\": \"pass\"},"
    "{\"id\": \"sanctions\", \"status\": \"fail\"},"
    "{\"id\": \"school-tech\", \"status\": \"n/a\"},"
    "{\"id\": \"personal-tech\", \"status\": \"pass\"},"
    "{\"id\": \"positive\", \"status\": \"warning\"},"
    "{\"id\": \"communicated\", \"status\": \"pass\"}]}]}\n";

static char *fixture(void)
{
    char *dir = make_tmpdir();
    struct { const char *name, *text; } files[] = {
        {"aupc", fake_aupc},
        {"a.md", draft_a}, {"a.truth", truth_a}, {"a.fake.json", json_a},
        {"b.md", draft_b}, {"b.truth", truth_b}, {"b.fake.json", json_b},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *path = xasprintf("%s/%s", dir, files[i].name);
        write_text(path, files[i].text);
        free(path);
    }
    char *cmd = xasprintf("chmod +x '%s/aupc'", dir);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0);
    run_free(&r);
    free(cmd);
    return dir;
}

/* lint-eval OPTIONS over the fixture folder DIR, with its stand-in linter. */
static run_result lint_eval_fixture(const char *dir, const char *options)
{
    char *args = xasprintf("%s --aupc '%s/aupc' '%s'", options, dir, dir);
    run_result r = lint_eval(args);
    free(args);
    return r;
}

static void expect_line(const char *out, const char *line)
{
    char *flat = squash_space(out);
    cr_expect(strstr(flat, line), "no \"%s\" in:\n%s", line, out);
    free(flat);
}

Test(lint_eval, counts_and_figures)
{
    if (!have_program("python3")) {
        cr_skip_test("python3 is not installed");
        return;
    }
    char *dir = fixture();
    run_result r = lint_eval_fixture(dir, "");
    cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
    /* principle TP FP FN TN n/a, finding P and R, met P and R; then the
     * audience and review dates of the declared draft a and the undeclared b */
    static const char *const want[] = {
        "monitoring 1 0 0 1 0 100.0% 100.0% 100.0% 100.0% met",
        "sanctions 1 1 0 0 0 50.0% 100.0% - 0.0% missed",
        "school-tech 0 0 1 1 0 - 0.0% 100.0% 100.0% missed",
        "personal-tech 0 0 1 1 0 - 0.0% 50.0% 100.0% missed",
        "positive 1 0 0 0 1 100.0% 100.0% - 0.0% met",
        "communicated 0 1 0 1 0 0.0% - 100.0% 50.0% missed",
        "overall 3 2 2 4 1 60.0% 60.0% 80.0% 57.1%",
        "audience, named in the metadata comment: 1/1 exact",
        "audience, inferred by the linter: 0/1 exact (0.0%), 0/1 reader group",
        "review dates from the metadata comment: approved 1/1 (100.0%), next review 1/1",
        "review dates printed in the text or absent: approved 1/1 (100.0%), next review 1/1",
        "missed on: sanctions, school-tech, personal-tech, communicated",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        expect_line(r.out, want[i]);
    run_free(&r);

    r = lint_eval_fixture(dir, "--strict --supply-audience");
    cr_expect_eq(r.status, 1, "--strict with missed targets: exit %d", r.status);
    expect_line(r.out, "audience, supplied from the truth: 1/1 exact");
    run_free(&r);

    /* A missing principle without its reason is refused. */
    char *path = xasprintf("%s/b.truth", dir);
    char *bad = replace_once(truth_b, "why: positive: none\n", "");
    write_text(path, bad);
    r = lint_eval_fixture(dir, "");
    cr_expect_eq(r.status, 2, "bad truth file: exit %d", r.status);
    cr_expect(strstr(r.err, "positive is missing but no 'why: positive: ...' line"), "%s", r.err);
    run_free(&r);
    free(bad);
    free(path);
    remove_tree(dir);
    free(dir);
}
