#include "ttf_embed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>

#include "util/io.h"

/* The tables a PDF font program keeps, in libharu's order. Layout tables
 * (GPOS, GSUB, kern) are for shaping, which a PDF viewer does not do. */
#define TABLE_COUNT 13
static const char tables[TABLE_COUNT][5] = {
    "OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
    "hmtx", "loca", "maxp", "name", "post", "prep",
};

/* What libharu parses when it loads a face. */
enum { T_HEAD, T_MAXP, T_HHEA, T_CMAP, T_HMTX, T_LOCA, T_GLYF, T_NAME, T_OS2, T_NEEDED };
static const char needed[T_NEEDED][5] = {"head", "maxp", "hhea", "cmap", "hmtx",
                                         "loca", "glyf", "name", "OS/2"};

/* The offset table and its directory come before the first table. */
#define DIRECTORY_SIZE (12 + 16 * TABLE_COUNT)

typedef struct {
    const unsigned char *data;
    size_t len;
} face_file;

static void put16(strbuf *b, unsigned v)
{
    char c[2] = {(char)(v >> 8), (char)v};
    sb_add(b, c, 2);
}

static void put32(strbuf *b, uint32_t v)
{
    char c[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    sb_add(b, c, 4);
}

/* Bytes OFF..OFF+N of the face file, refusing a range past its end: the
 * offsets come from the file. */
static bool copy_range(strbuf *b, face_file f, uint64_t off, uint64_t n)
{
    if (off > f.len || n > f.len - off)
        return false;
    sb_add(b, (const char *)f.data + off, (size_t)n);
    return true;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* The sum of P's big-endian 32-bit words, the last padded with zeros. */
static uint32_t checksum(const unsigned char *p, size_t n)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        sum += get32(p + i);
    for (int shift = 24; i < n; i++, shift -= 8)
        sum += (uint32_t)p[i] << shift;
    return sum;
}

typedef struct {
    const unsigned char *at;
    size_t len;
} table_span;

/* The tables libharu would read, each present and inside the file. */
static bool check_directory(const unsigned char *data, size_t len, table_span *span)
{
    size_t tables = get16(data + 4);
    if (tables == 0 || 12 + 16 * tables > len)
        return false;
    for (size_t i = 0; i < tables; i++) {
        const unsigned char *e = data + 12 + 16 * i;
        uint64_t off = get32(e + 8), n = get32(e + 12);
        if (off > len || n > len - off)
            return false;
        for (size_t k = 0; k < T_NEEDED; k++)
            if (memcmp(e, needed[k], 4) == 0)
                span[k] = (table_span){data + off, (size_t)n};
    }
    for (size_t k = 0; k < T_NEEDED; k++)
        if (!span[k].at)
            return false;
    return true;
}

bool ttf_check(const unsigned char *data, size_t len)
{
    if (len < 12)
        return false;
    uint32_t version = get32(data);
    if (version != 0x00010000 && version != 0x74727565)     /* 'true': Apple's TrueType */
        return false;
    table_span t[T_NEEDED] = {{0}};
    if (!check_directory(data, len, t))
        return false;
    /* The counts libharu sizes its arrays by, which it does not check
     * against each other. */
    const table_span *head = &t[T_HEAD], *maxp = &t[T_MAXP], *hhea = &t[T_HHEA];
    const table_span *hmtx = &t[T_HMTX], *loca = &t[T_LOCA];
    if (head->len < 54 || maxp->len < 6 || hhea->len < 36)
        return false;
    int loca_format = (int16_t)get16(head->at + 50);
    size_t glyphs = get16(maxp->at + 4), metrics = get16(hhea->at + 34);
    return get32(head->at + 12) == 0x5F0F3CF5 && (loca_format == 0 || loca_format == 1)
           && glyphs > 0 && metrics > 0 && metrics <= glyphs
           && hmtx->len >= 4 * metrics + 2 * (glyphs - metrics)
           && loca->len >= (glyphs + 1) * (loca_format ? 4 : 2);
}

static const HPDF_TTFTable *find_table(HPDF_TTFontDefAttr a, const char *tag)
{
    for (unsigned i = 0; i < a->offset_tbl.num_tables; i++)
        if (memcmp(a->offset_tbl.table[i].tag, tag, 4) == 0)
            return &a->offset_tbl.table[i];
    return NULL;
}

/* The head table from libharu's parse, its checksum adjustment zero until
 * the whole program is known. */
static void write_head(strbuf *b, const HPDF_TTF_FontHeader *h)
{
    sb_add(b, (const char *)h->version_number, 4);
    put32(b, h->font_revision);
    put32(b, 0);
    put32(b, h->magic_number);
    put16(b, h->flags);
    put16(b, h->units_per_em);
    sb_add(b, (const char *)h->created, 8);
    sb_add(b, (const char *)h->modified, 8);
    put16(b, (uint16_t)h->x_min);
    put16(b, (uint16_t)h->y_min);
    put16(b, (uint16_t)h->x_max);
    put16(b, (uint16_t)h->y_max);
    put16(b, h->mac_style);
    put16(b, h->lowest_rec_ppem);
    put16(b, (uint16_t)h->font_direction_hint);
    put16(b, (uint16_t)h->index_to_loc_format);
    put16(b, (uint16_t)h->glyph_data_format);
}

/* The used glyphs, in place: an unused glyph keeps its number and becomes
 * empty. NEW_OFF gets the new loca offsets, in loca's units. */
static bool write_glyf(strbuf *b, HPDF_TTFontDefAttr a, face_file f, uint32_t *new_off)
{
    bool short_loca = a->header.index_to_loc_format == 0;
    size_t start = b->len;
    uint32_t end = 0;
    for (unsigned i = 0; i < a->num_glyphs; i++) {
        if (a->glyph_tbl.flgs[i] != 1) {
            new_off[i] = end;
            continue;
        }
        uint64_t off = a->glyph_tbl.offsets[i];
        uint64_t n = (uint32_t)(a->glyph_tbl.offsets[i + 1] - a->glyph_tbl.offsets[i]);
        new_off[i] = (uint32_t)(b->len - start);
        if (short_loca)
            new_off[i] /= 2, off *= 2, n *= 2;
        if (!copy_range(b, f, a->glyph_tbl.base_offset + off, n))
            return false;
        end = (uint32_t)(b->len - start);
        if (short_loca)
            end /= 2;
    }
    new_off[a->num_glyphs] = end;
    return true;
}

static void write_loca(strbuf *b, HPDF_TTFontDefAttr a, const uint32_t *new_off)
{
    for (unsigned i = 0; i <= a->num_glyphs; i++) {
        if (a->header.index_to_loc_format == 0)
            put16(b, (uint16_t)new_off[i]);
        else
            put32(b, new_off[i]);
    }
}

/* The name table with the subset tag (HPDFAA+) before the family and full
 * names, as a subset font's names must begin. */
static bool write_name(strbuf *b, HPDF_TTFontDefAttr a, const HPDF_TTFTable *t, face_file f)
{
    put16(b, a->name_tbl.format);
    put16(b, a->name_tbl.count);
    put16(b, a->name_tbl.string_offset);
    strbuf names = {0};
    bool ok = true;
    for (unsigned i = 0; i < a->name_tbl.count && ok; i++) {
        const HPDF_TTF_NameRecord *r = &a->name_tbl.name_records[i];
        size_t at = names.len;
        unsigned len = r->length;
        if (r->name_id == 1 || r->name_id == 4) {
            /* Unicode and Windows names are UTF-16BE; the rest bytes. */
            bool wide = r->platform_id == 0 || r->platform_id == 3;
            size_t n = wide ? sizeof a->tag_name2 : sizeof a->tag_name;
            sb_add(&names, wide ? a->tag_name2 : a->tag_name, n);
            len += (unsigned)n;
        }
        put16(b, r->platform_id);
        put16(b, r->encoding_id);
        put16(b, r->language_id);
        put16(b, r->name_id);
        put16(b, (uint16_t)len);
        put16(b, (uint16_t)at);
        ok = copy_range(&names, f, (uint64_t)t->offset + a->name_tbl.string_offset + r->offset,
                        r->length);
    }
    if (ok)
        sb_add(b, names.data ? names.data : "", names.len);
    sb_free(&names);
    return ok;
}

static bool write_table(strbuf *b, HPDF_TTFontDefAttr a, const char *tag, face_file f,
                        uint32_t *new_off)
{
    const HPDF_TTFTable *t = find_table(a, tag);
    if (strcmp(tag, "head") == 0)
        write_head(b, &a->header);
    else if (strcmp(tag, "glyf") == 0)
        return write_glyf(b, a, f, new_off);
    else if (strcmp(tag, "loca") == 0)
        write_loca(b, a, new_off);
    else if (strcmp(tag, "name") == 0)
        return t && write_name(b, a, t, f);
    else if (t)
        return copy_range(b, f, t->offset, t->length);
    return true;    /* a table the face lacks is written empty */
}

/* The font program with the glyphs used so far: its offset table and
 * directory into *DIR, its tables into *BODY. The layout is libharu's own,
 * so a PDF has the same bytes whichever writes it: tables in the order
 * above, unpadded, and the checksum adjustment taken over the whole words
 * of the tables alone. */
static bool font_program(HPDF_TTFontDefAttr a, face_file f, strbuf *dir, strbuf *body)
{
    uint32_t *new_off = xcalloc((size_t)a->num_glyphs + 1, sizeof *new_off);
    size_t off[TABLE_COUNT], len[TABLE_COUNT], head = 0;
    bool ok = true;
    for (int i = 0; i < TABLE_COUNT && ok; i++) {
        off[i] = body->len;
        if (strcmp(tables[i], "head") == 0)
            head = body->len;
        ok = write_table(body, a, tables[i], f, new_off);
        len[i] = body->len - off[i];
    }
    free(new_off);
    if (!ok || body->len > UINT32_MAX - DIRECTORY_SIZE)
        return false;
    const unsigned char *p = (const unsigned char *)body->data;
    put32(dir, a->offset_tbl.sfnt_version);
    put16(dir, TABLE_COUNT);
    put16(dir, a->offset_tbl.search_range);
    put16(dir, a->offset_tbl.entry_selector);
    put16(dir, a->offset_tbl.range_shift);
    for (int i = 0; i < TABLE_COUNT; i++) {
        sb_add(dir, tables[i], 4);
        put32(dir, checksum(p + off[i], len[i]));
        put32(dir, (uint32_t)(off[i] + DIRECTORY_SIZE));
        put32(dir, (uint32_t)len[i]);
    }
    uint32_t adjust = 0xB1B0AFBA - checksum(p, body->len & ~(size_t)3);
    for (int k = 0; k < 4; k++)
        body->data[head + 8 + k] = (char)(adjust >> (24 - 8 * k));
    a->length1 = (HPDF_UINT)(dir->len + body->len);
    return true;
}

/* The descriptor libharu would make for FONT's face, with DIR and BODY as
 * its font file, entries in libharu's order. */
static void add_descriptor(HPDF_Doc pdf, HPDF_Font font, const strbuf *dir, const strbuf *body)
{
    HPDF_FontAttr fa = font->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_TTFontDefAttr a = def->attr;
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (!d || HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return;
    HPDF_STATUS st = HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    st += HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
    st += HPDF_Dict_AddNumber(d, "Descent", def->descent);
    st += HPDF_Dict_AddNumber(d, "CapHeight", def->cap_height);
    st += HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)def->flags);
    st += HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
    st += HPDF_Dict_AddName(d, "FontName", a->base_font);
    st += HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
    st += HPDF_Dict_AddNumber(d, "StemV", def->stemv);
    st += HPDF_Dict_AddNumber(d, "XHeight", def->x_height);
    if (a->char_set)
        st += HPDF_Dict_AddName(d, "CharSet", a->char_set);
    HPDF_Dict data = st == HPDF_OK ? HPDF_DictStream_New(pdf->mmgr, pdf->xref) : NULL;
    if (!data)
        return;
    st = HPDF_Stream_Write(data->stream, (const HPDF_BYTE *)dir->data, (HPDF_UINT)dir->len);
    st += HPDF_Stream_Write(data->stream, (const HPDF_BYTE *)body->data, (HPDF_UINT)body->len);
    st += HPDF_Dict_Add(d, "FontFile2", data);
    st += HPDF_Dict_AddNumber(data, "Length1", (HPDF_INT32)a->length1);
    st += HPDF_Dict_AddNumber(data, "Length2", 0);
    st += HPDF_Dict_AddNumber(data, "Length3", 0);
    data->filter = font->filter;
    if (st == HPDF_OK)
        def->descriptor = d;
}

void ttf_faces_clear(ttf_faces *faces)
{
    for (size_t i = 0; i < faces->n; i++)
        free(faces->path[i]);
    sb_free(&faces->scratch);
    memset(faces, 0, sizeof *faces);
}

static bool face_of(const ttf_faces *faces, HPDF_FontDef def, face_file *f)
{
    for (size_t i = 0; i < faces->n; i++)
        if (faces->name[i] == def->base_font && faces->data[i]) {
            *f = (face_file){faces->data[i], faces->len[i]};
            return true;
        }
    return false;
}

static bool is_simple_ttf(void *obj)
{
    const HPDF_Obj_Header *h = obj;
    if ((h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT
        || !(h->obj_class & HPDF_OSUBCLASS_FONT))
        return false;
    HPDF_FontAttr fa = ((HPDF_Font)obj)->attr;
    return fa && fa->type == HPDF_FONT_TRUETYPE && fa->fontdef
           && fa->fontdef->type == HPDF_FONTDEF_TYPE_TRUETYPE;
}

/* Fonts in the order libharu numbered them, so the objects added here get
 * the numbers libharu would have given them while saving. */
void ttf_embed_prepare(HPDF_Doc pdf, ttf_faces *faces)
{
    if (!faces)
        return;
    HPDF_List entries = pdf->xref->entries;
    for (HPDF_UINT i = 0; i < entries->count; i++) {
        HPDF_XrefEntry e = HPDF_List_ItemAt(entries, i);
        if (!e || !e->obj || !is_simple_ttf(e->obj))
            continue;
        HPDF_Font font = e->obj;
        HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
        HPDF_TTFontDefAttr a = def->attr;
        face_file f;
        if (def->descriptor || !a->embedding || !face_of(faces, def, &f))
            continue;
        /* The tables go to a buffer the thread keeps: a program is 100 KB
         * or more, and fresh memory costs a page fault every 4 KB. */
        strbuf dir = {0};
        faces->scratch.len = 0;
        if (font_program(a, f, &dir, &faces->scratch))
            add_descriptor(pdf, font, &dir, &faces->scratch);
        sb_free(&dir);
    }
}

/* ---- which characters a face has ---- */

/* The glyph of CP in a format 4 subtable at P (LEN bytes), or 0. */
static unsigned cmap4_glyph(const unsigned char *p, size_t len, uint32_t cp)
{
    if (len < 14 || cp > 0xFFFF)
        return 0;
    size_t segs = get16(p + 6) / 2;
    if (16 + 8 * segs > len)
        return 0;
    const unsigned char *ends = p + 14, *starts = ends + 2 * segs + 2;
    const unsigned char *deltas = starts + 2 * segs, *ranges = deltas + 2 * segs;
    for (size_t i = 0; i < segs; i++) {
        if (cp > get16(ends + 2 * i))
            continue;
        unsigned start = get16(starts + 2 * i);
        if (cp < start)
            return 0;
        unsigned delta = get16(deltas + 2 * i), range = get16(ranges + 2 * i);
        if (!range)
            return (cp + delta) & 0xFFFF;
        size_t at = (size_t)(ranges + 2 * i - p) + range + 2 * (cp - start);
        if (at + 2 > len)
            return 0;
        unsigned g = get16(p + at);
        return g ? (g + delta) & 0xFFFF : 0;
    }
    return 0;
}

/* The glyph of CP in a format 12 subtable at P, or 0. */
static unsigned cmap12_glyph(const unsigned char *p, size_t len, uint32_t cp)
{
    if (len < 16)
        return 0;
    uint64_t groups = get32(p + 12);
    if (16 + 12 * groups > len)
        return 0;
    for (uint64_t i = 0; i < groups; i++) {
        const unsigned char *g = p + 16 + 12 * i;
        uint32_t first = get32(g), last = get32(g + 4);
        if (cp >= first && cp <= last)
            return (unsigned)(get32(g + 8) + (cp - first));
    }
    return 0;
}

bool ttf_has_glyph(const unsigned char *data, size_t len, uint32_t cp)
{
    if (!data || len < 12)
        return false;
    size_t tables = get16(data + 4);
    const unsigned char *cmap = NULL;
    size_t cmap_len = 0;
    for (size_t i = 0; i < tables && 12 + 16 * (i + 1) <= len; i++) {
        const unsigned char *e = data + 12 + 16 * i;
        uint64_t off = get32(e + 8), n = get32(e + 12);
        if (!memcmp(e, "cmap", 4) && off <= len && n <= len - off)
            cmap = data + off, cmap_len = (size_t)n;
    }
    if (!cmap || cmap_len < 4)
        return false;
    size_t subs = get16(cmap + 2);
    unsigned found = 0;
    for (size_t i = 0; i < subs && 4 + 8 * (i + 1) <= cmap_len && !found; i++) {
        const unsigned char *s = cmap + 4 + 8 * i;
        unsigned platform = get16(s), encoding = get16(s + 2);
        uint64_t off = get32(s + 4);
        if (platform != 3 && platform != 0)
            continue;
        if (off + 4 > cmap_len)
            continue;
        const unsigned char *t = cmap + off;
        size_t left = cmap_len - (size_t)off;
        unsigned format = get16(t);
        if (format == 4 && (platform == 0 || encoding == 1))
            found = cmap4_glyph(t, left < get16(t + 2) ? left : get16(t + 2), cp);
        else if (format == 12 && left >= 8)
            found = cmap12_glyph(t, left < get32(t + 4) ? left : get32(t + 4), cp);
    }
    return found != 0;
}
