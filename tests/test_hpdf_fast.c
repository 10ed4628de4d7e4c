/* The helpers hpdf_fast.c puts in place of libharu's keep libharu's
 * contract: the same width for every code point of every standard font,
 * and real numbers that read back as the value within a thousandth. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_consts.h>
#include <hpdf_fontdef.h>
#include <hpdf_utils.h>

/* libharu's own search: the first entry for the code, else the face's
 * width for a missing glyph. *FOUND counts the codes the face has. */
static HPDF_INT16 linear_width(HPDF_FontDef def, HPDF_UNICODE u, size_t *found)
{
    HPDF_Type1FontDefAttr attr = (HPDF_Type1FontDefAttr)def->attr;
    for (HPDF_UINT i = 0; i < attr->widths_count; i++)
        if (attr->widths[i].unicode == u) {
            ++*found;
            return attr->widths[i].width;
        }
    return def->missing_width;
}

Test(hpdf_fast, every_standard_font_width_is_libharus)
{
    static const char *const faces[] = {
        "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
        "Courier", "Courier-Bold", "Times-Roman", "Symbol", "ZapfDingbats",
    };
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    cr_assert_not_null(pdf);
    for (size_t f = 0; f < sizeof faces / sizeof *faces; f++) {
        HPDF_FontDef def = HPDF_GetFontDef(pdf, faces[f]);
        cr_assert_not_null(def, "%s", faces[f]);
        size_t found = 0;
        for (HPDF_UNICODE u = 0; u < 0xFFFF; u++) {
            HPDF_INT16 want = linear_width(def, u, &found);
            cr_assert_eq(HPDF_Type1FontDef_GetWidth(def, u), want, "%s U+%04X", faces[f], u);
        }
        cr_expect_gt(found, 150, "%s: only %zu glyphs", faces[f], found);
    }
    HPDF_Free(pdf);
}

static const char *real(HPDF_REAL v)
{
    static char buf[HPDF_REAL_LEN + 1];
    memset(buf, 'x', sizeof buf);
    char *end = HPDF_FToA(buf, v, buf + HPDF_REAL_LEN);
    cr_assert_eq(*end, 0);
    cr_assert_eq((size_t)(end - buf), strlen(buf));
    return buf;
}

Test(hpdf_fast, reals_have_at_most_three_decimals)
{
    cr_expect_str_eq(real(0), "0");
    cr_expect_str_eq(real(-0.0f), "0");
    cr_expect_str_eq(real(-0.0004f), "0");
    cr_expect_str_eq(real(13), "13");
    cr_expect_str_eq(real(7.5f), "7.5");
    cr_expect_str_eq(real(-19.01f), "-19.01");
    cr_expect_str_eq(real(841.89f), "841.89");
    cr_expect_str_eq(real(595.276f), "595.276");
    cr_expect_str_eq(real(0.0005f), "0.001");
    cr_expect_str_eq(real(0.5523f), "0.552");
    cr_expect_str_eq(real(99.9996f), "100");
    cr_expect_str_eq(real(40000), "32767");
    cr_expect_str_eq(real(-40000), "-32767");
    cr_expect_str_eq(real(NAN), "0");
    /* Every value reads back within half a thousandth. */
    srand(7);
    for (int i = 0; i < 100000; i++) {
        HPDF_REAL v = (HPDF_REAL)((rand() / (double)RAND_MAX - 0.5) * 2 * 32000);
        cr_assert_leq(fabs(strtod(real(v), NULL) - v), 0.0005 + 1e-9, "%.6f as %s", v, real(v));
    }
}

Test(hpdf_fast, lengths_stop_at_the_limit)
{
    cr_expect_eq(HPDF_StrLen(NULL, -1), 0);
    cr_expect_eq(HPDF_StrLen("haru", -1), 4);
    cr_expect_eq(HPDF_StrLen("haru", 2), 2);
    cr_expect_eq(HPDF_StrLen("haru", 9), 4);
    cr_expect_eq(HPDF_StrLen("", 0), 0);
}
