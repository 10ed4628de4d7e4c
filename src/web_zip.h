/* web_zip: every file `aupc compile` writes for one profile, as a zip
 * archive in memory (libzip), for aupc serve to hand over. */
#ifndef AUPC_WEB_ZIP_H
#define AUPC_WEB_ZIP_H

#include <stddef.h>

#include "batch.h"
#include "diag.h"
#include "library.h"
#include "profile.h"
#include "util/io.h"

/* FILES (sorted here by name) under the folder DIR, appended to OUT as a
 * zip whose entries are dated APPROVED, so that the same files give the
 * same bytes. Returns 0, or -1 with an error in *diags. */
int web_zip_write(const char *dir, batch_file *files, size_t n, aupc_date approved,
                  strbuf *out, diag_list *diags);

/* The outputs of P, every format compile writes, zipped under a folder
 * named by its id. Returns 0, or -1 with errors in *diags. */
int web_zip_profile(const profile *p, const library *lib, strbuf *out, diag_list *diags);

#endif
