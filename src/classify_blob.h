/* classify_blob: the classifier in a flat form made at build time.
 *
 * Loading statements/classify.xml compiles some 160 rules and a vocabulary
 * of thousands of words, which took longer than linting a page of text.
 * The build (tools/classgen.c) loads it once and writes the result as
 * bytes, which aupc reads back with no XML and no compiling. The bytes
 * belong to the machine and build that wrote them: a header names the
 * format and the sizes of its numbers, and a blob that does not match is
 * refused, so that the XML is loaded instead. */
#ifndef AUPC_CLASSIFY_BLOB_H
#define AUPC_CLASSIFY_BLOB_H

#include <stddef.h>

#include "classify.h"
#include "util/io.h"

/* The blob the build made from the built-in statements/classify.xml
 * (classify_blob_data.c, generated); size 0 in a build without one. */
extern const unsigned char classify_blob_data[];
extern const size_t classify_blob_size;

/* The classifier built into aupc: the build's blob, or, in a build
 * without one, statements/classify.xml compiled now. NULL, with errors in
 * *DIAGS, when its data is broken. */
classifier *classify_load_embedded(diag_list *diags);

/* Append C in flat form to OUT. */
void classify_blob_write(const classifier *c, strbuf *out);
/* The classifier the LEN bytes at DATA hold, or NULL when they are not a
 * whole blob of this format and build. Free with classify_free. */
classifier *classify_blob_read(const unsigned char *data, size_t len);

#endif
