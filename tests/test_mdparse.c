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

static void expect_not_refused(const char *path, const char *text, void *arg)
{
    (void)arg;
    outcome o = parse(text);
    cr_expect_not(o.refused, "%s refused: %s", path, o.message ? o.message : "");
    free(o.message);
}

static void read_all_in(const char *rel)
{
    cr_expect_gt(each_md_file(rel, expect_not_refused, NULL), 0, "no drafts in %s", rel);
}

/* Every draft and template aupc has is read. */
Test(mdparse, real_drafts_are_read)
{
    read_all_in("tests/lint");
    read_all_in("tests/lint/corpus");
    read_all_in("examples/review");
    read_all_in("templates");
}

/* ---- a long draft parsed in two halves ---- */

static char *xml_of(cmark_node *root)
{
    return root ? cmark_render_xml(root, CMARK_OPT_SOURCEPOS) : xstrdup("(refused)");
}

/* md_parse_at cut at every line that starts an ATX heading after a blank
 * line (md_seam's candidates, and those inside code or HTML that the cut
 * must notice) gives md_parse's tree, source positions and refusal. */
static size_t same_at_every_seam(const char *name, const char *text)
{
    size_t len = strlen(text), cuts = 0;
    diag_list dw = {0};
    cmark_node *whole = md_parse("d.md", text, len, CMARK_OPT_SOURCEPOS, &dw);
    char *want = xml_of(whole);
    for (size_t s = 1; s < len; s++) {
        if (text[s - 1] != '\n' || text[s] != '#')
            continue;
        size_t i = s - 1;
        while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\r'))
            i--;
        if (i == 0 || text[i - 1] != '\n')
            continue;
        diag_list dc = {0};
        cmark_node *cut = md_parse_at("d.md", text, len, CMARK_OPT_SOURCEPOS, &dc, s);
        char *got = xml_of(cut);
        cr_assert_str_eq(got, want, "%s cut at byte %zu", name, s);
        cr_assert_eq(dc.count, dw.count, "%s cut at byte %zu", name, s);
        for (size_t k = 0; k < dc.count; k++)
            cr_assert_str_eq(dc.items[k].message, dw.items[k].message);
        if (cut)
            cmark_node_free(cut);
        free(got);
        diag_free(&dc);
        cuts++;
    }
    if (whole)
        cmark_node_free(whole);
    free(want);
    diag_free(&dw);
    return cuts;
}

static void cut_everywhere(const char *path, const char *text, void *arg)
{
    *(size_t *)arg += same_at_every_seam(path, text);
}

Test(mdparse_halves, every_draft_cut_at_every_heading)
{
    size_t cuts = 0;
    each_md_file("tests/lint", cut_everywhere, &cuts);
    each_md_file("tests/lint/corpus", cut_everywhere, &cuts);
    each_md_file("examples/review", cut_everywhere, &cuts);
    cr_expect_gt(cuts, 200, "only %zu cuts tried", cuts);
}

/* Where a heading after a blank line is not a heading in the whole draft,
 * or a half on its own would read differently, the cut still gives the
 * whole draft's tree. */
Test(mdparse_halves, cuts_inside_code_html_lists_and_quotes)
{
    static const char *const texts[] = {
        "Intro.\n\n```\ncode\n\n# not a heading\n```\n\n# After\n\nText.\n",
        "~~~\n\n## still code\n",
        "<!--\n\n# inside a comment\n-->\n\n# Real\n",
        "<pre>\n\n# inside pre\n</pre>\n\n# Real\n",
        "- one\n- two\n\n  ```\n  x\n\n# ends the item\n\n- three\n",
        "> quoted\n\n# out of the quote\n> again\n",
        "1. a\n2. b\n\n# H\n\n3. c\n",
        "Para\r\n\r\n# CRLF heading\r\ntext\r\n\r\n## two\r\n",
        "Setext\n======\n\n# ATX\n\nline\n---\n\n#\n\n####### seven\n\n#tag\n",
        "    indented code\n\n# H\n    more code\n",
        "<div>\n\n# after a div's blank\n</div>\n",
        "Deep\n\n# A\n\n" "> > > > > > > > > > > > > > > > > too deep\n",
        "[[[[\n\n# B\n\n]]]]\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        cr_expect_gt(same_at_every_seam(texts[i], texts[i]), 0, "%s: no cut", texts[i]);
}

/* md_seam looks near the middle, and never where a link reference
 * definition could be; md_parse_draft parses what it cannot cut whole. */
Test(mdparse_halves, the_seam)
{
    char *text = rep("Some text here.\n\n## A heading\n\n- an item\n\n", 2000);
    size_t len = strlen(text), s = md_seam(text, len);
    cr_assert_gt(s, len / 2 - 1);
    cr_assert_lt(s, len / 2 + 64);
    cr_assert_eq(strncmp(text + s, "## ", 3), 0);
    char *linked = xasprintf("%s[x]: http://example.org\n", text);
    cr_expect_eq(md_seam(linked, strlen(linked)), 0);
    cr_expect_eq(md_seam("Text\n# B\n\nmore\n", 16), 0);
    cr_expect_eq(md_seam("Text\n\n# B\n", 11), 6);
    diag_list d = {0};
    cmark_node *a = md_parse_draft("d.md", text, len, CMARK_OPT_SOURCEPOS, &d);
    cmark_node *b = md_parse("d.md", text, len, CMARK_OPT_SOURCEPOS, &d);
    char *xa = xml_of(a), *xb = xml_of(b);
    cr_expect_str_eq(xa, xb);
    cr_expect_eq(d.count, 0);
    free(xa);
    free(xb);
    cmark_node_free(a);
    cmark_node_free(b);
    free(linked);
    free(text);
}
