/* util/suggest: "did you mean" for a misspelt name. */
#ifndef AUPC_UTIL_SUGGEST_H
#define AUPC_UTIL_SUGGEST_H

#include <stddef.h>

/* The first candidate that WORD (three letters or more) begins, else the
 * one nearest WORD (edits: insert, delete, change, swap two neighbours)
 * when it is near enough to be a slip: at most a third of WORD's length,
 * and at least one edit. NULL when none is. */
const char *suggest_nearest(const char *word, const char *const *cands, size_t n);
/* The same over a list in one string, names separated by ", ", " or " or
 * spaces, as the help and messages write it. Owned; NULL when none. */
char *suggest_in_list(const char *word, const char *list);

#endif
