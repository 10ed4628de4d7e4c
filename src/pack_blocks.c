#include "pack_blocks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audience.h"
#include "util/io.h"

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
    pack_contact_gaps(p, diags);
}

void pack_contact_gaps(const profile *p, diag_list *diags)
{
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
                     "where only our %s, staff and families can see them",
                     lp ? lp : "our learning platform", profile_words(p->kind)->learners);
}

/* "Child's name: ...  Class: ...", with the setting's word for a class. */
static char *child_row(const profile *p)
{
    const char *group = profile_words(p->kind)->group;
    return xasprintf("Child's name: ..............................  %c%s: ..........",
                     toupper((unsigned char)group[0]), group + 1);
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
    char *name_row = child_row(p);
    const char *const rows[] = {
        name_row,
        "Parent or carer: ..............................  Date: ..........",
    };
    cmark_node_append_child(block, signature_rows(d, rows, 2));
    free(name_row);
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
    char *name_row = child_row(p);
    const char *const rows[] = {
        "Child: I have read my rules with my parent or carer, and I will keep to them.",
        name_row,
        "Child's signature: ..............................  Date: ..........",
        "Parent or carer: I have read this policy, and I will help my child keep to the rules.",
        "Parent or carer's name: ..............................",
        "Signed: ..............................  Date: ..........",
    };
    cmark_node_append_child(block, signature_rows(d, rows, sizeof rows / sizeof *rows));
    free(name_row);
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

/* The link governor is a link board member where there are no governors. */
static const char *role_label(const profile *p, person_role r)
{
    static const char *const labels[ROLE_COUNT] = {
        "online safety lead", "designated safeguarding lead", "head", NULL,
        "network manager", "data protection officer",
    };
    return r == ROLE_LINK_GOVERNOR ? profile_words(p->kind)->link_role : labels[r];
}

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
                        sb_printf(&roles, "%s%s", roles.len ? " and " : "",
                                  role_label(p, people[k]));
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
        document_tag(d, list, TAG_CONTACTS_MAP);
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

bool pack_wants_agreement(const profile *p)
{
    bool parent = false;
    for (size_t i = 0; i < p->naudiences; i++)
        parent |= audience_kind_at(p->audiences[i].kind)->agreement == AGREEMENT_COVER;
    return parent && has_pupils(p);
}
