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
}

Test(profile_errors, unknown_band)
{
    expect_mutation_error("band=\"ks2\"", "band=\"ks5\"", "band=",
                          "unknown pupil band 'ks5': expected early, ks2, ks3-4 or post16");
}

Test(profile_errors, invalid_date)
{
    expect_mutation_error("approved=\"2026-09-01\"", "approved=\"2026-13-01\"", "<review",
                          "invalid date '2026-13-01' in approved: write dates as YYYY-MM-DD");
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
    expect_mutation_error("</people>", "</peeple>", "</peeple>", "malformed XML");
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
    cr_assert(strstr(d.items[0].message, "malformed XML"), "%s", d.items[0].message);
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
