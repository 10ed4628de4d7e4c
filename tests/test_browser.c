/* aupc serve in a real browser: tests/browser/serve.js drives Debian's
 * chromium with puppeteer-core (installed by make test from the pinned
 * tests/browser/package-lock.json) and checks the pages with axe-core. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <unistd.h>

#include "helpers.h"
#include "util/io.h"

Test(browser, questionnaire_in_chromium, .timeout = 900)
{
    char *modules = src_path("tests/browser/node_modules/puppeteer-core");
    cr_assert_eq(access(modules, R_OK), 0,
                 "puppeteer-core is not installed: run make test (it runs npm ci in tests/browser)");
    cr_assert_eq(access("/usr/bin/chromium", X_OK), 0, "Debian's chromium is not installed");
    const char *bin = getenv("AUPC");
    char *fallback = xasprintf("%s/aupc", AUPC_BUILD_ROOT);
    char *script = src_path("tests/browser/serve.js");
    char *root = src_path("");
    char *cmd = xasprintf("node '%s' '%s' '%s' 2>&1", script, bin ? bin : fallback, root);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "the browser checks failed:\n%s", r.out);
    run_free(&r);
    free(cmd);
    free(root);
    free(script);
    free(fallback);
    free(modules);
}
