#include "render_docx_image.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "util/io.h"

/* Large enough to stay sharp on a poster, where a mark is about 40 pt. */
#define SIDE 128
#define SUB 4

typedef struct {
    double x0, y0, x1, y1;
} segment;

/* The marks in a unit square, y down, with the PDF's proportions: the
 * stroke is 0.16 of the type size on a box of 0.9 of it. */
static const segment tick_strokes[] = {
    {0.08, 0.50, 0.38, 0.85}, {0.38, 0.85, 0.95, 0.08},
};
static const segment cross_strokes[] = {
    {0.12, 0.12, 0.88, 0.88}, {0.12, 0.88, 0.88, 0.12},
};

static const struct {
    const char *name, *alt;
    const segment *strokes;
    size_t nstrokes;
    unsigned char rgb[3];
} marks[DOCX_IMAGE_COUNT] = {
    {"tick.png", "Allowed", tick_strokes, 2, {0x00, 0x80, 0x33}},
    {"cross.png", "Not allowed", cross_strokes, 2, {0xC7, 0x1A, 0x1A}},
};

/* The square of the distance from X, Y to S. */
static double seg_dist2(const segment *s, double x, double y)
{
    double dx = s->x1 - s->x0, dy = s->y1 - s->y0;
    double t = ((x - s->x0) * dx + (y - s->y0) * dy) / (dx * dx + dy * dy);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = x - (s->x0 + t * dx), ey = y - (s->y0 + t * dy);
    return ex * ex + ey * ey;
}

static double nearest2(docx_image which, double x, double y)
{
    double best = 4;
    for (size_t k = 0; k < marks[which].nstrokes; k++) {
        double d = seg_dist2(&marks[which].strokes[k], x, y);
        best = d < best ? d : best;
    }
    return best;
}

/* How much of pixel PX, PY the strokes cover, 0 to 255. Only pixels on
 * a stroke's edge are sampled finely. */
static unsigned char coverage(docx_image which, int px, int py)
{
    const double half = 0.16 / 0.9 / 2, pixel = 0.75 / SIDE;
    double d = nearest2(which, (px + 0.5) / SIDE, (py + 0.5) / SIDE);
    if (d >= (half + pixel) * (half + pixel))
        return 0;
    if (d <= (half - pixel) * (half - pixel))
        return 255;
    int hits = 0;
    for (int sy = 0; sy < SUB; sy++)
        for (int sx = 0; sx < SUB; sx++)
            hits += nearest2(which, (px + (sx + 0.5) / SUB) / SIDE,
                             (py + (sy + 0.5) / SUB) / SIDE) <= half * half;
    return (unsigned char)(hits * 255 / (SUB * SUB));
}

static void put32(strbuf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    sb_add(b, (const char *)c, 4);
}

static void chunk(strbuf *b, const char *type, const unsigned char *data, size_t len)
{
    put32(b, (uint32_t)len);
    size_t at = b->len;
    sb_add(b, type, 4);
    if (len)
        sb_add(b, (const char *)data, len);
    put32(b, (uint32_t)crc32(0, (const unsigned char *)b->data + at, (uInt)(len + 4)));
}

/* RGBA rows, each after its filter byte (0, none), deflated. */
static void encode(docx_image which, strbuf *out)
{
    size_t row = 1 + 4 * SIDE, raw_len = row * SIDE;
    unsigned char *raw = xcalloc(raw_len, 1);
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++) {
            unsigned char *p = raw + (size_t)y * row + 1 + 4 * (size_t)x;
            memcpy(p, marks[which].rgb, 3);
            p[3] = coverage(which, x, y);
        }
    uLongf zlen = compressBound((uLong)raw_len);
    unsigned char *z = xmalloc(zlen);
    if (compress2(z, &zlen, raw, (uLong)raw_len, Z_DEFAULT_COMPRESSION) != Z_OK)
        abort();    /* only on a lack of memory, which xmalloc treats the same way */
    static const unsigned char ihdr[13] = {0, 0, 0, SIDE, 0, 0, 0, SIDE, 8, 6, 0, 0, 0};
    sb_add(out, "\x89PNG\r\n\x1a\n", 8);
    chunk(out, "IHDR", ihdr, sizeof ihdr);
    chunk(out, "IDAT", z, zlen);
    chunk(out, "IEND", NULL, 0);
    free(z);
    free(raw);
}

static docx_image_data images[DOCX_IMAGE_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void make_all(void)
{
    for (int i = 0; i < DOCX_IMAGE_COUNT; i++) {
        strbuf b = {0};
        encode((docx_image)i, &b);
        images[i] = (docx_image_data){marks[i].name, marks[i].alt,
                                      (const unsigned char *)b.data, b.len};
    }
}

const docx_image_data *docx_image_get(docx_image which)
{
    pthread_once(&once, make_all);
    return which < DOCX_IMAGE_COUNT ? &images[which] : NULL;
}
