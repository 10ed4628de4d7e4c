/* libFuzzer harness: the profile loader, and for a profile that loads,
 * the whole compile (selection, templates) and the Markdown and HTML
 * renderers. Build and run with `make fuzz` (see README.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "compile.h"
#include "library.h"
#include "profile.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static library *lib;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!lib) {
        diag_list d = {0};
        lib = library_load_embedded(&d);
        diag_free(&d);
        if (!lib)
            abort();
    }
    diag_list diags = {0};
    profile *p = profile_parse("fuzz.xml", (const char *)data, size, &diags);
    if (p) {
        doc_set docs = {0};
        if (compile_profile(p, lib, &docs, &diags) == 0) {
            for (size_t i = 0; i < docs.count; i++) {
                free(render_md(docs.docs[i]));
                free(render_html(docs.docs[i]));
            }
            doc_set_free(&docs);
        }
        profile_free(p);
    } else if (diags.count == 0) {
        abort();   /* a refusal must always say why */
    }
    diag_free(&diags);
    return 0;
}
