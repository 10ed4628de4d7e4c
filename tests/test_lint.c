/* aupc lint and aupc check from the command line: the golden drafts in
 * tests/lint/, every output format parsed back, exit codes, and the promise
 * that everything aupc compiles lints clean. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "helpers.h"
#include "util/io.h"

#define TODAY "--today 2026-11-24"

static char *aupc_bin(void)
{
    const char *bin = getenv("AUPC");
    return bin ? xstrdup(bin) : xasprintf("%s/aupc", AUPC_BUILD_ROOT);
}

/* Run aupc ARGS from the source root, so paths in the output are relative. */
static run_result lint_in_root(const char *args)
{
    char *bin = aupc_bin();
    char *cmd = xasprintf("cd '%s' && '%s' %s", AUPC_SOURCE_ROOT, bin, args);
    run_result r = run_sh(cmd);
    free(cmd);
    free(bin);
    return r;
}

/* Run a Python check over FILE; the script asserts. */
static void python_check(const char *script, const char *file)
{
    if (!have_program("python3")) {
        cr_skip_test("python3 is not installed");
        return;
    }
    char *dir = make_tmpdir();
    char *py = xasprintf("%s/check.py", dir);
    write_text(py, script);
    char *cmd = xasprintf("python3 '%s' '%s'", py, file);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "python check failed:\n%s%s", r.out, r.err);
    run_free(&r);
    free(cmd);
    free(py);
    remove_tree(dir);
    free(dir);
}

Test(lint, golden_drafts)
{
    char *dirpath = src_path("tests/lint");
    DIR *dir = opendir(dirpath);
    cr_assert_not_null(dir);
    int n = 0, clean = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0)
            continue;
        char *stem = xstrndup(e->d_name, len - 3);
        char *exp_path = xasprintf("%s/%s.expected", dirpath, stem);
        char *want = slurp(exp_path);
        cr_assert_not_null(want, "missing %s", exp_path);
        char *args = xasprintf("lint " TODAY " --fail-level note tests/lint/%s.md", stem);
        run_result r = lint_in_root(args);
        cr_expect_str_eq(r.out, want, "tests/lint/%s.md: output differs", stem);
        cr_expect_eq(r.status, *want ? 1 : 0, "tests/lint/%s.md: exit %d", stem, r.status);
        cr_expect_str_eq(r.err, "", "tests/lint/%s.md: stderr: %s", stem, r.err);
        if (!*want)
            clean++;
        n++;
        run_free(&r);
        free(args);
        free(want);
        free(exp_path);
        free(stem);
    }
    closedir(dir);
    free(dirpath);
    cr_expect_geq(n, 12, "only %d drafts", n);
    cr_expect_geq(clean, 1, "no clean draft");
}

/* Every principle is failed by at least one golden draft and passed by the clean one. */
Test(lint, goldens_cover_every_principle)
{
    static const char *const ids[] = {
        "concise", "setting", "input", "tone", "positive", "school-tech", "personal-tech",
        "monitoring", "sanctions", "review", "communicated", "core-", "metadata", "waiver",
    };
    run_result r = lint_in_root("lint " TODAY " tests/lint/*.md");
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *tag = xasprintf("[%s", ids[i]);
        cr_expect(strstr(r.out, tag), "no draft fails %s", ids[i]);
        free(tag);
    }
    cr_expect_eq(r.status, 1);
    run_free(&r);
}

Test(lint, flags_stand_in_for_the_comment)
{
    run_result r = lint_in_root("lint " TODAY " --audience pupil-ks2 --approved 2026-09-01 "
                                "--next-review 2027-09-01 tests/lint/no-metadata.md");
    cr_expect_str_eq(r.out, "");
    cr_expect_eq(r.status, 0);
    run_free(&r);
    /* the flag wins over the comment: tone.md is too hard for the early
       years, but not for staff */
    r = lint_in_root("lint " TODAY " --audience staff tests/lint/tone.md");
    cr_expect(!strstr(r.out, "[tone]"), "%s", r.out);
    cr_expect_eq(r.status, 0);
    run_free(&r);
}

Test(lint, exit_codes_follow_fail_level)
{
    static const struct {
        const char *args;
        int status;
    } cases[] = {
        {"lint " TODAY " tests/lint/clean.md", 0},
        {"lint " TODAY " --fail-level note tests/lint/clean.md", 0},
        {"lint " TODAY " tests/lint/setting.md", 0},                    /* a warning */
        {"lint " TODAY " --fail-level warning tests/lint/setting.md", 1},
        {"lint " TODAY " --fail-level note tests/lint/setting.md", 1},
        {"lint " TODAY " --fail-level error tests/lint/review.md", 1},  /* errors */
        {"lint " TODAY " tests/lint/personal-tech.md", 1},
        {"lint " TODAY " --fail-level error tests/lint/tone.md", 0},    /* warning and notes */
        {"lint " TODAY " --fail-level fatal tests/lint/clean.md", 2},
        {"lint " TODAY " --format xml tests/lint/clean.md", 2},
        {"lint " TODAY " --audience pupil-ks9 tests/lint/clean.md", 2},
        {"lint --today 2026-02-30 tests/lint/clean.md", 2},
        {"lint", 2},
        {"lint " TODAY " tests/lint/no-such-draft.md", 3},
        {"lint " TODAY " tests/lint/clean.md tests/lint/no-such-draft.md", 3},
        {"check --fail-level fatal examples/oakfield-primary.xml", 2},
        {"check --format sarif-ish examples/oakfield-primary.xml", 2},
        {"check", 2},
        {"check " TODAY " examples/no-such-profile.xml", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = lint_in_root(cases[i].args);
        cr_expect_eq(r.status, cases[i].status, "'aupc %s' gave %d, want %d\n%s%s", cases[i].args,
                     r.status, cases[i].status, r.out, r.err);
        run_free(&r);
    }
    run_result r = lint_in_root("lint --help");
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "usage: aupc lint"));
    run_free(&r);
    r = lint_in_root("check --help");
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "usage: aupc check"));
    run_free(&r);
}

/* Readability in the json output, against counts worked out by hand. The
 * heading is read too (as check reads a compiled document), though it is
 * never listed as a hard sentence:
 *   "Rules"                    1 word,  1 syllable
 *   "We monitor the network."  4 words, 1+3+1+2 = 7 syllables, 1 polysyllable
 *   "Do not share passwords."  4 words, 1+1+1+2 = 5 syllables
 * 3 sentences, 9 words, 13 syllables: 3 words a sentence, 13/9 syllables a
 * word, so FK = 0.39*3 + 11.8*13/9 - 15.59 = 2.6244, Flesch reading ease =
 * 206.835 - 1.015*3 - 84.6*13/9 = 81.5900, SMOG = 1.0430*sqrt(30/3) +
 * 3.1291 = 6.4274. */
Test(lint, json_readability_by_hand)
{
    char *dir = make_tmpdir();
    char *md = xasprintf("%s/small.md", dir);
    write_text(md, "<!-- aupc: audience=staff approved=2026-09-01 next-review=2027-09-01 -->\n\n"
                   "# Rules\n\nWe monitor the network. Do not share passwords.\n");
    char *out = xasprintf("%s/out.json", dir);
    char *args = xasprintf("lint " TODAY " --format json '%s' > '%s'", md, out);
    run_result r = lint_in_root(args);
    cr_expect_eq(r.status, 1, "the small draft breaks several principles");
    run_free(&r);
    python_check(
        "import json, sys\n"
        "d = json.load(open(sys.argv[1]))\n"
        "assert d['version'] == 1, d['version']\n"
        "assert d['tool']['name'] == 'aupc'\n"
        "f = d['files'][0]\n"
        "assert f['audience'] == 'staff'\n"
        "m = f['readability']\n"
        "assert (m['sentences'], m['words'], m['syllables'], m['polysyllables']) == (3, 9, 13, 1), m\n"
        "near = lambda a, b: abs(a - b) < 0.001\n"
        "assert near(m['words_per_sentence'], 3.0), m\n"
        "assert near(m['fk_grade'], 2.6244), m\n"
        "assert near(m['flesch_reading_ease'], 81.59), m\n"
        "assert near(m['smog'], 6.4274), m\n"
        "ids = [p['id'] for p in f['principles']]\n"
        "assert ids[:11] == ['concise', 'setting', 'input', 'tone', 'positive', 'school-tech',"
        " 'personal-tech', 'monitoring', 'sanctions', 'review', 'communicated'], ids\n"
        "k = [i.startswith('core-') for i in ids].index(True)\n"
        "assert k >= 14 and all(i.startswith('core-') for i in ids[k:]), ids\n"
        "assert 'placeholder' in ids[:k], ids\n"
        "st = {p['id']: p['status'] for p in f['principles']}\n"
        "assert st['tone'] == 'pass' and st['review'] == 'pass' and st['sanctions'] == 'fail', st\n"
        "for g in f['diagnostics']:\n"
        "    assert g['severity'] in ('note', 'warning', 'error') and g['line'] >= 1, g\n"
        "    assert isinstance(g['message'], str) and g['rule'], g\n"
        "s = d['summary']\n"
        "assert s['errors'] == sum(g['severity'] == 'error' for g in f['diagnostics'])\n",
        out);
    free(args);
    free(out);
    free(md);
    remove_tree(dir);
    free(dir);
}

Test(lint, json_escapes_awkward_text)
{
    char *dir = make_tmpdir();
    char *md = xasprintf("%s/odd \"name\".md", dir);
    write_text(md, "# Tab\there \\ \"quoted\" and \x01 control\n");
    char *out = xasprintf("%s/out.json", dir);
    char *args = xasprintf("lint " TODAY " -f json '%s' > '%s'", md, out);
    run_result r = lint_in_root(args);
    run_free(&r);
    python_check("import json, sys\n"
                 "d = json.load(open(sys.argv[1]))\n"
                 "assert d['files'][0]['file'].endswith('odd \"name\".md')\n",
                 out);
    free(args);
    free(out);
    free(md);
    remove_tree(dir);
    free(dir);
}

Test(lint, sarif_fields)
{
    char *dir = make_tmpdir();
    char *out = xasprintf("%s/out.sarif", dir);
    char *args = xasprintf("lint " TODAY " -f sarif ./tests/lint/sanctions.md "
                           "tests/lint/metadata.md > '%s'", out);
    run_result r = lint_in_root(args);
    cr_expect_eq(r.status, 1);
    run_free(&r);
    python_check(
        "import json, sys\n"
        "d = json.load(open(sys.argv[1]))\n"
        "assert d['version'] == '2.1.0' and 'sarif' in d['$schema']\n"
        "drv = d['runs'][0]['tool']['driver']\n"
        "assert drv['name'] == 'aupc' and drv['version'] and drv.get('informationUri', 'https://').startswith('https://')\n"
        "rules = {x['id']: x for x in drv['rules']}\n"
        "for i in ['concise', 'sanctions', 'review', 'core-own-use', 'metadata', 'waiver']:\n"
        "    x = rules[i]\n"
        "    assert x['shortDescription']['text'] and x['fullDescription']['text'] and x['help']['text'], x\n"
        "res = d['runs'][0]['results']\n"
        "assert res, 'no results'\n"
        "for x in res:\n"
        "    assert x['ruleId'] in rules, x\n"
        "    assert drv['rules'][x['ruleIndex']]['id'] == x['ruleId']\n"
        "    assert x['level'] in ('note', 'warning', 'error')\n"
        "    assert x['message']['text']\n"
        "    loc = x['locations'][0]['physicalLocation']\n"
        "    uri = loc['artifactLocation']['uri']\n"
        "    assert uri in ('tests/lint/sanctions.md', 'tests/lint/metadata.md'), uri\n"
        "    assert loc['region']['startLine'] >= 1\n"
        "    assert x['partialFingerprints']['primaryLocationLineHash']\n"
        "s = [x for x in res if x['ruleId'] == 'sanctions']\n"
        "assert len(s) == 1 and s[0]['level'] == 'error', s\n"
        "fps = [x['partialFingerprints']['primaryLocationLineHash'] for x in res]\n"
        "assert len(set(fps)) == len(fps), fps\n",
        out);
    free(args);
    free(out);
    remove_tree(dir);
    free(dir);
}

/* Fingerprints follow the text, not the line number. */
Test(lint, sarif_fingerprints_survive_moved_lines)
{
    char *dir = make_tmpdir();
    char *src = src_path("tests/lint/setting.md");
    char *text = slurp(src);
    free(src);
    cr_assert_not_null(text);
    char *a = xasprintf("%s/a", dir), *b = xasprintf("%s/b", dir);
    char *mk = xasprintf("mkdir -p '%s' '%s'", a, b);
    run_result r = run_sh(mk);
    run_free(&r);
    char *fa = xasprintf("%s/draft.md", a), *fb = xasprintf("%s/draft.md", b);
    write_text(fa, text);
    char *moved = replace_once(text, "# Our rules", "\n\n# Our rules");
    write_text(fb, moved);
    char *bin = aupc_bin();
    char *cmd = xasprintf("cd '%s' && '%s' lint " TODAY " -f sarif draft.md > out.sarif; "
                          "cd '%s' && '%s' lint " TODAY " -f sarif draft.md > out.sarif",
                          a, bin, b, bin);
    r = run_sh(cmd);
    run_free(&r);
    char *both = xasprintf("%s/out.sarif", a);
    char *script = xasprintf(
        "import json, sys\n"
        "def fp(p):\n"
        "    d = json.load(open(p))\n"
        "    return [(x['ruleId'], x['partialFingerprints']['primaryLocationLineHash'],"
        " x['locations'][0]['physicalLocation']['region']['startLine']) for x in d['runs'][0]['results']]\n"
        "x, y = fp(sys.argv[1]), fp('%s/out.sarif')\n"
        "assert x and len(x) == len(y), (x, y)\n"
        "assert [i[:2] for i in x] == [i[:2] for i in y], (x, y)\n"
        "assert [i[2] for i in x] != [i[2] for i in y], 'the lines did not move'\n", b);
    python_check(script, both);
    free(script);
    free(both);
    free(cmd);
    free(bin);
    free(moved);
    free(fa);
    free(fb);
    free(mk);
    free(a);
    free(b);
    free(text);
    remove_tree(dir);
    free(dir);
}

Test(lint, github_commands)
{
    run_result r = lint_in_root("lint " TODAY " -f github tests/lint/review.md tests/lint/tone.md");
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.out, "::error file=tests/lint/review.md,line=3,col=1,title=review::"
                            "approved on 10 January 2025, more than 12 months before "
                            "24 November 2026; a review was due by 10 January 2026\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "::notice file=tests/lint/tone.md,line=16,col=3,title=tone::hard"),
              "%s", r.out);
    for (char *line = r.out; *line;) {
        cr_expect(!strncmp(line, "::", 2), "not a workflow command: %s", line);
        char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    run_free(&r);
}

static size_t count_elements(xmlNodePtr n, const char *name)
{
    size_t c = 0;
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
            c++;
        c += count_elements(n->children, name);
    }
    return c;
}

Test(lint, junit_parses)
{
    run_result r = lint_in_root("lint " TODAY " -f junit --fail-level warning "
                                "tests/lint/clean.md tests/lint/sanctions.md tests/lint/input.md "
                                "tests/lint/waivers.md");
    cr_expect_eq(r.status, 1);
    xmlDocPtr doc = xmlReadMemory(r.out, (int)strlen(r.out), "junit.xml", NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc, "not XML:\n%s", r.out);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    cr_expect_str_eq((const char *)root->name, "testsuites");
    cr_expect_eq(count_elements(root->children, "testsuite"), 4);
    /* 11 principles + 11 core ideas per draft, + the waiver findings */
    size_t cases = count_elements(root->children, "testcase");
    cr_expect_geq(cases, 4 * 22, "%zu test cases", cases);
    /* sanctions.md fails sanctions, input.md fails input (a warning), waivers.md
       fails its waiver case; clean.md fails nothing */
    cr_expect_eq(count_elements(root->children, "failure"), 3, "%s", r.out);
    cr_expect_geq(count_elements(root->children, "skipped"), 3, "waived cases are skipped");
    xmlChar *tests = xmlGetProp(root, (const xmlChar *)"tests");
    cr_expect_eq((size_t)atoi((const char *)tests), cases);
    xmlFree(tests);
    xmlFreeDoc(doc);
    run_free(&r);
    /* at the default fail level, input's warning is no failure */
    r = lint_in_root("lint " TODAY " -f junit tests/lint/input.md");
    cr_expect_eq(r.status, 0);
    cr_expect(!strstr(r.out, "<failure"), "%s", r.out);
    run_free(&r);
}

Test(check, text_and_md_checklists)
{
    run_result r = lint_in_root("check " TODAY " examples/oakfield-primary.xml");
    cr_expect(r.status == 0 || r.status == 1, "%d: %s", r.status, r.err);
    cr_expect(strstr(r.out, "Oakfield Primary School (examples/oakfield-primary.xml)\n"), "%s",
              r.out);
    cr_expect(strstr(r.out, "\npupil-ks2 (Pupils in Key Stage 2)\n"), "%s", r.out);
    cr_expect(strstr(r.out, "  pass     concise                          1 page (limit 1)"),
              "%s", r.out);
    cr_expect(strstr(r.out, "  pass     input                            consulted: with the "
                            "school council and the Year 6 digital leaders, 17 June 2026\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "  pass     review                           approved 8 September 2026"),
              "%s", r.out);
    cr_expect(strstr(r.out, "core-enhanced-monitoring"), "%s", r.out);
    run_free(&r);
    r = lint_in_root("check " TODAY " --format md examples/oakfield-primary.xml");
    cr_expect(strstr(r.out, "# Acceptable use policy check: Oakfield Primary School"), "%s", r.out);
    cr_expect(strstr(r.out, "## Pupils in Key Stage 2 (pupil-ks2)\n\n| Principle | Result | Evidence |\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "| Says what is monitored (monitoring) | Pass | "), "%s", r.out);
    run_free(&r);
}

Test(check, out_of_date_profile_fails)
{
    char *dir = make_tmpdir();
    char *src = src_path("examples/oakfield-primary.xml");
    char *text = slurp(src);
    free(src);
    cr_assert_not_null(text);
    char *old = replace_once(text, "approved=\"2026-09-08\"", "approved=\"2024-09-08\"");
    char *path = xasprintf("%s/old.xml", dir);
    write_text(path, old);
    char *args = xasprintf("check " TODAY " '%s'", path);
    run_result r = lint_in_root(args);
    cr_expect_eq(r.status, 1, "%s", r.out);
    cr_expect(strstr(r.out, "  fail     review "), "%s", r.out);
    run_free(&r);
    free(args);
    args = xasprintf("check " TODAY " -f gnu '%s'", path);
    r = lint_in_root(args);
    const char *aud = strstr(old, "<audience band=\"early\"");
    cr_assert_not_null(aud);
    int line = 1;
    for (const char *p = old; p < aud; p++)
        line += *p == '\n';
    char *want = xasprintf("%s:%d:", path, line);
    cr_expect(strstr(r.out, want), "findings point at the audience's line: %s", r.out);
    cr_expect(strstr(r.out, ": error: pupil-early: approved on 8 September 2024"), "%s", r.out);
    free(want);
    run_free(&r);
    free(args);
    free(path);
    free(old);
    free(text);
    remove_tree(dir);
    free(dir);
}

/* Everything aupc compiles from the examples must lint without a warning. */
Test(lint, compiled_examples_lint_clean, .timeout = 300)
{
    char *dir = make_tmpdir();
    char *args = xasprintf("compile -q --format md -o '%s' examples/*.xml", dir);
    run_result r = lint_in_root(args);
    cr_assert_eq(r.status, 0, "compile failed: %s", r.err);
    run_free(&r);
    free(args);
    args = xasprintf("lint " TODAY " --fail-level warning '%s'/*/*.md", dir);
    r = lint_in_root(args);
    /* report only what fails, not the notes */
    strbuf bad = {0};
    sb_add(&bad, "", 0);
    for (char *line = r.out; *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
        char *l = xstrndup(line, n);
        if (!strstr(l, ": note: "))
            sb_puts(&bad, l);
        free(l);
        line += n;
    }
    cr_expect_eq(r.status, 0, "compiled documents break the principles:\n%s", bad.data);
    sb_free(&bad);
    run_free(&r);
    free(args);
    remove_tree(dir);
    free(dir);
}

/* A file that is not UTF-8 text gets exactly one error and nothing else,
 * whatever it is called. */
Test(lint, non_text_input_gets_one_error)
{
    if (!have_program("python3")) {
        cr_skip_test("python3 is not installed");
        return;
    }
    char *dir = make_tmpdir();
    char *cmd = xasprintf(
        "cd '%s' && python3 -c \"\n"
        "import zipfile\n"
        "open('utf16.md', 'wb').write('# Rules\\n\\nI will be kind.\\n'.encode('utf-16'))\n"
        "z = zipfile.ZipFile('draft.docx', 'w')\n"
        "z.writestr('[Content_Types].xml', '<Types/>')\n"
        "z.writestr('word/document.xml', '<w:document/>')\n"
        "z.close()\n"
        "open('scan.md', 'wb').write(b'%%PDF-1.7\\n%%\\xe2\\xe3\\n')\n"
        "open('cp1252.md', 'wb').write(b'# Rules\\n\\nI won\\x92t share.\\n')\n"
        "\"",
        dir);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(cmd);
    static const struct {
        const char *file, *line;
    } cases[] = {
        {"utf16.md", "utf16.md:1:1: error: the draft is UTF-16 text: save it as UTF-8 (in Word: "
                     "Save As, Plain Text, Unicode (UTF-8)) [not-text]\n"},
        {"draft.docx", "draft.docx:1:1: error: the draft is a Word document (.docx), not text: "
                       "save it as plain text or Markdown (for example `pandoc -t commonmark "
                       "draft.docx -o draft.md`) [not-text]\n"},
        {"scan.md", "scan.md:1:1: error: the draft is a PDF, not text: lint the Markdown or "
                    "text it was made from [not-text]\n"},
        {"cp1252.md", "cp1252.md:3:6: error: byte 0x92 is not UTF-8: save the draft as UTF-8 "
                      "text (it may be in a Windows code page) [not-text]\n"},
    };
    char *bin = aupc_bin();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cmd = xasprintf("cd '%s' && '%s' lint " TODAY " --fail-level note %s", dir, bin,
                        cases[i].file);
        r = run_sh(cmd);
        cr_expect_str_eq(r.out, cases[i].line, "%s", cases[i].file);
        cr_expect_str_eq(r.err, "", "%s", cases[i].file);
        cr_expect_eq(r.status, 1, "%s", cases[i].file);
        run_free(&r);
        free(cmd);
    }
    /* in JSON: no principles judged, one diagnostic */
    cmd = xasprintf("cd '%s' && '%s' lint " TODAY " -f json draft.docx > out.json", dir, bin);
    r = run_sh(cmd);
    run_free(&r);
    free(cmd);
    char *json = xasprintf("%s/out.json", dir);
    python_check("import json, sys\n"
                 "f = json.load(open(sys.argv[1]))['files'][0]\n"
                 "assert f['principles'] == [], f\n"
                 "assert len(f['diagnostics']) == 1 and f['diagnostics'][0]['rule'] == 'not-text'\n",
                 json);
    free(json);
    free(bin);
    remove_tree(dir);
    free(dir);
}

/* --explain shows each principle's verdict and the units that counted. */
Test(lint, explain_shows_the_units_that_counted)
{
    run_result r = lint_in_root("lint " TODAY " --explain tests/lint/missed-truths.md");
    static const char *const want[] = {
        "tests/lint/missed-truths.md: audience pupil-ks2\n",
        "tests/lint/missed-truths.md: monitoring: pass: \"My teacher will watch what I do on "
        "the computer.\" (line 28)\n",
        "tests/lint/missed-truths.md:28:1: monitoring: monitors: \"My teacher will watch what I do "
        "on the computer.\" [agent-watches: \"teacher will watch what\" (the setting, its staff "
        "or its systems watch the reader's use)]\n",
        "tests/lint/missed-truths.md:34:1: sanctions: consequence: \"If I break these promises, I "
        "may not be allowed to use the internet for a while.\" [not-allowed-any-more: \"not be "
        "allowed to use\" (the reader may no longer use something); condition: breaks-rules: "
        "\"break these\" (says a rule is broken)]\n",
        "sanctions: consequence: \"The school has the right to remove my access.\" "
        "[right-to-remove: \"right to remove my access\" (the setting may take access away)]\n",
        "communicated: acknowledges: \"Please complete and return this form.\" [return-form: "
        "\"complete and return\" (asks for the form back or signed)]\n",
        "personal-tech: prohibits: \"I won\xE2\x80\x99t use my phone at school.\" [modal-not: "
        "\"won't\" (a modal verb with a negation)]\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_expect(strstr(r.out, want[i]), "missing: %s\nin:\n%s", want[i], r.out);
    cr_expect_eq(r.status, 0, "a note is below the fail level");
    run_free(&r);
    r = lint_in_root("lint " TODAY " --explain -f json tests/lint/clean.md");
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--explain goes with the gnu format"), "%s", r.err);
    run_free(&r);
}

/* Counts in messages agree with their number: one sentence promotes. */
Test(lint, counts_are_grammatical)
{
    char dir[] = "/tmp/aupc-lint-count-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char *path = xasprintf("%s/one.md", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("<!-- aupc: audience=pupil-ks2 approved=2026-09-01 next-review=2027-09-01 -->\n"
          "# Our computer rules\n\n"
          "- I can use the class laptops to make music.\n"
          "- I will not share my password.\n"
          "- I will not look at other people's work.\n"
          "- I will not bring a phone to school.\n", f);
    fclose(f);
    char *args = xasprintf("lint " TODAY " '%s'", path);
    run_result r = lint_in_root(args);
    cr_expect(strstr(r.out, "only 1 sentence promotes positive uses of technology"), "%s", r.out);
    cr_expect(!strstr(r.out, "1 sentences"), "%s", r.out);
    run_free(&r);
    free(args);
    args = xasprintf("lint " TODAY " --explain '%s'", path);
    r = lint_in_root(args);
    cr_expect(strstr(r.out, "positive: warning: 1 sentence promotes positive uses;"), "%s", r.out);
    run_free(&r);
    free(args);
    remove(path);
    rmdir(dir);
    free(path);
}

/* The JSON output carries the units that counted and the review dates read. */
Test(lint, json_carries_units_and_dates)
{
    char *dir = make_tmpdir();
    char *out = xasprintf("%s/out.json", dir);
    char *args = xasprintf("lint " TODAY " -f json tests/lint/word-export.md > '%s'", out);
    run_result r = lint_in_root(args);
    cr_expect_eq(r.status, 1);
    run_free(&r);
    python_check(
        "import json, sys\n"
        "f = json.load(open(sys.argv[1]))['files'][0]\n"
        "assert f['audience'] == 'pupil-ks2', f['audience']\n"
        "assert f['approved'] is None and f['next_review'] == '2025-02', (f['approved'], f['next_review'])\n"
        "p = {x['id']: x for x in f['principles']}\n"
        "u = p['school-tech']['units']\n"
        "assert p['school-tech']['units_total'] == len(u) and len(u) >= 2, p['school-tech']\n"
        "assert {x['act'] for x in u} == {'permits', 'prohibits'}, u\n"
        "w = [x for x in u if x['act'] == 'prohibits'][0]\n"
        "assert w['line'] == 15 and w['column'] == 5, w\n"
        "assert w['why'].startswith('under the heading'), w\n"
        "assert 'units' not in p['review'] and 'units' not in p['tone']\n",
        out);
    free(args);
    free(out);
    remove_tree(dir);
    free(dir);
}
