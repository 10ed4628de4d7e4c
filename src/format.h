/* format: the registry of output formats, one row each: the name --format
 * takes, the extension of the files it makes, and a function for each kind
 * of output it can hold (a compiled document, the home-school agreement, a
 * poster, a diff, lint and check findings, a check checklist), NULL where
 * it holds none. compile, diff, lint and check take their formats, and the
 * lists their help and messages give, from here; a new format is its
 * renderer's file (of the shape render.h gives) and a row. Every function
 * puts bytes into a strbuf (or a stream) and problems into a diag_list;
 * none prints. */
#ifndef AUPC_FORMAT_H
#define AUPC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "diag_format.h"
#include "diff.h"
#include "diff_render.h"
#include "document.h"
#include "layout.h"
#include "profile.h"
#include "render.h"
#include "util/io.h"

typedef int format_diff_fn(const diff_result *r, const diff_render_opts *o, strbuf *out,
                           diag_list *diags);
/* COLOUR: ANSI colours, for a format that has them. */
typedef void format_report_fn(FILE *out, const fmt_run *run, int colour);

typedef struct format_info {
    const char *name;                /* as --format takes it */
    const char *extension;           /* of the files compile writes (document formats) */
    bool binary;                     /* not for a terminal */
    bool colour;                     /* has ANSI colours for a terminal */
    bool on_request;                 /* compile writes it only when --format names it */
    render_document_fn *document;    /* compile: one file per audience */
    render_agreement_fn *agreement;  /* compile: the home-school agreement */
    render_document_fn *poster;      /* compile: a poster for a pupil audience */
    format_diff_fn *diff;            /* diff */
    format_report_fn *findings;      /* lint and check: every finding */
    format_report_fn *checklist;     /* check: a checklist per setting */
    const char *separator;           /* between two settings' checklists */
} format_info;

/* What a command asks of a format. */
typedef enum {
    FORMAT_FOR_COMPILE, FORMAT_FOR_DIFF, FORMAT_FOR_LINT, FORMAT_FOR_CHECK
} format_use;

size_t format_count(void);
const format_info *format_at(size_t i);
/* The format called NAME that serves USE, or NULL. */
const format_info *format_find(const char *name, format_use use);
bool format_serves(const format_info *f, format_use use);
/* The formats compile writes unasked (bit I: format_at(I)), or with
 * ON_REQUEST_TOO every format it can write. */
unsigned format_compile_mask(bool on_request_too);
/* The names of the formats that serve USE, joined by SEP with LAST before
 * the final one ("pdf, md or html"). Owned by the caller. */
char *format_list(format_use use, const char *sep, const char *last);

#endif
