/* util/escape: one escaper for each kind of text aupc writes into another
 * language. Each appends to a strbuf and takes NULL as "". */
#ifndef AUPC_UTIL_ESCAPE_H
#define AUPC_UTIL_ESCAPE_H

#include "util/io.h"

/* Text in HTML or XML markup, or in a double-quoted attribute: & < > ". */
void esc_markup(strbuf *b, const char *s);
/* Text for XML 1.0 in full: also ' and the white space an attribute would
 * lose (as character references); the control characters and the two
 * non-characters (U+FFFE, U+FFFF) XML forbids are dropped, and malformed
 * UTF-8 becomes U+FFFD. */
void esc_xml(strbuf *b, const char *s);
/* A JSON string literal, quotes included; malformed UTF-8 becomes \ufffd,
 * so the result is always valid JSON. */
void esc_json(strbuf *b, const char *s);

#endif
