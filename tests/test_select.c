#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "fixtures.h"
#include "helpers.h"
#include "render.h"
#include "select.h"
#include "util/io.h"

static library *lib;

static void load_lib(void)
{
    diag_list d = {0};
    lib = library_load_embedded(&d);
    cr_assert_not_null(lib, "%s", d.count ? d.items[0].message : "?");
    diag_free(&d);
}

static void free_lib(void)
{
    library_free(lib);
}

static profile *load(const char *text)
{
    diag_list d = {0};
    profile *p = profile_parse("t.xml", text, strlen(text), &d);
    cr_assert_not_null(p, "%s", d.count ? d.items[0].message : "?");
    diag_free(&d);
    return p;
}

static bool selected(const profile *p, size_t audience, const char *id)
{
    library *custom = select_custom_library(p, lib, NULL);
    selection sel;
    select_statements(p, lib, custom, &p->audiences[audience], &sel);
    bool found = false;
    for (size_t i = 0; i < sel.count; i++)
        found |= strcmp(sel.items[i]->id, id) == 0;
    selection_free(&sel);
    library_free(custom);
    return found;
}

static profile *mutated(const char *from, const char *to)
{
    char *text = replace_once(base_profile, from, to);
    profile *p = load(text);
    free(text);
    return p;
}

TestSuite(select, .init = load_lib, .fini = free_lib);

Test(select, device_policy_picks_one_statement_per_level)
{
    static const char *const levels[] = {"banned", "approved-use", "encouraged"};
    for (int l = 0; l < 3; l++) {
        char *attr = xasprintf("pupils=\"%s\"", levels[l]);
        profile *p = mutated("pupils=\"banned\"", attr);
        for (int k = 0; k < 3; k++) {
            char *id = xasprintf("devices-%s", levels[k]);
            cr_expect_eq(selected(p, 0, id), k == l, "%s with pupils=%s", id, levels[l]);
            free(id);
        }
        /* Staff keep their own policy whatever the pupils' is. */
        cr_expect(selected(p, 1, "devices-approved-use"));
        free(attr);
        profile_free(p);
    }
}

Test(select, post16_policy_overrides_pupils)
{
    profile *p = mutated("<audience band=\"ks2\"/>", "<audience band=\"post16\"/>");
    cr_assert(selected(p, 0, "devices-banned"));
    profile_free(p);
    p = mutated("staff=\"approved-use\"/>", "staff=\"approved-use\" post16=\"encouraged\"/>");
    profile_free(p);
    char *a = replace_once(base_profile, "<audience band=\"ks2\"/>", "<audience band=\"post16\"/>");
    char *b = replace_once(a, "staff=\"approved-use\"/>",
                           "staff=\"approved-use\" post16=\"encouraged\"/>");
    p = load(b);
    cr_expect(selected(p, 0, "devices-encouraged"));
    cr_expect_not(selected(p, 0, "devices-banned"));
    profile_free(p);
    free(a);
    free(b);
}

Test(select, audience_conditions)
{
    profile *p = load(base_profile);
    cr_expect(selected(p, 1, "staff-data-protection"));
    cr_expect_not(selected(p, 0, "staff-data-protection"), "staff text given to pupils");
    cr_expect_not(selected(p, 0, "parent-tell-us"));
    cr_expect(selected(p, 0, "protect-logins"));
    cr_expect(selected(p, 1, "protect-logins"));
    profile_free(p);
}

Test(select, monitoring_and_technology_conditions)
{
    profile *p = load(base_profile);
    cr_expect(selected(p, 0, "monitored-personal"));
    cr_expect(selected(p, 0, "school-tech-email"), "email is provided");
    cr_expect_not(selected(p, 0, "school-tech-platform"), "no learning platform");
    cr_expect_not(selected(p, 0, "ai-use-approved"), "no AI tools");
    profile_free(p);
    p = mutated("personal-messages=\"true\"", "personal-messages=\"false\"");
    cr_expect_not(selected(p, 0, "monitored-personal"));
    profile_free(p);
}

Test(select, include_exclude_and_custom)
{
    profile *p = mutated("</setting>",
        "  <statements>\n"
        "    <exclude id=\"fair-use\" audiences=\"staff\" reason=\"covered in staff handbook\"/>\n"
        "    <include id=\"ai-use-approved\"/>\n"
        "    <custom id=\"forest-school\" section=\"acceptable\">\n"
        "      <text for=\"pupil\">I will use the tablet in forest school to take nature photos.</text>\n"
        "      <text for=\"staff\">Forest school tablets hold no pupil data.</text>\n"
        "    </custom>\n"
        "  </statements>\n</setting>");
    cr_expect(selected(p, 0, "fair-use"), "excluded for staff only");
    cr_expect_not(selected(p, 1, "fair-use"));
    cr_expect(selected(p, 0, "ai-use-approved"), "include beats the provides= condition");
    cr_expect(selected(p, 0, "forest-school"));
    cr_expect(selected(p, 1, "forest-school"));
    profile_free(p);
}

/* Compile the fixture with a <statements> block; it must fail. Returns the
 * first diagnostic, owned by *D. */
static const diag *override_error(const char *block, diag_list *d)
{
    char *with = xasprintf("  <statements>\n%s  </statements>\n</setting>", block);
    char *text = replace_once(base_profile, "</setting>", with);
    profile *p = load(text);
    doc_set docs;
    cr_assert_eq(compile_profile(p, lib, &docs, d), -1);
    cr_assert_geq(d->count, 1);
    profile_free(p);
    free(text);
    free(with);
    return &d->items[0];
}

Test(select, unknown_override_id_is_an_error)
{
    diag_list d = {0};
    const diag *e = override_error("    <exclude id=\"no-such-thing\"/>\n", &d);
    cr_assert_eq(e->line, 27);
    cr_assert_eq(e->col, 5);
    cr_assert(strstr(e->message, "no statement has the id 'no-such-thing'"));
    diag_free(&d);
}

Test(select, custom_id_clash_is_an_error)
{
    diag_list d = {0};
    const diag *e = override_error("    <custom id=\"own-use\" section=\"acceptable\">"
                                   "<text for=\"staff\">x</text></custom>\n", &d);
    cr_assert(strstr(e->message, "custom statement id 'own-use' is already taken"));
    diag_free(&d);
}

/* The name holds every character that could become markup somewhere. */
Test(select, hostile_setting_name_stays_literal)
{
    const char *literal = "Star * <b>Bold</b> {{statements acceptable}} & ] [x](y) _u_";
    char *text = replace_once(base_profile, "<name>Test School</name>",
        "<name>Star * &lt;b&gt;Bold&lt;/b&gt; {{statements acceptable}} &amp; ] [x](y) _u_</name>");
    profile *p = load(text);
    cr_assert_str_eq(p->name, literal);
    diag_list d = {0};
    doc_set docs;
    cr_assert_eq(compile_profile(p, lib, &docs, &d), 0);
    char *md = render_md(docs.docs[0]);
    /* Read the Markdown back: the second block is the name's paragraph. */
    cmark_node *root = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    cmark_node *n = cmark_node_first_child(root);
    while (n && cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
        n = cmark_node_next(n);
    cr_assert_not_null(n);
    strbuf got = {0};
    cmark_iter *it = cmark_iter_new(n);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *c = cmark_iter_get_node(it);
        cr_assert_neq(cmark_node_get_type(c), CMARK_NODE_HTML_INLINE, "became HTML: %s", md);
        cr_assert_neq(cmark_node_get_type(c), CMARK_NODE_EMPH, "became emphasis: %s", md);
        cr_assert_neq(cmark_node_get_type(c), CMARK_NODE_LINK, "became a link: %s", md);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(c) == CMARK_NODE_TEXT)
            sb_puts(&got, cmark_node_get_literal(c));
    }
    cmark_iter_free(it);
    cr_expect_str_eq(got.data, literal);
    char *html = render_html(docs.docs[0]);
    cr_expect(strstr(html, "<p>Star * &lt;b&gt;Bold&lt;/b&gt; {{statements acceptable}} &amp; ] "
                           "[x](y) _u_</p>"), "%s", html);
    cr_expect(strstr(html, "<title>My agreement for using technology – Star * &lt;b&gt;"));
    cr_expect_null(strstr(html, "<b>Bold"));
    sb_free(&got);
    cmark_node_free(root);
    free(md);
    free(html);
    doc_set_free(&docs);
    diag_free(&d);
    profile_free(p);
    free(text);
}
