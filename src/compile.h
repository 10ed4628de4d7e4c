/* compile: profile + library -> one document per audience, and writing the
 * chosen output formats. Nothing is written unless every document built. */
#ifndef AUPC_COMPILE_H
#define AUPC_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "library.h"
#include "profile.h"

/* Build every document the profile asks for. Returns 0, or -1 with errors in *diags. */
int compile_profile(const profile *p, const library *lib, doc_set *out, diag_list *diags);
/* Build the document for one audience. NULL with errors in *diags on failure. */
document *compile_audience(const profile *p, const library *lib, const profile_audience *a,
                           diag_list *diags);
/* A warning for each value still as `aupc init` printed it [placeholder]. */
void compile_warn_placeholders(const profile *p, diag_list *diags);
/* Who a document for audience A of P is for, as it says ("Pupils in Key
 * Stage 2", "Children aged 7 to 11 (easy read)"). Owned by the caller. */
char *compile_label(const profile *p, const profile_audience *a);

#endif
