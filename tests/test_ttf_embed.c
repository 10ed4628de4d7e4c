/* ttf_embed writes the font program libharu would, byte for byte, and
 * leaves to libharu a face it cannot read. */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_font.h>

#include "ttf_embed.h"
#include "util/io.h"

#define LIBERATION "/usr/share/fonts/truetype/liberation2/"
/* Noto Mono's glyph table is small enough for 16-bit glyph offsets, the
 * other loca format. */
#define NOTO_MONO "/usr/share/fonts/truetype/noto/NotoMono-Regular.ttf"

typedef struct {
    HPDF_Doc pdf;
    ttf_faces faces;
    HPDF_Font fonts[4];
    size_t nfonts;
} doc;

static void load(doc *d, const char *path, size_t keep)
{
    const char *name = HPDF_LoadTTFontFromFile(d->pdf, path, HPDF_TRUE);
    cr_assert_not_null(name, "libharu cannot load %s", path);
    size_t i = d->faces.n++;
    d->faces.path[i] = xstrdup(path);
    d->faces.name[i] = name;
    char *data;
    const char *err;
    cr_assert_eq(io_read_file(path, &data, &d->faces.len[i], &err), 0, "%s: %s", path, err);
    d->faces.data[i] = (unsigned char *)data;
    if (keep < d->faces.len[i])
        d->faces.len[i] = keep;
    /* Both encodings aupc uses for Welsh: ŵ and ŷ are 0xF7 and 0xFE in the
     * second. */
    d->fonts[d->nfonts++] = HPDF_GetFont(d->pdf, name, "WinAnsiEncoding");
    d->fonts[d->nfonts++] = HPDF_GetFont(d->pdf, name, "ISO8859-14");
}

/* A page in each face in PATHS, every face cut to KEEP bytes for ttf_embed. */
static doc make(const char *const *paths, size_t n, size_t keep)
{
    doc d = {HPDF_New(NULL, NULL), {0}, {0}, 0};
    cr_assert_not_null(d.pdf);
    HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
    for (size_t i = 0; i < n; i++)
        load(&d, paths[i], keep);
    HPDF_Page page = HPDF_AddPage(d.pdf);
    HPDF_Page_BeginText(page);
    HPDF_Page_MoveTextPos(page, 50, 700);
    for (size_t i = 0; i < d.nfonts; i++) {
        d.fonts[i]->filter = HPDF_STREAM_FILTER_NONE;
        HPDF_Page_SetFontAndSize(page, d.fonts[i], 11);
        HPDF_Page_ShowText(page, i % 2 ? "Ysgol Glan y M\xF4r: t\xF7 a th\xFE"
                                       : "Acceptable use, caf\xE9 & na\xEFve \x93quotes\x94");
        HPDF_Page_MoveTextPos(page, 0, -20);
    }
    HPDF_Page_EndText(page);
    return d;
}

static strbuf saved(doc *d)
{
    cr_assert_eq(HPDF_SaveToStream(d->pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(d->pdf), got = size;
    strbuf sb = {0};
    unsigned char *buf = xmalloc(size);
    HPDF_ReadFromStream(d->pdf, buf, &got);
    cr_assert_eq(got, size);
    sb_add(&sb, (const char *)buf, size);
    free(buf);
    return sb;
}

static void done(doc *d)
{
    HPDF_Free(d->pdf);
    ttf_faces_clear(&d->faces);
}

static bool described(const doc *d)
{
    for (size_t i = 0; i < d->nfonts; i++)
        if (!((HPDF_FontAttr)d->fonts[i]->attr)->fontdef->descriptor)
            return false;
    return true;
}

/* The same page saved with ttf_embed's font programs and with libharu's. */
static void compare(const char *const *paths, size_t n, size_t keep, bool expect_ours)
{
    doc ours = make(paths, n, keep), theirs = make(paths, n, keep);
    ttf_embed_prepare(ours.pdf, &ours.faces);
    if (expect_ours)
        cr_assert(described(&ours), "ttf_embed left a face to libharu");
    else
        cr_assert(!described(&ours), "ttf_embed used a file cut short");
    cr_assert(!described(&theirs));
    strbuf a = saved(&ours), b = saved(&theirs);
    cr_assert_gt(a.len, 8000, "no font program in a %zu-byte PDF", a.len);
    cr_assert_eq(a.len, b.len, "%zu bytes, libharu %zu", a.len, b.len);
    cr_assert(memcmp(a.data, b.data, a.len) == 0, "the PDFs differ");
    sb_free(&a);
    sb_free(&b);
    done(&ours);
    done(&theirs);
}

Test(ttf_embed, liberation_faces_match_libharu)
{
    const char *paths[] = {LIBERATION "LiberationSans-Regular.ttf",
                           LIBERATION "LiberationSans-Bold.ttf"};
    compare(paths, 2, SIZE_MAX, true);
}

Test(ttf_embed, short_glyph_offsets_match_libharu)
{
    const char *paths[] = {NOTO_MONO};
    compare(paths, 1, SIZE_MAX, true);
}

/* A file that has changed since libharu read it (here: cut short) is never
 * read past its end; libharu embeds that face itself. */
Test(ttf_embed, a_short_file_is_left_to_libharu)
{
    const char *paths[] = {LIBERATION "LiberationSans-Regular.ttf"};
    compare(paths, 1, 4096, false);
}

/* The faces aupc ships with, and a school's typical one, pass the check
 * that keeps other files away from libharu's parser. */
Test(ttf_embed, real_faces_pass_the_check)
{
    const char *paths[] = {LIBERATION "LiberationSans-Regular.ttf",
                           LIBERATION "LiberationSans-BoldItalic.ttf",
                           LIBERATION "LiberationMono-Regular.ttf", NOTO_MONO};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char *data;
        size_t len;
        const char *err;
        cr_assert_eq(io_read_file(paths[i], &data, &len, &err), 0, "%s: %s", paths[i], err);
        cr_expect(ttf_check((const unsigned char *)data, len), "%s refused", paths[i]);
        /* Cut to its first 2,000 bytes, the same face is refused. */
        cr_expect(!ttf_check((const unsigned char *)data, 2000), "%s cut short passed", paths[i]);
        free(data);
    }
}
