/* Where output goes: `diff -o` writes a regular file or nothing, never
 * through a device, a pipe, a link or over one of its own inputs; and
 * every command notices when standard output cannot take what it writes
 * (a full disk, a closed pipe) instead of exiting 0 with half a report. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "util/io.h"

static const char *aupc_bin(void)
{
    const char *bin = getenv("AUPC");
    return bin ? bin : AUPC_BUILD_ROOT "/aupc";
}

/* aupc ARGS from the source root. */
static run_result aupc_in_root(const char *args)
{
    char *root = src_path("");
    char *cmd = xasprintf("cd '%s' && NO_COLOR=1 '%s' %s", root, aupc_bin(), args);
    run_result r = run_sh(cmd);
    free(cmd);
    free(root);
    return r;
}

static void copy_file(const char *from, const char *to)
{
    char *data = slurp(from);
    cr_assert_not_null(data, "cannot read %s", from);
    write_text(to, data);
    free(data);
}

/* ---- diff -o ---- */

typedef struct {
    char *dir, *old_md, *new_md;
} pair_dir;

static void pair_init(pair_dir *p)
{
    p->dir = make_tmpdir();
    p->old_md = xasprintf("%s/old.md", p->dir);
    p->new_md = xasprintf("%s/new.md", p->dir);
    char *o = src_path("examples/review/draft-2025.md"), *n = src_path("examples/review/draft-2026.md");
    copy_file(o, p->old_md);
    copy_file(n, p->new_md);
    free(o);
    free(n);
}

static void pair_free(pair_dir *p)
{
    remove_tree(p->dir);
    free(p->dir);
    free(p->old_md);
    free(p->new_md);
}

/* diff -o TARGET must refuse with exit 2, naming TARGET and saying WHY,
 * and leave what is at TARGET as it was (same type, same inode). */
static void expect_refused(const pair_dir *p, const char *target, const char *why)
{
    struct stat before, after;
    cr_assert_eq(lstat(target, &before), 0, "%s", target);
    char *args = xasprintf("diff -f md -o '%s' '%s' '%s'", target, p->old_md, p->new_md);
    run_result r = aupc_in_root(args);
    cr_expect_eq(r.status, 2, "%s: exit %d: %s", args, r.status, r.err);
    cr_expect(strstr(r.err, target), "the message does not name %s: %s", target, r.err);
    cr_expect(strstr(r.err, why), "%s: the message lacks '%s': %s", target, why, r.err);
    cr_expect_str_eq(r.out, "", "nothing on stdout");
    cr_assert_eq(lstat(target, &after), 0, "%s is gone", target);
    cr_expect_eq(after.st_mode & S_IFMT, before.st_mode & S_IFMT, "%s changed type", target);
    cr_expect_eq(after.st_ino, before.st_ino, "%s was replaced", target);
    run_free(&r);
    free(args);
}

Test(output_file, diff_refuses_a_fifo_folder_symlink_and_device)
{
    pair_dir p;
    pair_init(&p);
    char *fifo = xasprintf("%s/pipe", p.dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    expect_refused(&p, fifo, "named pipe");

    char *folder = xasprintf("%s/folder", p.dir);
    cr_assert_eq(mkdir(folder, 0755), 0);
    expect_refused(&p, folder, "folder");

    char *victim = xasprintf("%s/victim.txt", p.dir), *link = xasprintf("%s/link.md", p.dir);
    write_text(victim, "precious\n");
    cr_assert_eq(symlink(victim, link), 0);
    expect_refused(&p, link, "symbolic link");
    char *text = slurp(victim);
    cr_expect_str_eq(text, "precious\n", "written through the link");
    free(text);
    /* A link to nowhere is refused too: following it would create a file
     * wherever it points. */
    char *dangling = xasprintf("%s/dangling.md", p.dir), *nowhere = xasprintf("%s/nowhere", p.dir);
    cr_assert_eq(symlink(nowhere, dangling), 0);
    expect_refused(&p, dangling, "symbolic link");
    cr_expect_neq(access(nowhere, F_OK), 0, "a file was made through a dangling link");

    /* A device: a copy of /dev/null made here when allowed (as root), so
     * a faulty aupc could never break the real one; else /dev/null itself,
     * which a user without rights over /dev could not replace anyway. */
    char *dev = xasprintf("%s/null", p.dir);
    if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0)
        expect_refused(&p, dev, "device");
    else if (geteuid() != 0)
        expect_refused(&p, "/dev/null", "device");
    free(dev);
    free(nowhere);
    free(dangling);
    free(link);
    free(victim);
    free(folder);
    free(fifo);
    pair_free(&p);
}

Test(output_file, diff_refuses_to_overwrite_its_inputs)
{
    pair_dir p;
    pair_init(&p);
    char *before = slurp(p.new_md);
    /* By name, by another spelling of the name, and by a hard link. */
    char *other = xasprintf("%s/./new.md", p.dir), *hard = xasprintf("%s/hard.md", p.dir);
    cr_assert_eq(link(p.new_md, hard), 0);
    const char *targets[] = {p.new_md, p.old_md, other, hard};
    for (size_t i = 0; i < 4; i++) {
        expect_refused(&p, targets[i], "files being compared");
        char *now = slurp(p.new_md);
        cr_expect_str_eq(now, before, "new.md was overwritten by -o %s", targets[i]);
        free(now);
    }
    /* Profiles too. */
    char *root = src_path("");
    char *args = xasprintf("diff -o '%s/examples/review/2026.xml' '%s/examples/review/2025.xml' "
                           "'%s/examples/review/2026.xml'", root, root, root);
    run_result r = aupc_in_root(args);
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, "one of the files being compared"), "%s", r.err);
    run_free(&r);
    free(args);
    free(root);
    free(hard);
    free(other);
    free(before);
    pair_free(&p);
}

Test(output_file, diff_writes_a_new_or_regular_file)
{
    pair_dir p;
    pair_init(&p);
    char *out = xasprintf("%s/review.md", p.dir);
    char *args = xasprintf("diff -f md -o '%s' '%s' '%s'", out, p.old_md, p.new_md);
    run_result r = aupc_in_root(args);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect_str_eq(r.err, "");
    struct stat st;
    cr_assert_eq(lstat(out, &st), 0);
    cr_expect(S_ISREG(st.st_mode) && st.st_size > 0);
    run_free(&r);
    /* An existing regular file is replaced. */
    write_text(out, "old contents\n");
    r = aupc_in_root(args);
    cr_expect_eq(r.status, 1, "%s", r.err);
    char *text = slurp(out);
    cr_expect_null(strstr(text, "old contents"));
    cr_expect(strstr(text, "Ms Grace Adeyemi"), "%s", text);
    free(text);
    run_free(&r);
    /* A hidden name is the user's choice, and fine. */
    char *hidden = xasprintf("%s/.review.md", p.dir);
    free(args);
    args = xasprintf("diff -f md -o '%s' '%s' '%s'", hidden, p.old_md, p.new_md);
    r = aupc_in_root(args);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect_eq(access(hidden, F_OK), 0);
    run_free(&r);
    free(hidden);
    free(args);
    free(out);
    pair_free(&p);
}

Test(output_file, io_output_check_reasons)
{
    char *dir = make_tmpdir();
    char *f = xasprintf("%s/f", dir), *l = xasprintf("%s/l", dir);
    write_text(f, "x");
    cr_assert_eq(symlink(f, l), 0);
    io_file_id id;
    cr_assert_eq(io_file_id_of(f, &id), 0);
    const char *why;
    int input;
    cr_expect_eq(io_output_check(f, NULL, 0, &why, &input), 0);
    cr_expect_eq(io_output_check(f, &id, 1, &why, &input), EINVAL);
    cr_expect_eq(input, 0);
    cr_expect_eq(io_output_check(l, NULL, 0, &why, &input), ELOOP);
    cr_expect_str_eq(why, "it is a symbolic link");
    cr_expect_eq(io_output_check(dir, NULL, 0, &why, &input), EISDIR);
    char *missing = xasprintf("%s/new", dir);
    cr_expect_eq(io_output_check(missing, &id, 1, &why, &input), 0);
    free(missing);
    free(l);
    free(f);
    remove_tree(dir);
    free(dir);
}

/* ---- standard output ---- */

/* Every command that prints a report, a profile or help. */
static const char *const printing[] = {
    "lint examples/review/draft-2026.md",
    "lint -f junit examples/review/draft-2026.md",
    "check examples/oakfield-primary.xml",
    "check -f junit examples/oakfield-primary.xml",
    "statements",
    "statements --audience pupil-ks2",
    "init --kind primary",
    "diff examples/review/2025.xml examples/review/2026.xml",
    "diff -f json examples/review/draft-2025.md examples/review/draft-2026.md",
    "--help",
    "--version",
    "compile --help",
};

Test(stdout_checked, full_disk_is_an_io_error, .timeout = 120)
{
    if (access("/dev/full", W_OK) != 0)
        cr_skip_test("no /dev/full");
    for (size_t i = 0; i < sizeof printing / sizeof printing[0]; i++) {
        char *args = xasprintf("%s >/dev/full", printing[i]);
        run_result r = aupc_in_root(args);
        cr_expect_eq(r.status, 3, "'aupc %s' exit %d, expected 3: %s", args, r.status, r.err);
        cr_expect(strstr(r.err, "cannot write to standard output"), "'aupc %s': %s", args,
                  r.err);
        run_free(&r);
        free(args);
    }
}

/* Run aupc ARGS (a shell word list) from the source root with standard
 * output a pipe nobody reads: its reading end is closed before aupc starts,
 * so the first write fails at once. Returns the exit status (-1: a signal)
 * and stderr in *ERR. */
static int run_into_closed_pipe(const char *args, char **err)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    /* closed here, not after the fork: a child quick to write would find
       the parent still holding it open, and its write would succeed */
    close(fds[0]);
    char *dir = make_tmpdir();
    char *errfile = xasprintf("%s/err", dir);
    char *root = src_path("");
    char *cmd = xasprintf("cd '%s' && exec '%s' %s 2>'%s'", root, aupc_bin(), args, errfile);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        /* SIGPIPE at its default, as a shell would leave it. */
        signal(SIGPIPE, SIG_DFL);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    *err = slurp(errfile);
    if (!*err)
        *err = xstrdup("");
    remove_tree(dir);
    free(dir);
    free(errfile);
    free(root);
    free(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(stdout_checked, closed_pipe_is_an_io_error, .timeout = 120)
{
    for (size_t i = 0; i < sizeof printing / sizeof printing[0]; i++) {
        char *err;
        int status = run_into_closed_pipe(printing[i], &err);
        cr_expect_eq(status, 3, "'aupc %s' into a closed pipe: exit %d, expected 3: %s",
                     printing[i], status, err);
        cr_expect(strstr(err, "cannot write to standard output"), "'aupc %s': %s", printing[i],
                  err);
        free(err);
    }
}

Test(stdout_checked, closed_stdout_is_an_io_error)
{
    run_result r = aupc_in_root("init --kind special >&-");
    cr_expect_eq(r.status, 3, "%s", r.err);
    cr_expect(strstr(r.err, "cannot write to standard output"), "%s", r.err);
    run_free(&r);
    /* Nothing printed, nothing to fail: compile reports on stderr. */
    char *dir = make_tmpdir();
    char *args = xasprintf("compile -q -f md -o '%s' examples/oakfield-primary.xml >/dev/full", dir);
    r = aupc_in_root(args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(args);
    remove_tree(dir);
    free(dir);
}
