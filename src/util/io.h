/* util/io: memory helpers that never return NULL, whole-file reads, and
 * atomic writes that never leave a partial file or follow a planted symlink. */
#ifndef AUPC_UTIL_IO_H
#define AUPC_UTIL_IO_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* P, an array of N elements of SIZE bytes that only ever grows by one, with
 * room for one more. The capacity is the next power of two, so growth is
 * amortised without a capacity field; a realloc per element is quadratic
 * where realloc copies (under ASan, and glibc for most sizes). */
void *xgrow(void *p, size_t n, size_t size);
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
/* Room for N more bytes at the end of B, returned for the caller to fill;
 * the caller then adds what it wrote to b->len and ends it with a NUL. */
char *sb_reserve(strbuf *b, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(strbuf *b);

/* Tell the allocator that about BYTES of small blocks are coming (lint of
 * a long draft: tens of megabytes of tree nodes, units and classes). The
 * heap grows once by that much, backed by huge pages where the kernel
 * allows them, and freed memory stays for reuse: on a virtual machine a
 * fault per 4 KiB page costs more than the work done in it. Only a hint:
 * nothing happens under an allocator other than glibc's (sanitizers,
 * valgrind). */
void io_heap_reserve(size_t bytes);
/* For a heap just grown by GROWN (a block at its top) over [LO, HI), not
 * yet touched: advise huge pages where they can back it, free GROWN, and
 * allocate and return what lies from GROWN to the first 2 MiB boundary
 * past LO (pages malloc has touched), so that nothing is put there.
 * Free the result when done with the heap; NULL when nothing was. */
void *io_heap_advise(char *lo, char *hi, void *grown);

/* Largest input file aupc reads, in bytes. */
#define IO_MAX_INPUT (8u * 1024 * 1024)

/* Read PATH whole (at most IO_MAX_INPUT bytes). Returns 0, or an errno-style
 * code with *err set to a static explanation. */
int io_read_file(const char *path, char **data, size_t *len, const char **err);

/* PATH mapped read-only, with io_read_file's checks, for the life of the
 * process: what is never written to is shared with the page cache rather
 * than copied into fresh memory. Only for files nothing rewrites in place
 * while aupc runs (a truncated mapping faults). */
int io_map_file(const char *path, const unsigned char **data, size_t *len, const char **err);
void io_unmap_file(const unsigned char *data, size_t len);

/* Create directory PATH and its parents (mode 0777 less umask). *MADE (if
 * not NULL) gets how many of PATH's trailing folders were new. */
int io_mkdirs(const char *path, size_t *made);

/* Write DATA to DIR/NAME atomically: a temporary file beside it, then
 * renamed over NAME. NAME must be a plain file name. The file gets the
 * user's umask. Returns 0 or an errno value. */
int io_write_atomic(const char *dir, const char *name, const void *data, size_t len);

/* Where a file lives: its device and inode, so that two names for one file
 * compare equal. */
typedef struct {
    unsigned long long dev, ino;
} io_file_id;

/* The file PATH names (following symlinks). Returns 0 or an errno value. */
int io_file_id_of(const char *path, io_file_id *out);

/* May PATH be written as a single output file? Yes (0) when nothing is
 * there yet or a regular file is that is none of the N files in AVOID (the
 * command's inputs); otherwise an errno value with *WHY set to a static
 * reason ("it is a symbolic link", "it is a device", ...) and *INPUT to the
 * index in AVOID it matched (or -1). */
int io_output_check(const char *path, const io_file_id *avoid, size_t n, const char **why,
                    int *input);

/* Write DATA to PATH as io_write_atomic does, after io_output_check on
 * PATH's folder and name (made again at the moment of writing, so that a
 * device or link that turned up since is refused too). */
int io_write_output(const char *path, const void *data, size_t len, const io_file_id *avoid,
                    size_t n, const char **why, int *input);

/* A set of files written into one folder, all or nothing. The files go
 * into a fresh folder beside the set's own (".NAME.aupc-PID-N.tmp") as
 * soon as each is ready, from any thread; io_stage_commit swaps that folder
 * in for NAME with one atomic rename (renameat2 RENAME_EXCHANGE), so a
 * reader sees the old set or the new one, never a mix, and a failure, a
 * kill or a signal leaves the old set as it was. Files in the old folder
 * that the new set does not have are kept (hard links). Fresh folders left
 * by a run that was killed are removed by the next run into the same
 * output folder. */
typedef struct io_stage io_stage;

/* Begin a set NAME (a plain name) in the folder PARENT, made by io_mkdirs;
 * MADE is what io_mkdirs said it made. Returns 0, or an errno value
 * (ELOOP: PARENT/NAME is a symlink; ENOTDIR: it is not a folder). */
int io_stage_open(const char *parent, const char *name, size_t made, io_stage **out);

/* Write DATA as NAME, a plain file name, into the set. Safe from several
 * threads at once. Returns 0 or an errno value; a file that failed leaves
 * nothing behind. */
int io_stage_write(io_stage *s, const char *name, const void *data, size_t len);

/* Swap the set in and free S. Returns 0, or an errno value with *FAILED
 * (owned) the name in the old folder that stopped it ("" when none did:
 * the rename itself failed); the old set is then as it was, and the new
 * one gone. A folder, device or pipe in the old folder stops the swap. */
int io_stage_commit(io_stage *s, char **failed);

/* Remove the set's fresh folder, then the folders io_mkdirs made for S
 * while they are empty, and free S. S may be NULL. */
void io_stage_abort(io_stage *s);

/* From now on SIGINT, SIGTERM and SIGHUP remove every fresh folder of a set
 * not yet swapped in before aupc dies of the signal. Call before any other
 * thread starts (they inherit the blocked signals). Returns 0 or an error
 * number. */
int io_cleanup_on_signals(void);

#endif
