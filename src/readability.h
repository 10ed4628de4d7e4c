/* readability: reading-level measures over plain text and over a document's
 * AST. The counting rules (what a word, a sentence and a syllable are) are
 * documented at the top of readability.c. */
#ifndef AUPC_READABILITY_H
#define AUPC_READABILITY_H

#include <stddef.h>

#include <cmark.h>

#include "util/io.h"

typedef struct {
    size_t sentences, words, syllables, polysyllables; /* polysyllables: words of 3+ syllables */
    double flesch_reading_ease;   /* 206.835 - 1.015*(w/s) - 84.6*(syl/w) */
    double fk_grade;              /* 0.39*(w/s) + 11.8*(syl/w) - 15.59 */
    double smog;                  /* 1.0430*sqrt(poly*30/s) + 3.1291 */
    double words_per_sentence;
} readability_stats;

typedef struct {
    char *text;          /* the sentence, owned; whitespace collapsed */
    int line;            /* source line the sentence starts on: the start line
                            of its block (cmark_node_get_start_line) plus the
                            line breaks before it inside that block; 0 if the
                            block has no source position */
    double fk_grade;     /* of this sentence alone */
    size_t words;
} readability_sentence;

typedef struct {
    readability_stats stats;
    readability_sentence *hardest;  /* sorted hardest first (by fk_grade, then words, then line) */
    size_t nhardest;
} readability_report;

/* Syllables in one word (UTF-8), at least 1; 0 for a string with no letter or
 * digit. Hyphenated words are summed over their parts. */
int readability_syllables(const char *word);

/* Measures of plain text. A blank line also ends a sentence. */
readability_stats readability_text(const char *text);

/* Measures of the prose in a document (headings, paragraphs, list items,
 * block quotes; not code blocks or HTML), plus its MAX_HARDEST hardest
 * sentences. ROOT may be NULL (all zeros). Free OUT with
 * readability_report_free. */
void readability_document(cmark_node *root, size_t max_hardest, readability_report *out);
void readability_report_free(readability_report *r);

/* Append the readable text of the leaf block BLOCK to B: text and code,
 * line breaks as newlines, no images or HTML. */
void readability_block_text(cmark_node *block, strbuf *b);

/* One sentence of a text, as readability_split finds it. */
typedef struct {
    size_t start, end;   /* its bytes in the text, without the white space around */
    int line;            /* as for readability_sentence */
    size_t words, syllables, polysyllables;
} readability_span;

typedef void (*readability_span_fn)(void *arg, const readability_span *span);

/* Split the block text S (N bytes, starting on source line LINE, 0 when
 * unknown; a newline is a line break) into sentences by the rules above,
 * and call FN for each one that has a word. */
void readability_split(const char *s, size_t n, int line, readability_span_fn fn, void *arg);

/* Words in S (N bytes) as readability_split counts them, up to MAX: a
 * caller that needs only "at least three" stops there. */
size_t readability_words(const char *s, size_t n, size_t max);

/* Fill the four derived measures of S from its four counts (all zero when
 * there are no words). Useful for adding up counts from several texts. */
void readability_finish(readability_stats *s);

#endif
