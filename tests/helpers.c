#include "helpers.h"

#include <criterion/criterion.h>
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
