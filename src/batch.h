/* batch: compile many profiles at once, each into OUT/SETTING-ID/, all or
 * nothing per profile. Profiles run on up to JOBS threads; with more
 * threads than profiles, one profile's files are made in parallel, each
 * document (and the agreement, and each poster) a task of its own. The
 * statement library loads on a thread of its own while the first profiles
 * are read, and its findings come first: no profile is reported before the
 * library is known good, and a bad library ends the run with only its own.
 * batch prints nothing: the caller's functions get each result, one at a
 * time, under a lock. */
#ifndef AUPC_BATCH_H
#define AUPC_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "layout.h"
#include "profile.h"

/* How a profile (or the run) ended: the exit status it implies. */
enum { BATCH_OK = 0, BATCH_INVALID = 1, BATCH_IO = 3 };

typedef struct {
    const char *path;       /* the profile */
    int status;             /* BATCH_OK, BATCH_INVALID or BATCH_IO */
    size_t docs, files;
    const char *dir;        /* where its files went; NULL when it failed */
    const diag_list *diags; /* what was found, and what could not be written */
} batch_result;

typedef struct {
    const char *outdir;
    unsigned formats;             /* bit I: format_at(I) (format.h) */
    const pdf_options *font;      /* may be NULL */
    const char *library_dir;      /* NULL: the built-in library */
    int jobs;                     /* threads, at least 1 */
    void *ctx;                    /* for the functions below */
    /* Once, before any profile's result: the library's findings. */
    void (*library)(void *ctx, const diag_list *diags, bool ok);
    /* Each profile's result, as it finishes. */
    void (*report)(void *ctx, const batch_result *r);
} batch_options;

typedef struct {
    size_t done, failed, docs, files;
    int status;                   /* the worst status, BATCH_INVALID when the library failed */
} batch_summary;

/* Compile the N profiles at PATHS. */
void batch_run(char *const *paths, size_t n, const batch_options *o, batch_summary *out);

/* One file of a setting's output, made in memory. */
typedef struct {
    char *name;             /* as compile names it in the setting's folder */
    char *data;
    size_t len;
} batch_file;

/* Every file compile writes for DOCS, compiled from P, in FORMATS, made in
 * memory and written nowhere (aupc serve's zip): the same bytes and the
 * same warnings in *DIAGS. *FILES gets *NFILES files, to be freed with
 * batch_files_free. Returns BATCH_OK, or BATCH_IO with nothing kept when
 * a file could not be made (the reason in *DIAGS). */
int batch_render(const profile *p, const doc_set *docs, unsigned formats,
                 const pdf_options *font, batch_file **files, size_t *nfiles, diag_list *diags);
void batch_files_free(batch_file *files, size_t n);

#endif
