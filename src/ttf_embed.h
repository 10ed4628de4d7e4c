/* ttf_embed: the font programs of embedded TrueType faces.
 *
 * libharu writes each embedded face while saving the document, reading the
 * face file and writing the font program four bytes at a time through its
 * streams; in a PDF set in Liberation Sans that was most of the work.
 * ttf_embed_prepare writes the same font program, byte for byte, from a copy
 * of the face file in memory, and gives it to libharu as the face's
 * finished font descriptor, which libharu then uses as its own. A face it
 * has no copy of, or cannot read, is left to libharu. */
#ifndef AUPC_TTF_EMBED_H
#define AUPC_TTF_EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "util/io.h"

/* The TrueType faces a reusable libharu document has parsed. libharu keeps
 * them across HPDF_NewDoc, so the next PDF made with the document finds a
 * face here instead of parsing its file again. Each face's file is kept
 * too, to write its font program from. */
#define TTF_FACES_MAX 16
typedef struct {
    size_t n;
    char *path[TTF_FACES_MAX];           /* owned */
    const char *name[TTF_FACES_MAX];     /* libharu's names, owned by the document */
    const unsigned char *data[TTF_FACES_MAX];  /* the file, shared by the process; NULL if unread */
    size_t len[TTF_FACES_MAX];
    strbuf scratch;                      /* working space for the font programs */
} ttf_faces;

void ttf_faces_clear(ttf_faces *faces);

/* Whether the LEN bytes at DATA look like a face libharu can parse: a
 * TrueType-outline font whose table directory, and every table it lists,
 * lie inside the file, with the tables libharu reads present. libharu
 * trusts the file it is given and crashes on many that are not fonts. */
bool ttf_check(const unsigned char *data, size_t len);

/* Whether the face in the LEN bytes at DATA (ttf_check passed) maps CP to
 * a glyph in its Unicode cmap. */
bool ttf_has_glyph(const unsigned char *data, size_t len, uint32_t cp);

/* For every simple TrueType font in PDF whose face FACES holds a copy of,
 * make its font descriptor and font program now. Call it once, after the
 * last text is drawn and before HPDF_SaveToStream: the program holds only
 * the glyphs used so far. libharu errors go to the document's handler. */
void ttf_embed_prepare(HPDF_Doc pdf, ttf_faces *faces);

#endif
