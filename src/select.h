/* select: which statements each audience gets. Library conditions are
 * checked against the profile, then the profile's include, exclude and
 * custom statements are applied. */
#ifndef AUPC_SELECT_H
#define AUPC_SELECT_H

#include <stddef.h>

#include "diag.h"
#include "library.h"
#include "profile.h"

typedef struct {
    const statement **items;   /* sorted by section, order, id */
    size_t count;
} selection;

/* The profile's custom statements as a library of their own (owned by the
 * caller). NULL with errors in *diags when one clashes with LIB. */
library *select_custom_library(const profile *p, const library *lib, diag_list *diags);

/* Check that every include/exclude names a known statement. Returns 0 or -1. */
int select_check_overrides(const profile *p, const library *lib, const library *custom,
                           diag_list *diags);

/* Statements for audience A, from LIB then CUSTOM (which may be NULL). */
void select_statements(const profile *p, const library *lib, const library *custom,
                       const profile_audience *a, selection *out);
void selection_free(selection *s);

/* True when S's conditions hold for audience A of profile P. */
bool select_conditions_hold(const statement *s, const profile *p, const profile_audience *a);

#endif
