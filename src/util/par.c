#include "util/par.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/io.h"

static size_t thread_heap;

void par_reserve(size_t bytes)
{
    /* glibc gives a thread's heap 64 MiB at most, and serves a request
       from it only below the mmap threshold io_heap_reserve raises to
       32 MiB: stay below both */
    enum { MOST = 30u << 20 };
    thread_heap = bytes < MOST ? bytes : MOST;
}

/* The starts of thread heaps that huge pages cannot back, kept allocated
 * so that nothing is ever put there (a plug freed when its thread ends
 * would be the first place the next thread on that heap used), and freed
 * at exit. */
enum { MAX_PLUGS = 64 };
static void *plugs[MAX_PLUGS];
static size_t nplugs;
static pthread_mutex_t plug_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t plug_once = PTHREAD_ONCE_INIT;

static void free_plugs(void)
{
    for (size_t i = 0; i < nplugs; i++)
        free(plugs[i]);
    nplugs = 0;
}

static void at_exit_free_plugs(void)
{
    atexit(free_plugs);
}

static void keep_plug(void *plug)
{
    pthread_once(&plug_once, at_exit_free_plugs);
    pthread_mutex_lock(&plug_lock);
    if (plug && nplugs < MAX_PLUGS) {
        plugs[nplugs++] = plug;
        plug = NULL;
    }
    pthread_mutex_unlock(&plug_lock);
    free(plug);
}

void par_thread_start(void)
{
#if defined(__GLIBC__)
    /* A thread's heap grows a page at a time, and a fresh page costs this
       virtual machine some 20 microseconds: a long draft's halves made
       thousands. Grown once by the whole reservation and advised to use
       huge pages, it faults a few times instead; the free keeps it grown
       (io_heap_reserve turns trimming off), for this thread and the next
       that reuses its arena. What lies before the first 2 MiB boundary of
       the reservation is on small pages (the heap's own header is): it is
       plugged. */
    if (thread_heap < (8u << 20))
        return;
    char *p = malloc(thread_heap);
    if (p)
        keep_plug(io_heap_advise(p, p + thread_heap, p));
#endif
}

typedef struct {
    par_fn fn;
    void *arg;
} par_task;

static void *run_task(void *arg)
{
    par_task *t = arg;
    par_thread_start();
    t->fn(t->arg);
    return NULL;
}

void par_both(par_fn fa, void *a, par_fn fb, void *b)
{
    par_task t = {fb, b};
    pthread_t th;
    if (pthread_create(&th, NULL, run_task, &t) != 0) {
        fa(a);
        fb(b);
        return;
    }
    fa(a);
    pthread_join(th, NULL);
}

void par_two(par_fn fn, void *a, void *b)
{
    par_both(fn, a, fn, b);
}
