/* aupc: the command line. Each subcommand parses its options, calls the
 * library stages and prints what they report. */
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cli.h"
#include "diag.h"
#include "render_pdf.h"
#include "util/io.h"
#include "util/escape.h"
#include "util/suggest.h"

static int help(int argc, char **argv);

/* Every command: its synopsis and one line of what it does for the usage,
 * the list an unknown command is told, and "did you mean". */
static const struct {
    const char *name;
    const char *synopsis;
    const char *summary;
    int (*run)(int, char **);
} commands[] = {
    {"compile", "compile PROFILE...", "write every audience's AUP (see aupc compile --help)",
     cli_compile},
    {"check", "check PROFILE...", "hold each audience's AUP to the principles, as a checklist",
     cli_check},
    {"lint", "lint FILE.md...", "check hand-written Markdown drafts against the principles",
     cli_lint},
    {"statements", "statements", "list the statement library, or one reader's texts",
     cli_statements},
    {"init", "init --kind KIND", "print a starter profile for a kind of setting", cli_init},
    {"diff", "diff OLD NEW", "what changed between two profiles or two drafts", cli_diff},
    {"serve", "serve", "the questionnaire and live documents in the browser", cli_serve},
    {"help", "help [COMMAND]", "this help, or a command's own", help},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static void print_usage(FILE *out)
{
    fputs("usage: aupc COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "Compile, check and compare acceptable use policies for schools and\n"
          "children's services.\n"
          "\n"
          "commands:\n", out);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-20s  %s\n", commands[i].synopsis, commands[i].summary);
    fputs("\n"
          "options:\n"
          "  -h, --help            show this help (aupc help COMMAND, or aupc COMMAND\n"
          "                        --help, for a command)\n"
          "  -V, --version         show the version\n"
          "\n"
          "Exit status: 0 success, 1 invalid input or findings, 2 usage error,\n"
          "3 I/O or internal error. See aupc(1) and aupc-profile(5).\n", out);
}

/* A report that did not reach its reader must not end in success: flush
 * and close standard output and say so when that fails (a full disk, a
 * closed pipe), exiting 3. RC is what the command returned; a command that
 * already failed on I/O has said why. */
static int close_stdout(int rc)
{
    errno = 0;
    bool failed = fflush(stdout) != 0;
    int e = errno;
    failed |= ferror(stdout) != 0;
    if (fclose(stdout) != 0 && !failed) {
        failed = true;
        e = errno;
    }
    if (!failed)
        return rc;
    if (rc != EXIT_IO) {
        if (e)
            fprintf(stderr, "aupc: cannot write to standard output: %s\n", strerror(e));
        else
            fputs("aupc: cannot write to standard output: what was printed is incomplete\n",
                  stderr);
    }
    return EXIT_IO;
}

static int run(int argc, char **argv);

static int find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return i;
    return -1;
}

/* "compile, check, ... or help", from the table. */
static const char *command_list(void)
{
    static char list[256];
    size_t n = 0;
    for (int i = 0; i < NCOMMANDS; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
                              !i ? "" : i + 1 < NCOMMANDS ? ", " : " or ", commands[i].name);
    return list;
}

static int unknown_command(const char *cmd)
{
    const char *names[NCOMMANDS];
    for (int i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    const char *near = cmd[0] == '-' ? NULL : suggest_nearest(cmd, names, NCOMMANDS);
    char *shown = esc_text_dup(cmd);
    cmd = shown;
    if (cmd[0] == '-')
        fprintf(stderr, "aupc: error: unknown option '%s': a command comes first\n", cmd);
    else if (near)
        fprintf(stderr, "aupc: error: unknown command '%s': did you mean %s?\n", cmd, near);
    else
        fprintf(stderr, "aupc: error: unknown command '%s': expected %s\n", cmd,
                command_list());
    fputs("see aupc --help\n", stderr);
    free(shown);
    return EXIT_USAGE;
}

/* aupc help [COMMAND]: the command's own --help. */
static int help(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        print_usage(stdout);
        return 0;
    }
    int i = find_command(argv[1]);
    if (i < 0)
        return unknown_command(argv[1]);
    char *args[] = {(char *)commands[i].name, "--help", NULL};
    return commands[i].run(2, args);
}

int main(int argc, char **argv)
{
    /* A reader that goes away (aupc lint ... | head) makes writes fail with
     * EPIPE, which close_stdout reports, rather than killing aupc silently. */
    signal(SIGPIPE, SIG_IGN);
    return close_stdout(run(argc, argv));
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "aupc: error: no command given: expected %s\nsee aupc --help\n",
                command_list());
        return EXIT_USAGE;
    }
    /* aupc lives for a moment and allocates in bursts: zlib takes and gives
     * back 256 KB for every PDF stream. Keep what is freed for the next
     * burst instead of returning it to the kernel and faulting it in again,
     * page by page, a moment later. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    /* Set up libxml2 once, before any thread of a batch compile uses it. */
    xmlInitParser();
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        print_usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("aupc %s\n", AUPC_VERSION);
        return 0;
    }
    int i = find_command(cmd);
    if (i < 0)
        return unknown_command(cmd);
    int rc = commands[i].run(argc - 1, argv + 1);
    pdf_thread_done();
    return rc;
}
