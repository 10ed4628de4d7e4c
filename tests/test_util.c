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
