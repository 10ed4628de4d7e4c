#include "util/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void out_of_memory(void)
{
    fputs("aupc: out of memory\n", stderr);
    exit(3);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        out_of_memory();
    char *p = xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sb_puts(strbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    sb_puts(b, s);
    free(s);
}

void sb_free(strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int io_read_file(const char *path, char **data, size_t *len, const char **err)
{
    *data = NULL;
    *len = 0;
    *err = NULL;
    /* O_NONBLOCK: a FIFO or device given as input must be refused below,
     * not block the open until some writer turns up. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *err = strerror(errno);
        return errno;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *err = "not a regular file";
        close(fd);
        return EINVAL;
    }
    if ((unsigned long long)st.st_size > IO_MAX_INPUT) {
        *err = "file is larger than 8 MiB, the most aupc reads";
        close(fd);
        return EFBIG;
    }
    strbuf b = {0};
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err = strerror(errno);
            int e = errno;
            close(fd);
            sb_free(&b);
            return e;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > IO_MAX_INPUT) {
            *err = "file is larger than 8 MiB, the most aupc reads";
            close(fd);
            sb_free(&b);
            return EFBIG;
        }
        sb_add(&b, chunk, (size_t)n);
    }
    close(fd);
    if (!b.data)
        b.data = xstrdup("");
    *data = b.data;
    *len = b.len;
    return 0;
}

int io_mkdirs(const char *path)
{
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = errno;
                break;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    if (rc == 0) {
        struct stat st;
        if (stat(p, &st) != 0)
            rc = errno;
        else if (!S_ISDIR(st.st_mode))
            rc = ENOTDIR;
    }
    free(p);
    return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes are not fsync'd: everything aupc writes can be made again from
 * the profile, the rename already keeps readers from ever seeing half a
 * file, and an fsync per file took a quarter of a one-setting compile. */

/* O_EXCL with a fresh name means the temporary file can never be a symlink
 * someone planted, and renameat replaces a link at NAME rather than
 * writing through it. */
static int open_temp(int dirfd, const char *name, char *tmp, size_t size)
{
    /* Atomic: compile -j writes from several threads at once. */
    static atomic_ulong counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(tmp, size, ".%s.%ld.%lu.tmp", name, (long)getpid(),
                 atomic_fetch_add(&counter, 1));
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

int io_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
    if (strchr(name, '/') || name[0] == '.' || name[0] == '\0')
        return EINVAL;
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return errno;
    char tmp[512];
    int fd = open_temp(dirfd, name, tmp, sizeof tmp);
    if (fd < 0) {
        int e = errno;
        close(dirfd);
        return e;
    }
    int rc = write_all(fd, data, len);
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    if (rc == 0 && renameat(dirfd, tmp, dirfd, name) != 0)
        rc = errno;
    if (rc != 0)
        unlinkat(dirfd, tmp, 0);
    close(dirfd);
    return rc;
}

int io_write_set_atomic(const char *dir, const io_file *files, size_t n, size_t *failed)
{
    *failed = 0;
    /* O_NOFOLLOW: the folder aupc made for the output is never a link
     * someone planted to send the files elsewhere. */
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirfd < 0) {
        int e = errno;
        struct stat st;
        if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
            e = ELOOP;
        *failed = n;
        return e;
    }
    char (*tmp)[512] = xcalloc(n, sizeof *tmp);
    size_t made = 0;
    int rc = 0;
    for (; made < n && rc == 0; made++) {
        const char *name = files[made].name;
        if (strchr(name, '/') || name[0] == '.' || name[0] == '\0') {
            rc = EINVAL;
            break;
        }
        int fd = open_temp(dirfd, name, tmp[made], sizeof tmp[made]);
        if (fd < 0) {
            rc = errno;
            break;
        }
        rc = write_all(fd, files[made].data, files[made].len);
        if (close(fd) != 0 && rc == 0)
            rc = errno;
        if (rc != 0)
            unlinkat(dirfd, tmp[made], 0);
        if (rc != 0)
            break;
    }
    if (rc != 0) {
        *failed = made;
        for (size_t i = 0; i < made; i++)
            unlinkat(dirfd, tmp[i], 0);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (rc == 0 && renameat(dirfd, tmp[i], dirfd, files[i].name) != 0) {
                rc = errno;
                *failed = i;
            }
            if (rc != 0)
                unlinkat(dirfd, tmp[i], 0);
        }
    }
    free(tmp);
    close(dirfd);
    return rc;
}
