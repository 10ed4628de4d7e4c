#include "web_zip.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "format.h"
#include "lazylib.h"

/* The files in name order, as compile renames them into place. */
static int by_name(const void *a, const void *b)
{
    return strcmp(((const batch_file *)a)->name, ((const batch_file *)b)->name);
}

/* Every entry dated the day the policy was approved, at noon UTC, so the
 * same profile gives the same archive. */
static time_t entry_time(aupc_date approved)
{
    struct tm tm = {.tm_year = (approved.year > 1980 ? approved.year : 1980) - 1900,
                    .tm_mon = approved.month > 0 ? approved.month - 1 : 0,
                    .tm_mday = approved.day > 0 ? approved.day : 1, .tm_hour = 12};
    return timegm(&tm);
}

static int fail(const lazylib_zip *z, diag_list *diags, zip_error_t *e)
{
    diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL, "cannot make the zip: %s",
             z->zip_error_strerror(e));
    return -1;
}

/* Add FILES under DIR/ to ZA. */
static int add_all(const lazylib_zip *z, zip_t *za, const char *dir, batch_file *files,
                   size_t n, time_t when, zip_error_t *err)
{
    char *folder = xasprintf("%s/", dir);
    zip_int64_t d = z->zip_dir_add(za, folder, ZIP_FL_ENC_UTF_8);
    free(folder);
    if (d < 0 || z->zip_file_set_mtime(za, (zip_uint64_t)d, when, 0) < 0)
        goto bad;
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = z->zip_source_buffer(za, files[i].data, files[i].len, 0);
        char *name = xasprintf("%s/%s", dir, files[i].name);
        zip_int64_t at = s ? z->zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) : -1;
        free(name);
        if (at < 0) {
            z->zip_source_free(s);
            goto bad;
        }
        /* PDFs are compressed already: stored, they cost nothing to pack. */
        size_t len = strlen(files[i].name);
        bool pdf = len > 4 && !strcmp(files[i].name + len - 4, ".pdf");
        if (z->zip_set_file_compression(za, (zip_uint64_t)at,
                                        pdf ? ZIP_CM_STORE : ZIP_CM_DEFLATE, pdf ? 0 : 6) < 0
            || z->zip_file_set_mtime(za, (zip_uint64_t)at, when, 0) < 0)
            goto bad;
    }
    return 0;
bad:
    z->zip_error_set(err, z->zip_error_code_zip(z->zip_get_error(za)),
                     z->zip_error_code_system(z->zip_get_error(za)));
    return -1;
}

int web_zip_write(const char *dir, batch_file *files, size_t n, aupc_date approved,
                  strbuf *out, diag_list *diags)
{
    const lazylib_zip *z = lazylib_zip_load("The zip of every document", diags);
    if (!z)
        return -1;
    qsort(files, n, sizeof *files, by_name);
    zip_error_t err;
    z->zip_error_init(&err);
    zip_source_t *mem = z->zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *za = mem ? z->zip_open_from_source(mem, ZIP_TRUNCATE, &err) : NULL;
    if (!za) {
        z->zip_source_free(mem);
        int rc = fail(z, diags, &err);
        z->zip_error_fini(&err);
        return rc;
    }
    z->zip_source_keep(mem);   /* it outlives the archive, which writes into it on close */
    int rc = add_all(z, za, dir, files, n, entry_time(approved), &err);
    if (rc == 0 && z->zip_close(za) < 0) {
        z->zip_error_set(&err, z->zip_error_code_zip(z->zip_get_error(za)),
                         z->zip_error_code_system(z->zip_get_error(za)));
        rc = -1;
    }
    if (rc != 0)
        z->zip_discard(za);
    zip_stat_t st;
    if (rc == 0 && (z->zip_source_open(mem) < 0 || z->zip_source_stat(mem, &st) < 0))
        rc = -1;
    if (rc == 0) {
        char *dst = sb_reserve(out, st.size);
        zip_int64_t got = z->zip_source_read(mem, dst, st.size);
        z->zip_source_close(mem);
        if (got < 0 || (zip_uint64_t)got != st.size)
            rc = -1;
        else
            out->len += st.size, out->data[out->len] = '\0';
    }
    if (rc != 0) {
        if (!z->zip_error_code_zip(&err))
            z->zip_error_set(&err, ZIP_ER_INTERNAL, 0);
        fail(z, diags, &err);
    }
    z->zip_source_free(mem);
    z->zip_error_fini(&err);
    return rc;
}

int web_zip_profile(const profile *p, const library *lib, strbuf *out, diag_list *diags)
{
    doc_set docs = {0};
    if (compile_profile(p, lib, &docs, diags) != 0)
        return -1;
    batch_file *files;
    size_t n;
    int rc = batch_render(p, &docs, format_compile_mask(false), NULL, &files, &n, diags)
                     == BATCH_OK
                 ? web_zip_write(p->id, files, n, p->review.approved, out, diags)
                 : -1;
    batch_files_free(files, n);
    doc_set_free(&docs);
    return rc;
}
