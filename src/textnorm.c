#include "textnorm.h"

#include <stdint.h>
#include <string.h>

#include "util/io.h"
#include "util/utf8.h"

/* ---- what kind of file this is ---- */

static bool starts(const char *data, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(data, magic, n) == 0;
}

static bool holds(const char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (data[i] == needle[0] && memcmp(data + i, needle, n) == 0)
            return true;
    return false;
}

/* A container or binary format known by its first bytes: what it is and
 * what to do, or NULL. */
static const char *known_format(const char *data, size_t len)
{
    if (starts(data, len, "PK\3\4", 4)) {
        if (holds(data, len, "word/"))
            return "the draft is a Word document (.docx), not text: save it as plain text or "
                   "Markdown (for example `pandoc -t commonmark draft.docx -o draft.md`)";
        if (holds(data, len, "opendocument"))
            return "the draft is an OpenDocument file (.odt), not text: save it as plain text "
                   "or Markdown";
        return "the draft is a zip archive, not text: give aupc lint the Markdown file itself";
    }
    if (starts(data, len, "\xD0\xCF\x11\xE0", 4))
        return "the draft is an old-style Word document (.doc), not text: save it as plain "
               "text or Markdown";
    if (starts(data, len, "%PDF-", 5))
        return "the draft is a PDF, not text: lint the Markdown or text it was made from";
    if (starts(data, len, "{\\rtf", 5))
        return "the draft is in Rich Text Format (.rtf): save it as plain text or Markdown";
    if (starts(data, len, "\x89PNG", 4) || starts(data, len, "\xFF\xD8\xFF", 3) ||
        starts(data, len, "GIF8", 4))
        return "the draft is an image, not text";
    if (starts(data, len, "\xFF\xFE\0\0", 4) || starts(data, len, "\0\0\xFE\xFF", 4))
        return "the draft is UTF-32 text: save it as UTF-8";
    if (starts(data, len, "\xFF\xFE", 2) || starts(data, len, "\xFE\xFF", 2))
        return "the draft is UTF-16 text: save it as UTF-8 (in Word: Save As, Plain Text, "
               "Unicode (UTF-8))";
    /* UTF-16 without a byte order mark: every other byte of ASCII text is 0 */
    size_t probe = len < 512 ? len : 512, zeros = 0;
    for (size_t i = 0; i < probe; i++)
        zeros += data[i] == '\0';
    if (probe >= 8 && zeros * 3 >= probe)
        return "the draft is UTF-16 text: save it as UTF-8 (in Word: Save As, Plain Text, "
               "Unicode (UTF-8))";
    return NULL;
}

/* Are the 8 bytes at Q all printable ASCII (0x20 to 0x7E)? */
static bool printable8(const unsigned char *q)
{
    uint64_t x;
    memcpy(&x, q, 8);
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    /* a byte below 0x20 borrows in x - 0x20; a byte of 0x7F or more has its
       high bit set in x + 0x01 */
    return !(((x - 0x20 * ones) | (x + ones) | x) & highs);
}

/* The first byte from S on that is not printable ASCII, found 8 at a time. */
static const unsigned char *skip_printable(const unsigned char *s, const unsigned char *end)
{
    while (end - s >= 8 && printable8(s))
        s += 8;
    while (s < end && *s >= 0x20 && *s < 0x7F)
        s++;
    return s;
}

bool textnorm_check_input(const char *data, size_t len, textnorm_problem *p)
{
    memset(p, 0, sizeof *p);
    const char *fmt = known_format(data, len);
    if (fmt) {
        p->line = p->col = 1;
        p->message = xstrdup(fmt);
        return false;
    }
    const unsigned char *s = (const unsigned char *)data, *end = s + len;
    int line = 1, col = 1;
    for (const unsigned char *q = s; q < end;) {
        /* most of a draft is printable ASCII: pass over it in words */
        const unsigned char *r = skip_printable(q, end);
        col += (int)(r - q);
        q = r;
        if (q >= end)
            break;
        unsigned c = *q;
        if (c >= 0x20 && c < 0x7F) {
            q++;
            col++;
            continue;
        }
        if (c == '\n') {
            line++;
            col = 1;
            q++;
            continue;
        }
        if (c == 0 || (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v') ||
            c == 0x7F) {
            p->line = line;
            p->col = col;
            p->message = xasprintf("the draft holds the control byte 0x%02X, so it is not a "
                                   "text file: save it as plain UTF-8 text", c);
            return false;
        }
        uint32_t cp;
        size_t n = utf8_decode((const char *)q, (size_t)(end - q), &cp);
        if (cp == UTF8_REPLACEMENT && n == 1) {
            p->line = line;
            p->col = col;
            p->message = xasprintf("byte 0x%02X is not UTF-8: save the draft as UTF-8 text "
                                   "(it may be in a Windows code page)", c);
            return false;
        }
        q += n;
        col++;
    }
    return true;
}

/* ---- folding ---- */

/* What a non-ASCII code point folds to: a replacement string ("" to drop
 * it), or NULL to keep it (with Latin-1 capitals lowered by the caller). */
static const char *fold_cp(uint32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
    case 0x00B4: case 0xFF07:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB:
    case 0x00BB: case 0xFF02:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFF0D:
        return "-";
    case 0x2026:
        return "...";
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return "";
    case 0x00A0: case 0x2007: case 0x202F: case 0x3000:
        return " ";
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return " ";
    /* bullets, arrows, maths, box drawing, shapes, symbols, dingbats, emoji */
    if ((cp >= 0x2020 && cp <= 0x2027) || (cp >= 0x2190 && cp <= 0x2BFF) ||
        (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0x00B7 || cp == 0xFE0F)
        return " ";
    return NULL;
}

/* Lower the 8 bytes at S into OUT if they are all ASCII; false if not. */
static bool fold_ascii8(const char *s, char *out)
{
    uint64_t x;
    memcpy(&x, s, 8);
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    if (x & highs)
        return false;
    /* a byte's high bit in each sum says it is at least 'A', or above 'Z' */
    uint64_t upper = ((x + (0x80 - 'A') * ones) ^ (x + (0x80 - 'Z' - 1) * ones)) & highs;
    x |= upper >> 2;
    memcpy(out, &x, 8);
    return true;
}

size_t textnorm_fold(const char *s, size_t n, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (n - i >= 8 && fold_ascii8(s + i, out + k)) {
            i += 8;
            k += 8;
            continue;
        }
        unsigned c = u[i];
        if (c < 0x80) {
            out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        const char *r = fold_cp(cp);
        if (r) {
            size_t rl = strlen(r);
            memcpy(out + k, r, rl);   /* never longer than the sequence it replaces */
            k += rl;
        } else if (len == 2 && cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
            cp += 0x20;               /* Latin-1 capitals: À..Þ to à..þ */
            out[k++] = (char)(0xC0 | (cp >> 6));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            memcpy(out + k, s + i, len);
            k += len;
        }
        i += len;
    }
    out[k] = '\0';
    return k;
}

/* ---- words ---- */

/* What each byte of folded text is to the tokeniser: a word character
 * ([a-z0-9] and every byte of a multibyte sequence), a space, a mark that
 * carries meaning for clauses, or a byte that only separates words
 * (quotes, '*', '/', '_', '|', '#'); sixteen bytes a row. A NUL byte is
 * a mark. */
enum { B_SEP, B_WORD, B_SPACE, B_MARK, B_AMP };

static const unsigned char byte_class[256] = {
    3, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 3, 0, 0, 0, 0, 4, 0, 3, 3, 0, 0, 3, 3, 3, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 0, 0, 0, 3,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static bool word_byte(unsigned char c)
{
    return byte_class[c] == B_WORD;
}

textnorm_kind textnorm_next(const char *s, size_t n, size_t *pos, size_t *start, size_t *end)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = *pos;
    for (;; i++) {
        if (i >= n) {
            *pos = *start = *end = n;
            return TEXTNORM_END;
        }
        unsigned k = byte_class[u[i]];
        if (k == B_WORD)
            break;
        if (k == B_AMP) {
            *start = i;
            *end = *pos = i + 1;
            return TEXTNORM_WORD;
        }
        if (k == B_MARK) {
            *start = i;
            *end = i + 1;
            *pos = i + 1;
            return TEXTNORM_MARK;
        }
    }
    *start = i;
    size_t j = i;
    while (j < n) {
        if (word_byte(u[j])) {
            j++;
            continue;
        }
        /* ' - . inside a word, between word characters */
        /* a range of numbers ("3-6", "1.5") is kept apart at its hyphen */
        bool range = u[j] == '-' && j + 1 < n && u[j + 1] >= '0' && u[j + 1] <= '9' &&
                     u[j - 1] >= '0' && u[j - 1] <= '9';
        if ((u[j] == '\'' || u[j] == '-' || u[j] == '.') && j + 1 < n && word_byte(u[j + 1]) &&
            j > i && word_byte(u[j - 1]) && !range) {
            j++;
            continue;
        }
        break;
    }
    *end = *pos = j;
    return TEXTNORM_WORD;
}
