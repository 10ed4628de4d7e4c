/* libFuzzer harness: aupc lint on one Markdown draft held in memory (the
 * metadata comment, waivers, the principles engine, readability and the
 * page count through layout). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "library.h"
#include "lint.h"
#include "principles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static library *lib;
static principle_set *ps;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!lib) {
        diag_list d = {0};
        lib = library_load_embedded(&d);
        ps = lib ? principles_load(NULL, &d) : NULL;
        diag_free(&d);
        if (!lib || !ps)
            abort();
    }
    lint_options o = {.audience = NULL, .today = {2026, 10, 1}, .pdf = NULL};
    principle_report report = {0};
    lint_source(ps, lib, "fuzz.md", (const char *)data, size, &o, &report);
    for (size_t i = 0; i < report.diags.count; i++)
        if (!report.diags.items[i].message || report.diags.items[i].line < 0)
            abort();
    principle_report_free(&report);
    return 0;
}
