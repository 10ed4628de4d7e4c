/* What a designated safeguarding lead checks first, read from every compiled
 * document of every example and every starter: a child who tells is helped,
 * not threatened with the police; older pupils learn of Report Remove and
 * CEOP; staff never view an image of a child and know the routes to
 * children's social care and the LADO; monitoring claims only what is true. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util/io.h"

static const char *const kinds[] = {"primary", "secondary", "all-through", "special", "college",
                                    "early-years", "youth-service", "library",
                                    "children-services"};

/* Case-insensitive search. */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

typedef struct {
    const char *setting;    /* folder name */
    const char *audience;   /* file name without .md */
    char *md;
} compiled;

typedef struct {
    compiled *v;
    size_t n;
} compiled_set;

/* Compile PROFILE to Markdown in TMP and add its documents to SET. */
static void compile_into(const char *profile, const char *tmp, compiled_set *set)
{
    char *args = xasprintf("compile -q -f md -o %s %s", tmp, profile);
    run_result r = run_aupc(args);
    cr_assert_eq(r.status, 0, "%s: %s", profile, r.err);
    run_free(&r);
    free(args);
    DIR *top = opendir(tmp);
    cr_assert_not_null(top);
    for (struct dirent *s; (s = readdir(top));) {
        if (s->d_name[0] == '.')
            continue;
        char *dir = xasprintf("%s/%s", tmp, s->d_name);
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));) {
            size_t n = strlen(e->d_name);
            if (n < 4 || strcmp(e->d_name + n - 3, ".md"))
                continue;
            char *path = xasprintf("%s/%s", dir, e->d_name);
            set->v = xrealloc(set->v, (set->n + 1) * sizeof *set->v);
            set->v[set->n].setting = xstrdup(s->d_name);
            set->v[set->n].audience = xstrndup(e->d_name, n - 3);
            set->v[set->n].md = slurp(path);
            cr_assert_not_null(set->v[set->n].md);
            set->n++;
            remove(path);
            free(path);
        }
        if (d)
            closedir(d);
        rmdir(dir);
        free(dir);
    }
    closedir(top);
}

/* Every document of every example and of every starter profile. */
static compiled_set compile_everything(void)
{
    compiled_set set = {0};
    char *tmp = make_tmpdir();
    char *ex = src_path("examples");
    DIR *d = opendir(ex);
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".xml"))
            continue;
        char *path = xasprintf("%s/%s", ex, e->d_name);
        compile_into(path, tmp, &set);
        free(path);
    }
    closedir(d);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        char *args = xasprintf("init --kind %s --id starter-%s", kinds[k], kinds[k]);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "init --kind %s: %s", kinds[k], r.err);
        char *file = xasprintf("%s/starter-%s.xml", tmp, kinds[k]);
        write_text(file, r.out);
        run_free(&r);
        free(args);
        char *out = xasprintf("%s/out", tmp);
        compile_into(file, out, &set);
        rmdir(out);
        remove(file);
        free(out);
        free(file);
    }
    free(ex);
    remove_tree(tmp);
    free(tmp);
    cr_assert_gt(set.n, 40, "only %zu documents", set.n);
    return set;
}

static void free_set(compiled_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free((char *)set->v[i].setting);
        free((char *)set->v[i].audience);
        free(set->v[i].md);
    }
    free(set->v);
}

static bool is_pupil(const compiled *c)
{
    return starts_with(c->audience, "pupil-");
}

static bool ks3_up(const compiled *c)
{
    return starts_with(c->audience, "pupil-ks3-4") || starts_with(c->audience, "pupil-post16");
}

/* The sentence around AT, for a message. */
static char *sentence_at(const char *md, const char *at)
{
    const char *a = at, *b = at;
    while (a > md && !strchr(".!?\n", a[-1]))
        a--;
    while (*b && !strchr(".!?\n", *b))
        b++;
    return xstrndup(a, (size_t)(b - a));
}

Test(safeguarding, no_pupil_document_mentions_the_police, .timeout = 240)
{
    compiled_set set = compile_everything();
    size_t pupils = 0;
    for (size_t i = 0; i < set.n; i++) {
        const compiled *c = &set.v[i];
        if (!is_pupil(c))
            continue;
        pupils++;
        const char *at = find_ci(c->md, "police");
        char *s = at ? sentence_at(c->md, at) : NULL;
        cr_expect_null(at, "%s/%s: a pupil reads \"%s\"", c->setting, c->audience, s);
        free(s);
    }
    cr_expect_gt(pupils, 15);
    free_set(&set);
}

Test(safeguarding, older_pupils_are_told_telling_brings_help_and_about_report_remove,
     .timeout = 240)
{
    compiled_set set = compile_everything();
    size_t older = 0;
    for (size_t i = 0; i < set.n; i++) {
        const compiled *c = &set.v[i];
        if (!ks3_up(c))
            continue;
        older++;
        cr_expect_not_null(find_ci(c->md, "Report Remove"), "%s/%s: Report Remove not named",
                           c->setting, c->audience);
        if (!strstr(c->audience, "-easy"))
            cr_expect_not_null(find_ci(c->md, "CEOP"), "%s/%s: CEOP not named", c->setting,
                               c->audience);
        cr_expect(find_ci(c->md, "not punish") || find_ci(c->md, "get help") ||
                      find_ci(c->md, "not be in trouble"),
                  "%s/%s: never says that telling brings help", c->setting, c->audience);
        cr_expect_null(find_ci(c->md, "even your own"), "%s/%s: tells a pupil their own image "
                       "is a crime", c->setting, c->audience);
    }
    cr_expect_gt(older, 8);
    free_set(&set);
}

Test(safeguarding, every_pupil_and_parent_document_says_telling_is_safe, .timeout = 240)
{
    compiled_set set = compile_everything();
    for (size_t i = 0; i < set.n; i++) {
        const compiled *c = &set.v[i];
        if (!is_pupil(c) && !starts_with(c->audience, "parent"))
            continue;
        cr_expect(find_ci(c->md, "not be in trouble") || find_ci(c->md, "not punish") ||
                      find_ci(c->md, "not be blamed") || find_ci(c->md, "never gets me into") ||
                      find_ci(c->md, "never get you into") || find_ci(c->md, "get help"),
                  "%s/%s: never says that a child who tells is helped", c->setting,
                  c->audience);
    }
    free_set(&set);
}

Test(safeguarding, staff_never_view_images_and_know_the_routes, .timeout = 240)
{
    compiled_set set = compile_everything();
    size_t staff = 0;
    static const char *const want[] = {
        "Do not view, copy",        /* the image rule, in the rules and the chart */
        "999",                      /* immediate danger */
        "children's social care",   /* a child at risk */
        "LADO",                     /* an allegation about an adult */
        "whoever the head answers to",
        "decides whether to involve the police",
        "Internet Watch Foundation",
        "CEOP",
        "switch the device off",
    };
    for (size_t i = 0; i < set.n; i++) {
        const compiled *c = &set.v[i];
        if (strcmp(c->audience, "staff"))
            continue;
        staff++;
        for (size_t k = 0; k < sizeof want / sizeof *want; k++)
            cr_expect_not_null(find_ci(c->md, want[k]), "%s/staff: \"%s\" missing", c->setting,
                               want[k]);
        cr_expect_null(find_ci(c->md, "Report it to CEOP. If"),
                       "%s/staff: the old CEOP-first route is back", c->setting);
    }
    cr_expect_geq(staff, 10);
    free_set(&set);
}

/* "Staff can see my messages" only where it is true: the profile monitors
 * personal messages, and the reader has accounts (pupils from KS2, staff)
 * or may use the wifi (parents and visitors whose devices are allowed). */
Test(safeguarding, monitoring_of_messages_is_claimed_only_where_true, .timeout = 240)
{
    compiled_set set = compile_everything();
    for (size_t i = 0; i < set.n; i++) {
        const compiled *c = &set.v[i];
        if (starts_with(c->audience, "pupil-early"))
            cr_expect_null(find_ci(c->md, "messages"),
                           "%s/%s: young children without accounts are told staff see their "
                           "messages", c->setting, c->audience);
        if (starts_with(c->audience, "parent") || starts_with(c->audience, "community")) {
            const char *at = find_ci(c->md, "private messages");
            if (!at)
                at = find_ci(c->md, "see my messages");
            if (at) {
                char *s = sentence_at(c->md, at);
                cr_expect(find_ci(s, "if you use") || find_ci(s, "if i use"),
                          "%s/%s: a visitor's messages are said to be monitored without "
                          "\"if you use\": %s", c->setting, c->audience, s);
                free(s);
            }
        }
    }
    free_set(&set);
}

/* tests/principles/NAME.xml breaks one principle; NAME.expected is exactly
 * what `aupc check -f gnu` prints for it, run from that folder. */
Test(safeguarding, each_new_principle_has_a_failing_profile, .timeout = 120)
{
    char *dir = src_path("tests/principles");
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t cases = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".xml"))
            continue;
        char *name = xstrndup(e->d_name, n - 4);
        char *exp_path = xasprintf("%s/%s.expected", dir, name);
        char *expected = slurp(exp_path);
        cr_assert_not_null(expected, "%s has no .expected", e->d_name);
        char *aupc = getenv("AUPC") ? xstrdup(getenv("AUPC"))
                                    : xasprintf("%s/aupc", AUPC_BUILD_ROOT);
        char *cmd = xasprintf("cd '%s' && '%s' check -f gnu --today 2026-11-27 %s", dir, aupc,
                              e->d_name);
        run_result r = run_sh(cmd);
        cr_expect_eq(r.status, 0, "%s: %s", e->d_name, r.err);
        cr_expect_str_eq(r.out, expected, "%s: check printed\n%s", e->d_name, r.out);
        cr_expect_neq(strlen(expected), 0, "%s: nothing expected", e->d_name);
        run_free(&r);
        free(cmd);
        free(aupc);
        free(expected);
        free(exp_path);
        free(name);
        cases++;
    }
    closedir(d);
    cr_expect_geq(cases, 3);
    free(dir);
}

/* The page budgets, read from the PDFs themselves with poppler: the rules
 * (everything before the first annex or the consent form, which start
 * pages of their own) fit one A4 page for early years and visitors and two
 * for everyone else, whatever the layout engine believes. */
static int budget_for(const char *audience)
{
    return !strcmp(audience, "pupil-early") || !strncmp(audience, "community", 9) ? 1 : 2;
}

static int pdf_pages(const char *path)
{
    char *cmd = xasprintf("pdfinfo '%s' | awk '/^Pages:/ {print $2}'", path);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "pdfinfo %s: %s", path, r.err);
    int n = atoi(r.out);
    run_free(&r);
    free(cmd);
    return n;
}

/* The page on which the body ends: the page before the first annex or the
 * consent form, or the last page. */
static int body_pages(const char *path, int pages)
{
    for (int p = 2; p <= pages; p++) {
        char *cmd = xasprintf("pdftotext -f %d -l %d '%s' -", p, p, path);
        run_result r = run_sh(cmd);
        bool annex = strstr(r.out, "Annex:") || strstr(r.out, "Consent for photographs");
        run_free(&r);
        free(cmd);
        if (annex)
            return p - 1;
    }
    return pages;
}

Test(safeguarding, every_example_pdf_keeps_its_page_budget, .timeout = 300)
{
    char *tmp = make_tmpdir();
    char *args = xasprintf("compile -q -f pdf -o %s %s/examples", tmp, AUPC_SOURCE_ROOT);
    run_result r = run_aupc(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(args);
    size_t checked = 0;
    DIR *top = opendir(tmp);
    cr_assert_not_null(top);
    for (struct dirent *s; (s = readdir(top));) {
        if (s->d_name[0] == '.')
            continue;
        char *dir = xasprintf("%s/%s", tmp, s->d_name);
        DIR *d = opendir(dir);
        cr_assert_not_null(d);
        for (struct dirent *e; (e = readdir(d));) {
            size_t n = strlen(e->d_name);
            if (n < 5 || strcmp(e->d_name + n - 4, ".pdf") || starts_with(e->d_name, "poster-") ||
                starts_with(e->d_name, "home-school-agreement"))
                continue;
            char *audience = xstrndup(e->d_name, n - 4);
            char *path = xasprintf("%s/%s", dir, e->d_name);
            int pages = pdf_pages(path), body = body_pages(path, pages);
            cr_expect_leq(body, budget_for(audience), "%s/%s: %d pages of rules (of %d), budget %d",
                          s->d_name, audience, body, pages, budget_for(audience));
            checked++;
            free(path);
            free(audience);
        }
        closedir(d);
        free(dir);
    }
    closedir(top);
    cr_expect_geq(checked, 20, "only %zu documents", checked);
    remove_tree(tmp);
    free(tmp);
}

/* A whole word of a school's in TEXT: pupils, lessons, a class, governors,
 * directed time; NULL when there is none. Lines "== FILE" name the file
 * that follows (pupil-ks2.md) and are not read, nor are the Markdown's
 * metadata comments (audience=pupil-ks2). */
static const char *school_word_in(const char *text)
{
    static const char *const words[] = {
        "pupil", "pupils", "lesson", "lessons", "class", "classes", "classroom", "governor",
        "governors", "directed time",
    };
    for (const char *p = text; *p; p++) {
        bool line_start = p == text || p[-1] == '\n' || p[-1] == '\f';
        if (line_start && (!strncmp(p, "== ", 3) || !strncmp(p, "<!--", 4))) {
            p += strcspn(p, "\n");
            if (!*p)
                break;
            continue;
        }
        if (p > text && isalnum((unsigned char)p[-1]))
            continue;
        for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
            size_t n = strlen(words[w]);
            if (!strncasecmp(p, words[w], n) && !isalnum((unsigned char)p[n]))
                return p;
        }
    }
    return NULL;
}

/* A youth service, library or children's service never reads a school's
 * words: not in its documents, their annexes, the consent form and slip
 * bound for parents, nor on its posters. Northgate with parents added, and
 * every such starter. */
Test(safeguarding, no_school_words_where_there_is_no_school, .timeout = 240)
{
    char *tmp = make_tmpdir();
    char *ex = src_path("examples/northgate-youth.xml");
    char *xml = slurp(ex);
    char *a = replace_once(xml, "    <audience kind=\"community\"/>\n",
                           "    <audience kind=\"community\"/>\n    <audience kind=\"parent\"/>\n");
    char *b = replace_once(a, "  </sanctions>",
                           "    <ladder audience=\"parent\">\n"
                           "      <step>A conversation with the centre manager</step>\n"
                           "    </ladder>\n  </sanctions>");
    char *profiles[4];
    profiles[0] = xasprintf("%s/youth.xml", tmp);
    write_text(profiles[0], b);
    static const char *const others[] = {"youth-service", "library", "children-services"};
    for (size_t k = 0; k < 3; k++) {
        char *args = xasprintf("init --kind %s --id starter-%s", others[k], others[k]);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        profiles[k + 1] = xasprintf("%s/%s.xml", tmp, others[k]);
        write_text(profiles[k + 1], r.out);
        run_free(&r);
        free(args);
    }
    size_t read = 0;
    for (size_t k = 0; k < 4; k++) {
        char *args = xasprintf("compile -q -f md,pdf -o %s/out %s", tmp, profiles[k]);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "%s: %s", profiles[k], r.err);
        run_free(&r);
        free(args);
        /* Every Markdown document, and the text of every PDF (the pack's too). */
        char *cmd = xasprintf("cd %s/out/* && for f in *.md; do echo \"== $f\"; cat \"$f\"; done; "
                              "for f in *.pdf; do echo \"== $f\"; pdftotext -layout \"$f\" -; done",
                              tmp);
        r = run_sh(cmd);
        cr_assert_eq(r.status, 0, "%s", r.err);
        const char *at = school_word_in(r.out);
        char *line = at ? sentence_at(r.out, at) : NULL;
        cr_expect_null(at, "%s: \"%s\"", profiles[k], line);
        cr_expect_not_null(strstr(r.out, "== poster-"), "%s: no poster read", profiles[k]);
        read += strlen(r.out);
        free(line);
        run_free(&r);
        free(cmd);
        char *out = xasprintf("%s/out", tmp);
        remove_tree(out);
        free(out);
    }
    /* The youth service with parents binds the consent form and the slip. */
    cr_expect_gt(read, 10000);
    for (size_t k = 0; k < 4; k++)
        free(profiles[k]);
    free(b);
    free(a);
    free(xml);
    free(ex);
    remove_tree(tmp);
    free(tmp);
}
