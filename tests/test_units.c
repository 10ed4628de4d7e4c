/* units: a draft cut into sentences, items, cells and headings, each with
 * the heading above it and the lead-in it completes. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "units.h"

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
