/* units: a draft cut into sentences, items, cells and headings, each with
 * the heading above it and the lead-in it completes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "helpers.h"
#include "units.h"
#include "util/io.h"

static unit_list parse(const char *md, cmark_node **root)
{
    *root = cmark_parse_document(md, strlen(md), CMARK_OPT_SOURCEPOS);
    unit_list u = {0};
    units_build(*root, md, strlen(md), &u);
    return u;
}

/* The index of the unit whose text is TEXT; the test fails without one. */
static int find(const unit_list *u, const char *text)
{
    for (size_t i = 0; i < u->count; i++)
        if (!strcmp(u->items[i].text, text))
            return (int)i;
    cr_assert_fail("no unit \"%s\"", text);
    return -1;
}

Test(units, sentences_items_and_headings_in_order)
{
    cmark_node *root;
    unit_list u = parse("# Rules\n\nWe learn. We play!\n\n## I will\n\n- be kind\n- log off.\n",
                        &root);
    static const char *const want[] = {"Rules", "We learn.", "We play!", "I will", "be kind",
                                       "log off."};
    static const unit_kind kinds[] = {UNIT_HEADING, UNIT_PARAGRAPH, UNIT_PARAGRAPH,
                                      UNIT_HEADING, UNIT_ITEM, UNIT_ITEM};
    cr_assert_eq(u.count, 6);
    for (size_t i = 0; i < 6; i++) {
        cr_expect_str_eq(u.items[i].text, want[i]);
        cr_expect_eq(u.items[i].kind, kinds[i], "%s", want[i]);
    }
    cr_expect_eq(u.items[0].heading, -1);
    cr_expect_eq(u.items[3].heading, 0, "a level-2 heading sits under the title");
    cr_expect_eq(u.items[4].heading, 3);
    cr_expect_eq(u.items[1].line, 3);
    cr_expect_eq(u.items[2].line, 3);
    cr_expect_eq(u.items[2].col, 11, "the second sentence starts at column 11");
    cr_expect_eq(u.items[4].col, 3);
    cr_expect(u.items[1].first && !u.items[2].first);
    cr_expect_eq(u.items[1].block, u.items[2].block);
    cr_expect_str_eq(u.items[0].folded, "rules");
    units_free(&u);
    cmark_node_free(root);
}

Test(units, lead_ins_end_in_a_colon_or_are_bare_phrases)
{
    cmark_node *root;
    unit_list u = parse("I promise not to:\n\n- share my password\n\n"
                        "Examples of unacceptable use\n\n- Using any device to bully\n\n"
                        "We share these rules.\n\n- Be kind\n\n"
                        "- Never share:\n  - passwords\n",
                        &root);
    int lead = find(&u, "I promise not to:");
    cr_expect_eq(u.items[find(&u, "share my password")].lead_in, lead);
    cr_expect_eq(u.items[find(&u, "Using any device to bully")].lead_in,
                 find(&u, "Examples of unacceptable use"));
    cr_expect_eq(u.items[find(&u, "Be kind")].lead_in, -1, "a full sentence is no lead-in");
    cr_expect_eq(u.items[find(&u, "passwords")].lead_in, find(&u, "Never share:"),
                 "a nested list hangs from its item");
    units_free(&u);
    cmark_node_free(root);
}

Test(units, tables_give_each_cell_its_header_and_row)
{
    cmark_node *root;
    unit_list u = parse("| Area | You can | You must not |\n| --- | --- | :-: |\n"
                        "| Your own phone | Use it at break | Use it in lessons |\n"
                        "| [ ] | | Share it |\n",
                        &root);
    int can = find(&u, "You can"), phone = find(&u, "Your own phone");
    int use = find(&u, "Use it at break"), lessons = find(&u, "Use it in lessons");
    cr_expect(u.items[can].label && u.items[phone].label, "headers and row labels are labels");
    cr_expect_eq(u.items[use].kind, UNIT_CELL);
    cr_expect(!u.items[use].label);
    cr_expect_eq(u.items[use].lead_in, can);
    cr_expect_eq(u.items[use].row_head, phone);
    cr_expect_eq(u.items[lessons].lead_in, find(&u, "You must not"));
    cr_expect_eq(u.items[use].line, 3);
    cr_expect_eq(u.items[use].col, 20);
    cr_expect_eq(u.items[find(&u, "Share it")].line, 4);
    for (size_t i = 0; i < u.count; i++)
        cr_expect(strcmp(u.items[i].text, "[ ]"), "an empty tick box is no unit");
    units_free(&u);
    cmark_node_free(root);
    /* a cell of the body is read clause by clause; a header cell is whole */
    u = parse("| Do | Don't; ever |\n| --- | --- |\n"
              "| Log out. | Don't message clients from your own number; use the salon phone. |\n",
              &root);
    int dont = find(&u, "Don't; ever");
    int msg = find(&u, "Don't message clients from your own number");
    int salon = find(&u, "use the salon phone.");
    cr_expect(u.items[msg].lead_in == dont && u.items[salon].lead_in == dont);
    cr_expect(u.items[msg].block == u.items[salon].block && u.items[salon].row == 1);
    cr_expect(u.items[msg].column == 1 && u.items[salon].column == 1 &&
              u.items[find(&u, "Log out.")].column == 0);
    units_free(&u);
    cmark_node_free(root);
}

Test(units, word_exports_bold_headings_and_typed_bullets)
{
    cmark_node *root;
    /* Word writes a heading as a bold paragraph and a list as lines of
       bullets with hard breaks */
    unit_list u = parse("**I won\xE2\x80\x99t\xE2\x80\xA6**\n\n"
                        "\xE2\x80\xA2 share photos  \n"
                        "\xE2\x80\xA2 bring my phone \xE2\x80\x93 it stays in the office\n",
                        &root);
    int h = find(&u, "I won\xE2\x80\x99t\xE2\x80\xA6");
    cr_expect_eq(u.items[h].kind, UNIT_HEADING);
    int a = find(&u, "share photos"), b = find(&u, "bring my phone");
    cr_expect_eq(u.items[a].kind, UNIT_ITEM);
    cr_expect_eq(u.items[a].heading, h);
    cr_expect_neq(u.items[a].block, u.items[b].block, "each bullet is an item of its own");
    cr_expect_eq(u.items[b].line, 4);
    int c = find(&u, "it stays in the office");
    cr_expect_eq(u.items[c].block, u.items[b].block, "a spaced dash starts a clause, not an item");
    units_free(&u);
    cmark_node_free(root);
}

/* A bold line before a list names the list's section, as a heading
 * would; ending in a colon, it leads into the list instead. */
Test(units, a_bold_line_before_a_list_heads_it_unless_it_leads_in)
{
    cmark_node *root;
    unit_list u = parse("**Filming and photography**\n\n"
                        "1. A club may film its own matches.\n\n"
                        "**You must not:**\n\n"
                        "- fly drones over the pitch\n", &root);
    int h = find(&u, "Filming and photography");
    cr_expect_eq(u.items[h].kind, UNIT_HEADING);
    cr_expect_eq(u.items[find(&u, "A club may film its own matches.")].heading, h);
    int l = find(&u, "You must not:");
    cr_expect_neq(u.items[l].kind, UNIT_HEADING);
    cr_expect_eq(u.items[find(&u, "fly drones over the pitch")].lead_in, l);
    units_free(&u);
    cmark_node_free(root);
}

/* A setting's own name keeps only its kind in the folded text the rules
 * read: the words before it describe the setting, not the reader. */
Test(units, a_settings_name_keeps_only_its_kind)
{
    cmark_node *root;
    unit_list u = parse("# St Mary\xE2\x80\x99s C of E Infant School\n\n"
                        "Little Acorns Day Nursery's garden is for our Infant classes.\n\n"
                        "Rules for Our Junior School\n", &root);
    const unit *t = &u.items[find(&u, "St Mary\xE2\x80\x99s C of E Infant School")];
    cr_expect(!strstr(t->folded, "infant") && strstr(t->folded, "school"), "%s", t->folded);
    cr_expect_eq(t->folded_len, strlen(t->folded));
    const unit *p = &u.items[find(&u, "Little Acorns Day Nursery's garden is for our Infant "
                                      "classes.")];
    cr_expect(strstr(p->folded, "setting's garden") && !strstr(p->folded, "acorns"), "%s",
              p->folded);
    cr_expect(strstr(p->folded, "our infant classes"), "not a name: %s", p->folded);
    const unit *r = &u.items[find(&u, "Rules for Our Junior School")];
    cr_expect(strstr(r->folded, "rules for our") && !strstr(r->folded, "junior"), "%s",
              r->folded);
    units_free(&u);
    cmark_node_free(root);
}

/* A form's tick boxes typed one to a line in a single paragraph are items
 * of their own, each keeping its box (the blank a reader fills in). */
Test(units, tick_boxes_one_to_a_line_are_items)
{
    cmark_node *root;
    unit_list u = parse("**I will not**\n\n"
                        "\xE2\x98\x90 download games\n"
                        "\xE2\x98\x90 use a phone at club\n", &root);
    int h = find(&u, "I will not");
    int a = find(&u, "\xE2\x98\x90 download games");
    int b = find(&u, "\xE2\x98\x90 use a phone at club");
    cr_expect_eq(u.items[a].kind, UNIT_ITEM);
    cr_expect_eq(u.items[a].heading, h);
    cr_expect_neq(u.items[a].block, u.items[b].block, "each box is an item of its own");
    cr_expect_eq(u.items[b].line, 4);
    units_free(&u);
    cmark_node_free(root);
}

/* A question-and-answer page: a bold line with its answer on the next
 * line heads that answer, as a heading would; a paragraph that only starts
 * in bold is one paragraph. */
Test(units, a_bold_question_heads_its_answer)
{
    cmark_node *root;
    unit_list u = parse("# Laptops\n\n**Can I bring my phone?**\n"
                        "Yes. It stays in your bag.\n\n"
                        "**Note** the office\nis open at nine.\n", &root);
    int q = find(&u, "Can I bring my phone?");
    cr_expect_eq(u.items[q].kind, UNIT_HEADING);
    int a = find(&u, "It stays in your bag.");
    cr_expect_eq(u.items[a].heading, q);
    cr_expect_eq(u.items[a].line, 4);
    cr_expect_eq(u.items[find(&u, "Yes.")].heading, q);
    int p = find(&u, "Note the office is open at nine.");
    cr_expect_eq(u.items[p].kind, UNIT_PARAGRAPH);
    units_free(&u);
    cmark_node_free(root);
}

Test(units, clauses_after_semicolons_and_colons)
{
    cmark_node *root;
    unit_list u = parse("Never film pupils on your own phone; use the school camera.\n\n"
                        "Trust devices must not be used: to bully anyone; to gamble.\n\n"
                        "Date approved: 1 July 2026\n",
                        &root);
    find(&u, "Never film pupils on your own phone");
    find(&u, "use the school camera.");
    int lead = find(&u, "Trust devices must not be used:");
    cr_expect_eq(u.items[find(&u, "to bully anyone")].lead_in, lead);
    cr_expect_eq(u.items[find(&u, "to gamble.")].kind, UNIT_ITEM);
    find(&u, "Date approved: 1 July 2026");
    units_free(&u);
    cmark_node_free(root);
}

Test(units, forms_pictures_and_code_are_not_read_as_rules)
{
    cmark_node *root;
    unit_list u = parse("![A phone with a cross on it](no-phone.png)\n\nI do not bring a phone.\n\n"
                        "    code is not read\n\n<!-- nor a comment -->\n\n"
                        "Signed: ______________ Date: ......\n\n- [ ] I agree\n",
                        &root);
    cr_assert_eq(u.count, 3, "%zu units", u.count);
    cr_expect_str_eq(u.items[0].text, "I do not bring a phone.");
    cr_expect(!u.items[0].field);
    cr_expect(u.items[1].field, "a line to sign");
    cr_expect(u.items[2].field, "a tick box");
    units_free(&u);
    cmark_node_free(root);
}

Test(units, deep_nesting_is_no_danger)
{
    /* a thousand nested quotes and lists: walked without recursion */
    size_t n = 1000;
    char *md = malloc(4 * n + 32);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        md[k++] = '>';
    memcpy(md + k, " - - - deep\n", 12);
    k += 12;
    md[k] = '\0';
    cmark_node *root;
    unit_list u = parse(md, &root);
    cr_expect_geq(u.count, 1);
    units_free(&u);
    cmark_node_free(root);
    free(md);
}

/* ---- a long draft read in two halves ---- */

static void expect_same_units(const unit_list *a, const unit_list *b, const char *what)
{
    cr_assert_eq(a->count, b->count, "%s: %zu units, not %zu", what, a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        const unit *x = &a->items[i], *y = &b->items[i];
        cr_assert_str_eq(x->text, y->text, "%s: unit %zu", what, i);
        cr_assert_str_eq(x->folded, y->folded, "%s: unit %zu", what, i);
        cr_assert(x->kind == y->kind && x->len == y->len && x->folded_len == y->folded_len &&
                      x->line == y->line && x->col == y->col && x->heading == y->heading &&
                      x->lead_in == y->lead_in && x->block == y->block &&
                      x->level == y->level && x->row == y->row && x->row_head == y->row_head &&
                      x->label == y->label && x->first == y->first && x->field == y->field &&
                      x->words == y->words && x->syllables == y->syllables &&
                      x->polysyllables == y->polysyllables,
                  "%s: unit %zu (\"%s\") differs", what, i, x->text);
    }
}

/* MD cut at every top-level heading (at most LIMIT of them, spread evenly)
 * gives the units of the whole; how many cuts were tried. */
static size_t same_at_every_cut(const char *md, size_t limit)
{
    size_t len = strlen(md);
    cmark_node *root = cmark_parse_document(md, len, CMARK_OPT_SOURCEPOS);
    unit_list whole = {0};
    units_build_at(root, md, len, &whole, NULL, 0);
    size_t heads = 0, cuts = 0;
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n))
        heads += cmark_node_get_type(n) == CMARK_NODE_HEADING;
    size_t step = heads > limit ? heads / limit : 1, k = 0;
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n)) {
        if (cmark_node_get_type(n) != CMARK_NODE_HEADING || n == cmark_node_first_child(root) ||
            k++ % step)
            continue;
        const char *lit = cmark_node_first_child(n) ? cmark_node_get_literal(cmark_node_first_child(n)) : NULL;
        if (!lit || !*lit)
            continue;
        unit_list cut = {0};
        units_build_at(root, md, len, &cut, &n, 1);
        char what[64];
        snprintf(what, sizeof what, "cut at line %d", cmark_node_get_start_line(n));
        expect_same_units(&whole, &cut, what);
        units_free(&cut);
        cuts++;
    }
    units_free(&whole);
    cmark_node_free(root);
    return cuts;
}

/* MD cut at once before every STEP-th top-level heading with text (the
 * helper then walks many stretches, the last first, each joined after
 * the one before) gives the units of the whole; how many cuts that was. */
static size_t same_with_cuts_every(const char *md, size_t step)
{
    size_t len = strlen(md);
    cmark_node *root = cmark_parse_document(md, len, CMARK_OPT_SOURCEPOS);
    unit_list whole = {0};
    units_build_at(root, md, len, &whole, NULL, 0);
    cmark_node *cuts[64];
    size_t n = 0, k = 0;
    for (cmark_node *x = cmark_node_first_child(root); x && n < 64; x = cmark_node_next(x)) {
        if (cmark_node_get_type(x) != CMARK_NODE_HEADING || x == cmark_node_first_child(root))
            continue;
        const char *lit = cmark_node_first_child(x) ? cmark_node_get_literal(cmark_node_first_child(x)) : NULL;
        if (lit && *lit && k++ % step == 0)
            cuts[n++] = x;
    }
    unit_list cut = {0};
    units_build_at(root, md, len, &cut, cuts, n);
    char what[64];
    snprintf(what, sizeof what, "%zu cuts, every %zu headings", n, step);
    expect_same_units(&whole, &cut, what);
    units_free(&cut);
    units_free(&whole);
    cmark_node_free(root);
    return n;
}

/* Headings of every level, above and below the cut, bold paragraphs
 * standing for headings, lists, lead-ins, tables and lettered clauses on
 * both sides. */
Test(units_halves, the_same_units_wherever_the_draft_is_cut)
{
    static const char md[] =
        "# Title\n\nIntro text. Second sentence.\n\n**Bold section**\n\nUnder bold.\n\n"
        "## Part A\n\nI will not:\n\n- share my password\n- be unkind; tell a teacher\n\n"
        "### Detail\n\n| Device | At break | In lessons |\n|---|---|---|\n| Phone | Yes | No |\n\n"
        "#### Deeper\n\n2.4 Staff must not:\n\na) post photos\n\nb) message pupils\n\n"
        "## Part B\n\n**Bold one**\n\nText under it.\n\n**Bold two**\n\n- item: with a colon\n\n"
        "###### Six\n\nSix text.\n\n- a list\n\n  ## A heading in a list\n\n  its text\n\n"
        "> ### A quoted heading\n\n# Second title\n\nMore: things - including these.\n\n"
        "### Skipped level\n\nA sentence.\n\n## Back up\n\n1. one\n2. two\n   - nested\n\n"
        "# Third\n\n> quoted text\n\n## Last\n\nEnd.\n";
    cr_expect_eq(same_at_every_cut(md, 100), 10);
    for (size_t step = 1; step <= 3; step++)
        cr_expect_gt(same_with_cuts_every(md, step), 2);
}

static void append_draft(const char *path, const char *text, void *arg)
{
    (void)path;
    sb_printf(arg, "%s\n\n", text);
}

/* Every draft of the corpus, one after another as one long draft. */
Test(units_halves, the_corpus_as_one_draft, .timeout = 120)
{
    strbuf all = {0};
    sb_puts(&all, "");
    each_md_file("tests/lint/corpus", append_draft, &all);
    cr_expect_gt(same_at_every_cut(all.data, 40), 30);
    /* the corpus has some hundreds of headings: 64 cuts, far apart or close */
    cr_expect_eq(same_with_cuts_every(all.data, 1), 64);
    cr_expect_eq(same_with_cuts_every(all.data, 5), 64);
    sb_free(&all);
}
