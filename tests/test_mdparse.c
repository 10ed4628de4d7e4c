/* mdparse: libcmark's pathological inputs are refused with a line and a
 * reason before cmark sees them, nesting past MD_MAX_DEPTH is refused
 * after, and no real draft is refused at all. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <string.h>

#include "helpers.h"
#include "mdparse.h"
#include "util/io.h"

static char *rep(const char *s, size_t n)
{
    strbuf b = {0};
    sb_puts(&b, "");
    for (size_t i = 0; i < n; i++)
        sb_puts(&b, s);
    return b.data;
}

static char *cat3(char *a, char *b, char *c)
{
    char *s = xasprintf("%s%s%s", a, b, c);
    free(a);
    free(b);
    free(c);
    return s;
}

/* md_parse on TEXT: NULL and the error's message and line, or the tree. */
typedef struct {
    bool refused;
    int line;
    char *message;
} outcome;

static outcome parse(const char *text)
{
    diag_list d = {0};
    cmark_node *root = md_parse("t.md", text, strlen(text), CMARK_OPT_DEFAULT, &d);
    outcome o = {root == NULL, 0, NULL};
    if (root) {
        cr_expect_eq(d.count, 0);
        cmark_node_free(root);
    } else {
        cr_assert_eq(d.count, 1, "a refusal gives one message");
        cr_expect_eq(d.items[0].severity, DIAG_ERROR);
        cr_expect_str_eq(d.items[0].rule, MD_RULE);
        cr_expect_str_eq(d.items[0].file, "t.md");
        o.line = d.items[0].line;
        o.message = xstrdup(d.items[0].message);
    }
    diag_free(&d);
    return o;
}

static void expect_refused(const char *what, char *text, const char *reason, int line)
{
    outcome o = parse(text);
    cr_expect(o.refused, "%s: not refused", what);
    if (o.refused) {
        cr_expect(strstr(o.message, reason), "%s: '%s' lacks '%s'", what, o.message, reason);
        if (line)
            cr_expect_eq(o.line, line, "%s: line %d, expected %d", what, o.line, line);
    }
    free(o.message);
    free(text);
}

static void expect_read(const char *what, char *text)
{
    outcome o = parse(text);
    cr_expect_not(o.refused, "%s refused: %s", what, o.message ? o.message : "");
    free(o.message);
    free(text);
}

#define DEEP "nested more than 16 levels deep"
#define OPEN "more than 100 '[' left open"
#define ANGLES "more than 1000 '<' in the paragraph"

/* cmark's test/pathological_tests.py, at its sizes: those that are slow in
 * libcmark 0.30.2 or nest without bound are refused, the rest are read. */
Test(mdparse, cmark_pathological_inputs, .timeout = 120)
{
    expect_refused("pattern ![[]() repeated", rep("![[]()", 160000), OPEN, 1);
    expect_refused("empty lines in deeply nested lists",
                   cat3(rep("- ", 30000), xstrdup("x"), rep("\n", 30000)), DEEP, 1);
    expect_refused("empty lines in deeply nested lists in blockquote",
                   cat3(xstrdup("> "), rep("- ", 30000), cat3(xstrdup("x\n"), rep(">\n", 30000),
                                                              xstrdup(""))),
                   DEEP, 1);
    expect_refused("emph in deep blockquote", cat3(rep(">", 100000), rep("a*", 100000), xstrdup("")),
                   DEEP, 1);
    expect_refused("nested block quotes", cat3(rep("> ", 25000), xstrdup("a"), xstrdup("")),
                   DEEP, 1);
    strbuf lists = {0};
    for (int x = 0; x < 500; x++)
        sb_printf(&lists, "%*s* a\n", 2 * x, "");
    expect_refused("deeply nested lists", lists.data, DEEP, 17);
    expect_refused("nested brackets", cat3(rep("[", 25000), xstrdup("a"), rep("]", 25000)), OPEN, 1);
    expect_refused("many link openers with no closers", rep("[a", 32500), OPEN, 1);
    expect_refused("link openers and emph closers", rep("[ a_", 25000), OPEN, 1);
    expect_refused("nested strong emph",
                   cat3(rep("*a **a ", 32500), xstrdup("b"), rep(" a** a*", 32500)), DEEP, 1);
    expect_refused("nested inlines", cat3(rep("*", 20000), xstrdup("a"), rep("*", 20000)), DEEP,
                   1);

    expect_read("many emph closers with no openers", rep("a_ ", 32500));
    expect_read("many emph openers with no closers", rep("_a ", 32500));
    expect_read("many link closers with no openers", rep("a]", 32500));
    expect_read("mismatched openers and closers", rep("*a_ ", 25000));
    expect_read("openers and closers multiple of 3", cat3(xstrdup("a**b"), rep("c* ", 25000), xstrdup("")));
    expect_read("pattern [ (]( repeated", rep("[ (](", 40000));
    expect_read("hard link/emph case", xstrdup("**x [a*b**c*](d)"));
    expect_read("U+0000 in input", xstrdup("abc\0de\0"));
    expect_read("unclosed links A", rep("[a](<b", 30000));
    expect_read("unclosed links B", rep("[a](b", 30000));
    expect_refused("unclosed <!--", cat3(xstrdup("</"), rep("<!--", 300000), xstrdup("")), ANGLES,
                   1);
}

Test(mdparse, every_kind_of_nesting_to_the_limit_and_past_it)
{
    static const struct {
        const char *name, *open, *close, *at_end;
    } kinds[] = {
        {"block quotes", "> ", "", "a\n"},
        {"list markers", "- ", "", "a\n"},
        {"ordered list markers", "1. ", "", "a\n"},
        {"quotes and lists", "> - ", "", "a\n"},
        {"emphasis", "*a ", " b*", ""},
        {"strong emphasis", "**a ", " b**", ""},
        {"images", "![", "](u)", ""},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        /* "> - " opens two levels at once. */
        size_t per = strcmp(kinds[k].name, "quotes and lists") ? 1 : 2;
        size_t within = MD_MAX_DEPTH / per, past = MD_MAX_DEPTH / per + 1;
        for (int pass = 0; pass < 2; pass++) {
            size_t n = pass ? past : within;
            char *text = cat3(rep(kinds[k].open, n), xstrdup(kinds[k].at_end[0] ? kinds[k].at_end
                                                                                 : "x"),
                              rep(kinds[k].close, n));
            if (pass)
                expect_refused(kinds[k].name, text, DEEP, 1);
            else
                expect_read(kinds[k].name, text);
        }
    }
}

Test(mdparse, emphasis_inside_a_link)
{
    size_t n = MD_MAX_DEPTH - 1;
    expect_read("link and emphasis", cat3(xstrdup("["), rep("*a ", n),
                                           cat3(xstrdup("x"), rep(" b*", n), xstrdup("](u)"))));
    n++;
    expect_refused("link and emphasis", cat3(xstrdup("["), rep("*a ", n),
                                              cat3(xstrdup("x"), rep(" b*", n), xstrdup("](u)"))),
                   DEEP, 1);
}

Test(mdparse, nesting_by_indentation_names_its_line)
{
    strbuf b = {0};
    sb_puts(&b, "# Rules\n\nSome text.\n\n");
    for (int x = 0; x < 40; x++)
        sb_printf(&b, "%*s- level %d\n", 2 * x, "", x + 1);
    expect_refused("nested by indentation", b.data, DEEP, 5 + MD_MAX_DEPTH);
}

Test(mdparse, what_looks_deep_but_is_not)
{
    /* Rules of dashes or stars with spaces, however long. */
    expect_read("spaced rule", cat3(rep("- ", 60), xstrdup("\n\nText.\n"), xstrdup("")));
    expect_read("starred rule", cat3(rep(" *", 60), xstrdup("\n"), xstrdup("")));
    /* Deep indentation with no marker after it: a code block. */
    expect_read("indented text", cat3(xstrdup("Text.\n\n"), rep(" ", 200), xstrdup("code\n")));
    /* Brackets closed as they go, or escaped, or in separate paragraphs. */
    expect_read("closed links", rep("[a](b) ", 5000));
    expect_read("escaped brackets", rep("\\[", 5000));
    strbuf b = {0};
    for (int i = 0; i < 300; i++)
        sb_puts(&b, "[open\n\n");
    expect_read("one open bracket per paragraph", b.data);
    /* Exactly at the bracket limit. */
    expect_read("100 open", rep("[", MD_MAX_OPEN_BRACKETS));
    expect_refused("101 open", rep("[", MD_MAX_OPEN_BRACKETS + 1), OPEN, 1);
    /* '<': at the limit, in separate paragraphs, or in HTML and code. */
    expect_read("1000 '<'", rep("a < ", MD_MAX_ANGLES));
    expect_refused("1001 '<'", cat3(xstrdup("Text.\n\n"), rep("a < ", MD_MAX_ANGLES + 1),
                                    xstrdup("")), "starts at line 3", 3);
    expect_read("one '<' per paragraph", rep("a < b\n\n", 3000));
    expect_read("an HTML table", cat3(xstrdup("<table>\n"), rep("<tr><td>a</td></tr>\n", 2000),
                                      xstrdup("</table>\n")));
    expect_read("a comment", cat3(xstrdup("<!--\n"), rep("<b> ", 3000), xstrdup("\n-->\n")));
    expect_read("fenced code", cat3(xstrdup("```\n"), rep("<p>\n", 3000), xstrdup("```\n")));
    expect_read("indented code", cat3(xstrdup("Text.\n\n"), rep("    <p>\n", 3000), xstrdup("")));
}

static void read_all_in(const char *rel)
{
    char *dir = src_path(rel);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md"))
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        char *text = slurp(path);
        cr_assert_not_null(text);
        outcome o = parse(text);
        cr_expect_not(o.refused, "%s refused: %s", path, o.message ? o.message : "");
        free(o.message);
        free(text);
        free(path);
        n++;
    }
    closedir(d);
    cr_expect_gt(n, 0, "no drafts in %s", dir);
    free(dir);
}

/* Every draft and template aupc has is read. */
Test(mdparse, real_drafts_are_read)
{
    read_all_in("tests/lint");
    read_all_in("tests/lint/corpus");
    read_all_in("examples/review");
    read_all_in("templates");
}
