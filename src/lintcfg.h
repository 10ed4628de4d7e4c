/* lintcfg: a policy repository's .aupc.ini, read with inih. It says which
 * drafts `aupc lint` checks and how, the way .vale.ini does for Vale:
 *
 *     [lint]
 *     files = drafts/               ; what a bare `aupc lint` checks
 *     ignore = drafts/archive/      ; never checked, however named
 *     fail-level = warning
 *     min-level = warning
 *     [audience]                    ; the reader, by path
 *     drafts/ks2-*.md = pupil-ks2
 *     [disable]                     ; principles off, by path, with a reason
 *     drafts/community.md = concise: the hall hire terms are attached
 *
 * Globs are relative to the folder of the .aupc.ini (util/paths.h); a value
 * may continue on indented lines. Problems are returned as diagnostics at
 * the file's line. */
#ifndef AUPC_LINTCFG_H
#define AUPC_LINTCFG_H

#include <stdbool.h>

#include "diag.h"
#include "util/paths.h"

typedef struct {
    char *glob;
    char *value;
    int line;
} lintcfg_rule;

typedef struct {
    char *path;                 /* the .aupc.ini as found */
    char *dir;                  /* its folder, absolute */
    path_list files, ignore;    /* globs */
    lintcfg_rule *audiences, *disables;
    size_t naudiences, ndisables;
    bool has_fail, has_min;
    diag_severity fail_level, min_level;
} lintcfg;

/* The nearest .aupc.ini in DIR or a folder above it; NULL when none.
 * Owned. */
char *lintcfg_find(const char *dir);
/* Read PATH. NULL, with the reason in DIAGS, when it cannot be read or
 * holds an error; warnings (an unknown key) leave it usable. */
lintcfg *lintcfg_load(const char *path, diag_list *diags);
void lintcfg_free(lintcfg *c);

/* FILE relative to the config's folder, or NULL when it is not below it.
 * Owned. */
char *lintcfg_relative(const lintcfg *c, const char *file);
bool lintcfg_ignored(const lintcfg *c, const char *file);
/* The audience for FILE: the last [audience] glob that matches; NULL. */
const char *lintcfg_audience(const lintcfg *c, const char *file);
/* The files= globs expanded, relative to the working folder; 0 or an
 * errno. */
int lintcfg_files(const lintcfg *c, path_list *out);

/* A commented starter, for `aupc lint --init-config`. */
extern const char lintcfg_starter[];

#endif
