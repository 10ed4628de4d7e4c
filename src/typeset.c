#include "typeset.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "ttf_embed.h"
#include "util/utf8.h"

#define LIBERATION "/usr/share/fonts/truetype/liberation2/"
/* Latin-1 and Latin Extended-A (Welsh ŵ and ŷ among them). */
#define WIDTH_CACHE 0x180

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
    ts_font_uses *uses;        /* where ts_fonts_track records, or NULL */
    unsigned used;             /* the uses recorded there, a bit each */
    /* Glyph widths (1/1000 em) by code point, 0 when not yet measured:
     * libharu looks each glyph up in a TrueType cmap by linear search. */
    float width[FONT_COUNT][WIDTH_CACHE];
    /* ts_can_show's answers: (code point << 3 | face) + 1, and the answer. */
    unsigned shown[512][2];
};

/* ------------------------------------------------------------------ */
/* Encodings */

/* Decode one UTF-8 sequence at S (util/utf8.h); invalid bytes decode as U+FFFD. */
static unsigned utf8_next(const unsigned char **s)
{
    uint32_t cp;
    *s += utf8_decode((const char *)*s, 4, &cp);
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

void ts_charset_add(ts_charset *m, const char *s)
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
        if (m->n == TS_CHARSET_MAX)
            m->overflow = true;
        else
            m->cp[m->n++] = cp;
    }
}

/* libharu's single-byte encodings that may supply what WinAnsi lacks,
 * Celtic first for Welsh. Right-to-left scripts and Thai are left to the
 * Unicode fallback, and so is Greek: CP1253's glyph names (Delta, Omega,
 * mu) are read by viewers as the increment, ohm and micro signs, and
 * printed blank. */
static const char *const extra_encodings[] = {
    "ISO8859-14", "CP1250", "ISO8859-16", "CP1257", "ISO8859-4", "ISO8859-10",
    "CP1254", "ISO8859-3", "CP1251", "KOI8-R", "CP1258",
};

/* The byte for CP in the extra encoding, or 0. */
static int extra_byte(const ts_fonts *f, unsigned cp)
{
    for (int i = 0; i < 128; i++)
        if (f->extra_cp[i] == cp)
            return 0x80 + i;
    return 0;
}

/* Pick the first extra encoding that holds every code point of M. */
static bool choose_extra(ts_fonts *f, const ts_charset *m)
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

char *ts_encode(const ts_fonts *f, const char *utf8)
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

static const char *ttf_name(ts_fonts *f, int which);

bool ts_right_to_left(unsigned cp)
{
    return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF) || (cp >= 0x10800 && cp <= 0x10FFF) ||
           (cp >= 0x1E800 && cp <= 0x1EFFF);
}

/* Whether face WHICH of F draws CP as itself (text held as UTF-8). */
static bool face_has(ts_fonts *f, int which, unsigned cp)
{
    if (cp < 0x80)
        return true;
    if (ts_right_to_left(cp))
        return false;
    if (f->mode == FONTS_TRUETYPE && !cp1252_byte(cp) && !extra_byte(f, cp))
        return false;   /* it would be drawn as '?' */
    if (!ttf_name(f, which))
        return true;    /* the face failed to load: reported as that */
    const char *path = f->path[which];
    for (size_t i = 0; f->faces && i < f->faces->n; i++)
        if (!strcmp(f->faces->path[i], path) && f->faces->data[i])
            return ttf_has_glyph(f->faces->data[i], f->faces->len[i], cp);
    return true;        /* no copy of the face to look in */
}

bool ts_can_show(ts_fonts *f, int which, unsigned cp)
{
    if (cp < 0x80 || (f->mode == FONTS_STANDARD && cp1252_byte(cp)))
        return true;
    if (f->mode == FONTS_STANDARD)
        return false;
    /* Asked once per face and character: a table by both, open addressing
     * (a full run of slots just asks again). */
    unsigned key = cp << 3 | (unsigned)which, slot = (key * 2654435761u) >> 23;
    for (unsigned k = 0; k < 8; k++, slot = (slot + 1) & 511) {
        if (f->shown[slot][0] == key + 1)
            return f->shown[slot][1];
        if (!f->shown[slot][0]) {
            bool has = face_has(f, which, cp);
            f->shown[slot][0] = key + 1, f->shown[slot][1] = has;
            return has;
        }
    }
    return face_has(f, which, cp);
}

unsigned ts_ops_unshown(ts_fonts *f, const ts_ops *ops, int *font)
{
    for (size_t i = 0; f->utf8 && i < ops->n; i++) {
        const ts_op *o = &ops->v[i];
        const unsigned char *p = (const unsigned char *)(o->kind == TS_TEXT ? o->text : NULL);
        while (p && *p) {
            if (*p < 0x80) {
                p++;
                continue;
            }
            unsigned cp = utf8_next(&p);
            if (!ts_can_show(f, o->font, cp)) {
                *font = o->font;
                return cp;
            }
        }
    }
    return 0;
}

bool ts_utf8(const ts_fonts *f)
{
    return f->utf8;
}

size_t ts_char_len(const ts_fonts *f, const char *s)
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


/* Choose the fonts for text whose characters beyond WinAnsi are M. */
static void fonts_setup(ts_fonts *f, HPDF_Doc pdf, const ts_charset *m, const pdf_options *o)
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

bool ts_fonts_failed(const ts_fonts *f)
{
    return f->failed != NULL;
}

void ts_fonts_report(const ts_fonts *f, const char *file, diag_list *diags)
{
    bool ours = strncmp(f->failed, LIBERATION, strlen(LIBERATION)) == 0;
    diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "cannot load font '%s': %s%s", f->failed,
             f->failed_why ? f->failed_why : "libharu cannot read it",
             ours ? "; install fonts-liberation2, or give a font with --font" : "");
}

/* ---- face files ---------------------------------------------------------- */

/* Each face file is mapped and checked once per process and kept, shared
 * read-only by every thread's documents. Each thread used to read again
 * every face it set text in, and libharu then parsed the file through
 * stdio: a seek and a read for each table and run of glyphs, some 600
 * system calls a face. Mapped rather than read, only the tables used are
 * paged in, from the page cache: a copy of a pair of faces was some 200
 * fresh pages, and a fresh page costs more than the work done on it. */
typedef struct {
    char *path;
    const unsigned char *data;   /* mapped */
    size_t len;
} face_file_entry;

static pthread_mutex_t face_files_lock = PTHREAD_MUTEX_INITIALIZER;
static face_file_entry *face_files;
static size_t face_files_n;

/* The bytes of the face at PATH, or NULL with *WHY. Read and checked first:
 * libharu's error for a missing file names no file, its fopen would wait
 * forever on a FIFO, and its parser trusts the file it is given. */
static const unsigned char *face_file(const char *path, size_t *len, const char **why)
{
    pthread_mutex_lock(&face_files_lock);
    const unsigned char *found = NULL;
    for (size_t i = 0; i < face_files_n && !found; i++)
        if (strcmp(face_files[i].path, path) == 0)
            found = face_files[i].data, *len = face_files[i].len;
    const unsigned char *data;
    size_t n;
    if (found || io_map_file(path, &data, &n, why) != 0) {
        /* found, or *why says why not */
    } else if (!ttf_check(data, n)) {
        io_unmap_file(data, n);
        *why = "it is not a TrueType font";
    } else {
        face_files = xgrow(face_files, face_files_n, sizeof *face_files);
        face_files[face_files_n++] = (face_file_entry){xstrdup(path), data, n};
        found = data;
        *len = n;
    }
    pthread_mutex_unlock(&face_files_lock);
    return found;
}

/* libharu reads a face through a stream; this one reads the shared copy. */
typedef struct {
    const unsigned char *data;
    size_t len, pos;
} face_cursor;

static HPDF_STATUS face_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *size)
{
    face_cursor *c = s->attr;
    size_t left = c->pos < c->len ? c->len - c->pos : 0;
    size_t n = left < *size ? left : *size;
    memcpy(ptr, c->data + c->pos, n);
    c->pos += n;
    if (n == *size)
        return HPDF_OK;
    /* As libharu's file reader: the rest zeroed, the count cut, EOF said. */
    memset(ptr + n, 0, *size - n);
    *size = (HPDF_UINT)n;
    return HPDF_STREAM_EOF;
}

static HPDF_STATUS face_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    face_cursor *c = s->attr;
    long long base = mode == HPDF_SEEK_CUR ? (long long)c->pos
                     : mode == HPDF_SEEK_END ? (long long)c->len : 0;
    if (base + pos < 0)
        return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
    c->pos = (size_t)(base + pos);
    return HPDF_OK;
}

static HPDF_INT32 face_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((face_cursor *)s->attr)->pos;
}

static HPDF_UINT32 face_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((face_cursor *)s->attr)->len;
}

static void face_free(HPDF_Stream s)
{
    free(s->attr);
}

/* What HPDF_LoadTTFontFromFile does, from the shared copy: parse the face,
 * add it to the document's faces and give it the next tag (HPDFAA+,
 * HPDFAB+, ...). The font definition owns the stream, on failure too. */
static const char *parse_face(HPDF_Doc pdf, const unsigned char *data, size_t len)
{
    face_cursor *c = xmalloc(sizeof *c);
    *c = (face_cursor){data, len, 0};
    HPDF_Stream s = HPDF_CallbackReader_New(pdf->mmgr, face_read, face_seek, face_tell,
                                            face_size, c);
    if (!s) {
        free(c);
        return NULL;
    }
    s->free_fn = face_free;
    HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, s, HPDF_TRUE);
    /* On failure each frees what it was given; the error goes to the
     * document's handler, as from HPDF_LoadTTFontFromFile. */
    if (!def || HPDF_Doc_RegisterFontDef(pdf, def) != HPDF_OK) {
        HPDF_CheckError(&pdf->error);
        return NULL;
    }
    HPDF_BYTE *tag = pdf->ttfont_tag;
    if (tag[0] == 0) {
        memcpy(tag, "HPDFAA", 6);
    } else {
        for (int i = 5; i >= 0; i--) {
            if (++tag[i] <= 'Z')
                break;
            tag[i] = 'A';
        }
    }
    HPDF_TTFontDef_SetTagName(def, (char *)tag);
    return def->base_font;
}

/* Parse the face at PATH into the document, or find it parsed already. */
static const char *load_face(ts_fonts *f, const char *path)
{
    ttf_faces *faces = f->faces;
    for (size_t i = 0; faces && i < faces->n; i++)
        if (strcmp(faces->path[i], path) == 0)
            return faces->name[i];
    size_t len;
    const unsigned char *data = face_file(path, &len, &f->failed_why);
    const char *name = data ? parse_face(f->pdf, data, len) : NULL;
    if (name && faces && faces->n < TTF_FACES_MAX) {
        size_t i = faces->n++;
        faces->path[i] = xstrdup(path);
        faces->name[i] = name;
        faces->data[i] = data;
        faces->len[i] = len;
    }
    return name;
}

/* libharu's name for the TrueType face WHICH. libharu names a face by the
 * order it was parsed in (HPDFAA+, HPDFAB+, ...), so the faces are parsed in
 * a fixed order, upright and bold first and the rest together, whatever the
 * document needs first: a reused document then names them as a new one. */
static const char *ttf_name(ts_fonts *f, int which)
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
static void add_to_unicode(ts_fonts *f, HPDF_Font font, const char *encoding)
{
    HPDF_Dict *cmap = &f->to_unicode[strcmp(encoding, "WinAnsiEncoding") != 0];
    if (!*cmap)
        *cmap = make_to_unicode(f->pdf, encoding);
    if (*cmap)
        HPDF_Dict_Add(font, "ToUnicode", *cmap);
}

static HPDF_Font get_ttf(ts_fonts *f, int which, const char *encoding)
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

/* Record in F->uses that font WHICH of plane PLANE (0: WinAnsi, UTF-8 or
 * standard; 1: the extra encoding) is used, the first time it is. */
static void note_use(ts_fonts *f, int which, int plane)
{
    unsigned code = (unsigned)(plane * FONT_COUNT + which);
    if (f->uses && !(f->used >> code & 1)) {
        f->used |= 1u << code;
        f->uses->v[f->uses->n++] = (unsigned char)code;
    }
}

static HPDF_Font font_of(ts_fonts *f, int which)
{
    note_use(f, which, 0);
    if (!f->font[which] && !f->failed) {
        if (f->mode == FONTS_STANDARD)
            f->font[which] = HPDF_GetFont(f->pdf, helvetica[which], "WinAnsiEncoding");
        else
            f->font[which] = get_ttf(f, which, f->mode == FONTS_UNICODE ? "UTF-8"
                                                                         : "WinAnsiEncoding");
    }
    return f->font[which];
}

/* Face WHICH in the extra encoding of a FONTS_TRUETYPE document. */
static HPDF_Font extra_of(ts_fonts *f, int which)
{
    note_use(f, which, 1);
    if (!f->extra_font[which] && !f->failed)
        f->extra_font[which] = get_ttf(f, which, f->extra);
    return f->extra_font[which];
}

/* Whether plane_of shows CP in the extra encoding. */
static bool in_extra(const ts_fonts *f, unsigned cp)
{
    return !cp1252_byte(cp) && f->extra && extra_byte(f, cp);
}

/* The font and byte that show code point CP in a FONTS_TRUETYPE document:
 * WinAnsi when it can, the extra encoding otherwise, '?' failing both. */
static HPDF_Font plane_of(ts_fonts *f, int which, unsigned cp, HPDF_BYTE *byte)
{
    int b = cp1252_byte(cp);
    if (b || !f->extra || !(b = extra_byte(f, cp))) {
        *byte = (HPDF_BYTE)(b ? b : '?');
        return font_of(f, which);
    }
    *byte = (HPDF_BYTE)b;
    return extra_of(f, which);
}

/* The code point at encoded TEXT and its length in bytes. */
static unsigned next_code(const ts_fonts *f, const unsigned char *s, size_t left, size_t *n)
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
static float char_width(ts_fonts *f, int font, const unsigned char *s, size_t n,
                        unsigned cp)
{
    if (f->mode == FONTS_TRUETYPE) {
        HPDF_BYTE b;
        HPDF_Font hf = plane_of(f, font, cp, &b);
        return hf ? (float)HPDF_Font_TextWidth(hf, &b, 1).width : 0;
    }
    HPDF_Font hf = font_of(f, font);
    return hf ? (float)HPDF_Font_TextWidth(hf, s, (HPDF_UINT)n).width : 0;
}

double ts_width(ts_fonts *f, int font, double size, const char *text, size_t len)
{
    if (!font_of(f, font) || len == 0)
        return 0;
    const unsigned char *s = (const unsigned char *)text;
    double units = 0;
    for (size_t i = 0, n; i < len; i += n) {
        unsigned cp = next_code(f, s + i, len - i, &n);
        float *cached = cp < WIDTH_CACHE ? &f->width[font][cp] : NULL;
        if (cached && *cached > 0) {
            /* A use of the extra encoding counts even when measured before. */
            if (f->uses && cp >= 0x80 && f->mode == FONTS_TRUETYPE && in_extra(f, cp))
                note_use(f, font, 1);
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

void ts_fonts_track(ts_fonts *f, ts_font_uses *u)
{
    f->uses = u;
    f->used = 0;
    if (u)
        u->n = 0;
}

void ts_fonts_replay(ts_fonts *f, const ts_font_uses *u)
{
    for (size_t i = 0; i < u->n; i++) {
        if (u->v[i] < FONT_COUNT)
            font_of(f, u->v[i]);
        else
            extra_of(f, u->v[i] - FONT_COUNT);
    }
}

ts_font_key ts_fonts_key(const ts_fonts *f)
{
    ts_font_key k = {(int)f->mode, f->extra, {0}};
    memcpy(k.path, f->path, sizeof k.path);
    return k;
}

static bool same_name(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

bool ts_font_key_same(const ts_font_key *a, const ts_font_key *b)
{
    bool same = a->mode == b->mode && same_name(a->extra, b->extra);
    for (int i = 0; same && i < FONT_COUNT; i++)
        same = same_name(a->path[i], b->path[i]);
    return same;
}

/* Set the page's font unless it is already FONT at SIZE. */
static void use_font(HPDF_Page page, HPDF_Font font, double size)
{
    if (HPDF_Page_GetCurrentFont(page) != font ||
        HPDF_Page_GetCurrentFontSize(page) != (HPDF_REAL)size)
        HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)size);
}

/* Text at X, Y. libharu moves to it from the last line's start (Td), and
 * its numbers have three decimals (hpdf_fast.c): on a grid of a thousandth
 * of a point each move is written exactly, so rounding never adds up down
 * a page. */
static void text_at(HPDF_Page page, double x, double y, const char *text)
{
    HPDF_Page_TextOut(page, (HPDF_REAL)(round(x * 1000) / 1000),
                      (HPDF_REAL)(round(y * 1000) / 1000), text);
}

static void show_text(ts_fonts *f, HPDF_Page page, int font, double size, double x, double y,
                      const char *text)
{
    HPDF_Font hf = font_of(f, font);
    if (!hf || !*text)
        return;
    if (f->mode != FONTS_TRUETYPE) {
        use_font(page, hf, size);
        text_at(page, x, y, text);
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
        text_at(page, x, y, run);
        x += ts_width(f, font, size, text + start, i - start);
    }
    free(run);
}

/* Greedy word wrap of UTF8 at width W; an over-long word is split where it
 * must be. Lines are encoded for the fonts. */
size_t ts_wrap(ts_fonts *f, int font, double size, const char *utf8, double w,
                   char ***lines)
{
    char *enc = ts_encode(f, utf8);
    size_t n = 0;
    *lines = NULL;
    strbuf cur = {0};
    double cw = 0, space = ts_width(f, font, size, " ", 1);
    for (char *p = enc; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        double ww = ts_width(f, font, size, p, len);
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
                if (ts_width(f, font, size, p, next) > w)
                    break;
                k = next;
            }
            *lines = xrealloc(*lines, (n + 1) * sizeof **lines);
            (*lines)[n++] = xstrndup(p, k);
            p += k, len -= k;
            ww = ts_width(f, font, size, p, len);
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
/* Words and lines */

static void words_push(ts_words *t, ts_word tk)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 32;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = tk;
}

void ts_words_free(ts_words *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static void add_word(ts_fonts *f, ts_words *t, ts_word_state *st, const char *enc, size_t len)
{
    ts_word tk = {.font = st->font, .text = xstrndup(enc, len), .len = len, .uri = st->uri};
    tk.w = ts_width(f, st->font, st->size, enc, len);
    if (st->space && t->n > 0) {
        tk.space = ts_width(f, st->font, st->size, " ", 1);
        tk.brk = true;
    }
    tk.hard = st->hard;
    st->space = st->hard = false;
    words_push(t, tk);
}

void ts_words_add(ts_fonts *f, ts_words *t, ts_word_state *st, const char *utf8)
{
    if (!utf8)
        return;
    char *enc = ts_encode(f, utf8);
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

#define SPLIT_BY_CHAR 4096

void ts_words_split_wide(ts_fonts *f, ts_words *t, double w, double size)
{
    ts_words out = {0};
    for (size_t i = 0; i < t->n;) {
        size_t j = i + 1;
        double cw = t->v[i].w;
        for (; j < t->n && !t->v[j].brk && !t->v[j].hard; j++)
            cw += t->v[j].space + t->v[j].w;
        for (size_t k = i; k < j; k++) {
            ts_word *tk = &t->v[k];
            if (cw <= w) {
                words_push(&out, *tk);
                continue;
            }
            for (size_t p = 0; p < tk->len;) {
                size_t n = ts_char_len(f, tk->text + p);
                /* Past SPLIT_BY_CHAR bytes (no real word, but a draft may
                 * hold megabytes without a space), pieces that fill a line,
                 * so the words, and the time, grow with the lines. */
                double pw = ts_width(f, tk->font, size, tk->text + p, n);
                while (tk->len > SPLIT_BY_CHAR && p + n < tk->len) {
                    size_t m = ts_char_len(f, tk->text + p + n);
                    double cw1 = ts_width(f, tk->font, size, tk->text + p + n, m);
                    if (pw + cw1 > w)
                        break;
                    pw += cw1, n += m;
                }
                ts_word c = *tk;
                c.text = xstrndup(tk->text + p, n);
                c.len = n;
                c.w = ts_width(f, tk->font, size, c.text, n);
                c.brk = true;
                c.hard = p == 0 && tk->hard;
                c.space = p == 0 ? tk->space : 0;
                words_push(&out, c);
                p += n;
            }
            free(tk->text);
        }
        i = j;
    }
    free(t->v);
    *t = out;
}

void ts_emit_line(ts_ops *ops, const ts_words *t, size_t a, size_t b, double x, double base,
                  const ts_text_style *ts, int elem)
{
    for (size_t i = a; i < b;) {
        if (i > a)
            x += t->v[i].space;
        const ts_word *first = &t->v[i];
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
        /* A line that ends between words ends with a space, so that text
         * read out of the page (by a screen reader, say) keeps the words
         * apart; the width does not count it. */
        if (j == b && b < t->n && t->v[b].space > 0)
            sb_add(&sb, " ", 1);
        ts_op *op = ts_push(ops, TS_TEXT, x, base, w, 0);
        op->font = first->font, op->size = ts->size, op->text = sb.data;
        op->r = ts->r, op->g = ts->g, op->b = ts->b, op->elem = elem;
        if (first->uri && *first->uri) {
            op->r = 0.05, op->g = 0.25, op->b = 0.6;
            ts_op *lk = ts_push(ops, TS_LINK, x, base + 0.25 * ts->size, w, 1.05 * ts->size);
            lk->uri = xstrdup(first->uri), lk->elem = elem;
            if (ts->underline_links) {
                ts_op *u = ts_push(ops, TS_RULE, x, base + 0.12 * ts->size, w, 0);
                u->line_width = 0.05 * ts->size, u->r = 0.05, u->g = 0.25, u->b = 0.6;
            }
        }
        x += w;
        i = j;
    }
}

size_t ts_break_lines(const ts_words *t, double w, size_t **starts)
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

/* ------------------------------------------------------------------ */
/* Drawing operations */

ts_op *ts_push(ts_ops *ops, ts_op_kind kind, double x, double y, double w, double h)
{
    if (ops->n == ops->cap) {
        ops->cap = ops->cap ? 2 * ops->cap : 128;
        ops->v = xrealloc(ops->v, ops->cap * sizeof *ops->v);
    }
    ts_op *op = &ops->v[ops->n++];
    memset(op, 0, sizeof *op);
    op->kind = kind, op->x = x, op->y = y, op->w = w, op->h = h;
    op->r = op->g = op->b = 0.1;
    op->page = 1;
    op->elem = TS_ARTIFACT;
    return op;
}

void ts_ops_free(ts_ops *ops)
{
    for (size_t i = 0; i < ops->n; i++) {
        free(ops->v[i].text);
        free(ops->v[i].uri);
    }
    free(ops->v);
    memset(ops, 0, sizeof *ops);
}

/* ------------------------------------------------------------------ */
/* Structure */

/* The structure types' names, by ts_role. */
static const char *const role_names[TS_ROLE_COUNT] = {
    [TS_DOCUMENT] = "Document", [TS_PART] = "Part", [TS_SECT] = "Sect",
    [TS_H1] = "H1", [TS_H2] = "H2", [TS_H3] = "H3", [TS_H4] = "H4", [TS_H5] = "H5",
    [TS_H6] = "H6", [TS_P] = "P", [TS_L] = "L", [TS_LI] = "LI", [TS_LBL] = "Lbl",
    [TS_LBODY] = "LBody", [TS_TABLE] = "Table", [TS_TR] = "TR", [TS_TH] = "TH", [TS_TD] = "TD",
    [TS_FIGURE] = "Figure", [TS_BLOCKQUOTE] = "BlockQuote", [TS_SPAN] = "Span",
};
_Static_assert(sizeof role_names / sizeof *role_names == TS_ROLE_COUNT, "a name per role");

int ts_tree_add(ts_tree *t, int parent, ts_role role)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n] = (ts_elem){.role = role, .parent = parent};
    return (int)t->n++;
}

void ts_tree_set_alt(ts_tree *t, int elem, const char *utf8)
{
    free(t->v[elem].alt);
    t->v[elem].alt = xstrdup(utf8);
}

void ts_tree_free(ts_tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].alt);
        free(t->v[i].actual);
    }
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* The document */

/* libharu errors are sticky and its default handler prints: remember the
 * first one and let the caller turn it into a diagnostic. */
typedef struct {
    HPDF_STATUS code, detail;
} hpdf_err;

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    hpdf_err *e = data;
    if (!e->code)
        e->code = code, e->detail = detail;
}

/* A libharu document and the faces it has parsed. Each thread keeps one
 * spare between PDFs: libharu holds on to parsed TrueType faces across
 * HPDF_NewDoc, so a thread parses a face once rather than once per PDF. */
typedef struct {
    HPDF_Doc pdf;
    ttf_faces faces;
    HPDF_BYTE tag[6];       /* libharu's last face tag (HPDFAA...), see doc_take */
} doc_slot;

static _Thread_local doc_slot spare;

/* A place in a page's content: the page's index and the marked content's id. */
typedef struct {
    int page, mcid;
} mc_ref;

/* A structure element of the document, with the content drawn for it. */
typedef struct {
    ts_elem e;                 /* parent is the document's index, -1 for the root */
    mc_ref *k;
    size_t nk, capk;
    bool boxed;                /* a figure: the box its content covers, on page box_page */
    int box_page;
    double box[4];
    void *obj;                 /* when saving: its dictionary, and its children */
    int first_child, last_child, next_sibling;
} doc_elem;

/* The elements whose marked content a page holds, by marked-content id. */
typedef struct {
    int *owner;
    size_t n, cap;
} page_marks;

struct ts_doc {
    hpdf_err e;
    doc_slot slot;
    ts_fonts f;
    HPDF_Page *pages;
    page_marks *marks;         /* one per page */
    size_t npages, cap;
    doc_elem *elems;           /* elems[TS_ROOT] is the Document */
    size_t nelems, capelems;
    char *lang;
    void *struct_root;         /* when saving: the structure tree root */
    struct struct_writer *writers;
    strbuf scratch;
};

static bool doc_take(doc_slot *s, hpdf_err *e)
{
    if (spare.pdf) {
        *s = spare;
        memset(&spare, 0, sizeof spare);
        /* libharu's error handler takes no data of its own; the document's
         * error record rides in libharu's error object. */
        s->pdf->error.user_data = e;
        if (HPDF_NewDoc(s->pdf) == HPDF_OK) {
            /* HPDF_NewDoc keeps the faces but restarts their tags: carry
             * on from the last, or a new face would share a tag. */
            memcpy(s->pdf->ttfont_tag, s->tag, sizeof s->tag);
            return true;
        }
        HPDF_Free(s->pdf);
        ttf_faces_clear(&s->faces);
    }
    memset(s, 0, sizeof *s);
    s->pdf = HPDF_New(on_error, e);
    if (s->pdf)
        HPDF_SetCompressionMode(s->pdf, HPDF_COMP_ALL);
    return s->pdf != NULL;
}

/* Keep S as the thread's spare unless it failed or there is one already. */
static void doc_give_back(doc_slot *s, bool ok)
{
    if (!s->pdf)
        return;
    if (ok && !spare.pdf) {
        memcpy(s->tag, s->pdf->ttfont_tag, sizeof s->tag);
        HPDF_FreeDoc(s->pdf);
        spare = *s;
    } else {
        HPDF_Free(s->pdf);
        ttf_faces_clear(&s->faces);
    }
    memset(s, 0, sizeof *s);
}

void ts_thread_done(void)
{
    doc_give_back(&spare, false);
}

ts_doc *ts_doc_new(const ts_charset *cs, const pdf_options *o)
{
    ts_doc *doc = xcalloc(1, sizeof *doc);
    if (!doc_take(&doc->slot, &doc->e)) {
        free(doc);
        return NULL;
    }
    fonts_setup(&doc->f, doc->slot.pdf, cs, o);
    doc->f.faces = &doc->slot.faces;
    ts_tree root = {0};
    ts_tree_add(&root, -1, TS_DOCUMENT);
    ts_struct_add(doc, &root, -1);
    ts_tree_free(&root);
    return doc;
}

ts_fonts *ts_doc_fonts(ts_doc *doc)
{
    return &doc->f;
}

bool ts_doc_failed(const ts_doc *doc)
{
    return doc->e.code || doc->f.failed;
}

void ts_doc_report(const ts_doc *doc, const char *file, const char *what, diag_list *diags)
{
    if (doc->f.failed)
        ts_fonts_report(&doc->f, file, diags);
    else
        diag_add(diags, DIAG_ERROR, file, 0, 0, NULL,
                 "cannot make the PDF for %s: libharu error 0x%04lX (detail %lu)",
                 what ? what : "this document", (unsigned long)doc->e.code,
                 (unsigned long)doc->e.detail);
}

void ts_doc_free(ts_doc *doc)
{
    if (!doc)
        return;
    doc_give_back(&doc->slot, !ts_doc_failed(doc));
    for (size_t i = 0; i < doc->npages; i++)
        free(doc->marks[i].owner);
    for (size_t i = 0; i < doc->nelems; i++) {
        free(doc->elems[i].e.alt);
        free(doc->elems[i].e.actual);
        free(doc->elems[i].k);
    }
    free(doc->elems);
    free(doc->marks);
    free(doc->pages);
    free(doc->lang);
    free(doc->writers);
    sb_free(&doc->scratch);
    free(doc);
}

/* ------------------------------------------------------------------ */
/* Pages */

int ts_page_add(ts_doc *doc, double w, double h)
{
    HPDF_Page p = HPDF_AddPage(doc->slot.pdf);
    if (!p)
        return -1;
    HPDF_Page_SetWidth(p, (HPDF_REAL)w);
    HPDF_Page_SetHeight(p, (HPDF_REAL)h);
    /* Procedure sets are obsolete since PDF 1.4 and ignored by readers. */
    HPDF_Dict res = HPDF_Dict_GetItem(p, "Resources", HPDF_OCLASS_DICT);
    if (res)
        HPDF_Dict_RemoveElement(res, "ProcSet");
    if (doc->npages == doc->cap) {
        doc->cap = doc->cap ? 2 * doc->cap : 16;
        doc->pages = xrealloc(doc->pages, doc->cap * sizeof *doc->pages);
        doc->marks = xrealloc(doc->marks, doc->cap * sizeof *doc->marks);
    }
    doc->marks[doc->npages] = (page_marks){0};
    doc->pages[doc->npages++] = p;
    return (int)doc->npages;
}

int ts_page_count(const ts_doc *doc)
{
    return (int)doc->npages;
}

static HPDF_Page current(const ts_doc *doc)
{
    return doc->npages ? doc->pages[doc->npages - 1] : NULL;
}

int ts_struct_add(ts_doc *doc, const ts_tree *t, int under)
{
    int base = (int)doc->nelems;
    for (size_t i = 0; i < t->n; i++) {
        if (doc->nelems == doc->capelems) {
            doc->capelems = doc->capelems ? 2 * doc->capelems : 128;
            doc->elems = xrealloc(doc->elems, doc->capelems * sizeof *doc->elems);
        }
        const ts_elem *e = &t->v[i];
        doc_elem *d = &doc->elems[doc->nelems++];
        memset(d, 0, sizeof *d);
        d->e = *e;
        d->e.parent = e->parent < 0 ? under : base + e->parent;
        d->e.alt = e->alt ? xstrdup(e->alt) : NULL;
        d->e.actual = e->actual ? xstrdup(e->actual) : NULL;
    }
    return base;
}

/* ---- Writing PDF syntax by hand: these run for every element and every
 * marked-content sequence, where printf was most of the cost. Each
 * writes at Q, which has room, and returns the end. ---- */

static char *put_str(char *q, const char *s)
{
    size_t n = strlen(s);
    memcpy(q, s, n);
    return q + n;
}

static char *put_uint(char *q, unsigned long v)
{
    char buf[24], *p = buf + sizeof buf;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    size_t n = (size_t)(buf + sizeof buf - p);
    memcpy(q, p, n);
    return q + n;
}

/* V to two decimal places. */
static char *put_real(char *q, double v)
{
    if (v < 0)
        *q++ = '-', v = -v;
    unsigned long c = (unsigned long)(v * 100 + 0.5);
    q = put_uint(q, c / 100);
    *q++ = '.';
    *q++ = (char)('0' + c / 10 % 10);
    *q++ = (char)('0' + c % 10);
    return q;
}

static unsigned obj_num(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

static char *put_ref(char *q, const void *obj)
{
    q = put_uint(q, obj_num(obj));
    return put_str(q, " 0 R");
}

/* PDFDocEncoding (PDF 1.7, annex D) bytes 0x80-0xA0, by code point; 0
 * marks the one unassigned. Elsewhere it is Latin-1 less 0xAD. */
static const unsigned short pdfdoc_high[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
    0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
    0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
    0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0, 0x20AC,
};

/* The PDFDocEncoding byte for CP, or 0 when it has none. */
static int pdfdoc_byte(unsigned cp)
{
    if ((cp >= 0x20 && cp < 0x7F) || cp == '\n' || cp == '\t')
        return (int)cp;
    if (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD)
        return (int)cp;
    for (int i = 0; i < 33; i++)
        if (pdfdoc_high[i] == cp)
            return 0x80 + i;
    return 0;
}

/* UTF8 in PDFDocEncoding, written at OUT (room for strlen(UTF8) + 1
 * bytes; OUT may be NULL to ask only); false when a character has no
 * byte there. */
static bool pdfdoc_text(const char *utf8, char *out)
{
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        int b = pdfdoc_byte(utf8_next(&p));
        if (!b)
            return false;
        if (out)
            *out++ = (char)b;
    }
    if (out)
        *out = 0;
    return true;
}

/* A text string: a literal in PDFDocEncoding when every character has a
 * byte there (a quarter of the bytes of UTF-16 in hex), else UTF-16BE in
 * hex with its byte order mark. At most 8 bytes per byte of UTF8 and 6
 * more. */
static char *put_text(char *q, const char *utf8)
{
    static const char hex[] = "0123456789ABCDEF";
    if (pdfdoc_text(utf8, NULL)) {
        *q++ = '(';
        for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
            int b = pdfdoc_byte(utf8_next(&p));
            if (b == '(' || b == ')' || b == '\\')
                *q++ = '\\';
            if (b == '\n')
                *q++ = '\\', b = 'n';
            *q++ = (char)b;
        }
        *q++ = ')';
        return q;
    }
    q = put_str(q, "<FEFF");
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        unsigned cp = utf8_next(&p);
        unsigned units[2] = {cp, 0};
        if (cp >= 0x10000)
            units[0] = 0xD800 + ((cp - 0x10000) >> 10), units[1] = 0xDC00 + (cp & 0x3FF);
        for (int u = 0; u < 2 && units[u]; u++) {
            *q++ = hex[units[u] >> 12], *q++ = hex[(units[u] >> 8) & 15];
            *q++ = hex[(units[u] >> 4) & 15], *q++ = hex[units[u] & 15];
        }
    }
    *q++ = '>';
    return q;
}

/* ---- Marked content: which element the drawing belongs to ---- */

#define MC_NONE (-2)

static void page_write(HPDF_Page p, const char *s, size_t n)
{
    HPDF_Stream_Write(((HPDF_PageAttr)p->attr)->stream, (const HPDF_BYTE *)s, (HPDF_UINT)n);
}

/* Give ELEM the next marked-content id of the current page. */
static int new_mcid(ts_doc *doc, int elem)
{
    page_marks *m = &doc->marks[doc->npages - 1];
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 32;
        m->owner = xrealloc(m->owner, m->cap * sizeof *m->owner);
    }
    m->owner[m->n] = elem;
    doc_elem *e = &doc->elems[elem];
    if (e->nk == e->capk) {
        e->capk = e->capk ? 2 * e->capk : 4;
        e->k = xrealloc(e->k, e->capk * sizeof *e->k);
    }
    e->k[e->nk++] = (mc_ref){(int)doc->npages - 1, (int)m->n};
    return (int)m->n++;
}

/* End the open marked-content sequence (if any) and begin one for ELEM:
 * a document element, TS_ARTIFACT, or MC_NONE for none. */
static void mark(ts_doc *doc, HPDF_Page p, int *open, int elem)
{
    if (*open == elem)
        return;
    char buf[80], *q = buf;
    if (*open != MC_NONE)
        q = put_str(q, "EMC\012");
    *open = elem;
    if (elem == TS_ARTIFACT) {
        q = put_str(q, "/Artifact BMC\012");
    } else if (elem >= 0) {
        *q++ = '/';
        q = put_str(q, role_names[doc->elems[elem].e.role]);
        q = put_str(q, " <</MCID ");
        q = put_uint(q, (unsigned long)new_mcid(doc, elem));
        q = put_str(q, ">> BDC\012");
    }
    page_write(p, buf, (size_t)(q - buf));
}

/* A figure's box takes in OP's. */
static void extend_box(ts_doc *doc, int elem, const ts_op *op)
{
    doc_elem *e = &doc->elems[elem];
    double x0 = op->x, y0 = op->y, x1 = op->x + op->w, y1 = op->y + op->h;
    if (op->kind == TS_TEXT)
        y0 = op->y - 0.25 * op->size, y1 = op->y + op->size;
    else if (op->kind == TS_ARROW)
        x1 = x0, y1 = y0;
    double b[4] = {fmin(x0, x1), fmin(y0, y1), fmax(x0, x1), fmax(y0, y1)};
    if (!e->boxed) {
        e->boxed = true, e->box_page = (int)doc->npages - 1;
        memcpy(e->box, b, sizeof b);
    } else if (e->box_page == (int)doc->npages - 1) {
        e->box[0] = fmin(e->box[0], b[0]), e->box[1] = fmin(e->box[1], b[1]);
        e->box[2] = fmax(e->box[2], b[2]), e->box[3] = fmax(e->box[3], b[3]);
    }
}

/* The document's element for OP drawn with BASE. */
static int elem_of(ts_doc *doc, const ts_op *op, int base)
{
    if (op->elem < 0 || base + op->elem >= (int)doc->nelems)
        return TS_ARTIFACT;
    int e = base + op->elem;
    if (doc->elems[e].e.role == TS_FIGURE)
        extend_box(doc, e, op);
    return e;
}

static void draw_tick(HPDF_Page p, const ts_op *op)
{
    double x = op->x, y = op->y, s = op->w;
    HPDF_Page_SetRGBStroke(p, 0.0, 0.5, 0.2);
    HPDF_Page_SetLineWidth(p, op->line_width);
    HPDF_Page_MoveTo(p, x + 0.08 * s, y + 0.5 * s);
    HPDF_Page_LineTo(p, x + 0.38 * s, y + 0.15 * s);
    HPDF_Page_LineTo(p, x + 0.95 * s, y + 0.92 * s);
    HPDF_Page_Stroke(p);
}

static void draw_cross(HPDF_Page p, const ts_op *op)
{
    double x = op->x, y = op->y, s = op->w, m = 0.12 * s;
    HPDF_Page_SetRGBStroke(p, 0.78, 0.1, 0.1);
    HPDF_Page_SetLineWidth(p, op->line_width);
    HPDF_Page_MoveTo(p, x + m, y + m);
    HPDF_Page_LineTo(p, x + s - m, y + s - m);
    HPDF_Page_MoveTo(p, x + m, y + s - m);
    HPDF_Page_LineTo(p, x + s - m, y + m);
    HPDF_Page_Stroke(p);
}

static void draw_shape(HPDF_Page p, const ts_op *op)
{
    double x = op->x, y = op->y, w = op->w, h = op->h, i = op->inset;
    HPDF_Page_SetLineWidth(p, op->line_width > 0 ? op->line_width : 0.8);
    HPDF_Page_SetRGBStroke(p, op->sr, op->sg, op->sb);
    HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
    switch (op->shape) {
    case TS_SHAPE_HEXAGON:
        HPDF_Page_MoveTo(p, x + i, y);
        HPDF_Page_LineTo(p, x + w - i, y);
        HPDF_Page_LineTo(p, x + w, y + h / 2);
        HPDF_Page_LineTo(p, x + w - i, y + h);
        HPDF_Page_LineTo(p, x + i, y + h);
        HPDF_Page_LineTo(p, x, y + h / 2);
        HPDF_Page_ClosePath(p);
        break;
    case TS_SHAPE_ROUNDED: {
        /* Quarter circles by Bézier curves (k = 0.5523). */
        double r = i > h / 2 ? h / 2 : i, k = 0.5523 * r;
        HPDF_Page_MoveTo(p, x + r, y);
        HPDF_Page_LineTo(p, x + w - r, y);
        HPDF_Page_CurveTo(p, x + w - r + k, y, x + w, y + r - k, x + w, y + r);
        HPDF_Page_LineTo(p, x + w, y + h - r);
        HPDF_Page_CurveTo(p, x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
        HPDF_Page_LineTo(p, x + r, y + h);
        HPDF_Page_CurveTo(p, x + r - k, y + h, x, y + h - r + k, x, y + h - r);
        HPDF_Page_LineTo(p, x, y + r);
        HPDF_Page_CurveTo(p, x, y + r - k, x + r - k, y, x + r, y);
        HPDF_Page_ClosePath(p);
        break;
    }
    case TS_SHAPE_TICKBOX:
        HPDF_Page_Rectangle(p, x, y, w, h);
        HPDF_Page_Stroke(p);
        return;
    default:
        HPDF_Page_Rectangle(p, x, y, w, h);
        break;
    }
    HPDF_Page_FillStroke(p);
}

static void draw_arrow(HPDF_Page p, const ts_op *op)
{
    /* Tip at x, y; (w, h) is the unit direction it points along. */
    double len = op->size > 0 ? op->size : 4.5, half = 0.45 * len;
    double bx = op->x - op->w * len, by = op->y - op->h * len;
    HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
    HPDF_Page_MoveTo(p, op->x, op->y);
    HPDF_Page_LineTo(p, bx - op->h * half, by + op->w * half);
    HPDF_Page_LineTo(p, bx + op->h * half, by - op->w * half);
    HPDF_Page_ClosePath(p);
    HPDF_Page_Fill(p);
}

static void draw_graphic(HPDF_Page p, const ts_op *op)
{
    switch (op->kind) {
    case TS_SHAPE:
        draw_shape(p, op);
        break;
    case TS_ARROW:
        draw_arrow(p, op);
        break;
    case TS_RULE:
        HPDF_Page_SetRGBStroke(p, op->r, op->g, op->b);
        HPDF_Page_SetLineWidth(p, op->line_width);
        HPDF_Page_MoveTo(p, op->x, op->y);
        HPDF_Page_LineTo(p, op->x + op->w, op->y + op->h);
        HPDF_Page_Stroke(p);
        break;
    case TS_BULLET:
        /* A dot: a line of no length with round ends is a filled circle as
         * wide as the line, in a tenth of the bytes of four curves. */
        HPDF_Page_GSave(p);
        HPDF_Page_SetRGBStroke(p, 0.2, 0.2, 0.2);
        HPDF_Page_SetLineCap(p, HPDF_ROUND_END);
        HPDF_Page_SetLineWidth(p, op->w);
        HPDF_Page_MoveTo(p, op->x, op->y);
        HPDF_Page_LineTo(p, op->x, op->y);
        HPDF_Page_Stroke(p);
        HPDF_Page_GRestore(p);
        break;
    case TS_BAR:
        HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
        HPDF_Page_Rectangle(p, op->x, op->y, op->w, op->h);
        HPDF_Page_Fill(p);
        break;
    case TS_TICK:
        draw_tick(p, op);
        break;
    case TS_CROSS:
        draw_cross(p, op);
        break;
    default:
        break;
    }
}

static void draw_link(HPDF_Page p, const ts_op *op)
{
    HPDF_Rect r = {(HPDF_REAL)op->x, (HPDF_REAL)op->y, (HPDF_REAL)(op->x + op->w),
                   (HPDF_REAL)(op->y + op->h)};
    HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(p, r, op->uri);
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

void ts_draw_page(ts_doc *doc, const ts_ops *ops, int page, int base)
{
    HPDF_Page p = current(doc);
    if (!p)
        return;
    int open = MC_NONE;
    for (size_t i = 0; i < ops->n; i++) {
        const ts_op *op = &ops->v[i];
        if (op->page == page && op->kind != TS_TEXT && op->kind != TS_LINK) {
            mark(doc, p, &open, elem_of(doc, op, base));
            draw_graphic(p, op);
        }
    }
    mark(doc, p, &open, MC_NONE);
    HPDF_Page_BeginText(p);
    /* Font and colour persist inside one text object: set them only when
     * they change, which keeps content streams small and fast to write. */
    const ts_op *last = NULL;
    for (size_t i = 0; i < ops->n; i++) {
        const ts_op *op = &ops->v[i];
        if (op->page != page || op->kind != TS_TEXT || !op->text[0])
            continue;
        mark(doc, p, &open, elem_of(doc, op, base));
        if (!last || last->r != op->r || last->g != op->g || last->b != op->b)
            HPDF_Page_SetRGBFill(p, op->r, op->g, op->b);
        show_text(&doc->f, p, op->font, op->size, op->x, op->y, op->text);
        last = op;
    }
    mark(doc, p, &open, MC_NONE);
    HPDF_Page_EndText(p);
    for (size_t i = 0; i < ops->n; i++)
        if (ops->v[i].page == page && ops->v[i].kind == TS_LINK)
            draw_link(p, &ops->v[i]);
}

/* ------------------------------------------------------------------ */
/* Outlines, information and the bytes */

/* A text string: PDFDocEncoding when it holds every character, written
 * by libharu as a literal; else UTF-16BE (libharu 2.3.0 refuses the UTF-8
 * encoder for strings and writes others raw, which readers take as
 * PDFDocEncoding). */
static void *text_string(HPDF_Doc pdf, const char *utf8)
{
    size_t n = strlen(utf8);
    unsigned char *buf = xmalloc(4 * n + 2), *o = buf;
    if (pdfdoc_text(utf8, (char *)buf)) {
        HPDF_String s = HPDF_String_New(pdf->mmgr, (const char *)buf, NULL);
        free(buf);
        return s;
    }
    *o++ = 0xFE, *o++ = 0xFF;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        unsigned cp = utf8_next(&p);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            unsigned hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            *o++ = (unsigned char)(hi >> 8), *o++ = (unsigned char)hi;
            cp = lo;
        }
        *o++ = (unsigned char)(cp >> 8), *o++ = (unsigned char)cp;
    }
    HPDF_Binary b = HPDF_Binary_New(pdf->mmgr, buf, (HPDF_UINT)(o - buf));
    free(buf);
    return b;
}

/* Text encoded for F (CP1252 or UTF-8) as UTF-8. Caller frees. */
static char *font_text_utf8(const ts_fonts *f, const char *s)
{
    if (f->utf8)
        return xstrdup(s);
    char *out = xmalloc(3 * strlen(s) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned cp = *p >= 0x80 && *p < 0xA0 ? cp1252_high[*p - 0x80] : *p;
        if (cp < 0x80)
            *o++ = (char)cp;
        else if (cp < 0x800)
            *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 63));
        else
            *o++ = (char)(0xE0 | cp >> 12), *o++ = (char)(0x80 | ((cp >> 6) & 63)),
            *o++ = (char)(0x80 | (cp & 63));
    }
    *o = 0;
    return out;
}

static void info_text(HPDF_Doc pdf, const char *key, const char *utf8)
{
    if (utf8 && pdf->info)
        HPDF_Dict_Add(pdf->info, key, text_string(pdf, utf8));
}

/* An outline item's destination: the top of PAGE at Y, as a direct array
 * (libharu's destinations are objects of their own). */
static HPDF_Array outline_dest(HPDF_Doc pdf, HPDF_Page page, double y)
{
    HPDF_Array dest = HPDF_Array_New(pdf->mmgr);
    if (dest && (HPDF_Array_Add(dest, page) != HPDF_OK ||
                 HPDF_Array_AddName(dest, "FitH") != HPDF_OK ||
                 HPDF_Array_AddReal(dest, (HPDF_REAL)y) != HPDF_OK))
        return NULL;
    return dest;
}
void ts_outline(ts_doc *doc, const ts_mark *marks, size_t n, int first_page, int npages)
{
    if (!n)
        return;
    HPDF_Doc pdf = doc->slot.pdf;
    HPDF_Outline parent[8] = {0};
    for (size_t i = 0; i < n; i++) {
        const ts_mark *m = &marks[i];
        int lv = m->level < 1 ? 1 : m->level > 6 ? 6 : m->level;
        HPDF_Outline up = NULL;
        for (int k = lv - 1; k >= 1 && !up; k--)
            up = parent[k];
        HPDF_Outline o = HPDF_CreateOutline(pdf, up, "", NULL);
        if (!o || m->page < 1 || m->page > npages || first_page + m->page - 1 > (int)doc->npages)
            return;
        char *title = font_text_utf8(&doc->f, m->title);
        HPDF_Dict_Add(o, "Title", text_string(pdf, title));
        free(title);
        /* An item's /Type is optional: only the root's is written. */
        HPDF_Dict_RemoveElement(o, "Type");
        HPDF_Array dest = outline_dest(pdf, doc->pages[first_page + m->page - 2], m->y);
        if (!dest || HPDF_Dict_Add(o, "Dest", dest) != HPDF_OK)
            return;
        HPDF_Outline_SetOpened(o, HPDF_TRUE);
        parent[lv] = o;
        for (int k = lv + 1; k < 8; k++)
            parent[k] = NULL;
    }
}

void ts_show_outline(ts_doc *doc, bool show)
{
    HPDF_SetPageMode(doc->slot.pdf, show ? HPDF_PAGE_MODE_USE_OUTLINE : HPDF_PAGE_MODE_USE_NONE);
}

void ts_set_info(ts_doc *doc, const ts_info *info)
{
    HPDF_Doc pdf = doc->slot.pdf;
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "aupc " AUPC_VERSION);
    info_text(pdf, "Title", info->title);
    info_text(pdf, "Author", info->author);
    info_text(pdf, "Subject", info->subject);
    free(doc->lang);
    doc->lang = xstrdup(info->lang && *info->lang ? info->lang : "en-GB");
    info_text(pdf, "Language", doc->lang);
    if (info->date) {
        const ts_date *t = info->date;
        HPDF_Date d = {0};
        d.ind = 'Z';
        d.year = t->year, d.month = t->month, d.day = t->day;
        d.hour = t->hour, d.minutes = t->minutes, d.seconds = t->seconds;
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
    }
}

/* ---- The structure tree, written when the document is saved ----
 *
 * Every element is a dictionary numbered in libharu's cross-reference
 * table, in logical order. Its entries are written by the dictionary's
 * write function from aupc's own record rather than held as libharu
 * objects: a document of a few hundred elements would otherwise make some
 * five libharu objects (and their proxies) per element to write and free,
 * which made the whole PDF half as costly again. */

/* What an element's or the parent tree's write function reads. */
typedef struct struct_writer {
    ts_doc *doc;
    size_t index;
} struct_writer;

/* Marked content R of element E: its id alone when on E's page. */
static char *put_mc(char *q, const ts_doc *doc, const doc_elem *e, mc_ref r)
{
    if (r.page == e->k[0].page)
        return put_uint(q, (unsigned long)r.mcid);
    q = put_str(q, "<</Type /MCR /Pg ");
    q = put_ref(q, doc->pages[r.page]);
    q = put_str(q, " /MCID ");
    q = put_uint(q, (unsigned long)r.mcid);
    return put_str(q, ">>");
}

/* Attributes: how a list is numbered, where a figure is. */
static char *put_attributes(char *q, const doc_elem *e)
{
    /* None, the default, goes without saying. */
    if (e->e.role == TS_L && e->e.numbering && strcmp(e->e.numbering, "None")) {
        q = put_str(q, "/A <</O /List /ListNumbering /");
        q = put_str(q, e->e.numbering);
        return put_str(q, ">>\012");
    }
    if (e->e.role == TS_FIGURE && e->boxed) {
        q = put_str(q, "/A <</O /Layout /Placement /Block /BBox [");
        for (int i = 0; i < 4; i++) {
            q = put_real(q, e->box[i]);
            *q++ = i < 3 ? ' ' : ']';
        }
        return put_str(q, ">>\012");
    }
    return q;
}

/* Room for the entries of E with NKIDS kids. */
static size_t elem_room(const doc_elem *e, size_t nkids)
{
    return 200 + 48 * nkids + (e->e.alt ? 8 * strlen(e->e.alt) : 0) +
           (e->e.actual ? 8 * strlen(e->e.actual) : 0);
}

/* One element's entries: its type, parent, page, kids (its marked content,
 * then its children in order) and texts. */
static HPDF_STATUS write_elem(HPDF_Dict obj, HPDF_Stream stream)
{
    const struct_writer *w = obj->attr;
    ts_doc *doc = w->doc;
    const doc_elem *e = &doc->elems[w->index];
    size_t nkids = e->nk;
    for (int c = e->first_child; c >= 0; c = doc->elems[c].next_sibling)
        nkids++;
    char *start = sb_reserve(&doc->scratch, elem_room(e, nkids)), *q = start;
    q = put_str(q, "/S /");
    q = put_str(q, role_names[e->e.role]);
    q = put_str(q, "\012/P ");
    q = put_ref(q, e->e.parent < 0 ? doc->struct_root : doc->elems[e->e.parent].obj);
    if (e->nk) {
        q = put_str(q, "\012/Pg ");
        q = put_ref(q, doc->pages[e->k[0].page]);
    }
    if (nkids) {
        q = put_str(q, nkids > 1 ? "\012/K [" : "\012/K ");
        for (size_t m = 0; m < e->nk; m++) {
            q = put_mc(q, doc, e, e->k[m]);
            *q++ = ' ';
        }
        for (int c = e->first_child; c >= 0; c = doc->elems[c].next_sibling) {
            q = put_ref(q, doc->elems[c].obj);
            *q++ = ' ';
        }
        if (nkids > 1)
            q[-1] = ']';
        else
            q--;
    }
    *q++ = '\012';
    if (e->e.alt) {
        q = put_str(q, "/Alt ");
        q = put_text(q, e->e.alt);
        *q++ = '\012';
    }
    if (e->e.actual) {
        q = put_str(q, "/ActualText ");
        q = put_text(q, e->e.actual);
        *q++ = '\012';
    }
    q = put_attributes(q, e);
    return HPDF_Stream_Write(stream, (const HPDF_BYTE *)start, (HPDF_UINT)(q - start));
}

/* The parent tree: for each page, the element of each marked-content id. */
static HPDF_STATUS write_parent_tree(HPDF_Dict obj, HPDF_Stream stream)
{
    const struct_writer *w = obj->attr;
    ts_doc *doc = w->doc;
    size_t room = 16;
    for (size_t p = 0; p < doc->npages; p++)
        room += 32 + 16 * doc->marks[p].n;
    char *start = sb_reserve(&doc->scratch, room), *q = start;
    q = put_str(q, "/Nums [");
    for (size_t p = 0; p < doc->npages; p++) {
        const page_marks *m = &doc->marks[p];
        if (!m->n)
            continue;
        q = put_uint(q, p);
        q = put_str(q, " [");
        for (size_t k = 0; k < m->n; k++) {
            q = put_ref(q, doc->elems[m->owner[k]].obj);
            *q++ = ' ';
        }
        q = put_str(q, "]\012");
    }
    q = put_str(q, "]\012");
    return HPDF_Stream_Write(stream, (const HPDF_BYTE *)start, (HPDF_UINT)(q - start));
}

/* A numbered dictionary whose entries WRITE writes. */
static HPDF_Dict written_dict(ts_doc *doc, HPDF_Dict_OnWriteFunc write, struct_writer *w)
{
    HPDF_Doc pdf = doc->slot.pdf;
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (!d || HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;
    d->write_fn = write;
    d->attr = w;
    return d;
}

/* The catalogue's marks of a tagged PDF. */
static void mark_catalog(ts_doc *doc)
{
    HPDF_Doc pdf = doc->slot.pdf;
    HPDF_Dict marked = HPDF_Dict_New(pdf->mmgr), prefs = HPDF_Dict_New(pdf->mmgr);
    if (!marked || !prefs)
        return;
    HPDF_Dict_AddBoolean(marked, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(pdf->catalog, "MarkInfo", marked);
    HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
    HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", prefs);
    HPDF_Dict_Add(pdf->catalog, "Lang",
                  HPDF_String_New(pdf->mmgr, doc->lang ? doc->lang : "en-GB", NULL));
    /* Marked content and structure trees are PDF 1.4's tagging. */
    if (pdf->pdf_version < HPDF_VER_14)
        pdf->pdf_version = HPDF_VER_14;
}

/* The structure tree root, every element and the parent tree. */
static void write_structure(ts_doc *doc)
{
    HPDF_Doc pdf = doc->slot.pdf;
    size_t n = doc->nelems;
    doc->writers = xrealloc(doc->writers, (n + 1) * sizeof *doc->writers);
    HPDF_Dict root = HPDF_Dict_New(pdf->mmgr);
    if (!root || HPDF_Xref_Add(pdf->xref, root) != HPDF_OK)
        return;
    doc->struct_root = root;
    for (size_t i = 0; i < n; i++) {
        doc_elem *e = &doc->elems[i];
        e->first_child = e->next_sibling = e->last_child = -1;
        if (e->e.parent >= 0) {
            doc_elem *up = &doc->elems[e->e.parent];
            if (up->last_child < 0)
                up->first_child = (int)i;
            else
                doc->elems[up->last_child].next_sibling = (int)i;
            up->last_child = (int)i;
        }
        doc->writers[i] = (struct_writer){doc, i};
        if (!(e->obj = written_dict(doc, write_elem, &doc->writers[i])))
            return;
    }
    doc->writers[n] = (struct_writer){doc, n};
    HPDF_Dict tree = written_dict(doc, write_parent_tree, &doc->writers[n]);
    if (!tree || !n)
        return;
    for (size_t p = 0; p < doc->npages; p++)
        if (doc->marks[p].n) {
            HPDF_Dict_AddNumber(doc->pages[p], "StructParents", (HPDF_INT32)p);
            HPDF_Dict_AddName(doc->pages[p], "Tabs", "S");
        }
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Dict_Add(root, "K", doc->elems[TS_ROOT].obj);
    HPDF_Dict_Add(root, "ParentTree", tree);
    HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)doc->npages);
    HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root);
    mark_catalog(doc);
}

/* libharu 2.3.0 writes a trailer /ID only when encrypting, and no dates of
 * its own, so the bytes depend on the document alone. */
int ts_doc_save(ts_doc *doc, strbuf *out)
{
    HPDF_Doc pdf = doc->slot.pdf;
    hpdf_err *e = &doc->e;
    if (ts_doc_failed(doc))
        return -1;
    write_structure(doc);
    ttf_embed_prepare(pdf, &doc->slot.faces);
    if (HPDF_SaveToStream(pdf) != HPDF_OK || e->code)
        return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf), got = size;
    HPDF_STATUS st = HPDF_ReadFromStream(pdf, (HPDF_BYTE *)sb_reserve(out, size), &got);
    /* Reading to the very end reports end-of-stream: not an error here. */
    if (st == HPDF_STREAM_EOF || e->code == HPDF_STREAM_EOF)
        HPDF_ResetError(pdf), e->code = 0, st = HPDF_OK;
    if (st != HPDF_OK || got != size) {
        if (!e->code)
            e->code = st != HPDF_OK ? st : HPDF_FILE_IO_ERROR;
        return -1;
    }
    out->len += size;
    out->data[out->len] = '\0';
    return 0;
}
