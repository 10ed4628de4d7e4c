/* template: fills a CommonMark template on its AST. Directive paragraphs
 * ({{statements acceptable}}, {{sanctions}}, ...) become nodes and
 * {{fields}} inside text become literal text, so nothing a school types can
 * turn into markup. */
#ifndef AUPC_TEMPLATE_H
#define AUPC_TEMPLATE_H

#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "profile.h"
#include "select.h"

typedef struct {
    const profile *p;
    const profile_audience *a;
    const selection *sel;
    document *doc;
    diag_list *diags;
    int errors;
} template_ctx;

/* Parse TEXT (the template called NAME) and fill it into ctx->doc->root.
 * Returns 0, or -1 with errors in ctx->diags. */
int template_fill(template_ctx *ctx, const char *name, const char *text, size_t len);

/* The value of a field such as "setting.name", or NULL when unknown. Owned by caller. */
char *template_field(const template_ctx *ctx, const char *name);

/* Replace every {{field}} in the text nodes under NODE. FILE and LINE name
 * where the text came from, for errors. */
void template_subst(template_ctx *ctx, cmark_node *node, const char *file, int line);

#endif
