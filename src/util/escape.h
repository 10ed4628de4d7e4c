/* util/escape: one escaper for each kind of text aupc writes into another
 * language. Each appends to a strbuf and takes NULL as "". */
#ifndef AUPC_UTIL_ESCAPE_H
#define AUPC_UTIL_ESCAPE_H

#include "util/io.h"

/* Text as any output may hold it, the one sanitiser every writer uses:
 * malformed UTF-8 becomes U+FFFD, and a control character other than tab
 * and line feed becomes visible, \x1B for C0 and DEL, \u009B for C1, so
 * that no byte of a draft, a file name or a profile can move a terminal's
 * cursor, set its title or make a report invalid. */
void esc_text(strbuf *b, const char *s);
/* The same, as a new string (NULL stays NULL). */
char *esc_text_dup(const char *s);
/* How many bytes at P (NUL-terminated, *P not NUL) make one character, and
 * in *REP what stands for them when they are not written as they are
 * (U+FFFD or an escape), else *REP is NULL. BUF holds at least 8 bytes. */
size_t esc_text_step(const char *p, const char **rep, char *buf);

/* Text in HTML or XML markup, or in a double-quoted attribute: & < > ",
 * sanitised as esc_text does. */
void esc_markup(strbuf *b, const char *s);
/* Text for XML 1.0 in full: also ' and the white space an attribute would
 * lose (as character references); the control characters and the two
 * non-characters (U+FFFE, U+FFFF) XML forbids are dropped, and malformed
 * UTF-8 becomes U+FFFD. A document's text; a report (JUnit) runs esc_text
 * first, so that its controls show rather than vanish. */
void esc_xml(strbuf *b, const char *s);
/* A JSON string literal, quotes included; malformed UTF-8 becomes \ufffd
 * and every control character (C0, DEL, C1) a \u escape, so the result is
 * always valid JSON that prints safely. */
void esc_json(strbuf *b, const char *s);

#endif
