/* render_docx_package: the container of a Word document. It owns the parts and
 * their content types, the relationships from word/document.xml (styles,
 * headers, images, links), the document properties, and the zip that holds
 * them all, in a fixed order with fixed timestamps so that the bytes depend
 * on the input alone. Also the few helpers every part's XML writer shares. */
#ifndef AUPC_RENDER_DOCX_PACKAGE_H
#define AUPC_RENDER_DOCX_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlwriter.h>

#include "diag.h"
#include "profile.h"
#include "util/io.h"

typedef enum {
    DOCX_PART_DOCUMENT,
    DOCX_PART_STYLES,
    DOCX_PART_NUMBERING,
    DOCX_PART_SETTINGS,
    DOCX_PART_HEADER,
    DOCX_PART_FOOTER,
    DOCX_PART_IMAGE,
    DOCX_PART_KIND_COUNT
} docx_part_kind;

/* What docProps/core.xml and app.xml say. Any field may be NULL. */
typedef struct {
    const char *title, *subject, *creator, *description, *keywords, *lang, *version;
    const char *company;
    aupc_date date;     /* created and modified; no date when year is 0 */
} docx_props;

typedef struct docx_pkg docx_pkg;

docx_pkg *docx_pkg_new(void);
void docx_pkg_free(docx_pkg *p);

/* Add the part word/NAME of KIND. With OWNED the package frees DATA.
 * Returns the id of the relationship from the document to it ("rId4"),
 * or NULL for the document itself. */
const char *docx_pkg_add(docx_pkg *p, docx_part_kind kind, const char *name, const void *data,
                         size_t len, bool owned);
/* The relationship id for a link to URL, one per distinct address. */
const char *docx_pkg_link(docx_pkg *p, const char *url);

/* The whole package as a zip in OUT. Every entry carries PROPS->date at
 * noon, or 1 January 1980 when there is no date.
 * Returns 0, or -1 with an error in *DIAGS. */
int docx_pkg_write(docx_pkg *p, const docx_props *props, strbuf *out, diag_list *diags);

/* ---- Writing a part's XML ---- */

/* A writer into a fresh buffer, the XML declaration written. */
xmlTextWriterPtr docx_xml_open(xmlBufferPtr *buf);
/* Close the writer and hand over what it wrote (owned); *LEN gets its length. */
char *docx_xml_close(xmlTextWriterPtr w, xmlBufferPtr buf, size_t *len);
/* <NAME/> and <NAME w:val="VAL"/>. */
void docx_el(xmlTextWriterPtr w, const char *name);
void docx_el_val(xmlTextWriterPtr w, const char *name, const char *val);
void docx_el_int(xmlTextWriterPtr w, const char *name, long val);
void docx_attr(xmlTextWriterPtr w, const char *name, const char *val);
void docx_attr_int(xmlTextWriterPtr w, const char *name, long val);
void docx_start(xmlTextWriterPtr w, const char *name);
void docx_end(xmlTextWriterPtr w);
/* Text, less the characters XML 1.0 cannot hold. */
void docx_text(xmlTextWriterPtr w, const char *s, size_t len);

/* Namespaces every WordprocessingML part declares on its root. */
void docx_wml_namespaces(xmlTextWriterPtr w);

#endif
