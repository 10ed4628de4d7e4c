#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include "audience.h"
#include "flowchart.h"
#include "ttf_embed.h"
#include "util/io.h"

/* A4 portrait, 18 mm side margins; the header and footer live in the
 * space above content_top and below content_bottom. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 51.02
#define CONTENT_TOP (PAGE_H - 64.0)
#define CONTENT_BOTTOM 64.0

#define LIBERATION "/usr/share/fonts/truetype/liberation2/"

/* ------------------------------------------------------------------ */
/* Encodings */

/* Decode one UTF-8 sequence at S; invalid bytes decode as U+FFFD. */
static unsigned utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    unsigned c = *p++, n = 0, cp;
    if (c < 0x80) {
        *s = p;
        return c;
    }
    if ((c & 0xE0) == 0xC0)
        n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
        n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
        n = 3, cp = c & 0x07;
    else {
        *s = p;
        return 0xFFFD;
    }
    for (unsigned i = 0; i < n; i++, p++) {
        if ((*p & 0xC0) != 0x80) {
            *s = p;
            return 0xFFFD;
        }
        cp = (cp << 6) | (*p & 0x3F);
    }
    *s = p;
    return cp;
}

/* CP1252 bytes 0x80-0x9F; 0 marks the five unassigned ones. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* The CP1252 byte for code point CP, or 0 when it has none. */
static int cp1252_byte(unsigned cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return (int)cp;
    if (cp >= 0xA0 && cp <= 0xFF)
        return (int)cp;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return 0x80 + i;
    return 0;
}

/* The distinct code points of some documents that WinAnsi lacks. */
#define MISSING_MAX 96
typedef struct {
    unsigned cp[MISSING_MAX];
    size_t n;
    bool overflow;             /* more than MISSING_MAX of them */
} missing_set;

static void missing_add_text(missing_set *m, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p && !m->overflow) {
        unsigned cp = utf8_next(&p);
        if (cp == '\n' || cp == '\t' || cp1252_byte(cp))
            continue;
        size_t i = 0;
        while (i < m->n && m->cp[i] != cp)
            i++;
        if (i < m->n)
            continue;
        if (m->n == MISSING_MAX)
            m->overflow = true;
        else
            m->cp[m->n++] = cp;
    }
}

static void missing_add_doc(missing_set *m, const document *d)
{
    missing_add_text(m, d->title);
    missing_add_text(m, d->setting_name);
    missing_add_text(m, d->version);
    missing_add_text(m, d->audience_label);
    if (!d->root)
        return;
    cmark_iter *it = cmark_iter_new(d->root);
    cmark_event_type ev;
    while (!m->overflow && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type ty = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER && ty != CMARK_NODE_HTML_BLOCK &&
            ty != CMARK_NODE_HTML_INLINE)
            missing_add_text(m, cmark_node_get_literal(n));
    }
    cmark_iter_free(it);
}

/* libharu's single-byte encodings that may supply what WinAnsi lacks,
 * Celtic first for Welsh. Right-to-left scripts and Thai are left to the
 * Unicode fallback. */
static const char *const extra_encodings[] = {
    "ISO8859-14", "CP1250", "ISO8859-16", "CP1257", "ISO8859-4", "ISO8859-10",
    "CP1254", "ISO8859-3", "CP1251", "KOI8-R", "CP1253", "CP1258",
};

/* The byte for CP in the extra encoding, or 0. */
static int extra_byte(const layout_fonts *f, unsigned cp)
{
    for (int i = 0; i < 128; i++)
        if (f->extra_cp[i] == cp)
            return 0x80 + i;
    return 0;
}

/* Pick the first extra encoding that holds every code point of M. */
static bool choose_extra(layout_fonts *f, const missing_set *m)
{
    size_t count = sizeof extra_encodings / sizeof *extra_encodings;
    for (size_t e = 0; e < count; e++) {
        HPDF_Encoder enc = HPDF_GetEncoder(f->pdf, extra_encodings[e]);
        if (!enc)
            continue;
        for (int i = 0; i < 128; i++)
            f->extra_cp[i] = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)(0x80 + i));
        size_t k = 0;
        while (k < m->n && extra_byte(f, m->cp[k]))
            k++;
        if (k == m->n) {
            f->extra = extra_encodings[e];
            return true;
        }
    }
    memset(f->extra_cp, 0, sizeof f->extra_cp);
    return false;
}

char *layout_encode(const layout_fonts *f, const char *utf8)
{
    if (f->utf8)
        return xstrdup(utf8);
    char *out = xmalloc(strlen(utf8) + 1), *o = out;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        int b = cp1252_byte(utf8_next(&p));
        *o++ = (char)(b ? b : '?');
    }
    *o = 0;
    return out;
}

/* Length of the character starting encoded text S. */
static size_t char_len(const layout_fonts *f, const char *s)
{
    unsigned char c = (unsigned char)*s;
    if (!f->utf8 || c < 0xC0)
        return 1;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    for (size_t i = 1; i < n; i++)
        if (!s[i])
            return i;
    return n;
}

/* ------------------------------------------------------------------ */
/* Fonts */

static const char *const helvetica[FONT_COUNT] = {
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier",
};

void layout_fonts_init(layout_fonts *f, HPDF_Doc pdf, const document *d, const pdf_options *o)
{
    layout_fonts_init_set(f, pdf, &d, 1, o);
}

/* Choose the fonts for text whose characters beyond WinAnsi are M. */
static void fonts_setup(layout_fonts *f, HPDF_Doc pdf, const missing_set *m, const pdf_options *o)
{
    memset(f, 0, sizeof *f);
    f->pdf = pdf;
    if (o && o->font_regular) {
        /* A school's own face rarely comes with italics: reuse upright. */
        const char *bold = o->font_bold ? o->font_bold : o->font_regular;
        f->path[FONT_REGULAR] = f->path[FONT_ITALIC] = f->path[FONT_MONO] = o->font_regular;
        f->path[FONT_BOLD] = f->path[FONT_BOLD_ITALIC] = bold;
        f->mode = FONTS_TRUETYPE;
    } else if (m->n > 0 || m->overflow) {
        f->path[FONT_REGULAR] = LIBERATION "LiberationSans-Regular.ttf";
        f->path[FONT_BOLD] = LIBERATION "LiberationSans-Bold.ttf";
        f->path[FONT_ITALIC] = LIBERATION "LiberationSans-Italic.ttf";
        f->path[FONT_BOLD_ITALIC] = LIBERATION "LiberationSans-BoldItalic.ttf";
        f->path[FONT_MONO] = LIBERATION "LiberationMono-Regular.ttf";
        f->mode = FONTS_TRUETYPE;
    }
    /* Simple TrueType fonts cost little; libharu's UTF-8 fonts map all
     * 65,536 code points per face, so they are the last resort. */
    if (f->mode == FONTS_TRUETYPE && (m->overflow || (m->n > 0 && !choose_extra(f, m))))
        f->mode = FONTS_UNICODE;
    f->utf8 = f->mode != FONTS_STANDARD;
    /* Bookmarks are UTF-8 too. A reused document has the encoder already,
     * and registering it twice is an error. */
    if (f->utf8 && !HPDF_Doc_FindEncoder(pdf, "UTF-8"))
        HPDF_UseUTFEncodings(pdf);
}

void layout_fonts_init_set(layout_fonts *f, HPDF_Doc pdf, const document *const *docs, size_t n,
                           const pdf_options *o)
{
    missing_set *m = xcalloc(1, sizeof *m);
    for (size_t i = 0; i < n && !m->overflow; i++)
        missing_add_doc(m, docs[i]);
    fonts_setup(f, pdf, m, o);
    free(m);
}

void layout_fonts_init_text(layout_fonts *f, HPDF_Doc pdf, const char *const *texts, size_t n,
                            const pdf_options *o)
{
    missing_set *m = xcalloc(1, sizeof *m);
    for (size_t i = 0; i < n && !m->overflow; i++)
        missing_add_text(m, texts[i]);
    fonts_setup(f, pdf, m, o);
    free(m);
}

void layout_faces_clear(layout_faces *faces)
{
    for (size_t i = 0; i < faces->n; i++)
        free(faces->path[i]), free(faces->data[i]);
    sb_free(&faces->scratch);
    memset(faces, 0, sizeof *faces);
}

void layout_fonts_failure(const layout_fonts *f, const char *file, diag_list *diags)
{
    bool ours = strncmp(f->failed, LIBERATION, strlen(LIBERATION)) == 0;
    diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "cannot load font '%s': %s%s", f->failed,
             f->failed_why ? f->failed_why : "libharu cannot read it",
             ours ? "; install fonts-liberation2, or give a font with --font" : "");
}

/* Parse the face at PATH into the document, or find it parsed already. */
static const char *load_face(layout_fonts *f, const char *path)
{
    layout_faces *faces = f->faces;
    for (size_t i = 0; faces && i < faces->n; i++)
        if (strcmp(faces->path[i], path) == 0)
            return faces->name[i];
    /* Read and check it first: libharu's error for a missing file names no
     * file, its fopen would wait forever on a FIFO, and its parser trusts
     * the file it is given. */
    char *data;
    size_t len;
    if (io_read_file(path, &data, &len, &f->failed_why) != 0)
        return NULL;
    if (!ttf_check((const unsigned char *)data, len)) {
        free(data);
        f->failed_why = "it is not a TrueType font";
        return NULL;
    }
    const char *name = HPDF_LoadTTFontFromFile(f->pdf, path, HPDF_TRUE);
    if (name && faces && faces->n < LAYOUT_FACES_MAX) {
        size_t i = faces->n++;
        faces->path[i] = xstrdup(path);
        faces->name[i] = name;
        faces->data[i] = (unsigned char *)data;
        faces->len[i] = len;
    } else {
        free(data);
    }
    return name;
}

/* libharu's name for the TrueType face WHICH. libharu names a face by the
 * order it was parsed in (HPDFAA+, HPDFAB+, ...), so the faces are parsed in
 * a fixed order, upright and bold first and the rest together, whatever the
 * document needs first: a reused document then names them as a new one. */
static const char *ttf_name(layout_fonts *f, int which)
{
    static const int order[FONT_COUNT] = {FONT_REGULAR, FONT_BOLD, FONT_ITALIC,
                                          FONT_BOLD_ITALIC, FONT_MONO};
    int last = which == FONT_REGULAR || which == FONT_BOLD ? 2 : FONT_COUNT;
    for (int k = 0; k < last && !f->failed; k++) {
        int i = order[k];
        for (int j = 0; j < FONT_COUNT && !f->ttf[i]; j++)
            if (f->ttf[j] && strcmp(f->path[j], f->path[i]) == 0)
                f->ttf[i] = f->ttf[j];
        if (!f->ttf[i] && !(f->ttf[i] = load_face(f, f->path[i])))
            f->failed = f->path[i];
    }
    return f->ttf[which];
}

/* A /ToUnicode map for the simple fonts in ENCODING. Without one, readers
 * guess each character from its glyph name, and some names are shared
 * (Greek mu and the micro sign). */
static HPDF_Dict make_to_unicode(HPDF_Doc pdf, const char *encoding)
{
    HPDF_Encoder enc = HPDF_GetEncoder(pdf, encoding);
    HPDF_Dict cmap = enc ? HPDF_DictStream_New(pdf->mmgr, pdf->xref) : NULL;
    if (!cmap)
        return NULL;
    if (pdf->compression_mode & HPDF_COMP_TEXT)
        cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    strbuf sb = {0};
    sb_puts(&sb, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                 "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                 "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n");
    unsigned short map[256];
    size_t count = 0;
    for (int code = 0x20; code < 0x100; code++) {
        map[code] = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)code);
        count += map[code] != 0;
    }
    /* A bfchar block holds at most 100 entries. */
    size_t in_block = 0;
    for (int code = 0x20; code < 0x100; code++) {
        if (!map[code])
            continue;
        if (in_block == 0)
            sb_printf(&sb, "%zu beginbfchar\n", count > 100 ? (size_t)100 : count);
        /* By hand: printf here was a tenth of a Welsh setting's time. */
        static const char hex[] = "0123456789ABCDEF";
        unsigned u = map[code];
        char line[] = {'<', hex[code >> 4], hex[code & 15], '>', ' ', '<', hex[u >> 12],
                       hex[(u >> 8) & 15], hex[(u >> 4) & 15], hex[u & 15], '>', '\n'};
        sb_add(&sb, line, sizeof line);
        count--;
        if (++in_block == 100 || count == 0) {
            sb_puts(&sb, "endbfchar\n");
            in_block = 0;
        }
    }
    sb_puts(&sb, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)sb.data, (HPDF_UINT)sb.len);
    sb_free(&sb);
    return cmap;
}

/* Every face in one encoding shares one map. */
static void add_to_unicode(layout_fonts *f, HPDF_Font font, const char *encoding)
{
    HPDF_Dict *cmap = &f->to_unicode[strcmp(encoding, "WinAnsiEncoding") != 0];
    if (!*cmap)
        *cmap = make_to_unicode(f->pdf, encoding);
    if (*cmap)
        HPDF_Dict_Add(font, "ToUnicode", *cmap);
}

static HPDF_Font get_ttf(layout_fonts *f, int which, const char *encoding)
{
    const char *name = f->ttf[which] ? f->ttf[which] : ttf_name(f, which);
    HPDF_Font font = name ? HPDF_GetFont(f->pdf, name, encoding) : NULL;
    if (!font && !f->failed)
        f->failed = f->path[which];
    if (font && f->mode == FONTS_TRUETYPE) {
        /* Deflating each face's font program (some 70 KB) anew for every
         * PDF cost more than the rest of a Welsh PDF put together. Stored
         * plain, a face costs about 40 KB more. */
        font->filter = HPDF_STREAM_FILTER_NONE;
        /* Two styles may share one face: map each font object once. */
        if (!HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT))
            add_to_unicode(f, font, encoding);
    }
    return font;
}

HPDF_Font layout_font(layout_fonts *f, int which)
{
    if (!f->font[which] && !f->failed) {
        if (f->mode == FONTS_STANDARD)
            f->font[which] = HPDF_GetFont(f->pdf, helvetica[which], "WinAnsiEncoding");
        else
            f->font[which] = get_ttf(f, which, f->mode == FONTS_UNICODE ? "UTF-8"
                                                                         : "WinAnsiEncoding");
    }
    return f->font[which];
}

/* The font and byte that show code point CP in a FONTS_TRUETYPE document:
 * WinAnsi when it can, the extra encoding otherwise, '?' failing both. */
static HPDF_Font plane_of(layout_fonts *f, int which, unsigned cp, HPDF_BYTE *byte)
{
    int b = cp1252_byte(cp);
    if (b || !f->extra || !(b = extra_byte(f, cp))) {
        *byte = (HPDF_BYTE)(b ? b : '?');
        return layout_font(f, which);
    }
    *byte = (HPDF_BYTE)b;
    if (!f->extra_font[which] && !f->failed)
        f->extra_font[which] = get_ttf(f, which, f->extra);
    return f->extra_font[which];
}

/* The code point at encoded TEXT and its length in bytes. */
static unsigned next_code(const layout_fonts *f, const unsigned char *s, size_t left, size_t *n)
{
    *n = 1;
    if (!f->utf8 || s[0] < 0x80)
        return s[0];
    size_t want = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
                  : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
    if (want > left)
        return 0xFFFD;
    const unsigned char *p = s;
    unsigned cp = utf8_next(&p);
    *n = (size_t)(p - s);
    return cp;
}

/* Width of one character in 1/1000 em, as libharu measures it. */
static float char_width(layout_fonts *f, int font, const unsigned char *s, size_t n,
                        unsigned cp)
{
    if (f->mode == FONTS_TRUETYPE) {
        HPDF_BYTE b;
        HPDF_Font hf = plane_of(f, font, cp, &b);
        return hf ? (float)HPDF_Font_TextWidth(hf, &b, 1).width : 0;
    }
    HPDF_Font hf = layout_font(f, font);
    return hf ? (float)HPDF_Font_TextWidth(hf, s, (HPDF_UINT)n).width : 0;
}

double layout_width(layout_fonts *f, int font, double size, const char *text, size_t len)
{
    if (!layout_font(f, font) || len == 0)
        return 0;
    const unsigned char *s = (const unsigned char *)text;
    double units = 0;
    for (size_t i = 0, n; i < len; i += n) {
        unsigned cp = next_code(f, s + i, len - i, &n);
        float *cached = cp < LAYOUT_WIDTH_CACHE ? &f->width[font][cp] : NULL;
        if (cached && *cached > 0) {
            units += *cached;
            continue;
        }
        float w = char_width(f, font, s + i, n, cp);
        if (cached)
            *cached = w;
        units += w;
    }
    return units * size / 1000.0;
}

/* Set the page's font unless it is already FONT at SIZE. */
static void use_font(HPDF_Page page, HPDF_Font font, double size)
{
    if (HPDF_Page_GetCurrentFont(page) != font ||
        HPDF_Page_GetCurrentFontSize(page) != (HPDF_REAL)size)
        HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)size);
}

void layout_show(layout_fonts *f, HPDF_Page page, int font, double size, double x, double y,
                 const char *text)
{
    HPDF_Font hf = layout_font(f, font);
    if (!hf || !*text)
        return;
    if (f->mode != FONTS_TRUETYPE) {
        use_font(page, hf, size);
        HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, text);
        return;
    }
    /* Runs of characters from one plane, each shown where the last ended. */
    size_t len = strlen(text);
    char *run = xmalloc(len + 1);
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0, n; i < len;) {
        HPDF_BYTE b;
        unsigned cp = next_code(f, s + i, len - i, &n);
        HPDF_Font plane = plane_of(f, font, cp, &b), next = NULL;
        size_t k = 0, start = i;
        do {
            run[k++] = (char)b;
            i += n;
            if (i >= len)
                break;
            cp = next_code(f, s + i, len - i, &n);
            next = plane_of(f, font, cp, &b);
        } while (next == plane);
        run[k] = 0;
        if (!plane)
            break;
        use_font(page, plane, size);
        HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, run);
        x += layout_width(f, font, size, text + start, i - start);
    }
    free(run);
}

/* Greedy word wrap of UTF8 at width W; an over-long word is split where it
 * must be. Lines are encoded for the fonts. */
size_t layout_wrap(layout_fonts *f, int font, double size, const char *utf8, double w,
                   char ***lines)
{
    char *enc = layout_encode(f, utf8);
    size_t n = 0;
    *lines = NULL;
    strbuf cur = {0};
    double cw = 0, space = layout_width(f, font, size, " ", 1);
    for (char *p = enc; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        double ww = layout_width(f, font, size, p, len);
        if (cur.len && cw + space + ww > w) {
            *lines = xrealloc(*lines, (n + 1) * sizeof **lines);
            (*lines)[n++] = xstrdup(cur.data);
            cur.len = 0, cur.data[0] = 0, cw = 0;
        }
        while (ww > w && len > 1) {
            /* Split the word: as many bytes as fit (UTF-8 safe). */
            size_t k = 1;
            while (k < len) {
                size_t next = k + 1;
                while (next < len && f->utf8 && ((unsigned char)p[next] & 0xC0) == 0x80)
                    next++;
                if (layout_width(f, font, size, p, next) > w)
                    break;
                k = next;
            }
            *lines = xrealloc(*lines, (n + 1) * sizeof **lines);
            (*lines)[n++] = xstrndup(p, k);
            p += k, len -= k;
            ww = layout_width(f, font, size, p, len);
        }
        if (cur.len)
            sb_add(&cur, " ", 1), cw += space;
        sb_add(&cur, p, len);
        cw += ww;
        p += len;
    }
    if (cur.len) {
        *lines = xrealloc(*lines, (n + 1) * sizeof **lines);
        (*lines)[n++] = xstrdup(cur.data);
    }
    sb_free(&cur);
    free(enc);
    return n;
}

/* ------------------------------------------------------------------ */
/* Styles */

static bool young_pupil(const document *d)
{
    return audience_for(d->kind, d->band)->young;
}

static void style_for(const document *d, layout_style *s)
{
    memset(s, 0, sizeof *s);
    s->easy = d->reading == READING_EASY;
    s->symbols = s->easy || young_pupil(d);
    s->countersign = young_pupil(d);
    if (s->easy || young_pupil(d)) {
        /* 14 pt with 1.5 spacing (BDA style guide); about 65 characters a line. */
        s->body = 14;
        s->leading = s->easy ? 1.5 : 1.35;
        s->measure = 31 * s->body;
        double h[7] = {0, 24, 19, 17, 17, 17, 17};
        memcpy(s->heading, h, sizeof h);
    } else {
        s->body = 10.5;
        s->leading = 1.32;
        s->measure = PAGE_W - 2 * MARGIN;
        double h[7] = {0, 19, 13.5, 11.5, 10.5, 10.5, 10.5};
        memcpy(s->heading, h, sizeof h);
    }
}

/* ------------------------------------------------------------------ */
/* Tokens: the words of one paragraph, measured. */

typedef struct {
    int font;
    char *text;         /* encoded */
    size_t len;
    double w;
    double space;       /* width of the space before it; 0 when joined */
    bool brk;           /* a line may break before it */
    bool hard;          /* a line must break before it */
    const char *uri;
} token;

typedef struct {
    token *v;
    size_t n, cap;
} tokens;

/* Where inline text is going: its font, link and pending space. */
typedef struct {
    int font;
    const char *uri;
    double size;
    bool space, hard;
} inl_state;

static void tokens_push(tokens *t, token tk)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 32;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = tk;
}

static void tokens_free(tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static void add_word(layout_fonts *f, tokens *t, inl_state *st, const char *enc, size_t len)
{
    token tk = {.font = st->font, .text = xstrndup(enc, len), .len = len, .uri = st->uri};
    tk.w = layout_width(f, st->font, st->size, enc, len);
    if (st->space && t->n > 0) {
        tk.space = layout_width(f, st->font, st->size, " ", 1);
        tk.brk = true;
    }
    tk.hard = st->hard;
    st->space = st->hard = false;
    tokens_push(t, tk);
}

/* Split UTF8 at white space into tokens in the current font. */
static void add_text(layout_fonts *f, tokens *t, inl_state *st, const char *utf8)
{
    if (!utf8)
        return;
    char *enc = layout_encode(f, utf8);
    const char *p = enc;
    while (*p) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            st->space = true;
            p++;
            continue;
        }
        size_t n = strcspn(p, " \t\n\r");
        add_word(f, t, st, p, n);
        p += n;
    }
    free(enc);
}

static void add_inlines(layout_fonts *f, const layout_style *sty, tokens *t, inl_state st,
                        cmark_node *parent, inl_state *out);

static void add_inline(layout_fonts *f, const layout_style *sty, tokens *t, inl_state *st,
                       cmark_node *n)
{
    inl_state sub = *st;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
        add_text(f, t, st, cmark_node_get_literal(n));
        return;
    case CMARK_NODE_CODE:
        sub.font = FONT_MONO;
        add_text(f, t, &sub, cmark_node_get_literal(n));
        st->space = sub.space, st->hard = sub.hard;
        return;
    case CMARK_NODE_SOFTBREAK:
        st->space = true;
        return;
    case CMARK_NODE_LINEBREAK:
        st->hard = true;
        return;
    case CMARK_NODE_HTML_INLINE:
        return;
    case CMARK_NODE_EMPH:
        /* Easy read avoids italics: emphasis becomes bold. */
        if (sub.font != FONT_MONO)
            sub.font |= sty->easy ? FONT_BOLD : FONT_ITALIC;
        break;
    case CMARK_NODE_STRONG:
        if (sub.font != FONT_MONO)
            sub.font |= FONT_BOLD;
        break;
    case CMARK_NODE_LINK:
        sub.uri = cmark_node_get_url(n);
        break;
    default:
        break;
    }
    add_inlines(f, sty, t, sub, n, st);
}

/* Add the inline children of PARENT starting in state ST; the spacing
 * state at the end goes back to OUT. */
static void add_inlines(layout_fonts *f, const layout_style *sty, tokens *t, inl_state st,
                        cmark_node *parent, inl_state *out)
{
    for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c))
        add_inline(f, sty, t, &st, c);
    if (out)
        out->space = st.space, out->hard = st.hard;
}

/* Replace any run of joined tokens wider than W by one token per
 * character, so that an over-long word breaks between characters instead
 * of running past the margin. */
static void explode_wide(layout_fonts *f, tokens *t, double w, double size)
{
    tokens out = {0};
    for (size_t i = 0; i < t->n;) {
        size_t j = i + 1;
        double cw = t->v[i].w;
        for (; j < t->n && !t->v[j].brk && !t->v[j].hard; j++)
            cw += t->v[j].space + t->v[j].w;
        for (size_t k = i; k < j; k++) {
            token *tk = &t->v[k];
            if (cw <= w) {
                tokens_push(&out, *tk);
                continue;
            }
            for (size_t p = 0; p < tk->len;) {
                size_t n = char_len(f, tk->text + p);
                token c = *tk;
                c.text = xstrndup(tk->text + p, n);
                c.len = n;
                c.w = layout_width(f, tk->font, size, c.text, n);
                c.brk = true;
                c.hard = p == 0 && tk->hard;
                c.space = p == 0 ? tk->space : 0;
                tokens_push(&out, c);
                p += n;
            }
            free(tk->text);
        }
        i = j;
    }
    free(t->v);
    *t = out;
}

/* ------------------------------------------------------------------ */
/* Lines: the units pagination moves. Their ops hold y as a distance
 * below the line's top until the line is placed. */

typedef struct {
    double h, space_before, x, w;
    bool keep_next;
    bool new_page;          /* starts a page (an annex) */
    cmark_node *node;
    size_t op0, op1;
    int mark;
    int page;
    double top;
} line;

typedef struct {
    cmark_node *node;
    double x, w;
} geo;

typedef enum { MARK_NONE, MARK_BULLET, MARK_NUMBER, MARK_TICK, MARK_CROSS, MARK_CONSENT } marker_kind;

typedef struct {
    const document *d;
    layout_fonts *f;
    layout *out;
    const layout_style *s;
    line *lines;
    size_t nlines, caplines;
    geo *geos;
    size_t ngeos, capgeos;
    double space;           /* space wanted before the next line */
    double space_cap;       /* after a heading: at most this; < 0 none */
    bool keep_all;          /* inside a keep-together block */
    marker_kind marker;
    int marker_num;
    double marker_x;        /* left edge of the item's text */
    double sig_col;         /* width of the signature rows' first labels */
    bool break_pending;     /* the next line starts a new page */
} ctx;

layout_op *layout_push_op(layout *l, layout_op_kind kind, double x, double y, double w, double h)
{
    if (l->nops == l->capops) {
        l->capops = l->capops ? 2 * l->capops : 128;
        l->ops = xrealloc(l->ops, l->capops * sizeof *l->ops);
    }
    layout_op *op = &l->ops[l->nops++];
    memset(op, 0, sizeof *op);
    op->kind = kind, op->x = x, op->y = y, op->w = w, op->h = h;
    op->r = op->g = op->b = 0.1;
    op->page = 1;
    return op;
}

static layout_op *add_op(ctx *c, layout_op_kind kind, double x, double y, double w, double h)
{
    return layout_push_op(c->out, kind, x, y, w, h);
}

static void want_space(ctx *c, double s)
{
    if (c->space_cap >= 0 && s > c->space_cap)
        s = c->space_cap;
    if (s > c->space)
        c->space = s;
}

static line *new_line(ctx *c, double h, double x, double w, cmark_node *node)
{
    if (c->nlines == c->caplines) {
        c->caplines = c->caplines ? 2 * c->caplines : 64;
        c->lines = xrealloc(c->lines, c->caplines * sizeof *c->lines);
    }
    line *ln = &c->lines[c->nlines++];
    memset(ln, 0, sizeof *ln);
    ln->h = h, ln->x = x, ln->w = w, ln->node = node, ln->mark = -1;
    ln->space_before = c->space;
    ln->keep_next = c->keep_all;
    ln->new_page = c->break_pending;
    c->break_pending = false;
    ln->op0 = ln->op1 = c->out->nops;
    c->space = 0;
    c->space_cap = -1;
    return ln;
}

static void end_line(ctx *c, line *ln)
{
    ln->op1 = c->out->nops;
}

static void set_geo(ctx *c, cmark_node *n, double x, double w)
{
    if (c->ngeos == c->capgeos) {
        c->capgeos = c->capgeos ? 2 * c->capgeos : 64;
        c->geos = xrealloc(c->geos, c->capgeos * sizeof *c->geos);
    }
    c->geos[c->ngeos++] = (geo){n, x, w};
}

/* Draw the pending list marker beside a line whose baseline is BASE below
 * its top. */
static void draw_marker(ctx *c, double base, double size)
{
    double x = c->marker_x;
    layout_op *op;
    switch (c->marker) {
    case MARK_BULLET:
        op = add_op(c, LOP_BULLET, x - 0.95 * size, base - 0.33 * size, 0.36 * size, 0);
        break;
    case MARK_NUMBER: {
        char buf[16];
        snprintf(buf, sizeof buf, "%d.", c->marker_num);
        double w = layout_width(c->f, FONT_REGULAR, size, buf, strlen(buf));
        op = add_op(c, LOP_TEXT, x - 0.45 * size - w, base, w, 0);
        op->font = FONT_REGULAR, op->size = size, op->text = xstrdup(buf);
        break;
    }
    case MARK_TICK:
    case MARK_CROSS: {
        double box = 0.9 * size;
        op = add_op(c, c->marker == MARK_TICK ? LOP_TICK : LOP_CROSS, x - 0.6 * size - box,
                    base + 0.08 * size, box, box);
        op->line_width = 0.16 * size;
        break;
    }
    case MARK_CONSENT: {
        /* Two boxes to tick, "Yes" and "No", before the use they answer. */
        static const char *const answers[2] = {"Yes", "No"};
        double box = 0.95 * size;
        for (int k = 0; k < 2; k++) {
            op = add_op(c, LOP_SHAPE, x, base + 0.12 * size, box, box);
            op->shape = SHAPE_TICKBOX, op->line_width = 0.8;
            op->sr = op->sg = op->sb = 0.2;
            x += box + 0.3 * size;
            double w = layout_width(c->f, FONT_BOLD, size, answers[k], strlen(answers[k]));
            op = add_op(c, LOP_TEXT, x, base, w, 0);
            op->font = FONT_BOLD, op->size = size, op->text = xstrdup(answers[k]);
            x += w + 1.1 * size;
        }
        break;
    }
    case MARK_NONE:
        break;
    }
    c->marker = MARK_NONE;
}

typedef struct {
    double size, lead;      /* font size and line height in points */
    double r, g, b;
    bool underline_links;
} text_style;

/* Emit the ops for tokens [A, B) on one line, left-aligned at X. */
static void emit_tokens(ctx *c, const tokens *t, size_t a, size_t b, double x, double base,
                        const text_style *ts)
{
    for (size_t i = a; i < b;) {
        if (i > a)
            x += t->v[i].space;
        const token *first = &t->v[i];
        strbuf sb = {0};
        double w = 0;
        size_t j = i;
        for (; j < b && t->v[j].font == first->font && t->v[j].uri == first->uri; j++) {
            if (j > i && t->v[j].space > 0) {
                sb_add(&sb, " ", 1);
                w += t->v[j].space;
            }
            sb_add(&sb, t->v[j].text, t->v[j].len);
            w += t->v[j].w;
        }
        layout_op *op = add_op(c, LOP_TEXT, x, base, w, 0);
        op->font = first->font, op->size = ts->size, op->text = sb.data;
        op->r = ts->r, op->g = ts->g, op->b = ts->b;
        if (first->uri && *first->uri) {
            op->r = 0.05, op->g = 0.25, op->b = 0.6;
            layout_op *lk = add_op(c, LOP_LINK, x, base + 0.25 * ts->size, w, 1.05 * ts->size);
            lk->uri = xstrdup(first->uri);
            if (ts->underline_links) {
                layout_op *u = add_op(c, LOP_RULE, x, base + 0.12 * ts->size, w, 0);
                u->line_width = 0.05 * ts->size, u->r = 0.05, u->g = 0.25, u->b = 0.6;
            }
        }
        x += w;
        i = j;
    }
}

/* Break T into lines of at most W points: greedy, ragged right. Returns
 * the number of lines; STARTS gets each line's first token (n+1 entries). */
static size_t break_lines(const tokens *t, double w, size_t **starts)
{
    size_t n = 0, cap = 8;
    size_t *s = xmalloc(cap * sizeof *s);
    double lw = 0;
    s[n++] = 0;
    for (size_t i = 0; i < t->n;) {
        size_t j = i + 1;
        double cw = t->v[i].w;
        for (; j < t->n && !t->v[j].brk && !t->v[j].hard; j++)
            cw += t->v[j].space + t->v[j].w;
        bool at_start = i == s[n - 1];
        if (!at_start && (t->v[i].hard || lw + t->v[i].space + cw > w)) {
            if (n + 1 >= cap)
                s = xrealloc(s, (cap *= 2) * sizeof *s);
            s[n++] = i;
            lw = cw;
        } else {
            lw += (at_start ? 0 : t->v[i].space) + cw;
        }
        i = j;
    }
    s[n] = t->n;
    *starts = s;
    return t->n ? n : 0;
}

/* Lay tokens out as a paragraph at X, W: no single line left alone at
 * the foot or head of a page. Returns the number of lines. */
static size_t lay_tokens(ctx *c, tokens *t, double x, double w, const text_style *ts,
                         cmark_node *node)
{
    explode_wide(c->f, t, w, ts->size);
    size_t *starts;
    size_t n = break_lines(t, w, &starts);
    double base = (ts->lead - ts->size) / 2 + 0.8 * ts->size;
    for (size_t i = 0; i < n; i++) {
        line *ln = new_line(c, ts->lead, x, w, node);
        if (i == 0 || i + 2 == n)
            ln->keep_next = ln->keep_next || n > 1;
        if (c->marker != MARK_NONE)
            draw_marker(c, base, c->s->body);
        emit_tokens(c, t, starts[i], starts[i + 1], x, base, ts);
        end_line(c, ln);
    }
    free(starts);
    return n;
}

static text_style body_style(const ctx *c)
{
    const layout_style *s = c->s;
    return (text_style){s->body, s->body * s->leading, 0.1, 0.1, 0.1, !s->easy};
}

static void lay_inlines(ctx *c, cmark_node *n, double x, double w, int font,
                        const text_style *ts)
{
    tokens t = {0};
    inl_state st = {.font = font, .size = ts->size};
    add_inlines(c->f, c->s, &t, st, n, NULL);
    lay_tokens(c, &t, x, w, ts, n);
    tokens_free(&t);
}

static void lay_paragraph(ctx *c, cmark_node *n, double x, double w)
{
    text_style ts = body_style(c);
    cmark_node *parent = cmark_node_parent(n);
    bool tight = parent && cmark_node_get_type(parent) == CMARK_NODE_ITEM &&
                 cmark_node_get_list_tight(cmark_node_parent(parent));
    want_space(c, (tight ? 0.25 : 0.6) * ts.lead);
    lay_inlines(c, n, x, w, FONT_REGULAR, &ts);
}

/* Plain text of N's inlines, for bookmarks and signature labels. */
static void plain_text(cmark_node *n, strbuf *sb)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type ty = cmark_node_get_type(k);
        if (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE)
            sb_puts(sb, cmark_node_get_literal(k));
        else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
            sb_puts(sb, "\n");
        else
            plain_text(k, sb);
    }
}

static void add_mark(ctx *c, line *ln, int level, const char *utf8)
{
    layout *l = c->out;
    if (l->nmarks == l->capmarks) {
        l->capmarks = l->capmarks ? 2 * l->capmarks : 16;
        l->marks = xrealloc(l->marks, l->capmarks * sizeof *l->marks);
    }
    char *flat = xstrdup(utf8);
    for (char *p = flat; *p; p++)
        if (*p == '\n')
            *p = ' ';
    l->marks[l->nmarks] = (layout_mark){level, layout_encode(c->f, flat), 0, 0};
    free(flat);
    ln->mark = (int)l->nmarks++;
}

static text_style heading_style(const ctx *c, int level)
{
    double size = c->s->heading[level < 1 ? 1 : level > 6 ? 6 : level];
    text_style ts = {size, size * 1.22, 0.09, 0.2, 0.38, !c->s->easy};
    return ts;
}

/* A heading keeps with what follows it. TEXT replaces N's inlines when N
 * is NULL (the title aupc adds). */
static void lay_heading(ctx *c, cmark_node *n, int level, const char *text, double x, double w)
{
    text_style ts = heading_style(c, level);
    want_space(c, (level <= 1 ? 0.4 : 1.0) * c->s->body * c->s->leading);
    size_t first = c->nlines;
    tokens t = {0};
    inl_state st = {.font = FONT_BOLD, .size = ts.size};
    if (n)
        add_inlines(c->f, c->s, &t, st, n, NULL);
    else
        add_text(c->f, &t, &st, text);
    size_t nl = lay_tokens(c, &t, x, w, &ts, n);
    tokens_free(&t);
    for (size_t i = first; i < c->nlines; i++)
        c->lines[i].keep_next = true;
    if (nl) {
        strbuf sb = {0};
        if (n)
            plain_text(n, &sb);
        add_mark(c, &c->lines[first], level, n ? (sb.data ? sb.data : "") : text);
        sb_free(&sb);
    }
    c->space = 0;
    c->space_cap = 0.35 * c->s->body * c->s->leading;
}

static void lay_block(ctx *c, cmark_node *n, double x, double w);

static void lay_children(ctx *c, cmark_node *n, double x, double w)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        lay_block(c, k, x, w);
}

static marker_kind item_marker(const ctx *c, cmark_node *item, cmark_list_type type)
{
    const doc_tag *tag = document_tag_of(item);
    if (!tag && cmark_node_first_child(item))
        tag = document_tag_of(cmark_node_first_child(item));
    if (c->s->symbols && tag && tag->positive_rule)
        return MARK_TICK;
    if (c->s->symbols && tag && tag->negative_rule)
        return MARK_CROSS;
    return type == CMARK_ORDERED_LIST ? MARK_NUMBER : MARK_BULLET;
}

static void lay_list(ctx *c, cmark_node *list, double x, double w)
{
    cmark_list_type type = cmark_node_get_list_type(list);
    double indent = (c->s->symbols ? 2.1 : 1.6) * c->s->body;
    int num = cmark_node_get_list_start(list);
    want_space(c, 0.6 * c->s->body * c->s->leading);
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it), num++) {
        set_geo(c, it, x, w);
        want_space(c, 0.3 * c->s->body * c->s->leading);
        c->marker = item_marker(c, it, type);
        c->marker_num = num;
        c->marker_x = x + indent;
        lay_children(c, it, x + indent, w - indent);
        c->marker = MARK_NONE;
    }
}

static void lay_code_block(ctx *c, cmark_node *n, double x, double w)
{
    text_style ts = body_style(c);
    ts.size *= 0.9;
    ts.lead = ts.size * 1.3;
    want_space(c, 0.6 * c->s->body * c->s->leading);
    const char *lit = cmark_node_get_literal(n);
    for (const char *p = lit ? lit : ""; *p;) {
        size_t len = strcspn(p, "\n");
        char *one = xstrndup(p, len);
        tokens t = {0};
        inl_state st = {.font = FONT_MONO, .size = ts.size};
        add_text(c->f, &t, &st, one);
        if (t.n == 0)
            end_line(c, new_line(c, ts.lead, x, w, n));
        lay_tokens(c, &t, x + 0.5 * ts.size, w - 0.5 * ts.size, &ts, n);
        tokens_free(&t);
        free(one);
        p += len + (p[len] == '\n');
    }
}

static void lay_rule(ctx *c, cmark_node *n, double x, double w)
{
    double lead = c->s->body * c->s->leading;
    want_space(c, 0.3 * lead);
    line *ln = new_line(c, lead, x, w, n);
    layout_op *op = add_op(c, LOP_RULE, x, lead / 2, w, 0);
    op->line_width = 0.6, op->r = op->g = op->b = 0.6;
    end_line(c, ln);
}

static void lay_signature(ctx *c, cmark_node *n, double x, double w);

/* What follows starts on a new page (unless nothing came before). */
static void start_page(ctx *c)
{
    if (c->nlines) {
        c->lines[c->nlines - 1].keep_next = false;
        c->break_pending = true;
    }
    c->space = 0;
}

/* The image consent list: each item's paragraph opens with a "Yes / No: "
 * text node, drawn here as two boxes to tick. */
static void lay_consent(ctx *c, cmark_node *list, double x, double w)
{
    text_style ts = body_style(c);
    double size = c->s->body, box = 0.95 * size;
    double indent = 2 * (box + 0.3 * size) + 2 * 1.1 * size +
                    layout_width(c->f, FONT_BOLD, size, "Yes", 3) +
                    layout_width(c->f, FONT_BOLD, size, "No", 2);
    want_space(c, 0.6 * ts.lead);
    for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
        set_geo(c, it, x, w);
        cmark_node *para = cmark_node_first_child(it);
        if (!para)
            continue;
        want_space(c, 0.55 * ts.lead);
        tokens t = {0};
        inl_state st = {.font = FONT_REGULAR, .size = ts.size};
        cmark_node *k = cmark_node_first_child(para);
        if (k && cmark_node_get_type(k) == CMARK_NODE_TEXT)
            k = cmark_node_next(k);     /* the "Yes / No: " prompt */
        for (; k; k = cmark_node_next(k))
            add_inline(c->f, c->s, &t, &st, k);
        c->marker = MARK_CONSENT;
        c->marker_x = x;
        lay_tokens(c, &t, x + indent, w - indent, &ts, para);
        c->marker = MARK_NONE;
        tokens_free(&t);
    }
}

/* The incident flowchart: its heading and introduction, then the chart
 * filling the rest of a page of its own. Without the chart data the
 * numbered steps are laid out as text instead. */
static void lay_flowchart(ctx *c, cmark_node *n, double x, double w)
{
    const flowchart *fc = flowchart_builtin(NULL);
    layout *l = c->out;
    start_page(c);
    size_t first = c->nlines;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        if (!fc || cmark_node_get_type(k) != CMARK_NODE_LIST)
            lay_block(c, k, x, w);
    if (!fc)
        return;
    double used = 0;
    for (size_t i = first; i < c->nlines; i++) {
        used += c->lines[i].h + (i > first ? c->lines[i].space_before : 0);
        c->lines[i].keep_next = true;
    }
    want_space(c, 0.8 * c->s->body * c->s->leading);
    double before = c->nlines > first ? c->space : 0;
    double avail = (l->top - l->bottom) - used - before - 1;
    double top = l->top - used - before;
    line *ln = new_line(c, avail, x, w, n);
    flow_layout fl;
    flowchart_layout(fc, c->f, x, top - avail, w, avail, &fl);
    flowchart_emit(fc, &fl, c->f, l, top);
    flow_layout_free(&fl);
    end_line(c, ln);
    ln->keep_next = false;
    c->break_pending = true;
}

static void lay_block(ctx *c, cmark_node *n, double x, double w)
{
    const doc_tag *tag = document_tag_of(n);
    set_geo(c, n, x, w);
    if (tag && tag->kind == TAG_SIGNATURE) {
        lay_signature(c, n, x, w);
        return;
    }
    if (tag && tag->kind == TAG_FLOWCHART) {
        lay_flowchart(c, n, x, w);
        return;
    }
    if (tag && tag->kind == TAG_ANNEX) {
        start_page(c);
        lay_children(c, n, x, w);
        return;
    }
    if (tag && tag->kind == TAG_CONSENT && cmark_node_get_type(n) == CMARK_NODE_LIST) {
        lay_consent(c, n, x, w);
        return;
    }
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        lay_paragraph(c, n, x, w);
        break;
    case CMARK_NODE_HEADING:
        lay_heading(c, n, cmark_node_get_heading_level(n), NULL, x, w);
        break;
    case CMARK_NODE_LIST:
        lay_list(c, n, x, w);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
        want_space(c, 0.6 * c->s->body * c->s->leading);
        lay_children(c, n, x + c->s->body * 1.2, w - c->s->body * 1.2);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        lay_rule(c, n, x, w);
        break;
    case CMARK_NODE_CODE_BLOCK:
        lay_code_block(c, n, x, w);
        break;
    case CMARK_NODE_HTML_BLOCK:
        break;
    default:
        lay_children(c, n, x, w);
        break;
    }
}

/* ------------------------------------------------------------------ */
/* The acknowledgement block: labels with ruled lines to write on. */

typedef struct {
    char *label;
    double weight;
} sig_field;

static bool has_word(const char *s, const char *word)
{
    for (size_t n = strlen(word); *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

/* The next blank to write on in S: a run of 3+ underscores, 5+ dots or
 * 2+ ellipses. Returns its start, or NULL; *LEN gets its length. */
static const char *find_blank(const char *s, size_t *len)
{
    for (; *s; s++) {
        const char *e = s;
        int ell = 0;
        while (strncmp(e, "\xE2\x80\xA6", 3) == 0)
            e += 3, ell++;
        size_t under = strspn(s, "_"), dots = strspn(s, ".");
        *len = under >= 3 ? under : dots >= 5 ? dots : ell >= 2 ? (size_t)(e - s) : 0;
        if (*len)
            return s;
    }
    return NULL;
}

static void add_field(sig_field *f, const char *a, const char *b)
{
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == ':' || b[-1] == '\t'))
        b--;
    f->label = xstrndup(a, (size_t)(b - a));
    f->weight = has_word(f->label, "date") ? 1 : 2;
}

/* Split one line such as "Name: ______  Date: ....." (or a bare "Name:")
 * into fields. Returns the number found (0: the line is prose). */
static size_t sig_fields(const char *s, sig_field *out, size_t max)
{
    size_t n = 0, len;
    const char *u;
    while (n < max && (u = find_blank(s, &len)) != NULL) {
        add_field(&out[n++], s, u);
        s = u + len;
    }
    size_t rest = strlen(s);
    while (rest > 0 && s[rest - 1] == ' ')
        rest--;
    if (n == 0 && rest > 0 && rest < 40 && s[rest - 1] == ':')
        add_field(&out[n++], s, s + rest);
    return n;
}

static void sig_row(ctx *c, sig_field *f, size_t n, double x, double w)
{
    double size = c->s->body, lead = size * c->s->leading;
    double h = fmax(2.2 * lead, lead + 18), base = h - 0.45 * lead;
    double total = 0, gap = 1.2 * size;
    for (size_t i = 0; i < n; i++)
        total += f[i].weight;
    if (total < 2)
        total = 2;      /* a lone date needs only half the width */
    line *ln = new_line(c, h, x, w, NULL);
    for (size_t i = 0; i < n; i++) {
        double slot = (w - gap * (double)(n - 1)) * f[i].weight / total;
        char *enc = layout_encode(c->f, f[i].label);
        double lw = layout_width(c->f, FONT_BOLD, size, enc, strlen(enc));
        if (lw > slot * 0.6)
            lw = 0, enc[0] = 0;     /* no room for the label: just the rule */
        layout_op *op = add_op(c, LOP_TEXT, x, base, lw, 0);
        op->font = FONT_BOLD, op->size = size, op->text = enc;
        /* Rules of the first column start together. */
        double col = i == 0 && c->sig_col < slot * 0.6 ? fmax(lw, c->sig_col) : lw;
        double rx = x + col + (lw > 0 ? 0.5 * size : 0);
        layout_op *r = add_op(c, LOP_RULE, rx, base + 2, x + slot - rx, 0);
        r->line_width = 0.7, r->r = r->g = r->b = 0.35;
        x += slot + gap;
    }
    end_line(c, ln);
}

static void sig_prose(ctx *c, const char *text, double x, double w)
{
    text_style ts = body_style(c);
    tokens t = {0};
    inl_state st = {.font = FONT_REGULAR, .size = ts.size};
    add_text(c->f, &t, &st, text);
    lay_tokens(c, &t, x, w, &ts, NULL);
    tokens_free(&t);
}

/* Lay one line of the block's text: prose, or a row of fields. Returns
 * whether it named a parent or carer. */
static bool sig_line(ctx *c, const char *text, double x, double w, size_t *nfields)
{
    sig_field f[6];
    size_t n = sig_fields(text, f, 6);
    bool parent = false;
    if (n == 0) {
        want_space(c, 0.3 * c->s->body * c->s->leading);
        sig_prose(c, text, x, w);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        parent = parent || has_word(f[i].label, "parent") || has_word(f[i].label, "carer");
    sig_row(c, f, n, x, w);
    for (size_t i = 0; i < n; i++)
        free(f[i].label);
    *nfields += n;
    return parent;
}

/* Walk the block's paragraphs line by line. */
static bool sig_walk(ctx *c, cmark_node *n, double x, double w, size_t *nfields)
{
    bool parent = false;
    cmark_node_type ty = cmark_node_get_type(n);
    if (ty == CMARK_NODE_HEADING) {
        lay_heading(c, n, cmark_node_get_heading_level(n), NULL, x, w);
        return false;
    }
    if (ty != CMARK_NODE_PARAGRAPH) {
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            parent = sig_walk(c, k, x, w, nfields) || parent;
        return parent;
    }
    strbuf sb = {0};
    plain_text(n, &sb);
    for (char *p = sb.data, *e; p && *p; p = e + (*e == '\n')) {
        e = p + strcspn(p, "\n");
        char *one = xstrndup(p, (size_t)(e - p));
        parent = sig_line(c, one, x, w, nfields) || parent;
        free(one);
    }
    sb_free(&sb);
    return parent;
}

/* Widen the label column to fit the first label of LINE. */
static void sig_measure_line(ctx *c, const char *line)
{
    sig_field f[6];
    size_t n = sig_fields(line, f, 6);
    if (n > 0) {
        char *enc = layout_encode(c->f, f[0].label);
        c->sig_col = fmax(c->sig_col, layout_width(c->f, FONT_BOLD, c->s->body, enc,
                                                   strlen(enc)));
        free(enc);
    }
    for (size_t i = 0; i < n; i++)
        free(f[i].label);
}

static void sig_measure(ctx *c, cmark_node *n)
{
    if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH) {
        for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
            sig_measure(c, k);
        return;
    }
    strbuf sb = {0};
    plain_text(n, &sb);
    for (char *p = sb.data, *e; p && *p; p = e + (*e == '\n')) {
        e = p + strcspn(p, "\n");
        char *one = xstrndup(p, (size_t)(e - p));
        sig_measure_line(c, one);
        free(one);
    }
    sb_free(&sb);
}

static void lay_signature(ctx *c, cmark_node *n, double x, double w)
{
    c->sig_col = 0;
    sig_measure(c, n);
    if (c->s->countersign)
        sig_measure_line(c, "Parent or carer: ___");
    size_t nfields = 0, first = c->nlines;
    want_space(c, 0.5 * c->s->body * c->s->leading);
    /* The block moves to the next page whole rather than split. */
    c->keep_all = true;
    bool parent = sig_walk(c, n, x, w, &nfields);
    if (nfields == 0) {
        sig_line(c, "Name: ___", x, w, &nfields);
        sig_line(c, "Signature: ___ Date: ___", x, w, &nfields);
    }
    if (c->s->countersign && !parent)
        sig_line(c, "Parent or carer: ___ Date: ___", x, w, &nfields);
    c->keep_all = false;
    if (c->nlines > first)
        c->lines[c->nlines - 1].keep_next = false;
    for (size_t i = first; i < c->nlines; i++)
        c->lines[i].node = n;
}

/* ------------------------------------------------------------------ */
/* Pagination */

static void place(line *ln, int page, double *y, bool at_top)
{
    if (!at_top)
        *y -= ln->space_before;
    ln->page = page;
    ln->top = *y;
    *y -= ln->h;
}

/* The lines from I that must stay on one page, and their height. */
static size_t chunk_end(const ctx *c, size_t i, double *h)
{
    size_t j = i;
    *h = c->lines[i].h;
    while (j + 1 < c->nlines && c->lines[j].keep_next) {
        j++;
        *h += c->lines[j].space_before + c->lines[j].h;
    }
    return j + 1;
}

static int paginate(ctx *c)
{
    const layout *l = c->out;
    int page = 1;
    double y = l->top;
    for (size_t i = 0; i < c->nlines;) {
        double h;
        size_t end = chunk_end(c, i, &h);
        bool at_top = y >= l->top;
        if (!at_top && y - c->lines[i].space_before - h < l->bottom) {
            page++, y = l->top, at_top = true;
        }
        for (; i < end; i++) {
            if (c->lines[i].new_page && y < l->top)
                page++, y = l->top;
            /* A chunk taller than a page has to break somewhere. */
            if (y - c->lines[i].h < l->bottom && y < l->top)
                page++, y = l->top;
            place(&c->lines[i], page, &y, y >= l->top);
        }
    }
    return page;
}

/* Turn line-relative y into page coordinates. */
static void fix_ops(ctx *c)
{
    layout *l = c->out;
    for (size_t i = 0; i < c->nlines; i++) {
        line *ln = &c->lines[i];
        for (size_t k = ln->op0; k < ln->op1; k++) {
            l->ops[k].page = ln->page;
            l->ops[k].y = ln->top - l->ops[k].y;
        }
        if (ln->mark >= 0) {
            l->marks[ln->mark].page = ln->page;
            l->marks[ln->mark].y = ln->top;
        }
    }
}

/* collect_blocks looks up every ancestor of every line; a linear search
 * through the blocks (and the geometry) made a long document quadratic, so
 * both are found through a small open-addressing table keyed on the node
 * and page. */
typedef struct {
    cmark_node *node;
    int page;
    bool used;
    size_t index;
} node_slot;

typedef struct {
    node_slot *slots;
    size_t cap, count;
} node_map;

static size_t node_hash(const cmark_node *n, int page)
{
    uint64_t h = (uint64_t)(uintptr_t)n * 0x9E3779B97F4A7C15u;
    h ^= (uint64_t)(unsigned)page * 0xC2B2AE3D27D4EB4Fu;
    h ^= h >> 29;
    return (size_t)h;
}

static node_slot *node_map_slot(const node_map *m, const cmark_node *n, int page)
{
    size_t mask = m->cap - 1;
    for (size_t i = node_hash(n, page) & mask;; i = (i + 1) & mask) {
        node_slot *s = &m->slots[i];
        if (!s->used || (s->node == n && s->page == page))
            return s;
    }
}

static void node_map_put(node_map *m, cmark_node *n, int page, size_t index)
{
    if ((m->count + 1) * 2 > m->cap) {
        node_map old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->slots = xcalloc(m->cap, sizeof *m->slots);
        m->count = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].used)
                node_map_put(m, old.slots[i].node, old.slots[i].page, old.slots[i].index);
        free(old.slots);
    }
    node_slot *s = node_map_slot(m, n, page);
    if (!s->used) {
        *s = (node_slot){n, page, true, 0};
        m->count++;
    }
    s->index = index;
}

static const node_slot *node_map_get(const node_map *m, const cmark_node *n, int page)
{
    if (!m->cap)
        return NULL;
    const node_slot *s = node_map_slot(m, n, page);
    return s->used ? s : NULL;
}

static void extend_block(ctx *c, node_map *blocks, const node_map *geos, cmark_node *n,
                         const line *ln, size_t *cap)
{
    layout *l = c->out;
    const node_slot *found = node_map_get(blocks, n, ln->page);
    if (found) {
        layout_block *b = &l->blocks[found->index];
        double bottom = fmin(b->y, ln->top - ln->h);
        b->h = fmax(b->y + b->h, ln->top) - bottom;
        b->y = bottom;
        return;
    }
    if (l->nblocks == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        l->blocks = xrealloc(l->blocks, *cap * sizeof *l->blocks);
    }
    const node_slot *gs = n ? node_map_get(geos, n, 0) : NULL;
    const geo *g = gs ? &c->geos[gs->index] : NULL;
    node_map_put(blocks, n, ln->page, l->nblocks);
    l->blocks[l->nblocks++] = (layout_block){
        ln->page, g ? g->x : ln->x, ln->top - ln->h, g ? g->w : ln->w, ln->h, n,
        n ? document_tag_of(n) : NULL};
}

static void collect_blocks(ctx *c)
{
    size_t cap = 0;
    node_map blocks = {0}, geos = {0};
    /* The last geometry recorded for a node wins. */
    for (size_t i = 0; i < c->ngeos; i++)
        node_map_put(&geos, c->geos[i].node, 0, i);
    for (size_t i = 0; i < c->nlines; i++) {
        const line *ln = &c->lines[i];
        if (!ln->node) {
            extend_block(c, &blocks, &geos, NULL, ln, &cap);
            continue;
        }
        for (cmark_node *n = ln->node; n && cmark_node_get_type(n) != CMARK_NODE_DOCUMENT;
             n = cmark_node_parent(n))
            extend_block(c, &blocks, &geos, n, ln, &cap);
    }
    free(blocks.slots);
    free(geos.slots);
}

/* Block quotes get a bar down their left edge on every page they touch. */
static void quote_bars(ctx *c)
{
    layout *l = c->out;
    for (size_t i = 0; i < l->nblocks; i++) {
        const layout_block *b = &l->blocks[i];
        if (!b->node || cmark_node_get_type(b->node) != CMARK_NODE_BLOCK_QUOTE)
            continue;
        layout_op *op = add_op(c, LOP_BAR, b->x, b->y, 2.5, b->h);
        op->page = b->page, op->r = op->g = 0.75, op->b = 0.8;
    }
}

/* ------------------------------------------------------------------ */

static bool starts_with_title(const document *d)
{
    cmark_node *first = d->root ? cmark_node_first_child(d->root) : NULL;
    while (first && cmark_node_get_type(first) == CMARK_NODE_HTML_BLOCK)
        first = cmark_node_next(first);
    return first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
           cmark_node_get_heading_level(first) == 1;
}

int layout_run(const document *d, layout_fonts *f, layout *out, diag_list *diags)
{
    memset(out, 0, sizeof *out);
    style_for(d, &out->style);
    out->page_w = PAGE_W, out->page_h = PAGE_H;
    out->left = MARGIN, out->right = PAGE_W - MARGIN;
    out->top = CONTENT_TOP, out->bottom = CONTENT_BOTTOM;
    ctx c = {.d = d, .f = f, .out = out, .s = &out->style, .space_cap = -1};
    double x = out->left, w = out->style.measure;
    if (d->title && *d->title && !starts_with_title(d))
        lay_heading(&c, NULL, 1, d->title, x, w);
    if (d->root)
        lay_children(&c, d->root, x, w);
    out->pages = c.nlines ? paginate(&c) : 1;
    fix_ops(&c);
    collect_blocks(&c);
    quote_bars(&c);
    free(c.lines);
    free(c.geos);
    if (f->failed) {
        layout_fonts_failure(f, d->source_file, diags);
        return -1;
    }
    return 0;
}

void layout_init_page(layout *l)
{
    memset(l, 0, sizeof *l);
    l->page_w = PAGE_W, l->page_h = PAGE_H;
    l->left = MARGIN, l->right = PAGE_W - MARGIN;
    l->top = CONTENT_TOP, l->bottom = CONTENT_BOTTOM;
    l->pages = 1;
    l->style.body = 10.5, l->style.leading = 1.32, l->style.measure = PAGE_W - 2 * MARGIN;
}

void layout_free(layout *l)
{
    for (size_t i = 0; i < l->nops; i++) {
        free(l->ops[i].text);
        free(l->ops[i].uri);
    }
    for (size_t i = 0; i < l->nmarks; i++)
        free(l->marks[i].title);
    free(l->ops);
    free(l->marks);
    free(l->blocks);
    memset(l, 0, sizeof *l);
}

void layout_fill_info(const layout *l, const layout_fonts *f, layout_info *info)
{
    memset(info, 0, sizeof *info);
    info->nblocks = l->nblocks;
    info->blocks = xmalloc((l->nblocks ? l->nblocks : 1) * sizeof *info->blocks);
    if (l->nblocks)
        memcpy(info->blocks, l->blocks, l->nblocks * sizeof *l->blocks);
    info->pages = l->pages;
    for (size_t i = 0; i < l->nblocks; i++)
        if (l->blocks[i].tag && l->blocks[i].tag->kind == TAG_STATEMENT &&
            l->blocks[i].page > info->core_pages)
            info->core_pages = l->blocks[i].page;
    info->unicode_font = f->utf8;
    info->body_size = l->style.body;
    info->page_w = l->page_w, info->page_h = l->page_h;
    info->margin_left = l->left, info->margin_right = l->page_w - l->right;
    info->content_top = l->top, info->content_bottom = l->bottom;
}

int layout_core_pages(const layout_info *info)
{
    return info->core_pages;
}

void layout_info_free(layout_info *info)
{
    if (!info)
        return;
    free(info->blocks);
    info->blocks = NULL;
    info->nblocks = 0;
}
