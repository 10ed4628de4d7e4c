#include "pack.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audience.h"
#include "render_pdf.h"

/* ------------------------------------------------------------------ */
/* Contacts an incident needs */

static const char *const need_ids[PACK_NEED_COUNT] = {
    "dsl", "police", "ceop", "iwf", "safeguarding-partnership",
};

static const char *const need_advice[PACK_NEED_COUNT] = {
    "a designated safeguarding lead (<person role=\"dsl\" .../>)",
    "the police (<contact role=\"police\" group=\"police\" .../>)",
    "CEOP, for reporting a child at risk (<contact role=\"ceop\" group=\"national\" .../>)",
    "the Internet Watch Foundation, for reporting illegal content "
    "(<contact role=\"iwf\" group=\"national\" .../>)",
    "the local safeguarding partnership or the LADO "
    "(<contact role=\"safeguarding-partnership\" or role=\"lado\" group=\"local-authority\" .../>)",
};

const char *pack_need_id(pack_need n)
{
    return n < PACK_NEED_COUNT ? need_ids[n] : "";
}

const char *pack_need_advice(pack_need n)
{
    return n < PACK_NEED_COUNT ? need_advice[n] : "";
}

static bool has_word(const char *s, const char *word)
{
    if (!s)
        return false;
    for (size_t n = strlen(word); *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

static bool contact_meets(const profile_contact *c, pack_need n)
{
    const char *role = c->role ? c->role : "";
    switch (n) {
    case PACK_NEED_POLICE:
        return (c->group && !strcmp(c->group, "police")) || !strncmp(role, "police", 6);
    case PACK_NEED_CEOP:
        return !strcmp(role, "ceop") || has_word(c->name, "CEOP");
    case PACK_NEED_IWF:
        return !strcmp(role, "iwf") || has_word(c->name, "Internet Watch Foundation");
    case PACK_NEED_PARTNERSHIP:
        return has_word(role, "partnership") || has_word(role, "lscb") ||
               has_word(role, "lado") || has_word(c->name, "LADO") ||
               has_word(c->name, "Safeguarding Children Partnership");
    default:
        return false;
    }
}

size_t pack_missing_contacts(const profile *p, pack_need *missing, size_t max)
{
    size_t k = 0;
    for (int n = 0; n < PACK_NEED_COUNT; n++) {
        bool met = false;
        if (n == PACK_NEED_DSL) {
            const profile_person *pp = profile_person_by_role(p, ROLE_DSL);
            met = pp && pp->name && *pp->name;
        }
        for (size_t i = 0; !met && i < p->ncontacts; i++)
            met = contact_meets(&p->contacts[i], (pack_need)n);
        if (!met) {
            if (missing && k < max)
                missing[k] = (pack_need)n;
            k++;
        }
    }
    return k;
}

void pack_warn_contacts(const profile *p, diag_list *diags)
{
    /* At compile time only a list with gaps is reported: a profile with no
     * <contacts> at all gets no map, and aupc check says what is missing. */
    bool staff = false;
    for (size_t i = 0; i < p->naudiences; i++)
        staff |= audience_kind_at(p->audiences[i].kind)->workforce;
    if (!staff || !p->ncontacts)
        return;
    pack_need miss[PACK_NEED_COUNT];
    size_t n = pack_missing_contacts(p, miss, PACK_NEED_COUNT);
    int line = p->ncontacts ? p->contacts[0].line : 0;
    for (size_t i = 0; i < n; i++)
        diag_add(diags, DIAG_WARNING, p->file, line, 0, "setting",
                 "the incident contacts lack %s: add it so staff know whom to call",
                 need_advice[miss[i]]);
}

/* ------------------------------------------------------------------ */
/* Blocks for the templates */

static cmark_node *heading_of(int level, const char *s)
{
    cmark_node *h = cmark_node_new(CMARK_NODE_HEADING);
    cmark_node_set_heading_level(h, level);
    cmark_node_append_child(h, document_text(s));
    return h;
}

static cmark_node *bullets(void)
{
    cmark_node *l = cmark_node_new(CMARK_NODE_LIST);
    cmark_node_set_list_type(l, CMARK_BULLET_LIST);
    cmark_node_set_list_tight(l, 1);
    return l;
}

static cmark_node *custom_block(void)
{
    cmark_node *b = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(b, "");
    cmark_node_set_on_exit(b, "");
    return b;
}

static cmark_node *strong_of(const char *s)
{
    cmark_node *st = cmark_node_new(CMARK_NODE_STRONG);
    cmark_node_append_child(st, document_text(s));
    return st;
}

/* A paragraph of signature rows, one per line, tagged for the PDF. */
static cmark_node *signature_rows(document *d, const char *const *rows, size_t n)
{
    cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
    for (size_t i = 0; i < n; i++) {
        if (i)
            cmark_node_append_child(para, cmark_node_new(CMARK_NODE_LINEBREAK));
        cmark_node_append_child(para, document_text(rows[i]));
    }
    document_tag(d, para, TAG_SIGNATURE);
    return para;
}

static const char *const image_use_ids[] = {
    "website", "social-media", "newsletter", "press", "displays", "learning-platform",
};

size_t pack_image_uses(const profile *p, char ***ids)
{
    *ids = NULL;
    if (!p->image_uses)
        return 0;
    size_t n = 0;
    const char *s = p->image_uses;
    while (*s) {
        while (*s && isspace((unsigned char)*s))
            s++;
        size_t len = 0;
        while (s[len] && !isspace((unsigned char)s[len]))
            len++;
        if (!len)
            break;
        bool known = false, repeat = false;
        for (size_t k = 0; k < sizeof image_use_ids / sizeof *image_use_ids; k++)
            known |= strlen(image_use_ids[k]) == len && !strncmp(image_use_ids[k], s, len);
        for (size_t k = 0; k < n; k++)
            repeat |= strlen((*ids)[k]) == len && !strncmp((*ids)[k], s, len);
        if (known && !repeat) {
            *ids = xrealloc(*ids, (n + 1) * sizeof **ids);
            (*ids)[n++] = xstrndup(s, len);
        }
        s += len;
    }
    return n;
}

/* One line of the consent form, after "Yes / No: ". */
static char *image_use_line(const profile *p, const char *id)
{
    const char *noun = profile_setting_noun(p->kind);
    if (!strcmp(id, "website"))
        return xasprintf("Photographs and video of my child on the %s website", noun);
    if (!strcmp(id, "social-media"))
        return xasprintf("Photographs and video of my child on the %s's social media accounts",
                         noun);
    if (!strcmp(id, "newsletter"))
        return xasprintf("Photographs of my child in the %s newsletter", noun);
    if (!strcmp(id, "press"))
        return xasprintf("Photographs and video of my child in local newspapers and news "
                         "programmes that report on %s events", noun);
    if (!strcmp(id, "displays"))
        return xasprintf("Photographs of my child on displays around the %s", noun);
    const char *lp = p->tech[TECH_LEARNING_PLATFORM].name;
    return xasprintf("Photographs and video of my child's work and activities on %s, "
                     "where only our pupils, staff and families can see them",
                     lp ? lp : "our learning platform");
}

cmark_node *pack_consent_block(const profile *p, document *d)
{
    char **ids;
    size_t n = pack_image_uses(p, &ids);
    if (!n)
        return NULL;
    cmark_node *block = custom_block();
    document_tag(d, block, TAG_ANNEX);
    cmark_node_append_child(block, heading_of(2, "Consent for photographs and video"));
    char *intro = xasprintf("We like to share and celebrate what children do at %s. Please "
                            "answer Yes or No for each use below. We will only use your "
                            "child's image in the ways you agree to, and you can change your "
                            "mind at any time by telling us.", p->name);
    cmark_node_append_child(block, document_block(CMARK_NODE_PARAGRAPH, intro));
    free(intro);
    cmark_node *list = bullets();
    document_tag(d, list, TAG_CONSENT);
    for (size_t i = 0; i < n; i++) {
        char *line = image_use_line(p, ids[i]);
        cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
        /* The PDF draws this prompt as two boxes to tick. */
        cmark_node_append_child(para, document_text("Yes / No: "));
        cmark_node_append_child(para, document_text(line));
        cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
        cmark_node_append_child(item, para);
        cmark_node_append_child(list, item);
        free(line);
        free(ids[i]);
    }
    free(ids);
    cmark_node_append_child(block, list);
    static const char *const rows[] = {
        "Child's name: ..............................  Class: ..........",
        "Parent or carer: ..............................  Date: ..........",
    };
    cmark_node_append_child(block, signature_rows(d, rows, 2));
    return block;
}

static bool has_pupils(const profile *p)
{
    for (size_t i = 0; i < p->naudiences; i++)
        if (audience_kind_at(p->audiences[i].kind)->agreement == AGREEMENT_PART)
            return true;
    return false;
}

cmark_node *pack_slip_block(const profile *p, document *d)
{
    if (!has_pupils(p))
        return NULL;
    cmark_node *block = custom_block();
    cmark_node_append_child(block, cmark_node_new(CMARK_NODE_THEMATIC_BREAK));
    cmark_node_append_child(block, heading_of(3, "Acknowledgement slip"));
    char *ask = xasprintf("Please sign this slip with your child and return it to %s.", p->name);
    cmark_node_append_child(block, document_block(CMARK_NODE_PARAGRAPH, ask));
    free(ask);
    static const char *const rows[] = {
        "Child: I have read my rules with my parent or carer, and I will keep to them.",
        "Child's name: ..............................  Class: ..........",
        "Child's signature: ..............................  Date: ..........",
        "Parent or carer: I have read this policy, and I will help my child keep to the rules.",
        "Parent or carer's name: ..............................",
        "Signed: ..............................  Date: ..........",
    };
    cmark_node_append_child(block, signature_rows(d, rows, sizeof rows / sizeof *rows));
    return block;
}

/* ---- The contacts map ---- */

static const char *const group_ids[] = {
    "setting", "local-authority", "police", "health", "national", "other",
};

static const char *group_label(const profile *p, int g, char *buf, size_t size)
{
    static const char *const labels[] = {
        NULL, "Local authority and safeguarding partnership", "Police", "Health",
        "National agencies and helplines", "Other organisations",
    };
    if (g == 0) {
        snprintf(buf, size, "At %s", p->name);
        return buf;
    }
    return labels[g];
}

static const char *const role_labels[ROLE_COUNT] = {
    "online safety lead", "designated safeguarding lead", "head", "link governor",
    "network manager", "data protection officer",
};

static void join(strbuf *b, const char *s, bool *first)
{
    if (!s || !*s)
        return;
    sb_puts(b, *first ? ": " : ", ");
    sb_puts(b, s);
    *first = false;
}

static void contact_item(cmark_node *list, const char *name, const char *what, const char *phone,
                         const char *email, const char *web, const char *hours, bool always)
{
    cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node_append_child(para, strong_of(name));
    strbuf b = {0};
    if (what)
        sb_printf(&b, ", %s", what);
    bool first = true;
    join(&b, phone, &first);
    join(&b, email, &first);
    join(&b, web, &first);
    if (hours && *hours)
        sb_printf(&b, " (%s)", hours);
    if (always)
        sb_puts(&b, " ");
    if (b.len)
        cmark_node_append_child(para, document_text(b.data));
    sb_free(&b);
    if (always)
        cmark_node_append_child(para, strong_of("24/7"));
    cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
    cmark_node_append_child(item, para);
    cmark_node_append_child(list, item);
}

cmark_node *pack_contacts_block(const profile *p, document *d)
{
    static const person_role people[] = {ROLE_DSL, ROLE_ONLINE_SAFETY_LEAD, ROLE_HEAD,
                                         ROLE_NETWORK_MANAGER, ROLE_DPO, ROLE_LINK_GOVERNOR};
    cmark_node *block = custom_block();
    document_tag(d, block, TAG_ANNEX);
    cmark_node_append_child(block, heading_of(2, "Annex: local contacts for online safety incidents"));
    char *intro = xasprintf("Whom to contact when an incident needs help from beyond %s. "
                            "Entries marked 24/7 can be reached at any time, day or night.",
                            p->name);
    cmark_node_append_child(block, document_block(CMARK_NODE_PARAGRAPH, intro));
    free(intro);
    bool any = false;
    for (int g = 0; g < 6; g++) {
        cmark_node *list = bullets();
        if (g == 0) {
            /* One line per person, naming every role they hold. */
            for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
                const profile_person *pp = profile_person_by_role(p, people[i]);
                bool repeat = false;
                for (size_t k = 0; pp && k < i; k++) {
                    const profile_person *q = profile_person_by_role(p, people[k]);
                    repeat |= q && !strcmp(q->name, pp->name);
                }
                if (!pp || repeat)
                    continue;
                strbuf roles = {0};
                for (size_t k = 0; k < sizeof people / sizeof *people; k++) {
                    const profile_person *q = profile_person_by_role(p, people[k]);
                    if (q && !strcmp(q->name, pp->name))
                        sb_printf(&roles, "%s%s", roles.len ? " and " : "", role_labels[people[k]]);
                }
                contact_item(list, pp->name, roles.data, pp->phone, pp->email, NULL, NULL, false);
                sb_free(&roles);
            }
        }
        for (size_t i = 0; i < p->ncontacts; i++) {
            const profile_contact *c = &p->contacts[i];
            if (!c->group || strcmp(c->group, group_ids[g]) != 0)
                continue;
            contact_item(list, c->name ? c->name : c->role, NULL, c->phone, c->email, c->web,
                         c->hours, c->always);
        }
        if (!cmark_node_first_child(list)) {
            cmark_node_free(list);
            continue;
        }
        char buf[512];
        cmark_node_append_child(block, heading_of(3, group_label(p, g, buf, sizeof buf)));
        cmark_node_append_child(block, list);
        any = true;
    }
    if (!any) {
        cmark_node_free(block);
        return NULL;
    }
    return block;
}

/* ------------------------------------------------------------------ */
/* The home-school agreement */

bool pack_wants_agreement(const profile *p)
{
    bool parent = false;
    for (size_t i = 0; i < p->naudiences; i++)
        parent |= audience_kind_at(p->audiences[i].kind)->agreement == AGREEMENT_COVER;
    return parent && has_pupils(p);
}

static agreement_role role_of(const document *d)
{
    return audience_kind_at(d->kind)->agreement;
}

/* The parent document first (the standard one when both are asked for),
 * then the pupil documents in the profile's order. */
static size_t agreement_parts(const doc_set *docs, const document **parts)
{
    size_t n = 0;
    const document *parent = NULL;
    for (size_t i = 0; i < docs->count; i++)
        if (role_of(docs->docs[i]) == AGREEMENT_COVER &&
            (!parent || (parent->reading == READING_EASY &&
                         docs->docs[i]->reading == READING_STANDARD)))
            parent = docs->docs[i];
    if (parent)
        parts[n++] = parent;
    for (size_t i = 0; i < docs->count; i++)
        if (role_of(docs->docs[i]) == AGREEMENT_PART)
            parts[n++] = docs->docs[i];
    return n;
}

int pack_agreement(const profile *p, const doc_set *docs, const pdf_options *o, strbuf *out,
                   int *parts_first, diag_list *diags)
{
    if (!pack_wants_agreement(p))
        return 0;
    const document **parts = xcalloc(docs->count + 1, sizeof *parts);
    size_t n = agreement_parts(docs, parts);
    if (n < 2 || role_of(parts[0]) != AGREEMENT_COVER) {
        free(parts);
        return 0;
    }
    pdf_book *b = pdf_book_new(parts, n, o);
    int rc = b ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int first = pdf_book_add(b, parts[i], true, NULL, diags);
        if (first < 0)
            rc = -1;
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
    return rc == 0 ? (int)n : -1;
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
 * the first wording, older ones the second. */
static const struct {
    const char *id;
    const char *young, *older;
} poster_priority[] = {
    {"report-worry", "I will tell a grown-up if something online upsets me.",
     "I will tell a trusted adult if anything online worries me."},
    {"no-bullying", "I will not say or send unkind things.",
     "I will not use any device to bully or harass anyone."},
    {"protect-logins", "I will keep my password secret.",
     "I will keep my passwords private and log out."},
    {"school-tech-personal-info", "I will not tell people online where I live.",
     "I will not share personal details with people I only know online."},
    {"report-misuse", "I will tell a teacher if someone is unsafe online.",
     "I will report anything unsafe or unkind I see online."},
    {"respect-safeguards", "I will not try to get round the filters.",
     "I will not get round the filters or use another person's login."},
    {"images-ask-first", "I will ask before I take a photo of someone.",
     "I will ask before I take or share a photo of anyone."},
    {"school-tech-harmful", "I will not look for upsetting things.",
     "I will not look for or share harmful material."},
    {"own-use", "I will be safe, kind and sensible online.",
     "I will use technology safely, kindly and within the law."},
    {"reputation", "I will not post unkind things about others.",
     "I will not post untrue or unkind things about people here."},
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
                    rules[n] = xstrdup(young ? poster_priority[k].young
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

static double rules_height(layout_fonts *f, char **rules, size_t n, double size, double w,
                           wrapped *out)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < out[i].n; k++)
            free(out[i].lines[k]);
        free(out[i].lines);
        out[i].n = layout_wrap(f, FONT_BOLD, size, rules[i], w, &out[i].lines);
        total += (double)out[i].n * 1.18 * size + (i ? 0.85 * size : 0);
    }
    return total;
}

static layout_op *text_op(layout *l, layout_fonts *f, const char *utf8, int font, double size,
                          double x, double y, double maxw)
{
    char *enc = layout_encode(f, utf8);
    double w = layout_width(f, font, size, enc, strlen(enc));
    /* A title that does not fit shrinks rather than running off the page. */
    if (w > maxw && w > 0) {
        size *= maxw / w;
        w = maxw;
    }
    layout_op *op = layout_push_op(l, LOP_TEXT, x, y, w, 0);
    op->font = font, op->size = size, op->text = enc;
    return op;
}

int pack_poster(const document *d, const pdf_options *o, strbuf *out, diag_list *diags)
{
    bool young = young_reader(d);
    const char *title = young ? "Our rules for staying safe online" : "Using technology safely";
    char *rules[5];
    bool positive[5];
    size_t n = pack_poster_rules(d, rules, positive, 5);
    char foot[512];
    snprintf(foot, sizeof foot, "From \xE2\x80\x9C%s\xE2\x80\x9D%s%s.",
             d->title ? d->title : "our acceptable use policy",
             d->version ? ", version " : "", d->version ? d->version : "");
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
    layout_fonts *f = pdf_book_fonts(b);
    layout l;
    layout_init_page(&l);
    l.plain = true;
    const double band = 128, left = l.left, width = l.right - l.left;
    layout_op *op = layout_push_op(&l, LOP_BAR, 0, l.page_h - band, l.page_w, band);
    op->r = 0.09, op->g = 0.2, op->b = 0.38;
    op = text_op(&l, f, title, FONT_BOLD, 30, left, l.page_h - 62, width);
    op->r = op->g = op->b = 1.0;
    op = text_op(&l, f, d->setting_name ? d->setting_name : "", FONT_REGULAR, 17, left,
                 l.page_h - 92, width);
    op->r = op->g = op->b = 1.0;
    op = text_op(&l, f, d->audience_label ? d->audience_label : "", FONT_REGULAR, 12, left,
                 l.page_h - 113, width);
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
    for (size_t i = 0; i < n; i++) {
        double lead = 1.18 * size, base = y - 0.92 * size;
        if (base - lead * (double)(wr[i].n - 1) < bottom - 0.3 * size)
            break;  /* never past the foot of the page */
        double box = 0.9 * size;
        op = layout_push_op(&l, positive[i] ? LOP_TICK : LOP_CROSS, left, base - 0.08 * size,
                            box, box);
        op->line_width = 0.16 * size;
        for (size_t k = 0; k < wr[i].n; k++) {
            const char *s = wr[i].lines[k];
            double w = layout_width(f, FONT_BOLD, size, s, strlen(s));
            op = layout_push_op(&l, LOP_TEXT, left + indent, base - lead * (double)k, w, 0);
            op->font = FONT_BOLD, op->size = size, op->text = xstrdup(s);
        }
        y -= (double)wr[i].n * lead + 0.85 * size + extra;
    }
    op = text_op(&l, f, foot, FONT_REGULAR, 10, left, 44, width);
    op->r = op->g = op->b = 0.4;
    for (size_t i = 0; i < 5; i++) {
        for (size_t k = 0; k < wr[i].n; k++)
            free(wr[i].lines[k]);
        free(wr[i].lines);
    }
    for (size_t i = 0; i < n; i++)
        free(rules[i]);
    int rc = pdf_book_add_layout(b, d, &l, diags) > 0 ? 0 : -1;
    layout_free(&l);
    if (rc == 0) {
        char *t = xasprintf("%s: poster", title);
        rc = pdf_book_save(b, d, t, out, diags);
        free(t);
    }
    pdf_book_free(b);
    return rc;
}
