#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmark.h>

#include "readability.h"

#define EPS 0.01

/* ---- syllables ---- */

typedef struct {
    const char *word;
    int syllables;
} syl_case;

static void check_words(const syl_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(readability_syllables(c[i].word), c[i].syllables,
                     "%s: got %d, want %d", c[i].word, readability_syllables(c[i].word),
                     c[i].syllables);
}

Test(readability_syllables, rules)
{
    /* Counts as in the CMU Pronouncing Dictionary; each exercises a rule. */
    static const syl_case c[] = {
        {"cat", 1},         {"the", 1},        {"be", 1},         {"me", 1},
        {"make", 1},        {"while", 1},      {"table", 2},      {"little", 2},
        {"centre", 2},      {"liked", 1},      {"makes", 1},      {"rules", 1},
        {"wanted", 2},      {"needed", 2},     {"passes", 2},     {"pages", 2},
        {"watches", 2},     {"tables", 2},     {"handled", 2},    {"agreed", 2},
        {"happy", 2},       {"computers", 3},  {"yes", 1},        {"player", 2},
        {"buying", 2},      {"trying", 2},     {"bullying", 3},   {"goodbye", 2},
        {"eyes", 1},        {"stayed", 1},     {"safety", 2},     {"statement", 2},
        {"carefully", 3},   {"announcement", 3}, {"league", 1},   {"unique", 2},
        {"technique", 2},   {"somebody", 3},   {"therefore", 2},  {"reality", 4},
        {"creative", 3},    {"radio", 3},      {"actual", 3},     {"usual", 3},
        {"quality", 3},     {"language", 2},   {"violent", 3},    {"previous", 3},
        {"nation", 2},      {"religion", 3},   {"million", 2},    {"opinion", 3},
        {"behaviour", 3},   {"quiet", 2},      {"society", 4},    {"client", 2},
        {"audience", 3},    {"patient", 2},    {"medium", 3},     {"fuel", 2},
        {"poem", 2},        {"does", 1},       {"continuous", 4}, {"being", 2},
        {"going", 2},       {"easier", 3},     {"happiest", 3},   {"racism", 3},
        {"cyberbullying", 5}, {"inappropriate", 5}, {"information", 4},
        {"responsibility", 6}, {"monitored", 3}, {"reported", 3},
    };
    check_words(c, sizeof c / sizeof c[0]);
}

Test(readability_syllables, brief_exceptions)
{
    static const syl_case c[] = {
        {"every", 3},     {"different", 3}, {"evening", 2},  {"business", 2},
        {"area", 3},      {"idea", 3},      {"video", 3},    {"create", 2},
        {"people", 2},    {"science", 2},   {"online", 2},   {"someone", 2},
        {"something", 2}, {"sometimes", 2}, {"anyone", 3},   {"everyone", 3},
        {"whenever", 3},  {"safely", 2},    {"device", 2},   {"devices", 3},
        {"because", 2},   {"police", 2},    {"using", 2},    {"user", 2},
        {"users", 2},     {"use", 1},       {"used", 1},     {"agree", 2},
        {"ai", 2},        {"wifi", 2},      {"email", 2},    {"emails", 2},
        {"password", 2},  {"passwords", 2}, {"website", 2},  {"websites", 2},
        {"tablet", 2},    {"mobile", 2},    {"phone", 1},    {"phones", 1},
        {"photo", 2},     {"photos", 2},    {"social", 2},   {"media", 3},
        {"realise", 3},
    };
    check_words(c, sizeof c / sizeof c[0]);
}

/* Every entry of the exception table, so a mis-sorted table (bsearch then
 * misses entries) fails here. */
Test(readability_syllables, whole_exception_table)
{
    static const syl_case c[] = {
        {"agree", 2}, {"ai", 2}, {"anyone", 3}, {"area", 3}, {"areas", 3},
        {"because", 2}, {"behavior", 3}, {"behaviors", 3}, {"bluetooth", 2},
        {"business", 2}, {"businesses", 3}, {"create", 2}, {"created", 3},
        {"creates", 2}, {"creating", 3}, {"creation", 3}, {"creative", 3},
        {"device", 2}, {"devices", 3}, {"different", 3}, {"dr", 2}, {"element", 3},
        {"elements", 3}, {"email", 2}, {"emails", 2}, {"evening", 2}, {"every", 3},
        {"everybody", 4}, {"everyday", 3}, {"everyone", 3}, {"everything", 3},
        {"everywhere", 3}, {"framework", 2}, {"frameworks", 2}, {"homepage", 2},
        {"homework", 2}, {"hundred", 2}, {"hundreds", 2}, {"idea", 3}, {"ideas", 3},
        {"involvement", 3}, {"lifestyle", 2}, {"lifetime", 2}, {"likewise", 2},
        {"lion", 2}, {"livestream", 2}, {"maybe", 2}, {"media", 3}, {"mobile", 2},
        {"mr", 2}, {"mrs", 2}, {"ms", 1}, {"naked", 2}, {"nuclear", 3}, {"ok", 2},
        {"online", 2}, {"password", 2}, {"passwords", 2}, {"people", 2},
        {"phone", 1}, {"phones", 1}, {"photo", 2}, {"photos", 2}, {"police", 2},
        {"realise", 3}, {"realised", 3}, {"realize", 3}, {"realized", 3},
        {"reinforce", 3}, {"reinforced", 3}, {"reinforcement", 4},
        {"reinforcing", 4}, {"safeguard", 2}, {"safeguarding", 3},
        {"safeguards", 2}, {"safely", 2}, {"science", 2}, {"scientific", 4},
        {"scientist", 3}, {"scientists", 3}, {"social", 2}, {"soldier", 2},
        {"someone", 2}, {"something", 2}, {"sometimes", 2}, {"stakeholder", 3},
        {"stakeholders", 3}, {"tablet", 2}, {"theater", 3}, {"theatre", 3},
        {"timetable", 3}, {"use", 1}, {"used", 1}, {"user", 2}, {"users", 2},
        {"using", 2}, {"video", 3}, {"videos", 3}, {"website", 2}, {"websites", 2},
        {"wednesday", 2}, {"whenever", 3}, {"whereas", 2}, {"wherever", 3},
        {"wicked", 2}, {"wifi", 2},
    };
    check_words(c, sizeof c / sizeof c[0]);
}

Test(readability_syllables, case_apostrophes_hyphens_numbers_initialisms)
{
    static const syl_case c[] = {
        {"Every", 3},       {"PEOPLE", 2},     {"don't", 1},      {"didn't", 2},
        {"couldn\xE2\x80\x99t", 2}, {"can't", 1}, {"you're", 1},  {"school's", 1},
        {"e-safety", 3},    {"self-harm", 2},  {"log-in", 2},     {"2026", 1},
        {"3.5", 2},         {"1,000", 2},      {"KS2", 1},        {"DSL", 3},
        {"NSPCC", 5},       {"WWW", 9},        {"AI", 2},         {"UK", 2},
        {"ICT", 3},         {"NOT", 1},        {"e.g.", 2},       {"caf\xC3\xA9", 1},
        {"", 0},            {"...", 0},
    };
    check_words(c, sizeof c / sizeof c[0]);
    cr_expect_eq(readability_syllables(NULL), 0);
}

/* ---- sentences ---- */

Test(readability_text, abbreviations_and_decimals_do_not_split)
{
    readability_stats s = readability_text(
        "Use devices, e.g. tablets, i.e. school ones. Dr. Jones said 3.5 hours is fine. "
        "Mr Smith agrees with Mrs. Khan, etc. and then stops!");
    cr_expect_eq(s.sentences, 3);
    /* Use devices e.g. tablets i.e. school ones | Dr Jones said 3.5 hours is
     * fine | Mr Smith agrees with Mrs Khan etc and then stops */
    cr_expect_eq(s.words, 7 + 7 + 10);
}

Test(readability_text, terminators)
{
    cr_expect_eq(readability_text("Really?! Yes.").sentences, 2);
    cr_expect_eq(readability_text("Wait\xE2\x80\xA6 then go.").sentences, 2);
    cr_expect_eq(readability_text("Wait... then go.").sentences, 2);
    cr_expect_eq(readability_text("He said \"stop.\" Then he left.").sentences, 2);
    cr_expect_eq(readability_text("(See the rules.) Then sign.").sentences, 2);
    cr_expect_eq(readability_text("Go to www.example.com now").sentences, 1);
    cr_expect_eq(readability_text("Read Annex A. It helps.").sentences, 2);
    cr_expect_eq(readability_text("No full stop at the end").sentences, 1);
    cr_expect_eq(readability_text("Heading\n\nSome text here.").sentences, 2);
    cr_expect_eq(readability_text("One line\nwraps here.").sentences, 1);
    cr_expect_eq(readability_text("Room No. 5 is open.").sentences, 1);
    cr_expect_eq(readability_text("!!! ... ?").sentences, 0);
}

static void expect_zero(readability_stats s)
{
    cr_expect_eq(s.sentences, 0);
    cr_expect_eq(s.words, 0);
    cr_expect_eq(s.syllables, 0);
    cr_expect_eq(s.polysyllables, 0);
    cr_expect(s.flesch_reading_ease == 0.0 && s.fk_grade == 0.0 && s.smog == 0.0
              && s.words_per_sentence == 0.0);
    cr_expect(!isnan(s.fk_grade) && !isnan(s.flesch_reading_ease) && !isnan(s.smog));
}

Test(readability_text, empty)
{
    expect_zero(readability_text(""));
    expect_zero(readability_text(NULL));
    expect_zero(readability_text("  \n\n -- ... ?! "));
}

/* ---- passages counted by hand ---- */

static void expect_stats(readability_stats s, size_t sent, size_t words, size_t syl,
                         size_t poly)
{
    cr_assert_eq(s.sentences, sent, "sentences %zu", s.sentences);
    cr_assert_eq(s.words, words, "words %zu", s.words);
    cr_assert_eq(s.syllables, syl, "syllables %zu", s.syllables);
    cr_assert_eq(s.polysyllables, poly, "polysyllables %zu", s.polysyllables);
}

Test(readability_text, passage_simple)
{
    /* The(1) cat(1) sat(1) on(1) the(1) mat(1).  6 words, 6 syllables
     * It(1) was(1) hap-py(2).                    3 words, 4 syllables
     * s=2 w=9 syl=10 poly=0; w/s=4.5, syl/w=10/9
     * FRE  = 206.835 - 1.015*4.5 - 84.6*10/9 = 108.2675
     * FK   = 0.39*4.5 + 11.8*10/9 - 15.59    = -0.72389
     * SMOG = 1.0430*sqrt(0) + 3.1291         = 3.1291 */
    readability_stats s = readability_text("The cat sat on the mat. It was happy.");
    expect_stats(s, 2, 9, 10, 0);
    cr_expect_float_eq(s.flesch_reading_ease, 108.2675, EPS);
    cr_expect_float_eq(s.fk_grade, -0.72389, EPS);
    cr_expect_float_eq(s.smog, 3.1291, EPS);
    cr_expect_float_eq(s.words_per_sentence, 4.5, EPS);
}

Test(readability_text, passage_pupil_rules)
{
    /* I(1) will(1) use(1) the(1) school(1) com-pu-ters(3) on-ly(2) for(1)
     * learn-ing(2).                                       9 words, 13 syl, 1 poly
     * I(1) will(1) not(1) share(1) my(1) pass-word(2) with(1) an-y-one(3),
     * e.g.(2) a(1) friend(1).                            11 words, 15 syl, 1 poly
     * My(1) teach-er(2) can(1) see(1) what(1) I(1) do(1) on-line(2).
     *                                                     8 words, 10 syl
     * s=3 w=28 syl=38 poly=2; w/s=9.3333, syl/w=1.357143
     * FRE  = 206.835 - 9.473333 - 114.814286 = 82.547381
     * FK   = 3.64 + 16.014286 - 15.59         = 4.064286
     * SMOG = 1.0430*sqrt(2*30/3) + 3.1291     = 7.793538 */
    readability_stats s = readability_text(
        "I will use the school computers only for learning. I will not share my "
        "password with anyone, e.g. a friend. My teacher can see what I do online.");
    expect_stats(s, 3, 28, 38, 2);
    cr_expect_float_eq(s.flesch_reading_ease, 82.547381, EPS);
    cr_expect_float_eq(s.fk_grade, 4.064286, EPS);
    cr_expect_float_eq(s.smog, 7.793538, EPS);
    cr_expect_float_eq(s.words_per_sentence, 9.333333, EPS);
}

Test(readability_text, passage_numbers_and_questions)
{
    /* Mr.(2) Pa-tel(2) checks(1) the(1) fil-ter-ing(3) logs(1) at(1) 9(1)
     * a.m.(2) ev-er-y(3) Mon-day(2).                      11 words, 19 syl, 2 poly
     * Did(1) you(1) know(1) that(1) 3.5(2) mil-lion(2) chil-dren(2) use(1)
     * so-cial(2) me-di-a(3)?                              10 words, 16 syl, 1 poly
     * Tell(1) a(1) trust-ed(2) a-dult(2)!                  4 words,  6 syl
     * s=3 w=25 syl=41 poly=3; w/s=8.3333, syl/w=1.64
     * FRE  = 206.835 - 8.458333 - 138.744 = 59.632667
     * FK   = 3.25 + 19.352 - 15.59         = 7.012
     * SMOG = 1.0430*sqrt(3*30/3) + 3.1291  = 8.841846 */
    readability_stats s = readability_text(
        "Mr. Patel checks the filtering logs at 9 a.m. every Monday. Did you know "
        "that 3.5 million children use social media? Tell a trusted adult!");
    expect_stats(s, 3, 25, 41, 3);
    cr_expect_float_eq(s.flesch_reading_ease, 59.632667, EPS);
    cr_expect_float_eq(s.fk_grade, 7.012, EPS);
    cr_expect_float_eq(s.smog, 8.841846, EPS);
    cr_expect_float_eq(s.words_per_sentence, 8.333333, EPS);
}

Test(readability_finish, from_counts)
{
    readability_stats s = {.sentences = 30, .words = 300, .syllables = 450, .polysyllables = 30};
    readability_finish(&s);
    /* w/s=10 syl/w=1.5: FRE 206.835-10.15-126.9=69.785; FK 3.9+17.7-15.59=6.01;
     * SMOG 1.0430*sqrt(30)+3.1291=8.841846 */
    cr_expect_float_eq(s.flesch_reading_ease, 69.785, EPS);
    cr_expect_float_eq(s.fk_grade, 6.01, EPS);
    cr_expect_float_eq(s.smog, 8.841846, EPS);
    cr_expect_float_eq(s.words_per_sentence, 10.0, EPS);
}

/* ---- documents ---- */

static cmark_node *parse(const char *md)
{
    return cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
}

static const char *doc_md =
    "# Online safety\n"                                              /* 1 */
    "\n"
    "<!-- draft: check the wording with the designated safeguarding lead -->\n"
    "\n"
    "- Keep your password secret\n"                                  /* 5 */
    "- Tell an adult if something online worries you.\n"             /* 6 */
    "\n"
    "Visit [our safety page](https://example.org/extraordinarily-complicated) for help.\n"
    "Use `wifi` only in class.\n"                                    /* 9 */
    "\n"
    "    code blocks are extraordinarily uncommunicative\n"
    "\n"
    "![an extraordinarily complicated diagram](x.png)\n";

Test(readability_document, blocks_links_code_html)
{
    /* On-line(2) safe-ty(2)                        line 1: 2 words,  4 syl
     * Keep(1) your(1) pass-word(2) se-cret(2)      line 5: 4 words,  6 syl
     * Tell(1) an(1) a-dult(2) if(1) some-thing(2) on-line(2) wor-ries(2) you(1).
     *                                              line 6: 8 words, 12 syl
     * Vis-it(2) our(1) safe-ty(2) page(1) for(1) help(1).
     *                                              line 8: 6 words,  8 syl
     * Use(1) wi-fi(2) on-ly(2) in(1) class(1).     line 9: 5 words,  7 syl
     * The HTML comment, the URL, the code block and the image are ignored.
     * s=5 w=25 syl=37 poly=0
     * sentence grades (0.39w + 11.8 syl/w - 15.59): 8.79, 3.67, 5.23, 2.4833, 2.88 */
    cmark_node *doc = parse(doc_md);
    readability_report r;
    readability_document(doc, 3, &r);
    expect_stats(r.stats, 5, 25, 37, 0);
    cr_expect_float_eq(r.stats.words_per_sentence, 5.0, EPS);
    cr_expect_float_eq(r.stats.fk_grade, 0.39 * 5 + 11.8 * 37.0 / 25 - 15.59, EPS);
    cr_assert_eq(r.nhardest, 3);
    cr_expect_str_eq(r.hardest[0].text, "Online safety");
    cr_expect_eq(r.hardest[0].line, 1);
    cr_expect_eq(r.hardest[0].words, 2);
    cr_expect_float_eq(r.hardest[0].fk_grade, 8.79, EPS);
    cr_expect_str_eq(r.hardest[1].text, "Tell an adult if something online worries you.");
    cr_expect_eq(r.hardest[1].line, 6);
    cr_expect_float_eq(r.hardest[1].fk_grade, 5.23, EPS);
    cr_expect_str_eq(r.hardest[2].text, "Keep your password secret");
    cr_expect_eq(r.hardest[2].line, 5);
    cr_expect_float_eq(r.hardest[2].fk_grade, 3.67, EPS);
    readability_report_free(&r);

    readability_document(doc, 100, &r);
    cr_assert_eq(r.nhardest, 5);
    cr_expect_str_eq(r.hardest[3].text, "Use wifi only in class.");
    cr_expect_eq(r.hardest[3].line, 9);  /* second line of the paragraph */
    cr_expect_float_eq(r.hardest[3].fk_grade, 2.88, EPS);
    cr_expect_str_eq(r.hardest[4].text, "Visit our safety page for help.");
    cr_expect_eq(r.hardest[4].line, 8);
    cr_expect_float_eq(r.hardest[4].fk_grade, 2.483333, EPS);
    readability_report_free(&r);

    readability_document(doc, 0, &r);
    cr_expect_eq(r.stats.sentences, 5);
    cr_expect_eq(r.nhardest, 0);
    cr_expect_null(r.hardest);
    readability_report_free(&r);
    cmark_node_free(doc);
}

Test(readability_document, ties_sort_by_words_then_line)
{
    /* "Go now." and "Run now." both: 2 words, 2 syllables, grade -3.01; the
     * earlier line comes first. "Go now, go." is 3 words, 3 syllables, grade
     * -2.62: hardest. */
    cmark_node *doc = parse("Go now.\n\nRun now.\n\nGo now, go.\n");
    readability_report r;
    readability_document(doc, 3, &r);
    cr_assert_eq(r.nhardest, 3);
    cr_expect_str_eq(r.hardest[0].text, "Go now, go.");
    cr_expect_str_eq(r.hardest[1].text, "Go now.");
    cr_expect_eq(r.hardest[1].line, 1);
    cr_expect_str_eq(r.hardest[2].text, "Run now.");
    cr_expect_eq(r.hardest[2].line, 3);
    cr_expect_float_eq(r.hardest[2].fk_grade, 0.39 * 2 + 11.8 - 15.59, EPS);
    readability_report_free(&r);
    cmark_node_free(doc);
}

Test(readability_document, empty_and_html_only)
{
    readability_report r;
    readability_document(NULL, 5, &r);
    expect_zero(r.stats);
    cr_expect_eq(r.nhardest, 0);
    readability_report_free(&r);

    cmark_node *doc = parse("<!-- nothing to read -->\n\n---\n");
    readability_document(doc, 5, &r);
    expect_zero(r.stats);
    cr_expect_eq(r.nhardest, 0);
    readability_report_free(&r);
    cmark_node_free(doc);
}

Test(readability_document, nodes_without_positions)
{
    /* Built in memory: line 0. */
    cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(t, "I keep my password secret. I log off.");
    cmark_node_append_child(p, t);
    cmark_node_append_child(doc, p);
    readability_report r;
    readability_document(doc, 2, &r);
    cr_expect_eq(r.stats.sentences, 2);
    cr_assert_eq(r.nhardest, 2);
    cr_expect_eq(r.hardest[0].line, 0);
    cr_expect_str_eq(r.hardest[0].text, "I keep my password secret.");
    readability_report_free(&r);
    cmark_node_free(doc);
}

Test(readability_document, deep_nesting)
{
    /* 20000 nested block quotes around one sentence: the walk must not
     * recurse. */
    size_t depth = 20000;
    char *md = malloc(depth * 2 + 64);
    size_t k = 0;
    for (size_t i = 0; i < depth; i++) {
        md[k++] = '>';
        md[k++] = ' ';
    }
    strcpy(md + k, "Stay safe online.\n");
    cmark_node *doc = parse(md);
    readability_report r;
    readability_document(doc, 1, &r);
    cr_expect_eq(r.stats.sentences, 1);
    cr_expect_eq(r.stats.words, 3);
    readability_report_free(&r);
    cmark_node_free(doc);
    free(md);
}

/* ---- against GNU style (package diction) ---- */

static const char *style_passage =
    "This policy explains how pupils, staff and visitors may use the computers, tablets "
    "and internet at our school. We want everyone to enjoy learning online and to stay "
    "safe while they do it. The school provides filtered internet access, a learning "
    "platform and email accounts for staff and older pupils. Everyone must keep their "
    "passwords secret and log off when they finish. Staff will teach pupils how to "
    "recognise risks, how to report worries and how to behave kindly towards other "
    "people online. Personal mobile phones must be switched off and kept in lockers "
    "during the school day, unless a teacher has given permission. The school monitors "
    "the use of its network and devices so that it can protect children from harmful "
    "content. If someone breaks these rules, the school will follow its behaviour "
    "policy, and serious concerns will be passed to the designated safeguarding lead. "
    "Parents and carers are asked to read this policy with their children and to sign "
    "the agreement.\n";

static bool have_style(void)
{
    FILE *p = popen("command -v style 2>/dev/null", "r");
    if (!p)
        return false;
    char buf[512];
    bool found = fgets(buf, sizeof buf, p) != NULL;
    pclose(p);
    return found;
}

Test(readability_text, close_to_gnu_style_kincaid)
{
    if (!have_style())
        cr_skip_test("GNU style (package diction) is not installed");
    char path[] = "/tmp/aupc-style-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    size_t len = strlen(style_passage);
    cr_assert_eq(write(fd, style_passage, len), (ssize_t)len);
    close(fd);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "style -L en %s 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char line[512];
    double theirs = NAN;
    while (fgets(line, sizeof line, p)) {
        const char *k = strstr(line, "Kincaid:");
        if (k && isnan(theirs))
            theirs = strtod(k + strlen("Kincaid:"), NULL);
    }
    pclose(p);
    unlink(path);
    cr_assert(!isnan(theirs), "no Kincaid: line in style's output");

    readability_stats s = readability_text(style_passage);
    cr_expect_eq(s.sentences, 9);
    cr_expect(fabs(s.fk_grade - theirs) <= 1.5, "ours %.2f, style %.2f", s.fk_grade, theirs);
}
