#include "util/par.h"

#include <pthread.h>

typedef struct {
    par_fn fn;
    void *arg;
} par_task;

static void *run_task(void *arg)
{
    par_task *t = arg;
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
