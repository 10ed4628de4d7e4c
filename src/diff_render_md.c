/* diff_render_md: a change set as Markdown, for a governors' paper. */
#include "diff_render.h"

#include <stdlib.h>
#include <string.h>

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
    const diff_render_style st = {"[-", "-]", "{+", "+}", md_esc, false};
    strbuf b = {0};
    sb_puts(&b, "# Changes to the acceptable use policies\n\n");
    sb_puts(&b, "- **Old:** ");
    strbuf t = {0};
    diff_render_side(&t, &r->old_side);
    md_esc(&b, t.data);
    sb_free(&t);
    sb_puts(&b, "\n- **New:** ");
    diff_render_side(&t, &r->new_side);
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
                md_esc(&b, diff_render_or_none(s->new_value));
                sb_puts(&b, " (kept)\n");
            } else {
                sb_puts(&b, "was ");
                md_esc(&b, diff_render_or_none(s->old_value));
                sb_puts(&b, ", now ");
                md_esc(&b, diff_render_or_none(s->new_value));
                sb_printf(&b, " (%s)\n", diff_render_verdict(s->verdict));
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
            if (diff_render_has_effect(s, true)) {
                sb_puts(&b, "  - Brought in: ");
                diff_render_effects(&b, s, true, md_esc);
                sb_puts(&b, "\n");
            }
            if (diff_render_has_effect(s, false)) {
                sb_puts(&b, "  - Took out: ");
                diff_render_effects(&b, s, false, md_esc);
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
            diff_render_where(&b, c, md_esc);
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
                diff_render_words(&b, &c->words, &st);
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
