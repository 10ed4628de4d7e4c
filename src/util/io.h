/* util/io: memory helpers that never return NULL, whole-file reads, and
 * atomic writes that never leave a partial file or follow a planted symlink. */
#ifndef AUPC_UTIL_IO_H
#define AUPC_UTIL_IO_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* A growable byte buffer, always NUL-terminated. */
typedef struct {
    char *data;
    size_t len, cap;
} strbuf;

void sb_add(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(strbuf *b);

/* Largest input file aupc reads, in bytes. */
#define IO_MAX_INPUT (8u * 1024 * 1024)

/* Read PATH whole (at most IO_MAX_INPUT bytes). Returns 0, or an errno-style
 * code with *err set to a static explanation. */
int io_read_file(const char *path, char **data, size_t *len, const char **err);

/* Create directory PATH and its parents (mode 0777 less umask). */
int io_mkdirs(const char *path);

/* Write DATA to DIR/NAME atomically: a temporary file beside it, then
 * renamed over NAME. NAME must be a plain file name. The file gets the
 * user's umask. Returns 0 or an errno value. */
int io_write_atomic(const char *dir, const char *name, const void *data, size_t len);

/* Write a set of files into DIR, all or nothing: every file goes to a
 * temporary file first, and only when all of them are written are they
 * renamed into place, so a failure (a full disk, a size limit)
 * leaves every previous file as it was. DIR itself must not be a symlink.
 * Returns 0 or an errno value, with *FAILED the index of the file that
 * failed, or N when DIR could not be opened (ELOOP: it is a symlink). */
typedef struct {
    const char *name;
    const void *data;
    size_t len;
} io_file;

int io_write_set_atomic(const char *dir, const io_file *files, size_t n, size_t *failed);

#endif
