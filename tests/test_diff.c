/* aupc diff: the word diff, block alignment, profile comparison and the
 * command's outputs, against the goldens in tests/diff/. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_render.h"
#include "fixtures.h"
#include "helpers.h"
#include "library.h"
#include "profile.h"
#include "util/io.h"

/* ---- word diff ---- */

/* The segments of W of kinds A and B joined as the renderers join them. */
static char *side_text(const word_diff *w, diff_seg_kind keep)
{
    strbuf b = {0};
    sb_puts(&b, "");
    for (size_t i = 0; i < w->count; i++) {
        if (w->segs[i].kind != SEG_SAME && w->segs[i].kind != keep)
            continue;
        if (b.len && w->segs[i].space_before)
            sb_puts(&b, " ");
        sb_puts(&b, w->segs[i].text);
    }
    return b.data;
}

/* [-old-]{+new+} rendering of W. */
static char *marked(const word_diff *w)
{
    strbuf b = {0};
    sb_puts(&b, "");
    for (size_t i = 0; i < w->count; i++) {
        const diff_seg *s = &w->segs[i];
        if (i && s->space_before)
            sb_puts(&b, " ");
        sb_printf(&b, "%s%s%s", s->kind == SEG_DEL ? "[-" : s->kind == SEG_INS ? "{+" : "",
                  s->text, s->kind == SEG_DEL ? "-]" : s->kind == SEG_INS ? "+}" : "");
    }
    return b.data;
}

static void expect_marked(const char *a, const char *b, size_t changes, const char *want)
{
    word_diff w;
    size_t n = word_diff_compute(a, b, &w);
    char *got = marked(&w);
    cr_expect_eq(n, changes, "'%s' -> '%s': %zu changed segments, want %zu (%s)", a, b, n,
                 changes, got);
    cr_expect_str_eq(got, want, "'%s' -> '%s'", a, b);
    free(got);
    word_diff_free(&w);
}

Test(word_diff, insert_delete_replace)
{
    expect_marked("I keep my password secret.", "I always keep my password secret.", 1,
                  "I {+always+} keep my password secret.");
    expect_marked("I always keep my password secret.", "I keep my password secret.", 1,
                  "I [-always-] keep my password secret.");
    expect_marked("Tell Mr Okafor at once.", "Tell Ms Adeyemi at once.", 2,
                  "Tell [-Mr Okafor-] {+Ms Adeyemi+} at once.");
    expect_marked("one two three", "one two three four", 1, "one two three {+four+}");
    expect_marked("zero one two", "one two", 1, "[-zero-] one two");
}

Test(word_diff, punctuation_is_its_own_token)
{
    expect_marked("Be kind online.", "Be kind online!", 2, "Be kind online[-.-]{+!+}");
    expect_marked("Ask first, then share.", "Ask first then share.", 1,
                  "Ask first[-,-] then share.");
}

Test(word_diff, whitespace_only_is_no_change)
{
    word_diff w;
    cr_expect_eq(word_diff_compute("Log  off\n when you\tleave.", " Log off when you leave. ", &w),
                 0);
    for (size_t i = 0; i < w.count; i++)
        cr_expect_eq(w.segs[i].kind, SEG_SAME);
    word_diff_free(&w);
}

Test(word_diff, empty_inputs)
{
    word_diff w;
    cr_expect_eq(word_diff_compute("", "", &w), 0);
    cr_expect_eq(w.count, 0);
    word_diff_free(&w);
    cr_expect_eq(word_diff_compute(NULL, "New text here", &w), 1);
    cr_assert_eq(w.count, 1);
    cr_expect_eq(w.segs[0].kind, SEG_INS);
    cr_expect_str_eq(w.segs[0].text, "New text here");
    word_diff_free(&w);
    cr_expect_eq(word_diff_compute("Old text", "   ", &w), 1);
    cr_assert_eq(w.count, 1);
    cr_expect_eq(w.segs[0].kind, SEG_DEL);
    word_diff_free(&w);
}

/* Long blocks: too many cells for a word table, so the diff falls back to
 * sentences; both sides must still come back whole. */
Test(word_diff, long_inputs_stay_bounded_and_correct)
{
    strbuf a = {0}, b = {0};
    for (int i = 0; i < 3000; i++) {
        sb_printf(&a, "Sentence %d says word%d here. ", i, i * 7);
        if (i % 500 == 250)
            sb_printf(&b, "A new sentence %d appears. ", i);
        if (i % 700 != 3)
            sb_printf(&b, "Sentence %d says word%d here. ", i, i * 7);
    }
    word_diff w;
    size_t n = word_diff_compute(a.data, b.data, &w);
    cr_expect(w.coarse, "3000 sentences each side should take the coarse path");
    cr_expect_gt(n, 0);
    char *old_side = side_text(&w, SEG_DEL), *new_side = side_text(&w, SEG_INS);
    word_diff check;
    cr_expect_eq(word_diff_compute(old_side, a.data, &check), 0, "old side not rebuilt");
    word_diff_free(&check);
    cr_expect_eq(word_diff_compute(new_side, b.data, &check), 0, "new side not rebuilt");
    word_diff_free(&check);
    /* Insertions come out as insertions, not as a rewrite of everything. */
    size_t ins = 0, del = 0;
    for (size_t i = 0; i < w.count; i++) {
        ins += w.segs[i].kind == SEG_INS;
        del += w.segs[i].kind == SEG_DEL;
    }
    cr_expect_eq(ins, 6, "six inserted sentences, got %zu insertions", ins);
    cr_expect_eq(del, 5, "five deleted sentences, got %zu deletions", del);
    free(old_side);
    free(new_side);
    word_diff_free(&w);
    /* A short block still gets a word diff. */
    cr_expect_eq(word_diff_compute("a b c", "a x c", &w), 2);
    cr_expect_not(w.coarse);
    word_diff_free(&w);
    sb_free(&a);
    sb_free(&b);
}

Test(word_diff, similarity)
{
    cr_expect_float_eq(diff_similarity("Be kind online.", "be KIND online"), 1.0, 1e-9);
    cr_expect_float_eq(diff_similarity("one two", "three four"), 0.0, 1e-9);
    cr_expect_float_eq(diff_similarity("one two three", "one two four"), 0.5, 1e-9);
}

/* ---- drafts ---- */

static diff_result draft_diff(const char *a, const char *b)
{
    diff_result r;
    diag_list dl = {0};
    cr_assert_eq(diff_drafts("old.md", a, strlen(a), "new.md", b, strlen(b), &r, &dl), 0);
    diag_free(&dl);
    return r;
}

Test(draft_diff, reorder_only_section_is_moves_only)
{
    const char *a = "# Rules\n\n- Be kind online.\n- Keep passwords secret.\n- Ask before "
                    "posting photos.\n- Tell an adult you trust.\n";
    const char *b = "# Rules\n\n- Tell an adult you trust.\n- Be kind online.\n- Keep passwords "
                    "secret.\n- Ask before posting photos.\n";
    diff_result r = draft_diff(a, b);
    cr_assert_eq(r.naudiences, 1);
    const diff_audience *au = &r.audiences[0];
    cr_expect_eq(au->counts[CH_MOVED], 1);
    cr_expect_eq(au->counts[CH_ADDED] + au->counts[CH_REMOVED] + au->counts[CH_REWORDED], 0);
    cr_assert_eq(au->count, 1);
    cr_expect_str_eq(au->changes[0].new_text, "Tell an adult you trust.");
    cr_expect_eq(au->changes[0].old_line, 6);
    cr_expect_eq(au->changes[0].new_line, 3);
    cr_expect_not(diff_identical(&r));
    diff_result_free(&r);
}

Test(draft_diff, reworded_item_is_one_change)
{
    const char *a = "- Use the class iPads only for the task your teacher sets.\n- Log off.\n";
    const char *b = "- Use the class iPads only for the work your teacher sets.\n- Log off.\n";
    diff_result r = draft_diff(a, b);
    const diff_audience *au = &r.audiences[0];
    cr_assert_eq(au->count, 1);
    cr_expect_eq(au->changes[0].kind, CH_REWORDED);
    cr_expect_str_eq(au->changes[0].block, "item");
    diff_result_free(&r);
}

Test(draft_diff, whitespace_and_rewrapping_are_no_change)
{
    const char *a = "# Title\n\nWe review this   policy every year,\nand after incidents.\n";
    const char *b = "# Title\n\nWe review this policy every year, and after incidents.\n";
    diff_result r = draft_diff(a, b);
    cr_expect(diff_identical(&r));
    cr_expect_eq(r.audiences[0].count, 0);
    diff_result_free(&r);
}

Test(draft_diff, added_and_removed_paragraphs)
{
    const char *a = "First paragraph stays.\n\nThis paragraph goes away entirely.\n";
    const char *b = "First paragraph stays.\n\nSomething completely different arrives.\n";
    diff_result r = draft_diff(a, b);
    const diff_audience *au = &r.audiences[0];
    cr_expect_eq(au->counts[CH_ADDED], 1);
    cr_expect_eq(au->counts[CH_REMOVED], 1);
    cr_expect_eq(au->counts[CH_REWORDED], 0);
    diff_result_free(&r);
}

Test(draft_diff, html_escapes_angle_brackets_and_ampersands)
{
    const char *a = "Use apps <approved> by staff & parents.\n";
    const char *b = "Use apps <approved> by staff & carers & parents.\n";
    diff_result r = draft_diff(a, b);
    diff_render_opts o = {false, false};
    char *html = diff_render_html(&r, &o);
    cr_expect(strstr(html, "&lt;approved&gt;"), "%s", html);
    cr_expect(strstr(html, "<ins>carers &amp;</ins>"), "%s", html);
    cr_expect_null(strstr(html, "<approved>"));
    cr_expect_null(strstr(html, "staff & "));
    free(html);
    char *md = diff_render_md(&r, &o);
    cr_expect(strstr(md, "\\<approved\\>"), "%s", md);
    free(md);
    diff_result_free(&r);
}

/* ---- profiles ---- */

static profile *load_text(const char *name, const char *text)
{
    diag_list d = {0};
    profile *p = profile_parse(name, text, strlen(text), &d);
    cr_assert_not_null(p, "%s does not load", name);
    diag_free(&d);
    return p;
}

static bool has_change(const diff_audience *a, diff_change_kind k, const char *id)
{
    for (size_t i = 0; i < a->count; i++)
        if (a->changes[i].kind == k && a->changes[i].statement &&
            !strcmp(a->changes[i].statement, id))
            return true;
    return false;
}

Test(profile_diff, device_policy_change_brings_exactly_its_statements)
{
    char *newer = replace_once(base_profile, "pupils=\"banned\"", "pupils=\"approved-use\"");
    profile *o = load_text("old.xml", base_profile), *n = load_text("new.xml", newer);
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    cr_assert_not_null(lib);
    diff_result r;
    cr_assert_eq(diff_profiles(o, n, lib, NULL, &r, &d), 0);
    cr_assert_eq(r.nsettings, 1, "only the device policy changed");
    const diff_setting *s = &r.settings[0];
    cr_expect_str_eq(s->key, "devices.pupils");
    cr_expect_str_eq(s->old_value, "banned");
    cr_expect_str_eq(s->new_value, "approved-use");
    /* Exactly: pupil-ks2 gains devices-approved-use and loses devices-banned,
     * and staff are told the children's new rule in place of the old. */
    cr_assert_eq(s->neffects, 4);
    static const struct { const char *audience, *statement; bool added; } want[] = {
        {"pupil-ks2", "devices-approved-use", true}, {"pupil-ks2", "devices-banned", false},
        {"staff", "devices-child-approved-use", true}, {"staff", "devices-child-banned", false},
    };
    for (size_t w = 0; w < 4; w++) {
        bool found = false;
        for (size_t k = 0; k < s->neffects; k++)
            found |= !strcmp(s->effects[k].audience, want[w].audience) &&
                     !strcmp(s->effects[k].statement, want[w].statement) &&
                     s->effects[k].added == want[w].added;
        cr_expect(found, "no effect %s %s", want[w].audience, want[w].statement);
    }
    cr_assert_eq(r.naudiences, 2);
    const diff_audience *pupils = &r.audiences[0], *staff = &r.audiences[1];
    cr_expect_str_eq(pupils->id, "pupil-ks2");
    cr_expect_eq(pupils->count, 2);
    cr_expect(has_change(pupils, CH_ADDED, "devices-approved-use"));
    cr_expect(has_change(pupils, CH_REMOVED, "devices-banned"));
    cr_expect(has_change(staff, CH_ADDED, "devices-child-approved-use"));
    cr_expect(has_change(staff, CH_REMOVED, "devices-child-banned"));
    for (size_t a = 0; a < 2; a++) {
        const diff_audience *da = &r.audiences[a];
        for (size_t i = 0; i < da->count; i++) {
            cr_assert_eq(da->changes[i].nbecause, 1);
            cr_expect_str_eq(da->changes[i].because[0], "devices.pupils");
        }
    }
    cr_expect_eq(staff->count, 2);
    diff_result_free(&r);
    /* --audience narrows to one document. */
    cr_assert_eq(diff_profiles(o, n, lib, "staff", &r, &d), 0);
    cr_expect_eq(r.naudiences, 1);
    cr_expect_str_eq(r.audiences[0].id, "staff");
    diff_result_free(&r);
    library_free(lib);
    profile_free(o);
    profile_free(n);
    diag_free(&d);
    free(newer);
}

Test(profile_diff, renamed_dsl_rewords_statements_and_says_why)
{
    char *newer = replace_once(base_profile, "Ms Dee Ess", "Mr Ray Newman");
    profile *o = load_text("old.xml", base_profile), *n = load_text("new.xml", newer);
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    diff_result r;
    cr_assert_eq(diff_profiles(o, n, lib, NULL, &r, &d), 0);
    cr_assert_eq(r.nsettings, 1);
    cr_expect_str_eq(r.settings[0].key, "people.dsl");
    size_t reworded = 0;
    for (size_t i = 0; i < r.naudiences; i++)
        for (size_t k = 0; k < r.audiences[i].count; k++) {
            const diff_change *c = &r.audiences[i].changes[k];
            cr_expect_eq(c->kind, CH_REWORDED);
            cr_expect(strstr(c->new_text, "Mr Ray Newman"));
            cr_assert_eq(c->nbecause, 1);
            cr_expect_str_eq(c->because[0], "people.dsl");
            reworded++;
        }
    cr_expect_gt(reworded, 0);
    diff_result_free(&r);
    library_free(lib);
    profile_free(o);
    profile_free(n);
    diag_free(&d);
    free(newer);
}

/* ---- the command ---- */

static run_result in_root(const char *args)
{
    char *root = src_path("");
    const char *bin = getenv("AUPC") ? getenv("AUPC") : AUPC_BUILD_ROOT "/aupc";
    char *cmd = xasprintf("cd %s && %s %s", root, bin, args);
    run_result r = run_sh(cmd);
    free(cmd);
    free(root);
    return r;
}

static void expect_golden(const char *golden, const char *got)
{
    char *path = src_path(golden);
    char *want = slurp(path);
    cr_assert_not_null(want, "%s is missing: run tools/update-diff-golden", golden);
    cr_expect_str_eq(got, want, "output differs from %s (tools/update-diff-golden rewrites it)",
                     golden);
    free(want);
    free(path);
}

static const char *const pairs[][3] = {
    {"review", "examples/review/2025.xml", "examples/review/2026.xml"},
    {"draft", "examples/review/draft-2025.md", "examples/review/draft-2026.md"},
};

Test(diff_cli, goldens_text_md_html_json)
{
    static const char *const formats[] = {"text", "md", "html", "json"};
    for (int p = 0; p < 2; p++)
        for (int f = 0; f < 4; f++) {
            char *args = xasprintf("diff --format %s %s %s", formats[f], pairs[p][1], pairs[p][2]);
            run_result r = in_root(args);
            cr_expect_eq(r.status, 1, "%s: different inputs exit 1, got %d: %s", args, r.status,
                         r.err);
            cr_expect_str_eq(r.err, "", "%s", args);
            char *golden = xasprintf("tests/diff/%s.%s", pairs[p][0], formats[f]);
            expect_golden(golden, r.out);
            free(golden);
            run_free(&r);
            free(args);
        }
}

Test(diff_cli, json_parses_and_has_the_documented_shape)
{
    if (!have_program("python3"))
        cr_skip_test("python3 is not installed");
    run_result r = in_root("diff --format json examples/review/2025.xml examples/review/2026.xml"
                           " | python3 -c 'import json,sys; d=json.load(sys.stdin); "
                           "assert d[\"version\"]==1 and d[\"mode\"]==\"profiles\"; "
                           "a={x[\"id\"]:x for x in d[\"audiences\"]}; "
                           "assert a[\"community\"][\"status\"]==\"added\"; "
                           "print(sorted(s[\"key\"] for s in d[\"settings\"] if s[\"effects\"]))'");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "['devices.pupils']\n");
    run_free(&r);
}

Test(diff_cli, pdf_redline_text_and_check)
{
    if (!have_program("pdftotext") || !have_program("qpdf"))
        cr_skip_test("pdftotext or qpdf is not installed");
    char *dir = make_tmpdir();
    for (int p = 0; p < 2; p++) {
        for (int run = 0; run < 2; run++) {
            char *a = xasprintf("diff --format pdf -o %s/%s-%d.pdf %s %s", dir, pairs[p][0], run,
                                pairs[p][1], pairs[p][2]);
            run_result r = in_root(a);
            cr_expect_eq(r.status, 1, "%s: %s", a, r.err);
            run_free(&r);
            free(a);
        }
        char *cmp = xasprintf("cmp %s/%s-0.pdf %s/%s-1.pdf", dir, pairs[p][0], dir, pairs[p][0]);
        run_result r = run_sh(cmp);
        cr_expect_eq(r.status, 0, "the PDF differs between two runs");
        run_free(&r);
        free(cmp);
        char *check = xasprintf("qpdf --check %s/%s-0.pdf", dir, pairs[p][0]);
        r = run_sh(check);
        cr_expect_eq(r.status, 0, "qpdf --check: %s%s", r.out, r.err);
        run_free(&r);
        free(check);
        char *text = xasprintf("pdftotext -enc UTF-8 %s/%s-0.pdf -", dir, pairs[p][0]);
        r = run_sh(text);
        char *golden = xasprintf("tests/diff/%s.pdf.txt", pairs[p][0]);
        expect_golden(golden, r.out);
        run_free(&r);
        free(golden);
        free(text);
    }
    remove_tree(dir);
    free(dir);
}

Test(diff_cli, identical_inputs_exit_0)
{
    run_result r = in_root("diff examples/review/2026.xml examples/review/2026.xml");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "no changes\n"), "%s", r.out);
    run_free(&r);
    r = in_root("diff --format json examples/review/draft-2026.md examples/review/draft-2026.md");
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\"identical\": true"), "%s", r.out);
    run_free(&r);
}

Test(diff_cli, stat_gives_counts_only)
{
    run_result r = in_root("diff --stat examples/review/2025.xml examples/review/2026.xml");
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.out, "pupil-ks2        changed   1 added, 1 removed, 1 reworded, 0 moved\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "community        added"), "%s", r.out);
    cr_expect_null(strstr(r.out, "{+"), "--stat shows no wording");
    run_free(&r);
    r = in_root("diff --stat --audience staff examples/review/2025.xml examples/review/2026.xml");
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.out, "staff "), "%s", r.out);
    cr_expect_null(strstr(r.out, "pupil-ks2"), "%s", r.out);
    run_free(&r);
}

Test(diff_cli, usage_io_and_invalid_input)
{
    static const char *const usage[] = {
        "diff",
        "diff examples/review/2025.xml",
        "diff examples/review/2025.xml examples/review/draft-2026.md",
        "diff --format docx examples/review/2025.xml examples/review/2026.xml",
        "diff examples/review/2025.txt examples/review/2026.xml",
        "diff --audience nobody examples/review/2025.xml examples/review/2026.xml",
        "diff --audience parent examples/review/draft-2025.md examples/review/draft-2026.md",
        "diff --nope a.xml b.xml",
    };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        run_result r = in_root(usage[i]);
        cr_expect_eq(r.status, 2, "'aupc %s' gave %d", usage[i], r.status);
        cr_expect(strlen(r.err) > 0, "'aupc %s' said nothing", usage[i]);
        run_free(&r);
    }
    run_result r = in_root("diff examples/review/missing.xml examples/review/2026.xml");
    cr_expect_eq(r.status, 3);
    cr_expect(strstr(r.err, "examples/review/missing.xml: error: cannot read"), "%s", r.err);
    run_free(&r);
    r = in_root("diff -o /nonexistent-dir/x.md --format md examples/review/2025.xml "
                "examples/review/2026.xml");
    cr_expect_eq(r.status, 3, "%s", r.err);
    run_free(&r);

    char *dir = make_tmpdir();
    char *bad = xasprintf("%s/bad.xml", dir);
    char *text = replace_once(base_profile, "pupils=\"banned\"", "pupils=\"allowed\"");
    FILE *f = fopen(bad, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    char *args = xasprintf("diff examples/review/2025.xml %s", bad);
    r = in_root(args);
    cr_expect_eq(r.status, 1, "invalid input exits 1");
    cr_expect(strstr(r.err, "error: unknown personal-device policy 'allowed'"), "%s", r.err);
    cr_expect_str_eq(r.out, "", "nothing on stdout for invalid input");
    run_free(&r);
    free(args);
    free(text);
    free(bad);
    remove_tree(dir);
    free(dir);
}

Test(diff_cli, colour_only_when_asked_or_on_a_terminal)
{
    run_result r = in_root("diff examples/review/draft-2025.md examples/review/draft-2026.md");
    cr_expect_null(strstr(r.out, "\033["), "no colour when stdout is not a terminal");
    cr_expect(strstr(r.out, "[-Mr Daniel Okafor-]{+Ms Grace Adeyemi+}"), "%s", r.out);
    run_free(&r);
    r = in_root("diff --color always examples/review/draft-2025.md examples/review/draft-2026.md");
    cr_expect(strstr(r.out, "\033[9;31mMr Daniel Okafor\033[0m"), "%s", r.out);
    cr_expect(strstr(r.out, "\033[4;32mMs Grace Adeyemi\033[0m"), "%s", r.out);
    run_free(&r);
}

/* A changed policy address or title, the documents' language, or where the
 * contacts map lists a contact: each reaches the documents, so each is a
 * change with its old and new value. */
Test(diff_cli, policy_language_and_contact_group_changes_are_reported)
{
    char *dir = make_tmpdir(), *ex = src_path("examples/oakfield-primary.xml");
    char *cmd = xasprintf(
        "sed 's|policies/behaviour\"|policies/behaviour-2026\"|; "
        "s|title=\"Anti-Bullying Policy\"|title=\"Anti-Bullying and Kindness Policy\"|; "
        "s|lang=\"en-GB\"|lang=\"en\"|; "
        "s|group=\"national\" name=\"Childline\"|group=\"health\" name=\"Childline\"|' "
        "'%s' > %s/new.xml",
        ex, dir);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *args = xasprintf("diff examples/oakfield-primary.xml %s/new.xml", dir);
    r = in_root(args);
    cr_expect_eq(r.status, 1, "a changed profile exits 1: %s", r.err);
    static const char *const want[] = {
        "  Language of the documents [setting.lang]\n    was: en-GB\n    now: en\n",
        "  Contact: childline, listed under [contacts.childline.group]\n"
        "    was: national\n    now: health\n",
        "  Policy: anti-bullying [policies.anti-bullying]\n"
        "    was: Anti-Bullying Policy, https://www.oakfield-primary.sch.uk/policies/anti-bullying\n"
        "    now: Anti-Bullying and Kindness Policy, "
        "https://www.oakfield-primary.sch.uk/policies/anti-bullying\n",
        "    now: Behaviour and Relationships Policy, "
        "https://www.oakfield-primary.sch.uk/policies/behaviour-2026\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_expect(strstr(r.out, want[i]), "diff lacks\n%s\nin\n%s", want[i], r.out);
    run_free(&r);
    free(args);
    /* The redline speaks the new documents' language. */
    args = xasprintf("diff -f html examples/oakfield-primary.xml %s/new.xml", dir);
    r = in_root(args);
    cr_expect(strstr(r.out, "<html lang=\"en\">"), "%.200s", r.out);
    run_free(&r);
    free(args);
    args = xasprintf("diff -f pdf -o %s/r.pdf examples/oakfield-primary.xml %s/new.xml", dir, dir);
    r = in_root(args);
    run_free(&r);
    free(args);
    args = xasprintf("%s/r.pdf", dir);
    char *pdf = slurp(args);
    cr_expect(pdf && strstr(pdf, "/Lang (en)"), "the redline's catalogue has no /Lang (en)");
    free(pdf);
    free(args);
    free(cmd);
    free(ex);
    remove_tree(dir);
    free(dir);
}
