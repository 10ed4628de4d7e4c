#include "template.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audience.h"
#include "flowchart.h"
#include "pack_blocks.h"
#include "util/io.h"

/* What a reader calls a role when the profile names nobody for it. */
static const char *const role_generic[ROLE_COUNT] = {
    "the online safety lead", "the safeguarding lead", "the head", "the link governor",
    "the network manager", "the data protection officer",
};
static const char *const role_label[ROLE_COUNT] = {
    "online safety lead", "designated safeguarding lead", "head", "link governor",
    "network manager", "data protection officer",
};
static const char *const tech_generic[TECH_COUNT] = {
    "the learning platform", "school email", "the internet", "the wifi", "school devices",
    "approved AI tools", "video calls", "remote learning",
};
static const char *const policy_generic[] = {
    "the child protection policy", "the anti-bullying policy", "the behaviour policy",
    "the data protection policy", "the staff code of conduct", "our other policies",
};

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static char *person_field(const profile *p, const char *role)
{
    static const char *const roles[ROLE_COUNT] = {
        "online-safety-lead", "dsl", "head", "link-governor", "network-manager",
        "data-protection-officer",
    };
    int r = lookup(roles, ROLE_COUNT, role);
    if (r < 0)
        return NULL;
    const profile_person *pp = profile_person_by_role(p, (person_role)r);
    return xstrdup(pp ? pp->name : role_generic[r]);
}

static char *tech_field(const profile *p, const char *name)
{
    for (int t = 0; t < TECH_COUNT; t++)
        if (strcmp(profile_tech_name((tech_kind)t), name) == 0)
            return xstrdup(p->tech[t].name ? p->tech[t].name : tech_generic[t]);
    return NULL;
}

static char *policy_field(const profile *p, const char *name)
{
    for (int k = 0; k <= POLICY_OTHER; k++) {
        if (strcmp(profile_policy_kind_name((policy_kind)k), name) != 0)
            continue;
        for (size_t i = 0; i < p->npolicies; i++)
            if (p->policies[i].kind == (policy_kind)k)
                return xstrdup(p->policies[i].title);
        return xstrdup(policy_generic[k]);
    }
    return NULL;
}

static bool starts_with_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    return strncasecmp(s, word, n) == 0 && s[n] == ' ';
}

/* A value that brings its own article ("the staff code of conduct", a
 * policy titled "The Behaviour Policy") after a text that already has one
 * ("under the {{policy.staff-conduct}}") drops its own. */
static const char *after_article(const strbuf *out, const char *value)
{
    static const char *const articles[] = {"the ", "our ", "your "};
    if (!starts_with_word(value, "the"))
        return value;
    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++) {
        size_t n = strlen(articles[i]);
        if (out->len >= n && strncasecmp(out->data + out->len - n, articles[i], n) == 0 &&
            (out->len == n || !isalpha((unsigned char)out->data[out->len - n - 1])))
            return value + 4;
    }
    return value;
}

/* "The governing board" inside a sentence is "the governing board". */
static char *inside_sentence(const char *value)
{
    char *s = xstrdup(value);
    if (starts_with_word(s, "the"))
        s[0] = 't';
    return s;
}

char *template_field(const template_ctx *ctx, const char *name)
{
    const profile *p = ctx->p;
    char date[64];
    if (!strcmp(name, "setting.name")) return xstrdup(p->name);
    if (!strcmp(name, "setting.noun")) return xstrdup(profile_setting_noun(p->kind));
    if (!strcmp(name, "setting.learner")) return xstrdup(profile_words(p->kind)->learner);
    if (!strcmp(name, "setting.learners")) return xstrdup(profile_words(p->kind)->learners);
    if (!strcmp(name, "setting.sessions")) return xstrdup(profile_words(p->kind)->sessions);
    if (!strcmp(name, "setting.board")) return xstrdup(profile_words(p->kind)->board);
    if (!strcmp(name, "setting.head-reports-to"))
        return xstrdup(profile_words(p->kind)->head_reports_to);
    if (!strcmp(name, "setting.website")) return xstrdup(p->website ? p->website : p->name);
    if (!strcmp(name, "document.title")) return xstrdup(ctx->doc->title);
    if (!strcmp(name, "audience.label")) return xstrdup(ctx->doc->audience_label);
    if (!strcmp(name, "version")) return xstrdup(p->version);
    if (!strcmp(name, "monitoring.provider")) return xstrdup(p->monitoring.provider);
    if (!strcmp(name, "monitoring.authoriser")) {
        const profile_person *pp = profile_person_by_role(p, p->monitoring.authorised_by);
        return xstrdup(pp ? pp->name : role_generic[p->monitoring.authorised_by]);
    }
    if (!strcmp(name, "review.by")) return inside_sentence(p->review.by);
    if (!strcmp(name, "review.approved")) {
        profile_date_long(p->review.approved, date, sizeof date);
        return xstrdup(date);
    }
    if (!strcmp(name, "review.next")) {
        profile_date_long(p->review.next, date, sizeof date);
        return xstrdup(date);
    }
    if (!strncmp(name, "person.", 7)) return person_field(p, name + 7);
    if (!strncmp(name, "tech.", 5)) return tech_field(p, name + 5);
    if (!strncmp(name, "policy.", 7)) return policy_field(p, name + 7);
    return NULL;
}

/* --- {{field}} substitution ---------------------------------------------- */

static void merge_text_nodes(cmark_node *parent)
{
    cmark_node *n = cmark_node_first_child(parent);
    while (n) {
        cmark_node *next = cmark_node_next(n);
        if (cmark_node_get_type(n) == CMARK_NODE_TEXT && next &&
            cmark_node_get_type(next) == CMARK_NODE_TEXT) {
            char *joined = xasprintf("%s%s", cmark_node_get_literal(n),
                                     cmark_node_get_literal(next));
            cmark_node_set_literal(n, joined);
            free(joined);
            cmark_node_free(next);
            continue;
        }
        if (cmark_node_first_child(n))
            merge_text_nodes(n);
        n = next;
    }
}

static void subst_literal(template_ctx *ctx, cmark_node *text, const char *file, int line)
{
    const char *s = cmark_node_get_literal(text);
    if (!strstr(s, "{{"))
        return;
    strbuf out = {0};
    while (*s) {
        const char *open = strstr(s, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!open || !close) {
            sb_puts(&out, s);
            break;
        }
        sb_add(&out, s, (size_t)(open - s));
        char *name = xstrndup(open + 2, (size_t)(close - open - 2));
        char *value = template_field(ctx, name);
        if (value) {
            sb_puts(&out, after_article(&out, value));
        } else {
            diag_add(ctx->diags, DIAG_ERROR, file, line, 0, NULL,
                     "unknown field {{%s}}: see aupc-profile(5) for the fields a text may use",
                     name);
            ctx->errors++;
        }
        free(value);
        free(name);
        s = close + 2;
    }
    cmark_node_set_literal(text, out.data ? out.data : "");
    sb_free(&out);
}

void template_subst(template_ctx *ctx, cmark_node *node, const char *file, int line)
{
    merge_text_nodes(node);
    cmark_iter *it = cmark_iter_new(node);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (cmark_node_get_type(n) == CMARK_NODE_TEXT)
            subst_literal(ctx, n, file, line ? line : cmark_node_get_start_line(n));
    }
    cmark_iter_free(it);
}

/* --- building nodes --------------------------------------------------------- */

static cmark_node *new_list(cmark_list_type type)
{
    cmark_node *list = cmark_node_new(CMARK_NODE_LIST);
    cmark_node_set_list_type(list, type);
    cmark_node_set_list_tight(list, 1);
    if (type == CMARK_ORDERED_LIST) {
        cmark_node_set_list_start(list, 1);
        cmark_node_set_list_delim(list, CMARK_PERIOD_DELIM);
    }
    return list;
}

static cmark_node *item_of(cmark_node *block)
{
    cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
    cmark_node_append_child(item, block);
    return item;
}

static void tag_statement(template_ctx *ctx, cmark_node *n, const statement *s)
{
    doc_tag *tag = document_tag(ctx->doc, n, TAG_STATEMENT);
    tag->stmt = s;
    tag->section = s->section;
    tag->positive_rule = s->section == SECTION_ACCEPTABLE || s->section == SECTION_RESPONSIBILITY;
    tag->negative_rule = s->section == SECTION_UNACCEPTABLE;
}

/* One statement's text for this reader, parsed as CommonMark, its fields
 * filled, appended to INTO. Each block is tagged unless INTO is an item. */
static void statement_blocks(template_ctx *ctx, const statement *s, cmark_node *into)
{
    const statement_text *t = statement_text_for(s, ctx->a->id);
    /* A profile's own statements are literal text, like every other value a
     * school types; only the library's texts are CommonMark. */
    cmark_node *parsed = cmark_parse_document(s->custom ? "" : t->text,
                                              s->custom ? 0 : strlen(t->text),
                                              CMARK_OPT_DEFAULT);
    if (s->custom)
        cmark_node_append_child(parsed, document_block(CMARK_NODE_PARAGRAPH, t->text));
    template_subst(ctx, parsed, s->file, t->line);
    bool tag_each = cmark_node_get_type(into) != CMARK_NODE_ITEM;
    for (cmark_node *b; (b = cmark_node_first_child(parsed));) {
        cmark_node_unlink(b);
        cmark_node_append_child(into, b);
        if (tag_each)
            tag_statement(ctx, b, s);
    }
    cmark_node_free(parsed);
}

static cmark_node *statement_item(template_ctx *ctx, const statement *s)
{
    cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
    statement_blocks(ctx, s, item);
    tag_statement(ctx, item, s);
    return item;
}

static cmark_node *dir_statements(template_ctx *ctx, const char *args)
{
    cmark_node *list = new_list(CMARK_BULLET_LIST);
    for (size_t i = 0; i < ctx->sel->count; i++) {
        const statement *s = ctx->sel->items[i];
        if (library_list_has(args, library_section_name(s->section)))
            cmark_node_append_child(list, statement_item(ctx, s));
    }
    if (!cmark_node_first_child(list)) {
        cmark_node_free(list);
        return NULL;
    }
    return list;
}

/* Young children and easy-read readers get names and roles, not the
 * addresses and long sentences a profile holds for adults. */
static bool plain_reader(const template_ctx *ctx)
{
    return ctx->a->easy || ctx->a->info->young;
}

/* The sanctions statements as paragraphs, then the profile's ladder as a
 * numbered list: two lists side by side would need a separator in Markdown.
 * Returns a fragment (a document node) whose children expand() inserts. */
static cmark_node *dir_sanctions(template_ctx *ctx, const char *args)
{
    (void)args;
    const profile_ladder *l = profile_ladder_for(ctx->p, ctx->a->kind);
    if (!l)
        return NULL;
    cmark_node *fragment = cmark_node_new(CMARK_NODE_DOCUMENT);
    for (size_t i = 0; i < ctx->sel->count; i++)
        if (ctx->sel->items[i]->section == SECTION_SANCTIONS)
            statement_blocks(ctx, ctx->sel->items[i], fragment);
    /* A young reader follows five steps at most: past that, the first
     * steps and the last, with the ones between said in a line. */
    size_t shown = l->nsteps;
    bool summary = plain_reader(ctx) && l->nsteps > 5;
    if (summary)
        shown = 2;
    cmark_node *list = new_list(CMARK_ORDERED_LIST);
    for (size_t i = 0; i < shown; i++)
        cmark_node_append_child(list, item_of(document_block(CMARK_NODE_PARAGRAPH, l->steps[i])));
    if (summary) {
        const char *last = l->steps[l->nsteps - 1];
        /* "Other steps from..." reads on after the colon in lower case; a
         * name ("Mrs Prŷs") or "I" keeps its capital. */
        bool lower = last[0] >= 'A' && last[0] <= 'Z' && last[1] >= 'a' && last[1] <= 'z';
        char *more = xasprintf("For the biggest problems: %c%s",
                               lower ? last[0] - 'A' + 'a' : last[0], last + 1);
        cmark_node_append_child(list, item_of(document_block(CMARK_NODE_PARAGRAPH, more)));
        free(more);
    }
    document_tag(ctx->doc, list, TAG_SANCTIONS);
    cmark_node_append_child(fragment, list);
    return fragment;
}

/* One line per person, naming every role they hold. */
static void add_person(cmark_node *list, const profile *p, const profile_person *pp,
                       const bool *shown_roles, bool plain)
{
    strbuf b = {0};
    sb_puts(&b, pp->name);
    const char *sep = ", ";
    for (int r = 0; r < ROLE_COUNT; r++) {
        const profile_person *other = profile_person_by_role(p, (person_role)r);
        if (shown_roles[r] && other && strcmp(other->name, pp->name) == 0) {
            sb_printf(&b, "%s%s", sep, role_label[r]);
            sep = " and ";
        }
    }
    if (pp->email && !plain)
        sb_printf(&b, ": %s", pp->email);
    if (pp->phone && !plain)
        sb_printf(&b, "%s%s", pp->email ? ", " : ": ", pp->phone);
    cmark_node_append_child(list, item_of(document_block(CMARK_NODE_PARAGRAPH, b.data)));
    sb_free(&b);
}

/* What a role means, for a young or easy-read reader who does not know the
 * job title: "Mr Okafor, who keeps children safe". */
static const char *const role_plain[ROLE_COUNT] = {
    "who helps us stay safe online", "who keeps children safe", "who runs the %s",
    "who checks our rules", "who looks after the computers", "who keeps our records safe",
};

/* Young and easy-read readers get one sentence in their own voice:
 * "I can talk to Mr Okafor, who keeps children safe."; an easy-read reader
 * with more people to tell gets a short sentence for each, and then "I can
 * talk to them." */
static cmark_node *plain_contacts(template_ctx *ctx)
{
    static const person_role order[] = {ROLE_DSL, ROLE_ONLINE_SAFETY_LEAD, ROLE_HEAD};
    const profile_person *who[3];
    person_role role[3];
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        const profile_person *pp = profile_person_by_role(ctx->p, order[i]);
        /* A young child is given one name to remember: the person who
         * keeps children safe. */
        if (!pp || (ctx->a->info->young && n > 0))
            continue;
        bool repeat = false;
        for (size_t k = 0; k < n; k++)
            repeat |= strcmp(who[k]->name, pp->name) == 0;
        if (!repeat) {
            who[n] = pp;
            role[n++] = order[i];
        }
    }
    if (!n)
        return NULL;
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        char *what = xasprintf(role_plain[role[i]], profile_setting_noun(ctx->p->kind));
        if (n == 1)
            sb_printf(&b, "I can talk to %s, %s.", who[i]->name, what);
        else
            sb_printf(&b, "%s%s %s.", i ? " " : "", who[i]->name, what + strlen("who "));
        free(what);
    }
    if (n > 1)
        sb_puts(&b, " I can talk to them.");
    cmark_node *para = document_block(CMARK_NODE_PARAGRAPH, b.data);
    sb_free(&b);
    document_tag(ctx->doc, para, TAG_CONTACTS);
    return para;
}

static cmark_node *dir_contacts(template_ctx *ctx, const char *args)
{
    (void)args;
    if (plain_reader(ctx))
        return plain_contacts(ctx);
    static const person_role order[] = {ROLE_DSL, ROLE_ONLINE_SAFETY_LEAD, ROLE_HEAD,
                                        ROLE_NETWORK_MANAGER, ROLE_DPO};
    const audience_kind_info *kind = audience_kind_at(ctx->a->kind);
    bool adult = kind->adult && !ctx->a->easy;
    bool young = ctx->a->info->young;
    bool shown[ROLE_COUNT] = {false};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        person_role r = order[i];
        /* The network manager is a colleague's contact, not a family's. */
        if (r == ROLE_NETWORK_MANAGER)
            shown[r] = adult && kind->workforce;
        else
            shown[r] = adult || (r != ROLE_DPO && !(young && r == ROLE_ONLINE_SAFETY_LEAD));
    }
    cmark_node *list = new_list(CMARK_BULLET_LIST);
    const char *done[ROLE_COUNT];
    size_t ndone = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const profile_person *pp = profile_person_by_role(ctx->p, order[i]);
        if (!pp || !shown[order[i]])
            continue;
        bool repeat = false;
        for (size_t k = 0; k < ndone; k++)
            repeat |= strcmp(done[k], pp->name) == 0;
        if (repeat)
            continue;
        done[ndone++] = pp->name;
        add_person(list, ctx->p, pp, shown, plain_reader(ctx));
    }
    if (!cmark_node_first_child(list)) {
        cmark_node_free(list);
        return NULL;
    }
    document_tag(ctx->doc, list, TAG_CONTACTS);
    return list;
}

static cmark_node *dir_signature(template_ctx *ctx, const char *args)
{
    (void)args;
    cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
    /* Two fields to a row; a young child's agreement is countersigned by a
     * parent or carer, on a row of its own on easy read's narrower page. */
    const char *name = audience_kind_at(ctx->a->kind)->signature_name;
    char *rows[3] = {NULL, NULL, NULL};
    if (ctx->a->info->young) {
        rows[0] = xasprintf("%s: ........................  Date: ............", name);
        if (ctx->a->easy) {
            rows[1] = xstrdup("Signed: ........................................");
            rows[2] = xstrdup("Parent or carer: ........................................");
        } else {
            rows[1] = xstrdup("Signed: ........................  Parent or carer: ........................");
        }
    } else {
        rows[0] = xasprintf("%s: ........................................", name);
        rows[1] = xstrdup("Signed: ........................  Date: ............");
    }
    for (int i = 0; i < 3 && rows[i]; i++) {
        if (i > 0)
            cmark_node_append_child(para, cmark_node_new(CMARK_NODE_LINEBREAK));
        cmark_node_append_child(para, document_text(rows[i]));
        free(rows[i]);
    }
    document_tag(ctx->doc, para, TAG_SIGNATURE);
    return para;
}

/* The parts of "about these rules": who helped write them, how readers
 * hear of them and when they are reviewed, each a sentence or two; NULL
 * when the profile says nothing of it. */
static char *review_text(const template_ctx *ctx)
{
    char approved[64], next[64];
    profile_date_long(ctx->p->review.approved, approved, sizeof approved);
    profile_date_long(ctx->p->review.next, next, sizeof next);
    /* The footer gives the date; a young or easy-read reader needs only
     * to know the rules are looked at again. */
    if (plain_reader(ctx))
        return ctx->p->review.cycle_months == 12 ? xstrdup("We check them every year.")
                                                 : xasprintf("We will check them again by %s.", next);
    /* Short, as the PDF footer repeats the dates; Markdown and HTML have
     * only this sentence to give them. */
    const char *incidents = ctx->p->review.after_incidents ? " and after any serious incident" : "";
    if (!audience_kind_at(ctx->a->kind)->adult)
        return xasprintf("We review these rules every %d months%s; the next review is by %s.",
                         ctx->p->review.cycle_months, incidents, next);
    char *by = inside_sentence(ctx->p->review.by);
    char *s = xasprintf("Approved by %s on %s; reviewed every %d months%s, next by %s.", by,
                        approved, ctx->p->review.cycle_months, incidents, next);
    free(by);
    return s;
}

/* Who helped, as the reader would say it: young children are children,
 * students past 16 are never called children. */
static const char *consulted_who(const template_ctx *ctx)
{
    static const char *const who[AUD_KIND_COUNT] = {"Children", "Staff", "Parents and carers",
                                                    "Visitors"};
    if (ctx->a->kind != AUD_PUPIL || ctx->a->info->young)
        return who[ctx->a->kind];
    bool school = ctx->p->kind != KIND_YOUTH_SERVICE && ctx->p->kind != KIND_LIBRARY &&
                  ctx->p->kind != KIND_CHILDREN_SERVICES;
    if (!school)
        return "Young people";
    return ctx->a->band == BAND_POST16 ? "Students" : "Pupils";
}

/* how= follows "We asked for views on these rules": "with the school
 * council" reads on, "a staff meeting" needs a "through" before it. */
static const char *how_joiner(const char *how)
{
    static const char *const starts[] = {
        "with", "at", "through", "in", "by", "via", "during", "on", "using", "over", "from",
        "after", "before", "as", "when", "while", "online", "face",
    };
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (starts_with_word(how, starts[i]))
            return "";
    return "through ";
}

static char *consultation_text(const template_ctx *ctx)
{
    if (plain_reader(ctx))
        return profile_consulted_for(ctx->p, ctx->a->kind)
                   ? xasprintf("%s helped us write these rules.", consulted_who(ctx))
                   : NULL;
    strbuf b = {0};
    for (size_t i = 0; i < ctx->p->nconsulted; i++) {
        const profile_consulted *c = &ctx->p->consulted[i];
        if (c->audience != ctx->a->kind)
            continue;
        char on[64];
        profile_date_long(c->on, on, sizeof on);
        sb_printf(&b, "%s%s%s, on %s",
                  b.len ? ". We also asked " : "We asked for views on these rules ",
                  how_joiner(c->how), c->how, on);
    }
    if (b.len)
        sb_puts(&b, ".");
    return b.data;
}

static const char *channel_phrase(const char *id)
{
    static const char *const map[][2] = {
        {"home-school-agreement", "the home–school agreement"}, {"induction", "induction"},
        {"assembly", "assemblies"}, {"lesson", "lessons"}, {"website", "our website"},
        {"poster", "posters"}, {"newsletter", "the newsletter"},
        {"login-screen", "a reminder when you log in"}, {"sign-in", "signing in at reception"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], id))
            return map[i][1];
    return id;
}

static char *communication_text(const template_ctx *ctx)
{
    const profile_tell *t = profile_tell_for(ctx->p, ctx->a->kind);
    if (!t)
        return NULL;
    strbuf b = {0};
    sb_puts(&b, "We share these rules through ");
    char *via = xstrdup(t->via);
    size_t n = 0, total = 0;
    char *save_w = NULL;
    for (char *w = strtok_r(via, " ", &save_w); w; w = strtok_r(NULL, " ", &save_w))
        total++;
    free(via);
    via = xstrdup(t->via);
    save_w = NULL;
    for (char *w = strtok_r(via, " ", &save_w); w; w = strtok_r(NULL, " ", &save_w)) {
        if (n > 0)
            sb_puts(&b, n + 1 == total ? " and " : ", ");
        sb_puts(&b, channel_phrase(w));
        n++;
    }
    free(via);
    sb_puts(&b, ".");
    if (t->check && !plain_reader(ctx))
        sb_printf(&b, " %s", t->check);
    size_t len = strlen(b.data);
    if (len && !strchr(".!?", b.data[len - 1]))
        sb_puts(&b, ".");
    return b.data;
}

static cmark_node *text_paragraph(char *s)
{
    if (!s)
        return NULL;
    cmark_node *para = document_block(CMARK_NODE_PARAGRAPH, s);
    free(s);
    return para;
}

static cmark_node *dir_review(template_ctx *ctx, const char *args)
{
    (void)args;
    cmark_node *para = text_paragraph(review_text(ctx));
    document_tag(ctx->doc, para, TAG_REVIEW);
    return para;
}

static cmark_node *dir_consultation(template_ctx *ctx, const char *args)
{
    (void)args;
    return text_paragraph(consultation_text(ctx));
}

static cmark_node *dir_communication(template_ctx *ctx, const char *args)
{
    (void)args;
    return text_paragraph(communication_text(ctx));
}

/* All of "about these rules" in one paragraph, which is all a reader needs
 * of it: who helped and the next review. How the rules are shared matters
 * to a reader who signs nothing ("{{about told}}", the visitors' page);
 * a reader who signs is told by signing. */
static cmark_node *dir_about(template_ctx *ctx, const char *args)
{
    bool told = args && strstr(args, "told");
    char *parts[3] = {consultation_text(ctx), told ? communication_text(ctx) : NULL,
                      review_text(ctx)};
    strbuf b = {0};
    for (int i = 0; i < 3; i++) {
        if (parts[i])
            sb_printf(&b, "%s%s", b.len ? " " : "", parts[i]);
        free(parts[i]);
    }
    cmark_node *para = text_paragraph(b.data);
    document_tag(ctx->doc, para, TAG_REVIEW);
    return para;
}

/* The related policies in one paragraph, separated by semicolons: a list
 * of titles takes a line each, which a page budget cannot spare. */
static cmark_node *dir_policies(template_ctx *ctx, const char *args)
{
    (void)args;
    if (!ctx->p->npolicies)
        return NULL;
    cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
    cmark_node_append_child(para, document_text("Read it with these policies: "));
    for (size_t i = 0; i < ctx->p->npolicies; i++) {
        const profile_policy *pol = &ctx->p->policies[i];
        if (i > 0)
            cmark_node_append_child(para, document_text("; "));
        if (pol->url) {
            cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
            cmark_node_set_url(link, pol->url);
            cmark_node_append_child(link, document_text(pol->title));
            cmark_node_append_child(para, link);
        } else {
            cmark_node_append_child(para, document_text(pol->title));
        }
    }
    cmark_node_append_child(para, document_text("."));
    return para;
}

/* The pack's blocks: built in pack.c and flowchart.c. */
static cmark_node *dir_flowchart(template_ctx *ctx, const char *args)
{
    (void)args;
    const flowchart *fc = flowchart_builtin(ctx->diags);
    if (!fc) {
        ctx->errors++;
        return NULL;
    }
    return flowchart_block(fc, ctx->doc);
}

static cmark_node *dir_contacts_map(template_ctx *ctx, const char *args)
{
    (void)args;
    return pack_contacts_block(ctx->p, ctx->doc);
}

static cmark_node *dir_consent(template_ctx *ctx, const char *args)
{
    (void)args;
    return pack_consent_block(ctx->p, ctx->doc);
}

static cmark_node *dir_slip(template_ctx *ctx, const char *args)
{
    (void)args;
    return pack_slip_block(ctx->p, ctx->doc);
}

typedef cmark_node *(*directive_fn)(template_ctx *, const char *);

static const struct {
    const char *name;
    directive_fn fn;
} directives[] = {
    {"statements", dir_statements}, {"sanctions", dir_sanctions},
    {"contacts", dir_contacts},     {"signature", dir_signature},
    {"review", dir_review},         {"consultation", dir_consultation},
    {"communication", dir_communication}, {"policies", dir_policies},
    {"flowchart", dir_flowchart},   {"contacts-map", dir_contacts_map},
    {"consent", dir_consent},       {"slip", dir_slip},
    {"about", dir_about},
};

/* "{{statements acceptable}}" alone in a paragraph -> name and args. */
static bool parse_directive(cmark_node *para, char **name, char **args)
{
    cmark_node *t = cmark_node_first_child(para);
    if (!t || cmark_node_next(t) || cmark_node_get_type(t) != CMARK_NODE_TEXT)
        return false;
    const char *s = cmark_node_get_literal(t);
    size_t n = strlen(s);
    if (n < 5 || strncmp(s, "{{", 2) != 0 || strcmp(s + n - 2, "}}") != 0 ||
        strstr(s + 2, "{{"))
        return false;
    const char *body = s + 2, *end = s + n - 2, *sp = body;
    while (sp < end && *sp != ' ')
        sp++;
    if (memchr(body, '.', (size_t)(sp - body)))
        return false;   /* a field such as {{setting.name}} */
    *name = xstrndup(body, (size_t)(sp - body));
    *args = xstrndup(sp, (size_t)(end - sp));
    return true;
}

static bool is_heading(cmark_node *n)
{
    return n && cmark_node_get_type(n) == CMARK_NODE_HEADING;
}

static void forget(cmark_node **own, size_t n, cmark_node *gone)
{
    for (size_t i = 0; i < n; i++)
        if (own[i] == gone)
            own[i] = NULL;
}

static void expand(template_ctx *ctx, cmark_node *para, const char *tname, cmark_node **own,
                   size_t nown)
{
    char *name, *args;
    if (!parse_directive(para, &name, &args))
        return;
    directive_fn fn = NULL;
    for (size_t i = 0; i < sizeof directives / sizeof directives[0]; i++)
        if (!strcmp(directives[i].name, name))
            fn = directives[i].fn;
    if (!fn) {
        diag_add(ctx->diags, DIAG_ERROR, tname, cmark_node_get_start_line(para), 1, NULL,
                 "unknown directive {{%s}}: expected statements, sanctions, contacts, "
                 "signature, review, consultation, communication, about or policies", name);
        ctx->errors++;
    } else {
        cmark_node *made = fn(ctx, args);
        cmark_node *prev = cmark_node_previous(para), *next = cmark_node_next(para);
        if (made && cmark_node_get_type(made) == CMARK_NODE_DOCUMENT) {
            for (cmark_node *c; (c = cmark_node_first_child(made));) {
                cmark_node_unlink(c);
                cmark_node_insert_before(para, c);
            }
            cmark_node_free(made);
        } else if (made) {
            cmark_node_insert_before(para, made);
        }
        else if (is_heading(prev) && (!next || is_heading(next))) {
            forget(own, nown, prev);
            cmark_node_free(prev);   /* a heading over nothing says nothing */
        }
        cmark_node_free(para);
    }
    free(name);
    free(args);
}

int template_fill(template_ctx *ctx, const char *name, const char *text, size_t len)
{
    cmark_node *root = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
    ctx->doc->root = root;
    /* Fields are filled only in the template's own blocks, after the
     * directives: a value that looks like {{statements}} stays text, and
     * profile text placed by a directive is never read for fields. */
    size_t n = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        n++;
    cmark_node **own = xcalloc(n, sizeof *own);
    size_t k = 0;
    for (cmark_node *c = cmark_node_first_child(root), *next; c; c = next) {
        next = cmark_node_next(c);
        char *dname, *dargs;
        if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH && parse_directive(c, &dname, &dargs)) {
            free(dname);
            free(dargs);
            continue;
        }
        own[k++] = c;
    }
    for (cmark_node *c = cmark_node_first_child(root), *next; c; c = next) {
        next = cmark_node_next(c);
        if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH)
            expand(ctx, c, name, own, k);
    }
    for (size_t i = 0; i < k; i++)
        if (own[i])
            template_subst(ctx, own[i], name, 0);
    free(own);
    return ctx->errors ? -1 : 0;
}
