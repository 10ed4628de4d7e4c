#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "audience.h"
#include "compile.h"
#include "format.h"
#include "pack.h"
#include "render_pdf.h"
#include "util/io.h"

/* The formats' extensions, their names, and how many they are: from the
 * format registry. */
static const char compile_help[] =
    "usage: aupc compile [OPTIONS] PROFILE-OR-FOLDER...\n"
    "\n"
    "Write an acceptable use policy for every audience each profile asks for,\n"
    "as OUT/SETTING-ID/AUDIENCE-ID.{%s}. Nothing is written for a\n"
    "profile with errors; files are replaced atomically. A warning names any\n"
    "document whose core rules run past two A4 pages.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR      where to write (default: out)\n"
    "  -f, --format LIST     comma-separated formats: %s (default: %s)\n"
    "      --font REG[,BOLD] TrueType fonts for the PDF, e.g. a school's own typeface\n"
    "                        (default: Helvetica, or Liberation Sans when the text\n"
    "                        needs characters Helvetica lacks, such as w circumflex)\n"
    "      --library DIR     use the statement library in DIR instead of the built-in one\n"
    "  -j, --jobs N          compile N profiles at once, 1 to 256 (default: one per\n"
    "                        CPU, at most 64)\n"
    "  -q, --quiet           print nothing but diagnostics\n"
    "  -h, --help            show this help\n"
    "\n"
    "A folder stands for the .xml profiles directly inside it. The statement\n"
    "library is read once; an invalid profile is reported and skipped, and the\n"
    "others are still written.\n"
    "\n"
    "Exit status: 0 when every profile compiled, 1 when any profile is invalid,\n"
    "2 on a usage error, 3 when a profile could not be opened or an output could\n"
    "not be written.\n";

static void print_help(FILE *out)
{
    static const char *const all[] = {"it", "it", "both", "all three", "all four", "all five",
                                      "all six", "all seven", "all eight"};
    strbuf ext = {0};
    size_t n = 0;
    for (size_t i = 0; i < format_count(); i++)
        if (format_serves(format_at(i), FORMAT_FOR_COMPILE))
            sb_printf(&ext, "%s%s", n++ ? "," : "", format_at(i)->extension);
    char *names = format_list(FORMAT_FOR_COMPILE, ", ", ", ");
    fprintf(out, compile_help, ext.data, names, n < sizeof all / sizeof *all ? all[n] : "all");
    free(names);
    sb_free(&ext);
}

/* Formats are bits of a mask, by their place in the registry. */
static unsigned all_formats(void)
{
    unsigned mask = 0;
    for (size_t i = 0; i < format_count(); i++)
        if (format_serves(format_at(i), FORMAT_FOR_COMPILE))
            mask |= 1u << i;
    return mask;
}

static int parse_formats(const char *list, unsigned *out)
{
    *out = 0;
    char *copy = xstrdup(list);
    int rc = 0;
    char *save_w = NULL;
    for (char *w = strtok_r(copy, ",", &save_w); w; w = strtok_r(NULL, ",", &save_w)) {
        const format_info *f = format_find(w, FORMAT_FOR_COMPILE);
        if (f) {
            *out |= 1u << (f - format_at(0));
            continue;
        }
        char *names = format_list(FORMAT_FOR_COMPILE, ", ", " or ");
        fprintf(stderr, "aupc compile: unknown format '%s': expected %s\n", w, names);
        free(names);
        rc = -1;
    }
    free(copy);
    return rc == 0 && *out ? 0 : -1;
}

/* The I-th format, when MASK has it and it has FN. */
#define CHOSEN(mask, i, fn) (((mask) >> (i)) & 1u && format_at(i)->fn)

typedef struct {
    char *name;
    char *data;
    size_t len;
} out_file;

typedef struct {
    out_file *files;
    size_t count;
} out_set;

static void out_add_bytes(out_set *s, char *name, char *data, size_t len)
{
    s->files = xrealloc(s->files, (s->count + 1) * sizeof *s->files);
    s->files[s->count++] = (out_file){name, data, len};
}

static void out_free(out_set *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->files[i].name);
        free(s->files[i].data);
    }
    free(s->files);
}

/* Core rules past two pages are not read: the guidance asks for one or two.
 * The warning points at the <audience> line that asked for the document. */
static void warn_if_long(const profile *p, size_t i, const layout_info *info,
                         diag_list *diags)
{
    if (info->core_pages > 2)
        diag_add(diags, DIAG_WARNING, p->file, p->audiences[i].line, p->audiences[i].col, "concise",
                 "%s: the core rules run to %d A4 pages; aim for two at most (the PDF has %d)",
                 p->audiences[i].id, info->core_pages, info->pages);
}

/* D in each chosen format. The first format that lays D out reports its
 * pages for the length warning; with none, D is laid out for it alone. */
static int render_one(const profile *p, size_t i, const document *d, unsigned formats,
                      const pdf_options *font, out_set *out, diag_list *diags)
{
    layout_info info = {0};
    int rc = 0;
    for (size_t f = 0; rc == 0 && f < format_count(); f++) {
        if (!CHOSEN(formats, f, document))
            continue;
        format_ctx c = {font, info.pages ? NULL : &info};
        strbuf b = {0};
        rc = format_at(f)->document(d, &c, &b, diags);
        if (rc == 0)
            out_add_bytes(out, xasprintf("%s.%s", d->audience_id, format_at(f)->extension),
                          b.data, b.len);
        else
            sb_free(&b);
    }
    if (rc == 0 && !info.pages)
        rc = layout_measure(d, font, &info, diags);
    if (rc == 0)
        warn_if_long(p, i, &info, diags);
    layout_info_free(&info);
    return rc;
}

/* The pieces of one profile's output: one task per document, one for the
 * home-school agreement and one per poster. Each task fills its own files
 * and diagnostics, merged in task order afterwards, so threads never
 * change the bytes or messages. */
typedef struct {
    const profile *p;
    const doc_set *docs;
    unsigned formats;
    const pdf_options *font;
    io_stage *stage;        /* where each task writes its files once made */
    out_set *outs;
    diag_list *diags;
    int *rc;                /* per task: -1 when it failed, else 0 */
    int *werr;              /* per task: errno of the file that would not write */
    size_t *wfile;          /* and which of its files that was */
    size_t ntasks;
    size_t *posters;        /* index in docs of each pupil document */
    atomic_size_t next;
    atomic_bool failed;     /* a task failed: the rest need not write */
} render_job;

/* The home-school agreement (and the contacts check) is task docs->count,
 * posters follow it. It is the longest task, so it starts first: a short
 * one left for last keeps both threads busy to the end. */
static size_t task_at(const render_job *j, size_t e)
{
    size_t n = j->docs->count;
    return e == 0 ? n : e <= n ? e - 1 : e;
}

/* The contacts check, and the home-school agreement in each chosen format
 * that binds one. */
static void render_agreement(render_job *j, size_t t)
{
    pack_warn_contacts(j->p, &j->diags[t]);
    format_ctx c = {j->font, NULL};
    for (size_t f = 0; j->rc[t] == 0 && f < format_count(); f++) {
        if (!CHOSEN(j->formats, f, agreement))
            continue;
        strbuf sb = {0};
        int parts = format_at(f)->agreement(j->p, j->docs, &c, &sb, &j->diags[t]);
        j->rc[t] = parts < 0 ? -1 : 0;
        if (parts > 0)
            out_add_bytes(&j->outs[t],
                          xasprintf("home-school-agreement.%s", format_at(f)->extension),
                          sb.data, sb.len);
        else
            sb_free(&sb);
    }
}

static void render_poster(render_job *j, size_t t, const document *d)
{
    format_ctx c = {j->font, NULL};
    for (size_t f = 0; j->rc[t] == 0 && f < format_count(); f++) {
        if (!CHOSEN(j->formats, f, poster))
            continue;
        strbuf sb = {0};
        j->rc[t] = format_at(f)->poster(d, &c, &sb, &j->diags[t]);
        if (j->rc[t] == 0)
            out_add_bytes(&j->outs[t],
                          xasprintf("poster-%s.%s", d->audience_id, format_at(f)->extension),
                          sb.data, sb.len);
        else
            sb_free(&sb);
    }
}

/* Whether any chosen format makes posters. */
static bool posters_wanted(unsigned formats)
{
    for (size_t f = 0; f < format_count(); f++)
        if (CHOSEN(formats, f, poster))
            return true;
    return false;
}

/* Task T's files go to disk as soon as they are made, so the writing of
 * one task overlaps the making of the next; the bytes are freed at once. */
static void write_task(render_job *j, size_t t)
{
    out_set *o = &j->outs[t];
    for (size_t k = 0; k < o->count; k++) {
        if (!atomic_load(&j->failed) && !j->werr[t]) {
            j->werr[t] = io_stage_write(j->stage, o->files[k].name, o->files[k].data,
                                        o->files[k].len);
            j->wfile[t] = k;
        }
        free(o->files[k].data);
        o->files[k].data = NULL;
    }
    if (j->werr[t])
        atomic_store(&j->failed, true);
}

static void render_task(render_job *j, size_t t)
{
    size_t n = j->docs->count;
    if (t < n)
        j->rc[t] = render_one(j->p, t, j->docs->docs[t], j->formats, j->font, &j->outs[t],
                              &j->diags[t]);
    else if (t == n)
        render_agreement(j, t);
    else
        render_poster(j, t, j->docs->docs[j->posters[t - n - 1]]);
    if (j->rc[t] != 0)
        atomic_store(&j->failed, true);
    else
        write_task(j, t);
}

static void render_worker(render_job *j)
{
    for (size_t e; (e = atomic_fetch_add(&j->next, 1)) < j->ntasks;)
        render_task(j, task_at(j, e));
}

static void *render_thread(void *arg)
{
    render_worker(arg);
    pdf_thread_done();
    return NULL;
}

/* cmark turns a node's text into a C string the first time it is asked
 * for, which writes to the node: ask once here, before threads share it. */
static void settle_strings(cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_get_literal(n);
        cmark_node_get_url(n);
        cmark_node_get_title(n);
        cmark_node_get_fence_info(n);
    }
    cmark_iter_free(it);
}

static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Whether D holds G already: a font that will not load fails every task
 * that needs it, and once is enough to say so. */
static bool already_said(const diag_list *d, const diag *g)
{
    for (size_t i = 0; i < d->count; i++) {
        const diag *h = &d->items[i];
        if (h->severity == g->severity && h->line == g->line && h->col == g->col
            && same_str(h->message, g->message) && same_str(h->file, g->file)
            && same_str(h->rule, g->rule))
            return true;
    }
    return false;
}

/* Make every file of one profile into STAGE. Returns EXIT_OK, or EXIT_IO
 * when a document could not be made (the reason in *DIAGS) or a file could
 * not be written (the reason printed). *FILES gets how many files were
 * made. */
static int render_all(const profile *p, const doc_set *docs, unsigned formats,
                      const pdf_options *font, int jobs, io_stage *stage, const char *dir,
                      diag_list *diags, size_t *files)
{
    size_t *posters = xcalloc(docs->count + 1, sizeof *posters), nposters = 0;
    for (size_t i = 0; i < docs->count && posters_wanted(formats); i++)
        if (audience_for(docs->docs[i]->kind, docs->docs[i]->band)->on_poster)
            posters[nposters++] = i;
    size_t ntasks = docs->count + 1 + nposters;
    render_job j = {p, docs, formats, font, stage, xcalloc(ntasks, sizeof(out_set)),
                    xcalloc(ntasks, sizeof(diag_list)), xcalloc(ntasks, sizeof(int)),
                    xcalloc(ntasks, sizeof(int)), xcalloc(ntasks, sizeof(size_t)), ntasks,
                    posters, 0, false};
    pthread_t threads[8];
    int started = 0;
    if (jobs > 1) {
        for (size_t i = 0; i < docs->count; i++)
            settle_strings(docs->docs[i]->root);
        for (; started < jobs - 1 && started < 8; started++)
            if (pthread_create(&threads[started], NULL, render_thread, &j) != 0)
                break;
    }
    render_worker(&j);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    int status = EXIT_OK;
    *files = 0;
    for (size_t t = 0; t < ntasks; t++) {
        for (size_t k = 0; k < j.diags[t].count; k++) {
            const diag *g = &j.diags[t].items[k];
            if (!already_said(diags, g))
                diag_add(diags, g->severity, g->file, g->line, g->col, g->rule, "%s",
                         g->message);
        }
        diag_free(&j.diags[t]);
        if (j.werr[t] && status == EXIT_OK)
            fprintf(stderr, "%s/%s: error: cannot write: %s\n", dir,
                    j.outs[t].files[j.wfile[t]].name, strerror(j.werr[t]));
        if (j.rc[t] != 0 || j.werr[t])
            status = EXIT_IO;
        *files += j.outs[t].count;
        out_free(&j.outs[t]);
    }
    free(j.outs);
    free(j.diags);
    free(j.rc);
    free(j.werr);
    free(j.wfile);
    free(posters);
    return status;
}

/* Open OUTDIR/ID for writing, creating it as needed. Returns EXIT_OK or
 * EXIT_IO, the reason printed. */
static int open_stage(const char *dir, io_stage **stage)
{
    size_t made;
    int rc = io_mkdirs(dir, &made);
    if (rc != 0) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", dir, strerror(rc));
        return EXIT_IO;
    }
    rc = io_stage_open(dir, made, stage);
    if (rc != 0)
        fprintf(stderr, "%s: error: cannot write into the output folder: %s\n", dir,
                rc == ELOOP ? "it is a symbolic link, and aupc writes only into a real folder"
                            : strerror(rc));
    return rc ? EXIT_IO : EXIT_OK;
}

/* All or nothing: only now do the new files replace the old. */
static int commit_stage(io_stage *stage, const char *dir)
{
    char *failed;
    int rc = io_stage_commit(stage, &failed);
    if (rc != 0)
        fprintf(stderr, "%s/%s: error: cannot write: %s\n", dir, failed, strerror(rc));
    free(failed);
    return rc ? EXIT_IO : EXIT_OK;
}

/* What one profile came to, for the batch's tally. */
typedef struct {
    int status;
    size_t docs, files;
    char *dir;          /* where its files went; NULL on failure */
    const char *path;   /* the profile */
    diag_list diags;
} profile_result;

/* The statement library, loaded on a thread of its own while the first
 * profiles are read and checked. Its errors still come first: no profile
 * is reported before the library is known good, and a bad library stops
 * the run with only its own messages. */
typedef struct {
    const char *dir;            /* --library, or NULL for the built-in one */
    library *lib;
    diag_list diags;
    bool ready, threaded;
    pthread_mutex_t lock;       /* guards lib and ready */
    pthread_cond_t done;
    pthread_t thread;
} lib_loader;

static void *load_library(void *arg)
{
    lib_loader *l = arg;
    library *lib = cli_load_library(l->dir, &l->diags);
    pthread_mutex_lock(&l->lock);
    l->lib = lib;
    l->ready = true;
    pthread_cond_broadcast(&l->done);
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

static void loader_start(lib_loader *l, const char *dir)
{
    *l = (lib_loader){.dir = dir};
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->done, NULL);
    l->threaded = pthread_create(&l->thread, NULL, load_library, l) == 0;
    if (!l->threaded)
        load_library(l);
}

/* The library once loaded; NULL if it would not load. */
static const library *loader_wait(lib_loader *l)
{
    pthread_mutex_lock(&l->lock);
    while (!l->ready)
        pthread_cond_wait(&l->done, &l->lock);
    pthread_mutex_unlock(&l->lock);
    return l->lib;
}

static void loader_end(lib_loader *l)
{
    if (l->threaded)
        pthread_join(l->thread, NULL);
    pthread_cond_destroy(&l->done);
    pthread_mutex_destroy(&l->lock);
    diag_free(&l->diags);
    library_free(l->lib);
}

static profile_result compile_one(const char *path, lib_loader *loader, const char *outdir,
                                  unsigned formats, const pdf_options *font, int jobs)
{
    profile_result r = {EXIT_OK, 0, 0, NULL, path, {0}};
    char *data;
    size_t len;
    const char *err;
    int e = io_read_file(path, &data, &len, &err);
    if (e != 0) {
        diag_add(&r.diags, DIAG_ERROR, path, 0, 0, NULL, "cannot read the profile: %s", err);
        /* Too big or not a file is bad input; a file we cannot open is I/O. */
        r.status = e == EFBIG || e == EINVAL ? EXIT_FINDINGS : EXIT_IO;
        return r;
    }
    profile *p = profile_parse(path, data, len, &r.diags);
    free(data);
    doc_set docs = {0};
    const library *lib = p ? loader_wait(loader) : NULL;
    if (!p || !lib || compile_profile(p, lib, &docs, &r.diags) != 0) {
        profile_free(p);
        r.status = EXIT_FINDINGS;
        return r;
    }
    size_t n = strlen(outdir);
    while (n > 1 && outdir[n - 1] == '/')
        n--;
    char *dir = xasprintf("%.*s/%s", (int)n, outdir, p->id);
    io_stage *stage = NULL;
    size_t files = 0;
    r.status = open_stage(dir, &stage);
    if (r.status == EXIT_OK)
        r.status = render_all(p, &docs, formats, font, jobs, stage, dir, &r.diags, &files);
    if (r.status == EXIT_OK)
        r.status = commit_stage(stage, dir);
    else
        io_stage_abort(stage);
    if (r.status == EXIT_OK) {
        r.docs = docs.count;
        r.files = files;
        r.dir = dir;
    } else {
        free(dir);
    }
    doc_set_free(&docs);
    profile_free(p);
    return r;
}

typedef struct {
    lib_loader loader;
    bool lib_said;          /* the library's own messages are printed */
    const char *outdir;
    unsigned formats;
    const pdf_options *font;
    char **paths;
    size_t npaths;
    bool progress, quiet;
    int inner_jobs;         /* threads per profile when CPUs outnumber profiles */
    char **written;         /* output folders so far, to catch a repeated setting id */
    size_t nwritten;
    struct timespec start;
    pthread_mutex_t lock;   /* guards everything below */
    size_t next, done, docs, files, failed;
    int status;
} batch;

static double elapsed(const batch *b)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - b->start.tv_sec) + (double)(now.tv_nsec - b->start.tv_nsec) / 1e9;
}

/* Called with the lock held, so reports never interleave. */
static void report(batch *b, const profile_result *r)
{
    if (b->progress)
        fputs("\r\033[K", stderr);
    if (!b->lib_said)
        cli_print_diags(&b->loader.diags);
    b->lib_said = true;
    cli_print_diags(&r->diags);
    b->done++;
    b->docs += r->docs;
    b->files += r->files;
    b->failed += r->status != EXIT_OK;
    if (r->status > b->status)
        b->status = r->status;
    for (size_t i = 0; r->dir && i < b->nwritten; i++)
        if (!strcmp(b->written[i], r->dir))
            fprintf(stderr, "%s: warning: another profile in this run has the same setting id "
                    "and was also written to %s/; the files there are from whichever "
                    "finished last\n", r->path, r->dir);
    if (r->dir) {
        b->written = xrealloc(b->written, (b->nwritten + 1) * sizeof *b->written);
        b->written[b->nwritten++] = xstrdup(r->dir);
    }
    if (r->dir && !b->quiet && b->npaths == 1)
        fprintf(stderr, "aupc: %zu documents, %zu files in %s/\n", r->docs, r->files, r->dir);
    if (b->progress)
        fprintf(stderr, "[%zu/%zu] %zu documents, %.1f s", b->done, b->npaths, b->docs,
                elapsed(b));
}

static void worker(batch *b)
{
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->npaths)
            return;
        profile_result r = compile_one(b->paths[i], &b->loader, b->outdir, b->formats,
                                       b->font, b->inner_jobs);
        bool lib_ok = loader_wait(&b->loader) != NULL;
        pthread_mutex_lock(&b->lock);
        if (lib_ok)
            report(b, &r);
        pthread_mutex_unlock(&b->lock);
        diag_free(&r.diags);
        free(r.dir);
        if (!lib_ok)
            return;
    }
}

static void *worker_thread(void *arg)
{
    worker(arg);
    pdf_thread_done();
    return NULL;
}

static void run_batch(batch *b, int jobs)
{
    b->inner_jobs = (size_t)jobs > b->npaths ? jobs / (int)b->npaths : 1;
    if ((size_t)jobs > b->npaths)
        jobs = (int)b->npaths;
    pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
    int started = 0;
    for (; started < jobs - 1; started++)
        if (pthread_create(&threads[started], NULL, worker_thread, b) != 0)
            break;
    worker(b);   /* the main thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    if (b->progress)
        fputs("\r\033[K", stderr);
    if (!b->quiet && b->npaths > 1 && b->lib_said)
        fprintf(stderr, "aupc: %zu profiles compiled, %zu failed: %zu documents, %zu files in "
                "%.2f s\n", b->done - b->failed, b->failed, b->docs, b->files, elapsed(b));
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void add_path(batch *b, char *path)
{
    b->paths = xrealloc(b->paths, (b->npaths + 1) * sizeof *b->paths);
    b->paths[b->npaths++] = path;
}

/* A folder stands for the *.xml files directly inside it, in name order. */
static int expand_arg(batch *b, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        add_path(b, xstrdup(arg));
        return 0;
    }
    DIR *d = opendir(arg);
    if (!d) {
        fprintf(stderr, "%s: error: cannot open the folder: %s\n", arg, strerror(errno));
        return -1;
    }
    size_t first = b->npaths;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] != '.' && n > 4 && !strcmp(e->d_name + n - 4, ".xml"))
            add_path(b, xasprintf("%s/%s", arg, e->d_name));
    }
    closedir(d);
    qsort(b->paths + first, b->npaths - first, sizeof *b->paths, cmp_str);
    if (b->npaths == first)
        fprintf(stderr, "%s: warning: no .xml profiles in this folder\n", arg);
    return 0;
}

static int parse_jobs(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    return *s && !*end && n >= 1 && n <= 256 ? (int)n : -1;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)(n > 64 ? 64 : n) : 1;
}

static int parse_fonts(const char *arg, char **owned, pdf_options *font)
{
    free(*owned);
    *owned = xstrdup(arg);
    font->font_regular = *owned;
    font->font_bold = NULL;
    char *comma = strchr(*owned, ',');
    if (comma) {
        *comma = '\0';
        font->font_bold = comma + 1;
    }
    return 0;
}

int cli_compile(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"format", required_argument, 0, 'f'},
        {"library", required_argument, 0, 'L'}, {"quiet", no_argument, 0, 'q'},
        {"font", required_argument, 0, 'F'}, {"jobs", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *libdir = NULL;
    batch b = {.outdir = "out", .formats = all_formats()};
    pdf_options font = {NULL, NULL};
    char *fonts = NULL;
    int jobs = default_jobs(), status = EXIT_OK;
    optind = 1;
    for (int c; status == EXIT_OK && (c = getopt_long(argc, argv, "o:f:j:qh", opts, NULL)) != -1;) {
        switch (c) {
        case 'o': b.outdir = optarg; break;
        case 'f':
            if (parse_formats(optarg, &b.formats) != 0)
                status = EXIT_USAGE;
            break;
        case 'j':
            if ((jobs = parse_jobs(optarg)) < 0) {
                fprintf(stderr, "aupc compile: -j wants a number from 1 to 256, not '%s'\n",
                        optarg);
                status = EXIT_USAGE;
            }
            break;
        case 'L': libdir = optarg; break;
        case 'q': b.quiet = true; break;
        case 'F': parse_fonts(optarg, &fonts, &font); break;
        case 'h': free(fonts); print_help(stdout); return EXIT_OK;
        default: status = EXIT_USAGE; print_help(stderr); break;
        }
    }
    if (status == EXIT_OK && optind >= argc) {
        fputs("aupc compile: no profile given\n\n", stderr);
        print_help(stderr);
        status = EXIT_USAGE;
    }
    for (int i = optind; status == EXIT_OK && i < argc; i++)
        if (expand_arg(&b, argv[i]) != 0)
            status = EXIT_IO;
    if (status == EXIT_OK && b.npaths > 0) {
        loader_start(&b.loader, libdir);
        b.font = &font;
        b.progress = !b.quiet && b.npaths > 1 && isatty(STDERR_FILENO);
        pthread_mutex_init(&b.lock, NULL);
        clock_gettime(CLOCK_MONOTONIC, &b.start);
        run_batch(&b, jobs);
        pthread_mutex_destroy(&b.lock);
        status = b.status;
        if (!loader_wait(&b.loader))
            status = EXIT_FINDINGS;
        if (!b.lib_said)
            cli_print_diags(&b.loader.diags);
        loader_end(&b.loader);
    }
    for (size_t i = 0; i < b.npaths; i++)
        free(b.paths[i]);
    free(b.paths);
    for (size_t i = 0; i < b.nwritten; i++)
        free(b.written[i]);
    free(b.written);
    free(fonts);
    return status;
}
