/* diff_render: what the writers of aupc diff's outputs share (one file per
 * format: diff_render_text.c, _md.c, _html.c, _json.c and _pdf.c). */
#include "diff_render.h"

#include <string.h>

const char *diff_render_or_none(const char *s)
{
    return s ? s : "(none)";
}

const char *diff_render_verdict(const char *v)
{
    if (!strcmp(v, "moved-on")) return "moved on";
    if (!strcmp(v, "moved-back")) return "moved back";
    return v;
}

void diff_render_counts(strbuf *b, const size_t c[CH_KIND_COUNT])
{
    sb_printf(b, "%zu added, %zu removed, %zu reworded, %zu moved", c[CH_ADDED], c[CH_REMOVED],
              c[CH_REWORDED], c[CH_MOVED]);
}

void diff_render_plain(strbuf *b, const char *s)
{
    sb_puts(b, s);
}

void diff_render_words(strbuf *b, const word_diff *w, const diff_render_style *st)
{
    for (size_t i = 0; i < w->count; i++) {
        const diff_seg *s = &w->segs[i];
        if (i > 0 && (s->space_before ||
                      (st->space_del_ins && s->kind == SEG_INS && w->segs[i - 1].kind == SEG_DEL)))
            sb_puts(b, " ");
        if (s->kind == SEG_DEL) sb_puts(b, st->del_open);
        if (s->kind == SEG_INS) sb_puts(b, st->ins_open);
        st->escape(b, s->text);
        if (s->kind == SEG_DEL) sb_puts(b, st->del_close);
        if (s->kind == SEG_INS) sb_puts(b, st->ins_close);
    }
}

void diff_render_effects(strbuf *b, const diff_setting *s, bool added,
                         void (*esc)(strbuf *, const char *))
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

bool diff_render_has_effect(const diff_setting *s, bool added)
{
    for (size_t i = 0; i < s->neffects; i++)
        if (s->effects[i].added == added)
            return true;
    return false;
}

void diff_render_side(strbuf *b, const diff_side *s)
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

void diff_render_where(strbuf *b, const diff_change *c, void (*esc)(strbuf *, const char *))
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
