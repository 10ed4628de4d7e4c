#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "serve.h"

extern char **environ;

static const char serve_help[] =
    "usage: aupc serve [OPTIONS]\n"
    "\n"
    "Answer a questionnaire about your setting in the browser: the form writes\n"
    "the profile for you, shows each audience's policy and its checklist as you\n"
    "type, and hands over the profile and a zip of every document. Load last\n"
    "year's profile to start from it and see what changed. Nothing is stored on\n"
    "the server: each request carries the whole profile. Stop it with Ctrl-C.\n"
    "\n"
    "options:\n"
    "      --listen ADDR:PORT  where to listen (default: 127.0.0.1:8080, or a free\n"
    "                          port when 8080 is taken; port 0: any free port)\n"
    "      --open              open the page in the desktop's browser (xdg-open)\n"
    "      --max-clients N     requests worked on at once, 1 to 1024 (default 16);\n"
    "                          more wait their turn\n"
    "      --time-limit S      seconds a request may take to arrive, and to wait\n"
    "                          its turn, 1 to 3600 (default 30)\n"
    "      --library DIR       use the statement library in DIR instead of the\n"
    "                          built-in one\n"
    "  -h, --help              show this help\n"
    "\n"
    "The server has no login. On any address but loopback it belongs behind\n"
    "your own proxy, which decides who may use it.\n"
    "\n"
    "Exit status: 0 when stopped by Ctrl-C or SIGTERM, 2 on a usage error, 3 when\n"
    "it cannot listen or the statement library will not load.\n";

#define usage(...) cli_usage("serve", __VA_ARGS__)

static int parse_count(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (!*s || *end || n < (long)lo || n > (long)hi)
        return -1;
    *out = (unsigned)n;
    return 0;
}

/* Start the desktop's browser on URL, without waiting for it. */
static void open_browser(const char *url)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"xdg-open", (char *)url, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        fprintf(stderr, "aupc serve: cannot start a browser (xdg-open: %s); open %s yourself\n",
                strerror(rc), url);
}

int cli_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, 0, 'l'}, {"open", no_argument, 0, 'o'},
        {"max-clients", required_argument, 0, 'm'}, {"time-limit", required_argument, 0, 't'},
        {"library", required_argument, 0, 'L'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    serve_options o = {NULL, 16, 30, NULL};
    bool open = false;
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
        switch (c) {
        case 'l': o.listen = optarg; break;
        case 'o': open = true; break;
        case 'm':
            if (parse_count(optarg, 1, 1024, &o.max_clients) != 0)
                return usage("--max-clients wants a number from 1 to 1024, not '%s'", optarg);
            break;
        case 't':
            if (parse_count(optarg, 1, 3600, &o.time_limit) != 0)
                return usage("--time-limit wants seconds from 1 to 3600, not '%s'", optarg);
            break;
        case 'L': o.libdir = optarg; break;
        case 'h': fputs(serve_help, stdout); return EXIT_OK;
        default: return cli_bad_option("serve", opts, argv);
        }
    }
    if (optind < argc)
        return usage("unexpected argument '%s': serve takes only options", argv[optind]);
    char host[256], port[8];
    if (o.listen && serve_split_listen(o.listen, host, sizeof host, port, sizeof port) != 0)
        return usage("--listen wants an address and a port, such as 127.0.0.1:8080, [::1]:8080 "
                     "or 0.0.0.0:8080 (port 0: any free port), not '%s'", o.listen);
    /* Every thread inherits the mask, so only sigwait below sees the signal. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    diag_list d = {0};
    serve_server *s = serve_start(&o, &d);
    cli_print_diags(&d);
    diag_free(&d);
    if (!s)
        return EXIT_IO;
    printf("aupc serve: listening on %s (Ctrl-C to stop)\n", serve_url(s));
    fflush(stdout);
    if (serve_public(s))
        fprintf(stderr, "aupc serve: warning: listening on an address other machines can "
                "reach, and the server has no login: put it behind your own proxy, which "
                "decides who may use it\n");
    if (open)
        open_browser(serve_url(s));
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "aupc serve: stopping\n");
    serve_stop(s);
    return EXIT_OK;
}
