/* draft: review dates printed in the text, who a draft is written for, and
 * its reading level without headings and signature lines. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "classify_blob.h"
#include "draft.h"
#include "util/io.h"

static classifier *cls;

static void setup(void)
{
    diag_list d = {0};
    cls = classify_load_embedded(&d);
    cr_assert_not_null(cls);
    diag_free(&d);
}

static void teardown(void)
{
    classify_free(cls);
}

TestSuite(draft, .init = setup, .fini = teardown);

typedef struct {
    cmark_node *root;
    draft_facts d;
} read_draft;

static read_draft read_md(const char *md)
{
    read_draft r;
    r.root = cmark_parse_document(md, strlen(md), CMARK_OPT_SOURCEPOS);
    draft_read(&r.d, cls, r.root, md, strlen(md));
    return r;
}

static void read_free(read_draft *r)
{
    draft_free(&r->d);
    cmark_node_free(r->root);
}

Test(draft, dates_as_schools_write_them)
{
    static const struct {
        const char *text;
        int y, m, d;
        size_t used;
    } c[] = {
        {"2026-09-01", 2026, 9, 1, 10},      {"2026-09", 2026, 9, 0, 7},
        {"1/9/2026", 2026, 9, 1, 8},         {"01.09.26", 2026, 9, 1, 8},
        {"03/07/2026", 2026, 7, 3, 10},      {"1st september 2026", 2026, 9, 1, 18},
        {"1 sept. 2026", 2026, 9, 1, 12},    {"22nd of march 2027", 2027, 3, 22, 18},
        {"september 1, 2026", 2026, 9, 1, 17}, {"september 2026", 2026, 9, 0, 14},
        {"sept 2027", 2027, 9, 0, 9},        {"feb. 2025", 2025, 2, 0, 9},
        {"autumn term 2026", 2026, 9, 0, 16}, {"summer 2027", 2027, 4, 0, 11},
        {"03/2027", 2027, 3, 0, 7},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        aupc_date d = {0};
        size_t used = draft_parse_date(c[i].text, strlen(c[i].text), &d);
        cr_expect_eq(used, c[i].used, "%s: used %zu", c[i].text, used);
        cr_expect(d.year == c[i].y && d.month == c[i].m && d.day == c[i].d,
                  "%s: %d-%d-%d", c[i].text, d.year, d.month, d.day);
    }
    static const char *const not_dates[] = {"31/02/2026", "13/13/2026", "2026", "may we",
                                            "10:30", "page 3 of 4", "september"};
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++) {
        aupc_date d;
        cr_expect_eq(draft_parse_date(not_dates[i], strlen(not_dates[i]), &d), 0, "%s",
                     not_dates[i]);
    }
}

static void dates_of(const char *md, int ay, int am, int ad, int ny, int nm, int nd)
{
    read_draft r = read_md(md);
    draft_date a, n;
    draft_dates(&r.d, &a, &n);
    cr_expect(a.date.year == ay && a.date.month == am && a.date.day == ad,
              "approved %d-%d-%d in:\n%s", a.date.year, a.date.month, a.date.day, md);
    cr_expect(n.date.year == ny && n.date.month == nm && n.date.day == nd,
              "next review %d-%d-%d in:\n%s", n.date.year, n.date.month, n.date.day, md);
    cr_expect_eq(a.unit < 0, ay == 0);
    cr_expect_eq(n.unit < 0, ny == 0);
    read_free(&r);
}

Test(draft, review_dates_from_the_text)
{
    dates_of("# Rules\n\nReviewed September 2026\n", 2026, 9, 0, 0, 0, 0);
    dates_of("Next review: Sept 2027\n", 0, 0, 0, 2027, 9, 0);
    dates_of("Date approved: 20 September 2026 Date of next review: September 2027\n", 2026, 9,
             20, 2027, 9, 0);
    dates_of("Review date: February 2025\n", 0, 0, 0, 2025, 2, 0);
    dates_of("Approved by the management committee on 03/07/2026.\n", 2026, 7, 3, 0, 0, 0);
    dates_of("This policy will be reviewed in July 2027.\n", 0, 0, 0, 2027, 7, 0);
    dates_of("Last reviewed: Sept 2026 \xC2\xB7 Next review: Sept 2027\n", 2026, 9, 0, 2027, 9,
             0);
    /* a table of facts, its first row the header as Markdown has it */
    dates_of("| Date approved | 3 July 2026 |\n| --- | --- |\n| Review: | July 2027 |\n", 2026,
             7, 3, 2027, 7, 0);
    dates_of("We reviewed our rules with the school council.\n", 0, 0, 0, 0, 0, 0);
    dates_of("Date of last review: 14 October 2026 \xC2\xB7 Review due: October 2027\n", 2026,
             10, 14, 2027, 10, 0);
    dates_of("Last reviewed September 2026 \xC2\xB7 Reviewed annually \xE2\x80\x93 next: "
             "September 2027\n", 2026, 9, 0, 2027, 9, 0);
    dates_of("Date agreed: 16 June 2026      Date of next review: June 2027\n", 2026, 6, 16,
             2027, 6, 0);
    dates_of("Approved by the Head, March 2026. Next review due: 03/2027\n", 2026, 3, 0, 2027, 3,
             0);
    dates_of("Agreed at the volunteers' meeting, 18 April 2026 \xC2\xB7 Review: April 2027\n",
             2026, 4, 18, 2027, 4, 0);
    /* keys heading the columns of a document-control table, dates in the row below */
    dates_of("| Document | Approved by | Date approved | Review date |\n| --- | --- | --- | --- |\n"
             "| Volunteer guidance | Headteacher | 12/03/2026 | March 2027 |\n", 2026, 3, 12,
             2027, 3, 0);
}

/* WANT: the audience id the text points to, the kind alone ("pupil") when
 * it shows a kind with bands but no band, NULL when it shows nothing. */
static void audience_of(const char *md, const char *want, bool band_unknown)
{
    read_draft r = read_md(md);
    draft_reader who;
    bool told = draft_audience(&r.d, &who);
    char got[64] = "";
    if (told && who.row >= 0)
        audience_make_id((audience_row)who.row, who.easy, got, sizeof got);
    else if (told)
        snprintf(got, sizeof got, "%s%s", audience_kind_at((audience_kind)who.kind)->name,
                 who.easy ? AUDIENCE_EASY_SUFFIX : "");
    if (want)
        cr_expect(told && !strcmp(got, want), "got %s, want %s for:\n%s", told ? got : "NULL",
                  want, md);
    else
        cr_expect(!told, "got %s", got);
    if (told)
        cr_expect_eq(who.row < 0, band_unknown, "%s", md);
    read_free(&r);
}

Test(draft, audience_from_the_text)
{
    audience_of("# Online safety\n\nPlease talk to your child about these rules.\n", "parent",
                false);
    audience_of("# My rules\n\n- I will tell my teacher if I feel worried.\n", "pupil", true);
    audience_of("# Our rules (Key Stage 2)\n\n- I will tell my teacher.\n", "pupil-ks2", false);
    audience_of("# Computer rules\n\nEasy read - for ages 11 to 16\n\n- I will ask my teacher.\n",
                "pupil-ks3-4-easy", false);
    audience_of("# ICT use for staff\n\nAll staff must lock their screens.\n", "staff", false);
    /* a year group named at the top decides the band over young words */
    audience_of("# Using the laptops\n\nEasy read for Years 3 to 6\n\n- I ask a grown-up.\n"
                "- I tell a grown-up if I am sad.\n- My grown-ups help me.\n",
                "pupil-ks2-easy", false);
    audience_of("# Using the laptops\n\nEasy read for Y3-6\n\n- I ask a grown-up.\n"
                "- I tell a grown-up if I am sad.\n", "pupil-ks2-easy", false);
    audience_of("# Tablet rules\n\nEasy read\n\n- I ask a grown-up.\n- I tell a grown-up.\n",
                "pupil-early-easy", false);
    audience_of("# Library computer rules\n\nBook a computer at the desk.\n", "community", false);
    audience_of("# Rules\n\nBe kind.\n", NULL, false);
    /* adults who visit, named without the words "visitor" or "community users" */
    audience_of("# Free wifi at Northgate Libraries\n\nDo not download films.\n", "community",
                false);
    audience_of("# Get online\n\nWestbury Community Hub, every Tuesday.\n\nBring your laptop.\n",
                "community", false);
    audience_of("# Printing\n\nThe printers are open to everyone who visits.\n", "community",
                false);
    audience_of("# Computers\n\nLibrary users may book an hour a day.\n", "community", false);
    audience_of("# Computers\n\nMembers of the public may book an hour a day.\n", "community",
                false);
    /* a school's name is not its readers */
    audience_of("# St Anne's Community Primary School\n\n- I will tell my teacher.\n", "pupil",
                true);
    audience_of("# St Mary's C of E Infant School\n\nPlease film only your own child.\n\n"
                "Your child will sing first.\n", "parent", false);
    audience_of("# Little Acorns Day Nursery, Moss Side\n\nWe ask parents to use phones only "
                "in the lobby.\n\nYou may take a call outside, then collect your child.\n",
                "parent", false);
    /* the ages of the young people staff work with are not the reader's */
    audience_of("# Eden Vale Youth Service\n\nOur detached youth workers meet young people aged "
                "11 to 19 in the park.\n\nUse the team phone for work.\n", "staff", false);
    /* what it covers, by job */
    audience_of("**Site and Premises Team**\n\nIt covers the site manager, the caretakers and "
                "the cleaners.\n\nUse the door entry system with care.\n", "staff", false);
    /* nor is who approved it */
    audience_of("# Film nights in the hall\n\nHirers must lock the hall.\n\n"
                "Approved by governors 2 March 2026\n", "community", false);
    /* a reader named after a dash ("Academy - for students in Years 8 and 9") */
    audience_of("# Energy dashboard\n\n**Ashdown Academy \xE2\x80\x93 for students in Years 8 and "
                "9**\n\n- Use the dashboard at break.\n", "pupil-ks3-4", false);
}

/* Who a draft says at the top it is for decides the kind of reader over the
 * words it uses about others; a band still comes from a year group named
 * there; pictures described in words make a page easy read. */
Test(draft, audience_the_draft_says_it_is_for)
{
    audience_of("# Helping in class\n\nA leaflet for our reading volunteers\n\n"
                "- Keep your phone in your bag while you are with the children.\n"
                "- Children in Year 2 read with you on Tuesdays.\n"
                "- Tell the class teacher if a pupil seems upset.\n", "staff", false);
    audience_of("# On the trip\n\nGuidance for parent helpers\n\n"
                "- Do not photograph any child, including your own.\n", "staff", false);
    audience_of("# Welcome\n\nInformation for visitors and contractors\n\n"
                "- Students must be with a member of staff.\n- Do not photograph students.\n",
                "community", false);
    audience_of("# Filming at events\n\nNotice for parents and carers, Oak Infant School\n\n"
                "- Children in Reception sing first.\n- Film only your own child.\n", "parent",
                false);
    audience_of("# Computer agreement for adult learners\n\n"
                "- Learners save work to their learner folder.\n"
                "- Your course tutor checks the register.\n- Learners log out.\n", "community",
                false);
    audience_of("# Study centre\n\nFor students in Years 12 and 13.\n\n"
                "- Students sign in with their own account.\n", "pupil-post16", false);
    audience_of("# Using the laptops\n\n[Picture: a child at a laptop]\n\n"
                "I tell a grown-up.\n\nI ask a grown-up.\n\nWe are a Year 4 class.\n",
                "pupil-ks2-easy", false);
    audience_of("# Lunchtimes\n\n**Our School - guidance for midday supervisors**\n\n"
                "- Children must not hold the radios.\n", "staff", false);
    audience_of("# Code of conduct\n\n**Sports Coaching Ltd - coaches running lunchtime "
                "clubs in primary schools**\n\n- You are a guest in every school.\n", "staff",
                false);
    audience_of("# Readers and scribes\n\n## Guidance for the Exam Access Arrangements Team\n\n"
                "Ninety of our candidates sit GCSE papers with a reader.\n", "staff", false);
    audience_of("# Minibus code\n\nThis code is for every member of staff authorised to drive "
                "the minibuses.\n\n- Collect the minibus mobile from the office.\n", "staff",
                false);
    audience_of("# The shed\n\nOur shed is open to anyone over 18 on Tuesdays.\n\n"
                "- Book the laptop by the kettle.\n", "community", false);
    audience_of("# Under-15 Squad - Digital Code\n\n- Use the analysis tablets with a coach.\n",
                "pupil-ks3-4", false);
    /* the year group in the title says who it is for; the residents they
       visit are others; a letter that says it is for parents still is */
    audience_of("# Oak Class (Year 3) at the care home\n\nWe visit the residents.\n\n"
                "- We ask the residents before we take a photo.\n- We wave to the residents.\n",
                "pupil-ks2", false);
    audience_of("# Year 6 trip tablets\n\nA letter for parents and carers\n\n"
                "- The children share the tablets.\n", "parent", false);
    audience_of("# Year 9 laptop scheme: home-school agreement\n\nOakfield School\n\n"
                "Every Year 9 student takes home a laptop.\n", "parent", false);
    audience_of("**Digital code**\n\nIt applies to all members of the governing board.\n\n"
                "- Use your school account.\n", "staff", false);
    audience_of("# Sports media team: a letter to student account managers\n\n"
                "**Fairfield School Sixth Form**\n\n- Post from the department iPad.\n",
                "pupil-post16", false);
    audience_of("# Council transport\n\n## Passenger Assistants: Phones and Photos\n\n"
                "Pupils travel with you on the minibus.\n", "staff", false);
    audience_of("# Kingsmead Primary\n\n## Welcome to our Reading Volunteers\n\n"
                "You hear children read in Years 1 to 4.\n", "staff", false);
    audience_of("# Sunrise Club: phones and the iPad\n\nThis guidance is for the club's "
                "playworkers, including students on placement.\n", "staff", false);
    audience_of("# Cycling club: rules for riders\n\nThe club is open to students in Years 7 "
                "to 11.\n\nIt often rides past members of the public.\n", "pupil-ks3-4", false);
    audience_of("# Your child's iPad: questions for Year 5 and 6 families\n\nEvery child in "
                "Years 5 and 6 gets an iPad.\n", "parent", false);
    audience_of("# Contractors on site: code of conduct\n\nThis code applies to all "
                "contractors working on the site.\n", "community", false);
    audience_of("# A guide for childminders borrowing the network tablet\n\n"
                "The network has one iPad for members.\n", "staff", false);
    audience_of("# Platform notes\n\n**For holders of an administrator login**\n\n"
                "Students borrow e-books from the platform.\n", "staff", false);
    /* a year group in the title does not decide over a parent's words */
    audience_of("# Year 5 Residential: your questions answered\n\n"
                "**Can my child take a phone?**\n\nNo. Your child can ring home on Tuesday.\n\n"
                "**Will I hear how my child is?**\n\nYes: we post photos for parents each "
                "evening.\n",
                "parent", false);
    /* help for parents named in a pupils' page decides nothing */
    audience_of("# My rules\n\n- I will tell my teacher.\n- I will tell my class teacher.\n\n"
                "There is advice for parents on our website.\n", "pupil", true);
}

Test(draft, hard_sentences_leave_out_headings_and_signature_lines)
{
    read_draft r = read_md("# Acceptable Use Policy for Information and Communication Technology\n\n"
                           "Hilltop Primary School\n\n"
                           "I will be kind.\n\nSigned: ____________________ Date: ________\n");
    readability_report rr;
    draft_reading(&r.d, 3, &rr);
    /* all four lines are read, as check reads a compiled document, but only
       one is a sentence to make easier */
    cr_expect_eq(rr.stats.sentences, 4, "%zu sentences", rr.stats.sentences);
    cr_assert_eq(rr.nhardest, 1);
    cr_expect_str_eq(rr.hardest[0].text, "I will be kind.");
    readability_report_free(&rr);
    read_free(&r);
}

/* A section headed for other readers ("For grown-ups at home" in a
 * nursery's promises) speaks to them: its rules are not the reader's. The
 * same section in a draft for parents is theirs. */
Test(draft, rules_said_to_other_readers)
{
    static const char md[] = "# Our walkie-talkie promises\n\n- We take turns.\n\n"
                             "**For grown-ups at home**\n\n"
                             "Please keep your own phone in your pocket in the garden.\n";
    cmark_node *root = cmark_parse_document(md, strlen(md), CMARK_OPT_SOURCEPOS);
    draft_facts d;
    draft_cut(&d, root, md, strlen(md));
    draft_classify(&d, cls, true);
    int rule = draft_find(&d, ACT_PROHIBITS, TOPIC_PERSONAL, 0);
    cr_assert_geq(rule, 0, "the phone rule is read as one");
    draft_set_reader(&d, AUD_PUPIL);
    cr_expect_eq(draft_find(&d, ACT_PROHIBITS, TOPIC_PERSONAL, 0), -1,
                 "said to the grown-ups, not to the children");
    cr_expect_geq(draft_find(&d, ACT_INFORMS | ACT_PROHIBITS, 0, (size_t)rule), rule,
                  "still something the draft says");
    draft_set_reader(&d, AUD_PARENT);
    cr_expect_eq(draft_find(&d, ACT_PROHIBITS, TOPIC_PERSONAL, 0), rule);
    draft_free(&d);
    cmark_node_free(root);
    static const char *const others[] = {"## A note for grown-ups", "## Grown-ups visiting our class"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        char *m = xasprintf("# Our promises\n\n- We take turns.\n\n%s\n\n"
                            "Please keep your own phone in your pocket in the garden.\n",
                            others[i]);
        root = cmark_parse_document(m, strlen(m), CMARK_OPT_SOURCEPOS);
        draft_cut(&d, root, m, strlen(m));
        draft_classify(&d, cls, true);
        draft_set_reader(&d, AUD_PUPIL);
        cr_expect_eq(draft_find(&d, ACT_PROHIBITS, TOPIC_PERSONAL, 0), -1, "%s", others[i]);
        draft_free(&d);
        cmark_node_free(root);
        free(m);
    }
}

Test(draft, where_missing_statements_belong)
{
    read_draft r = read_md("# Rules\n\n## I will\n\n- I will be kind.\n\n## I will not\n\n"
                           "- I will not share my password.\n\n## Signing\n\nSigned: ____\n");
    int p = draft_home_unit(&r.d, DRAFT_HOME_PERMITS);
    int n = draft_home_unit(&r.d, DRAFT_HOME_PROHIBITS);
    int e = draft_home_unit(&r.d, DRAFT_HOME_END);
    int a = draft_home_unit(&r.d, DRAFT_HOME_AFTER_RULES);
    cr_assert(p >= 0 && n >= 0 && e >= 0 && a >= 0);
    cr_expect_str_eq(r.d.units.items[p].text, "I will");
    cr_expect_str_eq(r.d.units.items[n].text, "I will not");
    cr_expect_str_eq(r.d.units.items[a].text, "I will not");
    cr_expect_str_eq(r.d.units.items[e].text, "Signing");
    read_free(&r);
}

/* A lead-in ends in a colon and introduces what follows; a rule that runs
 * on after its colon in the same paragraph is a rule itself. */
Test(draft, a_rule_running_on_after_its_colon_is_a_rule)
{
    read_draft r = read_md("Please don't run the laser cutter from your own laptop: send the file "
                           "to the library workstation instead.\n\n"
                           "You must not:\n\n- share your password.\n");
    cr_assert_eq(r.d.units.count, 4);
    cr_expect(draft_is_rule(&r.d, 0), "a prohibition of its own");
    cr_expect(r.d.cls[0].acts & ACT_PROHIBITS);
    cr_expect(r.d.cls[0].topics & TOPIC_PERSONAL);
    cr_expect(!draft_is_rule(&r.d, 2), "\"You must not:\" only introduces the list");
    cr_expect(draft_is_rule(&r.d, 3));
    read_free(&r);
}
