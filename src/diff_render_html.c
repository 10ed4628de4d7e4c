/* diff_render_html: a change set as a standalone HTML page. */
#include "diff_render.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"

static const char html_style[] =
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#111}\n"
    "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;"
    "text-align:left}td.n{text-align:right}\n"
    "ins{background:#d7f5dd;color:#064d14;text-decoration:underline}\n"
    "del{background:#fbdcdc;color:#7a0d0d;text-decoration:line-through}\n"
    "ins::before{content:\"[+\";font-size:.8em}ins::after{content:\"+]\";font-size:.8em}\n"
    "del::before{content:\"[\\2212\";font-size:.8em}del::after{content:\"\\2212]\";font-size:.8em}\n"
    ".change{border-left:4px solid #999;padding-left:.75rem;margin:1rem 0}\n"
    ".why{font-style:italic;color:#444}\n";

char *diff_render_html(const diff_result *r, const diff_render_opts *o)
{
    const diff_render_style st = {"<del>", "</del>", "<ins>", "</ins>", esc_markup, true};
    strbuf b = {0};
    sb_puts(&b, "<!DOCTYPE html>\n<html lang=\"");
    esc_markup(&b, r->new_side.lang ? r->new_side.lang : "en-GB");
    sb_puts(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>Changes: ");
    esc_markup(&b, r->new_side.setting ? r->new_side.setting : r->new_side.file);
    sb_printf(&b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", html_style);
    sb_puts(&b, "<h1>Changes to the acceptable use policies</h1>\n<dl>\n<dt>Old</dt><dd>");
    strbuf t = {0};
    diff_render_side(&t, &r->old_side);
    esc_markup(&b, t.data);
    sb_free(&t);
    sb_puts(&b, "</dd>\n<dt>New</dt><dd>");
    diff_render_side(&t, &r->new_side);
    esc_markup(&b, t.data);
    sb_free(&t);
    sb_puts(&b, "</dd>\n</dl>\n");
    if (diff_identical(r)) {
        sb_puts(&b, "<p>No changes.</p>\n</main>\n</body>\n</html>\n");
        return b.data;
    }
    sb_puts(&b, "<p class=\"legend\">Legend: <del>words taken out</del> are struck through; "
                "<ins>words put in</ins> are underlined.</p>\n");
    sb_puts(&b, "<h2>Summary</h2>\n<table>\n<thead><tr><th scope=\"col\">Audience</th>"
                "<th scope=\"col\">Document</th><th scope=\"col\">Added</th><th scope=\"col\">"
                "Removed</th><th scope=\"col\">Reworded</th><th scope=\"col\">Moved</th></tr>"
                "</thead>\n<tbody>\n");
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        sb_puts(&b, "<tr><th scope=\"row\">");
        esc_markup(&b, a->label);
        sb_puts(&b, " (<code>");
        esc_markup(&b, a->id);
        sb_printf(&b, "</code>)</th><td>%s</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                      "<td class=\"n\">%zu</td><td class=\"n\">%zu</td></tr>\n",
                  diff_audience_status_name(a->status), a->counts[CH_ADDED],
                  a->counts[CH_REMOVED], a->counts[CH_REWORDED], a->counts[CH_MOVED]);
    }
    sb_puts(&b, "</tbody>\n</table>\n");
    if (r->mode == DIFF_PROFILES)
        sb_printf(&b, "<p>Settings changed: %zu.</p>\n", r->nsettings);
    if (o->stat) {
        sb_puts(&b, "</main>\n</body>\n</html>\n");
        return b.data;
    }
    if (r->nreview) {
        sb_puts(&b, "<h2>Review</h2>\n<ul>\n");
        for (size_t i = 0; i < r->nreview; i++) {
            const diff_setting *s = &r->review[i];
            sb_puts(&b, "<li><strong>");
            esc_markup(&b, s->label);
            sb_puts(&b, ":</strong> ");
            if (!strcmp(s->verdict, "kept")) {
                esc_markup(&b, diff_render_or_none(s->new_value));
                sb_puts(&b, " (kept)");
            } else {
                sb_puts(&b, "<del>");
                esc_markup(&b, diff_render_or_none(s->old_value));
                sb_puts(&b, "</del> <ins>");
                esc_markup(&b, diff_render_or_none(s->new_value));
                sb_printf(&b, "</ins> (%s)", diff_render_verdict(s->verdict));
            }
            sb_puts(&b, "</li>\n");
        }
        sb_puts(&b, "</ul>\n");
    }
    if (r->nsettings) {
        sb_puts(&b, "<h2>Settings changed</h2>\n<ul>\n");
        for (size_t i = 0; i < r->nsettings; i++) {
            const diff_setting *s = &r->settings[i];
            sb_puts(&b, "<li><strong>");
            esc_markup(&b, s->label);
            sb_puts(&b, "</strong> (<code>");
            esc_markup(&b, s->key);
            sb_puts(&b, "</code>): ");
            if (s->old_value) {
                sb_puts(&b, "<del>");
                esc_markup(&b, s->old_value);
                sb_puts(&b, "</del> ");
            }
            if (s->new_value) {
                sb_puts(&b, "<ins>");
                esc_markup(&b, s->new_value);
                sb_puts(&b, "</ins>");
            }
            if (diff_render_has_effect(s, true)) {
                sb_puts(&b, "<br>Brought in: ");
                diff_render_effects(&b, s, true, esc_markup);
            }
            if (diff_render_has_effect(s, false)) {
                sb_puts(&b, "<br>Took out: ");
                diff_render_effects(&b, s, false, esc_markup);
            }
            sb_puts(&b, "</li>\n");
        }
        sb_puts(&b, "</ul>\n");
    }
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        if (a->status == AUDIENCE_SAME)
            continue;
        sb_puts(&b, "<section>\n<h2>");
        esc_markup(&b, a->label);
        sb_puts(&b, " (<code>");
        esc_markup(&b, a->id);
        sb_puts(&b, "</code>)</h2>\n");
        if (a->status != AUDIENCE_CHANGED) {
            sb_puts(&b, a->status == AUDIENCE_ADDED
                            ? "<p>A new document for this audience.</p>\n"
                            : "<p>This audience no longer gets a document.</p>\n");
        }
        for (size_t k = 0; k < a->count; k++) {
            const diff_change *c = &a->changes[k];
            sb_printf(&b, "<div class=\"change %s\">\n<h3>%s: ", diff_change_kind_name(c->kind),
                      diff_change_kind_name(c->kind));
            diff_render_where(&b, c, esc_markup);
            sb_puts(&b, "</h3>\n<p>");
            if (c->kind == CH_ADDED) {
                sb_puts(&b, "<ins>");
                esc_markup(&b, c->new_text);
                sb_puts(&b, "</ins>");
            } else if (c->kind == CH_REMOVED) {
                sb_puts(&b, "<del>");
                esc_markup(&b, c->old_text);
                sb_puts(&b, "</del>");
            } else {
                diff_render_words(&b, &c->words, &st);
            }
            sb_puts(&b, "</p>\n");
            if (c->nbecause) {
                sb_puts(&b, "<p class=\"why\">Because of:");
                for (size_t q = 0; q < c->nbecause; q++) {
                    sb_puts(&b, q ? ", <code>" : " <code>");
                    esc_markup(&b, c->because[q]);
                    sb_puts(&b, "</code>");
                }
                sb_puts(&b, "</p>\n");
            }
            sb_puts(&b, "</div>\n");
        }
        sb_puts(&b, "</section>\n");
    }
    sb_puts(&b, "</main>\n</body>\n</html>\n");
    return b.data;
}
