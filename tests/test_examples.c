#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "format.h"
#include "helpers.h"
#include "render.h"
#include "util/io.h"

typedef struct {
    char **names;
    size_t count;
} name_list;

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static name_list list_dir(const char *dir, const char *suffix)
{
    name_list l = {0};
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name), s = strlen(suffix);
        if (n > s && !strcmp(e->d_name + n - s, suffix)) {
            l.names = xrealloc(l.names, (l.count + 1) * sizeof *l.names);
            l.names[l.count++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(l.names, l.count, sizeof *l.names, cmp);
    return l;
}

static void free_list(name_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
}

Test(examples, there_are_at_least_five)
{
    char *dir = src_path("examples");
    name_list l = list_dir(dir, ".xml");
    cr_expect_geq(l.count, 5);
    free_list(&l);
    free(dir);
}

/* Every output aupc makes from the examples (tools/golden-outputs: each
 * example compiled in every format, the pack, check, lint, diff, statements,
 * init and help) is byte for byte what tools/update-golden last recorded:
 * a SHA-256 of each in tests/golden/SHA256SUMS, and the Markdown and HTML
 * as files, so a change to them reads as a diff. */
Test(examples, every_output_matches_recorded, .timeout = 300)
{
    const char *bin = getenv("AUPC");
    char *fallback = xasprintf("%s/aupc", AUPC_BUILD_ROOT);
    char *tmp = make_tmpdir();
    char *cmd = xasprintf("AUPC='%s' '%s/tools/golden-outputs' '%s/out' && cd '%s/out' && "
                          "find . -type f | LC_ALL=C sort | sed 's|^\\./||' | "
                          "xargs sha256sum >'%s/SHA256SUMS'",
                          bin ? bin : fallback, AUPC_SOURCE_ROOT, tmp, tmp, tmp);
    run_result r = run_sh(cmd);
    cr_assert_eq(r.status, 0, "tools/golden-outputs failed:\n%s%s", r.out, r.err);
    run_free(&r);
    free(cmd);

    /* The binary formats are held by their hashes alone. */
    strbuf skip = {0};
    for (size_t i = 0; i < format_count(); i++)
        if (format_at(i)->binary && format_at(i)->extension)
            sb_printf(&skip, " -x '*.%s'", format_at(i)->extension);
    cmd = xasprintf("diff -r -u%s -x SHA256SUMS '%s/tests/golden' '%s/out/compile'",
                    skip.data ? skip.data : "", AUPC_SOURCE_ROOT, tmp);
    sb_free(&skip);
    r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "compiled Markdown or HTML differs from tests/golden:\n%.4000s",
                 r.out);
    run_free(&r);
    free(cmd);

    cmd = xasprintf("diff -u '%s/tests/golden/SHA256SUMS' '%s/SHA256SUMS'", AUPC_SOURCE_ROOT,
                    tmp);
    r = run_sh(cmd);
    cr_expect_eq(r.status, 0,
                 "outputs differ from those recorded in tests/golden/SHA256SUMS (make them with "
                 "tools/golden-outputs DIR; tools/update-golden records a deliberate change):\n"
                 "%.4000s", r.out);
    run_free(&r);
    free(cmd);
    remove_tree(tmp);
    free(tmp);
    free(fallback);
}

/* Every audience gets a document, and each document carries a real set of rules. */
Test(examples, every_audience_gets_its_statements)
{
    diag_list d = {0};
    library *lib = library_load_embedded(&d);
    cr_assert_not_null(lib);
    char *dir = src_path("examples");
    name_list l = list_dir(dir, ".xml");
    for (size_t i = 0; i < l.count; i++) {
        char *path = xasprintf("%s/%s", dir, l.names[i]);
        profile *p = profile_load(path, &d);
        cr_assert_not_null(p, "%s: %s", path, d.count ? d.items[0].message : "?");
        doc_set docs;
        cr_assert_eq(compile_profile(p, lib, &docs, &d), 0, "%s", path);
        cr_expect_eq(docs.count, p->naudiences);
        for (size_t k = 0; k < docs.count; k++) {
            size_t tagged = 0;
            for (const doc_tag *t = docs.docs[k]->tags; t; t = t->next)
                tagged += t->kind == TAG_STATEMENT;
            cr_expect_gt(tagged, 10, "%s %s has only %zu statements", path,
                         docs.docs[k]->audience_id, tagged);
        }
        doc_set_free(&docs);
        profile_free(p);
        free(path);
    }
    free_list(&l);
    free(dir);
    library_free(lib);
    diag_free(&d);
}

/* The layer diagram in README.md's "How it works" matches the includes. */
Test(readme, layers_match_the_includes)
{
    char *cmd = xasprintf("python3 '%s/tools/check-layers'", AUPC_SOURCE_ROOT);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "tools/check-layers:\n%s%s", r.out, r.err);
    run_free(&r);
    free(cmd);
}
