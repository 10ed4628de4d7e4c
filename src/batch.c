#include "batch.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "compile.h"
#include "format.h"
#include "library.h"
#include "pack.h"
#include "render_pdf.h"
#include "util/io.h"

/* The I-th format, when MASK has it and it has FN. */
#define CHOSEN(mask, i, fn) (((mask) >> (i)) & 1u && format_at(i)->fn)

typedef struct {
    batch_file *files;
    size_t count;
} out_set;

static void out_add_bytes(out_set *s, char *name, char *data, size_t len)
{
    s->files = xrealloc(s->files, (s->count + 1) * sizeof *s->files);
    s->files[s->count++] = (batch_file){name, data, len};
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
                      const pdf_options *font, pdf_layouts *shared, out_set *out,
                      diag_list *diags)
{
    layout_info info = {0};
    int rc = 0;
    for (size_t f = 0; rc == 0 && f < format_count(); f++) {
        if (!CHOSEN(formats, f, document))
            continue;
        render_ctx c = {font, info.pages ? NULL : &info, shared};
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
    pdf_layouts *layouts;   /* each document laid out once, for its PDF and the agreement */
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

/* The home-school agreements (and the contacts check) are task docs->count,
 * posters follow it. It is the longest task, so it starts first: a short
 * one left for last keeps both threads busy to the end. */
static size_t task_at(const render_job *j, size_t e)
{
    size_t n = j->docs->count;
    return e == 0 ? n : e <= n ? e - 1 : e;
}

/* The contacts check, and the home-school agreement for each pupil
 * audience in each chosen format that binds one. */
static void render_agreement(render_job *j, size_t t)
{
    pack_warn_contacts(j->p, &j->diags[t]);
    render_ctx c = {j->font, NULL, j->layouts};
    for (size_t i = 0; i < j->docs->count; i++) {
        const document *pupil = j->docs->docs[i];
        for (size_t f = 0; j->rc[t] == 0 && f < format_count(); f++) {
            if (!CHOSEN(j->formats, f, agreement))
                continue;
            strbuf sb = {0};
            int parts = format_at(f)->agreement(j->p, j->docs, pupil, &c, &sb, &j->diags[t]);
            j->rc[t] = parts < 0 ? parts : 0;
            if (parts > 0)
                out_add_bytes(&j->outs[t],
                              xasprintf("home-school-agreement-%s.%s", pupil->audience_id,
                                        format_at(f)->extension),
                              sb.data, sb.len);
            else
                sb_free(&sb);
        }
    }
}

static void render_poster(render_job *j, size_t t, const document *d)
{
    render_ctx c = {j->font, NULL, NULL};
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
 * one task overlaps the making of the next; the bytes are freed at once.
 * Without a stage the files stay in memory for the caller. */
static void write_task(render_job *j, size_t t)
{
    out_set *o = &j->outs[t];
    if (!j->stage)
        return;
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
        j->rc[t] = render_one(j->p, t, j->docs->docs[t], j->formats, j->font, j->layouts,
                              &j->outs[t], &j->diags[t]);
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

static void cannot_write(diag_list *diags, const char *dir, const char *name, int err)
{
    char *path = xasprintf("%s/%s", dir, name);
    diag_add(diags, DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(err));
    free(path);
}

/* The layouts the PDFs of one setting share, told how often each document
 * is bound: once in its own PDF and once in each home-school agreement it
 * is part of, so that each is freed once the last has it. */
static pdf_layouts *shared_layouts(const profile *p, const doc_set *docs, unsigned formats)
{
    pdf_layouts *s = pdf_layouts_new();
    const format_info *pdf = format_find("pdf", FORMAT_FOR_COMPILE);
    if (!pdf || !(formats >> (pdf - format_at(0)) & 1u))
        return s;
    int *uses = xcalloc(docs->count, sizeof *uses);
    for (size_t i = 0; i < docs->count; i++) {
        uses[i]++;
        const document **parts;
        size_t n = pack_agreement_parts(p, docs, docs->docs[i], &parts);
        for (size_t k = 0; k < n; k++)
            for (size_t m = 0; m < docs->count; m++)
                uses[m] += docs->docs[m] == parts[k];
        free(parts);
    }
    for (size_t i = 0; i < docs->count; i++)
        pdf_layouts_expect(s, docs->docs[i], uses[i]);
    free(uses);
    return s;
}

/* Make every file of one profile into STAGE, or with no stage into KEEP.
 * Returns BATCH_OK; BATCH_INVALID when the profile holds text a PDF cannot
 * show; BATCH_IO when a document could not be made otherwise or a file
 * could not be written (the reason in *DIAGS). *FILES gets how many
 * files were made. */
static int render_all(const profile *p, const doc_set *docs, unsigned formats,
                      const pdf_options *font, int jobs, io_stage *stage, const char *dir,
                      out_set *keep, diag_list *diags, size_t *files)
{
    size_t *posters = xcalloc(docs->count + 1, sizeof *posters), nposters = 0;
    for (size_t i = 0; i < docs->count && posters_wanted(formats); i++)
        if (audience_for(docs->docs[i]->kind, docs->docs[i]->band)->on_poster)
            posters[nposters++] = i;
    size_t ntasks = docs->count + 1 + nposters;
    render_job j = {p, docs, formats, font, shared_layouts(p, docs, formats), stage,
                    xcalloc(ntasks, sizeof(out_set)),
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
    int status = BATCH_OK;
    *files = 0;
    for (size_t t = 0; t < ntasks; t++) {
        for (size_t k = 0; k < j.diags[t].count; k++) {
            const diag *g = &j.diags[t].items[k];
            if (!already_said(diags, g))
                diag_add(diags, g->severity, g->file, g->line, g->col, g->rule, "%s",
                         g->message);
        }
        diag_free(&j.diags[t]);
        if (j.werr[t] && status != BATCH_IO)
            cannot_write(diags, dir, j.outs[t].files[j.wfile[t]].name, j.werr[t]);
        int st = j.werr[t] || (j.rc[t] != 0 && j.rc[t] != LAYOUT_UNSHOWN) ? BATCH_IO
                 : j.rc[t] == LAYOUT_UNSHOWN                               ? BATCH_INVALID
                                                                           : BATCH_OK;
        if (st > status)
            status = st;
        *files += j.outs[t].count;
        for (size_t k = 0; keep && status == BATCH_OK && k < j.outs[t].count; k++) {
            out_add_bytes(keep, j.outs[t].files[k].name, j.outs[t].files[k].data,
                          j.outs[t].files[k].len);
            j.outs[t].files[k] = (batch_file){0};
        }
        out_free(&j.outs[t]);
    }
    pdf_layouts_free(j.layouts);
    free(j.outs);
    free(j.diags);
    free(j.rc);
    free(j.werr);
    free(j.wfile);
    free(posters);
    return status;
}

int batch_render(const profile *p, const doc_set *docs, unsigned formats,
                 const pdf_options *font, batch_file **files, size_t *nfiles, diag_list *diags)
{
    out_set keep = {0};
    size_t made;
    int status = render_all(p, docs, formats, font, 1, NULL, p->id, &keep, diags, &made);
    if (status != BATCH_OK) {
        out_free(&keep);
        keep = (out_set){0};
    }
    *files = keep.files;
    *nfiles = keep.count;
    return status;
}

void batch_files_free(batch_file *files, size_t n)
{
    out_set s = {files, n};
    out_free(&s);
}

/* Begin the set ID in OUTDIR, creating OUTDIR as needed. Returns BATCH_OK
 * or BATCH_IO, the reason in *DIAGS (DIR is OUTDIR/ID, for messages). */
static int open_stage(const char *outdir, const char *id, const char *dir, io_stage **stage,
                      diag_list *diags)
{
    size_t made;
    int rc = io_mkdirs(outdir, &made);
    if (rc != 0) {
        diag_add(diags, DIAG_ERROR, dir, 0, 0, NULL, "cannot create the output folder: %s",
                 strerror(rc));
        return BATCH_IO;
    }
    rc = io_stage_open(outdir, id, made, stage);
    if (rc != 0)
        diag_add(diags, DIAG_ERROR, dir, 0, 0, NULL, "cannot write into the output folder: %s",
                 rc == ELOOP    ? "it is a symbolic link, and aupc writes only into a real folder"
                 : rc == ENOTDIR ? "it is a file, not a folder"
                                 : strerror(rc));
    return rc ? BATCH_IO : BATCH_OK;
}

/* All or nothing: only now do the new files replace the old. */
static int commit_stage(io_stage *stage, const char *dir, diag_list *diags)
{
    char *failed;
    int rc = io_stage_commit(stage, &failed);
    if (rc == ELOOP)
        diag_add(diags, DIAG_ERROR, dir, 0, 0, NULL, "cannot write into the output folder: "
                 "it is a symbolic link, and aupc writes only into a real folder");
    else if (rc != 0 && failed[0]) {
        char *path = xasprintf("%s/%s", dir, failed);
        diag_add(diags, DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s; the set is replaced "
                 "whole or not at all, so nothing has changed: move it away and run again",
                 rc == EISDIR ? "a folder stands here" : rc == EINVAL ? "this is not a regular file"
                                                                      : strerror(rc));
        free(path);
    }
    else if (rc != 0)
        diag_add(diags, DIAG_ERROR, dir, 0, 0, NULL, "cannot write: %s", strerror(rc));
    free(failed);
    return rc ? BATCH_IO : BATCH_OK;
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
    /* The first profile is read meanwhile; it needs its schema compiled
     * before the library, and reading it takes longer than either. */
    profile_prepare();
    library *lib = l->dir ? library_load_dir(l->dir, &l->diags)
                          : library_load_embedded(&l->diags);
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
    profile_result r = {BATCH_OK, 0, 0, NULL, path, {0}};
    char *data;
    size_t len;
    const char *err;
    int e = io_read_file(path, &data, &len, &err);
    if (e != 0) {
        diag_add(&r.diags, DIAG_ERROR, path, 0, 0, NULL, "cannot read the profile: %s", err);
        /* Too big or not a file is bad input; a file we cannot open is I/O. */
        r.status = e == EFBIG || e == EINVAL ? BATCH_INVALID : BATCH_IO;
        return r;
    }
    profile *p = profile_parse(path, data, len, &r.diags);
    free(data);
    if (p)
        compile_warn_placeholders(p, &r.diags);
    doc_set docs = {0};
    const library *lib = p ? loader_wait(loader) : NULL;
    if (!p || !lib || compile_profile(p, lib, &docs, &r.diags) != 0) {
        profile_free(p);
        r.status = BATCH_INVALID;
        return r;
    }
    size_t n = strlen(outdir);
    while (n > 1 && outdir[n - 1] == '/')
        n--;
    char *dir = xasprintf("%.*s/%s", (int)n, outdir, p->id);
    io_stage *stage = NULL;
    size_t files = 0;
    char *parent = xstrndup(outdir, n);
    r.status = open_stage(parent, p->id, dir, &stage, &r.diags);
    free(parent);
    if (r.status == BATCH_OK)
        r.status = render_all(p, &docs, formats, font, jobs, stage, dir, NULL, &r.diags, &files);
    if (r.status == BATCH_OK)
        r.status = commit_stage(stage, dir, &r.diags);
    else
        io_stage_abort(stage);
    if (r.status == BATCH_OK) {
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
    const batch_options *o;
    lib_loader loader;
    bool lib_said;          /* the library's findings are reported */
    char *const *paths;
    size_t npaths;
    int inner_jobs;         /* threads per profile when CPUs outnumber profiles */
    char **written;         /* output folders so far, to catch a repeated setting id */
    size_t nwritten;
    pthread_mutex_t lock;   /* guards everything below */
    size_t next;
    batch_summary sum;
} batch;

static void say_library(batch *b)
{
    if (!b->lib_said && b->o->library)
        b->o->library(b->o->ctx, &b->loader.diags, b->loader.lib != NULL);
    b->lib_said = true;
}

/* Called with the lock held, so reports never interleave. */
static void report(batch *b, profile_result *r)
{
    say_library(b);
    b->sum.done++;
    b->sum.docs += r->docs;
    b->sum.files += r->files;
    b->sum.failed += r->status != BATCH_OK;
    if (r->status > b->sum.status)
        b->sum.status = r->status;
    for (size_t i = 0; r->dir && i < b->nwritten; i++)
        if (!strcmp(b->written[i], r->dir))
            diag_add(&r->diags, DIAG_WARNING, r->path, 0, 0, NULL,
                     "another profile in this run has the same setting id and was also "
                     "written to %s/; the files there are from whichever finished last",
                     r->dir);
    if (r->dir) {
        b->written = xrealloc(b->written, (b->nwritten + 1) * sizeof *b->written);
        b->written[b->nwritten++] = xstrdup(r->dir);
    }
    batch_result out = {r->path, r->status, r->docs, r->files, r->dir, &r->diags};
    if (b->o->report)
        b->o->report(b->o->ctx, &out);
}

static void worker(batch *b)
{
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->npaths)
            return;
        profile_result r = compile_one(b->paths[i], &b->loader, b->o->outdir, b->o->formats,
                                       b->o->font, b->inner_jobs);
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
}

void batch_run(char *const *paths, size_t n, const batch_options *o, batch_summary *out)
{
    batch b = {.o = o, .paths = paths, .npaths = n};
    if (n > 0) {
        /* libxml2 sets up its globals lazily; two threads doing that at once
         * (the library loader and a worker reading a profile) leak one copy. */
        xmlInitParser();
        loader_start(&b.loader, o->library_dir);
        pthread_mutex_init(&b.lock, NULL);
        run_batch(&b, o->jobs > 0 ? o->jobs : 1);
        pthread_mutex_destroy(&b.lock);
        if (!loader_wait(&b.loader))
            b.sum.status = BATCH_INVALID;
        say_library(&b);
        loader_end(&b.loader);
    }
    for (size_t i = 0; i < b.nwritten; i++)
        free(b.written[i]);
    free(b.written);
    *out = b.sum;
}
