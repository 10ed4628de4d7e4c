/* signature: the lines of an acknowledgement block ("Name: ......  Date:
 * ......") split into the fields a reader fills in, so that the PDF can
 * rule a line to write on and Word can give each field a cell. */
#ifndef AUPC_SIGNATURE_H
#define AUPC_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *label;        /* "Child's name", without the colon; owned */
    double weight;      /* share of the line: 1 for a date, else 2 */
} signature_field;

/* Split one line such as "Name: ______  Date: ....." (or a bare "Name:")
 * into at most MAX fields: a blank is a run of 3+ underscores, 5+ dots or
 * 2+ ellipses. Returns the number found; 0 means the line is prose. */
size_t signature_fields(const char *line, signature_field *out, size_t max);
void signature_fields_free(signature_field *f, size_t n);
/* Whether S holds WORD, ignoring case. */
bool signature_has_word(const char *s, const char *word);

#endif
