/* libFuzzer harness: aupc diff on two Markdown drafts. The input is split
 * at its first 0xFF byte (never valid UTF-8, so it never needs to be part
 * of a draft): old draft before, new draft after. Every text renderer runs
 * over the change set. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = memchr(data, 0xFF, size);
    size_t old_len = sep ? (size_t)(sep - data) : size;
    const char *new_text = sep ? (const char *)sep + 1 : "";
    size_t new_len = sep ? size - old_len - 1 : 0;
    diff_result r;
    memset(&r, 0, sizeof r);
    diag_list dl = {0};
    int rc = diff_drafts("old.md", (const char *)data, old_len, "new.md", new_text, new_len, &r,
                         &dl);
    /* A draft past the limits is refused with one error, and nothing to render. */
    size_t errors = diag_count(&dl, DIAG_ERROR);
    diag_free(&dl);
    if (rc != 0) {
        if (errors != 1 && errors != 2)
            abort();
        return 0;
    }
    diff_render_opts o = {.colour = size & 1, .stat = (size & 6) == 6};
    free(diff_render_text(&r, &o));
    free(diff_render_md(&r, &o));
    free(diff_render_html(&r, &o));
    free(diff_render_json(&r, &o));
    /* The same draft on both sides is never a change. */
    if (!sep) {
        diff_result same;
        memset(&same, 0, sizeof same);
        if (diff_drafts("a.md", (const char *)data, size, "b.md", (const char *)data, size,
                        &same, &dl) == 0 && !diff_identical(&same))
            abort();
        diff_result_free(&same);
        diag_free(&dl);
    }
    diff_result_free(&r);
    return 0;
}
