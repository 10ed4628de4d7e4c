#include "util/io.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
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

char *sb_reserve(strbuf *b, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    return b->data + b->len;
}

void sb_add(strbuf *b, const char *s, size_t n)
{
    memcpy(sb_reserve(b, n), s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sb_puts(strbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
    /* Straight into the buffer: renderers print a line at a time, and a
     * copy through a malloc'd string for each was a good part of a long
     * diff's output. */
    size_t room = b->cap > b->len + 1 ? b->cap - b->len - 1 : 0;
    if (room < 128)
        room = 128;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sb_reserve(b, room), room + 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();
    if ((size_t)n > room) {
        va_start(ap, fmt);
        vsnprintf(sb_reserve(b, (size_t)n), (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
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
    /* Straight into a buffer of the file's size: a face file is 400 KB,
     * and every copy and regrowth of it costs page faults. */
    strbuf b = {0};
    sb_reserve(&b, (size_t)st.st_size + 1)[0] = '\0';
    for (;;) {
        size_t room = b.cap - b.len - 1;
        if (room == 0)
            room = 65536;
        ssize_t n = read(fd, sb_reserve(&b, room), room);
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
        b.len += (size_t)n;
        b.data[b.len] = '\0';
    }
    close(fd);
    *data = b.data;
    *len = b.len;
    return 0;
}

int io_mkdirs(const char *path, size_t *made)
{
    size_t count = 0;
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) == 0)
            count++;
        else if (errno == EEXIST)
            count = 0;      /* only a trailing run of new folders is ours alone */
        else {
            rc = errno;
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    if (rc == 0) {
        struct stat st;
        if (stat(p, &st) != 0)
            rc = errno;
        else if (!S_ISDIR(st.st_mode))
            rc = ENOTDIR;
    }
    free(p);
    if (made)
        *made = rc == 0 ? count : 0;
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

/* DATA in full in a new temporary file for NAME in DIRFD, its name in TMP.
 * Returns 0, or an errno value with nothing left behind. */
static int write_temp(int dirfd, const char *name, const void *data, size_t len, char *tmp,
                      size_t size)
{
    int fd = open_temp(dirfd, name, tmp, size);
    if (fd < 0)
        return errno;
    int rc = write_all(fd, data, len);
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    if (rc != 0)
        unlinkat(dirfd, tmp, 0);
    return rc;
}

/* A file name aupc makes itself: no folder, not hidden, not empty. */
static bool plain_name(const char *name)
{
    return !strchr(name, '/') && name[0] != '.' && name[0] != '\0';
}

int io_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
    if (!plain_name(name))
        return EINVAL;
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return errno;
    char tmp[512];
    int rc = write_temp(dirfd, name, data, len, tmp, sizeof tmp);
    if (rc == 0 && renameat(dirfd, tmp, dirfd, name) != 0) {
        rc = errno;
        unlinkat(dirfd, tmp, 0);
    }
    close(dirfd);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Single output files */

int io_file_id_of(const char *path, io_file_id *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno;
    *out = (io_file_id){(unsigned long long)st.st_dev, (unsigned long long)st.st_ino};
    return 0;
}

/* Why ST, found where an output file should go, may not be replaced. */
static int refuse_kind(const struct stat *st, const char **why)
{
    if (S_ISREG(st->st_mode))
        return 0;
    if (S_ISLNK(st->st_mode))
        *why = "it is a symbolic link";
    else if (S_ISDIR(st->st_mode))
        *why = "it is a folder";
    else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        *why = "it is a device";
    else if (S_ISFIFO(st->st_mode))
        *why = "it is a named pipe (FIFO)";
    else if (S_ISSOCK(st->st_mode))
        *why = "it is a socket";
    else
        *why = "it is not a regular file";
    return S_ISDIR(st->st_mode) ? EISDIR : S_ISLNK(st->st_mode) ? ELOOP : EEXIST;
}

/* 0 when NAME in DIRFD may become an output file. */
static int output_check_at(int dirfd, const char *name, const io_file_id *avoid, size_t n,
                           const char **why, int *input)
{
    *why = NULL;
    *input = -1;
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : errno;
    int rc = refuse_kind(&st, why);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (avoid[i].dev == (unsigned long long)st.st_dev &&
            avoid[i].ino == (unsigned long long)st.st_ino) {
            *why = "it is one of the input files";
            *input = (int)i;
            return EINVAL;
        }
    return 0;
}

/* PATH's folder opened, and its last component in *NAME (owned). */
static int open_parent(const char *path, char **name)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    *name = xstrdup(slash ? slash + 1 : path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int e = errno;
    free(dir);
    if (fd < 0) {
        free(*name);
        *name = NULL;
        errno = e;
    }
    return fd;
}

int io_output_check(const char *path, const io_file_id *avoid, size_t n, const char **why,
                    int *input)
{
    *why = NULL;
    *input = -1;
    char *name;
    int dirfd = open_parent(path, &name);
    if (dirfd < 0)
        return errno;
    int rc = !*name || !strcmp(name, ".") || !strcmp(name, "..")
                 ? (*why = "it is a folder", EISDIR)
                 : output_check_at(dirfd, name, avoid, n, why, input);
    close(dirfd);
    free(name);
    return rc;
}

int io_write_output(const char *path, const void *data, size_t len, const io_file_id *avoid,
                    size_t n, const char **why, int *input)
{
    int rc = io_output_check(path, avoid, n, why, input);
    if (rc)
        return rc;
    char *name;
    int dirfd = open_parent(path, &name);
    if (dirfd < 0)
        return errno;
    char tmp[512];
    rc = write_temp(dirfd, name, data, len, tmp, sizeof tmp);
    /* Checked again just before the rename: what was a regular file a
     * moment ago may have been swapped for a device or a link. */
    if (rc == 0)
        rc = output_check_at(dirfd, name, avoid, n, why, input);
    if (rc == 0 && renameat(dirfd, tmp, dirfd, name) != 0)
        rc = errno;
    if (rc != 0)
        unlinkat(dirfd, tmp, 0);
    close(dirfd);
    free(name);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Staged sets of files */

typedef struct {
    char *name, *tmp;
} staged;

struct io_stage {
    int dirfd;
    char *dir;
    size_t made;            /* how many of DIR's trailing folders this run made */
    pthread_mutex_t lock;   /* guards the list below */
    staged *files;
    size_t count;
};

int io_stage_open(const char *dir, size_t made, io_stage **out)
{
    *out = NULL;
    /* O_NOFOLLOW: the folder aupc made for the output is never a link
     * someone planted to send the files elsewhere. */
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dirfd < 0) {
        int e = errno;
        struct stat st;
        if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
            e = ELOOP;
        return e;
    }
    io_stage *s = xcalloc(1, sizeof *s);
    s->dirfd = dirfd;
    s->dir = xstrdup(dir);
    s->made = made;
    pthread_mutex_init(&s->lock, NULL);
    *out = s;
    return 0;
}

int io_stage_write(io_stage *s, const char *name, const void *data, size_t len)
{
    if (!plain_name(name))
        return EINVAL;
    char tmp[512];
    int rc = write_temp(s->dirfd, name, data, len, tmp, sizeof tmp);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&s->lock);
    s->files = xrealloc(s->files, (s->count + 1) * sizeof *s->files);
    s->files[s->count++] = (staged){xstrdup(name), xstrdup(tmp)};
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static void stage_free(io_stage *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->files[i].name), free(s->files[i].tmp);
    free(s->files);
    pthread_mutex_destroy(&s->lock);
    close(s->dirfd);
    free(s->dir);
    free(s);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const staged *)a)->name, ((const staged *)b)->name);
}

int io_stage_commit(io_stage *s, char **failed)
{
    *failed = NULL;
    /* In name order, whatever order the threads finished in, so a failure
     * is the same failure every time. */
    qsort(s->files, s->count, sizeof *s->files, by_name);
    int rc = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (rc == 0 && renameat(s->dirfd, s->files[i].tmp, s->dirfd, s->files[i].name) != 0) {
            rc = errno;
            *failed = xstrdup(s->files[i].name);
        }
        if (rc != 0)
            unlinkat(s->dirfd, s->files[i].tmp, 0);
    }
    stage_free(s);
    return rc;
}

void io_stage_abort(io_stage *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        unlinkat(s->dirfd, s->files[i].tmp, 0);
    /* Only folders this stage made, and only while empty: rmdir refuses a
     * folder anything else has written into since. */
    char *p = s->dir;
    for (size_t k = 0; k < s->made; k++) {
        if (rmdir(p) != 0)
            break;
        char *slash = strrchr(p, '/');
        if (!slash || slash == p)
            break;
        *slash = '\0';
    }
    stage_free(s);
}
