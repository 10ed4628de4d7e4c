#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/io.h"

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
