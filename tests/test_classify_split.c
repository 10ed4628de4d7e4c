/* classify: a long draft read in two halves at once gets the classes, and
 * the reasons, it gets read on one thread, wherever the halves meet. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "classify.h"
#include "classify_blob.h"
#include "helpers.h"
#include "units.h"
#include "util/io.h"

static void append(const char *path, const char *text, void *arg)
{
    (void)path;
    sb_add(arg, text, strlen(text));
    sb_add(arg, "\n\n", 2);
}

static bool why_eq(const classify_why *a, const classify_why *b)
{
    return a->kind == b->kind && a->rule == b->rule && a->unit == b->unit &&
           a->from == b->from && a->to == b->to;
}

/* Unit I of A and of B: the same class and the same reasons. */
static void expect_same(const unit_class *a, const unit_class *b, size_t i, size_t split)
{
    cr_assert(a->acts == b->acts && a->topics == b->topics && a->marks == b->marks &&
                  a->ban == b->ban && a->promotes == b->promotes && a->weak == b->weak &&
                  a->context == b->context && a->polarity == b->polarity &&
                  a->readers == b->readers && a->named == b->named &&
                  a->why_set == b->why_set,
              "unit %zu differs with the halves meeting at unit %zu", i, split);
    for (int k = 0; k < __builtin_popcountll(a->why_set); k++)
        cr_assert(why_eq(&a->why[k], &b->why[k]), "reason %d of unit %zu, split %zu", k, i, split);
}

Test(classify_split, every_split_gives_the_classes_of_one_thread)
{
    diag_list d = {0};
    classifier *c = classify_load_embedded(&d);
    cr_assert_not_null(c);
    /* every corpus draft end to end: lists under lead-ins, tables with row
       labels, headings, sentences that follow on, forms */
    strbuf md = {0};
    cr_assert_gt(each_md_file("tests/lint/corpus", append, &md), 20);
    cmark_node *root = cmark_parse_document(md.data, md.len, CMARK_OPT_SOURCEPOS);
    unit_list u = {0};
    units_build(root, md.data, md.len, &u);
    size_t n = u.count;
    cr_assert_gt(n, 2000, "a draft long enough to be split: %zu units", n);
    unit_class *one = classify_units_at(c, &u, n);
    const size_t splits[] = {0, 1, 2, 3, n / 3, n / 2, n / 2 + 1, 2 * n / 3, n - 1};
    for (size_t s = 0; s <= sizeof splits / sizeof *splits; s++) {
        /* the last round is classify_units's own choice */
        bool own = s == sizeof splits / sizeof *splits;
        unit_class *two = own ? classify_units(c, &u) : classify_units_at(c, &u, splits[s]);
        for (size_t i = 0; i < n; i++)
            expect_same(&one[i], &two[i], i, own ? 0 : splits[s]);
        free(two);
    }
    free(one);
    units_free(&u);
    cmark_node_free(root);
    free(md.data);
    classify_free(c);
    diag_free(&d);
}

/* With the draft's audience given, the rules that only guess it are passed
 * over: the classes lose their readers, bands, addressees and easy-read
 * marks, and keep everything else, reasons included. Only a heading below
 * the title still says whom it addresses ("For grown-ups at home"). */
Test(classify_split, a_known_reader_changes_only_the_guesses)
{
    const unsigned guesses = (1u << MARK_BAND) | (1u << MARK_ADDRESSEE) | (1u << MARK_EASY_READ);
    diag_list d = {0};
    classifier *c = classify_load_embedded(&d);
    cr_assert_not_null(c);
    strbuf md = {0};
    cr_assert_gt(each_md_file("tests/lint/corpus", append, &md), 20);
    cmark_node *root = cmark_parse_document(md.data, md.len, CMARK_OPT_SOURCEPOS);
    unit_list u = {0};
    units_build(root, md.data, md.len, &u);
    unit_class *all = classify_units(c, &u);
    unit_class *known = classify_units_for(c, &u, true);
    size_t guessed = 0;
    for (size_t i = 0; i < u.count; i++) {
        const unit_class *a = &all[i], *k = &known[i];
        guessed += a->readers != 0 || (a->marks & guesses) != 0;
        bool sub = u.items[i].kind == UNIT_HEADING && u.items[i].level > 1;
        unsigned said = sub ? 1u << MARK_ADDRESSEE : 0;
        cr_assert(!(k->marks & guesses & ~said) &&
                      (sub ? !(k->named & ~a->named) && !(k->readers & ~a->readers)
                           : !k->named && !k->readers),
                  "unit %zu still guesses its reader", i);
        cr_assert(a->acts == k->acts && a->topics == k->topics &&
                      (a->marks & ~guesses) == (k->marks & ~said) && a->ban == k->ban &&
                      a->promotes == k->promotes && a->weak == k->weak &&
                      a->context == k->context && a->polarity == k->polarity,
                  "unit %zu: \"%s\" is classed otherwise", i, u.items[i].text);
        for (int b = 0; b < CLASSIFY_NACTS; b++) {
            classify_why x = classify_act_why(a, 1u << b), y = classify_act_why(k, 1u << b);
            cr_assert(why_eq(&x, &y), "unit %zu, act %d: another reason", i, b);
        }
        for (int b = 0; b < CLASSIFY_NTOPICS; b++) {
            classify_why x = classify_topic_why(a, 1u << b), y = classify_topic_why(k, 1u << b);
            cr_assert(why_eq(&x, &y), "unit %zu, topic %d: another reason", i, b);
        }
        for (int m = 0; m < CLASSIFY_NMARKS; m++) {
            if (guesses & (1u << m))
                continue;
            classify_why x = classify_mark_why(a, m), y = classify_mark_why(k, m);
            cr_assert(why_eq(&x, &y), "unit %zu, mark %s: another reason", i,
                      classify_mark_name(m));
        }
    }
    cr_assert_gt(guessed, 100, "the corpus names its readers in %zu units", guessed);
    free(all);
    free(known);
    units_free(&u);
    cmark_node_free(root);
    free(md.data);
    classify_free(c);
    diag_free(&d);
}
