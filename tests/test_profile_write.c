/* profile_write: load -> write -> load gives the same model, writing it
 * again gives the same bytes, and what is written is a valid profile by
 * xmllint's reading of schema/profile.xsd. Over every example, every
 * hostile profile that loads, and tests/roundtrip/, which holds the values
 * a writer could get wrong. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "fixtures.h"
#include "helpers.h"
#include "library.h"
#include "profile.h"
#include "render.h"
#include "util/io.h"

static bool same_s(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_date(aupc_date a, aupc_date b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

/* Each field of the model, by name, so a failure says which one differs. */
#define SAME_S(a, b, what) cr_expect(same_s(a, b), "%s: '%s' became '%s'", what, \
                                     (a) ? (a) : "(null)", (b) ? (b) : "(null)")
#define SAME_I(a, b, what) cr_expect_eq((long long)(a), (long long)(b), "%s: %lld became %lld", \
                                        what, (long long)(a), (long long)(b))
#define SAME_D(a, b, what) cr_expect(same_date(a, b), "%s differs", what)

static void same_overrides(const profile *a, const profile *b)
{
    SAME_I(a->noverrides, b->noverrides, "overrides");
    for (size_t i = 0; i < a->noverrides && i < b->noverrides; i++) {
        const profile_override *x = &a->overrides[i], *y = &b->overrides[i];
        SAME_I(x->kind, y->kind, "override kind");
        SAME_S(x->id, y->id, "override id");
        SAME_S(x->audiences, y->audiences, "override audiences");
        SAME_S(x->reason, y->reason, "override reason");
        SAME_S(x->section, y->section, "custom section");
        SAME_S(x->principles, y->principles, "custom principles");
        SAME_I(x->order, y->order, "custom order");
        SAME_I(x->ndetect, y->ndetect, "custom detect count");
        for (size_t k = 0; k < x->ndetect && k < y->ndetect; k++)
            SAME_S(x->detect[k], y->detect[k], "custom detect");
        SAME_I(x->ntexts, y->ntexts, "custom text count");
        for (size_t k = 0; k < x->ntexts && k < y->ntexts; k++) {
            SAME_S(x->texts[k].reader, y->texts[k].reader, "custom text for");
            SAME_S(x->texts[k].text, y->texts[k].text, "custom text");
        }
    }
}

static void same_review(const profile *a, const profile *b)
{
    SAME_D(a->review.approved, b->review.approved, "review approved");
    SAME_D(a->review.next, b->review.next, "review next");
    SAME_S(a->review.by, b->review.by, "review by");
    SAME_I(a->review.cycle_months, b->review.cycle_months, "review cycle");
    SAME_I(a->review.after_incidents, b->review.after_incidents, "review after-incidents");
    SAME_I(a->review.nchanges, b->review.nchanges, "review changes");
    for (size_t i = 0; i < a->review.nchanges && i < b->review.nchanges; i++) {
        SAME_D(a->review.changes[i].date, b->review.changes[i].date, "change date");
        SAME_S(a->review.changes[i].by, b->review.changes[i].by, "change by");
        SAME_S(a->review.changes[i].note, b->review.changes[i].note, "change note");
    }
}

static void same_lists(const profile *a, const profile *b)
{
    SAME_I(a->nladders, b->nladders, "ladders");
    for (size_t i = 0; i < a->nladders && i < b->nladders; i++) {
        SAME_I(a->ladders[i].audience, b->ladders[i].audience, "ladder audience");
        SAME_I(a->ladders[i].nsteps, b->ladders[i].nsteps, "ladder steps");
        for (size_t k = 0; k < a->ladders[i].nsteps && k < b->ladders[i].nsteps; k++)
            SAME_S(a->ladders[i].steps[k], b->ladders[i].steps[k], "ladder step");
    }
    SAME_I(a->npolicies, b->npolicies, "policies");
    for (size_t i = 0; i < a->npolicies && i < b->npolicies; i++) {
        SAME_I(a->policies[i].kind, b->policies[i].kind, "policy kind");
        SAME_S(a->policies[i].title, b->policies[i].title, "policy title");
        SAME_S(a->policies[i].url, b->policies[i].url, "policy url");
    }
    SAME_I(a->naudiences, b->naudiences, "audiences");
    for (size_t i = 0; i < a->naudiences && i < b->naudiences; i++) {
        SAME_S(a->audiences[i].id, b->audiences[i].id, "audience id");
        SAME_I(a->audiences[i].kind, b->audiences[i].kind, "audience kind");
        SAME_I(a->audiences[i].band, b->audiences[i].band, "audience band");
        SAME_I(a->audiences[i].easy, b->audiences[i].easy, "audience reading");
    }
    SAME_I(a->nconsulted, b->nconsulted, "consulted");
    for (size_t i = 0; i < a->nconsulted && i < b->nconsulted; i++) {
        SAME_I(a->consulted[i].audience, b->consulted[i].audience, "consulted audience");
        SAME_D(a->consulted[i].on, b->consulted[i].on, "consulted on");
        SAME_S(a->consulted[i].how, b->consulted[i].how, "consulted how");
    }
    SAME_I(a->ntells, b->ntells, "tells");
    for (size_t i = 0; i < a->ntells && i < b->ntells; i++) {
        SAME_I(a->tells[i].audience, b->tells[i].audience, "tell audience");
        SAME_S(a->tells[i].via, b->tells[i].via, "tell via");
        SAME_S(a->tells[i].check, b->tells[i].check, "tell check");
    }
}

static void same_people(const profile *a, const profile *b)
{
    SAME_I(a->npeople, b->npeople, "people");
    for (size_t i = 0; i < a->npeople && i < b->npeople; i++) {
        const profile_person *x = &a->people[i], *y = &b->people[i];
        SAME_I(x->role, y->role, "person role");
        SAME_S(x->name, y->name, "person name");
        SAME_S(x->title, y->title, "person title");
        SAME_S(x->email, y->email, "person email");
        SAME_S(x->phone, y->phone, "person phone");
    }
    SAME_I(a->ncontacts, b->ncontacts, "contacts");
    for (size_t i = 0; i < a->ncontacts && i < b->ncontacts; i++) {
        const profile_contact *x = &a->contacts[i], *y = &b->contacts[i];
        SAME_S(x->role, y->role, "contact role");
        SAME_S(x->group, y->group, "contact group");
        SAME_S(x->name, y->name, "contact name");
        SAME_S(x->phone, y->phone, "contact phone");
        SAME_S(x->email, y->email, "contact email");
        SAME_S(x->web, y->web, "contact web");
        SAME_S(x->hours, y->hours, "contact hours");
        SAME_I(x->always, y->always, "contact always");
    }
}

/* Every field but the source positions (file, lines, columns). */
static void expect_same_model(const profile *a, const profile *b)
{
    SAME_S(a->id, b->id, "id");
    SAME_S(a->version, b->version, "version");
    SAME_S(a->lang, b->lang, "lang");
    SAME_S(a->name, b->name, "name");
    SAME_S(a->website, b->website, "website");
    SAME_S(a->nation, b->nation, "nation");
    SAME_I(a->kind, b->kind, "kind");
    SAME_I(a->age_from, b->age_from, "ages from");
    SAME_I(a->age_to, b->age_to, "ages to");
    same_people(a, b);
    for (int t = 0; t < TECH_COUNT; t++) {
        SAME_I(a->tech[t].present, b->tech[t].present, profile_tech_name((tech_kind)t));
        SAME_S(a->tech[t].name, b->tech[t].name, "tech name");
        SAME_S(a->tech[t].note, b->tech[t].note, "tech note");
    }
    for (int k = 0; k < AUD_KIND_COUNT; k++)
        SAME_I(a->devices[k], b->devices[k], audience_kind_at((audience_kind)k)->name);
    SAME_I(a->devices_post16, b->devices_post16, "devices post16");
    SAME_S(a->monitoring.provider, b->monitoring.provider, "filtering provider");
    SAME_I(a->monitoring.accredited, b->monitoring.accredited, "accredited");
    SAME_I(a->monitoring.personal_messages, b->monitoring.personal_messages, "personal messages");
    SAME_I(a->monitoring.enhanced, b->monitoring.enhanced, "enhanced");
    SAME_I(a->monitoring.confiscation, b->monitoring.confiscation, "confiscation");
    SAME_S(a->monitoring.what, b->monitoring.what, "monitoring what");
    SAME_I(a->monitoring.authorised_by, b->monitoring.authorised_by, "authorised by");
    same_lists(a, b);
    SAME_S(a->image_uses, b->image_uses, "image uses");
    same_review(a, b);
    same_overrides(a, b);
}

static char *write_or_fail(const profile *p)
{
    strbuf sb = {0};
    cr_assert_eq(profile_write(p, &sb), 0, "profile_write failed");
    cr_assert_not_null(sb.data);
    return sb.data;
}

static profile *parse_or_fail(const char *name, const char *xml)
{
    diag_list d = {0};
    profile *p = profile_parse(name, xml, strlen(xml), &d);
    cr_assert_not_null(p, "%s: the written profile does not load: %s:%d: %s\n%s", name,
                       d.count ? d.items[0].file : "", d.count ? d.items[0].line : 0,
                       d.count ? d.items[0].message : "?", xml);
    diag_free(&d);
    return p;
}

/* xmllint is libxml2's own command, with none of aupc's code in the way. */
static void expect_schema_valid(const char *name, const char *xml)
{
    char *dir = make_tmpdir();
    char *path = xasprintf("%s/written.xml", dir);
    write_text(path, xml);
    char *schema = src_path("schema/profile.xsd");
    char *cmd = xasprintf("xmllint --noout --nonet --schema '%s' '%s' 2>&1", schema, path);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "%s: xmllint rejects the written profile: %s", name, r.out);
    run_free(&r);
    free(cmd);
    free(schema);
    free(path);
    remove_tree(dir);
    free(dir);
}

/* Every document of both profiles, as Markdown and HTML: the same. */
static void expect_same_documents(const profile *a, const profile *b)
{
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    cr_assert_not_null(lib);
    doc_set x = {0}, y = {0};
    cr_assert_eq(compile_profile(a, lib, &x, &d), 0);
    cr_assert_eq(compile_profile(b, lib, &y, &d), 0);
    cr_assert_eq(x.count, y.count);
    for (size_t i = 0; i < x.count; i++) {
        char *m1 = render_md(x.docs[i]), *m2 = render_md(y.docs[i]);
        char *h1 = render_html(x.docs[i]), *h2 = render_html(y.docs[i]);
        cr_expect_str_eq(m1, m2, "%s.md differs", x.docs[i]->audience_id);
        cr_expect_str_eq(h1, h2, "%s.html differs", x.docs[i]->audience_id);
        free(m1); free(m2); free(h1); free(h2);
    }
    doc_set_free(&x);
    doc_set_free(&y);
    library_free(lib);
    diag_free(&d);
}

/* Load PATH; when it loads, hold the round trip to every promise.
 * Returns whether it loaded. */
static bool round_trip(const char *path, bool compile_too)
{
    diag_list d = {0};
    profile *p = profile_load(path, &d);
    diag_free(&d);
    if (!p)
        return false;
    char *once = write_or_fail(p);
    profile *q = parse_or_fail(path, once);
    expect_same_model(p, q);
    char *twice = write_or_fail(q);
    cr_expect_str_eq(once, twice, "%s: writing the written profile changed it", path);
    expect_schema_valid(path, once);
    if (compile_too)
        expect_same_documents(p, q);
    free(once);
    free(twice);
    profile_free(p);
    profile_free(q);
    return true;
}

static size_t round_trip_glob(const char *pattern, bool compile_too)
{
    char *pat = src_path(pattern);
    glob_t g;
    size_t loaded = 0;
    cr_assert_eq(glob(pat, 0, NULL, &g), 0, "no files match %s", pat);
    for (size_t i = 0; i < g.gl_pathc; i++)
        loaded += round_trip(g.gl_pathv[i], compile_too);
    globfree(&g);
    free(pat);
    return loaded;
}

Test(profile_write, every_example_round_trips)
{
    cr_expect_geq(round_trip_glob("examples/*.xml", true), 5, "fewer examples loaded than expected");
}

Test(profile_write, every_hostile_profile_that_loads_round_trips)
{
    cr_expect_geq(round_trip_glob("tests/hostile/*.xml", false), 9,
                  "fewer hostile profiles loaded than expected");
}

Test(profile_write, every_element_and_edge_round_trips)
{
    cr_expect_eq(round_trip_glob("tests/roundtrip/*.xml", true), 1);
}

Test(profile_write, the_base_fixture_round_trips)
{
    profile *p = parse_or_fail("base", base_profile);
    char *xml = write_or_fail(p);
    profile *q = parse_or_fail("written", xml);
    expect_same_model(p, q);
    free(xml);
    profile_free(p);
    profile_free(q);
}

/* The shape, as a person opening the file sees it. */
Test(profile_write, canonical_shape)
{
    char *path = src_path("tests/roundtrip/edges.xml");
    diag_list d = {0};
    profile *p = profile_load(path, &d);
    cr_assert_not_null(p);
    char *xml = write_or_fail(p);
    cr_expect(!strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39), "%s", xml);
    cr_expect(strstr(xml, "<setting xmlns=\"urn:aupc:profile:1\" id=\"edge-case-academy\" "
                          "version=\"2026.1 &quot;final&quot;\" lang=\"cy\">\n"), "%s", xml);
    /* Text read back collapsed is written collapsed; markup characters escaped. */
    cr_expect(strstr(xml, "  <name>Ysgol &lt;Edge&gt; &amp; *Case* Academy</name>\n"), "%s", xml);
    /* Attribute white space is kept as written, as character references. */
    cr_expect(strstr(xml, "title=\"Lead&#10;on two lines\""), "%s", xml);
    cr_expect(strstr(xml, "phone=\"01632&#9;960000\""), "%s", xml);
    cr_expect(strstr(xml, "name=\"Partnership&#13;\""), "%s", xml);
    /* A blank step is one space, which the schema accepts and reads as blank. */
    cr_expect(strstr(xml, "<step> </step>"), "%s", xml);
    /* Booleans as words; a default left out only where the model cannot tell. */
    cr_expect(strstr(xml, "<contact role=\"police\" group=\"police\" name=\"Police\" phone=\"101\" "
                          "always=\"true\"/>"), "%s", xml);
    cr_expect(strstr(xml, "<devices pupils=\"approved-use\" post16=\"encouraged\" "
                          "staff=\"encouraged\" parents=\"banned\" community=\"banned\""),
              "%s", xml);
    cr_expect(strstr(xml, "<audience band=\"early\"/>"), "%s", xml);
    cr_expect(strstr(xml, "<audience kind=\"parent\" reading=\"easy\"/>"), "%s", xml);
    /* The second <email> is ignored by the loader, so it is not written. */
    cr_expect_null(strstr(xml, "ignored second email"), "%s", xml);
    free(xml);
    profile_free(p);
    free(path);
    diag_free(&d);
}

Test(profile_write, defaults_are_written_where_readers_need_them)
{
    profile *p = parse_or_fail("base", base_profile);
    char *xml = write_or_fail(p);
    cr_expect(strstr(xml, "<nation>england</nation>"), "%s", xml);
    cr_expect(strstr(xml, "<devices pupils=\"banned\" staff=\"approved-use\" "
                          "parents=\"approved-use\" community=\"approved-use\""), "%s", xml);
    cr_expect_null(strstr(xml, "post16="), "post16 equal to pupils is left out: %s", xml);
    cr_expect_null(strstr(xml, "lang="), "en-GB is the default: %s", xml);
    cr_expect(strstr(xml, "authorised-by=\"head\""), "%s", xml);
    cr_expect(strstr(xml, "<review approved=\"2026-09-01\" by=\"Governors\" cycle-months=\"12\" "
                          "next=\"2027-09-01\" after-incidents=\"true\"/>"), "%s", xml);
    cr_expect_null(strstr(xml, "<contacts"), "%s", xml);
    cr_expect_null(strstr(xml, "<statements"), "%s", xml);
    free(xml);
    profile_free(p);
}

/* A model built by hand (a form) may lack what the loader always fills in:
 * the writer leaves it out, and loading names each gap in its own words. */
Test(profile_write, what_a_model_lacks_the_loader_reports)
{
    profile *p = parse_or_fail("base", base_profile);
    free(p->name);
    p->name = NULL;
    p->kind = KIND_COUNT;
    p->age_from = -1;
    p->devices[AUD_STAFF] = (device_policy)3;
    p->review.approved = (aupc_date){0, 0, 0};
    free(p->people[1].name);
    p->people[1].name = NULL;
    char *xml = write_or_fail(p);
    cr_expect(strstr(xml, "<name></name>"), "%s", xml);
    cr_expect(strstr(xml, "<kind></kind>"), "%s", xml);
    cr_expect(strstr(xml, "<ages to=\"11\"/>"), "%s", xml);
    cr_expect(strstr(xml, "<devices pupils=\"banned\" parents="), "%s", xml);
    cr_expect(strstr(xml, "<review by="), "%s", xml);
    cr_expect(strstr(xml, "<person role=\"head\"/>"), "%s", xml);
    diag_list d = {0};
    cr_expect_null(profile_parse("w.xml", xml, strlen(xml), &d));
    const char *want[] = {"the text of <name> is too short", "unknown setting kind ''",
                          "<ages> needs the attribute from=", "<devices> needs the attribute staff=",
                          "<review> needs the attribute approved=",
                          "<person> needs the attribute name="};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool found = false;
        for (size_t k = 0; k < d.count; k++)
            found |= strstr(d.items[k].message, want[i]) != NULL;
        cr_expect(found, "no error says '%s'", want[i]);
    }
    diag_free(&d);
    free(xml);
    profile_free(p);
}
