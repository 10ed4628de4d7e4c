/* typeset_hpdf: the libharu side of typeset's fonts, for the one caller
 * that still draws with libharu itself: the diff redline, until it draws
 * through typeset's operations. Nothing else includes this header. */
#ifndef AUPC_TYPESET_HPDF_H
#define AUPC_TYPESET_HPDF_H

#include <hpdf.h>

#include "document.h"
#include "ttf_embed.h"
#include "typeset.h"

/* Latin-1 and Latin Extended-A (Welsh ŵ and ŷ among them). */
#define TS_WIDTH_CACHE 0x180

/* How a PDF's text is set. */
typedef enum {
    FONTS_STANDARD,  /* Helvetica and Courier in WinAnsi, not embedded; text held as CP1252 */
    FONTS_TRUETYPE,  /* embedded TrueType faces as simple fonts: WinAnsi, plus one more
                        single-byte encoding for what WinAnsi lacks; text held as UTF-8 */
    FONTS_UNICODE    /* embedded TrueType with libharu's UTF-8 encoding (costly: the
                        last resort for text no two single-byte encodings hold) */
} font_mode;

struct ts_fonts {
    HPDF_Doc pdf;
    font_mode mode;
    bool utf8;                 /* text held as UTF-8 (any mode but FONTS_STANDARD) */
    const char *path[FONT_COUNT];
    const char *ttf[FONT_COUNT];        /* libharu's names for the loaded faces */
    HPDF_Font font[FONT_COUNT];         /* WinAnsi, or UTF-8 in FONTS_UNICODE */
    const char *extra;                  /* FONTS_TRUETYPE: the second encoding, or NULL */
    unsigned short extra_cp[128];       /* its bytes 0x80-0xFF as code points */
    HPDF_Font extra_font[FONT_COUNT];   /* the faces in that encoding */
    HPDF_Dict to_unicode[2];            /* FONTS_TRUETYPE: the map for WinAnsi, for extra */
    const char *failed;        /* path of a font that would not load */
    const char *failed_why;    /* and why, when aupc knows */
    ttf_faces *faces;          /* the faces its libharu document has parsed */
    /* Glyph widths (1/1000 em) by code point, 0 when not yet measured:
     * libharu looks each glyph up in a TrueType cmap by linear search. */
    float width[FONT_COUNT][TS_WIDTH_CACHE];
};

/* Choose the fonts for text whose characters beyond WinAnsi are CS, and
 * prepare PDF for them. */
void ts_fonts_setup(ts_fonts *f, HPDF_Doc pdf, const ts_charset *cs, const pdf_options *o);
HPDF_Font ts_font(ts_fonts *f, int which);
/* Show encoded TEXT with its baseline starting at X, Y, inside a text
 * object on PAGE; the page's font changes only when it must. */
void ts_show(ts_fonts *f, HPDF_Page page, int font, double size, double x, double y,
             const char *text);

/* The redline's names for them. */
typedef ts_fonts layout_fonts;

/* The redline hands over all the text it shows as D's title. */
static inline void layout_fonts_init(layout_fonts *f, HPDF_Doc pdf, const document *d,
                                     const pdf_options *o)
{
    ts_charset cs = {0};
    ts_charset_add(&cs, d->title);
    ts_fonts_setup(f, pdf, &cs, o);
}

static inline HPDF_Font layout_font(layout_fonts *f, int which)
{
    return ts_font(f, which);
}

static inline char *layout_encode(const layout_fonts *f, const char *utf8)
{
    return ts_encode(f, utf8);
}

static inline double layout_width(layout_fonts *f, int font, double size, const char *text,
                                  size_t len)
{
    return ts_width(f, font, size, text, len);
}

static inline void layout_show(layout_fonts *f, HPDF_Page page, int font, double size, double x,
                               double y, const char *text)
{
    ts_show(f, page, font, size, x, y, text);
}

#endif
