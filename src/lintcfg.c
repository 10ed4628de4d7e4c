#include "lintcfg.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "audience.h"
#include "util/io.h"

const char lintcfg_starter[] =
    "# .aupc.ini: how `aupc lint` checks the drafts in this repository.\n"
    "# aupc reads the nearest one in a draft's folder or a folder above it.\n"
    "# Globs are relative to this file's folder: * and ? within one folder\n"
    "# name, ** for any number of folders, a name ending in / for all below.\n"
    "\n"
    "[lint]\n"
    "# What a bare `aupc lint` checks; several globs may be given, one per\n"
    "# line or separated by spaces.\n"
    "files = drafts/**/*.md\n"
    "# Never checked, even when named on the command line.\n"
    "ignore = drafts/archive/\n"
    "# The least severe finding that fails the run: note, warning or error.\n"
    "fail-level = error\n"
    "# The least severe finding printed at all.\n"
    "min-level = note\n"
    "\n"
    "[audience]\n"
    "# Who reads the drafts a glob matches, when a draft's own\n"
    "# <!-- aupc: audience=... --> comment does not say. The last match wins.\n"
    "# drafts/pupils/ks2/*.md = pupil-ks2\n"
    "# drafts/staff*.md = staff\n"
    "\n"
    "[disable]\n"
    "# Principles switched off for the drafts a glob matches, with the\n"
    "# reason a reviewer will read: GLOB = ID[, ID...]: reason\n"
    "# drafts/community.md = concise: the hall hire terms are attached\n";

/* P as the messages name it: relative to the working folder when below it. */
static char *shorter(char *p)
{
    char cwd[PATH_MAX];
    size_t n;
    if (!getcwd(cwd, sizeof cwd) || strncmp(p, cwd, n = strlen(cwd)) != 0 || p[n] != '/' ||
        n == 1)
        return p;
    char *s = xstrdup(p + n + 1);
    free(p);
    return s;
}

char *lintcfg_find(const char *dir)
{
    char buf[PATH_MAX];
    if (!realpath(dir, buf))
        return NULL;
    for (;;) {
        char *p = xasprintf("%s%s.aupc.ini", buf, strcmp(buf, "/") ? "/" : "");
        if (access(p, F_OK) == 0)
            return shorter(p);
        free(p);
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf) {
            if (!strcmp(buf, "/"))
                return NULL;
            strcpy(buf, "/");
            continue;
        }
        *slash = '\0';
    }
}

typedef struct {
    lintcfg *c;
    diag_list *diags;
    FILE *f;
    int line;           /* of the line inih has just read */
    int errors;
} cfg_reader;

/* inih reads through this, so each call of the handler knows its line. */
static char *read_line(char *str, int num, void *stream)
{
    cfg_reader *r = stream;
    char *s = fgets(str, num, r->f);
    if (s)
        r->line++;
    return s;
}

static void add_globs(path_list *l, const char *value)
{
    char *copy = xstrdup(value);
    char *save = NULL;
    for (char *t = strtok_r(copy, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save))
        paths_add(l, xstrdup(t));
    free(copy);
}

static void add_rule(lintcfg_rule **rules, size_t *n, const char *glob, const char *value,
                     int line)
{
    *rules = xrealloc(*rules, (*n + 1) * sizeof **rules);
    (*rules)[(*n)++] = (lintcfg_rule){xstrdup(glob), xstrdup(value), line};
}

static int level(cfg_reader *r, const char *key, const char *value, diag_severity *out, bool *has)
{
    if (diag_severity_parse(value, out) != 0) {
        diag_add(r->diags, DIAG_ERROR, r->c->path, r->line, 1, NULL,
                 "%s '%s' is not a level: write note, warning or error", key, value);
        r->errors++;
        return 1;
    }
    *has = true;
    return 1;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    cfg_reader *r = user;
    lintcfg *c = r->c;
    if (!strcmp(section, "lint")) {
        if (!strcmp(name, "files"))
            add_globs(&c->files, value);
        else if (!strcmp(name, "ignore"))
            add_globs(&c->ignore, value);
        else if (!strcmp(name, "fail-level"))
            return level(r, name, value, &c->fail_level, &c->has_fail);
        else if (!strcmp(name, "min-level"))
            return level(r, name, value, &c->min_level, &c->has_min);
        else
            diag_add(r->diags, DIAG_WARNING, c->path, r->line, 1, NULL,
                     "unknown key '%s' in [lint] (known: files, ignore, fail-level, "
                     "min-level): it is ignored", name);
    } else if (!strcmp(section, "audience")) {
        bool easy;
        if (!audience_find(value, &easy) && audience_kind_of(value) < 0) {
            char *ids = audience_list(AUDIENCE_LIST_IDS, ", ", " or ");
            diag_add(r->diags, DIAG_ERROR, c->path, r->line, 1, NULL,
                     "unknown audience '%s' for %s: expected %s, with -easy for easy read",
                     value, name, ids);
            free(ids);
            r->errors++;
        } else {
            add_rule(&c->audiences, &c->naudiences, name, value, r->line);
        }
    } else if (!strcmp(section, "disable")) {
        const char *colon = strchr(value, ':');
        const char *why = colon ? colon + 1 : "";
        while (*why == ' ' || *why == '\t')
            why++;
        if (!*why) {
            diag_add(r->diags, DIAG_ERROR, c->path, r->line, 1, NULL,
                     "the principles switched off for %s need a reason: write "
                     "%s = ID: why", name, name);
            r->errors++;
        } else {
            add_rule(&c->disables, &c->ndisables, name, value, r->line);
        }
    } else {
        diag_add(r->diags, DIAG_WARNING, c->path, r->line, 1, NULL,
                 "unknown section [%s] (known: lint, audience, disable): it is ignored",
                 section);
    }
    return 1;
}

lintcfg *lintcfg_load(const char *path, diag_list *diags)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, NULL, "cannot read the configuration: %s",
                 strerror(errno));
        return NULL;
    }
    lintcfg *c = xcalloc(1, sizeof *c);
    c->path = xstrdup(path);
    char buf[PATH_MAX];
    char *slash = strrchr(c->path, '/');
    char *folder = slash ? xstrndup(c->path, (size_t)(slash - c->path + (slash == c->path)))
                         : xstrdup(".");
    c->dir = xstrdup(realpath(folder, buf) ? buf : folder);
    free(folder);
    cfg_reader r = {c, diags, f, 0, 0};
    int rc = ini_parse_stream(read_line, &r, on_value, &r);
    fclose(f);
    if (rc > 0) {
        diag_add(diags, DIAG_ERROR, path, rc, 1, NULL,
                 "this line is not a [section] or a key = value");
        r.errors++;
    } else if (rc != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, 0, NULL, "cannot read the configuration");
        r.errors++;
    }
    if (r.errors) {
        lintcfg_free(c);
        return NULL;
    }
    return c;
}

static void free_rules(lintcfg_rule *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].glob);
        free(r[i].value);
    }
    free(r);
}

void lintcfg_free(lintcfg *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->dir);
    paths_free(&c->files);
    paths_free(&c->ignore);
    free_rules(c->audiences, c->naudiences);
    free_rules(c->disables, c->ndisables);
    free(c);
}

char *lintcfg_relative(const lintcfg *c, const char *file)
{
    char buf[PATH_MAX];
    if (!realpath(file, buf))
        return NULL;
    size_t n = strlen(c->dir);
    if (!strcmp(c->dir, "/"))
        return xstrdup(buf + 1);
    if (strncmp(buf, c->dir, n) != 0 || buf[n] != '/')
        return NULL;
    return xstrdup(buf + n + 1);
}

bool lintcfg_ignored(const lintcfg *c, const char *file)
{
    char *rel = lintcfg_relative(c, file);
    bool hit = false;
    for (size_t i = 0; rel && !hit && i < c->ignore.count; i++)
        hit = paths_match(c->ignore.items[i], rel);
    free(rel);
    return hit;
}

const char *lintcfg_audience(const lintcfg *c, const char *file)
{
    char *rel = lintcfg_relative(c, file);
    const char *a = NULL;
    for (size_t i = 0; rel && i < c->naudiences; i++)
        if (paths_match(c->audiences[i].glob, rel))
            a = c->audiences[i].value;
    free(rel);
    return a;
}

int lintcfg_files(const lintcfg *c, path_list *out)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return errno;
    size_t n = strlen(cwd);
    /* the config's folder as seen from here */
    const char *prefix = !strcmp(c->dir, cwd) ? ""
                       : !strncmp(c->dir, cwd, n) && c->dir[n] == '/' ? c->dir + n + 1 : NULL;
    int rc = 0;
    for (size_t i = 0; i < c->files.count; i++) {
        char *pat = prefix ? (*prefix ? xasprintf("%s/%s", prefix, c->files.items[i])
                                      : xstrdup(c->files.items[i]))
                           : xasprintf("%s/%s", c->dir, c->files.items[i]);
        path_list got = {0};
        int e = paths_glob(pat, &got);
        if (e && !rc)
            rc = e;
        for (size_t k = 0; k < got.count; k++) {
            bool dup = false;
            for (size_t m = 0; m < out->count && !dup; m++)
                dup = !strcmp(out->items[m], got.items[k]);
            if (dup)
                free(got.items[k]);
            else
                paths_add(out, got.items[k]);
        }
        free(got.items);
        free(pat);
    }
    return rc;
}
