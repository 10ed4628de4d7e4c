#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "helpers.h"
#include "profile.h"
#include "util/io.h"

static int line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    cr_assert_not_null(at, "'%s' not in the fixture", needle);
    int line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    return line;
}

/* Load TEXT, expect failure, and check the first error's line and words. */
static void expect_error(const char *text, const char *at_line_of, const char *words)
{
    diag_list d = {0};
    profile *p = profile_parse("t.xml", text, strlen(text), &d);
    cr_assert_null(p, "the profile loaded but should not have");
    cr_assert_geq(d.count, 1);
    cr_assert_eq(d.items[0].severity, DIAG_ERROR);
    cr_assert_str_eq(d.items[0].file, "t.xml");
    if (at_line_of)
        cr_expect_eq(d.items[0].line, line_of(text, at_line_of), "line %d, expected %d: %s",
                     d.items[0].line, line_of(text, at_line_of), d.items[0].message);
    cr_expect(strstr(d.items[0].message, words), "message '%s' lacks '%s'",
              d.items[0].message, words);
    diag_free(&d);
}

static void expect_mutation_error(const char *from, const char *to, const char *at,
                                  const char *words)
{
    char *text = replace_once(base_profile, from, to);
    expect_error(text, at, words);
    free(text);
}

Test(profile, base_fixture_loads)
{
    diag_list d = {0};
    profile *p = profile_parse("t.xml", base_profile, strlen(base_profile), &d);
    cr_assert_not_null(p, "%s", d.count ? d.items[0].message : "?");
    cr_assert_str_eq(p->id, "test-school");
    cr_assert_str_eq(p->name, "Test School");
    cr_assert_eq(p->kind, KIND_PRIMARY);
    cr_assert_eq(p->naudiences, 2);
    cr_assert_str_eq(p->audiences[0].id, "pupil-ks2");
    cr_assert_str_eq(p->audiences[1].id, "staff");
    cr_assert_eq(p->devices[AUD_PUPIL], DEVICES_BANNED);
    cr_assert_eq(p->devices[AUD_PARENT], DEVICES_APPROVED_USE, "default for parents");
    cr_assert(p->tech[TECH_EMAIL].present);
    cr_assert_str_eq(p->tech[TECH_EMAIL].name, "TestMail");
    cr_assert_not(p->tech[TECH_WIFI].present);
    cr_assert(p->monitoring.personal_messages);
    cr_assert_eq(p->review.cycle_months, 12);
    cr_assert_eq(p->review.approved.year, 2026);
    cr_assert_eq(p->review.next.month, 9);
    cr_assert_eq(profile_ladder_for(p, AUD_PUPIL)->nsteps, 2);
    cr_assert_str_eq(profile_person_by_role(p, ROLE_DSL)->name, "Ms Dee Ess");
    profile_free(p);
    diag_free(&d);
}

Test(profile_errors, unknown_device_policy)
{
    expect_mutation_error("pupils=\"banned\"", "pupils=\"allowed\"", "<devices",
        "unknown personal-device policy 'allowed': expected banned, approved-use or encouraged");
}

Test(profile_errors, device_policy_column_points_at_attribute)
{
    char *text = replace_once(base_profile, "pupils=\"banned\"", "pupils=\"allowed\"");
    diag_list d = {0};
    cr_assert_null(profile_parse("t.xml", text, strlen(text), &d));
    cr_assert_eq(d.items[0].col, 12, "column %d", d.items[0].col);
    diag_free(&d);
    free(text);
}

/* libxml2 names a missing attribute against its element; the message must
 * point there, not at the same attribute of an element above. */
Test(profile_errors, missing_attribute_points_at_its_element)
{
    char *text = replace_once(base_profile, "<person role=\"head\" name=\"Mr Head\"/>",
                              "<person role=\"head\" email=\"h@test.example\"/>");
    expect_error(text, "<person role=\"head\"", "<person> needs the attribute name=");
    free(text);
}

Test(profile_errors, unknown_setting_kind)
{
    expect_mutation_error("<kind>primary</kind>", "<kind>school</kind>", "<kind>",
                          "unknown setting kind 'school': expected primary, secondary");
    /* a slip is named with what was meant */
    expect_mutation_error("<kind>primary</kind>", "<kind>primry</kind>", "<kind>",
                          "unknown setting kind 'primry': did you mean primary? (expected "
                          "primary, secondary");
}

Test(profile_errors, unknown_band)
{
    expect_mutation_error("band=\"ks2\"", "band=\"ks5\"", "band=",
                          "unknown pupil band 'ks5': did you mean ks2? (expected early, ks2, "
                          "ks3-4 or post16)");
}

Test(profile_errors, invalid_date)
{
    expect_mutation_error("approved=\"2026-09-01\"", "approved=\"2026-13-01\"", "<review",
                          "invalid date '2026-13-01' in approved: there is no month 13 "
                          "(months run from 01 to 12)");
    expect_mutation_error("approved=\"2026-09-01\"", "approved=\"2026-02-30\"", "<review",
                          "invalid date '2026-02-30' in approved: that date does not exist: "
                          "February has 28 days");
    expect_mutation_error("approved=\"2026-09-01\"", "approved=\"1 Sept 2026\"", "<review",
                          "invalid date '1 Sept 2026' in approved: write dates as YYYY-MM-DD, "
                          "e.g. 2026-09-01");
}

Test(profile_errors, next_review_before_approval)
{
    expect_mutation_error("next=\"2027-09-01\"", "next=\"2025-09-01\"", "<review",
                          "the next review must come after the approval date");
}

Test(profile_errors, missing_required_element)
{
    expect_mutation_error("  <kind>primary</kind>\n", "", "<ages",
                          "unexpected element <ages>: expected <kind> here");
}

Test(profile_errors, missing_required_attribute)
{
    expect_mutation_error(" by=\"Governors\"", "", "<review",
                          "<review> needs the attribute by=");
}

Test(profile_errors, unknown_attribute)
{
    expect_mutation_error("<ages from", "<ages colour=\"red\" from", "<ages",
                          "<ages> has no attribute colour=");
}

Test(profile_errors, setting_id_with_path)
{
    expect_mutation_error("id=\"test-school\"", "id=\"../evil\"", "<setting",
                          "invalid id '../evil'");
}

Test(profile_errors, setting_id_with_slash)
{
    expect_mutation_error("id=\"test-school\"", "id=\"a/b\"", "<setting", "invalid id 'a/b'");
}

Test(profile_errors, wrong_namespace)
{
    expect_mutation_error("urn:aupc:profile:1", "urn:example:other", "<setting",
                          "check the root element and its xmlns");
}

Test(profile_errors, malformed_xml)
{
    expect_mutation_error("</people>", "</peeple>", "</peeple>",
                          "</peeple> does not close <people> (line 6): correct the name, or "
                          "close <people> first");
}

Test(profile_errors, doctype_refused)
{
    expect_mutation_error("<setting ", "<!DOCTYPE setting [<!ENTITY x \"y\">]>\n<setting ",
                          "<!DOCTYPE", "a DOCTYPE is not allowed");
}

Test(profile_errors, external_entity_refused)
{
    expect_mutation_error("<setting ",
                          "<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<setting ",
                          "<!DOCTYPE", "a DOCTYPE is not allowed");
}

Test(profile_errors, empty_file)
{
    expect_error("", NULL, "the file is empty");
}

Test(profile_errors, pupil_audience_without_band)
{
    expect_mutation_error("<audience band=\"ks2\"/>", "<audience kind=\"pupil\"/>",
                          "kind=\"pupil\"", "a pupil audience needs band=");
}

Test(profile_errors, band_on_staff)
{
    expect_mutation_error("<audience kind=\"staff\"/>", "<audience kind=\"staff\" band=\"ks2\"/>",
                          "kind=\"staff\" band", "band= applies to pupils only");
}

Test(profile_errors, duplicate_audience)
{
    expect_mutation_error("<audience kind=\"staff\"/>",
                          "<audience kind=\"staff\"/>\n    <audience kind=\"staff\"/>",
                          "<audience kind=\"staff\"/>\n  </audiences>",
                          "audience 'staff' is listed twice");
}

Test(profile_errors, audience_without_sanctions)
{
    expect_mutation_error("<audience kind=\"staff\"/>",
                          "<audience kind=\"staff\"/>\n    <audience kind=\"parent\"/>",
                          "kind=\"parent\"", "audience 'parent' has no sanctions");
}

Test(profile_errors, ages_reversed)
{
    expect_mutation_error("from=\"4\" to=\"11\"", "from=\"11\" to=\"4\"", "<ages",
                          "ages from=\"11\" is above to=\"4\"");
}

Test(profile_errors, duplicate_role)
{
    expect_mutation_error("<person role=\"head\" name=\"Mr Head\"/>",
                          "<person role=\"dsl\" name=\"Mr Head\"/>", "name=\"Mr Head\"",
                          "a second person with role 'dsl'");
}

Test(profile_errors, invalid_boolean)
{
    expect_mutation_error("accredited=\"true\"", "accredited=\"yes\"", "<monitoring",
                          "invalid value 'yes' in accredited: write true or false");
}

Test(profile_errors, unknown_technology)
{
    expect_mutation_error("<internet/>", "<interweb/>", "<interweb",
                          "unexpected element <interweb>");
}

Test(profile_errors, binary_garbage)
{
    static const char junk[] = "\x7f\x45\x4c\x46\x02\x01\x01\x00\x00garbage";
    diag_list d = {0};
    cr_assert_null(profile_parse("t.xml", junk, sizeof junk - 1, &d));
    cr_assert_geq(d.count, 1);
    cr_assert_eq(d.items[0].line, 1);
    diag_free(&d);
}

Test(profile_errors, truncated_file)
{
    char *text = xstrndup(base_profile, strlen(base_profile) / 2);
    diag_list d = {0};
    cr_assert_null(profile_parse("t.xml", text, strlen(text), &d));
    cr_assert_eq(d.count, 1, "one error for a cut-short file, not its echoes");
    cr_assert_str_eq(d.items[0].message, "the file ends before </setting>: was it saved "
                     "completely?");
    diag_free(&d);
    free(text);
}

Test(profile, missing_file_is_reported)
{
    diag_list d = {0};
    cr_assert_null(profile_load("/nonexistent/profile.xml", &d));
    cr_assert(strstr(d.items[0].message, "cannot read the profile"));
    diag_free(&d);
}

Test(profile, dates_format)
{
    aupc_date date;
    cr_assert(profile_date_parse("2026-09-01", &date));
    char buf[64];
    profile_date_long(date, buf, sizeof buf);
    cr_assert_str_eq(buf, "1 September 2026");
    profile_date_iso(date, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-09-01");
    cr_assert_not(profile_date_parse("2026-9-1", &date));
    cr_assert_not(profile_date_parse("2026-13-01", &date));
}

/* --- XML mistakes as advice --------------------------------------------- */

/* Load the base profile with FROM replaced by TO; expect exactly one error,
 * at LINE:COL, saying WORDS. */
static void expect_single_error(const char *from, const char *to, int line, int col,
                                const char *words)
{
    char *text = replace_once(base_profile, from, to);
    diag_list d = {0};
    cr_assert_null(profile_parse("t.xml", text, strlen(text), &d));
    cr_assert_eq(d.count, 1, "%zu diagnostics, the first: %s", d.count,
                 d.count ? d.items[0].message : "");
    cr_expect_eq(d.items[0].line, line, "line %d, expected %d", d.items[0].line, line);
    cr_expect_eq(d.items[0].col, col, "column %d, expected %d", d.items[0].col, col);
    cr_expect_str_eq(d.items[0].message, words);
    diag_free(&d);
    free(text);
}

Test(xml_advice, ampersand_points_at_the_ampersand)
{
    expect_single_error("Test School", "Smith & Jones Academy", 3, 15,
                        "write & as &amp;: in XML a bare & starts a reference such as &lt;");
}

Test(xml_advice, every_bare_ampersand_is_reported)
{
    char *a = replace_once(base_profile, "Test School", "Smith & Jones");
    char *b = replace_once(a, "name=\"TestMail\"", "name=\"Mail & Chat\"");
    diag_list d = {0};
    cr_assert_null(profile_parse("t.xml", b, strlen(b), &d));
    cr_assert_eq(d.count, 2);
    cr_expect_eq(d.items[1].line, 12);
    cr_expect_eq(d.items[1].col, 23, "column %d", d.items[1].col);
    diag_free(&d);
    free(a);
    free(b);
}

Test(xml_advice, curly_quotes_are_one_error)
{
    expect_single_error("id=\"test-school\"", "id=\u201ctest-school\u201d", 2, 40,
                        "replace the curly quotes around this value with straight ones: "
                        "id=\"...\" (a word processor may have changed them)");
}

Test(xml_advice, truncated_file_is_one_error_at_its_end)
{
    const char *cut = strstr(base_profile, "accredited=");
    char *text = xstrndup(base_profile, (size_t)(cut - base_profile) + 5);
    diag_list d = {0};
    cr_assert_null(profile_parse("t.xml", text, strlen(text), &d));
    cr_assert_eq(d.count, 1);
    cr_expect_eq(d.items[0].line, 15);
    cr_expect_str_eq(d.items[0].message,
                     "the file ends before </setting>: was it saved completely?");
    diag_free(&d);
    free(text);
}

Test(xml_advice, double_hyphen_in_comment)
{
    expect_single_error("  <people>\n", "  <!-- a -- b -->\n  <people>\n", 6, 10,
                        "a comment may not contain --: write a single hyphen or a dash "
                        "instead");
}

Test(xml_advice, missing_attribute_on_its_own_element)
{
    /* The <person> above has a role=; the error belongs to the one without. */
    expect_single_error("    <person role=\"head\" name=\"Mr Head\"/>",
                        "    <person\n      name=\"Mr Head\"/>", 8, 5,
                        "<person> needs the attribute role=\"...\"");
}

Test(xml_advice, attribute_error_on_a_wrapped_start_tag)
{
    expect_single_error("personal-messages=\"true\"", "personal-messages=\"maybe\"", 16, 15,
                        "invalid value 'maybe' in personal-messages: write true or false");
}

Test(xml_advice, message_is_one_line)
{
    char *text = replace_once(base_profile, "<kind>primary</kind>",
                              "<kind>\n\tcastle\n  </kind>");
    diag_list d = {0};
    cr_assert_null(profile_parse("t.xml", text, strlen(text), &d));
    cr_assert_eq(d.count, 1);
    cr_expect_null(strpbrk(d.items[0].message, "\t\n\r"), "%s", d.items[0].message);
    cr_expect(strstr(d.items[0].message, "unknown setting kind 'castle'"));
    diag_free(&d);
    free(text);
}

Test(xml_advice, listed_values_may_be_padded_and_wrapped)
{
    char *a = replace_once(base_profile, "<kind>primary</kind>", "<kind> secondary\n  </kind>");
    char *b = replace_once(a, "pupils=\"banned\"", "pupils=\"  encouraged \"");
    char *c = replace_once(b, "what=\"web email\"", "what=\"web\n     email\"");
    char *e = replace_once(c, "<audience kind=\"staff\"/>", "<audience kind=\" staff\"/>");
    diag_list d = {0};
    profile *p = profile_parse("t.xml", e, strlen(e), &d);
    cr_assert_not_null(p, "%s", d.count ? d.items[0].message : "");
    cr_expect_eq(p->kind, KIND_SECONDARY);
    cr_expect_eq(p->devices[AUD_PUPIL], DEVICES_ENCOURAGED);
    cr_expect_str_eq(p->monitoring.what, "web email");
    cr_expect_str_eq(p->audiences[1].id, "staff");
    profile_free(p);
    diag_free(&d);
    free(a);
    free(b);
    free(c);
    free(e);
}

Test(xml_advice, band_outside_the_ages_warns)
{
    char *text = replace_once(base_profile, "from=\"4\" to=\"11\"", "from=\"11\" to=\"18\"");
    diag_list d = {0};
    profile *p = profile_parse("t.xml", text, strlen(text), &d);
    cr_assert_not_null(p);
    cr_assert_eq(d.count, 1);
    cr_expect_eq(d.items[0].severity, DIAG_WARNING);
    cr_expect_eq(d.items[0].line, 22);
    cr_expect_eq(d.items[0].col, 15);
    cr_expect_str_eq(d.items[0].message, "band=\"ks2\" is for children aged 7 to 11, but "
                     "<ages> says this setting serves ages 11 to 18: check the audience or "
                     "the ages");
    profile_free(p);
    diag_free(&d);
    free(text);
}
