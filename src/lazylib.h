/* lazylib: libmicrohttpd and libzip, loaded the first time a command needs
 * them rather than by every run of aupc.
 *
 * Only `serve` and Word output use them, but linked in they and what they
 * pull (GnuTLS, p11-kit, nettle, GMP, libidn2, OpenSSL's libcrypto, ...)
 * cost every command some 10 ms of loading and relocation. Each library is
 * opened by the soname the build linked against (lazylib_names.h, written
 * by tools/soname.py when meson configures) and its functions are looked up
 * once, into the table below; the tables are filled under pthread_once, so
 * any thread may ask. Callers call through the table: z->zip_close(za). */
#ifndef AUPC_LAZYLIB_H
#define AUPC_LAZYLIB_H

#include <microhttpd.h>
#include <zip.h>

#include "diag.h"

/* The functions aupc uses, one list per library. */
#define LAZYLIB_ZIP_FUNCTIONS(X) \
    X(zip_close) X(zip_dir_add) X(zip_discard) X(zip_error_code_system) \
    X(zip_error_code_zip) X(zip_error_fini) X(zip_error_init) X(zip_error_set) \
    X(zip_error_strerror) X(zip_file_add) X(zip_file_set_mtime) X(zip_get_error) \
    X(zip_open_from_source) X(zip_set_file_compression) X(zip_source_buffer) \
    X(zip_source_buffer_create) X(zip_source_close) X(zip_source_free) X(zip_source_keep) \
    X(zip_source_open) X(zip_source_read) X(zip_source_stat)

#define LAZYLIB_MHD_FUNCTIONS(X) \
    X(MHD_add_response_header) X(MHD_create_post_processor) \
    X(MHD_create_response_from_buffer) X(MHD_destroy_post_processor) X(MHD_destroy_response) \
    X(MHD_lookup_connection_value) X(MHD_post_process) X(MHD_queue_response) \
    X(MHD_resume_connection) X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_suspend_connection)

/* Each member has the type of the function of its name, from the
 * library's own header, so a call through it is checked as a direct one. */
#define LAZYLIB_MEMBER(f) __typeof__(f) *f;
typedef struct {
    LAZYLIB_ZIP_FUNCTIONS(LAZYLIB_MEMBER)
} lazylib_zip;
typedef struct {
    LAZYLIB_MHD_FUNCTIONS(LAZYLIB_MEMBER)
} lazylib_mhd;
#undef LAZYLIB_MEMBER

/* The table, loading the library on the first call. NULL when it cannot be
 * loaded, with an error in *diags saying that PURPOSE ("Word output", "aupc
 * serve") needs it, which file was missing and which Debian package has it. */
const lazylib_zip *lazylib_zip_load(const char *purpose, diag_list *diags);
const lazylib_mhd *lazylib_mhd_load(const char *purpose, diag_list *diags);

#endif
