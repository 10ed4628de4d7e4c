/* The home-school agreement pack: the agreement PDF, posters, the image
 * consent form, the contacts map and the check for missing contacts. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "fixtures.h"
#include "helpers.h"
#include "pack.h"
#include "render.h"
#include "render_pdf.h"
#include "util/io.h"

static profile *load(const char *text)
{
    diag_list d = {0};
    profile *p = profile_parse("t.xml", text, strlen(text), &d);
    cr_assert_not_null(p, "%s", d.count ? d.items[0].message : "?");
    diag_free(&d);
    return p;
}

/* ---- Missing contacts ---------------------------------------------- */

static const char contacts_all[] =
    "  <contacts>\n"
    "    <contact role=\"police\" group=\"police\" name=\"Police\" phone=\"999\" always=\"true\"/>\n"
    "    <contact role=\"ceop\" group=\"national\" name=\"CEOP\" web=\"https://ceop.example\"/>\n"
    "    <contact role=\"iwf\" group=\"national\" name=\"Internet Watch Foundation\" web=\"https://iwf.example\"/>\n"
    "    <contact role=\"lado\" group=\"local-authority\" name=\"LADO\" phone=\"01632 960000\"/>\n"
    "  </contacts>\n";

static char *with_contacts(const char *contacts)
{
    char *at = xasprintf("%s  <technology>\n", contacts);
    char *s = replace_once(base_profile, "  <technology>\n", at);
    free(at);
    return s;
}

Test(pack, no_contacts_missing_from_a_full_profile, .init = test_lib_load, .fini = test_lib_free)
{
    char *xml = with_contacts(contacts_all);
    profile *p = load(xml);
    cr_expect_eq(pack_missing_contacts(p, NULL, 0), 0);
    diag_list d = {0};
    pack_warn_contacts(p, &d);
    cr_expect_eq(d.count, 0);
    diag_free(&d);
    profile_free(p);
    free(xml);
    for (const char *const *ex = (const char *const[]){"oakfield-primary", "riverside-academy",
                                                       "brookfield-special", "northgate-youth",
                                                       "ysgol-glan-y-mor", NULL};
         *ex; ex++) {
        profile *e = load_example(*ex);
        cr_expect_eq(pack_missing_contacts(e, NULL, 0), 0, "%s lacks a contact", *ex);
        profile_free(e);
    }
}

Test(pack, every_missing_contact_is_named, .init = test_lib_load, .fini = test_lib_free)
{
    /* The base profile has a DSL and no contacts at all. */
    profile *p = load(base_profile);
    pack_need miss[PACK_NEED_COUNT];
    size_t n = pack_missing_contacts(p, miss, PACK_NEED_COUNT);
    cr_assert_eq(n, 4);
    cr_expect_eq(miss[0], PACK_NEED_POLICE);
    cr_expect_eq(miss[1], PACK_NEED_CEOP);
    cr_expect_eq(miss[2], PACK_NEED_IWF);
    cr_expect_eq(miss[3], PACK_NEED_PARTNERSHIP);
    cr_expect_str_eq(pack_need_id(PACK_NEED_PARTNERSHIP), "safeguarding-partnership");
    /* MAX limits what is written, not what is counted. */
    cr_expect_eq(pack_missing_contacts(p, miss, 1), 4);
    /* No contacts at all: compile leaves the full report to aupc check. */
    diag_list d = {0};
    pack_warn_contacts(p, &d);
    cr_expect_eq(d.count, 0);
    diag_free(&d);
    profile_free(p);
}

Test(pack, one_gap_gives_one_warning_with_the_setting_rule, .init = test_lib_load, .fini = test_lib_free)
{
    char *less = replace_once(contacts_all,
        "    <contact role=\"ceop\" group=\"national\" name=\"CEOP\" web=\"https://ceop.example\"/>\n", "");
    char *xml = with_contacts(less);
    char *nodsl = replace_once(xml, "    <person role=\"dsl\" name=\"Ms Dee Ess\" email=\"dsl@test.example\"/>\n", "");
    profile *p = load(xml);
    pack_need miss[PACK_NEED_COUNT];
    cr_assert_eq(pack_missing_contacts(p, miss, PACK_NEED_COUNT), 1);
    cr_expect_eq(miss[0], PACK_NEED_CEOP);
    diag_list d = {0};
    pack_warn_contacts(p, &d);
    cr_assert_eq(d.count, 1);
    cr_expect_eq(d.items[0].severity, DIAG_WARNING);
    cr_expect_str_eq(d.items[0].rule, "setting");
    cr_expect_not_null(strstr(d.items[0].message, "CEOP"));
    cr_expect_gt(d.items[0].line, 0);
    diag_free(&d);
    profile_free(p);
    /* A partnership named by role counts, and so does the LADO. */
    profile *q = load(nodsl);
    cr_assert_eq(pack_missing_contacts(q, miss, PACK_NEED_COUNT), 2);
    cr_expect_eq(miss[0], PACK_NEED_DSL);
    cr_expect_eq(miss[1], PACK_NEED_CEOP);
    profile_free(q);
    free(nodsl);
    free(xml);
    free(less);
}

/* ---- The consent form ---------------------------------------------- */

static char *with_parent_and_images(const char *images)
{
    char *a = replace_once(base_profile, "    <audience kind=\"staff\"/>\n",
                           "    <audience kind=\"staff\"/>\n    <audience kind=\"parent\"/>\n");
    char *b = replace_once(a, "  </sanctions>\n",
                           "    <ladder audience=\"parent\"><step>A talk</step></ladder>\n"
                           "  </sanctions>\n");
    char *at = xasprintf("%s  <review ", images);
    char *c = replace_once(b, "  <review ", at);
    free(at);
    free(a);
    free(b);
    return c;
}

/* The "Yes / No" lines of the parent document's Markdown, joined by newlines. */
static char *consent_lines(const profile *p)
{
    doc_set docs;
    example_documents(p, &docs);
    const document *d = doc_for(&docs, "parent");
    cr_assert_not_null(d);
    char *md = render_md(d);
    strbuf b = {0};
    for (const char *s = md; (s = strstr(s, "Yes / No: ")); s++) {
        const char *e = strchr(s, '\n');
        sb_add(&b, s + 10, e ? (size_t)(e - s - 10) : strlen(s + 10));
        sb_puts(&b, "\n");
    }
    free(md);
    doc_set_free(&docs);
    if (!b.data)
        sb_add(&b, "", 0);
    return b.data;
}

Test(pack, consent_form_lists_exactly_the_profiles_uses, .init = test_lib_load, .fini = test_lib_free)
{
    char *xml = with_parent_and_images("  <images uses=\"press website\"/>\n");
    profile *p = load(xml);
    char *lines = consent_lines(p);
    cr_expect_str_eq(lines,
                     "Photographs and video of my child in local newspapers and news programmes "
                     "that report on school events\n"
                     "Photographs and video of my child on the school website\n");
    free(lines);
    char **ids;
    size_t n = pack_image_uses(p, &ids);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(ids[0], "press");
    cr_expect_str_eq(ids[1], "website");
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    profile_free(p);
    free(xml);

    char *all = with_parent_and_images(
        "  <images uses=\"website social-media newsletter press displays learning-platform\"/>\n");
    p = load(all);
    lines = consent_lines(p);
    size_t count = 0;
    for (const char *s = lines; *s; s++)
        count += *s == '\n';
    cr_expect_eq(count, 6, "%s", lines);
    cr_expect_not_null(strstr(lines, "social media"));
    cr_expect_not_null(strstr(lines, "newsletter"));
    cr_expect_not_null(strstr(lines, "displays"));
    cr_expect_not_null(strstr(lines, "our learning platform"));
    free(lines);
    profile_free(p);
    free(all);
}

Test(pack, no_images_no_consent_form, .init = test_lib_load, .fini = test_lib_free)
{
    char *xml = with_parent_and_images("");
    profile *p = load(xml);
    char *lines = consent_lines(p);
    cr_expect_str_eq(lines, "");
    free(lines);
    doc_set docs;
    example_documents(p, &docs);
    char *md = render_md(doc_for(&docs, "parent"));
    cr_expect_null(strstr(md, "Consent for photographs"));
    /* The slip is still there: the profile has pupils. */
    cr_expect_not_null(strstr(md, "Acknowledgement slip"));
    free(md);
    doc_set_free(&docs);
    profile_free(p);
    free(xml);
}

/* ---- PDFs ---------------------------------------------------------- */

static void qpdf_clean(const char *pdf)
{
    if (!have_program("qpdf"))
        return;
    char *cmd = xasprintf("qpdf --check '%s'", pdf);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "qpdf --check %s: %s%s", pdf, r.out, r.err);
    run_free(&r);
    free(cmd);
}

static char *write_tmp(const char *dir, const char *name, const strbuf *b)
{
    cr_assert_eq(io_write_atomic(dir, name, b->data, b->len), 0);
    return xasprintf("%s/%s", dir, name);
}

static void need_poppler(void)
{
    if (!have_program("pdftotext") || !have_program("pdfinfo"))
        cr_skip_test("poppler-utils not installed");
}

/* One agreement per pupil audience: the parents' document, then that
 * pupil document alone, each part on an odd page. */
static void expect_agreement(const char *example, const profile *p, const doc_set *docs,
                             const document *pupil, const char *tmp)
{
    strbuf out = {0};
    int first[4] = {0};
    diag_list d = {0};
    int parts = pack_agreement(p, docs, pupil, NULL, NULL, &out, first, &d);
    cr_assert_eq(parts, 2, "%s/%s: %s", example, pupil->audience_id,
                 d.count ? d.items[0].message : "?");
    char *name = xasprintf("%s-%s.pdf", example, pupil->audience_id);
    char *pdf = write_tmp(tmp, name, &out);
    qpdf_clean(pdf);
    int pages = pdf_page_count(pdf);
    cr_expect_eq(pages % 2, 0, "%s: %d pages; a double-sided pack ends on a verso", name, pages);
    const document *parent = NULL;
    for (size_t i = 0; i < docs->count; i++)
        if (docs->docs[i]->kind == AUD_PARENT && docs->docs[i]->reading == READING_STANDARD)
            parent = docs->docs[i];
    const document *order[2] = {parent, pupil};
    for (int i = 0; i < parts; i++) {
        cr_expect_eq(first[i] % 2, 1, "%s: part %d starts on page %d", name, i + 1, first[i]);
        if (i > 0)
            cr_expect_gt(first[i], first[i - 1]);
        /* The part's own first page opens with its title and footer numbering. */
        char *t = pdf_text(pdf, first[i], first[i], false);
        char *title = squash_space(order[i]->title);
        cr_expect_not_null(strstr(t, title), "%s: page %d lacks '%s'", name, first[i], title);
        cr_expect_not_null(strstr(t, "Page 1 of "), "%s: part %d not numbered from 1", name,
                           i + 1);
        free(title);
        free(t);
        /* A page before an odd start that the previous part did not fill is blank. */
        if (i > 0 && first[i] - first[i - 1] >= 2) {
            char *prev = pdf_text(pdf, first[i] - 1, first[i] - 1, false);
            cr_expect(strstr(prev, "left blank") || strstr(prev, "Page "), "%s", prev);
            free(prev);
        }
    }
    /* The parent part carries the consent form and the slip, and no other
     * pupil document is bound in. */
    char *all = pdf_text(pdf, 0, 0, false);
    cr_expect_not_null(strstr(all, "Consent for photographs and video"), "%s", name);
    cr_expect_not_null(strstr(all, "Acknowledgement slip"), "%s", name);
    char *title = squash_space(pupil->title);
    cr_expect_lt(strstr(all, "Acknowledgement slip"), strstr(all, title));
    free(title);
    for (size_t i = 0; i < docs->count; i++) {
        const document *o = docs->docs[i];
        if (o->kind != AUD_PUPIL || o == pupil || !strcmp(o->title, pupil->title))
            continue;
        char *other = squash_space(o->title);
        cr_expect_null(strstr(all, other), "%s binds %s too", name, o->audience_id);
        free(other);
    }
    free(all);
    free(pdf);
    free(name);
    sb_free(&out);
    diag_free(&d);
}

Test(pack, agreement_per_pupil_audience_each_part_on_an_odd_page, .init = test_lib_load,
     .fini = test_lib_free, .timeout = 60)
{
    need_poppler();
    char *tmp = make_tmpdir();
    static const char *const examples[] = {"oakfield-primary", "riverside-academy",
                                           "brookfield-special", "ysgol-glan-y-mor"};
    for (size_t x = 0; x < sizeof examples / sizeof *examples; x++) {
        profile *p = load_example(examples[x]);
        cr_assert(pack_wants_agreement(p));
        doc_set docs;
        example_documents(p, &docs);
        size_t agreements = 0;
        for (size_t i = 0; i < docs.count; i++) {
            if (docs.docs[i]->kind == AUD_PUPIL) {
                expect_agreement(examples[x], p, &docs, docs.docs[i], tmp);
                agreements++;
            } else {
                strbuf out = {0};
                diag_list d = {0};
                cr_expect_eq(pack_agreement(p, &docs, docs.docs[i], NULL, NULL, &out, NULL, &d), 0,
                             "%s: an agreement for %s", examples[x], docs.docs[i]->audience_id);
                sb_free(&out);
                diag_free(&d);
            }
        }
        cr_expect_gt(agreements, 0, "%s", examples[x]);
        doc_set_free(&docs);
        profile_free(p);
    }
    remove_tree(tmp);
    free(tmp);
}

/* Every PDF of SET made by this thread: each document's, then each
 * agreement, or the agreements first with AGREEMENTS_FIRST, through SHARED
 * (NULL: each lays its documents out itself). */
static strbuf *pdfs_of(const profile *p, const doc_set *set, pdf_layouts *shared,
                       bool agreements_first)
{
    strbuf *pdf = xcalloc(2 * set->count, sizeof *pdf);
    for (int pass = 0; pass < 2; pass++) {
        bool agreements = (pass == 0) == agreements_first;
        for (size_t i = 0; i < set->count; i++) {
            diag_list d = {0};
            strbuf *out = &pdf[2 * i + agreements];
            int rc = agreements
                         ? pack_agreement(p, set, set->docs[i], NULL, shared, out, NULL, &d)
                         : pdf_render(set->docs[i], NULL, shared, out, NULL, &d);
            cr_assert_geq(rc, 0, "%s: %s", set->docs[i]->audience_id,
                          d.count ? d.items[0].message : "?");
            diag_free(&d);
        }
    }
    return pdf;
}

/* The agreement binds the layouts its parts' own PDFs made: whichever PDF
 * lays a document out first, and whether its layout is kept or freed,
 * every PDF comes out byte for byte as when each lays out its own,
 * Helvetica and embedded TrueType alike. */
Test(pack, shared_layouts_change_no_byte, .init = test_lib_load, .fini = test_lib_free,
     .timeout = 60)
{
    static const char *const examples[] = {"oakfield-primary", "ysgol-glan-y-mor"};
    for (size_t x = 0; x < sizeof examples / sizeof *examples; x++) {
        profile *p = load_example(examples[x]);
        doc_set set;
        example_documents(p, &set);
        strbuf *alone = pdfs_of(p, &set, NULL, false);
        for (int order = 0; order < 2; order++) {
            pdf_layouts *shared = pdf_layouts_new();
            /* Agreements first: each layout freed after its first use, too
             * soon, so the documents' own PDFs lay them out again. */
            for (size_t i = 0; order && i < set.count; i++)
                pdf_layouts_expect(shared, set.docs[i], 1);
            strbuf *pdf = pdfs_of(p, &set, shared, order);
            for (size_t k = 0; k < 2 * set.count; k++) {
                /* Documents that bind no agreement leave both buffers empty. */
                cr_expect(pdf[k].len == alone[k].len
                              && (!pdf[k].len || !memcmp(pdf[k].data, alone[k].data, pdf[k].len)),
                          "%s: %s %s differs when layouts are shared (%s first)",
                          examples[x], set.docs[k / 2]->audience_id,
                          k % 2 ? "agreement" : "PDF", order ? "agreements" : "documents");
                sb_free(&pdf[k]);
            }
            free(pdf);
            pdf_layouts_free(shared);
        }
        for (size_t k = 0; k < 2 * set.count; k++)
            sb_free(&alone[k]);
        free(alone);
        doc_set_free(&set);
        profile_free(p);
    }
}

/* A Reception family gets the early-years document and nothing for older
 * children: compile writes one agreement per pupil audience. */
Test(pack, compile_writes_one_agreement_per_pupil_audience, .timeout = 60)
{
    char *tmp = make_tmpdir();
    char *ex = src_path("examples/oakfield-primary.xml");
    char *args = xasprintf("compile -q -f pdf -o %s %s", tmp, ex);
    run_result r = run_aupc(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(args);
    char *ls = xasprintf("cd %s/oakfield-primary && ls home-school-agreement*", tmp);
    r = run_sh(ls);
    cr_expect_str_eq(r.out, "home-school-agreement-pupil-early.pdf\n"
                            "home-school-agreement-pupil-ks2-easy.pdf\n"
                            "home-school-agreement-pupil-ks2.pdf\n");
    run_free(&r);
    free(ls);
    char *cmd = xasprintf("pdftotext %s/oakfield-primary/home-school-agreement-pupil-early.pdf -",
                          tmp);
    r = run_sh(cmd);
    cr_expect_eq(r.status, 0);
    cr_expect_not_null(strstr(r.out, "Oakfield Primary School"));
    cr_expect_null(strstr(r.out, "Key Stage 2"), "a Reception family gets the KS2 rules too");
    run_free(&r);
    free(cmd);
    free(ex);
    remove_tree(tmp);
    free(tmp);
}

Test(pack, agreement_only_with_parents_and_pupils, .init = test_lib_load, .fini = test_lib_free)
{
    profile *p = load(base_profile);   /* pupils and staff, no parents */
    cr_expect_not(pack_wants_agreement(p));
    doc_set docs;
    example_documents(p, &docs);
    strbuf out = {0};
    diag_list d = {0};
    for (size_t i = 0; i < docs.count; i++)
        cr_expect_eq(pack_agreement(p, &docs, docs.docs[i], NULL, NULL, &out, NULL, &d), 0);
    cr_expect_eq(out.len, 0);
    doc_set_free(&docs);
    profile_free(p);
    char *x0 = with_parent_and_images("");
    char *xml = replace_once(x0, "    <audience band=\"ks2\"/>\n", "");
    free(x0);
    p = load(xml);   /* parents and staff, no pupils */
    cr_expect_not(pack_wants_agreement(p));
    profile_free(p);
    free(xml);
    diag_free(&d);
}

Test(pack, compile_writes_the_pack_only_for_pdf, .timeout = 60)
{
    char *tmp = make_tmpdir();
    char *ex = src_path("examples/oakfield-primary.xml");
    char *args = xasprintf("compile -q -f md,html -o %s/a %s", tmp, ex);
    run_result r = run_aupc(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(args);
    char *hsa = xasprintf("%s/a/oakfield-primary/home-school-agreement-pupil-ks2.pdf", tmp);
    cr_expect_null(slurp(hsa));
    free(hsa);
    /* No parent audience: posters but no agreement. */
    char *prof = replace_once(base_profile, "", "");
    cr_assert_eq(io_write_atomic(tmp, "p.xml", prof, strlen(prof)), 0);
    args = xasprintf("compile -q -f pdf -o %s/b %s/p.xml", tmp, tmp);
    r = run_aupc(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *ls = xasprintf("ls %s/b/test-school", tmp);
    r = run_sh(ls);
    cr_expect_str_eq(r.out, "poster-pupil-ks2.pdf\npupil-ks2.pdf\nstaff.pdf\n");
    run_free(&r);
    free(ls);
    free(args);
    free(prof);
    free(ex);
    remove_tree(tmp);
    free(tmp);
}

Test(pack, every_pack_pdf_is_clean_and_identical_twice, .timeout = 120)
{
    char *tmp = make_tmpdir();
    char *ex = src_path("examples");
    for (int run = 0; run < 2; run++) {
        char *args = xasprintf("compile -q -j 2 -f pdf -o %s/%d %s", tmp, run, ex);
        run_result r = run_aupc(args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        free(args);
    }
    char *cmd = xasprintf("cd %s/0 && ls */home-school-agreement-*.pdf */poster-*.pdf", tmp);
    run_result l = run_sh(cmd);
    free(cmd);
    size_t count = 0;
    for (char *line = strtok(l.out, "\n"); line; line = strtok(NULL, "\n"), count++) {
        char *a = xasprintf("%s/0/%s", tmp, line), *b = xasprintf("%s/1/%s", tmp, line);
        char *cmp = xasprintf("cmp -s '%s' '%s'", a, b);
        run_result c = run_sh(cmp);
        cr_expect_eq(c.status, 0, "%s differs between runs", line);
        run_free(&c);
        qpdf_clean(a);
        free(cmp);
        free(a);
        free(b);
    }
    /* Ten agreements, one per pupil audience of a setting with parents
     * (the youth service has none), and twelve posters. */
    cr_expect_eq(count, 22, "%zu pack files", count);
    run_free(&l);
    free(ex);
    remove_tree(tmp);
    free(tmp);
}

/* ---- Posters ------------------------------------------------------- */

Test(pack, poster_rules_mix_will_and_will_not, .init = test_lib_load, .fini = test_lib_free)
{
    static const char *const examples[] = {"oakfield-primary", "riverside-academy",
                                           "brookfield-special", "northgate-youth"};
    for (size_t x = 0; x < sizeof examples / sizeof *examples; x++) {
        profile *p = load_example(examples[x]);
        doc_set docs;
        example_documents(p, &docs);
        for (size_t i = 0; i < docs.count; i++) {
            const document *d = docs.docs[i];
            if (d->kind != AUD_PUPIL)
                continue;
            char *rules[5];
            bool pos[5];
            size_t n = pack_poster_rules(d, rules, pos, 5);
            cr_expect_eq(n, 5, "%s %s: %zu rules", examples[x], d->audience_id, n);
            size_t wills = 0;
            for (size_t k = 0; k < n; k++) {
                wills += pos[k];
                cr_expect_eq(strncmp(rules[k], pos[k] ? "I will " : "I will not ",
                                     pos[k] ? 7 : 11), 0, "%s", rules[k]);
                if (pos[k])
                    cr_expect_neq(strncmp(rules[k], "I will not ", 11), 0, "%s", rules[k]);
                cr_expect_leq(strlen(rules[k]), 80, "%s: a long poster rule", rules[k]);
            }
            cr_expect(wills >= 2 && wills <= 3, "%s %s: %zu of 5 are I will", examples[x],
                      d->audience_id, wills);
            for (size_t k = 0; k < n; k++)
                free(rules[k]);
        }
        doc_set_free(&docs);
        profile_free(p);
    }
}

/* Every word of the rule text is at least 28 pt: its box is that tall. */
typedef struct {
    const char *word;
    double min_h;
} word_h;

Test(pack, poster_is_one_page_with_large_rules, .init = test_lib_load, .fini = test_lib_free)
{
    need_poppler();
    char *tmp = make_tmpdir();
    profile *p = load_example("oakfield-primary");
    doc_set docs;
    example_documents(p, &docs);
    const document *d = doc_for(&docs, "pupil-ks2");
    strbuf out = {0};
    diag_list dl = {0};
    cr_assert_eq(pack_poster(d, NULL, &out, &dl), 0);
    char *pdf = write_tmp(tmp, "poster.pdf", &out);
    cr_expect_eq(pdf_page_count(pdf), 1);
    qpdf_clean(pdf);
    char *t = pdf_text(pdf, 0, 0, false);
    cr_expect_not_null(strstr(t, "Oakfield Primary School"));
    char *rules[5];
    bool pos[5];
    size_t n = pack_poster_rules(d, rules, pos, 5);
    for (size_t k = 0; k < n; k++) {
        cr_expect_not_null(strstr(t, rules[k]), "poster lacks '%s'", rules[k]);
        free(rules[k]);
    }
    free(t);
    /* Word heights from poppler: the rules' type is at least 28 pt. */
    char *cmd = xasprintf("pdftotext -bbox '%s' -", pdf);
    run_result r = run_sh(cmd);
    size_t big = 0;
    for (const char *s = r.out; (s = strstr(s, "<word ")); s++) {
        double x0, y0, x1, y1;
        if (sscanf(s, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1,
                   &y1) == 4 && y0 > 150 && y1 < 790)
            big += y1 - y0 >= 28 * 0.95;
    }
    cr_expect_gt(big, 30, "only %zu words in large type", big);
    run_free(&r);
    free(cmd);
    free(pdf);
    sb_free(&out);
    diag_free(&dl);
    doc_set_free(&docs);
    profile_free(p);
    remove_tree(tmp);
    free(tmp);
}

/* A poster's fonts suit what it shows: Helvetica for a Welsh school
 * whose poster text fits WinAnsi, embedded Liberation Sans once it holds a ŵ. */
static char *poster_fonts(document *d, const char *want)
{
    strbuf out = {0};
    diag_list dl = {0};
    cr_assert_eq(pack_poster(d, NULL, &out, &dl), 0);
    char *tmp = make_tmpdir();
    char *pdf = write_tmp(tmp, "poster.pdf", &out);
    qpdf_clean(pdf);
    char *t = pdf_text(pdf, 0, 0, false);
    cr_expect_not_null(strstr(t, want), "poster lacks '%s': %s", want, t);
    char *cmd = xasprintf("pdffonts '%s'", pdf);
    run_result r = run_sh(cmd);
    char *fonts = xstrdup(r.out);
    run_free(&r);
    free(cmd);
    free(t);
    free(pdf);
    remove_tree(tmp);
    free(tmp);
    sb_free(&out);
    diag_free(&dl);
    return fonts;
}

Test(pack, poster_fonts_suit_the_poster_text, .init = test_lib_load, .fini = test_lib_free)
{
    need_poppler();
    profile *p = load_example("ysgol-glan-y-mor");
    doc_set docs;
    example_documents(p, &docs);
    document *d = (document *)doc_for(&docs, "pupil-ks2");
    char *fonts = poster_fonts(d, "Glan-y-Môr");
    cr_expect_not_null(strstr(fonts, "Helvetica"), "%s", fonts);
    cr_expect_null(strstr(fonts, "Liberation"), "%s", fonts);
    free(fonts);
    free(d->setting_name);
    d->setting_name = xstrdup("Ysgol Tŷ Dŵr");
    fonts = poster_fonts(d, "Ysgol Tŷ Dŵr");
    cr_expect_not_null(strstr(fonts, "LiberationSans"), "%s", fonts);
    cr_expect_null(strstr(fonts, "Helvetica"), "%s", fonts);
    free(fonts);
    doc_set_free(&docs);
    profile_free(p);
}

/* ---- Text the PDF's fonts cannot draw ------------------------------ */

/* The first text of D's first list item gets SUFFIX. */
static void append_to_first_item(document *d, const char *suffix)
{
    cmark_iter *it = cmark_iter_new(d->root);
    bool in_item = false;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        in_item |= cmark_node_get_type(n) == CMARK_NODE_ITEM;
        if (ev == CMARK_EVENT_ENTER && in_item && cmark_node_get_type(n) == CMARK_NODE_TEXT) {
            char *t = xasprintf("%s%s", cmark_node_get_literal(n), suffix);
            cmark_node_set_literal(n, t);
            free(t);
            break;
        }
    }
    cmark_iter_free(it);
}

static void expect_unshown(int rc, const strbuf *out, const diag_list *d, const char *what)
{
    cr_expect_eq(rc, LAYOUT_UNSHOWN, "%s: returned %d, not the input's fault", what, rc);
    cr_expect_eq(out->len, 0, "%s: %zu bytes made all the same", what, out->len);
    cr_assert_eq(d->count, 1, "%s: %zu messages", what, d->count);
    cr_expect_not_null(strstr(d->items[0].message, "the PDF font has no glyph for '\xE4\xB8\xAD' "
                                                   "(U+4E2D)"),
                       "%s: %s", what, d->items[0].message);
}

Test(pack, agreement_refuses_a_character_its_font_lacks, .init = test_lib_load,
     .fini = test_lib_free)
{
    profile *p = load_example("oakfield-primary");
    doc_set docs;
    example_documents(p, &docs);
    document *pupil = (document *)doc_for(&docs, "pupil-ks2");
    append_to_first_item(pupil, " \xE4\xB8\xAD\xE6\x96\x87");
    strbuf out = {0};
    diag_list d = {0};
    expect_unshown(pack_agreement(p, &docs, pupil, NULL, NULL, &out, NULL, &d), &out, &d, "agreement");
    sb_free(&out);
    diag_free(&d);
    doc_set_free(&docs);
    profile_free(p);
}

Test(pack, poster_refuses_a_character_its_font_lacks, .init = test_lib_load,
     .fini = test_lib_free)
{
    profile *p = load_example("oakfield-primary");
    doc_set docs;
    example_documents(p, &docs);
    document *d = (document *)doc_for(&docs, "pupil-ks2");
    free(d->setting_name);
    d->setting_name = xstrdup("Oakfield \xE4\xB8\xAD\xE6\x96\x87 School");
    strbuf out = {0};
    diag_list dl = {0};
    expect_unshown(pack_poster(d, NULL, &out, &dl), &out, &dl, "poster");
    sb_free(&out);
    diag_free(&dl);
    doc_set_free(&docs);
    profile_free(p);
}

/* ---- Contacts map -------------------------------------------------- */

Test(pack, contacts_map_groups_as_the_guidance_does, .init = test_lib_load, .fini = test_lib_free)
{
    profile *p = load_example("oakfield-primary");
    doc_set docs;
    example_documents(p, &docs);
    char *md = render_md(doc_for(&docs, "staff"));
    static const char *const order[] = {
        "Annex: local contacts", "### At Oakfield Primary School",
        "### Local authority and safeguarding partnership", "### Police", "### Health",
        "### National agencies and helplines", "### Other organisations",
    };
    const char *at = md;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *next = strstr(at, order[i]);
        cr_expect_not_null(next, "'%s' missing or out of order", order[i]);
        if (next)
            at = next;
    }
    /* Round-the-clock numbers are marked; office-hours ones are not. */
    cr_expect_not_null(strstr(md, "**Childline**: 0800 1111, https://www.childline.org.uk/ **24/7**"));
    const char *lado = strstr(md, "**Local Authority Designated Officer (LADO)**");
    cr_assert_not_null(lado);
    char *lado_line = xstrndup(lado, (size_t)(strchr(lado, '\n') - lado));
    cr_expect_null(strstr(lado_line, "24/7"));
    free(lado_line);
    /* Every contact in the profile is on the map. */
    for (size_t i = 0; i < p->ncontacts; i++)
        cr_expect_not_null(strstr(md, p->contacts[i].name), "%s missing", p->contacts[i].name);
    free(md);
    doc_set_free(&docs);
    profile_free(p);
}
