#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "helpers.h"
#include "render.h"
#include "select.h"
#include "template.h"
#include "util/io.h"

static library *lib;
static profile *prof;

static void setup(void)
{
    diag_list d = {0};
    lib = library_load_embedded(&d);
    prof = profile_parse("t.xml", base_profile, strlen(base_profile), &d);
    cr_assert(lib && prof);
    diag_free(&d);
}

static void teardown(void)
{
    profile_free(prof);
    library_free(lib);
}

/* Fill TEMPLATE for the audience at INDEX and return its Markdown body. */
static char *fill(const char *tmpl, size_t index, int *rc, diag_list *d)
{
    const profile_audience *a = &prof->audiences[index];
    selection sel;
    select_statements(prof, lib, NULL, a, &sel);
    document *doc = document_new();
    doc->title = xstrdup("T");
    doc->audience_label = xstrdup("L");
    template_ctx ctx = {prof, a, &sel, doc, d, 0};
    *rc = template_fill(&ctx, "t.md", tmpl, strlen(tmpl));
    char *md = cmark_render_commonmark(doc->root, CMARK_OPT_DEFAULT, 0);
    selection_free(&sel);
    document_free(doc);
    return md;
}

TestSuite(template, .init = setup, .fini = teardown);

Test(template, fields_become_text)
{
    diag_list d = {0};
    int rc;
    char *md = fill("# For {{setting.name}}\n\nAsk {{person.dsl}} or {{person.network-manager}} "
                    "about {{tech.email}} and {{tech.wifi}}; filtering by "
                    "{{monitoring.provider}}. Next review {{review.next}}.\n", 0, &rc, &d);
    cr_assert_eq(rc, 0);
    cr_expect_str_eq(md, "# For Test School\n\nAsk Ms Dee Ess or the network manager about "
                         "TestMail and the wifi; filtering by Filter Co. Next review 1 September "
                         "2027.\n");
    free(md);
    diag_free(&d);
}

Test(template, directives_expand_in_place)
{
    diag_list d = {0};
    int rc;
    char *md = fill("## Rules\n\n{{statements unacceptable}}\n\n## Steps\n\n{{sanctions}}\n",
                    0, &rc, &d);
    cr_assert_eq(rc, 0);
    cr_expect(strstr(md, "## Rules\n\n  - I will not"), "%s", md);
    cr_expect(strstr(md, "1.  A reminder\n2.  A call home\n"), "%s", md);
    cr_expect_null(strstr(md, "{{"), "%s", md);
    free(md);
    diag_free(&d);
}

Test(template, heading_over_an_empty_section_goes)
{
    diag_list d = {0};
    int rc;
    /* No statement has a section called "elsewhere", so nothing is listed. */
    char *md = fill("# Title\n\n## Nothing here\n\n{{statements elsewhere}}\n\n## After\n\nText.\n",
                    1, &rc, &d);
    cr_assert_eq(rc, 0);
    cr_expect_str_eq(md, "# Title\n\n## After\n\nText.\n");
    free(md);
    diag_free(&d);
}

Test(template, unknown_field_names_template_and_line)
{
    diag_list d = {0};
    int rc;
    char *md = fill("# Title\n\nHello {{setting.nmae}}.\n", 0, &rc, &d);
    cr_assert_eq(rc, -1);
    cr_assert_eq(d.count, 1);
    cr_expect_str_eq(d.items[0].file, "t.md");
    cr_expect_eq(d.items[0].line, 3);
    cr_expect(strstr(d.items[0].message, "unknown field {{setting.nmae}}"), "%s",
              d.items[0].message);
    free(md);
    diag_free(&d);
}

Test(template, sign_off_for_young_pupils_has_a_parent_line)
{
    diag_list d = {0};
    int rc;
    char *md = fill("{{signature}}\n", 0, &rc, &d);
    cr_assert_eq(rc, 0);
    cr_expect(strstr(md, "Parent or carer: "), "%s", md);
    free(md);
    md = fill("{{signature}}\n", 1, &rc, &d);
    cr_expect_null(strstr(md, "Parent or carer: "), "%s", md);
    free(md);
    diag_free(&d);
}
