/* The principles engine and the format writers, in process. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag_format.h"
#include "embedded.h"
#include "helpers.h"
#include "lint.h"
#include "principles.h"
#include "util/io.h"

static principle_set *ps;
static library *lib;

static void setup(void)
{
    diag_list d = {0};
    lib = library_load_embedded(&d);
    ps = principles_load(NULL, &d);
    cr_assert(lib && ps, "%zu load errors: %s", d.count, d.count ? d.items[0].message : "");
    diag_free(&d);
}

static void teardown(void)
{
    principles_free(ps);
    library_free(lib);
}

TestSuite(principles, .init = setup, .fini = teardown);

Test(principles, every_principle_defined)
{
    static const char *const ids[] = {
        "concise", "setting", "input", "tone", "positive", "school-tech", "personal-tech",
        "monitoring", "sanctions", "review", "communicated",
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const principle_def *d = principles_find(ps, ids[i]);
        cr_assert_not_null(d, "%s", ids[i]);
        cr_expect(d->title && d->description && d->help, "%s", ids[i]);
        cr_expect(principles_id_known(lib, ids[i]));
    }
    static const char *const core[] = {
        "own-use", "learn-safety", "no-bullying", "reputation", "report-misuse",
        "respect-safeguards", "report-failings", "protect-logins", "fair-use", "monitored",
        "enhanced-monitoring",
    };
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++) {
        char *id = xasprintf("core-%s", core[i]);
        cr_expect(principles_id_known(lib, id), "%s", id);
        free(id);
    }
    cr_expect(!principles_id_known(lib, "core-nothing"));
    cr_expect(!principles_id_known(lib, "core-monitored-personal"), "not a core statement");
    cr_expect(!principles_id_known(lib, "punctuality"));
    cr_expect_eq(principles_find(ps, "review")->severity, DIAG_ERROR);
    cr_expect_eq(principles_find(ps, "tone")->severity, DIAG_WARNING);
    cr_expect_eq(principles_find(ps, "core")->severity, DIAG_WARNING);
}

Test(principles, reading_limits_per_audience)
{
    static const struct {
        const char *id;
        double fk, wps;
        int pages;
    } want[] = {
        {"pupil-early", 2.5, 10, 1}, {"pupil-ks2", 4.5, 12, 2}, {"pupil-ks3-4", 7, 16, 2},
        {"pupil-post16", 9, 18, 2}, {"parent", 9, 18, 2}, {"community", 9, 18, 1},
        {"staff", 11, 20, 2}, {"pupil-ks2-easy", 2, 10, 2}, {"parent-easy", 2, 10, 2},
        {"pupil-early-easy", 2, 10, 2},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const principle_limits *l = principles_limits_for(ps, want[i].id);
        cr_assert_not_null(l, "%s", want[i].id);
        cr_expect_float_eq(l->fk_max, want[i].fk, 1e-9, "%s", want[i].id);
        cr_expect_float_eq(l->wps_max, want[i].wps, 1e-9, "%s", want[i].id);
        cr_expect_eq(l->pages, want[i].pages, "%s", want[i].id);
        cr_expect_eq(l->review_months, 12, "%s", want[i].id);
    }
    cr_expect_null(principles_limits_for(ps, "nobody"));
    cr_expect_null(principles_limits_for(ps, "pupil-ks9"));
}

Test(principles, phrases_match_at_word_starts)
{
    cr_expect(principles_phrase_in("i will never bully anyone", "bully"));
    cr_expect(principles_phrase_in("no bullying here", "bully"));
    cr_expect(principles_phrase_in("Do Not Share", "do not"));
    cr_expect(!principles_phrase_in("this is illegal", "legal"));
    cr_expect(!principles_phrase_in("a default value", "fault"));
    cr_expect(principles_phrase_in("(fault)", "fault"));
    cr_expect(!principles_phrase_in("", "x"));
}

Test(principles, months_and_dates)
{
    aupc_date d = principles_add_months((aupc_date){2026, 1, 31}, 1);
    cr_expect(d.year == 2026 && d.month == 2 && d.day == 28);
    d = principles_add_months((aupc_date){2027, 11, 30}, 3);
    cr_expect(d.year == 2028 && d.month == 2 && d.day == 29);
    d = principles_add_months((aupc_date){2026, 9, 1}, 12);
    cr_expect(d.year == 2027 && d.month == 9 && d.day == 1);
    cr_expect_lt(principles_date_cmp((aupc_date){2026, 9, 1}, (aupc_date){2026, 9, 2}), 0);
    setenv("SOURCE_DATE_EPOCH", "1788220800", 1);   /* 1 September 2026 */
    d = principles_today();
    cr_expect(d.year == 2026 && d.month == 9 && d.day == 1, "%d-%d-%d", d.year, d.month, d.day);
    unsetenv("SOURCE_DATE_EPOCH");
}

static const char draft[] =
    "<!-- aupc: audience=pupil-ks2 approved=2026-09-01 next-review=2027-09-01 -->\n"
    "\n"
    "# Rules\n"
    "\n"
    "<!-- aupc-disable sanctions, core-fair-use: in the behaviour handout -->\n"
    "<!-- aupc-disable tone -->\n"
    "\n"
    "- I will not bully anyone.\n";

/* A report covers every principle of the registry, in its order, then the
 * core statements. */
Test(principles, report_order_is_the_registry)
{
    static const char *const ids[] = {
        "concise", "setting", "input", "tone", "positive", "school-tech", "personal-tech",
        "monitoring", "sanctions", "review", "communicated", "voice", "setting-words",
        "consistent", "placeholder", "easy-read",
    };
    lint_options o = {.today = {2026, 11, 24}};
    principle_report r = {0};
    lint_source(ps, lib, "d.md", draft, strlen(draft), &o, &r);
    size_t n = sizeof ids / sizeof ids[0];
    cr_assert_gt(r.noutcomes, n);
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(r.outcomes[i].id, ids[i]);
    cr_expect_str_eq(r.outcomes[n].id, "core-own-use");
    principle_report_free(&r);
}

/* Load principles.xml with FROM replaced by TO; the first error's message. */
static char *load_error(const char *from, const char *to)
{
    char *text = replace_once(embedded_find("statements/principles.xml")->data, from, to);
    char *dir = make_tmpdir();
    char *path = xasprintf("%s/principles.xml", dir);
    write_text(path, text);
    diag_list d = {0};
    principle_set *got = principles_load(path, &d);
    cr_expect_null(got);
    principles_free(got);
    char *msg = xstrdup(d.count ? d.items[0].message : "");
    diag_free(&d);
    remove_tree(dir);
    free(dir);
    free(path);
    free(text);
    return msg;
}

/* A principle in the registry must be defined, and one defined must have a check. */
Test(principles, registry_and_definitions_agree)
{
    char *msg = load_error("<principle id=\"tone\"", "<principle id=\"tune\"");
    cr_expect_str_eq(msg, "principle 'tone' is not defined");
    free(msg);
    /* A copy of the tone principle under another id, before it. */
    const char *xml = embedded_find("statements/principles.xml")->data;
    const char *from = strstr(xml, "<principle id=\"tone\"");
    cr_assert_not_null(from);
    const char *end = strstr(from, "</principle>") + strlen("</principle>");
    char *block = xstrndup(from, (size_t)(end - from));
    char *copy = replace_once(block, "id=\"tone\"", "id=\"tune\"");
    char *both = xasprintf("%s\n  <principle id=\"tone\"", copy);
    msg = load_error("<principle id=\"tone\"", both);
    cr_expect_str_eq(msg, "principle 'tune' has no check: add it to the registry in "
                          "src/principles.c");
    free(msg);
    free(both);
    free(copy);
    free(block);
}

Test(principles, waivers_in_process)
{
    lint_options o = {.today = {2026, 11, 24}};
    principle_report r = {0};
    lint_source(ps, lib, "d.md", draft, strlen(draft), &o, &r);
    principle_outcome *s = principle_report_find(&r, "sanctions");
    cr_assert_not_null(s);
    cr_expect_eq(s->status, OUTCOME_WAIVED);
    cr_expect_str_eq(s->waiver, "in the behaviour handout");
    cr_expect_eq(principle_report_find(&r, "core-fair-use")->status, OUTCOME_WAIVED);
    cr_expect_eq(principle_report_find(&r, "tone")->status, OUTCOME_WAIVED);
    cr_expect_eq(principle_report_find(&r, "core-no-bullying")->status, OUTCOME_PASS);
    cr_expect_eq(principle_report_find(&r, "monitoring")->status, OUTCOME_FAIL);
    bool waiver_warning = false;
    for (size_t i = 0; i < r.diags.count; i++) {
        const diag *d = &r.diags.items[i];
        cr_expect(strcmp(d->rule, "sanctions") && strcmp(d->rule, "core-fair-use"),
                  "a waived principle was reported: %s", d->message);
        if (!strcmp(d->rule, "waiver")) {
            waiver_warning = true;
            cr_expect_eq(d->line, 6);
            cr_expect_eq(d->col, 1);
            cr_expect_eq(d->severity, DIAG_WARNING);
        }
    }
    cr_expect(waiver_warning, "the waiver without a reason was not reported");
    /* sorted by line */
    for (size_t i = 1; i < r.diags.count; i++)
        cr_expect_leq(r.diags.items[i - 1].line, r.diags.items[i].line);
    principle_report_free(&r);
}

Test(principles, review_dates)
{
    lint_options o = {.today = {2027, 9, 2}};
    principle_report r = {0};
    lint_source(ps, lib, "d.md", draft, strlen(draft), &o, &r);
    principle_outcome *rv = principle_report_find(&r, "review");
    cr_expect_eq(rv->status, OUTCOME_FAIL);
    cr_expect_eq(rv->severity, DIAG_ERROR);
    principle_report_free(&r);
    o.today = (aupc_date){2027, 9, 1};
    memset(&r, 0, sizeof r);
    lint_source(ps, lib, "d.md", draft, strlen(draft), &o, &r);
    cr_expect_eq(principle_report_find(&r, "review")->status, OUTCOME_PASS);
    principle_report_free(&r);
}

/* For readers the setting lends no device (parents, visitors), a rule on
 * taking or sharing images is a rule on their own devices; for pupils,
 * who take photographs on the setting's tablets, it is not, and for anyone
 * a rule on images that names the setting's systems stays one on them. */
Test(principles, image_rules_are_own_device_rules_for_readers_lent_none)
{
    static const char text[] =
        "# Filming at the summer fair\n\n"
        "- Your own phone is welcome at the fair.\n"
        "- Please do not film or photograph other people's children.\n"
        "- Do not upload photographs to the school website yourself.\n";
    static const struct {
        const char *audience;
        outcome_status want;
    } cases[] = {{"parent", OUTCOME_PASS}, {"community", OUTCOME_PASS}, {"pupil-ks2", OUTCOME_FAIL}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lint_options o = {.today = {2026, 11, 24}, .audience = cases[c].audience};
        principle_report r = {0};
        lint_source(ps, lib, "d.md", text, strlen(text), &o, &r);
        principle_outcome *p = principle_report_find(&r, "personal-tech");
        cr_assert_not_null(p);
        cr_expect_eq(p->status, cases[c].want, "%s: %s", cases[c].audience, p->evidence);
        bool film = false, website = false;
        for (size_t i = 0; i < p->nunits; i++) {
            film |= strstr(p->units[i].text, "do not film") &&
                    strstr(p->units[i].why, "about personal: photographs or films, taken on ");
            website |= strstr(p->units[i].text, "school website") != NULL;
        }
        cr_expect_eq(film, cases[c].want == OUTCOME_PASS, "%s: the filming rule", cases[c].audience);
        cr_expect(!website, "%s: a rule on the setting's website is not about own devices",
                  cases[c].audience);
        principle_report_free(&r);
    }
}

/* A heading that names both the setting's technology and the reader's own
 * leaves a photograph rule beneath it, naming neither, to the reader's own
 * devices (for pupils too); a rule that takes the setting's systems from its
 * heading says so in its reason. */
Test(principles, photo_rule_under_a_mixed_heading_is_on_own_devices)
{
    static const char text[] =
        "# Our class rules\n\n"
        "## Phones, photos and the class computers\n\n"
        "- You may bring your phone on the trip.\n"
        "- Do not photograph other children.\n\n"
        "## The class computers\n\n"
        "- You may use them for your topic work.\n"
        "- Do not change the settings.\n";
    lint_options o = {.today = {2026, 11, 24}, .audience = "pupil-ks2"};
    principle_report r = {0};
    lint_source(ps, lib, "d.md", text, strlen(text), &o, &r);
    principle_outcome *pt = principle_report_find(&r, "personal-tech");
    principle_outcome *st = principle_report_find(&r, "school-tech");
    cr_assert(pt && st);
    cr_expect_eq(pt->status, OUTCOME_PASS, "%s", pt->evidence);
    bool photo_personal = false, photo_school = false, told = false;
    for (size_t i = 0; i < pt->nunits; i++)
        photo_personal |= strstr(pt->units[i].text, "photograph") != NULL;
    for (size_t i = 0; i < st->nunits; i++) {
        photo_school |= strstr(st->units[i].text, "photograph") != NULL;
        told |= strstr(st->units[i].text, "topic work") &&
                strstr(st->units[i].why, "about systems: under the heading \"The class computers\"");
    }
    cr_expect(photo_personal, "the photograph rule is on the pupil's own devices");
    cr_expect(!photo_school, "and not on the setting's");
    cr_expect(told, "a rule's heading is named as the reason it is about the setting's systems");
    principle_report_free(&r);
}

/* Whether TEXT, linted as written for AUDIENCE, meets principle ID. */
static bool meets(const char *text, const char *audience, const char *id)
{
    lint_options o = {.today = {2026, 11, 24}, .audience = audience};
    principle_report r = {0};
    lint_source(ps, lib, "d.md", text, strlen(text), &o, &r);
    principle_outcome *p = principle_report_find(&r, id);
    cr_assert_not_null(p);
    bool met = p->status == OUTCOME_PASS;
    principle_report_free(&r);
    return met;
}

/* In a pupil's draft "we" are the pupils: what they scan or watch is no
 * monitoring; where the setting speaks, "we check the websites your child
 * visits" is. */
Test(principles, pupils_we_watch_nothing)
{
    static const char pupils[] =
        "# Our class iPads\n\n"
        "- We record the websites we find for our topic on the class iPad.\n"
        "- We scan the codes with the class iPad in the book corner.\n";
    static const char parents[] =
        "# The school laptops\n\n"
        "We check the websites your child visits on the school laptops.\n";
    cr_expect(!meets(pupils, "pupil-ks2", "monitoring"), "the pupils' own 'we'");
    cr_expect(meets(pupils, "parent", "monitoring"), "the setting's 'we'");
    cr_expect(meets(parents, "parent", "monitoring"));
}

/* The status of principle ID for TEXT whose reader it does not say. */
static outcome_status status_unknown_reader(const char *text, const char *id)
{
    lint_options o = {.today = {2026, 11, 24}};
    principle_report r = {0};
    lint_source(ps, lib, "d.md", text, strlen(text), &o, &r);
    principle_outcome *p = principle_report_find(&r, id);
    cr_assert_not_null(p);
    outcome_status st = p->status;
    principle_report_free(&r);
    return st;
}

/* A draft whose reader cannot be told: positive is met when it would be
 * for every reader, a finding when it would be for every reader, and
 * otherwise gets no verdict. */
Test(principles, positive_whoever_the_reader_is)
{
    static const char many[] = "# Rules\n\n"
                               "- You can use the tablets to make films and music.\n"
                               "- You can use the laptops to research and write stories.\n"
                               "- Keep your password safe.\n- Do not eat by the computers.\n";
    static const char none[] = "# Rules\n\n- Do not eat by the computers.\n"
                               "- Keep your password safe.\n";
    static const char one[] = "# Rules\n\n"
                              "- You can use the tablets to make films and music.\n"
                              "- Keep your password safe.\n- Do not eat by the computers.\n";
    cr_expect_eq(status_unknown_reader(many, "positive"), OUTCOME_PASS);
    cr_expect_eq(status_unknown_reader(none, "positive"), OUTCOME_FAIL);
    cr_expect_eq(status_unknown_reader(one, "positive"), OUTCOME_NOT_APPLICABLE);
}

Test(formats, github_escaping)
{
    char *s = fmt_github_data("100% done\r\nnext: a, b");
    cr_expect_str_eq(s, "100%25 done%0D%0Anext: a, b");
    free(s);
    s = fmt_github_property("dir:with,comma%/f.md\n");
    cr_expect_str_eq(s, "dir%3Awith%2Ccomma%25/f.md%0A");
    free(s);
    s = fmt_github_data("");
    cr_expect_str_eq(s, "");
    free(s);
}

Test(formats, sarif_uris)
{
    char *u = fmt_sarif_uri("./tests/lint/a.md", "/src");
    cr_expect_str_eq(u, "tests/lint/a.md");
    free(u);
    u = fmt_sarif_uri("/src/drafts//x y.md", "/src/");
    cr_expect_str_eq(u, "drafts/x%20y.md");
    free(u);
    u = fmt_sarif_uri("/elsewhere/a.md", "/src");
    cr_expect_str_eq(u, "file:///elsewhere/a.md");
    free(u);
    u = fmt_sarif_uri("/srcx/a.md", "/src");
    cr_expect_str_eq(u, "file:///srcx/a.md");
    free(u);
}

Test(formats, fingerprints)
{
    uint64_t a = fmt_fingerprint("tone", "a.md", "  - I will   be kind. ");
    cr_expect_eq(a, fmt_fingerprint("tone", "a.md", "- I will be kind."));
    cr_expect_neq(a, fmt_fingerprint("positive", "a.md", "- I will be kind."));
    cr_expect_neq(a, fmt_fingerprint("tone", "b.md", "- I will be kind."));
    cr_expect_neq(a, fmt_fingerprint("tone", "a.md", "- I will be kinder."));
}
