/* diff_render_json: a change set as JSON.
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

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"

static void js(strbuf *b, const char *s)
{
    if (s)
        esc_json(b, s);
    else
        sb_puts(b, "null");
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
