/* classify: what each unit of a draft does and what it is about, on the
 * cases issue 15 lists, and the rule language itself. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "classify.h"
#include "classify_blob.h"
#include "units.h"
#include "util/io.h"

static classifier *cls;

static void setup(void)
{
    diag_list d = {0};
    cls = classify_load_embedded(&d);
    cr_assert_not_null(cls, "%s", d.count ? d.items[0].message : "");
    diag_free(&d);
}

static void teardown(void)
{
    classify_free(cls);
}

TestSuite(classify, .init = setup, .fini = teardown);

typedef struct {
    cmark_node *root;
    unit_list u;
    unit_class *k;
} read_draft;

static read_draft read_md(const char *md)
{
    read_draft r = {0};
    r.root = cmark_parse_document(md, strlen(md), CMARK_OPT_SOURCEPOS);
    units_build(r.root, md, strlen(md), &r.u);
    r.k = classify_units(cls, &r.u);
    return r;
}

static void read_free(read_draft *r)
{
    free(r->k);
    units_free(&r->u);
    cmark_node_free(r->root);
}

/* The class of the unit whose text is TEXT. */
static const unit_class *of(const read_draft *r, const char *text)
{
    for (size_t i = 0; i < r->u.count; i++)
        if (!strcmp(r->u.items[i].text, text))
            return &r->k[i];
    cr_assert_fail("no unit \"%s\"", text);
    return NULL;
}

/* The sentences of YES and then NO, each set out with FMT ("- %s\n"), as
 * one draft (free with free()). */
static char *join_units(const char *fmt, const char *const *yes, size_t nyes,
                        const char *const *no, size_t nno)
{
    strbuf md = {0};
    for (size_t i = 0; i < nyes; i++)
        sb_printf(&md, fmt, yes[i]);
    for (size_t i = 0; i < nno; i++)
        sb_printf(&md, fmt, no[i]);
    return md.data;
}
#define COUNT(a) (sizeof (a) / sizeof *(a))

/* Every unit of YES has the property HOLDS names, no unit of NO has it. */
static void expect_yes_no(const read_draft *r, const char *const *yes, size_t nyes,
                          const char *const *no, size_t nno,
                          bool (*holds)(const unit_class *), const char *what)
{
    for (size_t i = 0; i < nyes; i++)
        cr_expect(holds(of(r, yes[i])), "%s: %s", what, yes[i]);
    for (size_t i = 0; i < nno; i++)
        cr_expect(!holds(of(r, no[i])), "not %s: %s", what, no[i]);
}

/* The same, with each sentence a paragraph of its own. */
static void expect_paragraphs(const char *const *yes, size_t nyes, const char *const *no,
                              size_t nno, bool (*holds)(const unit_class *), const char *what)
{
    char *md = join_units("%s\n\n", yes, nyes, no, nno);
    read_draft r = read_md(md);
    expect_yes_no(&r, yes, nyes, no, nno, holds, what);
    read_free(&r);
    free(md);
}

static bool promotes(const unit_class *k)
{
    return k->promotes;
}

static bool prohibits(const unit_class *k)
{
    return k->acts & ACT_PROHIBITS;
}

static bool states_consequence(const unit_class *k)
{
    return k->acts & ACT_CONSEQUENCE;
}

static char *why(const read_draft *r, const char *text, unsigned act)
{
    const unit_class *k = of(r, text);
    size_t i = (size_t)(k - r->k);
    classify_why w = classify_act_why(k, act);
    return classify_why_text(cls, &r->u, i, &w);
}

/* "-ing" items under a prohibiting heading or lead-in prohibit. */
Test(classify, gerunds_under_a_prohibiting_heading)
{
    read_draft r = read_md("## What is not acceptable\n\n"
                           "- Using any device to bully or harass anyone.\n"
                           "- Trying to get around the filtering.\n\n"
                           "## Examples of acceptable use\n\n"
                           "- Using school laptops for planning.\n\n"
                           "Examples of unacceptable use:\n\n- Sharing passwords.\n");
    const unit_class *a = of(&r, "Using any device to bully or harass anyone.");
    cr_expect(a->acts & ACT_PROHIBITS);
    cr_expect(a->topics & TOPIC_PERSONAL && a->topics & TOPIC_SYSTEMS, "any device: both kinds");
    cr_expect(!a->ban, "a ban on bullying is not a ban on devices");
    char *w = why(&r, "Using any device to bully or harass anyone.", ACT_PROHIBITS);
    cr_expect_str_eq(w, "under the heading \"What is not acceptable\" (line 1)");
    free(w);
    cr_expect(of(&r, "Trying to get around the filtering.")->acts & ACT_PROHIBITS);
    cr_expect(!(of(&r, "Trying to get around the filtering.")->acts & ACT_MONITORS),
              "getting round a filter says nothing of monitoring");
    const unit_class *ok = of(&r, "Using school laptops for planning.");
    cr_expect(ok->acts & ACT_PERMITS && !(ok->acts & ACT_PROHIBITS));
    cr_expect(ok->topics & TOPIC_SYSTEMS);
    cr_expect(of(&r, "Sharing passwords.")->acts & ACT_PROHIBITS, "a lead-in with no colon too");
    read_free(&r);
}

/* Monitoring needs someone who watches and something watched. */
Test(classify, monitoring_is_someone_watching_use)
{
    read_draft r = read_md("- Do not attempt to bypass the internet filtering.\n"
                           "- Leaving a computer logged in is not allowed.\n"
                           "- My teacher will watch what I do on the computer.\n"
                           "- Mr Okafor can see every screen in the suite.\n"
                           "- All internet use is logged.\n"
                           "- Staff will not read your private messages.\n"
                           "- I will check with an adult before I download anything.\n");
    cr_expect(!(of(&r, "Do not attempt to bypass the internet filtering.")->acts & ACT_MONITORS));
    cr_expect(of(&r, "Do not attempt to bypass the internet filtering.")->acts & ACT_PROHIBITS);
    cr_expect(!(of(&r, "Leaving a computer logged in is not allowed.")->acts & ACT_MONITORS));
    cr_expect(of(&r, "My teacher will watch what I do on the computer.")->acts & ACT_MONITORS);
    cr_expect(of(&r, "Mr Okafor can see every screen in the suite.")->acts & ACT_MONITORS);
    cr_expect(of(&r, "All internet use is logged.")->acts & ACT_MONITORS);
    cr_expect(!(of(&r, "Staff will not read your private messages.")->acts & ACT_MONITORS),
              "a gap never hides a negation");
    cr_expect(!(of(&r, "I will check with an adult before I download anything.")->acts &
                ACT_MONITORS), "the reader checking is not monitoring");
    read_free(&r);
}

/* A consequence is an outcome with a condition. */
Test(classify, consequences_need_a_condition_and_an_outcome)
{
    read_draft r = read_md("Do not download anything which breaches the policy.\n\n"
                           "If pupils break these rules, they may not be allowed to use the "
                           "internet.\n\n"
                           "The school has the right to remove my access.\n\n"
                           "Misuse may lead to disciplinary action.\n\n"
                           "If I see something that upsets me, I will tell my parents.\n\n"
                           "## If I break the rules\n\nMy parents will be told.\n");
    const unit_class *b = of(&r, "Do not download anything which breaches the policy.");
    cr_expect(!(b->acts & ACT_CONSEQUENCE), "a breach with no outcome is no sanction");
    const unit_class *n = of(&r, "If pupils break these rules, they may not be allowed to use "
                                 "the internet.");
    cr_expect(n->acts & ACT_CONSEQUENCE);
    cr_expect(!(n->acts & ACT_PROHIBITS), "the negation is part of the outcome");
    cr_expect(of(&r, "The school has the right to remove my access.")->acts & ACT_CONSEQUENCE);
    cr_expect(of(&r, "Misuse may lead to disciplinary action.")->acts & ACT_CONSEQUENCE);
    cr_expect(!(of(&r, "If I see something that upsets me, I will tell my parents.")->acts &
                ACT_CONSEQUENCE), "telling a parent when upset is not a sanction");
    cr_expect(of(&r, "My parents will be told.")->acts & ACT_CONSEQUENCE,
              "the heading gives the condition");
    char *w = why(&r, "My parents will be told.", ACT_CONSEQUENCE);
    cr_expect_str_eq(w, "family-told: \"parents will be told\" (parents or carers are told)");
    free(w);
    read_free(&r);
}

/* Outcomes said the other way round, and reporting a breach, which is no
 * sanction. */
Test(classify, outcomes_in_other_words)
{
    read_draft r = read_md("Access may be withdrawn from anyone who breaks these terms.\n\n"
                           "If your child breaks the rules, we will tell you.\n\n"
                           "Failing to follow this agreement may lead to my volunteering role "
                           "ending.\n\n"
                           "Report any breach of this policy to the headteacher.\n\n"
                           "**If you break these rules**\n\n"
                           "Your device will be taken to the main office.\n\n"
                           "## Phones\n\nPhones will be taken to the office at registration.\n\n"
                           "**If you break these rules**\n\nYour tablet will be taken away.\n\n"
                           "**Tablets**\n\nTablets will be taken to the library after lunch.\n");
    cr_expect(of(&r, "Access may be withdrawn from anyone who breaks these terms.")->acts &
              ACT_CONSEQUENCE);
    cr_expect(of(&r, "If your child breaks the rules, we will tell you.")->acts &
              ACT_CONSEQUENCE, "a parent told of their child's breach");
    cr_expect(of(&r, "Failing to follow this agreement may lead to my volunteering role "
                     "ending.")->acts & ACT_CONSEQUENCE);
    cr_expect(!(of(&r, "Report any breach of this policy to the headteacher.")->acts &
                ACT_CONSEQUENCE), "asking readers to report a breach is not a sanction");
    cr_expect(of(&r, "Your device will be taken to the main office.")->acts & ACT_CONSEQUENCE,
              "a bold heading gives the condition");
    cr_expect(!(of(&r, "Phones will be taken to the office at registration.")->acts &
                ACT_CONSEQUENCE), "with no rule broken, handing in is no sanction");
    cr_expect(!(of(&r, "Tablets will be taken to the library after lunch.")->acts &
                ACT_CONSEQUENCE), "a bold paragraph after another is its sibling, not under it");
    read_free(&r);
}

Test(classify, acknowledgement_forms_and_signatures)
{
    read_draft r = read_md("Please complete and return this form.\n\n"
                           "By logging on you agree to these rules.\n\n"
                           "Signed: ____________\n\n"
                           "Please keep this page.\n");
    cr_expect(of(&r, "Please complete and return this form.")->acts & ACT_ACKNOWLEDGES);
    cr_expect(of(&r, "By logging on you agree to these rules.")->acts & ACT_ACKNOWLEDGES);
    cr_expect(of(&r, "Signed: ____________")->acts & ACT_ACKNOWLEDGES);
    cr_expect(!(of(&r, "Please keep this page.")->acts & ACT_ACKNOWLEDGES));
    read_free(&r);
    /* someone else reading, or accepting what is not the rules, agrees to nothing */
    r = read_md("Comments only appear after she has read them.\n\n"
                "Do not give pupils your number, or accept friend requests from them.\n");
    cr_expect(!(of(&r, "Comments only appear after she has read them.")->acts &
                ACT_ACKNOWLEDGES));
    cr_expect(!(of(&r, "Do not give pupils your number, or accept friend requests from them.")
                    ->acts & ACT_ACKNOWLEDGES));
    read_free(&r);
}

/* "won’t" and "don’t" with a typographic apostrophe are negations. */
Test(classify, typographic_apostrophes_negate)
{
    read_draft r = read_md("- I won\xE2\x80\x99t share my password.\n"
                           "- Don\xE2\x80\x99t use your phone in lessons.\n"
                           "- I can\xE2\x80\x99t always tell what is true online.\n");
    cr_expect(of(&r, "I won\xE2\x80\x99t share my password.")->acts & ACT_PROHIBITS);
    const unit_class *p = of(&r, "Don\xE2\x80\x99t use your phone in lessons.");
    cr_expect(p->acts & ACT_PROHIBITS);
    cr_expect(p->topics & TOPIC_PERSONAL);
    cr_expect(!p->ban, "a ban in lessons is not a total ban");
    char *w = why(&r, "I won\xE2\x80\x99t share my password.", ACT_PROHIBITS);
    cr_expect_str_eq(w, "modal-not: \"won't\" (a modal verb with a negation)");
    free(w);
    read_free(&r);
}

/* "Personal" claims an account named with its service or kind between
 * ("a personal cloud account", "your own Google account"): it is not the
 * setting's system. */
Test(classify, a_personal_account_named_with_its_service)
{
    read_draft r = read_md("- Never store pupil data on a personal cloud account.\n"
                           "- Do not use your own Google account for class work.\n"
                           "- Save work to the school cloud account.\n");
    const unit_class *a = of(&r, "Never store pupil data on a personal cloud account.");
    cr_expect((a->topics & TOPIC_PERSONAL) && !(a->topics & TOPIC_SYSTEMS));
    const unit_class *b = of(&r, "Do not use your own Google account for class work.");
    cr_expect((b->topics & TOPIC_PERSONAL) && !(b->topics & TOPIC_SYSTEMS));
    cr_expect(of(&r, "Save work to the school cloud account.")->topics & TOPIC_SYSTEMS);
    read_free(&r);
    /* the kit a setting lends or runs, named bare, is its own */
    r = read_md("- Loggers must not be lent to friends or family.\n"
                "- Your editor log-in must not be given to anyone else.\n"
                "- Do not take the headsets out of the theatre.\n");
    cr_expect(of(&r, "Loggers must not be lent to friends or family.")->topics & TOPIC_SYSTEMS);
    cr_expect(of(&r, "Your editor log-in must not be given to anyone else.")->topics &
              TOPIC_SYSTEMS);
    cr_expect(of(&r, "Do not take the headsets out of the theatre.")->topics & TOPIC_SYSTEMS);
    read_free(&r);
}

/* One's own accounts used on the setting's kit ("sign in to your own
 * accounts on it", "sign them into personal Apple IDs") and the setting's
 * own accounts ("the college's social media") are rules on its systems. */
Test(classify, own_accounts_on_the_settings_kit)
{
    read_draft r = read_md("The hall tablet stays in the hall.\n\n"
                           "- Please don't sign in to your own accounts on it.\n"
                           "- Never sign them into personal Apple IDs, social media or personal "
                           "cloud storage.\n"
                           "- Only post what the team has agreed on the college's social media.\n");
    const char *const texts[] = {
        "Please don't sign in to your own accounts on it.",
        "Never sign them into personal Apple IDs, social media or personal cloud storage.",
        "Only post what the team has agreed on the college's social media.",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const unit_class *k = of(&r, texts[i]);
        cr_expect((k->topics & TOPIC_SYSTEMS) && !(k->topics & TOPIC_PERSONAL), "%s", texts[i]);
    }
    read_free(&r);
}

Test(classify, topics_and_total_bans)
{
    read_draft r = read_md("- I will not bring a phone or a tablet from home to school.\n"
                           "- Use the class tablets for your work.\n"
                           "- Never share your phone number online.\n"
                           "- Mobile phones are not allowed in school.\n\n"
                           "## Mobile phones\n\n- Keep it switched off.\n");
    const unit_class *a = of(&r, "I will not bring a phone or a tablet from home to school.");
    cr_expect(a->ban && (a->topics & TOPIC_PERSONAL) && !(a->topics & TOPIC_SYSTEMS));
    const unit_class *b = of(&r, "Use the class tablets for your work.");
    cr_expect((b->topics & TOPIC_SYSTEMS) && !(b->topics & TOPIC_PERSONAL));
    const unit_class *c = of(&r, "Never share your phone number online.");
    cr_expect(c->topics & TOPIC_DATA);
    cr_expect(!(c->topics & TOPIC_PERSONAL), "a phone number is data, not a device");
    cr_expect(of(&r, "Mobile phones are not allowed in school.")->ban);
    const unit_class *d = of(&r, "Keep it switched off.");
    cr_expect(d->topics & TOPIC_PERSONAL, "the heading says what \"it\" is");
    classify_why from = classify_topic_why(d, TOPIC_PERSONAL);
    cr_expect_eq(from.kind, WHY_CONTEXT);
    cr_expect_str_eq(r.u.items[from.unit].text, "Mobile phones");
    cr_expect_eq(classify_topic_why(d, TOPIC_IMAGES).kind, WHY_NONE);
    cr_expect_eq(classify_topic_why(b, TOPIC_SYSTEMS).kind, WHY_RULE);
    cr_expect((d->acts & ACT_PERMITS) && (d->acts & ACT_PROHIBITS),
              "a device put away is allowed, and not to be used");
    read_free(&r);
}

Test(classify, what_promotes_a_good_use)
{
    read_draft r = read_md("- You can use the tablets to make films and music.\n"
                           "- You may use the computers for schoolwork.\n"
                           "- Computers help us to learn about the world.\n"
                           "- Use the free Wi-Fi to look for work and keep in touch with family.\n"
                           "- Children make videos about what they learn.\n"
                           "- Children use the computers in the library.\n");
    cr_expect(of(&r, "You can use the tablets to make films and music.")->promotes);
    cr_expect(!of(&r, "You may use the computers for schoolwork.")->promotes,
              "a permission alone promotes nothing");
    cr_expect(of(&r, "Computers help us to learn about the world.")->promotes);
    cr_expect(of(&r, "Use the free Wi-Fi to look for work and keep in touch with family.")
                  ->promotes, "what it is used for may come a few words on");
    cr_expect(of(&r, "Children make videos about what they learn.")->promotes,
              "a good use stated as what readers do");
    cr_expect(!of(&r, "Children use the computers in the library.")->promotes);
    read_free(&r);
}

Test(classify, subordinate_clauses_do_not_prohibit)
{
    read_draft r = read_md("- I will tell an adult about anything that does not feel right.\n"
                           "- If I am not sure, I will ask.\n"
                           "- I understand that I must not share my password.\n"
                           "- Pupils who bring phones must not use them in lessons.\n");
    const unit_class *a = of(&r, "I will tell an adult about anything that does not feel right.");
    cr_expect(!(a->acts & ACT_PROHIBITS) && (a->acts & ACT_PERMITS));
    cr_expect(!(of(&r, "If I am not sure, I will ask.")->acts & ACT_PROHIBITS));
    cr_expect(of(&r, "I understand that I must not share my password.")->acts & ACT_PROHIBITS);
    cr_expect(of(&r, "Pupils who bring phones must not use them in lessons.")->acts &
              ACT_PROHIBITS);
    read_free(&r);
    /* with no comma, the subject and its modal verb end the "when" clause */
    r = read_md("When using the department iPads you must not take them into changing rooms.\n\n"
                "If I do not know the answer I will ask.\n");
    cr_expect(of(&r, "When using the department iPads you must not take them into changing "
                     "rooms.")->acts & ACT_PROHIBITS);
    cr_expect(!(of(&r, "If I do not know the answer I will ask.")->acts & ACT_PROHIBITS));
    read_free(&r);
}

/* Monitoring stated with the watcher as a person who can see, the network
 * keeping records, records said to be kept, or a filter by what it does;
 * an aside between dashes stays in its sentence. */
Test(classify, monitoring_in_other_shapes)
{
    read_draft r = read_md(
        "- Teachers can see which apps are open on every laptop.\n"
        "- He can check when you last signed in.\n"
        "- I can see what my friends have drawn.\n"
        "- The school wifi logs every page that is opened.\n"
        "- The school gives me a network account and access to the printers.\n"
        "- Browsing records are stored for a month.\n"
        "- A record is kept of the sites each tablet visits.\n"
        "- Medical records are kept in the office.\n"
        "- Our firewall stops gambling sites from opening.\n"
        "- Do not try to get round the filter.\n\n"
        "Every search \xE2\x80\x93 including image searches \xE2\x80\x93 is logged .\n");
    cr_expect(of(&r, "Teachers can see which apps are open on every laptop.")->acts & ACT_MONITORS);
    cr_expect(of(&r, "He can check when you last signed in.")->acts & ACT_MONITORS);
    cr_expect(!(of(&r, "I can see what my friends have drawn.")->acts & ACT_MONITORS),
              "the reader seeing is not monitoring");
    cr_expect(of(&r, "The school wifi logs every page that is opened.")->acts & ACT_MONITORS);
    cr_expect(!(of(&r, "The school gives me a network account and access to the printers.")->acts &
                ACT_MONITORS), "access given is not access watched");
    cr_expect(of(&r, "Browsing records are stored for a month.")->acts & ACT_MONITORS);
    cr_expect(of(&r, "A record is kept of the sites each tablet visits.")->acts & ACT_MONITORS);
    cr_expect(!(of(&r, "Medical records are kept in the office.")->acts & ACT_MONITORS));
    cr_expect(of(&r, "Our firewall stops gambling sites from opening.")->acts & ACT_MONITORS);
    cr_expect(!(of(&r, "Do not try to get round the filter.")->acts & ACT_MONITORS));
    const char *aside = "Every search \xE2\x80\x93 including image searches \xE2\x80\x93 is logged .";
    cr_expect(of(&r, aside)->acts & ACT_MONITORS, "the closing dash does not cut the sentence");
    read_free(&r);
}

/* Outcomes in plain or children's words count with their condition; vague
 * words, a pointer to another policy and a referral under a procedure do
 * not. */
Test(classify, sanctions_in_other_words)
{
    read_draft r = read_md(
        "- If we are silly with the cameras, we have a short break from the cameras.\n"
        "- If I am careless with the tablet, it goes back in the box for the rest of the day.\n"
        "- If I break a promise, I might not play on the laptop next time.\n"
        "- Adults will speak to any child who is rude online, and their grown-ups will be "
        "informed.\n"
        "- If you misuse the printer, your login can be disabled until you see the technician.\n"
        "- If you ignore this code, we will tell your employer and may not invite you back.\n"
        "- Any misuse will be referred to the local authority designated officer.\n"
        "- If someone is unkind to me, I will tell my grown-ups.\n"
        "- Misusing the laptops will have consequences.\n"
        "- Any misuse of the network will be dealt with under our behaviour policy.\n");
    cr_expect(of(&r, "If we are silly with the cameras, we have a short break from the cameras.")
                  ->acts & ACT_CONSEQUENCE);
    cr_expect(of(&r, "If I am careless with the tablet, it goes back in the box for the rest of the day.")
                  ->acts & ACT_CONSEQUENCE);
    cr_expect(of(&r, "If I break a promise, I might not play on the laptop next time.")->acts &
              ACT_CONSEQUENCE);
    cr_expect(of(&r, "Adults will speak to any child who is rude online, and their grown-ups will "
                     "be informed.")->acts & ACT_CONSEQUENCE);
    cr_expect(of(&r, "If you misuse the printer, your login can be disabled until you see the "
                     "technician.")->acts & ACT_CONSEQUENCE);
    cr_expect(of(&r, "If you ignore this code, we will tell your employer and may not invite you "
                     "back.")->acts & ACT_CONSEQUENCE);
    cr_expect(!(of(&r, "Any misuse will be referred to the local authority designated officer.")
                    ->acts & ACT_CONSEQUENCE), "a referral under a procedure names no outcome");
    cr_expect(!(of(&r, "If someone is unkind to me, I will tell my grown-ups.")->acts &
                ACT_CONSEQUENCE), "telling an adult about harm is no sanction");
    cr_expect(!(of(&r, "Misusing the laptops will have consequences.")->acts & ACT_CONSEQUENCE),
              "vague: names no outcome");
    cr_expect(!(of(&r, "Any misuse of the network will be dealt with under our behaviour policy.")
                    ->acts & ACT_CONSEQUENCE), "a pointer to another policy names no outcome");
    read_free(&r);
}

/* The rule language: bad data is refused at load with the rule named. */
static void load_fails(const char *rules, const char *message)
{
    char *xml = xasprintf(
        "<classifier xmlns=\"urn:aupc:classify:1\"><contractions><contraction "
        "suffix=\"n't\">not</contraction></contractions>"
        "<list id=\"neg\">not, never</list><list id=\"modal\">will</list><list id=\"be\">is</list>"
        "<list id=\"subordinator\">if</list><list id=\"relative\">that</list>"
        "<list id=\"content-verb\">know</list><list id=\"pronoun\">i</list>%s</classifier>",
        rules);
    diag_list d = {0};
    classifier *c = classify_load("test.xml", xml, strlen(xml), &d);
    cr_expect_null(c);
    classify_free(c);
    cr_assert_geq(d.count, 1);
    cr_expect_str_eq(d.items[0].message, message);
    diag_free(&d);
    free(xml);
}

Test(classify, broken_rules_are_refused)
{
    load_fails("<rule id=\"a\" act=\"prohibits\" why=\"x\">@nothing not</rule>",
               "rule 'a': unknown list '@nothing' (lists must come before the rules using them)");
    load_fails("<rule id=\"b\" act=\"prohibits\" why=\"x\">(will not</rule>",
               "rule 'b': unclosed '('");
    load_fails("<rule id=\"c\" act=\"prohibits\" why=\"x\">will ~40 not</rule>",
               "rule 'c': a gap is ~1 to ~12");
    load_fails("<rule id=\"d\" act=\"prohibits\" why=\"x\">will # not</rule>",
               "rule 'd': unexpected '#' in the pattern");
    load_fails("<rule id=\"e\" mark=\"limit\" why=\"x\">until</rule>"
               "<rule id=\"f\" mark=\"ban\" why=\"x\">no phones</rule>",
               "rule 'f': it sets a mark that a rule before it only qualifies: put it before "
               "that rule");
    load_fails("<list id=\"kit\">laptop, tablet,\n  laptop</list>",
               "'laptop' in list 'kit' is there twice");
}

Test(classify, the_built_in_rules_load_and_explain)
{
    cr_expect_str_eq(classify_act_name(ACT_CONSEQUENCE), "consequence");
    cr_expect_str_eq(classify_topic_name(TOPIC_IMAGES), "images");
    char buf[64];
    cr_expect_str_eq(classify_topics_text(TOPIC_PERSONAL | TOPIC_DATA, buf, sizeof buf),
                     "personal data");
}

/* The rule (and words) that gave unit TEXT the act ACT, or mark M when ACT is 0. */
static void expect_why(const read_draft *r, const char *text, unsigned act, classify_mark m,
                       const char *want)
{
    const unit_class *k = of(r, text);
    size_t i = (size_t)(k - r->k);
    classify_why w = act ? classify_act_why(k, act) : classify_mark_why(k, m);
    char *got = classify_why_text(cls, &r->u, i, &w);
    cr_expect_str_eq(got, want, "for \"%s\"", text);
    free(got);
}

/* A prohibition need not open the sentence: "..., but do not ...", and the
 * command before it still stands. */
Test(classify, prohibitions_after_but_or_a_comma)
{
    read_draft r = read_md("- Bring your own laptop if you like, but do not charge it here.\n"
                           "- If a message worries you, do not reply.\n"
                           "- Tell us, and never be afraid to ask.\n"
                           "- Children never download apps or games.\n"
                           "- Our volunteers never ask for your passwords.\n");
    const char *both = "Bring your own laptop if you like, but do not charge it here.";
    const unit_class *a = of(&r, both);
    cr_expect((a->acts & ACT_PROHIBITS) && (a->acts & ACT_PERMITS));
    cr_expect((a->topics & TOPIC_PERSONAL) && !a->ban, "allowed, then limited: no total ban");
    expect_why(&r, both, ACT_PROHIBITS, 0,
               "and-not: \"but do not\" (a second rule, not to do something)");
    const unit_class *b = of(&r, "If a message worries you, do not reply.");
    cr_expect((b->acts & ACT_PROHIBITS) && !(b->acts & ACT_PERMITS));
    cr_expect(!(of(&r, "Tell us, and never be afraid to ask.")->acts & ACT_PROHIBITS),
              "\"never be afraid\" reassures");
    expect_why(&r, "Children never download apps or games.", ACT_PROHIBITS, 0,
               "person-never: \"children never\" (a person who never does something, stated as "
               "a rule)");
    cr_expect(!(of(&r, "Our volunteers never ask for your passwords.")->acts & ACT_PROHIBITS),
              "a promise made to the reader");
    read_free(&r);
}

/* Where a device stays: at home, it is banned; in school, that is how it is used. */
Test(classify, devices_that_stay_at_home_or_in_school)
{
    read_draft r = read_md("- Phones and tablets from home stay at home.\n"
                           "- Leave your smartwatch at home.\n"
                           "- The Chromebooks stay in school and are only used with an adult in "
                           "the room.\n"
                           "- We want every child to enjoy technology and to stay safe.\n");
    const unit_class *a = of(&r, "Phones and tablets from home stay at home.");
    cr_expect((a->acts & ACT_PROHIBITS) && a->ban && (a->topics & TOPIC_PERSONAL));
    expect_why(&r, "Phones and tablets from home stay at home.", ACT_PROHIBITS, 0,
               "stays-at-home: \"phones and tablets from home stay at home\" (a device is to stay "
               "at home: it is not to be brought)");
    cr_expect(of(&r, "Leave your smartwatch at home.")->ban);
    const char *chrome = "The Chromebooks stay in school and are only used with an adult in the room.";
    const unit_class *c = of(&r, chrome);
    cr_expect((c->acts & ACT_PERMITS) && (c->topics & TOPIC_SYSTEMS));
    expect_why(&r, chrome, ACT_PERMITS, 0,
               "device-stays: \"chromebooks stay in\" (says where a device is kept or how it is "
               "used)");
    cr_expect(!(of(&r, "We want every child to enjoy technology and to stay safe.")->acts &
                ACT_PERMITS));
    read_free(&r);
}

/* Kindness online is behaviour, not a rule about the setting's technology;
 * looking after the kit and logging off are. */
Test(classify, kindness_is_not_about_the_setting_kit)
{
    read_draft r = read_md("# Our computer rules\n\n"
                           "- Be kind to others online.\n"
                           "- Look after the school laptops.\n"
                           "- Log off when you have finished.\n\n"
                           "# Be Kind Online\n\n- Think before you post.\n"
                           "- No mean comments in group chats.\n\n"
                           "On the class iPads I will:\n\n- be kind to everyone.\n");
    const unit_class *a = of(&r, "Be kind to others online.");
    cr_expect((a->topics & TOPIC_PEOPLE) && !(a->topics & TOPIC_SYSTEMS),
              "a heading about computers does not make kindness a computer rule");
    cr_expect(of(&r, "Look after the school laptops.")->topics & TOPIC_SYSTEMS);
    cr_expect(of(&r, "Look after the school laptops.")->acts & ACT_PERMITS);
    cr_expect(of(&r, "Log off when you have finished.")->topics & TOPIC_SYSTEMS);
    cr_expect(!(of(&r, "Think before you post.")->topics & TOPIC_SYSTEMS),
              "\"online\" in a title is not the setting's systems");
    cr_expect(!(of(&r, "No mean comments in group chats.")->topics & TOPIC_SYSTEMS));
    cr_expect(of(&r, "be kind to everyone.")->topics & TOPIC_SYSTEMS,
              "a lead-in naming the kit still gives it");
    read_free(&r);
}

/* Consequences for "those who ...", and being kept or sent home. */
Test(classify, consequences_for_those_who_do_something)
{
    const char *a = "Students who use a phone in school will be asked to leave it at home for two "
                    "weeks.";
    const char *b = "Anyone who films others may be asked to stay at home for a day.";
    const char *c = "Pupils who need a laptop will be asked to collect one from the office.";
    const char *d = "Anyone who lost a login can ask for a new one.";
    char *md = xasprintf("- %s\n- %s\n- %s\n- %s\n", a, b, c, d);
    read_draft r = read_md(md);
    cr_expect(of(&r, a)->acts & ACT_CONSEQUENCE);
    expect_why(&r, a, ACT_CONSEQUENCE, 0,
               "stop-using: \"be asked to leave\" (the reader has to stop, leave or give something "
               "back)");
    expect_why(&r, a, 0, MARK_CONDITION,
               "who-does: \"students who\" (says who the outcome is for: those who do "
               "something)");
    cr_expect(of(&r, b)->acts & ACT_CONSEQUENCE);
    cr_expect(!(of(&r, c)->acts & ACT_CONSEQUENCE), "a need is no misdeed");
    cr_expect(!(of(&r, d)->acts & ACT_CONSEQUENCE));
    read_free(&r);
    free(md);
}

/* How readers are told, in the present tense and in children's words. */
Test(classify, how_rules_are_made_known)
{
    read_draft r = read_md("- We go through these rules on induction day.\n"
                           "- The rules are explained to every pupil at the start of the year.\n"
                           "- All of this is explained during the Sixth Form induction day.\n"
                           "- We say our rules together at carpet time every Monday.\n"
                           "- Every volunteer reads and signs this agreement on their first day.\n"
                           "- Photos are shared in the newsletter.\n");
    cr_expect(of(&r, "We go through these rules on induction day.")->marks &
              (1u << MARK_COMMUNICATION));
    cr_expect(of(&r, "The rules are explained to every pupil at the start of the year.")->marks &
              (1u << MARK_COMMUNICATION));
    expect_why(&r, "All of this is explained during the Sixth Form induction day.", 0,
               MARK_COMMUNICATION,
               "rules-told: \"all of this is explained during the sixth form induction day\" (says "
               "how readers are told about the rules)");
    expect_why(&r, "We say our rules together at carpet time every Monday.", 0, MARK_COMMUNICATION,
               "rules-read-with: \"say our rules together\" (the rules are read with or to "
               "readers)");
    expect_why(&r, "Every volunteer reads and signs this agreement on their first day.",
               ACT_ACKNOWLEDGES, 0,
               "return-form: \"reads and signs this\" (asks for the form back or signed)");
    cr_expect(!(of(&r, "Photos are shared in the newsletter.")->marks &
                (1u << MARK_COMMUNICATION)));
    read_free(&r);
}

/* Good uses stated as descriptions, captions and commands. */
Test(classify, good_uses_described_not_ruled)
{
    static const char *const yes[] = {
        "The internet helps us learn.",
        "Technology helps us find things out.",
        "Technology opens up a world of learning.",
        "Use the school's learning platform to share your work.",
        "Here we are programming the Bee-Bots.",
        "Amira is filming her painting.",
        "We recorded our own weather report.",
        "Staff use the laptops, tablets, cameras and the minibus projector to plan sessions and "
        "make films.",
        "Our interactive screens make lessons more vivid.",
        "Ask for help when you are stuck.",
    };
    static const char *const no[] = {
        "The centre does not have computers for hirers, so please bring what you need.",
        "We made this charter together.",
        "The school uses filtering software to check every website you visit.",
        "You may use the computers for schoolwork.",
        "Ask for help if something online worries you.",
    };
    char *md = join_units("- %s\n", yes, COUNT(yes), no, COUNT(no));
    read_draft r = read_md(md);
    expect_yes_no(&r, yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
    expect_why(&r, "Technology opens up a world of learning.", 0, MARK_PROMOTES,
               "tech-enables: \"technology opens up\" (technology is said to help or let readers "
               "do something)");
    expect_why(&r, "Ask for help when you are stuck.", 0, MARK_PROMOTES,
               "ask-for-help: \"ask for help\" (encourages readers to ask for help as they learn)");
    expect_why(&r, "Amira is filming her painting.", 0, MARK_PROMOTES,
               "doing-good: \"amira is filming\" (describes readers doing something good with "
               "technology (a caption or a report))");
    read_free(&r);
    free(md);
}

/* A second batch of shapes: a question that asks what happens, "it" taken
 * to the office, something unkind posted, a teacher reading every post, a
 * blog that lets pupils share, and a wifi notice's title. */
Test(classify, faq_blog_and_wifi_notice_shapes)
{
    read_draft r = read_md(
        "# Guest wifi at the hall\n\n"
        "- Please keep video streaming to a minimum.\n\n"
        "What happens if a phone is seen during the day? It will be taken to the office.\n\n"
        "If you post something unkind, you will not be allowed to use the blog for two weeks.\n\n"
        "Mr Hughes reads every post and comment before it appears on the blog.\n\n"
        "Our class blog lets us share our stories.\n\n"
        "Learners are welcome to bring their own laptops, tablets and phones and connect them "
        "to the wifi.\n");
    cr_expect(of(&r, "Please keep video streaming to a minimum.")->topics & TOPIC_SYSTEMS,
              "a title naming the wifi gives it");
    const char *taken = "It will be taken to the office.";
    cr_expect(of(&r, taken)->acts & ACT_CONSEQUENCE);
    expect_why(&r, taken, ACT_CONSEQUENCE, 0,
               "access-is-removed: \"it will be taken to\" (access or a device is taken away or "
               "ended)");
    const char *unkind = "If you post something unkind, you will not be allowed to use the blog "
                         "for two weeks.";
    cr_expect(of(&r, unkind)->acts & ACT_CONSEQUENCE);
    expect_why(&r, unkind, 0, MARK_CONDITION,
               "behaves-badly: \"if you post something unkind\" (says the reader behaves badly)");
    const char *reads = "Mr Hughes reads every post and comment before it appears on the blog.";
    expect_why(&r, reads, ACT_MONITORS, 0,
               "agent-watches: \"mr hughes reads every post\" (the setting, its staff or its "
               "systems watch the reader's use)");
    expect_why(&r, "Our class blog lets us share our stories.", 0, MARK_PROMOTES,
               "tech-enables: \"class blog lets\" (technology is said to help or let readers do "
               "something)");
    cr_expect(!of(&r, "Learners are welcome to bring their own laptops, tablets and phones and "
                      "connect them to the wifi.")->promotes, "a permission, not a good use");
    read_free(&r);
}

/* Young children's charters: a condition (a rule forgotten or not
 * followed) and a lost turn, with no word for a sanction; a condition with
 * no outcome, or an outcome with no rule broken, is none. */
Test(classify, lost_turns_in_young_charters)
{
    static const char *const yes[] = {
        "If we keep forgetting the promises, we sit out of the next iPad session.",
        "Anybody who does not stick to our charter misses a turn on the Bee-Bots.",
        "When someone breaks a computer rule, they finish the task with pencil and paper.",
        "If I forget, I do my learning without the tablet that day.",
        "Children who forget the laptop rules wait for the next session.",
    };
    static const char *const no[] = {
        "If we cannot get online, we write our stories on paper.",
        "If you miss your turn today, you can have a go after lunch.",
        "Pupils who miss a lesson can catch up on the learning platform.",
        "If I forget the rules, my teacher reminds me.",
        "When we forget our password, we ask a grown-up.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "a consequence");
}

/* Writing the rules together is how they were made: the class or lesson
 * named then is no channel. Where the rules hang, or who reads or signs
 * them, still is. */
Test(classify, writing_the_rules_is_not_telling)
{
    read_draft r = read_md("- We wrote these rules together as a class.\n"
                           "- Our charter was made by the children in a PSHE lesson.\n"
                           "- We made these promises together and they hang on our classroom "
                           "wall.\n"
                           "- Every child signed the charter.\n"
                           "- Our teacher reads the rules with us every Monday.\n");
    cr_expect(!(of(&r, "We wrote these rules together as a class.")->marks &
                (1u << MARK_COMMUNICATION)));
    cr_expect(!(of(&r, "Our charter was made by the children in a PSHE lesson.")->marks &
                (1u << MARK_COMMUNICATION)));
    cr_expect(of(&r, "We made these promises together and they hang on our classroom wall.")
                  ->marks & (1u << MARK_COMMUNICATION));
    cr_expect(of(&r, "Every child signed the charter.")->acts & ACT_ACKNOWLEDGES);
    cr_expect(of(&r, "Our teacher reads the rules with us every Monday.")->marks &
              (1u << MARK_COMMUNICATION));
    read_free(&r);
}

/* The matcher's short cuts change no verdict: a contraction inside a
 * pattern ("cannot" reads "can not"), a choice whose every branch starts
 * at ^, and a choice that mixes branches starting with a word, with a
 * list and with anything. */
Test(classify, the_matcher_passes_over_only_what_cannot_match)
{
    const char *xml =
        "<classifier xmlns=\"urn:aupc:classify:1\"><contractions>"
        "<contraction word=\"cannot\">can not</contraction></contractions>"
        "<list id=\"neg\">not, never</list><list id=\"modal\">will, can</list><list id=\"be\">is, are</list>"
        "<list id=\"subordinator\">if</list><list id=\"relative\">that</list>"
        "<list id=\"content-verb\">know</list><list id=\"pronoun\">i</list>"
        "<list id=\"reader-word\">i</list><list id=\"filler\">so</list>"
        "<list id=\"person-word\">teacher</list><list id=\"common-word\">with</list>"
        "<list id=\"verb\">bring</list><list id=\"breach\">breach</list>"
        "<list id=\"gerund\">*ing</list>"
        "<list id=\"pet\">cat, dog</list>"
        "<rule id=\"c\" act=\"prohibits\" why=\"x\">cannot bring</rule>"
        "<rule id=\"a\" mark=\"promotes\" why=\"x\">(^ here we|^ we) code</rule>"
        "<rule id=\"m\" act=\"monitors\" why=\"x\">(big dog|@pet ~1 runs|the? small (cat|dog)) "
        "home</rule></classifier>";
    diag_list d = {0};
    classifier *c = classify_load("test.xml", xml, strlen(xml), &d);
    cr_assert_not_null(c, "%s", d.count ? d.items[0].message : "");
    const char *md = "Pupils cannot bring phones.\n\nWe code games.\n\nNow we code games.\n\n"
                     "My dog quickly runs home.\n\nSmall cat home.\n\nA big cat home.\n";
    cmark_node *root = cmark_parse_document(md, strlen(md), CMARK_OPT_SOURCEPOS);
    unit_list u = {0};
    units_build(root, md, strlen(md), &u);
    unit_class *k = classify_units(c, &u);
    cr_assert_eq(u.count, 6);
    cr_expect(k[0].acts & ACT_PROHIBITS, "a contraction in a pattern");
    cr_expect(k[1].marks & (1u << MARK_PROMOTES), "a choice anchored in every branch");
    cr_expect_not(k[2].marks & (1u << MARK_PROMOTES), "not past the start");
    cr_expect(k[3].acts & ACT_MONITORS, "a branch that starts with a list");
    cr_expect(k[4].acts & ACT_MONITORS, "a branch that may start with anything");
    cr_expect_not(k[5].acts & ACT_MONITORS);
    classify_why why = classify_act_why(&k[3], ACT_MONITORS);
    char *w = classify_why_text(c, &u, 3, &why);
    cr_expect_str_eq(w, "m: \"dog quickly runs home\" (x)");
    free(w);
    free(k);
    units_free(&u);
    cmark_node_free(root);
    classify_free(c);
    diag_free(&d);
}

/* Third-person rules for parents: restrictive "only" allows one thing and
 * rules out the rest; "are taught never to" prohibits. "Not only" and "the
 * only" restrict nothing. */
Test(classify, restrictive_only_and_taught_not_to)
{
    read_draft r = read_md(
        "# Technology at school\n\n"
        "Pupils log on only with their own username.\n\n"
        "The tablets are only used when an adult is in the room.\n\n"
        "Children are taught never to open an email from someone they do not know.\n\n"
        "Pupils learn to avoid pop-ups on the class laptops.\n\n"
        "Children not only type on the laptops but also make music on them.\n\n"
        "The only cost is a small deposit for the laptop.\n\n"
        "Photographs of the children are taken on the school cameras only.\n\n"
        "Phones are used for emergencies only, and never in the classroom.\n\n"
        "The laptops are used by staff and by pupils, not only by teachers.\n");
    const unit_class *a = of(&r, "Pupils log on only with their own username.");
    cr_expect((a->acts & ACT_PERMITS) && (a->acts & ACT_PROHIBITS));
    a = of(&r, "The tablets are only used when an adult is in the room.");
    cr_expect((a->acts & ACT_PERMITS) && (a->acts & ACT_PROHIBITS));
    cr_expect(of(&r, "Children are taught never to open an email from someone they do not know.")
                  ->acts & ACT_PROHIBITS);
    cr_expect(of(&r, "Pupils learn to avoid pop-ups on the class laptops.")->acts & ACT_PROHIBITS);
    cr_expect(!(of(&r, "Children not only type on the laptops but also make music on them.")->acts &
                ACT_PROHIBITS));
    cr_expect(!(of(&r, "The only cost is a small deposit for the laptop.")->acts & ACT_PROHIBITS));
    /* "only" closing the clause restricts as well */
    a = of(&r, "Photographs of the children are taken on the school cameras only.");
    cr_expect((a->acts & ACT_PERMITS) && (a->acts & ACT_PROHIBITS) && (a->topics & TOPIC_SYSTEMS));
    a = of(&r, "Phones are used for emergencies only, and never in the classroom.");
    cr_expect((a->acts & ACT_PERMITS) && (a->acts & ACT_PROHIBITS));
    cr_expect(!(of(&r, "The laptops are used by staff and by pupils, not only by teachers.")->acts &
                ACT_PROHIBITS));
    read_free(&r);
}

/* Good uses as invitations and offers; permissions naming no good use,
 * and invitations to do nothing with technology, promote nothing. */
Test(classify, invitations_and_offers_promote)
{
    static const char *const yes[] = {
        "Bring your tablet along on Mondays to search for work or take an online course.",
        "Pop in and use our computers to research your family history.",
        "Ask at the desk about our computer classes for beginners.",
        "Volunteers run digital help sessions every Friday morning.",
    };
    static const char *const no[] = {
        "The wifi may be used for any lawful purpose.",
        "You are welcome to connect your own phone to the wifi.",
        "Please bring your library card to log on.",
        "Write your name here to say you agree.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

static bool restricts(const unit_class *k)
{
    return k->marks & (1u << MARK_RESTRICTS);
}

static bool allows_and_limits(const unit_class *k)
{
    return (k->acts & ACT_PERMITS) && (k->acts & ACT_PROHIBITS) && (k->topics & TOPIC_PERSONAL);
}

/* Limits on the reader's own device without "not": where it is kept, how it
 * is set, where calls are taken, how sound is heard. */
Test(classify, device_limits_without_not)
{
    static const char *const yes[] = {
        "Mobile phones stay in the lockers until the end of the day.",
        "If I bring a phone, it goes in the tray on the teacher's desk.",
        "Put your phone on silent when the session starts, and take calls in the foyer.",
        "Keep your mobile on do-not-disturb while you are with the children.",
        "Please plug in your own headphones to listen to anything on your phone.",
        "Please take phone calls outside or in the lobby.",
        "My phone or tablet from home stays in my bag all day.",
    };
    static const char *const no_restriction[] = {
        "Sign the helper form in the school office on the morning of the trip.",
        "Hand the camera back to the class teacher before you leave.",
        "Homework should be handed in by the following Wednesday.",
    };
    expect_paragraphs(NULL, 0, no_restriction, COUNT(no_restriction), restricts,
                      "no device put away");
    static const char *const no[] = {
        "Your phone is welcome in the staff room at break.",
        "Phones are useful for keeping in touch with family.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), allows_and_limits, "allows and limits");
}

/* A report to the police is a sanction; a reader asked to report, and a
 * report to a safeguarding lead or the LADO (a procedure, not an
 * outcome), are not, nor is a talk about it. */
Test(classify, reporting_routes_are_not_sanctions)
{
    static const char *const yes[] = {
        "If you break these rules, the matter will be reported to the police.",
        "If a hirer breaks these terms, we may report it to the police.",
    };
    static const char *const no[] = {
        "If someone ignores your request to stop, you can report it to CEOP.",
        "If a rule is broken, please report it to the DSL.",
        "A breach of this code by a member of staff may be reported to the LADO.",
        "If you misuse the system, your line manager will discuss it with you.",
        "Misuse may result in action being taken.",
        "If a message to staff is rude, the headteacher will contact you to talk it through.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
}

/* A pronoun that opens a unit stands for the technology the unit before it
 * in the same list item named; the heading above does not decide it, and a
 * pronoun in another item, or "it" in "it is important", takes nothing. */
Test(classify, a_pronoun_takes_the_technology_of_the_sentence_before)
{
    read_draft r = read_md("## On the day\n\n"
                           "- The group leader carries the club's mobile. Use it to call the "
                           "centre, but do not use it for personal calls.\n"
                           "- You may bring your own tablet. Keep it in your bag on the coach.\n"
                           "- Use it only when a leader says so.\n"
                           "- Lunch is at noon. It is important to stay with your group.\n"
                           "- The library laptops are open at lunch. Social media is not "
                           "allowed on them.\n");
    const unit_class *a = of(&r, "Use it to call the centre, but do not use it for personal "
                                 "calls.");
    cr_expect(a->topics & TOPIC_SYSTEMS, "the club's mobile");
    cr_expect(!(a->topics & TOPIC_PERSONAL), "not a phone of one's own");
    cr_expect(a->acts & ACT_PERMITS && a->acts & ACT_PROHIBITS);
    classify_why w = classify_topic_why(a, TOPIC_SYSTEMS);
    char *t = classify_why_text(cls, &r.u, (size_t)(a - r.k), &w);
    cr_expect_str_eq(t, "follows on from \"The group leader carries the club's mobile.\" "
                        "(line 3)");
    free(t);
    const unit_class *b = of(&r, "Keep it in your bag on the coach.");
    cr_expect(b->topics & TOPIC_PERSONAL && !(b->topics & TOPIC_SYSTEMS), "your own tablet");
    cr_expect(!(of(&r, "Use it only when a leader says so.")->topics & (TOPIC_PERSONAL | TOPIC_SYSTEMS)),
              "another item names nothing");
    cr_expect(!(of(&r, "It is important to stay with your group.")->topics & (TOPIC_PERSONAL | TOPIC_SYSTEMS)));
    const unit_class *c = of(&r, "Social media is not allowed on them.");
    cr_expect(c->topics & TOPIC_SYSTEMS, "ends on a pronoun for the library laptops");
    read_free(&r);
    r = read_md("You can use your phone at break. During service it stays in your locker, and "
                "it must never be used to photograph the till screen.\n");
    const unit_class *d = of(&r, "During service it stays in your locker, and it must never be "
                                 "used to photograph the till screen.");
    cr_expect(d->topics & TOPIC_PERSONAL, "a later clause's 'it' is the phone");
    read_free(&r);
    r = read_md("We hold the iPad with two hands. We don't carry it around the room.\n");
    const unit_class *f = of(&r, "We don't carry it around the room.");
    cr_expect((f->topics & TOPIC_SYSTEMS) && (f->acts & ACT_PROHIBITS),
              "'it' after the subject and its verb is the iPad too");
    read_free(&r);
    r = read_md("Keep your own accounts off it. Don't sign in to your social media, gaming or "
                "messaging accounts on the session laptop, and don't install anything on it.\n");
    const unit_class *g = of(&r, "Don't sign in to your social media, gaming or messaging "
                                 "accounts on the session laptop, and don't install anything "
                                 "on it.");
    cr_expect((g->topics & TOPIC_SYSTEMS) && !(g->topics & TOPIC_PERSONAL),
              "'on it' after the session laptop is the laptop, not the accounts before");
    read_free(&r);
    r = read_md("# Laptops and phones in our class\n\n## I will not\n\n"
                "- install apps or programs.\n"
                "- use social media or chat on the laptops in class.\n");
    cr_expect(!(of(&r, "install apps or programs.")->topics & (TOPIC_PERSONAL | TOPIC_SYSTEMS)),
              "a title naming both says nothing of which an item is on");
    const unit_class *e = of(&r, "use social media or chat on the laptops in class.");
    cr_expect((e->topics & TOPIC_SYSTEMS) && !(e->topics & TOPIC_PERSONAL),
              "social media on the setting's laptops is a rule on the laptops");
    read_free(&r);
}

/* A condition in the passive that names a misuse without saying who did it
 * is the condition of a consequence; a thing lost, or done by staff, is
 * not a misuse. */
Test(classify, a_passive_condition_naming_a_misuse)
{
    static const char *const yes[] = {
        "If pictures of other pupils are posted online, we may stop parents filming at "
        "future events for a time.",
        "When a phone is seen in a lesson, it will be taken to the office until home time.",
    };
    static const char *const no[] = {
        "If a tablet is lost on a trip, parents are told the same day.",
        "If photographs are taken by staff, parents are told before any are published.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
    read_draft r = read_md(yes[0]);
    char *w = why(&r, yes[0], ACT_CONSEQUENCE);
    cr_expect(strstr(w, "passive-misuse") == NULL, "the outcome is the reason: %s", w);
    free(w);
    const unit_class *k = of(&r, yes[0]);
    classify_why c = classify_mark_why(k, MARK_CONDITION);
    char *t = classify_why_text(cls, &r.u, (size_t)(k - r.k), &c);
    cr_expect(strstr(t, "passive-misuse: \"if pictures of other pupils are posted\""), "%s", t);
    free(t);
    read_free(&r);
}

/* Being able to use technology for a purpose names a good use; being
 * allowed to is a permission. What "help" helps is what comes right after
 * it, and reading or signing the document is no use of technology. */
Test(classify, good_uses_named_and_activities_that_are_not)
{
    static const char *const yes[] = {
        "I can use the tablets to look things up for my project.",
        "You can also use the laptops in the hub to check bus times.",
        "The class blog helps your child's writing reach a real audience.",
        "I agree to use the iPads to learn and to make things.",
        "Bring your own laptop along to fill in forms online.",
    };
    static const char *const no[] = {
        "You may use your own phone to call the centre in an emergency.",
        "Thank you for helping us keep Elm Park a safe place to learn.",
        "Please read this leaflet while you wait in reception.",
        "Please read the agreement with your child and sign the slip.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

static bool monitors(const unit_class *k)
{
    return k->acts & ACT_MONITORS;
}

/* Whatever is said to be filtered or monitored is watched; so is use of
 * which a record is kept, whoever keeps it, and sites something blocks. A
 * filter said not to apply, a blocked site not to be reached, a record
 * the reader keeps of something else and supervision watch nothing. */
Test(classify, filtering_records_and_blocking_monitor)
{
    static const char *const yes[] = {
        "The mobile data on every loan tablet is filtered to keep out adult websites.",
        "The trust's filtering, run by an outside company, keeps a record of the sites each "
        "learner visits.",
        "Our broadband blocks gambling and adult content.",
        "The hall wifi blocks violent, extremist and known gambling websites.",
        "Each week the house iPads send the houseparent a report of the apps and websites "
        "each of us has used.",
        "Members use the council network, which filters out unsuitable sites.",
        "The radios share one channel, and the site office hears every call.",
        "The IT team are able to view any file saved on the network.",
        "Every log-in and every record opened on a Trust system is recorded.",
        "Tutors review the footage from each scenario before the debrief.",
        "SumUp keeps a record of every payment, and the treasurer checks it.",
        "Mrs Adeyemi looks through the folder after school.",
        "CPOMS logs every record opened during your visit.",
        "My teacher listens to every message before it is turned into a code.",
        "Everything you do online in school leaves a record that staff can check.",
        "Every call on the unit's radio channel is heard by the duty officer.",
        "The unit laptop keeps a history of which cadet was logged in.",
        "The streaming service records every device that opens the link.",
        "The exams officer prints each script in front of you, checks the file's save times "
        "and deletes the file.",
        "The coach account shows Mr Ahmed every game our members play.",
        "Mrs Pereira reads through the week's changes to the catalogue.",
    };
    static const char *const no[] = {
        "Staff record observations and photos on the learning journal.",
        "Keep a record of every hour you volunteer.",
        "Your home internet is not filtered by the school.",
        "Do not try to reach sites that are blocked.",
        "Keep a record of your placement hours in your logbook.",
        "If we see something on the tablet that scares us, we tell a grown-up.",
        "Your use of the iPads is supervised by a teacher.",
        "What happens if a phone is heard during the school day?",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), monitors, "monitors");
}

/* Consequences stated as a duty not done in the passive, as a person
 * suspended or barred, as a role or place ended in either order, and as
 * the answer to a question that asks what happens if a rule is broken. */
Test(classify, duties_not_done_people_suspended_and_answers_to_what_happens)
{
    static const char *const yes[] = {
        "If the tablet is not looked after, it will have to stay at school for a while.",
        "If a helper does not follow this guidance, we may suspend them from helping.",
        "If you ignore these rules, your employer may end the placement.",
    };
    static const char *const no[] = {
        "If the tablet is not charged, ask the office for a spare.",
        "We may suspend them from the rota while the hall is painted.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
    read_draft r = read_md("What happens if I break the rules?\n"
                           "It depends on what happened. You could lose your login for a week.\n\n"
                           "Can I borrow a laptop over the summer?\n"
                           "Ask the office. You could lose your login for a week otherwise.\n");
    const char *answer = "You could lose your login for a week.";
    cr_expect(states_consequence(of(&r, answer)));
    char *w = why(&r, answer, ACT_CONSEQUENCE);
    cr_expect(strstr(w, "condition: ") == NULL, "%s", w);
    free(w);
    const unit_class *k = of(&r, answer);
    classify_why c = classify_mark_why(k, MARK_CONDITION);
    char *t = classify_why_text(cls, &r.u, (size_t)(k - r.k), &c);
    cr_expect_str_eq(t, "answers \"What happens if I break the rules?\" (line 1)");
    free(t);
    cr_expect(!states_consequence(of(&r, "You could lose your login for a week otherwise.")),
              "a question that names no broken rule");
    read_free(&r);
}

static bool tells(const unit_class *k)
{
    return k->marks & (1u << MARK_COMMUNICATION) || k->acts & ACT_ACKNOWLEDGES;
}

/* A letter and terms are the document too; a copy of it kept, and the
 * document talked through with readers, tell them. */
Test(classify, letters_terms_copies_and_talking_it_through_tell_readers)
{
    static const char *const yes[] = {
        "A copy of this letter is kept on the parents' noticeboard.",
        "You sign these terms when you collect the laptop.",
        "Your child's key worker will talk it through with you on your first visit.",
        "A copy goes home in the welcome pack.",
        "Your tutor will talk you through this in form time.",
    };
    static const char *const no[] = {
        "In terms of safety, the tablets are the best we have found.",
        "We will talk you through setting up the tablet at home.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), tells, "tells readers");
}

/* Touch-screen verbs are uses: "only tap" restricts as "only use" does; a
 * pupil's own "I use the iPad to ..." names a good use. */
Test(classify, tapping_restricts_and_first_person_uses_promote)
{
    read_draft r = read_md("# Our iPad rules\n\n"
                           "1. We only tap the apps our teacher opens for us.\n"
                           "2. I use the iPad to talk with my friends in the class next door.\n"
                           "3. I use my own login.\n");
    const unit_class *a = of(&r, "We only tap the apps our teacher opens for us.");
    cr_expect((a->acts & ACT_PERMITS) && (a->acts & ACT_PROHIBITS));
    cr_expect(of(&r, "I use the iPad to talk with my friends in the class next door.")->promotes);
    cr_expect(!of(&r, "I use my own login.")->promotes);
    read_free(&r);
}

/* Consequences in the shapes schools write them: someone caught or found
 * doing something, a phone that goes off or is seen, doing something one
 * should not; a device had taken away or recalled, being kept off the
 * computers, not being allowed on them. A phone that goes off to be
 * answered outside, and an outcome with no condition, are none. */
Test(classify, caught_seen_and_kept_off)
{
    static const char *const yes[] = {
        "Anyone caught filming in the changing rooms will have their phone taken off them.",
        "Phones seen in the corridors will be handed to the office until 3.30.",
        "If you do something you should not, you will be off the computers for a week.",
        "Not following these rules means your laptop will be recalled.",
        "If I am rude in the chat, I will not be allowed on the laptops at break.",
        "Anyone found gaming after lights out will have their tablet kept by staff.",
        "If you are found messaging after lights out, we will let your family know.",
    };
    static const char *const no[] = {
        "If your phone goes off for a call from home, take it outside.",
        "Pupils are not allowed on the laptops without a teacher in the room.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
}

/* Monitoring as software that alerts staff or watches for words; the AUP
 * shown at every log on tells readers; technology as a resource for a good
 * use promotes it; a school-owned device is the setting's. */
Test(classify, alerts_log_on_notices_resources_and_owned_devices)
{
    read_draft r = read_md("We use software that alerts the safeguarding team to worrying "
                           "searches.\n\n"
                           "Our system watches for words linked to self-harm.\n\n"
                           "The AUP appears on screen every time you log on.\n\n"
                           "The internet is a great resource for finding out about the world.\n\n"
                           "Staff should use school-owned devices to photograph pupils.\n\n"
                           "Tell the safeguarding team about worrying searches.\n");
    cr_expect(monitors(of(&r, "We use software that alerts the safeguarding team to worrying "
                              "searches.")));
    cr_expect(monitors(of(&r, "Our system watches for words linked to self-harm.")));
    cr_expect(!monitors(of(&r, "Tell the safeguarding team about worrying searches.")));
    cr_expect(tells(of(&r, "The AUP appears on screen every time you log on.")));
    cr_expect(of(&r, "The internet is a great resource for finding out about the world.")
                  ->promotes);
    const unit_class *k = of(&r, "Staff should use school-owned devices to photograph pupils.");
    cr_expect((k->topics & TOPIC_SYSTEMS) && !(k->topics & TOPIC_PERSONAL));
    read_free(&r);
}

/* Being seen is watching when it is stated, in the main clause; a device
 * seen in a condition, or in a question about what happens if it is, is
 * how a misuse comes to light, not a statement that use is watched. */
Test(classify, seen_in_a_statement_watches_and_in_a_condition_does_not)
{
    static const char *const yes[] = {
        "Everything typed on the library laptops can be seen by the IT team.",
        "Your screen is seen by the teacher's console at all times.",
    };
    static const char *const no[] = {
        "If a phone is seen in a lesson, it will be taken to the office.",
        "What happens if a device is seen or heard during the day?",
        "When your tablet is seen out of its case, please put it back.",
        "A phone out on the workshop floor means the phone goes to the office until 4pm.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), monitors, "monitors");
}

/* A unit that opens on watching says who watches through its lead-in: in
 * the column "The school will" of a home-school table, or under "The
 * setting will:", the setting watches. The first column of such a table
 * holds rules like the others, not row labels. The same words under
 * "Parents will" watch nothing the setting does, and a promise of the
 * school's that watches nothing is no monitoring. */
Test(classify, the_setting_watches_in_its_own_column)
{
    read_draft r = read_md("| The school will | Parents will | Pupils will |\n"
                           "| --- | --- | --- |\n"
                           "| Monitor use of the tablet and accounts and contact you about "
                           "concerns | Check the tablet's history now and then | Use the tablet "
                           "for learning |\n"
                           "| Repair the tablet free of charge | Keep the tablet charged | "
                           "Not lend the tablet to anyone |\n\n"
                           "## Staff will:\n\n"
                           "- keep an eye on how the club laptops are used;\n"
                           "- read every comment sent from home before it is posted;\n"
                           "- keep the laptops charged.\n");
    const unit_class *m = of(&r, "Monitor use of the tablet and accounts and contact you about "
                                 "concerns");
    cr_expect(monitors(m) && !(m->acts & ACT_PERMITS), "the school monitors, permits nothing");
    cr_expect(monitors(of(&r, "keep an eye on how the club laptops are used;")));
    cr_expect(monitors(of(&r, "read every comment sent from home before it is posted;")),
              "reading what families post before it appears is watching it");
    cr_expect(!monitors(of(&r, "Check the tablet's history now and then")),
              "parents checking is not the setting watching");
    cr_expect(!monitors(of(&r, "Repair the tablet free of charge")));
    cr_expect(!monitors(of(&r, "keep the laptops charged.")));
    size_t i = (size_t)(m - r.k);
    cr_expect(!r.u.items[i].label, "a column headed 'The school will' labels no rows");
    cr_expect(r.u.items[i].lead_in >= 0 &&
              !strcmp(r.u.items[r.u.items[i].lead_in].text, "The school will"));
    read_free(&r);
    r = read_md("| We will | You will |\n| --- | --- |\n"
                "| Check the journal's access log every month | Keep your login to yourself |\n");
    cr_expect(monitors(of(&r, "Check the journal's access log every month")),
              "'We will' heads the setting's column");
    read_free(&r);
}

/* Words in brackets, or a name set off by commas, are an aside: who does
 * what is read around them. */
Test(classify, an_aside_in_brackets_leaves_the_doer_in_place)
{
    static const char *const yes[] = {
        "The building management system (BMS) lets the team check the temperature of every "
        "room.",
        "Our group chat, \"Tuesday Crew\", lets you get reminders about trips.",
    };
    static const char *const no[] = {
        "Our class teacher (Miss Jo) helps us choose the games.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* What follows a misuse that is talked about is no telling of the rules;
 * a form of the reader's own life is not the setting's form to return; a
 * copy given to readers tells them, one that others hold does not. */
Test(classify, talk_after_a_misuse_and_other_forms_tell_no_one)
{
    static const char *const yes[] = {
        "The lead hirer signs them with the booking form.",
        "Please complete, sign and return the reply slip.",
        "You will be given a copy of this code at induction.",
        "Each family gets a copy of the agreement to keep.",
    };
    static const char *const no[] = {
        "Your placement mentor at each primary school has a copy of this code.",
        "Drivers have been given a copy of this guidance too.",
        "If someone forgets the code, we will talk about it together.",
        "If someone forgets one of our rules, we will talk about it as a class.",
        "Staff can help you fill in council and benefit forms online.",
        "The headteacher reviews this policy every year.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), tells, "tells readers");
}

/* A ban on one's own device with an exception for when someone in charge
 * allows it both allows and limits; so does keeping the sound down. Flash
 * photography is photography. An exception that names no one in charge,
 * and a ban with none, allow nothing. */
Test(classify, exceptions_allowed_by_staff_and_the_sound_kept_down)
{
    read_draft r = read_md("## I won't\n\n"
                           "- take my phone out of my bag unless a teacher asks me to use it;\n"
                           "- take my phone out of my bag unless it is an emergency;\n"
                           "- bring my smartwatch to school.\n\n"
                           "Keep the volume low on your phone in the reading room.\n\n"
                           "Flash photography is banned in the galleries.\n");
    cr_expect(allows_and_limits(of(&r, "take my phone out of my bag unless a teacher asks me to "
                                       "use it;")));
    const unit_class *e = of(&r, "take my phone out of my bag unless it is an emergency;");
    cr_expect((e->acts & ACT_PROHIBITS) && !(e->acts & ACT_PERMITS));
    const unit_class *w = of(&r, "bring my smartwatch to school.");
    cr_expect((w->acts & ACT_PROHIBITS) && !(w->acts & ACT_PERMITS));
    cr_expect(allows_and_limits(of(&r, "Keep the volume low on your phone in the reading room.")));
    const unit_class *f = of(&r, "Flash photography is banned in the galleries.");
    cr_expect((f->acts & ACT_PROHIBITS) && (f->topics & TOPIC_IMAGES));
    read_free(&r);
}

/* Consequences stated as outcomes with no word for a sanction: the device
 * kept somewhere until a set time or until a parent collects it, the cost
 * of a repair to be met, the agency told and no more shifts offered, asked
 * to delete pictures or stand down, no filming at future events; a device
 * used to bully is a misuse. A device kept until home time as a rule, and a
 * repair paid for with no misuse, are none. */
Test(classify, outcomes_without_a_sanction_word)
{
    static const char *const yes[] = {
        "If a phone is heard in class, it is kept in the school office until a parent "
        "collects it.",
        "A tablet that is used to bully anyone is withdrawn, and the family is asked to pay "
        "towards the repair.",
        "Any breach of this code is reported to your agency, and you will not be booked "
        "again.",
        "Spectators who film other children will be asked to delete the clips.",
        "Anyone who breaks this code may be asked to stand down from the committee.",
        "Parents who ignore this request will not be allowed to film at future concerts.",
        "Anyone who breaks this code sits out the next league fixture.",
        "Anyone who takes a tablet outside has finished with the tablets for that day.",
        "If we are rough with the tablet, it has a rest on the shelf and we choose a different "
        "toy.",
        "If you are unkind online, we'll let your mum or dad know.",
        "Do that again and the iPad goes back in the cupboard.",
        "Repeated misuse means your phone stays at home.",
        "Helpers who don't follow this guidance won't be invited on future trips.",
        "If the laptop is damaged on purpose, the school will recall it and payments will not be "
        "refunded.",
        "If you misuse the laptops, your tutor will tell your support worker or your family.",
        "If a child writes unkind comments, their commenting will be switched off for two weeks.",
        "A driver who breaks this code will have their authorisation to drive withdrawn.",
        "If someone keeps filming other families after a reminder, we will ask them to leave.",
        "If a tablet is used for anything else, we will stop its data.",
    };
    static const char *const no[] = {
        "Phones stay in the office until home time.",
        "The school pays for repairs to faulty laptops.",
        "Speak to your agency if you have any questions.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
}

/* Good uses stated as descriptions and benefits: what readers do with the
 * technology, what it makes easy, time it saves, its part in how pupils
 * learn, a skill worth having, recordings watched back to improve,
 * everyday tasks done online, what it gives readers, modules worth doing.
 * A description that names no good use, a skill with no worth said, "easy
 * to lose", a chance a person gives and notes to write up promote
 * nothing. */
Test(classify, good_uses_as_descriptions_and_benefits)
{
    static const char *const yes[] = {
        "We take photos of the models we build.",
        "We listen to stories on the tablets.",
        "On the gallery tablets, visitors zoom in on the paintings.",
        "The booking system makes it easy to swap shifts.",
        "The online catalogue saves hours of searching.",
        "Lessons go more smoothly when every pupil has the same laptop.",
        "Computers are part of how pupils research and present their work.",
        "Coding is a skill that employers look for.",
        "Coaches film each match, and players watch it back to improve their passing.",
        "Volunteers helped residents with video calls to family and online banking.",
        "The journal shows what the class did, and it gives you something to talk about at tea.",
        "The short training modules on GovernorHub are well worth doing.",
        "Scan the worksheets to the shared drive so that absent pupils and supply staff can "
        "open them from home.",
        "Video appointments mean that parents who work shifts can talk to every teacher.",
        "Children love recording a page of their book on the iPad.",
        "Used well, the building system has cut the school's gas bill by a fifth.",
        "Parents get a text when their child arrives, and families tell us this takes away a "
        "lot of worry.",
        "The card reader means you can take payments like any market trader.",
        "Card payments have made a real difference too.",
        "A story on the iPad is a lovely way for tired children to wind down.",
    };
    static const char *const no[] = {
        "Your teacher gives you a chance to explain.",
        "Write up case notes on EarlyStart within two working days of a visit.",
        "Then I can try again.",
        "You may use the study centre computers to work on your application.",
        "Record points during the lesson or straight afterwards.",
        "The tablets live in a box by the window.",
        "We listen to our teacher.",
        "Typing is a skill.",
        "Small memory sticks make it easy to lose work.",
        "Bring your prescription to the front desk.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* The setting's technology said to be open or available is a permission,
 * and so is a device said to be able to join the network. A rule on the
 * network alone under a heading about the reader's own devices is about
 * those devices; "own phone or tablet" makes both the reader's own. */
Test(classify, open_for_use_devices_that_join_and_the_network_under_own_devices)
{
    read_draft r = read_md("The library computers are open at lunch for homework.\n\n"
                           "Your own laptop can join the guest wifi.\n\n"
                           "## Your own phone or tablet\n\n"
                           "- Please do not stream films on the centre wifi.\n\n"
                           "## The centre's laptops\n\n"
                           "- Please do not stream films on the centre wifi.\n");
    cr_expect(of(&r, "The library computers are open at lunch for homework.")->acts &
              ACT_PERMITS);
    const unit_class *j = of(&r, "Your own laptop can join the guest wifi.");
    cr_expect((j->acts & ACT_PERMITS) && (j->topics & TOPIC_PERSONAL));
    cr_expect(r.k[0].topics & TOPIC_SYSTEMS);
    size_t own = 0, kit = 0;
    for (size_t i = 0; i < r.u.count; i++)
        if (!strcmp(r.u.items[i].text, "Please do not stream films on the centre wifi."))
            *(own ? &kit : &own) = i;
    cr_expect(own && kit);
    cr_expect((r.k[own].topics & TOPIC_PERSONAL) && (r.k[own].acts & ACT_PROHIBITS),
              "the network under the reader's own devices");
    cr_expect(!(r.k[kit].topics & TOPIC_PERSONAL), "the network under the setting's laptops");
    cr_expect(of(&r, "Your own phone or tablet")->topics & TOPIC_PERSONAL);
    cr_expect(!(of(&r, "Your own phone or tablet")->topics & TOPIC_SYSTEMS),
              "the tablet is the reader's own too");
    read_free(&r);
}

/* Watching said through the person who does it and what they look at:
 * who opened a folder, where the trackers are, every picture taken, a
 * report of the sites visited. Recording the children's photos, following
 * a map and looking at photos together watch no one's use. */
Test(classify, watching_named_through_the_watcher_and_what_is_watched)
{
    static const char *const yes[] = {
        "The office checks who has opened the trip folder.",
        "Instructors follow every tracker on a live map during the walk.",
        "Grown-ups look at every picture before it goes on the screen.",
        "The technician reads the weekly report of the websites visited on the suite computers.",
        "Leaders can read every text sent from the group phone.",
        "Staff should have no expectation of privacy on the school network.",
    };
    static const char *const no[] = {
        "Staff record observations and photos on the learning journal.",
        "Leaders follow the map and compass route with each group.",
        "Teachers look at the photos with the children at the end of the day.",
        "The office checks that every laptop has been returned.",
        "Respect the privacy of others online.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), monitors, "monitors");
}

/* More outcomes with no word for a sanction: a deposit forfeited, a device
 * held until a set time, a result that no longer counts, being asked not
 * to come back; each with its condition. A routine hand-in and a device
 * kept in a bag until home time are not consequences, and "I promise to:"
 * leading in to the rules acknowledges nothing where "I promise to keep
 * these rules" does. */
Test(classify, outcomes_without_a_sanction_word_and_promises_that_lead_in)
{
    static const char *const yes[] = {
        "Families whose child damages a tablet on purpose may lose part or all of the deposit.",
        "If I use my phone during a match, the coach will hold it until the final whistle.",
        "Anyone who uses a phone in the exam room will find that their paper does not count.",
        "A volunteer who shares these records may be asked not to return to future sessions.",
    };
    static const char *const no[] = {
        "Phones are handed in at registration and the office keeps them until home time.",
        "I keep my phone in my bag until the end of the day.",
        "Please ask not to be photographed if you would rather not be.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
    read_draft r = read_md("When I use the club laptop, I promise to:\n\n- save my work\n\n"
                           "I promise to keep these rules.\n");
    cr_expect(!(of(&r, "When I use the club laptop, I promise to:")->acts & ACT_ACKNOWLEDGES));
    cr_expect(of(&r, "I promise to keep these rules.")->acts & ACT_ACKNOWLEDGES);
    read_free(&r);
}

/* Watching in the passive with its watcher named, and a record of who
 * did what, whatever keeps it; a timer showing whose turn it is, and a
 * family seeing photos, watch no one. */
Test(classify, watched_by_someone_in_charge_and_records_of_who)
{
    static const char *const yes[] = {
        "All email through the office inboxes is archived and can be searched by the "
        "headteacher and the DSL.",
        "The wet play book shows who played and for how long.",
        "The club laptop keeps track of when each member logs in.",
        "Mrs Adeyemi reads every letter before it is sent.",
        "Every claim is recorded against the account that made it.",
        "The platform keeps a full history of administrator activity.",
        "Mrs Hadley has a teacher dashboard that shows every trade and every log-in.",
    };
    static const char *const no[] = {
        "The sand timer shows when it is the next person's turn.",
        "Footage must be deleted at the end of the term in which it was recorded.",
        "Photos on the class page can be seen by families at home.",
        "I record who I spoke to in my visit notes.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), monitors, "monitors");
}

static bool tells_readers(const unit_class *k)
{
    return (k->acts & ACT_ACKNOWLEDGES) || (k->marks & (1u << MARK_COMMUNICATION));
}

/* An agreement readers sign, named before the signing, and "this sheet"
 * handed to them tell readers of the rules; signing in or out of a
 * building or a system, and reading someone's files, do not. */
Test(classify, signing_the_rules_not_signing_in)
{
    static const char *const yes[] = {
        "These conditions are part of the membership agreement that every member signs on "
        "joining.",
        "Please sign in at reception, where you'll be given this sheet and a lanyard.",
        "Every Monday after the register we read the charter aloud.",
    };
    static const char *const no[] = {
        "Please sign in at the office on those visits.",
        "Please sign out of CPOMS and shut the laptop down at the end of each day.",
        "Do not try to read, copy or change another student's files.",
        "Please sign one out with Mr Nwachukwu and keep it on the table.",
        "A family media plan can help you agree screen time with your child.",
        "Please sign the lettings book at reception with the number attending.",
        "Employers often tell us they have read students' pieces in the Courier.",
        "Colleagues will often ask for class sets at short notice.",
        "Check the licence type before you promise a date.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), tells_readers, "tells readers");
}

/* Prohibitions with no "not": a no, keeping away, leaving alone, ruled
 * out, kept off, nothing installed. "There is no charge" and "keep it
 * safe" forbid nothing. */
Test(classify, prohibitions_said_without_not)
{
    static const char *const yes[] = {
        "Taking the tablet into the bathroom is a no.",
        "I keep away from the red record button.",
        "The settings on the club iPads are left alone by children.",
        "Sharing the dongle's connection with a household is ruled out.",
        "Pupils' work is kept off memory sticks.",
        "Nothing gets installed on the hub laptops.",
        "Mobiles have no place in the classroom.",
        "Chromebooks never leave the classroom.",
        "The school laptops are for schoolwork only.",
    };
    static const char *const no[] = {
        "There is no charge for printing.",
        "The centre's wifi is for staff only.",
        "The laptop and projector in the hall are for the leaders only.",
        "Keep your password safe.",
        "Everyone is welcome at the hub.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), prohibits, "prohibits");
}

/* Watching said through what a device or system tells someone in charge,
 * a history sent to them, a chat they read. A guide that tells readers
 * what to do, and going through the rules with helpers, watch nothing. */
Test(classify, watching_through_what_a_system_tells_someone_in_charge)
{
    static const char *const yes[] = {
        "Our tablet tells Miss Jo which games we opened each day.",
        "The laptop's browsing history goes to our IT provider every night.",
        "All contact goes through the group chat, which the youth coordinator reads.",
        "Arbor alerts the outreach lead whenever a tutor opens a record.",
        "Every morning the kiosk sends a list of the games played to Mr Hale.",
        "The station's logger keeps a recording of everything that goes out on air.",
        "Every school laptop runs Impero.",
        "Our network is protected by Smoothwall.",
    };
    static const char *const no[] = {
        "Do not try to get round Smoothwall with a VPN.",
        "We love the stories that the teacher reads to us.",
        "Our newsletter tells you which clubs your child played in this term.",
        "This guide tells you what to do if you are worried.",
        "The trip leader will go through it with all the helpers.",
        "We listen to stories on the tablets.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), monitors, "monitors");
}

/* Whoever watches need not be on a list: anyone but the reader who
 * checks, logs, records or looks through use is watching; a command, the
 * reader and a noun ("scans of") are not. */
Test(classify, anyone_but_the_reader_watching_use)
{
    static const char *const yes[] = {
        "The library's PCs record every site opened during a session.",
        "At the end of the week she checks the history on each laptop.",
        "Coaches walk round the room and watch what is on the screens.",
        "The loan laptops keep a log of every session.",
        "The bursar reviews the audit report each term.",
        "The warden looks through the browsing history every Friday.",
    };
    static const char *const no[] = {
        "I will check my messages before I leave.",
        "Then check the history of the browser.",
        "Lock or log off any computer you leave.",
        "Pupils log off and check their files are saved.",
        "The computers hold scans of old records.",
        "Tutors go through this policy with every group.",
        "The college will review whether you can stay on the course.",
        "Teams is where your teachers set work, so check it every day.",
        "Using your phone in the study room to check your timetable.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), monitors, "monitors");
}

/* Conditions said as "should anyone", "where someone ... to be unkind",
 * "a friend who", and outcomes with no sanction word: a rest from it,
 * sitting out, off the rota, a login handed back, damage charged. A
 * device kept by the office with no misuse named is no consequence. */
Test(classify, conditions_and_outcomes_in_other_words)
{
    static const char *const yes[] = {
        "A friend who grabs the tablet has a rest from it.",
        "Should anyone film a rehearsal, they will sit out of the next service.",
        "Where someone uses the kiosk to be unkind, their name comes off the rota.",
        "An officer who posts against these guidelines hands the login back and steps down.",
        "Damage to the media PC is charged to the society's budget.",
        "If a child uses a phone during the day, it is kept by the coordinator until pick-up.",
        "If you misuse a laptop you will be put on report.",
    };
    static const char *const no[] = {
        "Phones are kept by the office during the day.",
        "You can call home at lunchtime.",
        "Please hand the keys back at the end of the session.",
        "We may suspend them from the rota while the hall is painted.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
}

/* Good uses as captions, things made, what posting led to, work found
 * through the computers, time spent making. Reading the rules, setting up
 * parental controls and a council that helped write the rules promote
 * nothing. */
Test(classify, good_uses_as_captions_and_what_came_of_them)
{
    static const char *const yes[] = {
        "Members filming scenes on the rehearsal iPad.",
        "Trailers cut together by members on the company laptop.",
        "Regular posting is how the film society grew.",
        "Year 13s found apprenticeships through searches on these PCs.",
        "One student spent her stay building a website about diabetes.",
        "Last term the group made a short animated film.",
    };
    static const char *const no[] = {
        "Please read each line with a parent.",
        "Set up parental controls on home broadband.",
        "The school council helped us write these rules.",
        "Members filming for the school show should ask first.",
        "The display was made by pupils in Year 8.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* Numbered clauses, as codes and regulations write them: the rule starts
 * after "3.2". An investigation, supervision and a storage place are not a
 * sanction, monitoring or a rule; "nobody may" forbids and allows nothing. */
Test(classify, numbered_clauses_and_what_is_not_a_rule)
{
    read_draft r = read_md("3.2 Do not share your login.\n\n"
                           "10 minutes each when there is a queue.\n\n"
                           "Suspected breaches will be investigated by the manager.\n\n"
                           "Leaders supervise every tablet session.\n\n"
                           "Nobody may record an online lesson.\n\n"
                           "They are kept in the cupboard we rent.\n\n"
                           "Every learner is given an account, which may be used for coursework.\n\n"
                           "Senso flags worrying searches and messages to our safeguarding team.\n");
    cr_expect(of(&r, "3.2 Do not share your login.")->acts & ACT_PROHIBITS);
    cr_expect(!(of(&r, "10 minutes each when there is a queue.")->acts & ACT_PROHIBITS));
    cr_expect(!(of(&r, "Suspected breaches will be investigated by the manager.")->acts &
                ACT_CONSEQUENCE));
    cr_expect(!(of(&r, "Leaders supervise every tablet session.")->acts & ACT_MONITORS));
    const unit_class *nobody = of(&r, "Nobody may record an online lesson.");
    cr_expect((nobody->acts & ACT_PROHIBITS) && !(nobody->acts & ACT_PERMITS));
    cr_expect(!(of(&r, "They are kept in the cupboard we rent.")->acts & ACT_PROHIBITS));
    cr_expect(of(&r, "Every learner is given an account, which may be used for coursework.")->acts &
              ACT_PERMITS);
    cr_expect(of(&r, "Senso flags worrying searches and messages to our safeguarding team.")->acts &
              ACT_MONITORS);
    read_free(&r);
}

/* Rough handling, a device used when it must not be, a request ignored:
 * each a condition, with an outcome said in everyday words. */
Test(classify, everyday_conditions_and_outcomes)
{
    static const char *const yes[] = {
        "If someone throws the tablet, it goes back up on the high shelf until after lunch.",
        "If a phone is used during a lesson, the teacher will keep it on the front desk until "
        "12.30 pm.",
        "Parents who have not done so will no longer be able to film at school events.",
        "If we find that an account has been misused, we will remove it from the system.",
        "If a tin or a peg gets thrown or stamped on, it goes up on the high shelf.",
        "If a kit is not brought back on time, you will not be able to borrow one again.",
        "If these terms are broken, the school may cancel the remaining days of your booking "
        "and keep your deposit.",
        "If an account is misused, the school will lock it.",
    };
    static const char *const no[] = {
        "If you bring a phone, keep it in your bag until home time.",
        "The tablet goes back on the shelf at the end of the day.",
        "When the lesson ends, remove it from the charger.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
}

/* After a misuse named in the same unit, whatever the main clause says
 * will be done is the outcome; not when the misuse is the clause's subject
 * ("Misuse ... will be dealt with"), when the condition names only who
 * ("Pupils who walk home"), when what will be done is telling, looking
 * into it, talking it through or a permission, nor when "break" is a time
 * of day. */
Test(classify, what_will_happen_after_a_misuse)
{
    static const char *const yes[] = {
        "If you do not keep to this agreement, we may collect the tablet.",
        "Anyone who breaks the code will give up their seat at the next match.",
        "If it happens again, the coach will hand your place to a reserve.",
        "If a helper breaks this code, we may not be able to invite them to help on future "
        "trips.",
        "If I do not give my controller back when the timer ends, I stop playing.",
        "Break one of these rules and you sit out the rest of the session.",
        "If an iPad is damaged on purpose, you will be asked to pay the insurance excess.",
        "If a child is unkind on a call, the teacher will remove that child from the call.",
        "If someone pushes a friend at the tablet table, they sit on the green line and watch the "
        "rest of that game.",
        "If the journal is misused, I will suspend that family's Tapestry access.",
        "If someone uses the iPad for something else, they have a rest from camera jobs.",
        "Contributors who break this code will have their log-in removed for half a term.",
        "If your child uses a phone outside the calling time, staff will keep it until we are back.",
        "If the tablet is grabbed or thrown, it goes to sleep on the high shelf.",
        "If I don't keep these promises, I will miss the next call.",
    };
    static const char *const no[] = {
        "Any misuse of the app, by a child or an adult, will be dealt with under our policy.",
        "Pupils who walk home alone may bring a phone.",
        "If you break something by accident, you should tell a teacher.",
        "If misuse is suspected, the IT team may review the account.",
        "At break you can use your phone to call home.",
        "Staff may use their own phones in the staff room during their breaks.",
        "If a photo were misused, some children could not tell anyone.",
        "Cheating in a match breaks our code and will be treated very seriously.",
        "If the rules are broken, your mentor will talk through what went wrong.",
        "If a rule is broken, we will look at it together at your next review.",
        "If you break the rules, we will talk to you about what happened.",
        "If we forget a promise, Miss Adeyemi will remind us and show us the right way.",
        "If something is posted that shouldn't have been, the chair will have a quiet word and "
        "we will put it right together.",
        "If this agreement is not kept, the therapist will phone you to talk it over.",
        "If you break a rule on the laptop, you will need to tell your teacher.",
        "This page says what you must and must not do, and what happens if it is misused.",
        "I will lock the laptop whenever I step away from it and keep it out of sight in the car.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
}

/* What a thing that is not the reader lets or helps readers do promotes
 * it; a person helping, a permission to use or bring, and help to stay
 * safe do not. */
Test(classify, what_a_thing_lets_readers_do)
{
    static const char *const yes[] = {
        "The booking site lets you check your place and book onto courses.",
        "Our e-portfolio helps you save evidence for your assessment.",
        "A word processor lets a candidate whose handwriting is slow get down all they know.",
        "Text-to-speech lets a candidate with dyslexia hear each question at their own pace.",
    };
    static const char *const no[] = {
        "A grown-up helps us remember the rules.",
        "Your teacher will let you use the school phone.",
        "The filter helps you stay safe online.",
        "Pupils help us choose the rules.",
        "Our volunteers are on hand to help you get started.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* Advice ("we recommend", "it's worth") is not a rule, nor is a limit on
 * the setting's kit asked for with "please"; what someone may not want,
 * know or be able to do, and what is never sent to someone, forbid
 * nothing: none of them prohibits, though a rule that says the same does. */
Test(classify, advice_and_what_may_not_be_so_forbid_nothing)
{
    static const char *const yes[] = {
        "Leave your phone in your bag while you are on the shop floor.",
        "Do not take photos in the playroom.",
        "You may not bring a phone to the workshop.",
        "Use only your own login on the reading app.",
        "Make sure the tablet is not used to record the session.",
    };
    static const char *const no[] = {
        "We strongly recommend leaving your phone in your bag while you are on the shop floor.",
        "Think carefully before taking photos in the playroom.",
        "We would ask you to think about how it looks when you are on your phone.",
        "Some families may not want their children filmed.",
        "The wifi may not work in the far barn.",
        "Not following these guidelines can have consequences for everyone.",
        "The laptop lets you hand in college assignments on time.",
        "Our volunteers are not able to repair devices.",
        "We cannot guarantee that the connection will always be there.",
        "Please let your child use only their own login on the reading app.",
        "Try not to eat near the laptops.",
        "It is best not to download files you do not need.",
        "It's worth switching the phone to flight mode first.",
        "Camera footage is never streamed to parents.",
        "Volunteers will never ask for your passwords or bank card details.",
        "Most apprentices find it easiest to leave their phone in the staff room locker.",
        "There is nothing to install and you do not need an account.",
        "No more waiting in the rain while someone comes to the door.",
        "Many pupils have complex needs, and some cannot tell anyone what happened.",
        "Some children who come here must not have their picture shared.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), prohibits, "prohibits");
}

/* What having the technology means for readers names a good use of it,
 * as does technology there so that readers can do something; being kept
 * safe or watched is no such use. */
Test(classify, what_the_technology_means_for_readers)
{
    static const char *const yes[] = {
        "The radios mean you can get a first-aider to the far field in a minute.",
        "The class iPad means your teacher knows straight away who needs help.",
        "The club laptop is there so you can catch up on homework.",
        "The best photos go on our page, so families who could not come can share the day.",
    };
    static const char *const no[] = {
        "The radios must stay on channel two.",
        "This means you can not use the hall after six.",
        "The laptops are filtered so staff can see what is searched.",
        "Keep the tablet charged so you can stay safe on the way home.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* What something does for people, in open words (a purpose, what it lets
 * anyone do, what it is there for, what readers love doing), promotes a
 * good use once the unit is about technology; a purpose that is a guard,
 * a rule's reason or a way to reach the setting does not, nor does the
 * same said of no technology. */
Test(classify, what_technology_does_for_people)
{
    static const char *const yes[] = {
        "Class Charts shows you the seating plan, so you can greet pupils by name from the first "
        "minute.",
        "The salon iPad is there to help you build a portfolio of your work.",
        "The allergy tablet helps cover staff learn each child's needs.",
        "Many students love watching their performance back on the stream.",
        "On the class iPads, we can pause a video and watch a sign again.",
        "Open the lesson from the laptop and the class can start without anyone waiting for "
        "paper copies.",
        "The app lets you pay for trips, so children no longer bring cash to school.",
        "Use the class iPad to show your family the model you built.",
        "A short video of a fixture can fill the sidelines at the next match.",
        "The project laptop is shared by the whole class, which makes it a good place to learn how "
        "software is deployed.",
        "After a match, you can load your game into the analysis board on the club laptop.",
        "The render farm on the studio computers lets you bake the lighting for a whole level "
        "overnight.",
        "Borrowing a college camera means you can shoot coursework films on professional kit.",
        "The bus tracker app means nobody has to stand at the roadside in the rain.",
        "Watching a share price move on the app will teach you more about finance than a "
        "textbook.",
        "Groups find the projector handy for showing the council's plans for the estate.",
        "The app lets you scroll through the lost property from the sofa, rather than digging "
        "through the crates.",
    };
    static const char *const no[] = {
        "The filter on the tablets is there to keep you safe.",
        "Turn the tablet face down so you can give the lesson your full attention.",
        "You can connect your laptop to the guest wifi.",
        "Use the paper register, and tell the office so that they can update the tablet.",
        "The portal works in any browser, so you can also reach it from home.",
        "We love seeing families at our assemblies and sports days on the school website.",
        "Use the laptop for up to 30 minutes at each stop.",
        "If you have a concern about the school, talk to us rather than posting about it online.",
        "By using the library wifi you agree to the terms of use.",
        "The volume on the studio laptop can spike and damage the speakers.",
        "Your own laptop can join the student wifi.",
        "Study programmes for 16 to 19 year olds use the college laptops.",
        "If you do not have one at home, we can lend you a school Chromebook.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
    read_draft r = read_md("Our Thursday sessions are calm, with soft music, so babies can settle.\n");
    cr_expect(!of(&r, "Our Thursday sessions are calm, with soft music, so babies can settle.")
                   ->promotes,
              "a purpose promotes only where technology is what the unit is about");
    read_free(&r);
}

static bool permits(const unit_class *k)
{
    return k->acts & ACT_PERMITS;
}

/* Leave given in everyday words permits. */
Test(classify, leave_in_everyday_words)
{
    static const char *const yes[] = {
        "Your phone can come to work with you.",
        "There's nothing wrong with checking your messages at lunch.",
        "Feel free to use your own laptop for planning at home.",
        "Children who walk home on their own may bring a phone to school.",
    };
    static const char *const no[] = {
        "Phones never come into the playroom.",
        "Anyone who breaks the rules may have their phone taken away.",
        "Review date: 31 March 2027",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), permits, "permits");
}

/* A platform the setting names (Dojo, Tapestry, Seesaw) is its own system,
 * as its network and laptops are. */
Test(classify, named_platforms_are_the_setting_systems)
{
    read_draft r = read_md("Please do not use Dojo to report an absence.\n\n"
                           "You can add comments to Tapestry at home.\n\n"
                           "Please do not use the car park to drop off.\n");
    cr_expect(of(&r, "Please do not use Dojo to report an absence.")->topics & TOPIC_SYSTEMS);
    cr_expect(of(&r, "You can add comments to Tapestry at home.")->topics & TOPIC_SYSTEMS);
    cr_expect(!(of(&r, "Please do not use the car park to drop off.")->topics & TOPIC_SYSTEMS));
    read_free(&r);
    /* so is the kit of a classroom, and the stream of its events */
    r = read_md("Never take the microscope near the water tray.\n\n"
                "You must not screen-record or download the stream.\n");
    cr_expect(of(&r, "Never take the microscope near the water tray.")->topics & TOPIC_SYSTEMS);
    cr_expect(of(&r, "You must not screen-record or download the stream.")->topics &
              TOPIC_SYSTEMS);
    read_free(&r);
    r = read_md("The minibus mobile must not be used for photos.\n\n"
                "Do not unplug the tracker.\n\n"
                "Fitness trackers must not go past the yellow line.\n");
    const unit_class *mob = of(&r, "The minibus mobile must not be used for photos.");
    cr_expect((mob->topics & TOPIC_SYSTEMS) && !(mob->topics & TOPIC_PERSONAL));
    cr_expect(of(&r, "Do not unplug the tracker.")->topics & TOPIC_SYSTEMS);
    cr_expect(!(of(&r, "Fitness trackers must not go past the yellow line.")->topics &
                TOPIC_SYSTEMS));
    read_free(&r);
    /* copiers are the setting's kit; other people's accounts are no one's own technology */
    r = read_md("The copiers must not be used for personal material.\n\n"
                "## Not acceptable on the school accounts:\n\n"
                "- Tagging or linking to students' personal accounts.\n");
    const unit_class *cop = of(&r, "The copiers must not be used for personal material.");
    cr_expect((cop->topics & TOPIC_SYSTEMS) && (cop->acts & ACT_PROHIBITS));
    cr_expect(!(of(&r, "Tagging or linking to students' personal accounts.")->topics &
                TOPIC_PERSONAL));
    read_free(&r);
    /* what readers will do on the calls, said as what they do, is a good use */
    r = read_md("## On our video calls\n\nWe will ask each other questions about our homes.\n\n"
                "We will also read out the poems we write for our pen pals.\n");
    cr_expect(of(&r, "We will ask each other questions about our homes.")->promotes);
    cr_expect(of(&r, "We will also read out the poems we write for our pen pals.")->promotes);
    read_free(&r);
    /* others' email addresses are data; one's own email on the setting's tablets is a rule
       on the tablets */
    r = read_md("You must not collect students' names, phone numbers or email addresses.\n\n"
                "Don't sign in to your own email, banking or social media on the cafe tablets.\n");
    const unit_class *col = of(&r, "You must not collect students' names, phone numbers or "
                                   "email addresses.");
    cr_expect((col->topics & TOPIC_DATA) && !(col->topics & TOPIC_SYSTEMS));
    const unit_class *caf = of(&r, "Don't sign in to your own email, banking or social media on "
                                   "the cafe tablets.");
    cr_expect((caf->topics & TOPIC_SYSTEMS) && !(caf->topics & TOPIC_PERSONAL));
    read_free(&r);
    /* one's own accounts are not the setting's; a ban on calls is no ban on phones */
    r = read_md("Don't message clients from your own number or personal accounts.\n\n"
                "No phone calls at the desks.\n");
    const unit_class *acc = of(&r, "Don't message clients from your own number or personal "
                                   "accounts.");
    cr_expect((acc->topics & TOPIC_PERSONAL) && !(acc->topics & TOPIC_SYSTEMS));
    cr_expect(!of(&r, "No phone calls at the desks.")->ban);
    read_free(&r);
    /* a phone the setting lends for travel is its own */
    r = read_md("I do not lend my travel phone to anyone.\n");
    const unit_class *tr = of(&r, "I do not lend my travel phone to anyone.");
    cr_expect((tr->topics & TOPIC_SYSTEMS) && !(tr->topics & TOPIC_PERSONAL));
    read_free(&r);
    /* a computer at home is one's own */
    r = read_md("I can play Number Jam at home on a computer or tablet with my grown-up.\n");
    cr_expect(of(&r, "I can play Number Jam at home on a computer or tablet with my grown-up.")
                  ->topics & TOPIC_PERSONAL);
    read_free(&r);
    /* an app the setting names is its own; one on the reader's phone is not */
    r = read_md("Download the photos from the Parent Hub app.\n\n"
                "Turn off the app on your phone at night.\n");
    cr_expect(of(&r, "Download the photos from the Parent Hub app.")->topics & TOPIC_SYSTEMS);
    cr_expect(!(of(&r, "Turn off the app on your phone at night.")->topics & TOPIC_SYSTEMS));
    read_free(&r);
    /* an email address that is one's own, like the number before it, is not the setting's */
    r = read_md("Never give pupils your personal number or email address.\n");
    const unit_class *own = of(&r, "Never give pupils your personal number or email address.");
    cr_expect((own->topics & TOPIC_PERSONAL) && !(own->topics & TOPIC_SYSTEMS));
    read_free(&r);
}

/* After a misuse the unit names, what the main clause says is done is
 * the outcome, in words no sanction list holds; the same words after a
 * mishap or a wish, and a talk with the family, are not. */
Test(classify, outcomes_said_in_open_words)
{
    static const char *const yes[] = {
        "Any member who breaks these conditions will have their key fob cancelled.",
        "If a visiting professional does not follow this guidance, we will raise it with your "
        "team leader.",
        "If I break the shop rules, I have one week off the shop.",
        "If a speaker's conduct falls short of these expectations, the member of staff present "
        "will bring the session to an end.",
        "If I splash the tablet on purpose, the music goes off.",
        "If these conditions are broken, the academy may end the letting straight away.",
        "If the pen is lost or damaged through carelessness, the home loan may be stopped.",
        "Homework found to have been written by AI will receive no mark.",
    };
    static const char *const no[] = {
        "If the tablet is broken, we will replace it.",
        "If it rains, the match is cancelled.",
        "If you are unwell, the session will be brought to an end early.",
        "If this agreement is not kept, the therapist will contact you to talk it through.",
        "If I spill water by mistake, the music goes on.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), states_consequence, "consequence");
}

/* A record the setting's kit keeps of every thing, each thing logged, and
 * someone in charge looking at it on a routine are watching; the reader
 * keeping or checking their own things, and rules gone through, are not. */
Test(classify, records_of_each_thing_and_routine_looks)
{
    static const char *const yes[] = {
        "Study Buddy saves every conversation to the student's account.",
        "The tablet keeps every photo and every tick.",
        "The trackers record where every boat goes.",
        "Each alert is logged with the time and the location.",
        "Every purchase is logged on your child's account.",
        "Mrs Lowe checks it every week during the holiday.",
        "Jo looks at them after each morning.",
        "Your assessor checks every upload before it is shared.",
    };
    static const char *const no[] = {
        "I will ask an adult to look at it.",
        "Check it every day before you leave.",
        "I look at them every day.",
        "Laptops let students keep all their notes in one place.",
        "Your form tutor will go through these instructions with you.",
        "Save all your work to your own folder.",
        "Please check every box that applies.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), monitors, "monitoring");
}

/* Reading the rules themselves is no good use of technology. */
Test(classify, reading_the_rules_promotes_nothing)
{
    static const char *const yes[] = {
        "Read e-books and listen to audiobooks on the library tablets.",
    };
    static const char *const no[] = {
        "Read them carefully.",
        "Read it alongside the Data Protection Policy.",
        "Please read it with your child before the meeting.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* The reader's own number, email and social media, listed as contact
 * details, are personal information and no rule on the setting's email;
 * a drone is nobody's kit until the rule says whose. */
Test(classify, own_contact_details_and_drones)
{
    read_draft r = read_md("- Do not give children your number, email or social media details.\n"
                           "- I will not give pupils my personal phone number, email address or "
                           "social media names.\n"
                           "- Drones must not be flown over the academy grounds.\n"
                           "- Do not use the school email for personal messages.\n"
                           "- Only fly the school drones with Mr Shah.\n");
    static const char *const own[] = {
        "Do not give children your number, email or social media details.",
        "I will not give pupils my personal phone number, email address or social media names.",
        "Drones must not be flown over the academy grounds.",
    };
    for (size_t i = 0; i < COUNT(own); i++)
        cr_expect(!(of(&r, own[i])->topics & TOPIC_SYSTEMS), "%s", own[i]);
    cr_expect(of(&r, own[0])->topics & TOPIC_DATA);
    cr_expect(of(&r, "Do not use the school email for personal messages.")->topics & TOPIC_SYSTEMS);
    cr_expect(of(&r, "Only fly the school drones with Mr Shah.")->topics & TOPIC_SYSTEMS);
    read_free(&r);
}

/* What a thing is worth to people promotes it, said in words of value; a
 * duty to record what happened promotes nothing. */
Test(classify, worth_in_words_of_value)
{
    static const char *const yes[] = {
        "A video of your child's first nativity is something to treasure.",
        "Used well, the team's Instagram account is one of the best ways we have of reaching "
        "young people.",
        "Underwater video is one of the most useful tools a new diver has.",
    };
    static const char *const no[] = {
        "Record detentions in PointsPlus on the day they are given.",
        "The laptop is something to keep safe in your bag.",
        "We are proud of our pupils.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* A condition that names the misuse only by repeating what a rule before
 * it forbids is a misuse named: what follows it is the outcome. A
 * condition that repeats no rule, or a setting that only sorts things out,
 * is not. */
Test(classify, a_condition_that_repeats_a_rule)
{
    read_draft r = read_md("Please don't:\n\n"
                           "- take photos or videos anywhere inside the nursery\n"
                           "- post photos of other children online\n\n"
                           "If someone takes photos or videos inside the nursery, we will ask "
                           "them to delete them in front of the manager.\n\n"
                           "If photos of other children are posted online, we may not allow the "
                           "family to film at future performances.\n\n"
                           "If you are worried about a video you have seen, we will ask the "
                           "manager to call you.\n\n"
                           "If something goes wrong with the app, we will sort it out together.\n");
    const unit_class *a = of(&r, "If someone takes photos or videos inside the nursery, we will "
                                 "ask them to delete them in front of the manager.");
    cr_expect(states_consequence(a));
    char *w = why(&r, "If someone takes photos or videos inside the nursery, we will ask them "
                      "to delete them in front of the manager.", ACT_CONSEQUENCE);
    cr_expect(strstr(w, "stop-using"), "%s", w);
    free(w);
    classify_why c = classify_mark_why(a, MARK_CONDITION);
    cr_expect_eq(c.kind, WHY_RESTATES);
    cr_expect(states_consequence(of(&r, "If photos of other children are posted online, we may "
                                        "not allow the family to film at future performances.")));
    cr_expect(!states_consequence(of(&r, "If you are worried about a video you have seen, we "
                                         "will ask the manager to call you.")));
    cr_expect(!states_consequence(of(&r, "If something goes wrong with the app, we will sort it "
                                         "out together.")));
    read_free(&r);
}

/* Reading the rules alongside other policies, and confirming something to
 * someone else, acknowledge nothing. */
Test(classify, reading_alongside_and_confirming_to_others)
{
    read_draft r = read_md("Please read this guidance alongside the Safeguarding Policy.\n\n"
                           "Your teacher checks the log so that we can confirm to the exam board "
                           "that the work is yours.\n\n"
                           "Please read this and return the slip.\n\n"
                           "I confirm that I have read these rules.\n");
    cr_expect(!(of(&r, "Please read this guidance alongside the Safeguarding Policy.")->acts &
                ACT_ACKNOWLEDGES));
    cr_expect(!(of(&r, "Your teacher checks the log so that we can confirm to the exam board "
                       "that the work is yours.")->acts & ACT_ACKNOWLEDGES));
    cr_expect(of(&r, "Please read this and return the slip.")->acts & ACT_ACKNOWLEDGES);
    cr_expect(of(&r, "I confirm that I have read these rules.")->acts & ACT_ACKNOWLEDGES);
    read_free(&r);
}

/* What something does for people counts as a good use of technology when
 * the draft's title, or the sentence before, is about technology, though
 * the sentence names none. */
Test(classify, benefits_in_a_draft_about_technology)
{
    read_draft r = read_md("# Year 7 buses\n\nThe Route app shows where each bus is. It means "
                           "nobody has to stand at the roadside in the rain.\n");
    cr_expect(of(&r, "It means nobody has to stand at the roadside in the rain.")->promotes);
    read_free(&r);
    r = read_md("**Bus passes and the tracker app**\n\n**Why we are doing this**\n\n"
                "This means families can plan around a late bus.\n");
    cr_expect(of(&r, "This means families can plan around a late bus.")->promotes);
    read_free(&r);
    r = read_md("# Year 7 buses\n\nThe buses leave at four. It means nobody has to stand at the "
                "roadside in the rain.\n");
    cr_expect(!of(&r, "It means nobody has to stand at the roadside in the rain.")->promotes);
    read_free(&r);
}

/* What may be done to a thing ("the laptops can be charged") and what a
 * device may be used for ("the only device that may be used to take
 * photos") permit or describe; they promote nothing. */
Test(classify, passives_and_permitted_uses_promote_nothing)
{
    static const char *const yes[] = {
        "You can use the tablets to make films and music.",
        "The class iPad is used to make our weekly news video.",
    };
    static const char *const no[] = {
        "The laptops can be charged overnight ready for learning the next day.",
        "The pool iPad is the only device that may be used to take photos in the pool hall.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}

/* What readers use a thing to do, the thing named in several words, and
 * pictures taken with it. */
Test(classify, used_to_do_with_a_long_name)
{
    static const char *const yes[] = {
        "Use the shared online whiteboard in Teams to sketch a graph.",
        "Use the iPad to take a picture of Pepper when she does something funny.",
    };
    static const char *const no[] = {
        "You may use the shared laptop in the office to print tickets.",
    };
    expect_paragraphs(yes, COUNT(yes), no, COUNT(no), promotes, "promotes");
}
