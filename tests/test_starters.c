/* A starter from `aupc init` is where a new user begins: every kind must
 * compile into documents that read as written (no "the the", no
 * "Approved by The ..."), say plainly which values are still examples,
 * and, once those are filled in, carry no example into any document. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "profile.h"
#include "util/io.h"

static const char *const kinds[] = {
    "primary", "secondary", "all-through", "special", "college", "early-years",
    "youth-service", "library", "children-services",
};

/* The first word of TEXT said twice in a row ("the the"), as "FILE:LINE:
 * the the", or NULL. */
static char *repeated_word(const char *file, const char *text)
{
    char prev[64] = "";
    int line = 1, prev_line = 0;
    for (const char *p = text; *p;) {
        if (!isalpha((unsigned char)*p)) {
            /* Only white space may stand between the two. */
            if (!isspace((unsigned char)*p))
                prev[0] = '\0';
            line += *p == '\n';
            p++;
            continue;
        }
        const char *w = p;
        while (isalpha((unsigned char)*p) || *p == '\'')
            p++;
        size_t n = (size_t)(p - w);
        if (n < sizeof prev && strlen(prev) == n && !strncasecmp(prev, w, n))
            return xasprintf("%s:%d: %s %.*s", file, prev_line, prev, (int)n, w);
        if (n < sizeof prev) {
            memcpy(prev, w, n);
            prev[n] = '\0';
            prev_line = line;
        } else {
            prev[0] = '\0';
        }
    }
    return NULL;
}

/* The first line of TEXT that still holds an example value, or NULL. */
static char *placeholder_line(const char *file, const char *text)
{
    int line = 1;
    for (const char *p = text; *p; line++) {
        const char *eol = strchr(p, '\n');
        char *s = eol ? xstrndup(p, (size_t)(eol - p)) : xstrdup(p);
        bool bad = profile_is_placeholder(s);
        char *found = bad ? xasprintf("%s:%d: %s", file, line, s) : NULL;
        free(s);
        if (found)
            return found;
        if (!eol)
            break;
        p = eol + 1;
    }
    return NULL;
}

/* Every Markdown document under DIR (one level of setting folders). */
static void check_documents(const char *dir, bool no_placeholders)
{
    DIR *top = opendir(dir);
    cr_assert_not_null(top, "%s", dir);
    size_t docs = 0;
    for (struct dirent *s; (s = readdir(top));) {
        if (s->d_name[0] == '.')
            continue;
        char *sub = xasprintf("%s/%s", dir, s->d_name);
        DIR *d = opendir(sub);
        for (struct dirent *e; d && (e = readdir(d));) {
            size_t n = strlen(e->d_name);
            if (n < 4 || strcmp(e->d_name + n - 3, ".md"))
                continue;
            char *path = xasprintf("%s/%s", sub, e->d_name);
            char *text = slurp(path);
            cr_assert_not_null(text, "%s", path);
            char *rep = repeated_word(path, text);
            cr_expect_null(rep, "a word said twice: %s", rep);
            free(rep);
            /* The two other joins a starter's values used to break. */
            cr_expect_null(strstr(text, "Approved by The "), "%s: a capital mid-sentence", path);
            cr_expect_null(strstr(text, "views on these rules a "), "%s: how= without a "
                           "joining word", path);
            if (no_placeholders) {
                char *ph = placeholder_line(path, text);
                cr_expect_null(ph, "an example value in a document: %s", ph);
                free(ph);
            }
            docs++;
            free(text);
            free(path);
        }
        if (d)
            closedir(d);
        free(sub);
    }
    closedir(top);
    cr_expect_gt(docs, 0, "no documents under %s", dir);
}

Test(starters, repeated_word_finder_finds_them)
{
    char *r = repeated_word("f", "under the\nthe staff code");
    cr_expect_str_eq(r, "f:1: the the");
    free(r);
    cr_expect_null(repeated_word("f", "the one. The other"));
    cr_expect(profile_is_placeholder("Ms A Example"));
    cr_expect(profile_is_placeholder("safeguarding@example.org"));
    cr_expect(profile_is_placeholder("https://www.example.sch.uk/policies"));
    cr_expect_not(profile_is_placeholder("office@brookfield.example.sch.uk"));
    cr_expect_not(profile_is_placeholder("for example, a phone"));
}

/* Each kind, as printed: the documents read cleanly, and compile names
 * every example value with its line. */
Test(starters, every_kind_compiles_cleanly, .timeout = 240)
{
    char *dir = make_tmpdir();
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *args = xasprintf("init --kind %s > %s/%s.xml && '%s/aupc' compile -f md -o "
                               "%s/out %s/%s.xml", kinds[i], dir, kinds[i], AUPC_BUILD_ROOT,
                               dir, dir, kinds[i]);
        run_result r = run_aupc(args);
        cr_expect_eq(r.status, 0, "%s: %s", kinds[i], r.err);
        char *want = xasprintf("%s/%s.xml:13:24: warning: name=\"Mr B Example\" on <person> "
                               "is still an example from aupc init: replace it with your "
                               "own [placeholder]\n", dir, kinds[i]);
        cr_expect(strstr(r.err, want), "%s: no warning for the DSL's name: %s", kinds[i],
                  r.err);
        free(want);
        run_free(&r);
        free(args);
    }
    char *out = xasprintf("%s/out", dir);
    check_documents(out, false);
    free(out);
    remove_tree(dir);
    free(dir);
}

/* The values a school fills in, for each value the starter leaves. */
static const char *const fill[][2] = {
    {"Ms A Example", "Ms Ann Okafor"},
    {"online.safety@example.org", "a.okafor@st-annes.sch.uk"},
    {"Mr B Example", "Mr Ben Hughes"},
    {"safeguarding@example.org", "safeguarding@st-annes.sch.uk"},
    {"Mrs C Example", "Mrs Carol Price"},
    {"01632 960000", "0161 234 5678"},
    {"Example Filtering Ltd", "Northern Grid Filtering"},
};

Test(starters, filled_in_starters_carry_no_example, .timeout = 240)
{
    char *dir = make_tmpdir();
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *args = xasprintf("init --kind %s --name \"St Anne's\" --id st-annes-%zu", kinds[i],
                               i);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0);
        char *text = xstrdup(r.out);
        for (size_t f = 0; f < sizeof fill / sizeof fill[0]; f++) {
            char *next = replace_once(text, fill[f][0], fill[f][1]);
            free(text);
            text = next;
        }
        char *path = xasprintf("%s/%s.xml", dir, kinds[i]);
        write_text(path, text);
        run_free(&r);
        free(args);
        args = xasprintf("compile -f md -o %s/out %s", dir, path);
        r = run_aupc(args);
        cr_expect_eq(r.status, 0, "%s: %s", kinds[i], r.err);
        cr_expect_null(strstr(r.err, "warning"), "%s: %s", kinds[i], r.err);
        run_free(&r);
        free(args);
        free(path);
        free(text);
    }
    char *out = xasprintf("%s/out", dir);
    check_documents(out, true);
    free(out);
    remove_tree(dir);
    free(dir);
}

Test(starters, examples_carry_no_example_or_repeated_word, .timeout = 240)
{
    char *dir = make_tmpdir();
    char *ex = src_path("examples");
    char *args = xasprintf("compile -f md -o %s/out %s", dir, ex);
    run_result r = run_aupc(args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_null(strstr(r.err, "placeholder"), "%s", r.err);
    char *out = xasprintf("%s/out", dir);
    check_documents(out, true);
    run_free(&r);
    free(out);
    free(args);
    free(ex);
    remove_tree(dir);
    free(dir);
}
