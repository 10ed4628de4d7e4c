#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "util/escape.h"
#include "util/io.h"

/* Readable on screen, one or two sheets on paper; easy read follows the
 * British Dyslexia Association's advice (large type, cream page, no italics). */
static const char style[] =
    "body{font-family:Arial,Helvetica,\"Liberation Sans\",sans-serif;font-size:1.05rem;"
    "line-height:1.45;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111}"
    "header,footer{color:#444;font-size:.9rem}"
    "header{border-bottom:1px solid #999;margin-bottom:1rem}"
    "footer{border-top:1px solid #999;margin-top:2rem;padding-top:.5rem}"
    "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.5rem}"
    "li{margin:.3rem 0}"
    "li:has(>svg.mark),li:has(>p>svg.mark){list-style:none}"
    "svg.mark{width:1.1em;height:1.1em;vertical-align:-.2em;margin:0 .4em 0 -1.5em}"
    "body.young{font-size:1.25rem;max-width:36rem}"
    "body.easy{font-size:1.3rem;line-height:1.6;max-width:34rem;background:#fdf6e3}"
    "body.easy em{font-style:normal;font-weight:bold}"
    "@media print{body{margin:0;max-width:none;font-size:11pt}"
    "body.young,body.easy{font-size:14pt}a{color:inherit}"
    "h2,h3{break-after:avoid}li{break-inside:avoid}}";

/* A young or easy-read reader sees a tick beside each "I will" rule and a
 * cross beside each "I will not", as on paper: each an image with its
 * alternative text, drawn inline so that a page served with a strict
 * content security policy shows it. */
static const char tick_svg[] =
    "<svg class=\"mark\" role=\"img\" aria-label=\"Allowed\" viewBox=\"0 0 16 16\">"
    "<title>Allowed</title><path d=\"M2 8.5l4 4 8-10\" fill=\"none\" stroke=\"#1b7a2e\" "
    "stroke-width=\"2.6\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>";
static const char cross_svg[] =
    "<svg class=\"mark\" role=\"img\" aria-label=\"Not allowed\" viewBox=\"0 0 16 16\">"
    "<title>Not allowed</title><path d=\"M3.5 3.5l9 9M12.5 3.5l-9 9\" fill=\"none\" "
    "stroke=\"#b3261e\" stroke-width=\"2.6\" stroke-linecap=\"round\"/></svg>";

typedef enum { MARK_NONE, MARK_TICK, MARK_CROSS } mark;

/* The mark of each list item of D in document order, the order in which
 * cmark writes their "<li>"; NULL when D's reader gets no marks. */
static mark *item_marks(const document *d, size_t *n)
{
    *n = 0;
    if (d->reading != READING_EASY && !audience_for(d->kind, d->band)->young)
        return NULL;
    mark *v = NULL;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_ITEM)
            continue;
        const doc_tag *t = document_item_tag(node);
        v = xrealloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = t && t->positive_rule ? MARK_TICK : t && t->negative_rule ? MARK_CROSS
                                                                            : MARK_NONE;
    }
    cmark_iter_free(it);
    return v;
}

/* BODY (cmark's HTML for D) into B, a mark after each "<li>" (and its
 * "<p>", in a loose list) that has one, drawn in place of the bullet. Raw HTML is never in BODY (cmark
 * writes it as a comment), so every "<li>" is an item's. */
static void put_body(strbuf *b, const document *d, const char *body)
{
    size_t n, k = 0;
    mark *marks = item_marks(d, &n);
    const char *p = body;
    for (const char *li; marks && (li = strstr(p, "<li>")); k++) {
        const char *after = li + 4;
        if (!strncmp(after, "\n<p>", 4))
            after += 4;
        sb_add(b, p, (size_t)(after - p));
        if (k < n && marks[k] != MARK_NONE)
            sb_puts(b, marks[k] == MARK_TICK ? tick_svg : cross_svg);
        p = after;
    }
    sb_puts(b, p);
    free(marks);
}

char *render_html(const document *d)
{
    char approved[64], next[64];
    profile_date_long(d->approved, approved, sizeof approved);
    profile_date_long(d->next_review, next, sizeof next);
    const char *cls = d->reading == READING_EASY ? "easy"
                    : audience_for(d->kind, d->band)->young ? "young" : "standard";
    strbuf b = {0};
    sb_puts(&b, "<!DOCTYPE html>\n<html lang=\"");
    esc_markup(&b, d->lang);
    sb_puts(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    esc_markup(&b, d->title);
    sb_puts(&b, " – ");
    esc_markup(&b, d->setting_name);
    sb_puts(&b, "</title>\n<meta name=\"generator\" content=\"aupc " AUPC_VERSION "\">\n"
                "<meta name=\"description\" content=\"");
    esc_markup(&b, d->audience_label);
    sb_printf(&b, "\">\n<style>%s</style>\n</head>\n<body class=\"%s\">\n<header><p>", style, cls);
    esc_markup(&b, d->setting_name);
    sb_puts(&b, "</p></header>\n<main>\n");
    char *body = cmark_render_html(d->root, CMARK_OPT_DEFAULT);
    put_body(&b, d, body);
    free(body);
    sb_puts(&b, "</main>\n<footer><p>Version ");
    esc_markup(&b, d->version);
    sb_printf(&b, " · approved %s · next review by %s</p></footer>\n</body>\n</html>\n",
              approved, next);
    return b.data;
}
