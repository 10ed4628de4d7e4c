#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
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

/* Every example compiles, and its Markdown matches the reviewed copy in
 * tests/golden (tools/update-golden rewrites it after a deliberate change). */
Test(examples, markdown_matches_golden, .timeout = 120)
{
    char *dir = src_path("examples");
    name_list l = list_dir(dir, ".xml");
    char *tmp = make_tmpdir();
    for (size_t i = 0; i < l.count; i++) {
        char *args = xasprintf("compile -q --format md -o %s %s/%s", tmp, dir, l.names[i]);
        run_result r = run_aupc(args);
        cr_expect_eq(r.status, 0, "%s: %s", l.names[i], r.err);
        cr_expect_str_eq(r.err, "", "%s printed diagnostics", l.names[i]);
        run_free(&r);
        free(args);
    }
    char *golden = src_path("tests/golden");
    char *cmd = xasprintf("diff -r -u %s %s", golden, tmp);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "compiled Markdown differs from tests/golden:\n%.4000s", r.out);
    run_free(&r);
    free(cmd);
    free(golden);
    remove_tree(tmp);
    free(tmp);
    free_list(&l);
    free(dir);
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
