#define _GNU_SOURCE    /* renameat2 */
#include "util/io.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <dirent.h>
#include <signal.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
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

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
/* Address space this process may still take: unlimited unless `ulimit -v`
 * (RLIMIT_AS) says otherwise. */
static size_t address_room(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_AS, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
        return SIZE_MAX;
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "re");
    if (!f)
        return 0;
    int got = fscanf(f, "%lu", &pages);
    fclose(f);
    size_t used = got == 1 ? pages * (size_t)sysconf(_SC_PAGESIZE) : (size_t)r.rlim_cur;
    return r.rlim_cur > used ? (size_t)r.rlim_cur - used : 0;
}
#endif

void *io_heap_advise(char *lo, char *hi, void *grown)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    enum { HUGE = 2u << 20 };
    uintptr_t a = ((uintptr_t)lo + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
    uintptr_t b = (uintptr_t)hi & ~(uintptr_t)(HUGE - 1);
    size_t small = a - (uintptr_t)grown;
    if (b > a)
        madvise((void *)a, b - a, MADV_HUGEPAGE);
    free(grown);
    /* malloc puts a chunk's header before it: ask for a little less */
    return b > a && small > 64 ? malloc(small - 64) : NULL;
#else
    (void)lo;
    (void)hi;
    free(grown);
    return NULL;
#endif
}

/* The main heap's part before huge pages start (io_heap_advise). */
static void *heap_plug;

static void free_heap_plug(void)
{
    free(heap_plug);
    heap_plug = NULL;
}

void io_heap_reserve(size_t bytes)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    enum { HUGE = 2u << 20, MMAP_MAX = 32u << 20 };
    /* under a limit on address space, half of what is left: the rest is
       for the libraries and big blocks that do not come from the heap.
       Asking for more would fail, and glibc would then grow the heap
       from mmap in small steps, without huge pages */
    size_t room = address_room() / 2;
    if (bytes > room)
        bytes = room;
    if (bytes < 4 * HUGE)
        return;
    int pad = bytes < (size_t)INT32_MAX / 2 ? (int)bytes : INT32_MAX / 2;
    /* big arrays from the heap too (32 MiB is glibc's largest threshold),
       and no trimming: what one stage frees, the next reuses */
    mallopt(M_MMAP_THRESHOLD, MMAP_MAX);
    mallopt(M_TRIM_THRESHOLD, INT32_MAX / 2);
    mallopt(M_TOP_PAD, pad);
    char *before = sbrk(0);
    char *p = malloc(HUGE);
    char *after = sbrk(0);
    mallopt(M_TOP_PAD, HUGE);
    if (p && before != (char *)-1 && after != (char *)-1 && after > before && !heap_plug) {
        /* malloc wrote the top's header just past P's block, on a small
           page: huge pages start at the boundary after it */
        heap_plug = io_heap_advise(p + HUGE + 64, after, p);
        atexit(free_heap_plug);
    } else {
        free(p);
    }
#else
    (void)bytes;
#endif
}

void *xgrow(void *p, size_t n, size_t size)
{
    if (n & (n - 1))
        return p;
    if (n > SIZE_MAX / 2 / size)
        out_of_memory();
    return xrealloc(p, (n ? 2 * n : 1) * size);
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

/* Open PATH for reading, refusing what is not a regular file of at most
 * IO_MAX_INPUT bytes. Returns 0 with *FD and *SIZE, or an errno-style code
 * with *ERR set. */
static int open_input(const char *path, int *fd, size_t *size, const char **err)
{
    *err = NULL;
    *size = 0;
    /* O_NONBLOCK: a FIFO or device given as input must be refused below,
     * not block the open until some writer turns up. */
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0) {
        *err = strerror(errno);
        return errno;
    }
    struct stat st;
    int rc = 0;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *err = "not a regular file";
        rc = EINVAL;
    } else if ((unsigned long long)st.st_size > IO_MAX_INPUT) {
        *err = "file is larger than 8 MiB, the most aupc reads";
        rc = EFBIG;
    }
    if (rc != 0)
        close(*fd);
    *size = rc ? 0 : (size_t)st.st_size;
    return rc;
}

int io_read_file(const char *path, char **data, size_t *len, const char **err)
{
    *data = NULL;
    *len = 0;
    int fd;
    size_t size;
    int rc = open_input(path, &fd, &size, err);
    if (rc != 0)
        return rc;
    /* Straight into a buffer of the file's size: a face file is 400 KB,
     * and every copy and regrowth of it costs page faults. */
    strbuf b = {.data = xmalloc(size + 2), .cap = size + 2};
    b.data[0] = '\0';
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

int io_map_file(const char *path, const unsigned char **data, size_t *len, const char **err)
{
    static const unsigned char empty[1];
    *data = NULL;
    *len = 0;
    int fd;
    size_t size;
    int rc = open_input(path, &fd, &size, err);
    if (rc != 0)
        return rc;
    void *map = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : (void *)empty;
    rc = map == MAP_FAILED ? errno : 0;
    close(fd);
    if (rc != 0) {
        *err = strerror(rc);
        return rc;
    }
    *data = map;
    *len = size;
    return 0;
}

void io_unmap_file(const unsigned char *data, size_t len)
{
    if (data && len)
        munmap((void *)data, len);
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

/* Every temporary file or folder aupc makes is ".NAME.aupc-PID-N.tmp"
 * beside NAME: its PID tells a later run whether its maker is still
 * alive, and so whether it is a leftover to remove. */
#define TEMP_MARK ".aupc-"

static void remove_stale_temps(int dirfd);

/* O_EXCL with a fresh name means the temporary file can never be a symlink
 * someone planted, and renameat replaces a link at NAME rather than
 * writing through it. */
static int open_temp(int dirfd, const char *name, char *tmp, size_t size)
{
    /* Atomic: compile -j writes from several threads at once. */
    static atomic_ulong counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(tmp, size, ".%s" TEMP_MARK "%ld-%lu.tmp", name, (long)getpid(),
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
    remove_stale_temps(dirfd);
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
/* Whole sets of files, swapped in as one folder */

/* The fresh folder of a set is a temporary (TEMP_MARK) beside the set's
 * own folder. */

struct io_stage {
    int parentfd;           /* the output folder */
    int dirfd;              /* the fresh folder the set is written into */
    char *parent, *name;    /* the output folder's path; the set's folder name in it */
    char tmpname[256];      /* the fresh folder's name in the output folder */
    size_t made;            /* how many of PARENT's trailing folders this run made */
    pthread_mutex_t lock;   /* guards the list below */
    char **files;
    size_t count;
    int slot;               /* in the registry of folders to remove on a signal */
};

/* The fresh folders in use, for io_cleanup_on_signals: a signal removes
 * them before aupc dies. Fixed slots: the cleanup runs on a thread of its
 * own while the others may still be working. */
#define STAGE_SLOTS 256
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    bool used;
    int parentfd;
    char name[256];
} registry[STAGE_SLOTS];

/* With registry_lock held. */
static int registry_add(int parentfd, const char *name)
{
    int slot = -1;
    for (int i = 0; i < STAGE_SLOTS && slot < 0; i++)
        if (!registry[i].used) {
            registry[i].used = true;
            registry[i].parentfd = parentfd;
            snprintf(registry[i].name, sizeof registry[i].name, "%s", name);
            slot = i;
        }
    return slot;
}

static void registry_drop(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&registry_lock);
    registry[slot].used = false;
    pthread_mutex_unlock(&registry_lock);
}

/* Remove folder NAME in PARENTFD and the files and links in it; anything
 * else in it (a folder someone made there) keeps it, and it stays. */
static int remove_folder(int parentfd, const char *name)
{
    int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return errno;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(fd, e->d_name, 0);
    closedir(d);
    return unlinkat(parentfd, name, AT_REMOVEDIR) == 0 ? 0 : errno;
}

/* Is NAME in the output folder a temporary file or folder that a run of
 * aupc made and left behind when it was killed? */
static bool stale_temp(const char *name)
{
    const char *mark = name[0] == '.' ? strstr(name, TEMP_MARK) : NULL;
    size_t n = strlen(name);
    if (!mark || n < 4 || strcmp(name + n - 4, ".tmp") != 0)
        return false;
    char *end;
    long pid = strtol(mark + strlen(TEMP_MARK), &end, 10);
    if (pid <= 0 || *end != '-')
        return false;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Leftovers of killed runs in the folder PARENTFD: fresh folders of sets
 * and temporary files (diff -o). Only a plain file or folder is removed. */
static void remove_stale_temps(int parentfd)
{
    int fd = dup(parentfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    /* Collected first: removing while reading a folder may skip entries. */
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (stale_temp(e->d_name)) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (fstatat(parentfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(st.st_mode))
                remove_folder(parentfd, names[i]);
            else if (S_ISREG(st.st_mode))
                unlinkat(parentfd, names[i], 0);
        }
        free(names[i]);
    }
    free(names);
}

int io_stage_open(const char *parent, const char *name, size_t made, io_stage **out)
{
    *out = NULL;
    if (!plain_name(name))
        return EINVAL;
    int parentfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (parentfd < 0)
        return errno;
    /* A link at NAME is refused, never followed or replaced: the folder of
     * a set is always a real folder. */
    struct stat st;
    if (fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
        close(parentfd);
        return S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
    }
    remove_stale_temps(parentfd);
    static atomic_ulong counter;
    io_stage *s = xcalloc(1, sizeof *s);
    s->parentfd = parentfd;
    s->dirfd = -1;
    int rc = EEXIST;
    /* Made and registered under the lock, so that a signal's cleanup,
     * which holds it to the end, never misses a folder just made. */
    pthread_mutex_lock(&registry_lock);
    for (int attempt = 0; attempt < 100 && rc == EEXIST; attempt++) {
        snprintf(s->tmpname, sizeof s->tmpname, ".%s" TEMP_MARK "%ld-%lu.tmp", name,
                 (long)getpid(), atomic_fetch_add(&counter, 1));
        rc = mkdirat(parentfd, s->tmpname, 0777) == 0 ? 0 : errno;
    }
    if (rc == 0)
        s->slot = registry_add(parentfd, s->tmpname);
    pthread_mutex_unlock(&registry_lock);
    if (rc == 0) {
        s->dirfd = openat(parentfd, s->tmpname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (s->dirfd < 0) {
            rc = errno;
            unlinkat(parentfd, s->tmpname, AT_REMOVEDIR);
            registry_drop(s->slot);
        }
    }
    if (rc != 0) {
        close(parentfd);
        free(s);
        return rc;
    }
    s->parent = xstrdup(parent);
    s->name = xstrdup(name);
    s->made = made;
    pthread_mutex_init(&s->lock, NULL);
    *out = s;
    return 0;
}

int io_stage_write(io_stage *s, const char *name, const void *data, size_t len)
{
    if (!plain_name(name))
        return EINVAL;
    /* The folder is this run's alone, so each file goes in under its own
     * name; O_NOFOLLOW all the same. */
    /* Created under the registry's lock: once a signal's cleanup has
     * begun, no file appears in a folder it is emptying. */
    pthread_mutex_lock(&registry_lock);
    int fd = openat(s->dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    int err = errno;
    pthread_mutex_unlock(&registry_lock);
    if (fd < 0)
        return err;
    int rc = write_all(fd, data, len);
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    if (rc != 0) {
        unlinkat(s->dirfd, name, 0);
        return rc;
    }
    pthread_mutex_lock(&s->lock);
    bool known = false;
    for (size_t i = 0; i < s->count && !known; i++)
        known = !strcmp(s->files[i], name);
    if (!known) {
        s->files = xrealloc(s->files, (s->count + 1) * sizeof *s->files);
        s->files[s->count++] = xstrdup(name);
    }
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static void stage_free(io_stage *s)
{
    registry_drop(s->slot);
    for (size_t i = 0; i < s->count; i++)
        free(s->files[i]);
    free(s->files);
    pthread_mutex_destroy(&s->lock);
    if (s->dirfd >= 0)
        close(s->dirfd);
    close(s->parentfd);
    free(s->parent);
    free(s->name);
    free(s);
}

static bool in_set(const io_stage *s, const char *name)
{
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->files[i], name))
            return true;
    return false;
}

/* Before the swap: the old folder's other files (another format, a file
 * the school keeps there) join the new set as hard links, so the swap
 * loses nothing; a folder, device or pipe at one of the set's names, or
 * anywhere in it, stops the swap (0 or an errno value, *FAILED the name). */
static int carry_over(io_stage *s, int oldfd, char **failed)
{
    int fd = dup(oldfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return errno;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        struct stat st;
        if (fstatat(oldfd, n, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        bool ours = in_set(s, n);
        if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
            rc = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
            *failed = xstrdup(n);
        } else if (ours || n[0] == '.') {
            continue;    /* replaced, or a temporary file of an older aupc */
        } else if (S_ISREG(st.st_mode) && linkat(oldfd, n, s->dirfd, n, 0) != 0) {
            rc = errno;
            *failed = xstrdup(n);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t k = readlinkat(oldfd, n, target, sizeof target - 1);
            if (k >= 0) {
                target[k] = '\0';
                if (symlinkat(target, s->dirfd, n) != 0)
                    rc = errno, *failed = xstrdup(n);
            }
        }
    }
    closedir(d);
    return rc;
}

/* Swap the fresh folder in for NAME in one rename: RENAME_EXCHANGE when
 * NAME is there, RENAME_NOREPLACE when it is not (so two runs that both
 * find nothing do not lose one set). Returns 0, or an errno value with
 * *FAILED set when one of the old folder's entries stopped it. */
static int swap_in(io_stage *s, char **failed)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        int oldfd = openat(s->parentfd, s->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (oldfd < 0 && errno == ENOENT) {
            if (renameat2(s->parentfd, s->tmpname, s->parentfd, s->name, RENAME_NOREPLACE) == 0)
                return 0;
            if (errno != EEXIST)
                return errno;
            continue;    /* another run put its set there first: swap with it */
        }
        if (oldfd < 0)
            return errno == ENOTDIR || errno == ELOOP ? ELOOP : errno;
        int rc = 0;
        struct stat st;
        /* A folder the school made read-only is not to be replaced. */
        if (faccessat(s->parentfd, s->name, W_OK, AT_EACCESS) != 0)
            rc = errno;
        if (rc == 0)
            rc = carry_over(s, oldfd, failed);
        if (rc == 0 && fstat(oldfd, &st) == 0)
            fchmod(s->dirfd, st.st_mode & 07777);
        close(oldfd);
        if (rc != 0)
            return rc;
        if (renameat2(s->parentfd, s->tmpname, s->parentfd, s->name, RENAME_EXCHANGE) != 0) {
            if (errno != EINVAL && errno != ENOSYS)
                return errno;
            /* A file system without the exchange: the old set aside under
             * a name the next run would clear, then the new one in. For a
             * moment there is no set at all, never a mixed one. */
            char aside[300];
            snprintf(aside, sizeof aside, "%.250s.old.tmp", s->tmpname);
            if (renameat(s->parentfd, s->name, s->parentfd, aside) != 0)
                return errno;
            if (renameat(s->parentfd, s->tmpname, s->parentfd, s->name) != 0) {
                int e = errno;
                renameat(s->parentfd, aside, s->parentfd, s->name);
                return e;
            }
            remove_folder(s->parentfd, aside);
            return 0;
        }
        /* The old set now has the fresh folder's name: remove it (if this
         * run dies first, the next run does). */
        remove_folder(s->parentfd, s->tmpname);
        return 0;
    }
    return EBUSY;
}

/* Only folders this run made for the output, and only while empty: rmdir
 * refuses a folder anything else has written into since. */
static void rmdir_made(io_stage *s)
{
    char *p = s->parent;
    for (size_t k = 0; k < s->made; k++) {
        if (rmdir(p) != 0)
            break;
        char *slash = strrchr(p, '/');
        if (!slash || slash == p)
            break;
        *slash = '\0';
    }
}

int io_stage_commit(io_stage *s, char **failed)
{
    *failed = NULL;
    /* Under the registry's lock, so that a signal's cleanup never empties
     * a fresh folder as it is swapped in. */
    pthread_mutex_lock(&registry_lock);
    int rc = swap_in(s, failed);
    pthread_mutex_unlock(&registry_lock);
    if (rc != 0) {
        if (!*failed)
            *failed = xstrdup("");
        remove_folder(s->parentfd, s->tmpname);
        rmdir_made(s);
    }
    stage_free(s);
    return rc;
}

void io_stage_abort(io_stage *s)
{
    if (!s)
        return;
    remove_folder(s->parentfd, s->tmpname);
    rmdir_made(s);
    stage_free(s);
}

/* ------------------------------------------------------------------ */
/* Signals */

static sigset_t cleanup_signals;

static void *cleanup_on_signal(void *arg)
{
    (void)arg;
    int sig;
    if (sigwait(&cleanup_signals, &sig) != 0)
        return NULL;
    /* Held to the end: no set is swapped in once the cleanup has begun. */
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < STAGE_SLOTS; i++)
        if (registry[i].used)
            remove_folder(registry[i].parentfd, registry[i].name);
    /* Die of the signal, as the shell expects. */
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);
}

int io_cleanup_on_signals(void)
{
    sigemptyset(&cleanup_signals);
    sigaddset(&cleanup_signals, SIGINT);
    sigaddset(&cleanup_signals, SIGTERM);
    sigaddset(&cleanup_signals, SIGHUP);
    int rc = pthread_sigmask(SIG_BLOCK, &cleanup_signals, NULL);
    pthread_t t;
    if (rc == 0 && (rc = pthread_create(&t, NULL, cleanup_on_signal, NULL)) == 0)
        pthread_detach(t);
    else
        pthread_sigmask(SIG_UNBLOCK, &cleanup_signals, NULL);
    return rc;
}
