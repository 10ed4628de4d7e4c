/* render_docx_image: the tick and the cross that mark "I will" and "I will not"
 * rules in a Word document, drawn as the PDF draws them and encoded as PNG
 * once per process. */
#ifndef AUPC_RENDER_DOCX_IMAGE_H
#define AUPC_RENDER_DOCX_IMAGE_H

#include <stddef.h>

typedef enum { DOCX_TICK, DOCX_CROSS, DOCX_IMAGE_COUNT } docx_image;

typedef struct {
    const char *name;          /* "tick.png", the file name inside word/media/ */
    const char *alt;           /* alternative text: "Allowed", "Not allowed" */
    const unsigned char *png;  /* the encoded image, owned by the module */
    size_t len;
} docx_image_data;

/* The image, made on first use; safe from several threads. */
const docx_image_data *docx_image_get(docx_image which);

#endif
