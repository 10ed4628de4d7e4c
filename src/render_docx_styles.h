/* render_docx_styles: the named styles of aupc's Word documents (styles.xml) and
 * the list definitions behind List Bullet and List Number (numbering.xml).
 *
 * Every paragraph, run and table in word/document.xml names one of these
 * styles and carries no formatting of its own, so a school restyles a
 * document in one place. A look is a set of sizes for one kind of reader
 * (the PDF's sizes: 10.5 pt for adults, 14 pt for young and easy-read
 * readers, poster type). A file's first look names the styles as Word
 * does ("heading 1"); a second look in the same file (a pupil part of the
 * home-school agreement) gets styles of its own, based on the first, that
 * change only sizes and spacing: "heading 1 (young readers)". */
#ifndef AUPC_RENDER_DOCX_STYLES_H
#define AUPC_RENDER_DOCX_STYLES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { DOCX_LOOK_STANDARD, DOCX_LOOK_YOUNG, DOCX_LOOK_EASY, DOCX_LOOK_POSTER,
               DOCX_LOOK_COUNT } docx_look;

typedef enum {
    /* paragraphs */
    DOCX_NORMAL, DOCX_TITLE, DOCX_SUBTITLE, DOCX_H1, DOCX_H2, DOCX_H3, DOCX_H1_NEW_PAGE,
    DOCX_LIST_BULLET, DOCX_LIST_NUMBER, DOCX_LIST_CONTINUE, DOCX_LIST_SYMBOL, DOCX_QUOTE,
    DOCX_PLAIN_TEXT, DOCX_RULE_LINE, DOCX_TABLE_TEXT, DOCX_TABLE_HEADING, DOCX_SIGN_TEXT,
    DOCX_SIGN_LABEL, DOCX_SIGN_LINE, DOCX_POSTER_RULE, DOCX_SECTION_END, DOCX_HEADER,
    DOCX_FOOTER,
    /* characters */
    DOCX_DEFAULT_FONT, DOCX_STRONG, DOCX_EMPHASIS, DOCX_HYPERLINK, DOCX_CODE,
    /* tables */
    DOCX_TABLE_NORMAL, DOCX_SIGNATURE_TABLE, DOCX_CONSENT_TABLE, DOCX_CONTACTS_TABLE,
    DOCX_STYLE_COUNT
} docx_style;

/* The looks one file uses; BASE is its first. */
typedef struct {
    docx_look base;
    bool used[DOCX_LOOK_COUNT];
    double poster_rule;     /* a poster's type size in points; 0: the default */
} docx_looks;

/* The id of style S as seen from LOOK in a file whose first look is
 * L->base ("Heading1", or "Heading1Young"). Static storage or BUF. */
const char *docx_style_id(const docx_looks *l, docx_look look, docx_style s, char *buf,
                          size_t size);

/* Sizes the document needs to place things: the width of the text and
 * of the tick and cross beside a rule (twentieths of a point and EMU). */
long docx_text_width(docx_look look);
long docx_symbol_emu(const docx_looks *l, docx_look look);

/* numbering.xml ids: the list definitions of a look. */
int docx_num_bullet(docx_look look);
int docx_num_decimal(docx_look look);

/* A numbered list of its own: numId ID counts from START with LOOK's
 * numbering, so every list restarts instead of running on. */
typedef struct {
    int id, start;
    docx_look look;
} docx_num;

/* The parts, as owned strings; *LEN gets the length. LANG is a BCP 47 tag. */
char *docx_styles_xml(const docx_looks *l, const char *lang, size_t *len);
char *docx_numbering_xml(const docx_looks *l, const docx_num *nums, size_t n, size_t *len);

#endif
