/* diff_render: the outputs of aupc diff.
 *
 * JSON schema, version 1 (stable: fields may be added, never renamed or
 * removed, without a new "version"). Keys appear in this order; a value
 * shown as null may be null. Strings are UTF-8.
 *
 *   {
 *     "version": 1,
 *     "mode": "profiles" | "drafts",
 *     "identical": true | false,
 *     "old": {"file": s, "setting": s|null, "version": s|null,
 *             "approved": "YYYY-MM-DD"|null, "next_review": "YYYY-MM-DD"|null},
 *     "new": { ...the same... },
 *     "summary": {"audiences": n, "added": n, "removed": n, "reworded": n,
 *                 "moved": n, "settings": n},
 *     "review": [ {"key": s, "label": s, "old": s|null, "new": s|null,
 *                  "verdict": "kept"|"moved-on"|"moved-back"|"set"|"removed"|"changed"} ],
 *     "settings": [ {"key": s, "label": s, "old": s|null, "new": s|null,
 *                    "verdict": "added"|"removed"|"changed"|"moved",
 *                    "effects": [ {"audience": s, "statement": s,
 *                                  "change": "added"|"removed"} ]} ],
 *     "audiences": [ {"id": s, "label": s,
 *                     "status": "changed"|"unchanged"|"added"|"removed",
 *                     "counts": {"added": n, "removed": n, "reworded": n, "moved": n},
 *                     "changes": [ {"kind": "added"|"removed"|"reworded"|"moved",
 *                                   "statement": s|null, "block": s, "section": s,
 *                                   "old_line": n|null, "new_line": n|null,
 *                                   "old": s|null, "new": s|null,
 *                                   "because": [s],
 *                                   "words": [ {"op": "same"|"del"|"ins", "text": s,
 *                                               "space": true|false} ]} ]} ]
 *   }
 *
 * "settings" lists changed settings only; "review" lists every review fact,
 * kept ones too. "because" holds the keys of the settings that explain a
 * change. "words" is empty for added and removed blocks; "space" says
 * whether a segment is preceded by a space. With --stat, each audience has
 * no "changes" member. Drafts report one audience (its id from the draft's
 * aupc metadata comment, else "draft"), and "statement" is null. */
#include "diff_render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "layout.h"

/* ------------------------------------------------------------------ */
/* Shared */

static const char *or_none(const char *s)
{
    return s ? s : "(none)";
}

static const char *verdict_words(const char *v)
{
    if (!strcmp(v, "moved-on")) return "moved on";
    if (!strcmp(v, "moved-back")) return "moved back";
    return v;
}

static void count_line(strbuf *b, const size_t c[CH_KIND_COUNT])
{
    sb_printf(b, "%zu added, %zu removed, %zu reworded, %zu moved", c[CH_ADDED], c[CH_REMOVED],
              c[CH_REWORDED], c[CH_MOVED]);
}

static void html_esc(strbuf *b, const char *s);

typedef struct {
    const char *del_open, *del_close, *ins_open, *ins_close;
    void (*escape)(strbuf *, const char *);
} word_style;

static void plain(strbuf *b, const char *s)
{
    sb_puts(b, s);
}

static void put_words(strbuf *b, const word_diff *w, const word_style *st)
{
    for (size_t i = 0; i < w->count; i++) {
        const diff_seg *s = &w->segs[i];
        if (i > 0 && (s->space_before ||
                      (st->escape == html_esc && s->kind == SEG_INS && w->segs[i - 1].kind == SEG_DEL)))
            sb_puts(b, " ");
        if (s->kind == SEG_DEL) sb_puts(b, st->del_open);
        if (s->kind == SEG_INS) sb_puts(b, st->ins_open);
        st->escape(b, s->text);
        if (s->kind == SEG_DEL) sb_puts(b, st->del_close);
        if (s->kind == SEG_INS) sb_puts(b, st->ins_close);
    }
}

static void effects_line(strbuf *b, const diff_setting *s, bool added, void (*esc)(strbuf *, const char *))
{
    const char *last = NULL;
    for (size_t i = 0; i < s->neffects; i++) {
        const diff_effect *e = &s->effects[i];
        if (e->added != added)
            continue;
        if (!last || strcmp(last, e->audience) != 0) {
            sb_puts(b, last ? "; " : "");
            esc(b, e->audience);
            sb_puts(b, ": ");
        } else {
            sb_puts(b, ", ");
        }
        esc(b, e->statement);
        last = e->audience;
    }
}

static bool has_effect(const diff_setting *s, bool added)
{
    for (size_t i = 0; i < s->neffects; i++)
        if (s->effects[i].added == added)
            return true;
    return false;
}

static void side_line(strbuf *b, const diff_side *s)
{
    char d[16];
    sb_puts(b, s->file);
    if (s->version || s->approved.year) {
        sb_puts(b, " (");
        if (s->version)
            sb_printf(b, "version %s", s->version);
        if (s->approved.year) {
            profile_date_iso(s->approved, d, sizeof d);
            sb_printf(b, "%sapproved %s", s->version ? ", " : "", d);
        }
        sb_puts(b, ")");
    }
}

static void change_where(strbuf *b, const diff_change *c, void (*esc)(strbuf *, const char *))
{
    if (c->statement) {
        esc(b, c->statement);
    } else {
        sb_puts(b, c->block);
        if (c->kind == CH_MOVED)
            sb_printf(b, ", line %d, was line %d", c->new_line, c->old_line);
        else if (c->new_line && c->old_line && c->new_line != c->old_line)
            sb_printf(b, ", line %d, was line %d", c->new_line, c->old_line);
        else
            sb_printf(b, ", line %d", c->new_line ? c->new_line : c->old_line);
    }
    if (c->section && *c->section) {
        sb_puts(b, " under \"");
        esc(b, c->section);
        sb_puts(b, "\"");
    }
}

/* ------------------------------------------------------------------ */
/* Text */

char *diff_render_text(const diff_result *r, const diff_render_opts *o)
{
    const word_style st = o->colour
        ? (word_style){"\033[9;31m", "\033[0m", "\033[4;32m", "\033[0m", plain}
        : (word_style){"[-", "-]", "{+", "+}", plain};
    strbuf b = {0};
    sb_puts(&b, "aupc diff: ");
    side_line(&b, &r->old_side);
    sb_puts(&b, "\n        to ");
    side_line(&b, &r->new_side);
    sb_puts(&b, "\n");
    if (diff_identical(r)) {
        sb_puts(&b, "no changes\n");
        return b.data;
    }
    size_t tot[CH_KIND_COUNT];
    diff_totals(r, tot);
    if (o->stat) {
        for (size_t i = 0; i < r->naudiences; i++) {
            const diff_audience *a = &r->audiences[i];
            sb_printf(&b, "%-16s %-9s ", a->id, diff_audience_status_name(a->status));
            count_line(&b, a->counts);
            sb_puts(&b, "\n");
        }
        sb_printf(&b, "total: ");
        count_line(&b, tot);
        sb_printf(&b, "; %zu settings changed\n", r->nsettings);
        return b.data;
    }
    if (r->nreview) {
        sb_puts(&b, "\nReview\n");
        for (size_t i = 0; i < r->nreview; i++) {
            const diff_setting *s = &r->review[i];
            if (!strcmp(s->verdict, "kept"))
                sb_printf(&b, "  %s: %s (kept)\n", s->label, or_none(s->new_value));
            else
                sb_printf(&b, "  %s: %s -> %s (%s)\n", s->label, or_none(s->old_value),
                          or_none(s->new_value), verdict_words(s->verdict));
        }
    }
    if (r->nsettings) {
        sb_puts(&b, "\nSettings changed\n");
        for (size_t i = 0; i < r->nsettings; i++) {
            const diff_setting *s = &r->settings[i];
            sb_printf(&b, "  %s [%s]\n", s->label, s->key);
            const char *was = !s->new_value ? "removed" : "was";
            const char *now = !s->old_value ? "added" : "now";
            if (s->old_value)
                sb_printf(&b, "    %s: %s%s%s\n", was, o->colour ? st.del_open : "",
                          s->old_value, o->colour ? st.del_close : "");
            if (s->new_value)
                sb_printf(&b, "    %s: %s%s%s\n", now, o->colour ? st.ins_open : "",
                          s->new_value, o->colour ? st.ins_close : "");
            if (has_effect(s, true)) {
                sb_puts(&b, "    brought in: ");
                effects_line(&b, s, true, plain);
                sb_puts(&b, "\n");
            }
            if (has_effect(s, false)) {
                sb_puts(&b, "    took out: ");
                effects_line(&b, s, false, plain);
                sb_puts(&b, "\n");
            }
        }
    }
    sb_puts(&b, "\nAudiences\n");
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        sb_printf(&b, "  %-16s %-9s ", a->id, diff_audience_status_name(a->status));
        count_line(&b, a->counts);
        sb_puts(&b, "\n");
    }
    static const char mark[] = {'+', '-', '~', '>'};
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        if (!a->count)
            continue;
        sb_printf(&b, "\n%s: %s\n", a->id, a->label);
        for (size_t k = 0; k < a->count; k++) {
            const diff_change *c = &a->changes[k];
            sb_printf(&b, "  %c %s ", mark[c->kind], diff_change_kind_name(c->kind));
            change_where(&b, c, plain);
            sb_puts(&b, "\n    ");
            if (c->kind == CH_ADDED)
                sb_printf(&b, "%s%s%s", st.ins_open, c->new_text, st.ins_close);
            else if (c->kind == CH_REMOVED)
                sb_printf(&b, "%s%s%s", st.del_open, c->old_text, st.del_close);
            else
                put_words(&b, &c->words, &st);
            sb_puts(&b, "\n");
            if (c->nbecause) {
                sb_puts(&b, "    because:");
                for (size_t q = 0; q < c->nbecause; q++)
                    sb_printf(&b, " %s", c->because[q]);
                sb_puts(&b, "\n");
            }
        }
    }
    return b.data;
}

/* ------------------------------------------------------------------ */
/* Markdown */

/* Backslash-escape every ASCII punctuation mark CommonMark might read as
 * syntax, so a school's text is only ever text. */
static void md_esc(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>#|~&", *s))
            sb_puts(b, "\\");
        sb_add(b, s, 1);
    }
}

static void md_summary(strbuf *b, const diff_result *r)
{
    sb_puts(b, "## Summary\n\n");
    sb_puts(b, "| Audience | Document | Added | Removed | Reworded | Moved |\n");
    sb_puts(b, "| --- | --- | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        sb_puts(b, "| ");
        md_esc(b, a->label);
        sb_puts(b, " (`");
        sb_puts(b, a->id);
        sb_printf(b, "`) | %s | %zu | %zu | %zu | %zu |\n", diff_audience_status_name(a->status),
                  a->counts[CH_ADDED], a->counts[CH_REMOVED], a->counts[CH_REWORDED],
                  a->counts[CH_MOVED]);
    }
    size_t tot[CH_KIND_COUNT];
    diff_totals(r, tot);
    sb_printf(b, "| **Total** | | %zu | %zu | %zu | %zu |\n\n", tot[CH_ADDED], tot[CH_REMOVED],
              tot[CH_REWORDED], tot[CH_MOVED]);
    if (r->mode == DIFF_PROFILES)
        sb_printf(b, "Settings changed: %zu.\n\n", r->nsettings);
}

char *diff_render_md(const diff_result *r, const diff_render_opts *o)
{
    const word_style st = {"[-", "-]", "{+", "+}", md_esc};
    strbuf b = {0};
    sb_puts(&b, "# Changes to the acceptable use policies\n\n");
    sb_puts(&b, "- **Old:** ");
    strbuf t = {0};
    side_line(&t, &r->old_side);
    md_esc(&b, t.data);
    sb_free(&t);
    sb_puts(&b, "\n- **New:** ");
    side_line(&t, &r->new_side);
    md_esc(&b, t.data);
    sb_free(&t);
    sb_puts(&b, "\n\n");
    if (diff_identical(r)) {
        sb_puts(&b, "No changes.\n");
        return b.data;
    }
    md_summary(&b, r);
    if (o->stat)
        return b.data;
    sb_puts(&b, "In each change below, words between [- and -] were taken out and words "
                "between {+ and +} were put in.\n\n");
    if (r->nreview) {
        sb_puts(&b, "## Review\n\n");
        for (size_t i = 0; i < r->nreview; i++) {
            const diff_setting *s = &r->review[i];
            sb_printf(&b, "- **%s:** ", s->label);
            if (!strcmp(s->verdict, "kept")) {
                md_esc(&b, or_none(s->new_value));
                sb_puts(&b, " (kept)\n");
            } else {
                sb_puts(&b, "was ");
                md_esc(&b, or_none(s->old_value));
                sb_puts(&b, ", now ");
                md_esc(&b, or_none(s->new_value));
                sb_printf(&b, " (%s)\n", verdict_words(s->verdict));
            }
        }
        sb_puts(&b, "\n");
    }
    if (r->nsettings) {
        sb_puts(&b, "## Settings changed\n\n");
        for (size_t i = 0; i < r->nsettings; i++) {
            const diff_setting *s = &r->settings[i];
            sb_printf(&b, "- **%s** (`%s`): ", s->label, s->key);
            if (!s->old_value) {
                sb_puts(&b, "added: ");
                md_esc(&b, s->new_value);
            } else if (!s->new_value) {
                sb_puts(&b, "removed: ");
                md_esc(&b, s->old_value);
            } else {
                sb_puts(&b, "was ");
                md_esc(&b, s->old_value);
                sb_puts(&b, "; now ");
                md_esc(&b, s->new_value);
            }
            sb_puts(&b, "\n");
            if (has_effect(s, true)) {
                sb_puts(&b, "  - Brought in: ");
                effects_line(&b, s, true, md_esc);
                sb_puts(&b, "\n");
            }
            if (has_effect(s, false)) {
                sb_puts(&b, "  - Took out: ");
                effects_line(&b, s, false, md_esc);
                sb_puts(&b, "\n");
            }
        }
        sb_puts(&b, "\n");
    }
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        if (a->status == AUDIENCE_SAME)
            continue;
        sb_puts(&b, "## ");
        md_esc(&b, a->label);
        sb_printf(&b, " (`%s`)\n\n", a->id);
        if (a->status == AUDIENCE_ADDED) {
            sb_puts(&b, "A new document for this audience.\n\n");
            continue;
        }
        if (a->status == AUDIENCE_REMOVED) {
            sb_puts(&b, "This audience no longer gets a document.\n\n");
            continue;
        }
        for (size_t k = 0; k < a->count; k++) {
            const diff_change *c = &a->changes[k];
            sb_printf(&b, "### %c%s: ", diff_change_kind_name(c->kind)[0] - 'a' + 'A',
                      diff_change_kind_name(c->kind) + 1);
            change_where(&b, c, md_esc);
            sb_puts(&b, "\n\n");
            if (c->kind == CH_MOVED && !strcmp(c->old_text, c->new_text)) {
                sb_puts(&b, "- **Wording kept:** ");
                md_esc(&b, c->new_text);
                sb_puts(&b, "\n\n");
                continue;
            }
            if (c->old_text) {
                sb_puts(&b, c->kind == CH_REMOVED ? "- **Taken out:** " : "- **Was:** ");
                md_esc(&b, c->old_text);
                sb_puts(&b, "\n");
            }
            if (c->new_text) {
                sb_puts(&b, c->kind == CH_ADDED ? "- **Put in:** " : "- **Now:** ");
                md_esc(&b, c->new_text);
                sb_puts(&b, "\n");
            }
            if (c->old_text && c->new_text && strcmp(c->old_text, c->new_text) != 0) {
                sb_puts(&b, "- **Change:** ");
                put_words(&b, &c->words, &st);
                sb_puts(&b, "\n");
            }
            if (c->nbecause) {
                sb_puts(&b, "- **Because of:**");
                for (size_t q = 0; q < c->nbecause; q++)
                    sb_printf(&b, "%s `%s`", q ? "," : "", c->because[q]);
                sb_puts(&b, "\n");
            }
            sb_puts(&b, "\n");
        }
    }
    return b.data;
}

/* ------------------------------------------------------------------ */
/* HTML */

static void html_esc(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '\'': sb_puts(b, "&#39;"); break;
        default: sb_add(b, s, 1);
        }
    }
}

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
    const word_style st = {"<del>", "</del>", "<ins>", "</ins>", html_esc};
    strbuf b = {0};
    sb_puts(&b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>Changes: ");
    html_esc(&b, r->new_side.setting ? r->new_side.setting : r->new_side.file);
    sb_printf(&b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", html_style);
    sb_puts(&b, "<h1>Changes to the acceptable use policies</h1>\n<dl>\n<dt>Old</dt><dd>");
    strbuf t = {0};
    side_line(&t, &r->old_side);
    html_esc(&b, t.data);
    sb_free(&t);
    sb_puts(&b, "</dd>\n<dt>New</dt><dd>");
    side_line(&t, &r->new_side);
    html_esc(&b, t.data);
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
        html_esc(&b, a->label);
        sb_puts(&b, " (<code>");
        html_esc(&b, a->id);
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
            html_esc(&b, s->label);
            sb_puts(&b, ":</strong> ");
            if (!strcmp(s->verdict, "kept")) {
                html_esc(&b, or_none(s->new_value));
                sb_puts(&b, " (kept)");
            } else {
                sb_puts(&b, "<del>");
                html_esc(&b, or_none(s->old_value));
                sb_puts(&b, "</del> <ins>");
                html_esc(&b, or_none(s->new_value));
                sb_printf(&b, "</ins> (%s)", verdict_words(s->verdict));
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
            html_esc(&b, s->label);
            sb_puts(&b, "</strong> (<code>");
            html_esc(&b, s->key);
            sb_puts(&b, "</code>): ");
            if (s->old_value) {
                sb_puts(&b, "<del>");
                html_esc(&b, s->old_value);
                sb_puts(&b, "</del> ");
            }
            if (s->new_value) {
                sb_puts(&b, "<ins>");
                html_esc(&b, s->new_value);
                sb_puts(&b, "</ins>");
            }
            if (has_effect(s, true)) {
                sb_puts(&b, "<br>Brought in: ");
                effects_line(&b, s, true, html_esc);
            }
            if (has_effect(s, false)) {
                sb_puts(&b, "<br>Took out: ");
                effects_line(&b, s, false, html_esc);
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
        html_esc(&b, a->label);
        sb_puts(&b, " (<code>");
        html_esc(&b, a->id);
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
            change_where(&b, c, html_esc);
            sb_puts(&b, "</h3>\n<p>");
            if (c->kind == CH_ADDED) {
                sb_puts(&b, "<ins>");
                html_esc(&b, c->new_text);
                sb_puts(&b, "</ins>");
            } else if (c->kind == CH_REMOVED) {
                sb_puts(&b, "<del>");
                html_esc(&b, c->old_text);
                sb_puts(&b, "</del>");
            } else {
                put_words(&b, &c->words, &st);
            }
            sb_puts(&b, "</p>\n");
            if (c->nbecause) {
                sb_puts(&b, "<p class=\"why\">Because of:");
                for (size_t q = 0; q < c->nbecause; q++) {
                    sb_puts(&b, q ? ", <code>" : " <code>");
                    html_esc(&b, c->because[q]);
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

/* ------------------------------------------------------------------ */
/* JSON */

static void js(strbuf *b, const char *s)
{
    if (!s) {
        sb_puts(b, "null");
        return;
    }
    sb_puts(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else if (c == '\n')
            sb_puts(b, "\\n");
        else if (c == '\t')
            sb_puts(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            sb_printf(b, "\\u%04x", c);
        else
            sb_add(b, s, 1);
    }
    sb_puts(b, "\"");
}

static void js_date(strbuf *b, aupc_date d)
{
    char buf[16];
    if (!d.year) {
        sb_puts(b, "null");
        return;
    }
    profile_date_iso(d, buf, sizeof buf);
    js(b, buf);
}

static void js_side(strbuf *b, const char *name, const diff_side *s)
{
    sb_printf(b, "  \"%s\": {\"file\": ", name);
    js(b, s->file);
    sb_puts(b, ", \"setting\": ");
    js(b, s->setting);
    sb_puts(b, ", \"version\": ");
    js(b, s->version);
    sb_puts(b, ", \"approved\": ");
    js_date(b, s->approved);
    sb_puts(b, ", \"next_review\": ");
    js_date(b, s->next_review);
    sb_puts(b, "},\n");
}

static void js_settings(strbuf *b, const diff_setting *s, size_t n, bool effects)
{
    sb_puts(b, n ? "[\n" : "[]");
    for (size_t i = 0; i < n; i++) {
        sb_puts(b, "    {\"key\": ");
        js(b, s[i].key);
        sb_puts(b, ", \"label\": ");
        js(b, s[i].label);
        sb_puts(b, ", \"old\": ");
        js(b, s[i].old_value);
        sb_puts(b, ", \"new\": ");
        js(b, s[i].new_value);
        sb_puts(b, ", \"verdict\": ");
        js(b, s[i].verdict);
        if (effects) {
            sb_puts(b, ", \"effects\": [");
            for (size_t k = 0; k < s[i].neffects; k++) {
                sb_puts(b, k ? ", {\"audience\": " : "{\"audience\": ");
                js(b, s[i].effects[k].audience);
                sb_puts(b, ", \"statement\": ");
                js(b, s[i].effects[k].statement);
                sb_printf(b, ", \"change\": \"%s\"}", s[i].effects[k].added ? "added" : "removed");
            }
            sb_puts(b, "]");
        }
        sb_puts(b, i + 1 < n ? "},\n" : "}\n  ]");
    }
}

static void js_int_or_null(strbuf *b, int v)
{
    if (v)
        sb_printf(b, "%d", v);
    else
        sb_puts(b, "null");
}

char *diff_render_json(const diff_result *r, const diff_render_opts *o)
{
    static const char *const ops[] = {"same", "del", "ins"};
    strbuf b = {0};
    size_t tot[CH_KIND_COUNT];
    diff_totals(r, tot);
    sb_printf(&b, "{\n  \"version\": 1,\n  \"mode\": \"%s\",\n  \"identical\": %s,\n",
              r->mode == DIFF_PROFILES ? "profiles" : "drafts",
              diff_identical(r) ? "true" : "false");
    js_side(&b, "old", &r->old_side);
    js_side(&b, "new", &r->new_side);
    sb_printf(&b, "  \"summary\": {\"audiences\": %zu, \"added\": %zu, \"removed\": %zu, "
                  "\"reworded\": %zu, \"moved\": %zu, \"settings\": %zu},\n",
              r->naudiences, tot[CH_ADDED], tot[CH_REMOVED], tot[CH_REWORDED], tot[CH_MOVED],
              r->nsettings);
    sb_puts(&b, "  \"review\": ");
    js_settings(&b, r->review, r->nreview, false);
    sb_puts(&b, ",\n  \"settings\": ");
    js_settings(&b, r->settings, r->nsettings, true);
    sb_puts(&b, ",\n  \"audiences\": [");
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        sb_puts(&b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        js(&b, a->id);
        sb_puts(&b, ", \"label\": ");
        js(&b, a->label);
        sb_printf(&b, ", \"status\": \"%s\",\n     \"counts\": {\"added\": %zu, \"removed\": %zu, "
                      "\"reworded\": %zu, \"moved\": %zu}",
                  diff_audience_status_name(a->status), a->counts[CH_ADDED],
                  a->counts[CH_REMOVED], a->counts[CH_REWORDED], a->counts[CH_MOVED]);
        if (!o->stat) {
            sb_puts(&b, ",\n     \"changes\": [");
            for (size_t k = 0; k < a->count; k++) {
                const diff_change *c = &a->changes[k];
                sb_printf(&b, "%s\n       {\"kind\": \"%s\", \"statement\": ", k ? "," : "",
                          diff_change_kind_name(c->kind));
                js(&b, c->statement);
                sb_puts(&b, ", \"block\": ");
                js(&b, c->block);
                sb_puts(&b, ", \"section\": ");
                js(&b, c->section);
                sb_puts(&b, ", \"old_line\": ");
                js_int_or_null(&b, c->old_line);
                sb_puts(&b, ", \"new_line\": ");
                js_int_or_null(&b, c->new_line);
                sb_puts(&b, ",\n        \"old\": ");
                js(&b, c->old_text);
                sb_puts(&b, ",\n        \"new\": ");
                js(&b, c->new_text);
                sb_puts(&b, ",\n        \"because\": [");
                for (size_t q = 0; q < c->nbecause; q++) {
                    sb_puts(&b, q ? ", " : "");
                    js(&b, c->because[q]);
                }
                sb_puts(&b, "],\n        \"words\": [");
                for (size_t q = 0; q < c->words.count; q++) {
                    const diff_seg *s = &c->words.segs[q];
                    sb_printf(&b, "%s{\"op\": \"%s\", \"text\": ", q ? ", " : "", ops[s->kind]);
                    js(&b, s->text);
                    sb_printf(&b, ", \"space\": %s}", s->space_before ? "true" : "false");
                }
                sb_puts(&b, "]}");
            }
            sb_puts(&b, a->count ? "\n     ]" : "]");
        }
        sb_puts(&b, "}");
    }
    sb_puts(&b, r->naudiences ? "\n  ]\n}\n" : "]\n}\n");
    return b.data;
}

/* ------------------------------------------------------------------ */
/* PDF: an A4 redline. The pages are laid out first as a list of drawing
 * operations, so the footer can say "page N of M", then drawn. */

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 56.0
#define BODY 10.0
#define LEADING 13.5

enum { DECO_NONE, DECO_DEL, DECO_INS };

typedef struct {
    int page;
    int kind;            /* 0 text, 1 line, 2 filled rectangle */
    double x, y, w, h;
    int font;
    double size;
    double r, g, b;
    int deco;
    char *text;          /* encoded */
} pdf_op;

typedef struct {
    layout_fonts f;
    pdf_op *ops;
    size_t nops;
    int page;            /* current page, 1-based */
    double y;            /* baseline of the next line */
} pdf_ctx;

static pdf_op *op_add(pdf_ctx *c, int kind)
{
    c->ops = xrealloc(c->ops, (c->nops + 1) * sizeof *c->ops);
    pdf_op *o = &c->ops[c->nops++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->page = c->page;
    return o;
}

static void new_page(pdf_ctx *c)
{
    c->page++;
    c->y = PAGE_H - MARGIN;
}

static void need(pdf_ctx *c, double h)
{
    if (c->y - h < MARGIN + 20)
        new_page(c);
}

static const double colours[3][3] = {{0, 0, 0}, {0.72, 0.05, 0.05}, {0.0, 0.42, 0.12}};

/* One run of text, wrapped at the margin: words of style DECO in FONT. */
typedef struct {
    const char *text;
    int font, deco;
    bool space_before;
} run;

static void put_runs(pdf_ctx *c, const run *runs, size_t n, double indent, double size,
                     double leading)
{
    double left = MARGIN + indent, right = PAGE_W - MARGIN, x = left;
    double space = layout_width(&c->f, FONT_REGULAR, size, " ", 1);
    need(c, leading);
    bool line_start = true;
    for (size_t i = 0; i < n; i++) {
        char *enc = layout_encode(&c->f, runs[i].text);
        bool first = true;
        for (char *p = enc; *p;) {
            bool sp = first ? runs[i].space_before : false;
            while (*p == ' ')
                p++, sp = true;
            if (!*p)
                break;
            size_t len = strcspn(p, " ");
            double w = layout_width(&c->f, runs[i].font, size, p, len);
            /* A word longer than the line is cut where it must be. */
            while (w > right - left && len > 1) {
                len--;
                w = layout_width(&c->f, runs[i].font, size, p, len);
            }
            double gap = line_start ? 0 : (sp ? space : 0);
            if (!line_start && x + gap + w > right) {
                c->y -= leading;
                need(c, leading);
                x = left, gap = 0;
            }
            const double *col = colours[runs[i].deco];
            if (gap > 0 && runs[i].deco != DECO_NONE && !first) {
                /* Keep the line continuous across a space inside a run. */
                pdf_op *g = op_add(c, 1);
                g->x = x, g->w = gap, g->size = size, g->deco = runs[i].deco;
                g->y = c->y, g->r = col[0], g->g = col[1], g->b = col[2];
            }
            x += gap;
            pdf_op *o = op_add(c, 0);
            o->x = x, o->y = c->y, o->w = w, o->font = runs[i].font, o->size = size;
            o->r = col[0], o->g = col[1], o->b = col[2], o->deco = runs[i].deco;
            o->text = xstrndup(p, len);
            x += w;
            p += len;
            line_start = false;
            first = false;
        }
        free(enc);
    }
    c->y -= leading;
}

static void put_text(pdf_ctx *c, const char *text, int font, double size, double indent,
                     int deco)
{
    run r = {text, font, deco, false};
    put_runs(c, &r, 1, indent, size, size * 1.35);
}

static void put_heading(pdf_ctx *c, const char *text, double size)
{
    need(c, size * 1.4 + 3 * LEADING);
    c->y -= size * 0.7;
    put_text(c, text, FONT_BOLD, size, 0, DECO_NONE);
    c->y -= 2;
}

static void put_rule(pdf_ctx *c, double x, double y, double w, double grey)
{
    pdf_op *o = op_add(c, 1);
    o->x = x, o->y = y, o->w = w, o->size = 0, o->r = o->g = o->b = grey;
}

static void put_bar(pdf_ctx *c, double x, double y, double w, double h, double grey)
{
    pdf_op *o = op_add(c, 2);
    o->x = x, o->y = y, o->w = w, o->h = h, o->r = o->g = o->b = grey;
}

static void put_cell(pdf_ctx *c, const char *text, int font, double x, double y, double maxw,
                     bool right_align)
{
    char *enc = layout_encode(&c->f, text);
    size_t len = strlen(enc);
    double w = layout_width(&c->f, font, BODY - 1, enc, len);
    char *shown = xstrdup(enc);
    if (w > maxw) {
        /* Too long for the column: cut it and say so. */
        double dots = layout_width(&c->f, font, BODY - 1, "...", 3);
        while (len > 1 && (w = layout_width(&c->f, font, BODY - 1, enc, len)) + dots > maxw)
            len--;
        free(shown);
        shown = xasprintf("%.*s...", (int)len, enc);
        w += dots;
    }
    pdf_op *o = op_add(c, 0);
    o->x = right_align ? x + maxw - w : x, o->y = y, o->w = w, o->font = font, o->size = BODY - 1;
    o->text = shown;
    free(enc);
}

static void summary_table(pdf_ctx *c, const diff_result *r)
{
    static const char *const head[] = {"Audience", "Document", "Added", "Removed", "Reworded",
                                       "Moved"};
    const double width = PAGE_W - 2 * MARGIN;
    const double colx[] = {0, 0.46, 0.58, 0.67, 0.79, 0.91};
    const double row = 16;
    need(c, row * 3);
    put_bar(c, MARGIN, c->y - 4.5, width, row, 0.88);
    for (int k = 0; k < 6; k++) {
        double x = MARGIN + 4 + colx[k] * width;
        double next = k < 5 ? MARGIN + colx[k + 1] * width : MARGIN + width - 4;
        put_cell(c, head[k], FONT_BOLD, x, c->y, next - x - 4, k >= 2);
    }
    c->y -= row;
    size_t tot[CH_KIND_COUNT];
    diff_totals(r, tot);
    for (size_t i = 0; i <= r->naudiences; i++) {
        need(c, row);
        const diff_audience *a = i < r->naudiences ? &r->audiences[i] : NULL;
        const size_t *n = a ? a->counts : tot;
        char cells[6][160];
        bool two = false;
        if (a) {
            snprintf(cells[0], sizeof cells[0], "%s (%s)", a->label, a->id);
            char *enc = layout_encode(&c->f, cells[0]);
            /* A long label puts the id on a line of its own. */
            two = layout_width(&c->f, FONT_REGULAR, BODY - 1, enc, strlen(enc)) >
                  colx[1] * width - 8;
            free(enc);
            if (two) {
                need(c, 2 * row);
                snprintf(cells[0], sizeof cells[0], "%s", a->label);
                char id[64];
                snprintf(id, sizeof id, "(%s)", a->id);
                put_cell(c, id, FONT_REGULAR, MARGIN + 4, c->y - (BODY + 1), colx[1] * width - 8,
                         false);
            }
        } else {
            snprintf(cells[0], sizeof cells[0], "Total");
        }
        snprintf(cells[1], sizeof cells[1], "%s", a ? diff_audience_status_name(a->status) : "");
        snprintf(cells[2], sizeof cells[2], "%zu", n[CH_ADDED]);
        snprintf(cells[3], sizeof cells[3], "%zu", n[CH_REMOVED]);
        snprintf(cells[4], sizeof cells[4], "%zu", n[CH_REWORDED]);
        snprintf(cells[5], sizeof cells[5], "%zu", n[CH_MOVED]);
        for (int k = 0; k < 6; k++) {
            double x = MARGIN + 4 + colx[k] * width;
            double next = k < 5 ? MARGIN + colx[k + 1] * width : MARGIN + width - 4;
            put_cell(c, cells[k], a ? FONT_REGULAR : FONT_BOLD, x, c->y, next - x - 4, k >= 2);
        }
        if (two)
            c->y -= BODY + 1;
        put_rule(c, MARGIN, c->y - 5, width, 0.6);
        c->y -= row;
    }
    c->y -= 4;
    if (r->mode == DIFF_PROFILES) {
        char line[64];
        snprintf(line, sizeof line, "Settings changed: %zu.", r->nsettings);
        put_text(c, line, FONT_REGULAR, BODY, 0, DECO_NONE);
    }
}

static void words_runs(const word_diff *w, run **out, size_t *n)
{
    *out = xcalloc(w->count + 1, sizeof **out);
    *n = w->count;
    for (size_t i = 0; i < w->count; i++) {
        const diff_seg *s = &w->segs[i];
        (*out)[i] = (run){s->text, s->kind == SEG_SAME ? FONT_REGULAR : FONT_BOLD,
                          s->kind == SEG_DEL ? DECO_DEL : s->kind == SEG_INS ? DECO_INS : DECO_NONE,
                          i > 0 && (s->space_before ||
                                    (s->kind == SEG_INS && w->segs[i - 1].kind == SEG_DEL))};
    }
}

static void collect_text(strbuf *all, const diff_result *r)
{
    const diff_side *sides[] = {&r->old_side, &r->new_side};
    for (int i = 0; i < 2; i++) {
        sb_puts(all, sides[i]->file);
        sb_puts(all, sides[i]->setting ? sides[i]->setting : "");
        sb_puts(all, sides[i]->version ? sides[i]->version : "");
    }
    const diff_setting *lists[] = {r->review, r->settings};
    size_t counts[] = {r->nreview, r->nsettings};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const diff_setting *s = &lists[l][i];
            sb_puts(all, s->label);
            sb_puts(all, s->old_value ? s->old_value : "");
            sb_puts(all, s->new_value ? s->new_value : "");
        }
    for (size_t i = 0; i < r->naudiences; i++) {
        sb_puts(all, r->audiences[i].label);
        for (size_t k = 0; k < r->audiences[i].count; k++) {
            const diff_change *c = &r->audiences[i].changes[k];
            sb_puts(all, c->section ? c->section : "");
            sb_puts(all, c->old_text ? c->old_text : "");
            sb_puts(all, c->new_text ? c->new_text : "");
        }
    }
}

static void layout_redline(pdf_ctx *c, const diff_result *r, const diff_render_opts *o)
{
    new_page(c);
    put_text(c, "Changes to the acceptable use policies", FONT_BOLD, 18, 0, DECO_NONE);
    c->y -= 4;
    strbuf t = {0};
    sb_puts(&t, "Old: ");
    side_line(&t, &r->old_side);
    put_text(c, t.data, FONT_REGULAR, BODY, 0, DECO_NONE);
    sb_free(&t);
    sb_puts(&t, "New: ");
    side_line(&t, &r->new_side);
    put_text(c, t.data, FONT_REGULAR, BODY, 0, DECO_NONE);
    sb_free(&t);
    if (diff_identical(r)) {
        c->y -= 6;
        put_text(c, "No changes.", FONT_BOLD, BODY + 2, 0, DECO_NONE);
        return;
    }
    c->y -= 4;
    run legend[] = {{"Key:", FONT_BOLD, DECO_NONE, false},
                    {"words taken out", FONT_BOLD, DECO_DEL, true},
                    {"are struck through in red;", FONT_REGULAR, DECO_NONE, true},
                    {"words put in", FONT_BOLD, DECO_INS, true},
                    {"are underlined in green.", FONT_REGULAR, DECO_NONE, true}};
    put_runs(c, legend, 5, 0, BODY, LEADING);
    put_heading(c, "Summary", 13);
    summary_table(c, r);
    if (o->stat)
        return;
    if (r->nreview) {
        put_heading(c, "Review", 13);
        for (size_t i = 0; i < r->nreview; i++) {
            const diff_setting *s = &r->review[i];
            char *label = xasprintf("%s:", s->label);
            char *verdict = xasprintf("(%s)", verdict_words(s->verdict));
            bool kept = !strcmp(s->verdict, "kept");
            run rs[] = {{label, FONT_BOLD, DECO_NONE, false},
                        {or_none(kept ? s->new_value : s->old_value), FONT_REGULAR,
                         kept ? DECO_NONE : DECO_DEL, true},
                        {or_none(s->new_value), FONT_REGULAR, DECO_INS, true},
                        {verdict, FONT_REGULAR, DECO_NONE, true}};
            if (kept)
                rs[2] = rs[3];
            put_runs(c, rs, kept ? 3 : 4, 0, BODY, LEADING);
            free(label);
            free(verdict);
        }
    }
    if (r->nsettings) {
        put_heading(c, "Settings changed", 13);
        for (size_t i = 0; i < r->nsettings; i++) {
            const diff_setting *s = &r->settings[i];
            need(c, 2 * LEADING);
            put_text(c, s->label, FONT_BOLD, BODY, 0, DECO_NONE);
            if (s->old_value && s->new_value) {
                word_diff w;
                word_diff_compute(s->old_value, s->new_value, &w);
                run *rs;
                size_t n;
                words_runs(&w, &rs, &n);
                put_runs(c, rs, n, 12, BODY, LEADING);
                free(rs);
                word_diff_free(&w);
            } else {
                run r1 = {s->old_value ? s->old_value : s->new_value, FONT_REGULAR,
                          s->old_value ? DECO_DEL : DECO_INS, false};
                put_runs(c, &r1, 1, 12, BODY, LEADING);
            }
            for (int added = 1; added >= 0; added--) {
                if (!has_effect(s, added))
                    continue;
                strbuf e = {0};
                sb_puts(&e, added ? "Brought in: " : "Took out: ");
                effects_line(&e, s, added, plain);
                put_text(c, e.data, FONT_ITALIC, BODY - 1, 12, DECO_NONE);
                sb_free(&e);
            }
            c->y -= 3;
        }
    }
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        if (a->status == AUDIENCE_SAME)
            continue;
        char *h = xasprintf("%s (%s)", a->label, a->id);
        put_heading(c, h, 13);
        free(h);
        if (a->status != AUDIENCE_CHANGED)
            put_text(c, a->status == AUDIENCE_ADDED ? "A new document for this audience."
                                                    : "This audience no longer gets a document.",
                     FONT_REGULAR, BODY, 0, DECO_NONE);
        for (size_t k = 0; k < a->count; k++) {
            const diff_change *ch = &a->changes[k];
            strbuf hd = {0};
            sb_printf(&hd, "%c%s: ", diff_change_kind_name(ch->kind)[0] - 'a' + 'A',
                      diff_change_kind_name(ch->kind) + 1);
            change_where(&hd, ch, plain);
            need(c, 3 * LEADING);
            c->y -= 3;
            put_text(c, hd.data, FONT_BOLD, BODY - 1, 0, DECO_NONE);
            sb_free(&hd);
            if (ch->kind == CH_ADDED || ch->kind == CH_REMOVED) {
                bool add = ch->kind == CH_ADDED;
                put_text(c, add ? ch->new_text : ch->old_text, FONT_REGULAR, BODY, 12,
                         add ? DECO_INS : DECO_DEL);
            } else {
                run *rs;
                size_t n;
                words_runs(&ch->words, &rs, &n);
                put_runs(c, rs, n, 12, BODY, LEADING);
                free(rs);
            }
            if (ch->nbecause) {
                strbuf w = {0};
                sb_puts(&w, "Because of:");
                for (size_t q = 0; q < ch->nbecause; q++)
                    sb_printf(&w, "%s %s", q ? "," : "", ch->because[q]);
                put_text(c, w.data, FONT_ITALIC, BODY - 1, 12, DECO_NONE);
                sb_free(&w);
            }
        }
    }
}

/* The first libharu failure, remembered: its errors are sticky. */
typedef struct {
    HPDF_STATUS code, detail;
} hpdf_status;

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    hpdf_status *e = data;
    if (!e->code)
        e->code = code, e->detail = detail;
}

#define CK(call)                                                                               \
    do {                                                                                       \
        HPDF_STATUS st_ = (call);                                                              \
        if (st_ != HPDF_OK && !e->code)                                                        \
            e->code = st_;                                                                     \
    } while (0)

static void draw_op(HPDF_Page pg, pdf_ctx *c, const pdf_op *o, hpdf_status *e)
{
    if (o->kind == 2) {
        CK(HPDF_Page_SetRGBFill(pg, (HPDF_REAL)o->r, (HPDF_REAL)o->g, (HPDF_REAL)o->b));
        CK(HPDF_Page_Rectangle(pg, (HPDF_REAL)o->x, (HPDF_REAL)o->y, (HPDF_REAL)o->w,
                               (HPDF_REAL)o->h));
        CK(HPDF_Page_Fill(pg));
        return;
    }
    if (o->kind == 0) {
        HPDF_Font font = layout_font(&c->f, o->font);
        if (!font) {
            if (!e->code)
                e->code = HPDF_INVALID_FONT;
            return;
        }
        CK(HPDF_Page_SetRGBFill(pg, (HPDF_REAL)o->r, (HPDF_REAL)o->g, (HPDF_REAL)o->b));
        CK(HPDF_Page_BeginText(pg));
        layout_show(&c->f, pg, o->font, o->size, o->x, o->y, o->text);
        CK(HPDF_Page_EndText(pg));
    }
    /* Rules, and the decoration under or through a word. */
    double y = o->y, lw = 0.5;
    if (o->kind == 1 && o->deco == DECO_NONE)
        lw = 0.4;
    else if (o->deco == DECO_DEL)
        y = o->y + o->size * 0.3, lw = 0.8;
    else if (o->deco == DECO_INS)
        y = o->y - o->size * 0.15, lw = 0.8;
    else
        return;
    CK(HPDF_Page_SetRGBStroke(pg, (HPDF_REAL)o->r, (HPDF_REAL)o->g, (HPDF_REAL)o->b));
    CK(HPDF_Page_SetLineWidth(pg, (HPDF_REAL)lw));
    CK(HPDF_Page_MoveTo(pg, (HPDF_REAL)o->x, (HPDF_REAL)y));
    CK(HPDF_Page_LineTo(pg, (HPDF_REAL)(o->x + o->w), (HPDF_REAL)y));
    CK(HPDF_Page_Stroke(pg));
}

int diff_render_pdf(const diff_result *r, const diff_render_opts *o, strbuf *out,
                    diag_list *diags)
{
    hpdf_status st = {0}, *e = &st;
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &st);
    if (!pdf) {
        diag_add(diags, DIAG_ERROR, r->new_side.file, 0, 0, NULL,
                 "cannot make the PDF: libharu could not start");
        return -1;
    }
    CK(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL));
    /* Choose Helvetica or the embedded family from every string shown. */
    strbuf all = {0};
    collect_text(&all, r);
    document probe = {0};
    probe.title = all.data;
    pdf_ctx c = {0};
    layout_fonts_init(&c.f, pdf, &probe, NULL);
    layout_redline(&c, r, o);
    sb_free(&all);

    int pages = c.page;
    char *title = layout_encode(&c.f, "Changes to the acceptable use policies");
    for (int p = 1; p <= pages && !st.code && !c.f.failed; p++) {
        HPDF_Page pg = HPDF_AddPage(pdf);
        if (!pg) {
            if (!st.code)
                st.code = HPDF_INVALID_PAGE;
            break;
        }
        CK(HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT));
        for (size_t i = 0; i < c.nops; i++)
            if (c.ops[i].page == p)
                draw_op(pg, &c, &c.ops[i], e);
        char foot[64];
        snprintf(foot, sizeof foot, "Page %d of %d", p, pages);
        HPDF_Font font = layout_font(&c.f, FONT_REGULAR);
        if (font) {
            CK(HPDF_Page_SetRGBFill(pg, 0.35f, 0.35f, 0.35f));
            CK(HPDF_Page_BeginText(pg));
            layout_show(&c.f, pg, FONT_REGULAR, 8, MARGIN, MARGIN - 24, title);
            double w = layout_width(&c.f, FONT_REGULAR, 8, foot, strlen(foot));
            layout_show(&c.f, pg, FONT_REGULAR, 8, PAGE_W - MARGIN - w, MARGIN - 24, foot);
            CK(HPDF_Page_EndText(pg));
        }
    }
    free(title);
    CK(HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "aupc " AUPC_VERSION));
    if (!c.f.utf8)
        CK(HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "Changes to the acceptable use policies"));
    if (r->new_side.approved.year) {
        HPDF_Date d = {0};
        d.ind = 'Z';
        d.year = r->new_side.approved.year;
        d.month = r->new_side.approved.month;
        d.day = r->new_side.approved.day;
        CK(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d));
        CK(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d));
    }
    int rc = 0;
    if (!st.code && !c.f.failed && HPDF_SaveToStream(pdf) == HPDF_OK && !st.code) {
        HPDF_UINT32 size = HPDF_GetStreamSize(pdf), got = size;
        unsigned char *buf = xmalloc(size ? size : 1);
        HPDF_STATUS s = HPDF_ReadFromStream(pdf, buf, &got);
        /* Reading to the very end reports end-of-stream: not an error here. */
        if (s == HPDF_STREAM_EOF || st.code == HPDF_STREAM_EOF)
            HPDF_ResetError(pdf), st.code = 0, s = HPDF_OK;
        if (s == HPDF_OK && got == size)
            sb_add(out, (const char *)buf, size);
        else
            rc = -1;
        free(buf);
    } else {
        rc = -1;
    }
    if (rc != 0) {
        if (c.f.failed)
            diag_add(diags, DIAG_ERROR, r->new_side.file, 0, 0, NULL, "cannot load font '%s'",
                     c.f.failed);
        else
            diag_add(diags, DIAG_ERROR, r->new_side.file, 0, 0, NULL,
                     "cannot make the PDF: libharu error 0x%04lX (detail %lu)",
                     (unsigned long)st.code, (unsigned long)st.detail);
    }
    for (size_t i = 0; i < c.nops; i++)
        free(c.ops[i].text);
    free(c.ops);
    HPDF_Free(pdf);
    return rc;
}
