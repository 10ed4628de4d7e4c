#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/escape.h"
#include "util/io.h"
#include "util/utf8.h"

static char tmpdir[] = "/tmp/aupc-test-XXXXXX";

static void make_tmp(void)
{
    cr_assert_not_null(mkdtemp(tmpdir));
}

Test(io, write_atomic_creates_file_with_content, .init = make_tmp)
{
    cr_assert_eq(io_write_atomic(tmpdir, "a.md", "hello\n", 6), 0);
    char *path = xasprintf("%s/a.md", tmpdir);
    char *data;
    size_t len;
    const char *err;
    cr_assert_eq(io_read_file(path, &data, &len, &err), 0);
    cr_assert_eq(len, 6);
    cr_assert_str_eq(data, "hello\n");
    free(data);
    unlink(path);
    free(path);
    rmdir(tmpdir);
}

Test(io, write_atomic_replaces_planted_symlink, .init = make_tmp)
{
    char *target = xasprintf("%s/target", tmpdir);
    char *link = xasprintf("%s/doc.md", tmpdir);
    cr_assert_eq(io_write_atomic(tmpdir, "target", "keep", 4), 0);
    cr_assert_eq(symlink(target, link), 0);
    cr_assert_eq(io_write_atomic(tmpdir, "doc.md", "new", 3), 0);
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISREG(st.st_mode), "the link was written through instead of replaced");
    char *data;
    size_t len;
    const char *err;
    cr_assert_eq(io_read_file(target, &data, &len, &err), 0);
    cr_assert_str_eq(data, "keep");
    free(data);
    unlink(link);
    unlink(target);
    rmdir(tmpdir);
    free(target);
    free(link);
}

Test(io, write_atomic_rejects_paths_in_names)
{
    cr_assert_eq(io_write_atomic("/tmp", "../x", "", 0), EINVAL);
    cr_assert_eq(io_write_atomic("/tmp", ".hidden", "", 0), EINVAL);
}

Test(io, read_missing_file_reports_error)
{
    char *data;
    size_t len;
    const char *err;
    cr_assert_neq(io_read_file("/nonexistent/aupc", &data, &len, &err), 0);
    cr_assert_not_null(err);
}

/* Read whole and NUL-terminated, whatever the size: empty, one byte short
 * of the buffer's first size, and larger than one read. */
Test(io, read_file_whole_at_any_size, .init = make_tmp)
{
    static const size_t sizes[] = {0, 1, 255, 256, 4096, 200001};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *want = malloc(sizes[i] + 1);
        for (size_t k = 0; k < sizes[i]; k++)
            want[k] = (char)('a' + (k * 7 + i) % 26);
        cr_assert_eq(io_write_atomic(tmpdir, "f", want, sizes[i]), 0);
        char *path = xasprintf("%s/f", tmpdir), *data;
        size_t len;
        const char *err;
        cr_assert_eq(io_read_file(path, &data, &len, &err), 0, "%s", err);
        cr_expect_eq(len, sizes[i]);
        cr_expect(memcmp(data, want, len) == 0, "%zu bytes read back wrong", sizes[i]);
        cr_expect_eq(data[len], '\0', "%zu bytes: no NUL after the data", sizes[i]);
        free(data);
        free(path);
        free(want);
    }
}

/* Where address space is limited (`ulimit -v`), a heap reservation larger
 * than what is left gets as much as there is, and the memory after it is
 * still there to use: lint of a long draft must not fail for having asked. */
Test(io, heap_reserve_under_address_limit)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || !defined(__GLIBC__)
    cr_skip_test("only glibc's own allocator takes the reservation");
#else
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        cr_skip_test("no /proc/self/statm");
    unsigned long pages = 0;
    cr_assert_eq(fscanf(f, "%lu", &pages), 1);
    fclose(f);
    size_t in_use = pages * (size_t)sysconf(_SC_PAGESIZE), room = (size_t)96 << 20;
    struct rlimit lim = {in_use + room, in_use + room};
    cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
    char *before = sbrk(0);
    io_heap_reserve((size_t)1 << 30);
    size_t grown = (size_t)((char *)sbrk(0) - before);
    cr_expect_geq(grown, (size_t)16 << 20, "the heap grew by only %zu bytes", grown);
    cr_expect_lt(grown, room);
    /* 48 MiB in small blocks, as lint asks for them */
    enum { BLOCKS = 48 * 1024 };
    char **blocks = malloc(BLOCKS * sizeof *blocks);
    cr_assert_not_null(blocks);
    for (size_t i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(1000);
        cr_assert_not_null(blocks[i], "block %zu of %d", i, BLOCKS);
        memset(blocks[i], (int)i, 1000);
    }
    for (size_t i = 0; i < BLOCKS; i++)
        free(blocks[i]);
    free(blocks);
#endif
}

/* ---- util/utf8 and util/escape ---- */

static uint32_t decode_one(const char *s, size_t *n)
{
    uint32_t cp;
    *n = utf8_decode(s, strlen(s) ? strlen(s) : 1, &cp);
    return cp;
}

Test(utf8, decodes_and_replaces_malformed_bytes)
{
    size_t n;
    cr_expect_eq(decode_one("A", &n), 'A');
    cr_expect_eq(n, 1);
    cr_expect_eq(decode_one("\xc5\xb5", &n), 0x175);         /* w circumflex */
    cr_expect_eq(n, 2);
    cr_expect_eq(decode_one("\xe2\x80\x99", &n), 0x2019);
    cr_expect_eq(n, 3);
    cr_expect_eq(decode_one("\xf0\x9f\x98\x80", &n), 0x1F600);
    cr_expect_eq(n, 4);
    cr_expect_eq(decode_one("\xef\xbf\xbd", &n), UTF8_REPLACEMENT);  /* the real one */
    cr_expect_eq(n, 3);
    static const char *const bad[] = {
        "\xff", "\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80",
        "\xf4\x90\x80\x80", "\xe2\x80", "\xe2\x28\xa1", "\xf8\x88\x80\x80\x80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_expect_eq(decode_one(bad[i], &n), UTF8_REPLACEMENT, "bad[%zu]", i);
        cr_expect_eq(n, 1, "bad[%zu] took %zu bytes", i, n);
        cr_expect_eq(utf8_valid(bad[i]), 0, "bad[%zu]", i);
    }
    uint32_t cp;
    cr_expect_eq(utf8_decode("\xe2\x80\x99", 2, &cp), 1, "cut short by LEFT");
    cr_expect_eq(cp, UTF8_REPLACEMENT);
    cr_expect_eq(utf8_valid(""), 0);
    cr_expect_eq(utf8_valid("\xc3\xa9x"), 2);
}

static char *escaped(void (*esc)(strbuf *, const char *), const char *s)
{
    strbuf b = {0};
    esc(&b, s);
    return b.data ? b.data : xstrdup("");
}

Test(escape, markup_xml_and_json)
{
    char *s = escaped(esc_markup, "<a href=\"x\">Tom & Jerry's</a>");
    cr_expect_str_eq(s, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry's&lt;/a&gt;");
    free(s);
    s = escaped(esc_markup, NULL);
    cr_expect_str_eq(s, "");
    free(s);
    s = escaped(esc_xml, "<a href=\"x\">Tom & Jerry's</a>\x02\t\xff\xc3\xa9");
    cr_expect_str_eq(s, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;&#9;"
                        "\xef\xbf\xbd\xc3\xa9");
    free(s);
    s = escaped(esc_xml, "a\xef\xbf\xbe\xef\xbf\xbf" "b\xef\xbf\xbd");
    cr_expect_str_eq(s, "ab\xef\xbf\xbd", "U+FFFE and U+FFFF dropped, U+FFFD kept");
    free(s);
    s = escaped(esc_json, "a\"b\\c\nd\te\x01 \xc3\xa9 \xff\r\x7f");
    cr_expect_str_eq(s, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa9 \\ufffd\\r\\u007f\"");
    free(s);
    s = escaped(esc_json, NULL);
    cr_expect_str_eq(s, "\"\"");
    free(s);
}
