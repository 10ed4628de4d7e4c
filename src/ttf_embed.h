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

#include <hpdf.h>

#include "layout.h"

/* Whether the LEN bytes at DATA look like a face libharu can parse: a
 * TrueType-outline font whose table directory, and every table it lists,
 * lie inside the file, with the tables libharu reads present. libharu
 * trusts the file it is given and crashes on many that are not fonts. */
bool ttf_check(const unsigned char *data, size_t len);

/* For every simple TrueType font in PDF whose face FACES holds a copy of,
 * make its font descriptor and font program now. Call it once, after the
 * last text is drawn and before HPDF_SaveToStream: the program holds only
 * the glyphs used so far. libharu errors go to the document's handler. */
void ttf_embed_prepare(HPDF_Doc pdf, layout_faces *faces);

#endif
