/* Faster copies inside libharu.
 *
 * libharu 2.3.0 copies and clears memory one byte at a time in
 * HPDF_MemCpy and HPDF_MemSet, and calls them through its PLT, so an
 * executable that defines them replaces the library's own (ordinary ELF
 * symbol interposition). Embedding a TrueType face copies its tables four
 * bytes at a time through these two, which made them a quarter of the
 * instructions of a Welsh setting. These keep libharu's contract, including
 * the return value (the end of the written range), and hand the work to
 * libc. If a libharu build binds them internally the library's versions are
 * used and only speed changes. memcpy rather than memmove: libharu never
 * copies between overlapping ranges, and the sanitizer build would report
 * it if it did. */

#include <string.h>

#include <hpdf.h>
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
