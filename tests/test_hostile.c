/* "Nothing gets in, nothing is lost": hostile and broken inputs, and
 * failures part-way through writing.
 *
 * Every case in tests/hostile/ is NAME.expected beside its input (NAME.xml,
 * NAME.md, or a folder NAME.d). The .expected file holds
 *
 *     line 1   the exit status
 *     line 2   a substring of stderr (empty: not checked)
 *     then any of
 *     run: ARGS            aupc's arguments ({in}, {out}, {hostile} are
 *                          replaced); default "compile -o {out} {in}"
 *     gen: NAME            the input is made by the generator NAME below
 *     needs: COMMAND       skip unless `aupc COMMAND --help` works
 *     output: REL          a regular file that must exist under {out}
 *     contains: REL TEXT   TEXT must occur in {out}/REL
 *     contains-stderr: T   T must occur in stderr too
 *     contains-stdout: T   T must occur in stdout (lint prints findings there)
 *     absent: TEXT         TEXT must occur in no output, stdout or stderr
 *
 * Each case runs in a fresh folder, from an empty working folder, with
 * {out} two levels down so that "../" in a setting id would land in a
 * folder the test watches. Whatever the input, aupc must exit with a
 * status below 128 (never a signal), create nothing outside {out}, leave
 * no temporary file, and write nothing at all when it fails. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compile.h"
#include "diff.h"
#include "diff_render.h"
#include "layout.h"
#include "fixtures.h"
#include "helpers.h"
#include "library.h"
#include "lint.h"
#include "mdparse.h"
#include "principles.h"
#include "profile.h"
#include "select.h"
#include "template.h"
#include "util/io.h"

/* ------------------------------------------------------------------ */
/* Small helpers */

static const char *aupc_bin(void)
{
    static char fallback[4096];
    const char *bin = getenv("AUPC");
    if (bin)
        return bin;
    snprintf(fallback, sizeof fallback, "%s/aupc", AUPC_BUILD_ROOT);
    return fallback;
}

/* Run aupc with ARGS from folder CWD, after the shell words in PRELUDE
 * (a umask or ulimit), or none. */
static run_result run_in(const char *cwd, const char *prelude, const char *args)
{
    char *cmd = xasprintf("cd '%s' && %s%sNO_COLOR=1 exec '%s' %s", cwd, prelude ? prelude : "",
                          prelude ? "; " : "", aupc_bin(), args);
    run_result r = run_sh(cmd);
    free(cmd);
    return r;
}

/* A process killed by a signal shows as -1 (helpers.c) or, through a
 * shell, as 128 + the signal. */
static void expect_no_crash(const run_result *r, const char *what)
{
    cr_expect(r->status >= 0 && r->status < 128, "%s: aupc died (status %d): %s", what,
              r->status, r->err);
    cr_expect_null(strstr(r->err, "Sanitizer"), "%s: sanitizer report: %s", what, r->err);
    cr_expect_null(strstr(r->err, "runtime error"), "%s: undefined behaviour: %s", what, r->err);
}

static char *replace_all(const char *s, const char *from, const char *to)
{
    strbuf b = {0};
    size_t n = strlen(from);
    for (const char *p = s;;) {
        const char *at = strstr(p, from);
        if (!at) {
            sb_puts(&b, p);
            break;
        }
        sb_add(&b, p, (size_t)(at - p));
        sb_puts(&b, to);
        p = at + n;
    }
    return b.data ? b.data : xstrdup("");
}

static bool file_has(const char *path, const char *needle)
{
    char *data;
    size_t len;
    const char *err;
    if (io_read_file(path, &data, &len, &err) != 0)
        return false;
    bool found = memmem(data, len, needle, strlen(needle)) != NULL;
    free(data);
    return found;
}

/* Every path under ROOT, relative to it, one per line, sorted. */
static char *tree_of(const char *root)
{
    char *cmd = xasprintf("cd '%s' && find . -mindepth 1 | LC_ALL=C sort", root);
    run_result r = run_sh(cmd);
    free(cmd);
    free(r.err);
    return r.out;
}

static char *files_with(const char *root, const char *needle)
{
    char *cmd = xasprintf("grep -rlF -e '%s' '%s' 2>/dev/null", needle, root);
    run_result r = run_sh(cmd);
    free(cmd);
    free(r.err);
    return r.out;
}

/* ------------------------------------------------------------------ */
/* Generated inputs: too big to keep in git, or not files at all */

static char *base_with(const char *from, const char *to)
{
    return replace_once(base_profile, from, to);
}

static void gen_huge_text_node(const char *path)
{
    /* 10 MB of text in <name>: refused by the 8 MiB input limit. */
    size_t n = 10u * 1000 * 1000;
    char *big = xmalloc(n + 1);
    memset(big, 'x', n);
    big[n] = '\0';
    char *name = xasprintf("<name>%s</name>", big);
    char *text = base_with("<name>Test School</name>", name);
    write_text(path, text);
    free(text);
    free(name);
    free(big);
}

static void gen_long_text_under_limit(const char *path)
{
    /* Just under the limit: read, parsed, and refused by the schema. */
    size_t n = IO_MAX_INPUT - 2000 - strlen(base_profile);
    char *big = xmalloc(n + 1);
    for (size_t i = 0; i < n; i += 2) {
        big[i] = 'x';
        if (i + 1 < n)
            big[i + 1] = ' ';
    }
    big[n] = '\0';
    /* "x x x ... x " collapses to n - 1 characters once trimmed. */
    char *name = xasprintf("<name>%s</name>", big);
    char *text = base_with("<name>Test School</name>", name);
    write_text(path, text);
    free(text);
    free(name);
    free(big);
}

static void gen_deep_nesting(const char *path)
{
    strbuf b = {0};
    for (int i = 0; i < 10000; i++)
        sb_puts(&b, "<a>");
    for (int i = 0; i < 10000; i++)
        sb_puts(&b, "</a>");
    char *deep = xasprintf("<name>Test School</name>%s", b.data);
    char *text = base_with("<name>Test School</name>", deep);
    write_text(path, text);
    free(text);
    free(deep);
    sb_free(&b);
}

static void gen_fifo_input(const char *path)
{
    /* Nobody ever writes to it: opening it for reading would block forever. */
    cr_assert_eq(mkfifo(path, 0600), 0);
}

static void gen_lint_100k_items(const char *path)
{
    strbuf b = {0};
    sb_puts(&b, "<!-- aupc: audience=staff approved=2026-09-01 next-review=2027-09-01 -->\n"
                "# Acceptable use policy\n\n## Rules\n\n");
    for (int i = 0; i < 100000; i++)
        sb_printf(&b, "- I will follow rule %d.\n", i);
    write_bytes(path, b.data, b.len);
    sb_free(&b);
}

/* Markdown that nests without bound or drives cmark into quadratic time:
 * the shapes of cmark's own pathological tests, at sizes that used to
 * exhaust the stack or take minutes. */
static void gen_repeat(const char *path, const char *head, const char *unit, size_t n,
                       const char *mid, const char *tail_unit, size_t tail_n)
{
    strbuf b = {0};
    sb_puts(&b, head);
    for (size_t i = 0; i < n; i++)
        sb_puts(&b, unit);
    sb_puts(&b, mid);
    for (size_t i = 0; i < tail_n; i++)
        sb_puts(&b, tail_unit);
    write_bytes(path, b.data, b.len);
    sb_free(&b);
}

static void gen_md_deep_quotes(const char *path)
{
    gen_repeat(path, "", ">", 30000, "a\n", "", 0);
}

static void gen_md_deep_lists(const char *path)
{
    gen_repeat(path, "", "- ", 50000, "a\n", "", 0);
}

static void gen_md_deep_emphasis(const char *path)
{
    gen_repeat(path, "", "*a ", 40000, "x", " b*", 40000);
}

static void gen_md_deep_links(const char *path)
{
    gen_repeat(path, "", "[", 25000, "a", "](u)", 25000);
}

static void gen_md_open_images(const char *path)
{
    gen_repeat(path, "", "![[]()", 160000, "\n", "", 0);
}

static void gen_md_nested_blank_lines(const char *path)
{
    gen_repeat(path, "", "- ", 30000, "x", "\n", 30000);
}

static void gen_md_indented_lists(const char *path)
{
    strbuf b = {0};
    sb_puts(&b, "<!-- aupc: audience=staff approved=2026-09-01 next-review=2027-09-01 -->\n"
                "# Acceptable use policy\n\n");
    for (int i = 0; i < 1000; i++)
        sb_printf(&b, "%*s- level %d\n", 2 * i, "", i + 1);
    write_bytes(path, b.data, b.len);
    sb_free(&b);
}

static void gen_huge_draft(const char *path)
{
    size_t n = 10u * 1000 * 1000;
    char *big = xmalloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = i % 80 == 79 ? '\n' : 'x';
    write_bytes(path, big, n);
    free(big);
}

/* Fonts for --font: a school may hand aupc any file as its typeface. */
static const char liberation_sans[] = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf";

static void gen_font_text(const char *path)
{
    write_text(path, "This is not a font.\n");
}

/* Liberation Sans, whole, and its number of tables. */
static char *liberation(size_t *len, size_t *tables)
{
    char *data;
    const char *err;
    cr_assert_eq(io_read_file(liberation_sans, &data, len, &err), 0, "%s", err);
    *tables = (size_t)(unsigned char)data[4] << 8 | (unsigned char)data[5];
    return data;
}

static void gen_font_truncated(const char *path)
{
    size_t len, tables;
    char *data = liberation(&len, &tables);
    write_bytes(path, data, len / 3);
    free(data);
}

/* Every byte after the table directory scrambled: the directory is sound,
 * the counts libharu sizes its arrays by are nonsense. */
static void gen_font_scrambled(const char *path)
{
    size_t len, tables;
    char *data = liberation(&len, &tables);
    unsigned x = 12345;
    for (size_t i = 12 + 16 * tables; i < len; i++)
        data[i] = (char)((x = x * 1103515245u + 12345u) >> 16);
    write_bytes(path, data, len);
    free(data);
}

/* Only hhea's count of metrics changed, past the number of glyphs: the
 * array libharu fills from it would overflow. */
static void gen_font_too_many_metrics(const char *path)
{
    size_t len, tables;
    char *data = liberation(&len, &tables);
    for (size_t i = 0; i < tables; i++) {
        const unsigned char *e = (const unsigned char *)data + 12 + 16 * i;
        if (memcmp(e, "hhea", 4) == 0) {
            size_t off = (size_t)e[8] << 24 | (size_t)e[9] << 16 | (size_t)e[10] << 8 | e[11];
            data[off + 34] = (char)0xFF;
            data[off + 35] = (char)0xFF;
        }
    }
    write_bytes(path, data, len);
    free(data);
}

static const struct {
    const char *name, *ext;
    void (*fn)(const char *path);
} generators[] = {
    {"font-text", "ttf", gen_font_text},
    {"font-truncated", "ttf", gen_font_truncated},
    {"font-scrambled", "ttf", gen_font_scrambled},
    {"font-too-many-metrics", "ttf", gen_font_too_many_metrics},
    {"huge-draft", "md", gen_huge_draft},
    {"huge-text-node", "xml", gen_huge_text_node},
    {"long-text-under-limit", "xml", gen_long_text_under_limit},
    {"deep-nesting", "xml", gen_deep_nesting},
    {"fifo-input", "xml", gen_fifo_input},
    {"lint-100k-items", "md", gen_lint_100k_items},
    {"md-deep-quotes", "md", gen_md_deep_quotes},
    {"md-deep-lists", "md", gen_md_deep_lists},
    {"md-deep-emphasis", "md", gen_md_deep_emphasis},
    {"md-deep-links", "md", gen_md_deep_links},
    {"md-open-images", "md", gen_md_open_images},
    {"md-nested-blank-lines", "md", gen_md_nested_blank_lines},
    {"md-indented-lists", "md", gen_md_indented_lists},
};

/* ------------------------------------------------------------------ */
/* The cases */

typedef struct {
    char *name;
    int status;
    char *err;           /* stderr substring, or "" */
    char *run, *gen, *needs;
    char **keys, **values;
    size_t nkv;
} hostile_case;

static void case_free(hostile_case *c)
{
    free(c->name);
    free(c->err);
    free(c->run);
    free(c->gen);
    free(c->needs);
    for (size_t i = 0; i < c->nkv; i++) {
        free(c->keys[i]);
        free(c->values[i]);
    }
    free(c->keys);
    free(c->values);
}

static void case_load(hostile_case *c, const char *dir, const char *name)
{
    memset(c, 0, sizeof *c);
    c->name = xstrdup(name);
    char *path = xasprintf("%s/%s.expected", dir, name);
    char *text = slurp(path);
    cr_assert_not_null(text, "cannot read %s", path);
    int lineno = 0;
    for (char *line = text, *nl; line && *line; line = nl) {
        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        lineno++;
        if (lineno == 1) {
            c->status = atoi(line);
            continue;
        }
        if (lineno == 2) {
            c->err = xstrdup(line);
            continue;
        }
        if (!*line)
            continue;
        char *colon = strstr(line, ": ");
        cr_assert_not_null(colon, "%s: bad line '%s'", path, line);
        *colon = '\0';
        const char *value = colon + 2;
        if (!strcmp(line, "run"))
            c->run = xstrdup(value);
        else if (!strcmp(line, "gen"))
            c->gen = xstrdup(value);
        else if (!strcmp(line, "needs"))
            c->needs = xstrdup(value);
        else {
            c->keys = xrealloc(c->keys, (c->nkv + 1) * sizeof *c->keys);
            c->values = xrealloc(c->values, (c->nkv + 1) * sizeof *c->values);
            c->keys[c->nkv] = xstrdup(line);
            c->values[c->nkv++] = xstrdup(value);
        }
    }
    if (!c->err)
        c->err = xstrdup("");
    free(text);
    free(path);
}

static bool command_exists(const char *cmd)
{
    char *args = xasprintf("%s --help", cmd);
    char *tmp = make_tmpdir();
    run_result r = run_in(tmp, NULL, args);
    bool ok = r.status == 0;
    run_free(&r);
    remove_tree(tmp);
    free(tmp);
    free(args);
    return ok;
}

/* Make the input of case C in folder IN; returns its path (owned). */
static char *case_input(const hostile_case *c, const char *hostile, const char *in)
{
    if (c->gen) {
        for (size_t i = 0; i < sizeof generators / sizeof generators[0]; i++)
            if (!strcmp(generators[i].name, c->gen)) {
                char *path = xasprintf("%s/%s.%s", in, c->name, generators[i].ext);
                generators[i].fn(path);
                return path;
            }
        cr_assert_fail("%s: unknown generator '%s'", c->name, c->gen);
    }
    static const char *const exts[] = {"xml", "md", "d"};
    for (size_t i = 0; i < 3; i++) {
        char *src = xasprintf("%s/%s.%s", hostile, c->name, exts[i]);
        struct stat st;
        if (lstat(src, &st) == 0) {
            char *dst = xasprintf("%s/%s.%s", in, c->name, exts[i]);
            char *cmd = xasprintf("cp -R '%s' '%s'", src, dst);
            run_result r = run_sh(cmd);
            cr_assert_eq(r.status, 0, "%s: %s", cmd, r.err);
            run_free(&r);
            free(cmd);
            free(src);
            return dst;
        }
        free(src);
    }
    cr_assert_fail("%s: no input (%s.xml, .md or .d) and no gen: line", c->name, c->name);
    return NULL;
}

static void run_case(const hostile_case *c, const char *hostile)
{
    if (c->needs && !command_exists(c->needs)) {
        cr_log_warn("hostile/%s: skipped, 'aupc %s' does not exist yet", c->name, c->needs);
        return;
    }
    char *tmp = make_tmpdir();
    char *in = xasprintf("%s/in", tmp), *work = xasprintf("%s/work", tmp);
    char *box = xasprintf("%s/root/box", tmp), *out = xasprintf("%s/root/box/out", tmp);
    char *sentinel = xasprintf("%s/root/sentinel", tmp);
    char *mk = xasprintf("mkdir -p '%s' '%s' '%s' '%s'", in, work, box, sentinel);
    run_result r = run_sh(mk);
    cr_assert_eq(r.status, 0);
    run_free(&r);
    free(mk);

    char *input = case_input(c, hostile, in);
    char *quoted_in = xasprintf("'%s'", input), *quoted_out = xasprintf("'%s'", out);
    char *quoted_hostile = xasprintf("'%s'", hostile);
    char *a1 = replace_all(c->run ? c->run : "compile -o {out} {in}", "{in}", quoted_in);
    char *a2 = replace_all(a1, "{out}", quoted_out);
    char *args = replace_all(a2, "{hostile}", quoted_hostile);
    r = run_in(work, NULL, args);

    const char *n = c->name;
    expect_no_crash(&r, n);
    cr_expect_eq(r.status, c->status, "hostile/%s: exit status %d, expected %d; stderr: %.2000s",
                 n, r.status, c->status, r.err);
    if (c->err[0])
        cr_expect(strstr(r.err, c->err), "hostile/%s: stderr lacks '%s':\n%.2000s", n, c->err,
                  r.err);
    if (c->status != 0) {
        /* A refusal names the file it refuses. */
        char *base = strrchr(input, '/') + 1;
        cr_expect(strstr(r.err, base) || strstr(r.out, base) ||
                      (c->run && strstr(c->run, "--library")),
                  "hostile/%s: the message does not name %s: %s", n, base, r.err);
    }

    /* Nothing outside {out}; nothing in it on failure; no temporary files. */
    char *tree = tree_of(tmp);
    for (char *line = strtok(tree, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strcmp(line, "./in") || !strncmp(line, "./in/", 5) || !strcmp(line, "./work") ||
            !strcmp(line, "./root") || !strcmp(line, "./root/box") ||
            !strcmp(line, "./root/sentinel"))
            continue;
        if (!strcmp(line, "./root/box/out") || !strncmp(line, "./root/box/out/", 15)) {
            cr_expect_eq(c->status, 0, "hostile/%s: failed, yet wrote %s", n, line);
            cr_expect_null(strstr(line, ".tmp"), "hostile/%s: temporary file left: %s", n, line);
            char *full = xasprintf("%s/%s", tmp, line + 2);
            struct stat st;
            cr_expect(lstat(full, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)),
                      "hostile/%s: %s is not a plain file or folder", n, line);
            free(full);
            continue;
        }
        cr_expect_fail("hostile/%s: created %s, outside the output folder", n, line);
    }
    free(tree);

    for (size_t i = 0; i < c->nkv; i++) {
        const char *k = c->keys[i], *v = c->values[i];
        if (!strcmp(k, "output")) {
            char *p = xasprintf("%s/%s", out, v);
            struct stat st;
            cr_expect(lstat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0,
                      "hostile/%s: no output %s", n, v);
            free(p);
        } else if (!strcmp(k, "contains")) {
            const char *sp = strchr(v, ' ');
            cr_assert_not_null(sp, "hostile/%s: contains: needs a file and a text", n);
            char *rel = xstrndup(v, (size_t)(sp - v));
            char *p = xasprintf("%s/%s", out, rel);
            cr_expect(file_has(p, sp + 1), "hostile/%s: %s lacks '%s'", n, rel, sp + 1);
            free(p);
            free(rel);
        } else if (!strcmp(k, "contains-stderr")) {
            cr_expect(strstr(r.err, v), "hostile/%s: stderr lacks '%s'", n, v);
        } else if (!strcmp(k, "contains-stdout")) {
            cr_expect(strstr(r.out, v), "hostile/%s: stdout lacks '%s': %.2000s", n, v, r.out);
        } else if (!strcmp(k, "absent")) {
            cr_expect_null(strstr(r.out, v), "hostile/%s: stdout holds '%s'", n, v);
            cr_expect_null(strstr(r.err, v), "hostile/%s: stderr holds '%s'", n, v);
            char *root = xasprintf("%s/root", tmp);
            char *hits = files_with(root, v);
            cr_expect_str_eq(hits, "", "hostile/%s: '%s' leaked into %s", n, v, hits);
            free(hits);
            free(root);
        } else {
            cr_expect_fail("hostile/%s: unknown key '%s'", n, k);
        }
    }

    run_free(&r);
    free(args);
    free(a2);
    free(a1);
    free(quoted_hostile);
    free(quoted_out);
    free(quoted_in);
    free(input);
    remove_tree(tmp);
    free(sentinel);
    free(out);
    free(box);
    free(work);
    free(in);
    free(tmp);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the cases, sorted. */
static char **case_names(const char *hostile, size_t *count)
{
    DIR *d = opendir(hostile);
    cr_assert_not_null(d, "cannot open %s", hostile);
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 9 && !strcmp(e->d_name + len - 9, ".expected")) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrndup(e->d_name, len - 9);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    *count = n;
    return names;
}

/* The cases are split in eight so that --jobs runs them side by side. The
 * limit is generous: lint-100k-items alone takes minutes under the
 * sanitizers on a busy machine. */
enum { SHARES = 8 };
static void run_share(int share)
{
    char *hostile = src_path("tests/hostile");
    size_t n;
    char **names = case_names(hostile, &n);
    cr_assert_geq(n, 25, "only %zu hostile cases", n);
    for (size_t i = 0; i < n; i++) {
        if ((int)(i % SHARES) == share) {
            hostile_case c;
            case_load(&c, hostile, names[i]);
            run_case(&c, hostile);
            case_free(&c);
        }
        free(names[i]);
    }
    free(names);
    free(hostile);
}

Test(hostile, cases_0, .timeout = 900) { run_share(0); }
Test(hostile, cases_1, .timeout = 900) { run_share(1); }
Test(hostile, cases_2, .timeout = 900) { run_share(2); }
Test(hostile, cases_3, .timeout = 900) { run_share(3); }
Test(hostile, cases_4, .timeout = 900) { run_share(4); }
Test(hostile, cases_5, .timeout = 900) { run_share(5); }
Test(hostile, cases_6, .timeout = 900) { run_share(6); }
Test(hostile, cases_7, .timeout = 900) { run_share(7); }

/* Every input kept in git has its expectation, and the other way round. */
Test(hostile, every_input_has_an_expectation)
{
    char *hostile = src_path("tests/hostile");
    DIR *d = opendir(hostile);
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".expected"))
            continue;
        char *stem = xstrdup(e->d_name);
        char *dot = strrchr(stem, '.');
        if (dot)
            *dot = '\0';
        char *exp = xasprintf("%s/%s.expected", hostile, stem);
        cr_expect_eq(access(exp, F_OK), 0, "tests/hostile/%s has no %s.expected", e->d_name,
                     stem);
        free(exp);
        free(stem);
    }
    closedir(d);
    free(hostile);
}

/* ------------------------------------------------------------------ */
/* Templates are embedded, so a bad directive is tested on template_fill. */

typedef struct {
    profile *p;
    library *lib;
    selection sel;
    document *doc;
    diag_list diags;
    template_ctx ctx;
} tfill;

static void tfill_init(tfill *t)
{
    memset(t, 0, sizeof *t);
    t->p = profile_parse("t.xml", base_profile, strlen(base_profile), &t->diags);
    cr_assert_not_null(t->p);
    t->lib = library_load_embedded(&t->diags);
    cr_assert_not_null(t->lib);
    select_statements(t->p, t->lib, NULL, &t->p->audiences[0], &t->sel);
    t->doc = document_new();
    t->ctx = (template_ctx){t->p, &t->p->audiences[0], &t->sel, t->doc, &t->diags, 0};
}

static void tfill_free(tfill *t)
{
    selection_free(&t->sel);
    document_free(t->doc);
    library_free(t->lib);
    profile_free(t->p);
    diag_free(&t->diags);
}

static const diag *first_error(const diag_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].severity == DIAG_ERROR)
            return &l->items[i];
    return NULL;
}

Test(hostile_template, unknown_directive)
{
    tfill t;
    tfill_init(&t);
    static const char tpl[] = "# {{setting.name}}\n\nIntro.\n\n{{bogus}}\n\n{{signature}}\n";
    cr_expect_eq(template_fill(&t.ctx, "templates/evil.md", tpl, strlen(tpl)), -1);
    const diag *e = first_error(&t.diags);
    cr_assert_not_null(e, "no error for {{bogus}}");
    cr_expect_str_eq(e->file, "templates/evil.md");
    cr_expect_eq(e->line, 5);
    cr_expect(strstr(e->message, "unknown directive {{bogus}}"), "%s", e->message);
    tfill_free(&t);
}

Test(hostile_template, unknown_field_and_odd_braces)
{
    static const char *const tpls[] = {
        "# Title\n\nHello {{no.such.field}} there.\n",
        "# Title\n\n{{\n",
        "# Title\n\n{{}}\n",
        "# Title\n\n{{ }}\n",
        "# Title\n\n{{{{statements}}}}\n",
        "# Title\n\n{{statements no-such-section}}\n",
        "# Title\n\n{{setting.name}}{{setting.name}}{{\n",
        "",
    };
    for (size_t i = 0; i < sizeof tpls / sizeof tpls[0]; i++) {
        tfill t;
        tfill_init(&t);
        int rc = template_fill(&t.ctx, "templates/odd.md", tpls[i], strlen(tpls[i]));
        /* Either it fills, or it says where it stopped. */
        if (rc != 0) {
            const diag *e = first_error(&t.diags);
            cr_expect_not_null(e, "template %zu failed without an error", i);
            if (e)
                cr_expect(e->line >= 1, "template %zu: error without a line: %s", i,
                          e->message);
        }
        tfill_free(&t);
    }
}

/* ------------------------------------------------------------------ */
/* The fuzzers' seed corpora, replayed through the same entry points
 * (under ASan and UBSan in build-asan): everything they ever found stays
 * fixed. */

static void replay_corpus(const char *name, void (*fn)(const char *data, size_t len))
{
    char *dir = xasprintf("%s/tests/fuzz/corpus/%s", AUPC_SOURCE_ROOT, name);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "no seed corpus %s", dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        char *data;
        size_t len;
        const char *err;
        if (io_read_file(path, &data, &len, &err) == 0) {
            fn(data, len);
            free(data);
            n++;
        }
        free(path);
    }
    closedir(d);
    cr_expect_geq(n, 5, "only %zu inputs in %s", n, dir);
    free(dir);
}

static library *replay_lib;

static void replay_profile(const char *data, size_t len)
{
    diag_list d = {0};
    profile *p = profile_parse("fuzz.xml", data, len, &d);
    if (p) {
        doc_set docs = {0};
        if (compile_profile(p, replay_lib, &docs, &d) == 0)
            doc_set_free(&docs);
        profile_free(p);
    } else {
        cr_expect_geq(d.count, 1, "a profile was refused without a message");
    }
    diag_free(&d);
}

Test(hostile_fuzz_corpus, profile, .timeout = 300)
{
    diag_list d = {0};
    replay_lib = library_load_embedded(&d);
    cr_assert_not_null(replay_lib);
    replay_corpus("profile", replay_profile);
    library_free(replay_lib);
    diag_free(&d);
}

static void replay_layout(const char *data, size_t len)
{
    if (len < 1)
        return;
    diag_list refused = {0};
    cmark_node *root = md_parse("fuzz.md", data + 1, len - 1, CMARK_OPT_DEFAULT, &refused);
    if (!root) {
        cr_expect_eq(refused.count, 1, "a draft was refused without one message");
        diag_free(&refused);
        return;
    }
    document *d = document_new();
    d->root = root;
    d->title = xstrdup("Acceptable use policy");
    d->setting_name = xstrdup("Fuzz Primary School");
    d->version = xstrdup("1");
    d->lang = xstrdup("en-GB");
    d->audience_id = xstrdup("staff");
    d->kind = AUD_STAFF;
    d->reading = (unsigned char)data[0] & 16 ? READING_EASY : READING_STANDARD;
    diag_list dl = {0};
    layout_info info = {0};
    if (layout_measure(d, NULL, &info, &dl) == 0) {
        cr_expect_geq(info.pages, 1);
        layout_info_free(&info);
    }
    diag_free(&dl);
    document_free(d);
}

Test(hostile_fuzz_corpus, layout, .timeout = 300)
{
    replay_corpus("layout", replay_layout);
}

static principle_set *replay_ps;

static void replay_lint(const char *data, size_t len)
{
    lint_options o = {.audience = NULL, .today = {2026, 10, 1}, .pdf = NULL};
    principle_report report = {0};
    lint_source(replay_ps, replay_lib, "fuzz.md", data, len, &o, &report);
    principle_report_free(&report);
}

Test(hostile_fuzz_corpus, lint, .timeout = 300)
{
    diag_list d = {0};
    replay_lib = library_load_embedded(&d);
    replay_ps = principles_load(NULL, &d);
    cr_assert_not_null(replay_lib);
    cr_assert_not_null(replay_ps);
    replay_corpus("lint", replay_lint);
    principles_free(replay_ps);
    library_free(replay_lib);
    diag_free(&d);
}

static void replay_diff(const char *data, size_t len)
{
    const char *sep = memchr(data, 0xFF, len);
    size_t old_len = sep ? (size_t)(sep - data) : len;
    diff_result r;
    memset(&r, 0, sizeof r);
    diag_list dl = {0};
    int rc = diff_drafts("old.md", data, old_len, "new.md", sep ? sep + 1 : "",
                         sep ? len - old_len - 1 : 0, &r, &dl);
    /* A refused draft says why (one error for each draft refused); an
     * accepted pair renders. */
    size_t errors = diag_count(&dl, DIAG_ERROR);
    diag_free(&dl);
    if (rc != 0) {
        cr_expect(errors == 1 || errors == 2, "refused with %zu errors", errors);
        return;
    }
    diff_render_opts o = {false, false};
    free(diff_render_text(&r, &o));
    free(diff_render_html(&r, &o));
    free(diff_render_json(&r, &o));
    diff_result_free(&r);
}

Test(hostile_fuzz_corpus, diff, .timeout = 300)
{
    replay_corpus("diff", replay_diff);
}

/* ------------------------------------------------------------------ */
/* Failures while writing leave the previous output as it was. */

typedef struct {
    char *dir, *profile, *out, *setting;
} workspace;

static void ws_init(workspace *w)
{
    w->dir = make_tmpdir();
    w->profile = xasprintf("%s/p.xml", w->dir);
    w->out = xasprintf("%s/out", w->dir);
    w->setting = xasprintf("%s/out/test-school", w->dir);
    write_text(w->profile, base_profile);
}

static void ws_free(workspace *w)
{
    char *cmd = xasprintf("chmod -R u+w '%s'", w->dir);
    run_result r = run_sh(cmd);
    run_free(&r);
    free(cmd);
    remove_tree(w->dir);
    free(w->dir);
    free(w->profile);
    free(w->out);
    free(w->setting);
}

static run_result ws_compile(const workspace *w, const char *prelude, const char *profile)
{
    char *args = xasprintf("compile -q -o '%s' '%s'", w->out, profile ? profile : w->profile);
    run_result r = run_in(w->dir, prelude, args);
    free(args);
    expect_no_crash(&r, "compile");
    return r;
}

/* The names and contents of every file in the setting's folder. */
static char *snapshot(const workspace *w)
{
    char *cmd = xasprintf("cd '%s' && for f in $(ls -A | LC_ALL=C sort); do "
                          "printf '%%s ' \"$f\"; cksum < \"$f\"; done", w->setting);
    run_result r = run_sh(cmd);
    free(cmd);
    free(r.err);
    return r.out;
}

static void compile_first(workspace *w)
{
    run_result r = ws_compile(w, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

static char *changed_profile(const workspace *w)
{
    char *path = xasprintf("%s/p2.xml", w->dir);
    char *text = replace_once(base_profile, "<name>Test School</name>",
                              "<name>Renamed Test School</name>");
    write_text(path, text);
    free(text);
    return path;
}

Test(hostile_write, size_limit_mid_set_keeps_previous_files)
{
    workspace w;
    ws_init(&w);
    compile_first(&w);
    char *before = snapshot(&w);
    cr_assert(strstr(before, "staff.pdf"));
    char *p2 = changed_profile(&w);
    /* 10 blocks (5 KB in dash, 10 KB in bash): the small files of the new
     * set fit, the larger PDFs do not. SIGXFSZ is ignored so write() fails
     * with EFBIG, as on a full disk, and aupc must take the error path. */
    run_result r = ws_compile(&w, "ulimit -f 10; trap '' XFSZ", p2);
    cr_expect_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "File too large"), "%s", r.err);
    char *after = snapshot(&w);
    cr_expect_str_eq(after, before, "the previous output changed");
    cr_expect_null(strstr(after, ".tmp"), "a temporary file was left: %s", after);
    run_free(&r);
    /* Without the limit the new set replaces the old one whole. */
    r = ws_compile(&w, NULL, p2);
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *md = xasprintf("%s/staff.md", w.setting);
    cr_expect(file_has(md, "Renamed Test School"));
    free(md);
    run_free(&r);
    free(after);
    free(before);
    free(p2);
    ws_free(&w);
}

Test(hostile_write, unwritable_folder_keeps_previous_files)
{
    if (geteuid() == 0)
        cr_skip_test("root writes into a 0555 folder anyway; the size-limit test covers this");
    workspace w;
    ws_init(&w);
    compile_first(&w);
    char *before = snapshot(&w);
    cr_assert_eq(chmod(w.setting, 0555), 0);
    char *p2 = changed_profile(&w);
    run_result r = ws_compile(&w, NULL, p2);
    cr_expect_eq(r.status, 3, "%s", r.err);
    cr_expect(strstr(r.err, "cannot write"), "%s", r.err);
    chmod(w.setting, 0755);
    char *after = snapshot(&w);
    cr_expect_str_eq(after, before);
    run_free(&r);
    free(after);
    free(before);
    free(p2);
    ws_free(&w);
}

Test(hostile_write, output_under_a_regular_file)
{
    workspace w;
    ws_init(&w);
    char *file = xasprintf("%s/plain", w.dir);
    write_text(file, "I am a file\n");
    char *args = xasprintf("compile -q -o '%s/sub/out' '%s'", file, w.profile);
    run_result r = run_in(w.dir, NULL, args);
    expect_no_crash(&r, "compile");
    cr_expect_eq(r.status, 3, "%s", r.err);
    cr_expect(strstr(r.err, "cannot create the output folder"), "%s", r.err);
    char *text = slurp(file);
    cr_expect_str_eq(text, "I am a file\n");
    free(text);
    run_free(&r);
    free(args);
    free(file);
    ws_free(&w);
}

Test(hostile_write, folder_in_place_of_a_file)
{
    workspace w;
    ws_init(&w);
    compile_first(&w);
    char *before = snapshot(&w);
    char *p2 = changed_profile(&w);
    /* staff.md becomes a folder: the rename onto it fails after every
     * temporary file was written. */
    char *md = xasprintf("%s/staff.md", w.setting);
    cr_assert_eq(unlink(md), 0);
    cr_assert_eq(mkdir(md, 0755), 0);
    run_result r = ws_compile(&w, NULL, p2);
    cr_expect_eq(r.status, 3, "%s", r.err);
    cr_expect(strstr(r.err, "staff.md: error: cannot write"), "%s", r.err);
    struct stat st;
    cr_expect(stat(md, &st) == 0 && S_ISDIR(st.st_mode), "the folder was replaced");
    char *after = snapshot(&w);
    cr_expect_null(strstr(after, ".tmp"), "a temporary file was left: %s", after);
    run_free(&r);
    free(after);
    free(before);
    free(md);
    free(p2);
    ws_free(&w);
}

Test(hostile_write, files_follow_the_umask)
{
    workspace w;
    ws_init(&w);
    run_result r = ws_compile(&w, "umask 027", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    static const char *const names[] = {"staff.md", "staff.html", "staff.pdf", "pupil-ks2.pdf"};
    for (size_t i = 0; i < 4; i++) {
        char *p = xasprintf("%s/%s", w.setting, names[i]);
        struct stat st;
        cr_assert_eq(stat(p, &st), 0, "%s", p);
        cr_expect_eq(st.st_mode & 07777, 0640, "%s has mode %o", names[i], st.st_mode & 07777);
        free(p);
    }
    struct stat st;
    cr_assert_eq(stat(w.setting, &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0750, "the folder has mode %o", st.st_mode & 07777);
    ws_free(&w);
}

/* diff -o killed part-way (by the file size limit: SIGXFSZ, which aupc does
 * not catch, so it dies as under SIGKILL) leaves its temporary file; the
 * next diff -o into that folder removes it, and keeps a live run's
 * temporary file and a file of the user's that only looks like one. */
Test(hostile_write, killed_diff_leaves_a_temporary_the_next_diff_removes)
{
    char *tmp = make_tmpdir();
    char *args = xasprintf("diff -f pdf -o out/changes.pdf '%s/examples/review/2025.xml' "
                           "'%s/examples/review/2026.xml'", AUPC_SOURCE_ROOT, AUPC_SOURCE_ROOT);
    char *out = xasprintf("%s/out", tmp);
    cr_assert_eq(mkdir(out, 0755), 0);
    /* A subshell of its own, so that its shell reports the kill to the
     * captured standard error rather than the test's. */
    char *cmd = xasprintf("cd '%s' && (ulimit -f 1; exec '%s' %s); exit $?", tmp,
                          aupc_bin(), args);
    run_result r = run_sh(cmd);
    free(cmd);
    cr_assert_geq(r.status, 128, "not killed by the size limit: %d %s", r.status, r.err);
    run_free(&r);
    char *left = tree_of(out);
    cr_assert(strstr(left, "./.changes.pdf.aupc-") && strstr(left, ".tmp"),
              "the killed run left no temporary file: %s", left);
    /* Not leftovers: one of a run still alive (this test), one not aupc's. */
    char *live = xasprintf("%s/.other.pdf.aupc-%ld-0.tmp", out, (long)getpid());
    char *mine = xasprintf("%s/.notes.aupc-draft.tmp", out);
    write_text(live, "in progress");
    write_text(mine, "the user's own");
    r = run_in(tmp, NULL, args);
    cr_expect_eq(r.status, 1, "%s", r.err);
    run_free(&r);
    char *after = tree_of(out);
    cr_expect_null(strstr(after, "./.changes.pdf.aupc-"), "the leftover is still there: %s",
                   after);
    cr_expect_not_null(strstr(after, "./changes.pdf\n"), "%s", after);
    cr_expect(file_has(live, "in progress"), "a live run's temporary file was removed");
    cr_expect(file_has(mine, "the user's own"), "the user's file was removed");
    free(after);
    free(left);
    free(live);
    free(mine);
    free(out);
    free(args);
    remove_tree(tmp);
    free(tmp);
}

Test(hostile_write, planted_symlink_is_replaced_not_followed)
{
    workspace w;
    ws_init(&w);
    compile_first(&w);
    char *victim = xasprintf("%s/victim", w.dir);
    write_text(victim, "precious\n");
    char *md = xasprintf("%s/staff.md", w.setting);
    cr_assert_eq(unlink(md), 0);
    cr_assert_eq(symlink(victim, md), 0);
    run_result r = ws_compile(&w, NULL, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *text = slurp(victim);
    cr_expect_str_eq(text, "precious\n", "the symlink's target was written");
    struct stat st;
    cr_assert_eq(lstat(md, &st), 0);
    cr_expect(S_ISREG(st.st_mode), "staff.md is still a symlink");
    cr_expect(file_has(md, "Test School"));
    run_free(&r);
    free(text);
    free(md);
    free(victim);
    ws_free(&w);
}

Test(hostile_write, planted_setting_folder_symlink_is_refused)
{
    workspace w;
    ws_init(&w);
    char *elsewhere = xasprintf("%s/elsewhere", w.dir);
    cr_assert_eq(mkdir(elsewhere, 0755), 0);
    cr_assert_eq(mkdir(w.out, 0755), 0);
    cr_assert_eq(symlink(elsewhere, w.setting), 0);
    run_result r = ws_compile(&w, NULL, NULL);
    cr_expect_eq(r.status, 3, "%s", r.err);
    cr_expect(strstr(r.err, "symbolic link"), "%s", r.err);
    char *tree = tree_of(elsewhere);
    cr_expect_str_eq(tree, "", "files were written through the link: %s", tree);
    free(tree);
    run_free(&r);
    free(elsewhere);
    ws_free(&w);
}

Test(hostile_write, same_setting_from_many_threads)
{
    /* Eight profiles with one id, compiled four at a time: every writer
     * races for the same files, and each file must still come out whole. */
    workspace w;
    ws_init(&w);
    char *in = xasprintf("%s/in", w.dir);
    cr_assert_eq(mkdir(in, 0755), 0);
    for (int i = 0; i < 8; i++) {
        char *p = xasprintf("%s/p%d.xml", in, i);
        write_text(p, base_profile);
        free(p);
    }
    char *args = xasprintf("compile -q -j 4 -f md,html -o '%s' '%s'", w.out, in);
    run_result r = run_in(w.dir, NULL, args);
    expect_no_crash(&r, "compile -j 4");
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *after = snapshot(&w);
    cr_expect_null(strstr(after, ".tmp"), "a temporary file was left: %s", after);
    run_free(&r);
    char *md = xasprintf("%s/staff.md", w.setting);
    char *text = slurp(md);
    cr_assert_not_null(text);
    char *single = xasprintf("compile -q -f md -o '%s/one' '%s/p0.xml'", w.dir, in);
    r = run_in(w.dir, NULL, single);
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *one_path = xasprintf("%s/one/test-school/staff.md", w.dir);
    char *one = slurp(one_path);
    cr_expect_str_eq(text, one, "a raced file differs from a lone compile");
    run_free(&r);
    free(one);
    free(one_path);
    free(single);
    free(text);
    free(md);
    free(after);
    free(args);
    free(in);
    ws_free(&w);
}

/* ------------------------------------------------------------------ */
/* Whole sets: killed, interrupted and concurrent runs. The set folder must
 * always hold exactly the files of one run, byte for byte. */

/* Start aupc compile of PROFILE into W's output folder in the background,
 * wait SECONDS, send SIG, wait for it; the shell's status of aupc. */
static int compile_killed(const workspace *w, const char *profile, double seconds, const char *sig)
{
    char *cmd = xasprintf("cd '%s' && '%s' compile -q -o '%s' '%s' 2>/dev/null & pid=$!; "
                          "sleep %.3f; kill -%s $pid 2>/dev/null; wait $pid; echo $?",
                          w->dir, aupc_bin(), w->out, profile, seconds, sig);
    run_result r = run_sh(cmd);
    int status = atoi(r.out);
    run_free(&r);
    free(cmd);
    return status;
}

/* Any temporary file or folder under W's output folder, one a line. */
static char *leftovers(const workspace *w)
{
    char *cmd = xasprintf("cd '%s' && find . -name '.*' ! -name . | LC_ALL=C sort", w->out);
    run_result r = run_sh(cmd);
    free(cmd);
    free(r.err);
    return r.out;
}

typedef struct {
    workspace w;
    char *p2;
    char *snap1, *snap2;   /* the set of each profile, made whole */
    double seconds;        /* how long one whole run takes */
} two_versions;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void two_versions_init(two_versions *t)
{
    ws_init(&t->w);
    t->p2 = changed_profile(&t->w);
    run_result r = ws_compile(&t->w, NULL, t->p2);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    t->snap2 = snapshot(&t->w);
    double start = now_seconds();
    r = ws_compile(&t->w, NULL, NULL);
    t->seconds = now_seconds() - start;
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    t->snap1 = snapshot(&t->w);
    cr_assert_str_neq(t->snap1, t->snap2);
}

static void two_versions_free(two_versions *t)
{
    free(t->snap1);
    free(t->snap2);
    free(t->p2);
    ws_free(&t->w);
}

static void expect_one_whole_set(const two_versions *t, const char *when)
{
    char *now = snapshot(&t->w);
    cr_expect(!strcmp(now, t->snap1) || !strcmp(now, t->snap2),
              "%s: the set is neither version:\n%s", when, now);
    free(now);
}

Test(hostile_write, killed_at_random_moments_leaves_one_whole_set, .timeout = 900)
{
    two_versions t;
    two_versions_init(&t);
    srand(20);
    for (int i = 0; i < 50; i++) {
        double at = t.seconds * 1.2 * rand() / RAND_MAX;
        compile_killed(&t.w, i % 2 ? t.w.profile : t.p2, at, "KILL");
        char *when = xasprintf("run %d killed after %.3f s", i + 1, at);
        expect_one_whole_set(&t, when);
        free(when);
    }
    /* One more run clears what the killed ones left. */
    run_result r = ws_compile(&t.w, NULL, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *left = leftovers(&t.w);
    cr_expect_str_eq(left, "", "temporary files after one more run:\n%s", left);
    free(left);
    expect_one_whole_set(&t, "after one more run");
    two_versions_free(&t);
}

Test(hostile_write, sigterm_and_sigint_clean_up_before_exit, .timeout = 600)
{
    two_versions t;
    two_versions_init(&t);
    static const char *const sigs[] = {"TERM", "INT"};
    for (int i = 0; i < 8; i++) {
        double at = t.seconds * (0.1 + 0.1 * i);
        int status = compile_killed(&t.w, i % 2 ? t.w.profile : t.p2, at, sigs[i % 2]);
        /* Killed: the shell reports 128 + the signal; done first: 0. */
        cr_expect(status == 0 || status == 128 + (i % 2 ? 2 : 15), "status %d", status);
        char *when = xasprintf("SIG%s after %.3f s", sigs[i % 2], at);
        char *left = leftovers(&t.w);
        cr_expect_str_eq(left, "", "%s: temporary files left:\n%s", when, left);
        free(left);
        expect_one_whole_set(&t, when);
        free(when);
    }
    two_versions_free(&t);
}

Test(hostile_write, concurrent_compiles_of_one_setting_end_whole, .timeout = 600)
{
    two_versions t;
    two_versions_init(&t);
    for (int i = 0; i < 5; i++) {
        char *cmd = xasprintf("cd '%s' && ('%s' compile -q -o '%s' '%s' & '%s' compile -q -o '%s' "
                              "'%s' & wait %%1; a=$?; wait %%2; echo $a $?)",
                              t.w.dir, aupc_bin(), t.w.out, t.w.profile, aupc_bin(), t.w.out, t.p2);
        run_result r = run_sh(cmd);
        cr_expect_str_eq(r.out, "0 0\n", "round %d: %s", i + 1, r.err);
        run_free(&r);
        free(cmd);
        expect_one_whole_set(&t, "two at once");
        char *left = leftovers(&t.w);
        cr_expect_str_eq(left, "", "temporary files left:\n%s", left);
        free(left);
    }
    two_versions_free(&t);
}

Test(hostile_write, other_files_in_the_set_folder_are_kept)
{
    workspace w;
    ws_init(&w);
    compile_first(&w);
    char *notes = xasprintf("%s/notes.txt", w.setting);
    write_text(notes, "minutes of the review\n");
    char *args = xasprintf("compile -q -f md -o '%s' '%s'", w.out, w.profile);
    run_result r = run_in(w.dir, NULL, args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *pdf = xasprintf("%s/staff.pdf", w.setting);
    struct stat st;
    cr_expect_eq(stat(pdf, &st), 0, "a compile of Markdown alone lost the PDFs");
    char *text = slurp(notes);
    cr_expect_str_eq(text ? text : "", "minutes of the review\n");
    free(text);
    free(pdf);
    run_free(&r);
    free(args);
    free(notes);
    ws_free(&w);
}

/* ------------------------------------------------------------------ */
/* Valgrind over representative runs: only with AUPC_VALGRIND=1 (make
 * test-valgrind), and never on the ASan binary. */

Test(valgrind, representative_commands, .timeout = 1200)
{
    if (!getenv("AUPC_VALGRIND"))
        cr_skip_test("set AUPC_VALGRIND=1 to run (make test-valgrind)");
    if (!have_program("valgrind"))
        cr_skip_test("valgrind is not installed");
    char *dir = make_tmpdir();
    char *ex = src_path("examples/oakfield-primary.xml");
    char *welsh = src_path("examples/ysgol-glan-y-mor.xml");
    char *hostile = src_path("tests/hostile");
    char *bad = xasprintf("%s/p.xml", dir);
    write_text(bad, base_profile);
    char *dup = xasprintf("%s/library-duplicate-id.d", hostile);
    const char *const cmds[] = {
        "--version",
        "compile -q -o {d}/out {ex}",
        "compile -q -f pdf -o {d}/out {welsh}",
        "compile -q -f docx -o {d}/out {ex} {welsh}",
        "compile -q -o {d}/out {h}/xxe-local-file.xml",
        "compile -q -o {d}/out {h}/invalid-utf8.xml",
        "compile -q -o {d}/out {h}/truncated.xml",
        "compile -q -o {d}/out {h}/many-errors.xml",
        "compile -q -o {d}/out {h}/utf16le.xml",
        "compile -q --library {dup} -o {d}/out {bad}",
        "statements --audience pupil-ks2",
        "init --kind special",
        "lint {h}/lint-nul-bytes.md",
        "diff {ex} {welsh}",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char *a = replace_all(cmds[i], "{d}", dir);
        char *b = replace_all(a, "{ex}", ex);
        char *c = replace_all(b, "{welsh}", welsh);
        char *e = replace_all(c, "{h}", hostile);
        char *f = replace_all(e, "{dup}", dup);
        char *args = replace_all(f, "{bad}", bad);
        char *cmd = xasprintf("NO_COLOR=1 valgrind -q --error-exitcode=99 --leak-check=full "
                              "--errors-for-leak-kinds=definite '%s' %s", aupc_bin(), args);
        run_result r = run_sh(cmd);
        cr_expect(r.status != 99, "valgrind found errors in 'aupc %s':\n%.4000s", args, r.err);
        cr_expect(r.status >= 0 && r.status < 128, "'aupc %s' died: %s", args, r.err);
        run_free(&r);
        free(cmd);
        free(args);
        free(f);
        free(e);
        free(c);
        free(b);
        free(a);
    }
    remove_tree(dir);
    free(dup);
    free(bad);
    free(hostile);
    free(welsh);
    free(ex);
    free(dir);
}
