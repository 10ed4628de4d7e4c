/* The format registry: its rows, and every format of every kind run over
 * real inputs, so a new row is tested the moment it is added. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "format.h"
#include "helpers.h"
#include "lint.h"
#include "util/io.h"

Test(format, rows)
{
    cr_assert_gt(format_count(), 0);
    for (size_t i = 0; i < format_count(); i++) {
        const format_info *f = format_at(i);
        cr_assert_not_null(f->name);
        bool serves = false;
        for (int u = FORMAT_FOR_COMPILE; u <= FORMAT_FOR_CHECK; u++)
            serves |= format_serves(f, (format_use)u);
        cr_expect(serves, "%s serves no command", f->name);
        cr_expect(!(f->document || f->agreement || f->poster) || f->extension,
                  "%s writes files but has no extension", f->name);
        cr_expect(!(f->agreement || f->poster) || f->document,
                  "%s makes a pack but no documents", f->name);
        cr_expect(!f->checklist || f->separator, "%s: checklists need a separator", f->name);
        for (size_t k = 0; k < i; k++)
            cr_expect(strcmp(format_at(k)->name, f->name), "two formats called %s", f->name);
    }
}

Test(format, lookups_and_lists)
{
    cr_expect_not_null(format_find("sarif", FORMAT_FOR_LINT));
    cr_expect_not_null(format_find("sarif", FORMAT_FOR_CHECK));
    cr_expect_null(format_find("SARIF", FORMAT_FOR_LINT));
    cr_expect_null(format_find("pdf", FORMAT_FOR_LINT));
    cr_expect_null(format_find("text", FORMAT_FOR_LINT), "lint has no checklists");
    cr_expect_not_null(format_find("text", FORMAT_FOR_CHECK));
    cr_expect_null(format_find("json", FORMAT_FOR_COMPILE));
    cr_expect_null(format_find(NULL, FORMAT_FOR_DIFF));
    /* Each list names the formats for its use, in registry order. */
    for (int u = FORMAT_FOR_COMPILE; u <= FORMAT_FOR_CHECK; u++) {
        strbuf want = {0};
        for (size_t i = 0; i < format_count(); i++)
            if (format_serves(format_at(i), (format_use)u))
                sb_printf(&want, "%s%s", want.len ? "|" : "", format_at(i)->name);
        char *got = format_list((format_use)u, "|", "|");
        cr_expect_str_eq(got, want.data);
        free(got);
        sb_free(&want);
    }
    char *s = format_list(FORMAT_FOR_LINT, ", ", " or ");
    cr_expect(strstr(s, "gnu, ") == s && strstr(s, " or "), "%s", s);
    free(s);
}

static profile *load(const char *rel)
{
    char *path = src_path(rel);
    diag_list d = {0};
    profile *p = profile_load(path, &d);
    cr_assert_not_null(p, "%s: %s", path, d.count ? d.items[0].message : "");
    diag_free(&d);
    free(path);
    return p;
}

/* Every document format makes every document of an example, the same
 * bytes twice, and its pack where it has one. */
Test(format, every_document_format_renders_an_example, .timeout = 120)
{
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    cr_assert_not_null(lib);
    profile *p = load("examples/oakfield-primary.xml");
    doc_set docs;
    cr_assert_eq(compile_profile(p, lib, &docs, &d), 0);
    for (size_t i = 0; i < format_count(); i++) {
        const format_info *f = format_at(i);
        if (!f->document)
            continue;
        for (size_t k = 0; k < docs.count; k++) {
            strbuf a = {0}, b = {0};
            layout_info info = {0};
            render_ctx c = {NULL, &info, NULL};
            cr_expect_eq(f->document(docs.docs[k], &c, &a, &d), 0, "%s %s", f->name,
                         docs.docs[k]->audience_id);
            c.info = NULL;
            cr_expect_eq(f->document(docs.docs[k], &c, &b, &d), 0);
            cr_expect_gt(a.len, 100, "%s %s: %zu bytes", f->name, docs.docs[k]->audience_id,
                         a.len);
            cr_expect(a.len == b.len && !memcmp(a.data, b.data, a.len),
                      "%s %s differs from run to run", f->name, docs.docs[k]->audience_id);
            if (f->poster && audience_for(docs.docs[k]->kind, docs.docs[k]->band)->on_poster) {
                strbuf poster = {0};
                cr_expect_eq(f->poster(docs.docs[k], &c, &poster, &d), 0);
                cr_expect_gt(poster.len, 100);
                sb_free(&poster);
            }
            layout_info_free(&info);
            sb_free(&a);
            sb_free(&b);
        }
        for (size_t k = 0; f->agreement && k < docs.count; k++) {
            render_ctx c = {NULL, NULL, NULL};
            strbuf a = {0};
            bool pupil = docs.docs[k]->kind == AUD_PUPIL;
            cr_expect_eq(f->agreement(p, &docs, docs.docs[k], &c, &a, &d), pupil ? 2 : 0,
                         "%s agreement for %s", f->name, docs.docs[k]->audience_id);
            cr_expect(pupil ? a.len > 100 : a.len == 0);
            sb_free(&a);
        }
    }
    cr_expect_eq(d.count, 0, "%s", d.count ? d.items[0].message : "");
    doc_set_free(&docs);
    profile_free(p);
    library_free(lib);
    diag_free(&d);
}

/* Every diff format writes the review pair, and something else for a pair
 * that differs from it. */
Test(format, every_diff_format_renders_the_review, .timeout = 120)
{
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    profile *o = load("examples/review/2025.xml"), *n = load("examples/review/2026.xml");
    diff_result r, same;
    cr_assert_eq(diff_profiles(o, n, lib, NULL, &r, &d), 0);
    cr_assert_eq(diff_profiles(o, o, lib, NULL, &same, &d), 0);
    for (size_t i = 0; i < format_count(); i++) {
        const format_info *f = format_at(i);
        if (!f->diff)
            continue;
        diff_render_opts ro = {false, false};
        strbuf a = {0}, b = {0};
        cr_expect_eq(f->diff(&r, &ro, &a, &d), 0, "%s", f->name);
        cr_expect_eq(f->diff(&same, &ro, &b, &d), 0, "%s", f->name);
        cr_expect_gt(a.len, 50, "%s: %zu bytes", f->name, a.len);
        cr_expect(a.len != b.len || memcmp(a.data, b.data, a.len), "%s: no difference shown",
                  f->name);
        sb_free(&a);
        sb_free(&b);
    }
    diff_result_free(&r);
    diff_result_free(&same);
    profile_free(o);
    profile_free(n);
    library_free(lib);
    diag_free(&d);
}

/* Every findings format writes a draft's findings, and names its rules. */
Test(format, every_findings_format_writes_a_lint_report, .timeout = 60)
{
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    principle_set *ps = principles_load(NULL, &d);
    cr_assert(lib && ps);
    const char *draft = "<!-- aupc: audience=staff -->\n# Rules\n\n- Be kind online.\n";
    lint_options lo = {.today = {2026, 11, 24}};
    principle_report rep = {0};
    lint_source(ps, lib, "d.md", draft, strlen(draft), &lo, &rep);
    fmt_run run = {&rep, 1, ps, lib, DIAG_ERROR, "A setting", lo.today, NULL, DIAG_NOTE};
    for (size_t i = 0; i < format_count(); i++) {
        const format_info *f = format_at(i);
        format_report_fn *fns[] = {f->findings, f->checklist};
        for (size_t k = 0; k < 2; k++) {
            if (!fns[k])
                continue;
            char *buf = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&buf, &len);
            fns[k](out, &run, 0);
            fclose(out);
            cr_expect(strstr(buf, "monitoring"), "%s does not name the monitoring finding",
                      f->name);
            free(buf);
        }
    }
    principle_report_free(&rep);
    principles_free(ps);
    library_free(lib);
    diag_free(&d);
}
