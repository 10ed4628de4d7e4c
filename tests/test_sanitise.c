/* Output sanitised: a draft, a file name or a profile holding terminal
 * escapes (ESC, OSC, BEL, C1 CSI) or malformed UTF-8 never passes them on.
 * Every format of diff, lint and check, standard output and standard error,
 * is valid UTF-8 without a control character other than tab and line feed
 * (colours of our own aside, with --color always); JSON and SARIF parse as
 * JSON, JUnit as XML, HTML holds no raw control; the escapes show as
 * \x1B, \u009B and U+FFFD. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fixtures.h"
#include "helpers.h"
#include "util/escape.h"

Test(sanitise, esc_text_replaces_and_escapes)
{
    strbuf b = {0};
    esc_text(&b, "a\x1b]0;t\x07 b\tc\nd\r \xff\xc2\x9b x \xc3\xa9 \xe2\x82\xac \x7f");
    cr_expect_str_eq(b.data, "a\\x1B]0;t\\x07 b\tc\nd\\x0D \xef\xbf\xbd\\u009B x \xc3\xa9 "
                             "\xe2\x82\xac \\x7F");
    sb_free(&b);
    strbuf j = {0};
    esc_json(&j, "\x1b\xc2\x85\xff");
    cr_expect_str_eq(j.data, "\"\\u001b\\u0085\\ufffd\"");
    sb_free(&j);
    strbuf m = {0};
    esc_markup(&m, "<b>\x1b[31m\xfe");
    cr_expect_str_eq(m.data, "&lt;b&gt;\\x1B[31m\xef\xbf\xbd");
    sb_free(&m);
}

/* A diagnostic on a terminal, in colour: our colours, nothing of the file. */
Test(sanitise, diagnostic_in_colour)
{
    diag_list l = {0};
    diag_add(&l, DIAG_ERROR, "d\x1b]0;x\x07.md", 3, 1, "load", "cannot read \xc2\x9b" "2J");
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    diag_print_one(f, &l.items[0], 1);
    fclose(f);
    cr_expect_str_eq(buf, "\x1b[1md\\x1B]0;x\\x07.md:3:1: \x1b[1;31merror:\x1b[0m cannot read "
                          "\\u009B2J [load]\n");
    free(buf);
    diag_free(&l);
}

static const char checker[] =
    "import json, re, sys, xml.dom.minidom\n"
    "name, fmt, colour = sys.argv[1], sys.argv[2], sys.argv[3] == '1'\n"
    "for stream in ('out', 'err'):\n"
    "    d = open(name + '.' + stream, 'rb').read()\n"
    "    t = d.decode('utf-8')\n"
    "    if colour: t = re.sub('\\x1b\\\\[[0-9;]*m', '', t)\n"
    "    bad = re.findall('[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]', t)\n"
    "    assert not bad, '%s %s: raw control %r' % (name, stream, bad[:3])\n"
    "    if stream == 'out' and fmt in ('json', 'sarif'): json.loads(t)\n"
    "    if stream == 'out' and fmt == 'junit': xml.dom.minidom.parseString(d)\n"
    "print('ok')\n";

static void put_file(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(data, f);
    fclose(f);
}

/* Run ARGS in DIR as NAME, keep its output, and hold it to the checker. */
static void check_run(const char *dir, const char *name, const char *fmt, bool colour,
                      const char *args, const char *want)
{
    const char *bin = getenv("AUPC") ? getenv("AUPC") : AUPC_BUILD_ROOT "/aupc";
    char *cmd = xasprintf("cd '%s' && %s %s >%s.out 2>%s.err; python3 checker.py %s %s %d",
                          dir, bin, args, name, name, name, fmt, colour);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "%s: %s%s", args, r.out, r.err);
    if (want) {
        char *path = xasprintf("%s/%s.out", dir, name), *out = slurp(path);
        char *epath = xasprintf("%s/%s.err", dir, name), *err = slurp(epath);
        cr_expect(strstr(out, want) || strstr(err, want), "%s: lacks '%s':\n%s%s", args, want,
                  out, err);
        free(out);
        free(err);
        free(path);
        free(epath);
    }
    run_free(&r);
    free(cmd);
}

Test(sanitise, every_format_of_diff_lint_and_check, .timeout = 300)
{
    if (!have_program("python3"))
        cr_skip_test("python3 is not installed");
    char *dir = make_tmpdir();
    char *p = xasprintf("%s/checker.py", dir);
    put_file(p, checker);
    free(p);
    static const char draft[] =
        "# Rules \x1b]0;pwned\x07 here\n\n"
        "I will be kind \x1b[31monline\x1b[0m. Bad \xff\xfe bytes, a C1 \xc2\x9b" "2J CSI.\n\n"
        "Report to [CEOP](https://ceop.example/\x1b[5m).\n";
    p = xasprintf("%s/old.md", dir);
    put_file(p, "# Rules here\n\nI will be kind online.\n");
    free(p);
    p = xasprintf("%s/new.md", dir);
    put_file(p, draft);
    free(p);
    /* A file name with an OSC title sequence, and a profile with C1 controls. */
    p = xasprintf("%s/t\x1b]0;x\x07.md", dir);
    put_file(p, "# Rules\n\nI will be kind online.\n");
    free(p);
    char *ex = xasprintf("%s/base.xml", dir);
    put_file(ex, base_profile);
    char *c1 = replace_once(base_profile, "<name>Test School</name>",
                            "<name>Test \xc2\x9b" "2J School \xc2\x85</name>");
    p = xasprintf("%s/c1.xml", dir);
    put_file(p, c1);
    free(p);
    free(c1);

    static const char *const diff_formats[] = {"text", "md", "html", "json"};
    for (int i = 0; i < 4; i++) {
        const char *f = diff_formats[i];
        char *name = xasprintf("diff-%s", f), *args = xasprintf("diff -f %s old.md new.md", f);
        /* Markdown and JSON escape the backslash of the escape in turn. */
        check_run(dir, name, f, false, args,
                  !strcmp(f, "json") ? "\\\\x1B]0;pwned\\\\x07"
                  : !strcmp(f, "md") ? "\\\\x1B\\]0;pwned\\\\x07"
                                     : "\\x1B]0;pwned\\x07");
        free(name);
        free(args);
        name = xasprintf("pdiff-%s", f);
        args = xasprintf("diff -f %s '%s' c1.xml", f, ex);
        check_run(dir, name, f, false, args,
                  strcmp(f, "json") && strcmp(f, "md") ? "\\u009B2J" : "\\\\u009B2J");
        free(name);
        free(args);
    }
    check_run(dir, "diff-colour", "text", true, "diff --color always old.md new.md",
              "\\x1B[31monline\\x1B[0m");
    check_run(dir, "diff-fffd", "text", false, "diff old.md new.md", "Bad \xef\xbf\xbd\xef\xbf\xbd bytes");
    static const char *const lint_formats[] = {"gnu", "json", "sarif", "github", "junit"};
    for (int i = 0; i < 5; i++) {
        const char *f = lint_formats[i];
        char *name = xasprintf("lint-%s", f);
        char *args = xasprintf("lint -f %s --fail-level error new.md t*.md", f);
        check_run(dir, name, f, false, args, NULL);
        free(name);
        free(args);
    }
    check_run(dir, "lint-explain", "text", false, "lint --explain --fail-level error t*.md",
              "t\\x1B]0;x\\x07.md: audience");
    static const char *const check_formats[] = {"text", "md", "gnu", "json", "sarif", "github",
                                                "junit"};
    for (int i = 0; i < 7; i++) {
        const char *f = check_formats[i];
        char *name = xasprintf("check-%s", f);
        char *args = xasprintf("check -f %s --fail-level error c1.xml", f);
        check_run(dir, name, f, false, args, NULL);
        free(name);
        free(args);
    }
    check_run(dir, "check-text-name", "text", false, "check c1.xml", "Test \\u009B2J School");
    check_run(dir, "usage", "text", false, "lint --format 'x\x1b]0;t\x07' new.md",
              "unknown format 'x\\x1B]0;t\\x07'");
    free(ex);
    remove_tree(dir);
    free(dir);
}
