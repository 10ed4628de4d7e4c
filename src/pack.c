#include "pack.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "render_pdf.h"

/* ------------------------------------------------------------------ */
/* The home-school agreement */

static agreement_role role_of(const document *d)
{
    return audience_kind_at(d->kind)->agreement;
}

/* The parent document first (the standard one when both are asked for),
 * then the pupil's. */
size_t pack_agreement_parts(const profile *p, const doc_set *docs, const document *pupil,
                            const document ***out)
{
    *out = NULL;
    if (!pack_wants_agreement(p) || !pupil || role_of(pupil) != AGREEMENT_PART)
        return 0;
    const document *parent = NULL;
    for (size_t i = 0; i < docs->count; i++)
        if (role_of(docs->docs[i]) == AGREEMENT_COVER &&
            (!parent || (parent->reading == READING_EASY &&
                         docs->docs[i]->reading == READING_STANDARD)))
            parent = docs->docs[i];
    if (!parent)
        return 0;
    const document **parts = xcalloc(2, sizeof *parts);
    parts[0] = parent;
    parts[1] = pupil;
    *out = parts;
    return 2;
}

int pack_agreement(const profile *p, const doc_set *docs, const document *pupil,
                   const pdf_options *o, pdf_layouts *shared, strbuf *out, int *parts_first,
                   diag_list *diags)
{
    const document **parts;
    size_t n = pack_agreement_parts(p, docs, pupil, &parts);
    if (!n)
        return 0;
    pdf_book *b = pdf_book_new(parts, n, o);
    int rc = b ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int first = pdf_book_add(b, parts[i], true, shared, NULL, diags);
        if (first < 0)
            rc = first;
        else if (parts_first)
            parts_first[i] = first;
    }
    /* An even count, so that copies printed in one run never share a sheet. */
    if (rc == 0 && pdf_book_pages(b) % 2 == 1)
        rc = pdf_book_blank_page(b, diags);
    if (rc == 0) {
        char *title = xasprintf("Home\xE2\x80\x93school agreement: %s", p->name);
        rc = pdf_book_save(b, parts[0], title, out, diags);
        free(title);
    }
    pdf_book_free(b);
    free(parts);
    return rc == 0 ? (int)n : rc == LAYOUT_UNSHOWN ? rc : -1;
}

/* ------------------------------------------------------------------ */
/* Posters */

/* The poster's rules. A poster is read from across a room, so it carries
 * short forms of the rules that keep a child safe, in this order, an
 * "I will" and an "I will not" in turn: the first five whose statement the
 * audience's own document contains, so a poster never shows a rule the
 * policy lacks. A document with fewer than five of them is topped up with
 * the first sentences of its other core rules, then its other rules, in
 * library order. Young readers (early years, Key Stage 2, easy read) get
 * the first wording, older ones the second; the youngest get the third
 * where there is one, so a poster names the person their document does. */
static const struct {
    const char *id;
    const char *young, *older, *early;
} poster_priority[] = {
    {"report-worry", "I will tell an adult I trust if something online upsets me.",
     "I will tell a trusted adult if anything online worries me.",
     "I will tell a grown-up if something online upsets me."},
    {"no-bullying", "I will not say or send unkind things.",
     "I will not use any device to bully or harass anyone.", NULL},
    {"protect-logins", "I will keep my password secret.",
     "I will keep my passwords private and log out.", NULL},
    {"school-tech-personal-info", "I will not tell people online where I live.",
     "I will not share personal details with people I only know online.", NULL},
    {"report-misuse", "I will tell an adult if someone is unsafe online.",
     "I will report anything unsafe or unkind I see online.", NULL},
    {"respect-safeguards", "I will not try to get round the filters.",
     "I will not get round the filters or use another person's login.", NULL},
    {"images-ask-first", "I will ask before I take a photo of someone.",
     "I will ask before I take or share a photo of anyone.", NULL},
    {"school-tech-harmful", "I will not look for upsetting things.",
     "I will not look for or share harmful material.", NULL},
    {"own-use", "I will be safe, kind and sensible online.",
     "I will use technology safely, kindly and within the law.", NULL},
    {"reputation", "I will not post unkind things about others.",
     "I will not post untrue or unkind things about people here.", NULL},
};

static void plain(cmark_node *n, strbuf *sb)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
            sb_puts(sb, cmark_node_get_literal(k));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            sb_puts(sb, " ");
        else {
            if (t == CMARK_NODE_PARAGRAPH && sb->len)
                sb_puts(sb, " ");
            plain(k, sb);
        }
    }
}

/* The document's rule items (tagged list items), in document order. */
static size_t rule_items(const document *d, cmark_node ***out)
{
    size_t n = 0;
    *out = NULL;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        const doc_tag *t = ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_ITEM
                               ? document_tag_of(node) : NULL;
        if (t && t->kind == TAG_STATEMENT && t->stmt && (t->positive_rule || t->negative_rule)) {
            *out = xrealloc(*out, (n + 1) * sizeof **out);
            (*out)[n++] = node;
        }
    }
    cmark_iter_free(it);
    return n;
}

/* The first sentence of S, in place. */
static void first_sentence(char *s)
{
    for (char *p = s; *p; p++)
        if ((*p == '.' || *p == '!' || *p == '?') && (p[1] == ' ' || !p[1])) {
            p[1] = 0;
            return;
        }
}

/* Young children and easy-read readers get the simplest words. */
static bool young_reader(const document *d)
{
    return audience_for(d->kind, d->band)->young || d->reading == READING_EASY;
}

size_t pack_poster_rules(const document *d, char **rules, bool *positive, size_t max)
{
    cmark_node **items;
    size_t nitems = rule_items(d, &items), n = 0;
    bool *used = xcalloc(nitems + 1, sizeof *used);
    bool young = young_reader(d);
    /* Pass 0: the priority list; 1: other core rules; 2: any rule. */
    for (int pass = 0; pass < 3 && n < max; pass++) {
        size_t npri = pass == 0 ? sizeof poster_priority / sizeof *poster_priority : 1;
        for (size_t k = 0; k < npri && n < max; k++)
            for (size_t i = 0; i < nitems && n < max; i++) {
                const doc_tag *t = document_tag_of(items[i]);
                bool pick = pass == 0 ? !strcmp(t->stmt->id, poster_priority[k].id)
                          : pass == 1 ? t->stmt->core : true;
                if (!pick || used[i])
                    continue;
                used[i] = true;
                if (pass == 0) {
                    const char *early = d->band == BAND_EARLY ? poster_priority[k].early : NULL;
                    rules[n] = xstrdup(early ? early : young ? poster_priority[k].young
                                                             : poster_priority[k].older);
                } else {
                    strbuf sb = {0};
                    plain(items[i], &sb);
                    rules[n] = sb.data ? sb.data : xstrdup("");
                    first_sentence(rules[n]);
                }
                if (positive)
                    positive[n] = t->positive_rule;
                n++;
            }
    }
    free(used);
    free(items);
    return n;
}

typedef struct {
    char **lines;
    size_t n;
} wrapped;

static double rules_height(ts_fonts *f, char **rules, size_t n, double size, double w,
                           wrapped *out)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < out[i].n; k++)
            free(out[i].lines[k]);
        free(out[i].lines);
        out[i].n = ts_wrap(f, FONT_BOLD, size, rules[i], w, &out[i].lines);
        total += (double)out[i].n * 1.18 * size + (i ? 0.85 * size : 0);
    }
    return total;
}

static ts_op *text_op(layout *l, ts_fonts *f, const char *utf8, int font, double size,
                          double x, double y, double maxw, ts_role role)
{
    char *enc = ts_encode(f, utf8);
    double w = ts_width(f, font, size, enc, strlen(enc));
    /* A title that does not fit shrinks rather than running off the page. */
    if (w > maxw && w > 0) {
        size *= maxw / w;
        w = maxw;
    }
    ts_op *op = ts_push(&l->ops, TS_TEXT, x, y, w, 0);
    op->font = font, op->size = size, op->text = enc;
    op->elem = ts_tree_add(&l->tree, -1, role);
    return op;
}

const char *pack_poster_title(const document *d)
{
    return young_reader(d) ? "Our rules for staying safe online" : "Using technology safely";
}

void pack_poster_foot(const document *d, char *buf, size_t size)
{
    snprintf(buf, size, "From \xE2\x80\x9C%s\xE2\x80\x9D%s%s.",
             d->title ? d->title : "our acceptable use policy",
             d->version ? ", version " : "", d->version ? d->version : "");
}

int pack_poster(const document *d, const pdf_options *o, strbuf *out, diag_list *diags)
{
    const char *title = pack_poster_title(d);
    char *rules[5];
    bool positive[5];
    size_t n = pack_poster_rules(d, rules, positive, 5);
    char foot[512];
    pack_poster_foot(d, foot, sizeof foot);
    /* The fonts suit what the poster shows, not the whole document. */
    const char *shown[9] = {title, d->setting_name, d->audience_label, foot};
    for (size_t i = 0; i < n; i++)
        shown[4 + i] = rules[i];
    pdf_book *b = pdf_book_new_text(d, shown, 4 + n, o);
    if (!b) {
        for (size_t i = 0; i < n; i++)
            free(rules[i]);
        return -1;
    }
    ts_fonts *f = pdf_book_fonts(b);
    layout l;
    layout_init_page(&l);
    l.plain = true;
    const double band = 128, left = l.left, width = l.right - l.left;
    ts_op *op = ts_push(&l.ops, TS_BAR, 0, l.page_h - band, l.page_w, band);
    op->r = 0.09, op->g = 0.2, op->b = 0.38;
    op = text_op(&l, f, title, FONT_BOLD, 30, left, l.page_h - 62, width, TS_H1);
    op->r = op->g = op->b = 1.0;
    op = text_op(&l, f, d->setting_name ? d->setting_name : "", FONT_REGULAR, 17, left,
                 l.page_h - 92, width, TS_P);
    op->r = op->g = op->b = 1.0;
    op = text_op(&l, f, d->audience_label ? d->audience_label : "", FONT_REGULAR, 12, left,
                 l.page_h - 113, width, TS_P);
    op->r = 0.85, op->g = 0.9, op->b = 1.0;

    wrapped wr[5] = {{0}};
    double top = l.page_h - band - 34, bottom = 72, avail = top - bottom;
    double size = 40, indent = 0;
    bool shortened = false;
    for (;;) {
        indent = 1.45 * size;
        if (rules_height(f, rules, n, size, width - indent, wr) <= avail)
            break;
        if (size > 28) {
            size -= 1;
        } else if (!shortened) {
            /* Still too long at 28 pt: each rule's first sentence. */
            for (size_t i = 0; i < n; i++)
                first_sentence(rules[i]);
            shortened = true;
        } else {
            break;
        }
    }
    /* Spread the rules down the page when they leave room. */
    double used = rules_height(f, rules, n, size, width - indent, wr);
    double extra = n > 1 && used < avail ? fmin((avail - used) / (double)(n - 1), size) : 0;
    double y = top;
    int list = ts_tree_add(&l.tree, -1, TS_L);
    l.tree.v[list].numbering = "None";
    for (size_t i = 0; i < n; i++) {
        double lead = 1.18 * size, base = y - 0.92 * size;
        if (base - lead * (double)(wr[i].n - 1) < bottom - 0.3 * size)
            break;  /* never past the foot of the page */
        int item = ts_tree_add(&l.tree, list, TS_LI);
        int lbl = ts_tree_add(&l.tree, item, TS_LBL);
        ts_tree_set_alt(&l.tree, lbl, positive[i] ? "Allowed" : "Not allowed");
        int body = ts_tree_add(&l.tree, item, TS_LBODY);
        double box = 0.9 * size;
        op = ts_push(&l.ops, positive[i] ? TS_TICK : TS_CROSS, left, base - 0.08 * size,
                            box, box);
        op->line_width = 0.16 * size, op->elem = lbl;
        for (size_t k = 0; k < wr[i].n; k++) {
            /* Lines end with a space, so read out they keep the words apart. */
            char *s = xasprintf("%s%s", wr[i].lines[k], k + 1 < wr[i].n ? " " : "");
            double w = ts_width(f, FONT_BOLD, size, wr[i].lines[k], strlen(wr[i].lines[k]));
            op = ts_push(&l.ops, TS_TEXT, left + indent, base - lead * (double)k, w, 0);
            op->font = FONT_BOLD, op->size = size, op->text = s, op->elem = body;
        }
        y -= (double)wr[i].n * lead + 0.85 * size + extra;
    }
    op = text_op(&l, f, foot, FONT_REGULAR, 10, left, 44, width, TS_P);
    op->r = op->g = op->b = 0.4;
    for (size_t i = 0; i < 5; i++) {
        for (size_t k = 0; k < wr[i].n; k++)
            free(wr[i].lines[k]);
        free(wr[i].lines);
    }
    for (size_t i = 0; i < n; i++)
        free(rules[i]);
    /* The rules are set in bold here, in the regular face in the document. */
    const char *files[] = {d->source_file};
    int rc = layout_check_glyphs(f, &l.ops, files, 1, true, LAYOUT_INSTEAD, diags);
    if (rc == 0)
        rc = pdf_book_add_layout(b, d, &l, diags) > 0 ? 0 : -1;
    layout_free(&l);
    if (rc == 0) {
        char *t = xasprintf("%s: poster", title);
        rc = pdf_book_save(b, d, t, out, diags);
        free(t);
    }
    pdf_book_free(b);
    return rc;
}
