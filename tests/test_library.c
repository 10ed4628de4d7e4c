/* The statement library as readers meet it: every example document is short
 * enough, written at its reader's level, in British English, and every core
 * statement speaks to every reader. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "helpers.h"
#include "readability.h"
#include "render.h"
#include "util/io.h"

/* --- every compiled example document ----------------------------------- */

typedef struct {
    char **paths;
    size_t count;
} path_list;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static path_list example_profiles(void)
{
    path_list l = {0};
    const char *dir = AUPC_SOURCE_ROOT "/examples";
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n > 4 && !strcmp(e->d_name + n - 4, ".xml")) {
            l.paths = xrealloc(l.paths, (l.count + 1) * sizeof *l.paths);
            l.paths[l.count++] = xasprintf("%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    qsort(l.paths, l.count, sizeof *l.paths, by_name);
    cr_assert_gt(l.count, 0, "no example profiles in %s", dir);
    return l;
}

static void free_paths(path_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
}

typedef void (*doc_fn)(const char *profile_path, const profile *p, const document *d,
                       void *arg);

/* Compile every example and call FN on each of its documents. */
static void each_example_document(doc_fn fn, void *arg)
{
    diag_list diags = {0};
    library *lib = library_load_embedded(&diags);
    cr_assert_not_null(lib, "the built-in library does not load");
    path_list l = example_profiles();
    for (size_t i = 0; i < l.count; i++) {
        profile *p = profile_load(l.paths[i], &diags);
        cr_assert_not_null(p, "%s: %s", l.paths[i],
                           diags.count ? diags.items[diags.count - 1].message : "?");
        doc_set docs;
        cr_assert_eq(compile_profile(p, lib, &docs, &diags), 0, "%s does not compile",
                     l.paths[i]);
        for (size_t k = 0; k < docs.count; k++)
            fn(l.paths[i], p, docs.docs[k], arg);
        doc_set_free(&docs);
        profile_free(p);
    }
    free_paths(&l);
    library_free(lib);
    diag_free(&diags);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool is_easy(const document *d)
{
    size_t n = strlen(d->audience_id);
    return n > 5 && !strcmp(d->audience_id + n - 5, "-easy");
}

/* --- reading level --------------------------------------------------------- */

typedef struct {
    const char *audience;   /* an audience id; "-easy" matches every easy-read one */
    double grade, wps;      /* wps 0: no limit on sentence length */
} reading_target;

static const reading_target targets[] = {
    {"-easy", 2.0, 10},
    {"pupil-early", 2.5, 10},
    {"pupil-ks2", 4.5, 0},
    {"pupil-ks3-4", 7.0, 0},
    {"pupil-post16", 9.0, 0},
    {"parent", 9.0, 0},
    {"community", 9.0, 0},
    {"staff", 11.0, 0},
};

static const reading_target *target_for(const document *d)
{
    if (is_easy(d))
        return &targets[0];
    for (size_t i = 1; i < sizeof targets / sizeof targets[0]; i++)
        if (!strcmp(targets[i].audience, d->audience_id))
            return &targets[i];
    return NULL;
}

static void check_reading_level(const char *path, const profile *p, const document *d,
                                void *arg)
{
    (void)p;
    int *checked = arg;
    const reading_target *t = target_for(d);
    cr_assert_not_null(t, "%s: no reading target for audience %s", base_name(path),
                       d->audience_id);
    readability_report r;
    readability_document(d->root, 5, &r);
    bool grade_ok = r.stats.fk_grade <= t->grade;
    bool wps_ok = t->wps == 0 || r.stats.words_per_sentence <= t->wps;
    if (!grade_ok || !wps_ok) {
        strbuf b = {0};
        for (size_t i = 0; i < r.nhardest; i++)
            sb_printf(&b, "\n    grade %.1f, %zu words: %s", r.hardest[i].fk_grade,
                      r.hardest[i].words, r.hardest[i].text);
        cr_expect(false,
                  "%s %s: Flesch-Kincaid grade %.2f (limit %.1f), %.2f words a sentence "
                  "(limit %s), %zu sentences, %zu words, %zu syllables; hardest sentences:%s",
                  base_name(path), d->audience_id, r.stats.fk_grade, t->grade,
                  r.stats.words_per_sentence, t->wps > 0 ? "10" : "none",
                  r.stats.sentences, r.stats.words, r.stats.syllables, b.data ? b.data : "");
        sb_free(&b);
    }
    readability_report_free(&r);
    (*checked)++;
}

Test(library, every_example_document_meets_its_reading_level, .timeout = 120)
{
    int checked = 0;
    each_example_document(check_reading_level, &checked);
    cr_expect_gt(checked, 0);
}

/* True when NODE sits inside the contacts list: a name, a role, an email
 * address and a phone number, which is an address line, not a sentence. */
static bool in_contacts(cmark_node *node)
{
    for (cmark_node *n = node; n; n = cmark_node_parent(n)) {
        const doc_tag *t = document_tag_of(n);
        if (t && t->kind == TAG_CONTACTS)
            return true;
    }
    return false;
}

static void check_easy_sentences(const char *path, const profile *p, const document *d,
                                 void *arg)
{
    (void)p;
    int *checked = arg;
    if (!is_easy(d))
        return;
    (*checked)++;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER ||
            (type != CMARK_NODE_PARAGRAPH && type != CMARK_NODE_HEADING) || in_contacts(n))
            continue;
        readability_report r;
        readability_document(n, 1000, &r);
        for (size_t i = 0; i < r.nhardest; i++)
            cr_expect_leq(r.hardest[i].words, 12,
                          "%s %s: an easy-read sentence of %zu words (at most 12): %s",
                          base_name(path), d->audience_id, r.hardest[i].words,
                          r.hardest[i].text);
        readability_report_free(&r);
    }
    cmark_iter_free(it);
}

Test(library, easy_read_sentences_have_at_most_twelve_words, .timeout = 120)
{
    int checked = 0;
    each_example_document(check_easy_sentences, &checked);
    cr_expect_gt(checked, 0, "no example writes an easy-read document");
}

/* --- length ------------------------------------------------------------------ */

/* The core rules end on page 2 or earlier in every example and in the
 * starter profile of every kind of setting: aupc warns [concise] otherwise. */
Test(library, core_rules_fit_on_two_pages, .timeout = 300)
{
    static const char *const kinds[] = {"primary", "secondary", "all-through", "special",
        "college", "early-years", "youth-service", "library", "children-services"};
    char *tmp = make_tmpdir();
    path_list l = example_profiles();
    for (size_t i = 0; i < l.count; i++) {
        char *args = xasprintf("compile -q --format pdf -o %s/out %s", tmp, l.paths[i]);
        run_result r = run_aupc(args);
        cr_expect_eq(r.status, 0, "%s: %s", base_name(l.paths[i]), r.err);
        cr_expect_null(strstr(r.err, "[concise]"), "%s:\n%s", base_name(l.paths[i]), r.err);
        run_free(&r);
        free(args);
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *args = xasprintf("init --kind %s", kinds[i]);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "aupc %s: %s", args, r.err);
        free(args);
        char *file = xasprintf("%s/%s.xml", tmp, kinds[i]);
        FILE *f = fopen(file, "w");
        cr_assert_not_null(f, "cannot write %s", file);
        fputs(r.out, f);
        fclose(f);
        run_free(&r);
        args = xasprintf("compile -q --format pdf -o %s/out %s", tmp, file);
        free(file);
        r = run_aupc(args);
        cr_expect_eq(r.status, 0, "init --kind %s: %s", kinds[i], r.err);
        cr_expect_null(strstr(r.err, "[concise]"), "init --kind %s:\n%s", kinds[i], r.err);
        run_free(&r);
        free(args);
    }
    free_paths(&l);
    remove_tree(tmp);
    free(tmp);
}

/* --- British English --------------------------------------------------------- */

/* Words the en_GB dictionary lacks that the library, the templates or the
 * national contacts use on purpose. Names a school chooses (its people,
 * places, products and providers) are accepted when they appear in its own
 * profile, so a new example needs no entry here. */
static const char *const allowed_words[] = {
    "wifi", "Childline", "CEOP", "DfE", "ICT", "BYOD", "LADO", "PEGI", "NSPCC", "CAMHS",
    "Chromebook", "Chromebooks", "iPad", "iPads", "smartwatch", "smartwatches", "chatbot",
    "chatbots", "Copilot", "Hwb", "IWF", "DSL", "deepfake", "deepfakes",
};

static bool allowed(const char *word, const char *profile_text)
{
    for (size_t i = 0; i < sizeof allowed_words / sizeof allowed_words[0]; i++)
        if (!strcmp(word, allowed_words[i]))
            return true;
    /* A whole word of the profile (its names, titles and notes). */
    size_t n = strlen(word);
    for (const char *at = profile_text; (at = strstr(at, word)); at += n) {
        bool start = at == profile_text || !isalnum((unsigned char)at[-1]);
        bool end = !isalnum((unsigned char)at[n]);
        if (start && end)
            return true;
    }
    return false;
}

/* Markdown as plain words: the metadata comment, link targets and markup
 * characters go; letters, digits and sentence punctuation stay. */
static char *plain_words(const char *md)
{
    strbuf b = {0};
    for (const char *s = md; *s;) {
        if (!strncmp(s, "<!--", 4)) {
            const char *end = strstr(s, "-->");
            s = end ? end + 3 : s + strlen(s);
            continue;
        }
        if (s[0] == ']' && s[1] == '(') {
            const char *end = strchr(s, ')');
            s = end ? end + 1 : s + 1;
            sb_puts(&b, " ");
            continue;
        }
        if (strchr("#*_`>[]<|\\", *s)) {
            sb_puts(&b, " ");
            s++;
            continue;
        }
        sb_add(&b, s, 1);
        s++;
    }
    return b.data ? b.data : xstrdup("");
}

static bool hunspell_ready(void)
{
    if (!have_program("hunspell"))
        return false;
    run_result r = run_sh("echo colour | hunspell -d en_GB -l");
    bool ok = r.status == 0 && strlen(r.out) == 0 && strlen(r.err) == 0;
    run_free(&r);
    return ok;
}

typedef struct {
    char *tmp;
    int checked;
} spell_ctx;

static void check_spelling(const char *path, const profile *p, const document *d, void *arg)
{
    (void)p;
    spell_ctx *c = arg;
    char *md = render_md(d);
    char *text = plain_words(md);
    char *file = xasprintf("%s/%s.txt", c->tmp, d->audience_id);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    char *cmd = xasprintf("hunspell -d en_GB -i utf-8 -l < '%s' | sort -u", file);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "hunspell failed: %s", r.err);
    char *profile_text = slurp(path);
    cr_assert_not_null(profile_text);
    strbuf unknown = {0};
    char *words = xstrdup(r.out);
    for (char *w = strtok(words, "\n"); w; w = strtok(NULL, "\n"))
        if (!allowed(w, profile_text))
            sb_printf(&unknown, " %s", w);
    cr_expect_null(unknown.data, "%s %s: words not in the en_GB dictionary:%s",
                   base_name(path), d->audience_id, unknown.data ? unknown.data : "");
    sb_free(&unknown);
    free(words);
    free(profile_text);
    run_free(&r);
    free(cmd);
    free(file);
    free(text);
    free(md);
    c->checked++;
}

Test(library, example_documents_are_in_british_english, .timeout = 120)
{
    if (!hunspell_ready())
        cr_skip_test("hunspell or its en_GB dictionary (hunspell-en-gb) is not installed");
    spell_ctx c = {make_tmpdir(), 0};
    each_example_document(check_spelling, &c);
    cr_expect_gt(c.checked, 0);
    remove_tree(c.tmp);
    free(c.tmp);
}

/* --- a second opinion on the reading level ------------------------------- */

/* GNU style (from diction) reads a whole document differently from us: it
 * has no idea of list items, headings or signature lines, so a heading, an
 * email address or a row of dots runs on into the next sentence, and its
 * syllable rules give such lines far fewer syllables than ours. The figures
 * for whole documents drift apart for those reasons alone. So the cross-check
 * is made where both tools see the same prose: the statement texts one reader
 * gets in a compiled document, one statement a paragraph. */
static char *statement_prose(const document *d)
{
    strbuf b = {0};
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
            continue;
        bool statement = false;
        for (cmark_node *a = n; a && !statement; a = cmark_node_parent(a)) {
            const doc_tag *t = document_tag_of(a);
            statement = t && t->kind == TAG_STATEMENT;
        }
        if (!statement)
            continue;
        for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
            if (cmark_node_get_type(c) == CMARK_NODE_TEXT)
                sb_puts(&b, cmark_node_get_literal(c));
            else if (cmark_node_first_child(c) &&
                     cmark_node_get_type(cmark_node_first_child(c)) == CMARK_NODE_TEXT)
                sb_puts(&b, cmark_node_get_literal(cmark_node_first_child(c)));
        sb_puts(&b, "\n\n");
    }
    cmark_iter_free(it);
    return b.data ? b.data : xstrdup("");
}

typedef struct {
    char *tmp;
    int checked;
} style_ctx;

static void compare_with_style(const char *path, const profile *p, const document *d,
                               void *arg)
{
    (void)p;
    style_ctx *c = arg;
    char *prose = statement_prose(d);
    readability_stats ours = readability_text(prose);
    char *file = xasprintf("%s/%s.txt", c->tmp, d->audience_id);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fputs(prose, f);
    fclose(f);
    char *cmd = xasprintf("style -L en '%s'", file);
    run_result r = run_sh(cmd);
    const char *k = strstr(r.out, "Kincaid:");
    cr_assert_not_null(k, "no Kincaid figure from style: %s%s", r.out, r.err);
    double theirs = strtod(k + 8, NULL);
    cr_expect_leq(fabs(ours.fk_grade - theirs), 1.5,
                  "%s %s: our Flesch-Kincaid grade %.2f, style's Kincaid %.1f",
                  base_name(path), d->audience_id, ours.fk_grade, theirs);
    run_free(&r);
    free(cmd);
    free(file);
    free(prose);
    c->checked++;
}

Test(library, reading_level_agrees_with_gnu_style, .timeout = 120)
{
    if (!have_program("style"))
        cr_skip_test("GNU style (package diction) is not installed");
    style_ctx c = {make_tmpdir(), 0};
    each_example_document(compare_with_style, &c);
    cr_expect_gt(c.checked, 0);
    remove_tree(c.tmp);
    free(c.tmp);
}

/* --- the library itself ------------------------------------------------------ */

static const char *const readers[] = {"pupil-early", "pupil-ks2", "pupil-ks3-4",
    "pupil-post16", "staff", "parent", "community", "easy"};

static bool has_text_for(const statement *s, const char *reader)
{
    for (size_t i = 0; i < s->ntexts; i++)
        if (!strcmp(s->texts[i].reader, reader))
            return true;
    return false;
}

/* Another statement's text for READER says S's idea too (carries="..."). */
static bool carried_for(const library *lib, const statement *s, const char *reader)
{
    for (size_t i = 0; i < lib->count; i++) {
        const statement *o = &lib->items[i];
        for (size_t k = 0; k < o->ntexts; k++)
            if (!strcmp(o->texts[k].reader, reader) && o->texts[k].carries &&
                library_list_has(o->texts[k].carries, s->id))
                return true;
    }
    return false;
}

Test(library, core_statements_speak_to_every_reader)
{
    diag_list diags = {0};
    library *lib = library_load_embedded(&diags);
    cr_assert_not_null(lib);
    size_t core = 0;
    for (size_t i = 0; i < lib->count; i++) {
        const statement *s = &lib->items[i];
        if (!s->core)
            continue;
        core++;
        for (size_t r = 0; r < sizeof readers / sizeof readers[0]; r++)
            cr_expect(has_text_for(s, readers[r]) || carried_for(lib, s, readers[r]),
                      "core statement %s has no text for %s, and no text carries it",
                      s->id, readers[r]);
    }
    cr_expect_geq(core, 11, "only %zu core statements", core);
    library_free(lib);
    diag_free(&diags);
}

/* American spellings and the British forms to use. A word matches whole and
 * in any case; "-ize" forms are caught by the rule below the list. */
static const char *const american[][2] = {
    {"color", "colour"},       {"colors", "colours"},     {"behavior", "behaviour"},
    {"behaviors", "behaviours"}, {"center", "centre"},    {"centers", "centres"},
    {"program", "programme"},  {"programs", "programmes"}, {"favorite", "favourite"},
    {"honor", "honour"},       {"neighbor", "neighbour"}, {"labor", "labour"},
    {"catalog", "catalogue"},  {"defense", "defence"},    {"offense", "offence"},
    {"gray", "grey"},          {"enroll", "enrol"},       {"fulfill", "fulfil"},
    {"mom", "mum"},            {"math", "maths"},         {"cellphone", "mobile phone"},
    {"traveling", "travelling"}, {"canceled", "cancelled"}, {"modeling", "modelling"},
    {"theater", "theatre"},    {"analyze", "analyse"},    {"skeptical", "sceptical"},
};

/* "license" is the British verb; as a noun it is "licence". */
static const char *const license_nouns[] = {"a", "the", "your", "our", "this", "their"};

/* Words ending in -ize, -izes, -ized, -izing or -ization that are not
 * spelt with -ise in British English. */
static const char *const ize_ok[] = {"size", "sizes", "sized", "prize", "prizes", "seize",
    "seized", "seizes", "seizing", "capsize", "downsize", "oversized", "bite-size"};

static bool american_ize(const char *w)
{
    static const char *const ends[] = {"ize", "izes", "ized", "izing", "ization",
                                       "izations", "izer", "izers"};
    size_t n = strlen(w);
    for (size_t i = 0; i < sizeof ize_ok / sizeof ize_ok[0]; i++)
        if (!strcmp(w, ize_ok[i]))
            return false;
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t e = strlen(ends[i]);
        if (n > e + 2 && !strcmp(w + n - e, ends[i]))
            return true;
    }
    return false;
}

static void check_spellings_in(const statement *s, const statement_text *t)
{
    char prev[64] = "";
    for (const char *p = t->text; *p;) {
        if (!isalpha((unsigned char)*p)) {
            p++;
            continue;
        }
        char w[64];
        size_t n = 0;
        while ((isalpha((unsigned char)*p) || *p == '-') && n + 1 < sizeof w)
            w[n++] = (char)tolower((unsigned char)*p++);
        w[n] = '\0';
        for (size_t i = 0; i < sizeof american / sizeof american[0]; i++)
            cr_expect(strcmp(w, american[i][0]) != 0,
                      "%s (%s): American spelling '%s'; write '%s'", s->id, t->reader, w,
                      american[i][1]);
        cr_expect_not(american_ize(w), "%s (%s): American spelling '%s'; use -ise", s->id,
                      t->reader, w);
        if (!strcmp(w, "license"))
            for (size_t i = 0; i < sizeof license_nouns / sizeof license_nouns[0]; i++)
                cr_expect(strcmp(prev, license_nouns[i]) != 0,
                          "%s (%s): '%s license' is a noun: write 'licence'", s->id,
                          t->reader, prev);
        snprintf(prev, sizeof prev, "%s", w);
    }
}

Test(library, statement_texts_use_british_spellings)
{
    diag_list diags = {0};
    library *lib = library_load_embedded(&diags);
    cr_assert_not_null(lib);
    for (size_t i = 0; i < lib->count; i++)
        for (size_t k = 0; k < lib->items[i].ntexts; k++)
            check_spellings_in(&lib->items[i], &lib->items[i].texts[k]);
    library_free(lib);
    diag_free(&diags);
}

/* The checker itself: it must catch what it claims to. */
Test(library, spelling_rules_catch_american_forms)
{
    cr_expect(american_ize("organize"));
    cr_expect(american_ize("recognized"));
    cr_expect(american_ize("authorization"));
    cr_expect_not(american_ize("size"));
    cr_expect_not(american_ize("recognised"));
    cr_expect_not(american_ize("prize"));
}
