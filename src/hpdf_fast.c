/* Faster helpers inside libharu.
 *
 * libharu 2.3.0 calls its own small helpers through its PLT, so an
 * executable that defines them replaces the library's (ordinary ELF
 * symbol interposition). These were the costly ones:
 *
 * - HPDF_MemCpy and HPDF_MemSet copy and clear one byte at a time;
 *   embedding a TrueType face copies its tables four bytes at a time
 *   through them (a quarter of the instructions of a Welsh setting).
 * - HPDF_StrLen counts one byte at a time, for every name, keyword and
 *   string libharu writes.
 * - HPDF_Type1FontDef_GetWidth finds a glyph's width by a linear search of
 *   the face's 315 metrics, and each new standard font asks it for every
 *   one of its 224 codes: a twentieth of a Helvetica batch's instructions.
 *   Here a standard face's metrics are sorted once per thread and searched
 *   by halves.
 * - HPDF_FToA writes every real number of every page with five decimals
 *   through divisions; here with three (a thousandth of a point, and the
 *   content streams 3% smaller), by one multiplication.
 *
 * Each keeps libharu's contract (the pointer returned, the value for a
 * glyph a face lacks). If a libharu build binds them internally, the
 * library's own are used: the PDFs are as valid, slower to make, and their
 * numbers have five decimals. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_consts.h>
#include <hpdf_fontdef.h>
#include <hpdf_utils.h>

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (n)
        memcpy(out, in, n);
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (!s)
        return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}

/* VAL with at most three decimals, no trailing zeros, within libharu's
 * limits; written at S (never past EPTR, where libharu's buffers end) and
 * ended by a NUL, to which the result points. */
char *HPDF_FToA(char *s, HPDF_REAL val, char *eptr)
{
    double v = val > HPDF_LIMIT_MAX_REAL ? HPDF_LIMIT_MAX_REAL
               : val < HPDF_LIMIT_MIN_REAL ? HPDF_LIMIT_MIN_REAL
               : val == val ? (double)val : 0;
    int neg = v < 0;
    uint32_t m = (uint32_t)((neg ? -v : v) * 1000 + 0.5);
    char buf[16], *t = buf + sizeof buf;
    uint32_t frac = m % 1000, whole = m / 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0)
            frac /= 10, digits--;
        while (digits--)
            *--t = (char)('0' + frac % 10), frac /= 10;
        *--t = '.';
    }
    do
        *--t = (char)('0' + whole % 10);
    while (whole /= 10);
    if (neg && m)
        *--t = '-';
    while (t < buf + sizeof buf && s < eptr)
        *s++ = *t++;
    *s = 0;
    return s;
}

/* ---- Glyph widths of the standard fonts ---- */

typedef struct {
    HPDF_UNICODE code;
    HPDF_INT16 width;
    HPDF_UINT16 order;         /* its place in libharu's table */
} width_pair;

/* A standard face's metrics by code point. Its name says which: libharu
 * copies the same built-in table into every document's face. */
typedef struct {
    char name[HPDF_LIMIT_MAX_NAME_LEN + 1];
    size_t n;
    width_pair v[512];
} width_index;

/* Per thread, so no lock: the five faces aupc sets text in, and one more. */
static _Thread_local width_index indexes[6];

/* By code, then by place: of a code listed twice, the first is found
 * first, as by libharu's linear search. */
static int by_code(const void *a, const void *b)
{
    const width_pair *x = a, *y = b;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* The index of standard face DEF, made on first use; NULL when there is no
 * room (the search is then libharu's). */
static const width_index *index_of(HPDF_FontDef def, const HPDF_Type1FontDefAttr attr)
{
    size_t count = sizeof indexes / sizeof *indexes;
    for (size_t i = 0; i < count; i++) {
        width_index *ix = &indexes[i];
        if (ix->n && !strcmp(ix->name, def->base_font))
            return ix;
        if (ix->n)
            continue;
        if (attr->widths_count == 0 || attr->widths_count > sizeof ix->v / sizeof *ix->v)
            return NULL;
        for (HPDF_UINT k = 0; k < attr->widths_count; k++)
            ix->v[k] = (width_pair){attr->widths[k].unicode, attr->widths[k].width,
                                    (HPDF_UINT16)k};
        qsort(ix->v, attr->widths_count, sizeof *ix->v, by_code);
        strcpy(ix->name, def->base_font);
        ix->n = attr->widths_count;
        return ix;
    }
    return NULL;
}

HPDF_INT16 HPDF_Type1FontDef_GetWidth(HPDF_FontDef fontdef, HPDF_UNICODE unicode)
{
    HPDF_Type1FontDefAttr attr = (HPDF_Type1FontDefAttr)fontdef->attr;
    const width_index *ix = attr->is_base14font ? index_of(fontdef, attr) : NULL;
    if (ix) {
        size_t lo = 0, hi = ix->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (ix->v[mid].code < unicode)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < ix->n && ix->v[lo].code == unicode ? ix->v[lo].width
                                                        : fontdef->missing_width;
    }
    for (HPDF_UINT i = 0; i < attr->widths_count; i++)
        if (attr->widths[i].unicode == unicode)
            return attr->widths[i].width;
    return fontdef->missing_width;
}
