#include "format.h"

#include <stdlib.h>
#include <string.h>

#include "pack.h"
#include "render.h"
#include "render_docx.h"
#include "render_pdf.h"

/* ---- where a module's entry point is not yet the row's shape ---- */

static int pdf_document(const document *d, const render_ctx *c, strbuf *out, diag_list *diags)
{
    return pdf_render(d, c->pdf, c->layouts, out, c->info, diags);
}

static int pdf_agreement(const profile *p, const doc_set *docs, const document *pupil,
                         const render_ctx *c, strbuf *out, diag_list *diags)
{
    return pack_agreement(p, docs, pupil, c->pdf, c->layouts, out, NULL, diags);
}

static int pdf_poster(const document *d, const render_ctx *c, strbuf *out, diag_list *diags)
{
    return pack_poster(d, c->pdf, out, diags);
}

static int text_of(char *s, strbuf *out)
{
    /* Into an empty buffer the text is handed over, not copied: a long
     * diff's report runs to tens of megabytes. */
    if (out->len == 0) {
        free(out->data);
        out->len = strlen(s);
        out->cap = out->len + 1;
        out->data = s;
        return 0;
    }
    sb_puts(out, s);
    free(s);
    return 0;
}

static int md_document(const document *d, const render_ctx *c, strbuf *out, diag_list *diags)
{
    (void)c, (void)diags;
    return text_of(render_md(d), out);
}

static int html_document(const document *d, const render_ctx *c, strbuf *out,
                         diag_list *diags)
{
    (void)c, (void)diags;
    return text_of(render_html(d), out);
}

#define DIFF_TEXT(name, fn)                                                             \
    static int name(const diff_result *r, const diff_render_opts *o, strbuf *out,     \
                    diag_list *diags)                                                   \
    {                                                                                   \
        (void)diags;                                                                    \
        return text_of(fn(r, o), out);                                                  \
    }
DIFF_TEXT(text_diff, diff_render_text)
DIFF_TEXT(md_diff, diff_render_md)
DIFF_TEXT(html_diff, diff_render_html)
DIFF_TEXT(json_diff, diff_render_json)

/* ---- the registry ---- */

/* In the order help and messages list them; compile writes a document's
 * files in this order too. The comment above a row names the files that
 * render it (a file shared by several rows, under the first): meson.build
 * compiles them from here, so a new format is its renderer, its row and its
 * tests. */
static const format_info formats[] = {
    /* sources: diff_render_text.c diag_format.c */
    {.name = "text", .colour = true, .diff = text_diff, .checklist = fmt_write_text,
     .separator = "\n"},
    /* sources: render_pdf.c diff_render_pdf.c */
    {.name = "pdf", .extension = "pdf", .binary = true, .document = pdf_document,
     .agreement = pdf_agreement, .poster = pdf_poster, .diff = diff_render_pdf},
    /* sources: render_md.c diff_render_md.c */
    {.name = "md", .extension = "md", .document = md_document, .diff = md_diff,
     .checklist = fmt_write_md, .separator = "\n---\n\n"},
    /* sources: render_html.c diff_render_html.c */
    {.name = "html", .extension = "html", .document = html_document, .diff = html_diff},
    /* sources: render_docx.c render_docx_package.c render_docx_styles.c render_docx_image.c */
    {.name = "docx", .extension = "docx", .binary = true, .on_request = true,
     .document = render_docx, .agreement = render_docx_agreement, .poster = render_docx_poster},
    {.name = "gnu", .colour = true, .findings = fmt_write_gnu},
    /* sources: diff_render_json.c */
    {.name = "json", .diff = json_diff, .findings = fmt_write_json},
    {.name = "sarif", .findings = fmt_write_sarif},
    {.name = "github", .findings = fmt_write_github},
    {.name = "junit", .findings = fmt_write_junit},
};
enum { NFORMATS = sizeof formats / sizeof formats[0] };
/* compile keeps its choice of formats as a bit mask. */
_Static_assert(NFORMATS <= 32, "more formats than bits in compile's mask");

size_t format_count(void)
{
    return NFORMATS;
}

const format_info *format_at(size_t i)
{
    return &formats[i];
}

bool format_serves(const format_info *f, format_use use)
{
    switch (use) {
    case FORMAT_FOR_COMPILE: return f->document != NULL;
    case FORMAT_FOR_DIFF: return f->diff != NULL;
    case FORMAT_FOR_LINT: return f->findings != NULL;
    case FORMAT_FOR_CHECK: return f->findings || f->checklist;
    }
    return false;
}

unsigned format_compile_mask(bool on_request_too)
{
    unsigned mask = 0;
    for (size_t i = 0; i < NFORMATS; i++)
        if (format_serves(&formats[i], FORMAT_FOR_COMPILE)
            && (on_request_too || !formats[i].on_request))
            mask |= 1u << i;
    return mask;
}

const format_info *format_find(const char *name, format_use use)
{
    for (size_t i = 0; name && i < NFORMATS; i++)
        if (!strcmp(formats[i].name, name) && format_serves(&formats[i], use))
            return &formats[i];
    return NULL;
}

char *format_list(format_use use, const char *sep, const char *last)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < NFORMATS; i++)
        n += format_serves(&formats[i], use);
    strbuf b = {0};
    for (size_t i = 0; i < NFORMATS; i++) {
        if (!format_serves(&formats[i], use))
            continue;
        if (k++)
            sb_puts(&b, k == n ? last : sep);
        sb_puts(&b, formats[i].name);
    }
    return b.data ? b.data : xstrdup("");
}
