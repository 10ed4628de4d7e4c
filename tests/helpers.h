/* Shared by the test files: running the CLI, reading files, editing text. */
#ifndef AUPC_TEST_HELPERS_H
#define AUPC_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>

#include "compile.h"
#include "document.h"

typedef struct {
    int status;        /* exit status, or -1 when killed by a signal */
    char *out, *err;   /* owned */
} run_result;

/* Run the aupc binary (from $AUPC, else the build tree) with ARGS, a shell
 * word list; stdin is /dev/null. */
run_result run_aupc(const char *args);
/* Run a shell command. */
run_result run_sh(const char *cmd);
void run_free(run_result *r);

/* Write a file whole; the test fails when it cannot. */
void write_bytes(const char *path, const char *data, size_t len);
void write_text(const char *path, const char *text);
char *slurp(const char *path);              /* NULL when unreadable */
char *src_path(const char *rel);            /* AUPC_SOURCE_ROOT/rel, owned */
/* FN on every .md file in the folder REL of the source, with its path and
 * text; how many there were. */
size_t each_md_file(const char *rel, void (*fn)(const char *path, const char *text, void *arg),
                    void *arg);
/* S with the first FROM replaced by TO (FROM must occur). Owned. */
char *replace_once(const char *s, const char *from, const char *to);
/* S with every run of white space as one space, trimmed. Owned. */
char *squash_space(const char *s);
char *make_tmpdir(void);
/* pdftotext of pages FIRST..LAST (FIRST 0: every page), white space squashed. */
char *pdf_text(const char *pdf, int first, int last, bool raw);
/* Pages in PDF according to pdfinfo; the test fails when pdfinfo cannot tell. */
int pdf_page_count(const char *pdf);
/* A document for the PDF tests: MD parsed, with an Oakfield Key Stage 2
 * title, audience, version and dates (staff when BAND is BAND_NONE). */
document *md_document(const char *md, pupil_band band, reading_level reading);                    /* a fresh /tmp folder, owned */
void remove_tree(const char *dir);
/* The built-in statement library for tests that compile: .init =
 * test_lib_load, .fini = test_lib_free. */
extern library *test_lib;
void test_lib_load(void);
void test_lib_free(void);
/* examples/NAME.xml, loaded; the test fails when it will not load. */
profile *load_example(const char *name);
/* Every document of P from test_lib; the test fails when it will not compile. */
void example_documents(const profile *p, doc_set *docs);
/* The document for audience ID; the test fails when there is none. */
const document *doc_for(const doc_set *docs, const char *id);
int have_program(const char *name);

#endif
