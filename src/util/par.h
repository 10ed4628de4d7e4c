/* par: one stage of a run split in two halves done at once, on the two
 * cores a CI machine has (lint of a long draft: its parse, its units, its
 * layout beside its sentences). The halves must share nothing they write;
 * the caller joins the results in a fixed order, so the output never
 * depends on which half ends first. */
#ifndef AUPC_UTIL_PAR_H
#define AUPC_UTIL_PAR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*par_fn)(void *arg);

/* Items [front, back) not yet taken, which two threads take runs of from
 * either end at once: the one that runs faster (the other core may be
 * busy elsewhere, or slowed by its host) takes more. The items a thread
 * takes from the front come in order, so it may carry what it learnt of
 * one run into the next; those from the back come last first. */
typedef struct {
    _Atomic uint64_t ends;
} par_claims;

void par_claims_init(par_claims *cl, size_t front, size_t back);
/* Take the next run [*FROM, *TO) of at most MOST items from the front
 * (FRONT) or the back; false when none is left. */
bool par_claim(par_claims *cl, bool front, size_t most, size_t *from, size_t *to);

/* A draft shorter than this is read on one thread: starting a thread
 * costs more than the halves of its stages would save. */
#define PAR_MIN_BYTES (64 * 1024)

/* FB(B) on the helper thread (a new one when the helper is busy) and FA(A)
 * on this one; returns when both are done. When no thread can be started,
 * both run here, A first. FB must leave nothing of its own behind in the
 * thread (thread-local state it made is released before it returns), as
 * the helper lives on to the exit. */
void par_both(par_fn fa, void *a, par_fn fb, void *b);
/* par_both with one function for both halves. */
void par_two(par_fn fn, void *a, void *b);

/* What a thread started for a stage may allocate, as io_heap_reserve is
 * for the main thread: set once, before threads start. par_thread_start,
 * called first on such a thread (par_both does), gives its heap that much
 * room backed by huge pages. */
void par_reserve(size_t bytes);
void par_thread_start(void);

#endif
