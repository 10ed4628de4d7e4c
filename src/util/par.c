#include "util/par.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <sys/mman.h>
#endif

static size_t thread_heap;

void par_reserve(size_t bytes)
{
    /* glibc gives a thread's heap 64 MiB at most, and serves a request
       from it only below the mmap threshold io_heap_reserve raises to
       32 MiB: stay below both */
    enum { MOST = 30u << 20 };
    thread_heap = bytes < MOST ? bytes : MOST;
}

/* The start of this thread's heap that huge pages cannot back, kept
 * allocated (par_thread_end frees it) so that nothing is put there. */
static _Thread_local void *plug;

void par_thread_start(void)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    /* A thread's heap grows a page at a time, and a fresh page costs this
       virtual machine some 20 microseconds: a long draft's halves made
       thousands. Grown once by the whole reservation and advised to use
       huge pages, it faults a few times instead; the free keeps it grown
       (io_heap_reserve turns trimming off), for this thread and the next
       that reuses its arena. Its first 2 MiB hold the arena's own header,
       already on a small page: what is left of them is plugged. */
    enum { HUGE = 2u << 20 };
    if (thread_heap < 4 * HUGE)
        return;
    char *p = malloc(thread_heap);
    if (!p)
        return;
    uintptr_t a = ((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
    uintptr_t b = ((uintptr_t)p + thread_heap) & ~(uintptr_t)(HUGE - 1);
    size_t small = a - (uintptr_t)p;
    if (b > a)
        madvise((void *)a, b - a, MADV_HUGEPAGE);
    free(p);
    /* malloc puts a chunk's header before it: ask for a little less */
    if (small > 64)
        plug = malloc(small - 64);
#endif
}

void par_thread_end(void)
{
    free(plug);
    plug = NULL;
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
    par_thread_end();
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
