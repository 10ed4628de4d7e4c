/* util/utf8: the one UTF-8 decoder. Malformed input (a stray or missing
 * continuation byte, an overlong form, a surrogate, a code point past
 * U+10FFFF, a sequence cut short) decodes one byte at a time as U+FFFD, so
 * every caller treats bad bytes alike. Inline: layout decodes every
 * character it measures. */
#ifndef AUPC_UTIL_UTF8_H
#define AUPC_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decode the code point at S, of which LEFT bytes may be read (LEFT >= 1),
 * into *CP; return how many bytes it took. A malformed byte gives
 * UTF8_REPLACEMENT and 1. In a NUL-terminated string LEFT may be 4: the
 * NUL ends any sequence before it is passed. */
static inline size_t utf8_decode(const char *s, size_t left, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0)
        len = 2, v = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        len = 3, v = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        len = 0, v = 0, min = 0;
    for (size_t i = 1; len && i < len; i++) {
        if (i >= left || (u[i] & 0xC0) != 0x80)
            len = 0;
        else
            v = (v << 6) | (u[i] & 0x3F);
    }
    if (!len || v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = UTF8_REPLACEMENT;
        return 1;
    }
    *cp = v;
    return len;
}

/* The length of the well-formed sequence at S (NUL-terminated), or 0. */
static inline size_t utf8_valid(const char *s)
{
    uint32_t cp;
    if (!*s)
        return 0;
    size_t n = utf8_decode(s, 4, &cp);
    return n == 1 && cp == UTF8_REPLACEMENT && (unsigned char)*s >= 0x80 ? 0 : n;
}

#endif
