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
    "body.young{font-size:1.25rem;max-width:36rem}"
    "body.easy{font-size:1.3rem;line-height:1.6;max-width:34rem;background:#fdf6e3}"
    "body.easy em{font-style:normal;font-weight:bold}"
    "@media print{body{margin:0;max-width:none;font-size:11pt}"
    "body.young,body.easy{font-size:14pt}a{color:inherit}"
    "h2,h3{break-after:avoid}li{break-inside:avoid}}";

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
    sb_puts(&b, body);
    free(body);
    sb_puts(&b, "</main>\n<footer><p>Version ");
    esc_markup(&b, d->version);
    sb_printf(&b, " · approved %s · next review by %s</p></footer>\n</body>\n</html>\n",
              approved, next);
    return b.data;
}
