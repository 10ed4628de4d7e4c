#include "util/par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
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

/* FB(B) on a thread of its own, FA(A) here. */
static void both_on_new_thread(par_fn fa, void *a, par_fn fb, void *b)
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

/* ------------------------------------------------------------------ */
/* The helper: one thread that serves every stage of a run.
 *
 * A thread started for each stage ran, on this virtual machine, half a
 * millisecond or more after it was asked for, four times in a lint. The
 * helper sleeps between stages; polling for a few milliseconds instead,
 * to start the next stage sooner, cost 4 to 6 ms of CPU a lint and gained
 * nothing measurable once the thread was not started anew each time. */

enum { H_IDLE, H_TASK, H_DONE, H_QUIT };

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    atomic_int state;
    atomic_bool taken;      /* a caller has the helper */
    bool started, failed;
    pthread_t thread;
    par_fn fn;
    void *arg;
} helper = {.lock = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void set_state(int s)
{
    pthread_mutex_lock(&helper.lock);
    atomic_store_explicit(&helper.state, s, memory_order_release);
    pthread_cond_broadcast(&helper.cv);
    pthread_mutex_unlock(&helper.lock);
}

/* Wait until the state is one of the bits in WANT. */
static int wait_state(unsigned want)
{
    int s;
    pthread_mutex_lock(&helper.lock);
    while (!((want >> (s = atomic_load_explicit(&helper.state, memory_order_acquire))) & 1))
        pthread_cond_wait(&helper.cv, &helper.lock);
    pthread_mutex_unlock(&helper.lock);
    return s;
}

static void *helper_main(void *unused)
{
    (void)unused;
    par_thread_start();
    while (wait_state(1u << H_TASK | 1u << H_QUIT) == H_TASK) {
        helper.fn(helper.arg);
        set_state(H_DONE);
    }
    return NULL;
}

static void stop_helper(void)
{
    /* an exit in the middle of a stage leaves the helper to the exit */
    if (atomic_exchange(&helper.taken, true))
        return;
    set_state(H_QUIT);
    pthread_join(helper.thread, NULL);
}

/* Has this caller the helper, started? */
static bool take_helper(void)
{
    if (atomic_exchange(&helper.taken, true))
        return false;
    if (!helper.started && !helper.failed) {
        helper.started = pthread_create(&helper.thread, NULL, helper_main, NULL) == 0;
        helper.failed = !helper.started;
        if (helper.started)
            atexit(stop_helper);
    }
    if (!helper.started)
        atomic_store(&helper.taken, false);
    return helper.started;
}

void par_both(par_fn fa, void *a, par_fn fb, void *b)
{
    /* the helper busy (a stage inside a stage, or another thread's):
       a thread of its own */
    if (!take_helper()) {
        both_on_new_thread(fa, a, fb, b);
        return;
    }
    helper.fn = fb;
    helper.arg = b;
    set_state(H_TASK);
    fa(a);
    wait_state(1u << H_DONE);
    atomic_store_explicit(&helper.state, H_IDLE, memory_order_relaxed);
    atomic_store_explicit(&helper.taken, false, memory_order_release);
}

void par_claims_init(par_claims *cl, size_t front, size_t back)
{
    atomic_init(&cl->ends, (uint64_t)front << 32 | (uint32_t)back);
}

bool par_claim(par_claims *cl, bool front, size_t most, size_t *from, size_t *to)
{
    /* relaxed: the claims only share out the work; what the work writes
       is seen by the caller after par_both returns */
    uint64_t e = atomic_load_explicit(&cl->ends, memory_order_relaxed), next;
    do {
        uint32_t f = (uint32_t)(e >> 32), b = (uint32_t)e;
        if (f >= b)
            return false;
        uint32_t len = b - f < most ? b - f : (uint32_t)most;
        if (front) {
            *from = f;
            *to = f + len;
            next = (uint64_t)(f + len) << 32 | b;
        } else {
            *from = b - len;
            *to = b;
            next = (uint64_t)f << 32 | (b - len);
        }
    } while (!atomic_compare_exchange_weak_explicit(&cl->ends, &e, next, memory_order_relaxed,
                                                    memory_order_relaxed));
    return true;
}

void par_two(par_fn fn, void *a, void *b)
{
    par_both(fn, a, fn, b);
}
