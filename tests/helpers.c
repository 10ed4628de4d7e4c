#include "helpers.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/io.h"

static char *read_stream(const char *path)
{
    char *s = slurp(path);
    return s ? s : xstrdup("");
}

run_result run_sh(const char *cmd)
{
    char out[] = "/tmp/aupc-out-XXXXXX", err[] = "/tmp/aupc-err-XXXXXX";
    int fo = mkstemp(out), fe = mkstemp(err);
    cr_assert(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    char *full = xasprintf("(%s) </dev/null >%s 2>%s", cmd, out, err);
    int st = system(full);
    free(full);
    run_result r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = read_stream(out);
    r.err = read_stream(err);
    unlink(out);
    unlink(err);
    return r;
}

run_result run_aupc(const char *args)
{
    const char *bin = getenv("AUPC");
    char *fallback = xasprintf("%s/aupc", AUPC_BUILD_ROOT);
    char *cmd = xasprintf("NO_COLOR=1 '%s' %s", bin ? bin : fallback, args);
    run_result r = run_sh(cmd);
    free(cmd);
    free(fallback);
    return r;
}

void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

char *slurp(const char *path)
{
    char *data;
    size_t len;
    const char *err;
    return io_read_file(path, &data, &len, &err) == 0 ? data : NULL;
}

char *src_path(const char *rel)
{
    return xasprintf("%s/%s", AUPC_SOURCE_ROOT, rel);
}

char *replace_once(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    cr_assert_not_null(at, "test fixture lacks '%s'", from);
    return xasprintf("%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

char *squash_space(const char *s)
{
    strbuf b = {0};
    int space = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v') {
            space = b.len > 0;
            continue;
        }
        if (space)
            sb_add(&b, " ", 1);
        space = 0;
        sb_add(&b, s, 1);
    }
    return b.data ? b.data : xstrdup("");
}

char *pdf_text(const char *pdf, int first, int last, bool raw)
{
    char *cmd = first ? xasprintf("pdftotext %s -f %d -l %d '%s' - 2>/dev/null",
                                  raw ? "-raw" : "", first, last, pdf)
                      : xasprintf("pdftotext %s '%s' - 2>/dev/null", raw ? "-raw" : "", pdf);
    run_result r = run_sh(cmd);
    free(cmd);
    char *s = squash_space(r.out);
    run_free(&r);
    return s;
}

int pdf_page_count(const char *pdf)
{
    char *cmd = xasprintf("pdfinfo '%s' 2>/dev/null", pdf);
    run_result r = run_sh(cmd);
    free(cmd);
    const char *p = strstr(r.out, "Pages:");
    cr_assert_not_null(p, "pdfinfo: %s", r.out);
    int pages = atoi(p + 6);
    run_free(&r);
    return pages;
}

document *md_document(const char *md, pupil_band band, reading_level reading)
{
    document *d = document_new();
    d->root = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    d->title = xstrdup("Acceptable use policy");
    d->setting_name = xstrdup("Oakfield Primary School");
    d->audience_id = xstrdup("pupil-ks2");
    d->audience_label = xstrdup("Pupils in Key Stage 2");
    d->version = xstrdup("2026.1");
    d->kind = band == BAND_NONE ? AUD_STAFF : AUD_PUPIL;
    d->band = band;
    d->reading = reading;
    d->approved = (aupc_date){2026, 9, 1};
    d->next_review = (aupc_date){2027, 9, 1};
    return d;
}

char *make_tmpdir(void)
{
    char *d = xstrdup("/tmp/aupc-test-XXXXXX");
    cr_assert_not_null(mkdtemp(d));
    return d;
}

void remove_tree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    (void)rc;
    free(cmd);
}

int have_program(const char *name)
{
    char *cmd = xasprintf("command -v %s >/dev/null 2>&1", name);
    int rc = system(cmd);
    free(cmd);
    return rc == 0;
}

profile *load_example(const char *name)
{
    char *path = xasprintf("%s/examples/%s.xml", AUPC_SOURCE_ROOT, name);
    diag_list d = {0};
    profile *p = profile_load(path, &d);
    cr_assert_not_null(p, "%s", d.count ? d.items[0].message : "?");
    diag_free(&d);
    free(path);
    return p;
}

library *test_lib;

void test_lib_load(void)
{
    diag_list d = {0};
    test_lib = library_load_embedded(&d);
    cr_assert_not_null(test_lib, "%s", d.count ? d.items[0].message : "?");
    diag_free(&d);
}

void test_lib_free(void)
{
    library_free(test_lib);
    test_lib = NULL;
}

void example_documents(const profile *p, doc_set *docs)
{
    diag_list d = {0};
    cr_assert_eq(compile_profile(p, test_lib, docs, &d), 0, "%s",
                 d.count ? d.items[0].message : "?");
    diag_free(&d);
}

const document *doc_for(const doc_set *docs, const char *id)
{
    for (size_t i = 0; i < docs->count; i++)
        if (!strcmp(docs->docs[i]->audience_id, id))
            return docs->docs[i];
    cr_assert_fail("no document for %s", id);
    return NULL;
}

size_t each_md_file(const char *rel, void (*fn)(const char *path, const char *text, void *arg),
                    void *arg)
{
    char *dir = src_path(rel);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md"))
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        char *text = slurp(path);
        cr_assert_not_null(text);
        fn(path, text, arg);
        free(text);
        free(path);
        n++;
    }
    closedir(d);
    free(dir);
    return n;
}
