/* diff_render_text: a change set as plain text for a terminal, with ANSI
 * colours when asked or [-old-]{+new+} marks. */
#include "diff_render.h"

#include <stdlib.h>
#include <string.h>

char *diff_render_text(const diff_result *r, const diff_render_opts *o)
{
    const diff_render_style st = o->colour
        ? (diff_render_style){"\033[9;31m", "\033[0m", "\033[4;32m", "\033[0m",
                              diff_render_plain, false}
        : (diff_render_style){"[-", "-]", "{+", "+}", diff_render_plain, false};
    strbuf b = {0};
    sb_puts(&b, "aupc diff: ");
    diff_render_side(&b, &r->old_side);
    sb_puts(&b, "\n        to ");
    diff_render_side(&b, &r->new_side);
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
            diff_render_counts(&b, a->counts);
            sb_puts(&b, "\n");
        }
        sb_printf(&b, "total: ");
        diff_render_counts(&b, tot);
        sb_printf(&b, "; %zu settings changed\n", r->nsettings);
        return b.data;
    }
    if (r->nreview) {
        sb_puts(&b, "\nReview\n");
        for (size_t i = 0; i < r->nreview; i++) {
            const diff_setting *s = &r->review[i];
            if (!strcmp(s->verdict, "kept"))
                sb_printf(&b, "  %s: %s (kept)\n", s->label, diff_render_or_none(s->new_value));
            else
                sb_printf(&b, "  %s: %s -> %s (%s)\n", s->label, diff_render_or_none(s->old_value),
                          diff_render_or_none(s->new_value), diff_render_verdict(s->verdict));
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
            if (diff_render_has_effect(s, true)) {
                sb_puts(&b, "    brought in: ");
                diff_render_effects(&b, s, true, diff_render_plain);
                sb_puts(&b, "\n");
            }
            if (diff_render_has_effect(s, false)) {
                sb_puts(&b, "    took out: ");
                diff_render_effects(&b, s, false, diff_render_plain);
                sb_puts(&b, "\n");
            }
        }
    }
    sb_puts(&b, "\nAudiences\n");
    for (size_t i = 0; i < r->naudiences; i++) {
        const diff_audience *a = &r->audiences[i];
        sb_printf(&b, "  %-16s %-9s ", a->id, diff_audience_status_name(a->status));
        diff_render_counts(&b, a->counts);
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
            diff_render_where(&b, c, diff_render_plain);
            sb_puts(&b, "\n    ");
            if (c->kind == CH_ADDED)
                sb_printf(&b, "%s%s%s", st.ins_open, c->new_text, st.ins_close);
            else if (c->kind == CH_REMOVED)
                sb_printf(&b, "%s%s%s", st.del_open, c->old_text, st.del_close);
            else
                diff_render_words(&b, &c->words, &st);
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
