#include "lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lazylib_names.h"

/* One library: what it is called, where its table is, and how loading went. */
typedef struct {
    const char *soname, *package;
    const char *const *names;   /* the table's functions, in member order */
    void *table;
    size_t count;
    pthread_once_t once;
    bool ok;
    char error[256];            /* dlerror's words when not ok */
} library_slot;

#define LAZYLIB_NAME(f) #f,
static const char *const zip_names[] = {LAZYLIB_ZIP_FUNCTIONS(LAZYLIB_NAME)};
static const char *const mhd_names[] = {LAZYLIB_MHD_FUNCTIONS(LAZYLIB_NAME)};
#undef LAZYLIB_NAME

static lazylib_zip zip_table;
static lazylib_mhd mhd_table;

/* The tables are read as arrays of function pointers: every member is
 * one, and these make sure nothing else crept in. */
_Static_assert(sizeof zip_table == sizeof zip_names / sizeof *zip_names * sizeof(void (*)(void)),
               "lazylib_zip holds exactly the functions of LAZYLIB_ZIP_FUNCTIONS");
_Static_assert(sizeof mhd_table == sizeof mhd_names / sizeof *mhd_names * sizeof(void (*)(void)),
               "lazylib_mhd holds exactly the functions of LAZYLIB_MHD_FUNCTIONS");

static library_slot zip_slot = {LAZYLIB_ZIP_SONAME, LAZYLIB_ZIP_PACKAGE, zip_names, &zip_table,
                                sizeof zip_names / sizeof *zip_names, PTHREAD_ONCE_INIT, false, ""};
static library_slot mhd_slot = {LAZYLIB_MHD_SONAME, LAZYLIB_MHD_PACKAGE, mhd_names, &mhd_table,
                                sizeof mhd_names / sizeof *mhd_names, PTHREAD_ONCE_INIT, false, ""};

static void load(library_slot *l)
{
    /* RTLD_NOW: a library without one of the functions fails here, once,
     * not in the middle of a request. The handle is kept for the life of
     * the process. */
    void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
    const char *why = h ? NULL : dlerror();
    for (size_t i = 0; h && i < l->count; i++) {
        void *f = dlsym(h, l->names[i]);
        if (!f) {
            why = dlerror();
            break;
        }
        /* POSIX guarantees a function's address survives the trip through
         * void *; memcpy makes the conversion without ISO C's objection. */
        memcpy((char *)l->table + i * sizeof f, &f, sizeof f);
    }
    l->ok = h && !why;
    if (!l->ok)
        snprintf(l->error, sizeof l->error, "%s", why ? why : "unknown error");
    if (h && !l->ok)
        dlclose(h);
}

static void load_zip(void)
{
    load(&zip_slot);
}

static void load_mhd(void)
{
    load(&mhd_slot);
}

static bool ready(library_slot *l, void (*once)(void), const char *purpose, diag_list *diags)
{
    pthread_once(&l->once, once);
    if (!l->ok)
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL,
                 "%s needs %s, which cannot be loaded (%s); on Debian or Ubuntu install "
                 "the package %s (sudo apt install %s)",
                 purpose, l->soname, l->error, l->package, l->package);
    return l->ok;
}

const lazylib_zip *lazylib_zip_load(const char *purpose, diag_list *diags)
{
    return ready(&zip_slot, load_zip, purpose, diags) ? &zip_table : NULL;
}

const lazylib_mhd *lazylib_mhd_load(const char *purpose, diag_list *diags)
{
    return ready(&mhd_slot, load_mhd, purpose, diags) ? &mhd_table : NULL;
}
