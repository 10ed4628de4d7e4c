#include "consistent.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audience.h"
#include "util/io.h"

/* One thing a document says: a device rule, who agrees, a device kept, a
 * thing monitored. */
typedef enum { CLAIM_RULE, CLAIM_AGREES, CLAIM_KEEPS, CLAIM_MONITORS } claim_kind;

typedef struct {
    claim_kind kind;
    size_t doc;
    int group;              /* CLAIM_RULE: the device policy it describes */
    const char *value;      /* hand-in, head, email, ... */
    char *said;             /* the words that said it, as printed */
    char *source;           /* "statement ID" */
} claim;

typedef struct {
    const principle_def *def;
    const profile *p;
    const doc_set *docs;
    claim *v;
    size_t n;
} claims;

static void add_claim(claims *c, claim_kind kind, size_t doc, int group, const char *value,
                      const char *said, cmark_node *block)
{
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n++] = (claim){kind, doc, group, value, xstrdup(said),
                           principles_block_source(block)};
}

/* The first phrase of ROLE in TEXT, in the principle's order. */
static const principle_phrase *phrase_of(const principle_def *def, phrase_role role,
                                         const char *text)
{
    for (size_t i = 0; i < def->nphrases; i++)
        if (def->phrases[i].role == role && principles_words_in(text, def->phrases[i].text))
            return &def->phrases[i];
    return NULL;
}

static const statement *block_statement(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n)) {
        const doc_tag *t = document_tag_of(n);
        if (t && t->kind == TAG_STATEMENT)
            return t->stmt;
    }
    return NULL;
}

static statement_section block_section(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n)) {
        const doc_tag *t = document_tag_of(n);
        if (t && t->kind == TAG_STATEMENT)
            return t->section;
    }
    return SECTION_COUNT;
}

/* The device policy whose rule BLOCK of D states for pupils, or -1: a
 * statement on the pupils' devices in any document, or a pupil's own rule
 * in a pupil's document. */
static int rule_group(const profile *p, const document *d, const statement *s)
{
    if (!s)
        return -1;
    if (s->pupil_devices)
        return (int)p->devices[AUD_PUPIL];
    bool own = s->devices || (s->custom && library_list_has(s->principles, "personal-tech"));
    if (d->kind != AUD_PUPIL || !own)
        return -1;
    for (size_t i = 0; i < p->naudiences; i++)
        if (d->audience_id && !strcmp(p->audiences[i].id, d->audience_id))
            return (int)profile_device_policy(p, &p->audiences[i]);
    return -1;
}

/* Who TEXT names as the one who agrees: a person of the profile by name
 * (the earliest named), else a role's phrase. */
static const char *agreer(const claims *c, const char *text, const char **said)
{
    const char *best = NULL;
    for (size_t i = 0; i < c->p->npeople; i++) {
        const profile_person *pp = &c->p->people[i];
        const char *at = pp->name && *pp->name ? strstr(text, pp->name) : NULL;
        if (at && (!best || at < best)) {
            best = at;
            *said = pp->name;
        }
    }
    if (best) {
        for (size_t i = 0; i < c->p->npeople; i++)
            if (c->p->people[i].name == *said)
                return profile_role_name(c->p->people[i].role);
    }
    const principle_phrase *ph = phrase_of(c->def, PHRASE_AUTHORITY, text);
    if (ph) {
        *said = ph->text;
        return ph->value;
    }
    return NULL;
}

static void read_block(claims *c, size_t doc, cmark_node *block)
{
    const document *d = c->docs->docs[doc];
    const statement *s = block_statement(block);
    char *text = principles_block_text(block);
    int group = rule_group(c->p, d, s);
    const principle_phrase *ph;
    /* An exam's or a trip's rule is not the day's. */
    if (group >= 0 && !phrase_of(c->def, PHRASE_OCCASION, text) &&
        (ph = phrase_of(c->def, PHRASE_DEVICE_RULE, text)))
        add_claim(c, CLAIM_RULE, doc, group, ph->value, ph->text, block);
    if (phrase_of(c->def, PHRASE_AUTHORISES, text)) {
        const char *said = NULL, *who = agreer(c, text, &said);
        if (who)
            add_claim(c, CLAIM_AGREES, doc, -1, who, said, block);
        if ((ph = phrase_of(c->def, PHRASE_KEEPS, text)) &&
            !phrase_of(c->def, PHRASE_BEYOND_DAY, text))
            add_claim(c, CLAIM_KEEPS, doc, -1, NULL, ph->text, block);
    }
    if (block_section(block) == SECTION_MONITORING)
        for (size_t i = 0; i < c->def->nphrases; i++) {
            const principle_phrase *m = &c->def->phrases[i];
            if (m->role == PHRASE_MONITORS && principles_words_in(text, m->text))
                add_claim(c, CLAIM_MONITORS, doc, -1, m->value, m->text, block);
        }
    free(text);
}

static void read_document(claims *c, size_t doc)
{
    cmark_iter *it = cmark_iter_new(c->docs->docs[doc]->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
            !principles_block_skipped(n))
            read_block(c, doc, n);
    }
    cmark_iter_free(it);
}

/* The rule most documents of GROUP state (by claims; the first on a tie):
 * the claim that first says it. */
static const claim *usual_rule(const claims *c, int group)
{
    const claim *best = NULL;
    size_t best_n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const claim *a = &c->v[i];
        if (a->kind != CLAIM_RULE || a->group != group)
            continue;
        size_t n = 0;
        for (size_t k = 0; k < c->n; k++)
            n += c->v[k].kind == CLAIM_RULE && c->v[k].group == group &&
                 !strcmp(c->v[k].value, a->value);
        if (n > best_n) {
            best = a;
            best_n = n;
        }
    }
    return best;
}

static void differs(principle_report *r, const document *d, const int *lines, size_t doc,
                    const char *file, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void differs(principle_report *r, const document *d, const int *lines, size_t doc,
                    const char *file, const char *fmt, ...)
{
    principle_outcome *o = principle_report_find(r, "consistent");
    if (!o || o->status == OUTCOME_WAIVED || o->status == OUTCOME_NOT_APPLICABLE)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diag_add(&r->diags, o->def->severity, file, lines[doc], 0, "consistent", "%s: %s",
             d->audience_id, msg);
    free(msg);
    o->status = OUTCOME_FAIL;
    o->severity = o->def->severity;
}

static const char *doc_id(const claims *c, const claim *a)
{
    return c->docs->docs[a->doc]->audience_id;
}

/* The name the profile gives the person who agrees, or the role's name. */
static const char *agreer_name(const profile *p)
{
    const profile_person *pp = profile_person_by_role(p, p->monitoring.authorised_by);
    return pp && pp->name ? pp->name : profile_role_name(p->monitoring.authorised_by);
}

static void compare(const claims *c, principle_report *reports, const int *lines,
                    const char *file)
{
    const char *agrees = profile_role_name(c->p->monitoring.authorised_by);
    const claim *hand_in = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const claim *a = &c->v[i];
        principle_report *r = &reports[a->doc];
        const document *d = c->docs->docs[a->doc];
        if (a->kind == CLAIM_RULE) {
            const claim *u = usual_rule(c, a->group);
            if (!strcmp(u->value, "hand-in") && !hand_in)
                hand_in = u;
            if (strcmp(u->value, a->value))
                differs(r, d, lines, a->doc, file,
                        "the pupils' device rule differs: \"%s\" in %s, where %s says \"%s\" "
                        "(%s)", a->said, a->source, doc_id(c, u), u->said, u->source);
        } else if (a->kind == CLAIM_AGREES && strcmp(a->value, agrees)) {
            differs(r, d, lines, a->doc, file,
                    "%s names %s to agree to closer monitoring or keeping a device, where the "
                    "setting names %s (authorised-by=\"%s\")", a->source, a->said,
                    agreer_name(c->p), agrees);
        } else if (a->kind == CLAIM_MONITORS &&
                   (!strcmp(a->value, "personal-messages")
                        ? !c->p->monitoring.personal_messages
                        : !library_list_has(c->p->monitoring.what, a->value))) {
            differs(r, d, lines, a->doc, file,
                    "%s says \"%s\" %s monitored, which the profile's monitoring does not "
                    "include (%s)", a->source, a->said, a->said[strlen(a->said) - 1] == 's'
                    ? "are" : "is", a->value);
        }
    }
    for (size_t i = 0; hand_in && i < c->n; i++) {
        const claim *a = &c->v[i];
        if (a->kind == CLAIM_KEEPS)
            differs(&reports[a->doc], c->docs->docs[a->doc], lines, a->doc, file,
                    "%s asks for agreement to keep a device (\"%s\") beside a daily hand-in "
                    "(%s, %s): say it is kept after the day ends", a->source, a->said,
                    doc_id(c, hand_in), hand_in->source);
    }
}

/* A pass says what the document agrees with the others on. */
static void evidence(const claims *c, principle_report *reports)
{
    for (size_t doc = 0; doc < c->docs->count; doc++) {
        principle_outcome *o = principle_report_find(&reports[doc], "consistent");
        if (!o || o->status == OUTCOME_NOT_APPLICABLE || o->status == OUTCOME_WAIVED)
            continue;
        size_t diffs = 0;
        for (size_t i = 0; i < reports[doc].diags.count; i++)
            diffs += reports[doc].diags.items[i].rule &&
                     !strcmp(reports[doc].diags.items[i].rule, "consistent");
        strbuf sb = {0};
        const char *rule = NULL, *who = NULL;
        for (size_t i = 0; i < c->n; i++) {
            if (c->v[i].doc != doc)
                continue;
            if (c->v[i].kind == CLAIM_RULE && !rule)
                rule = c->v[i].said;
            if (c->v[i].kind == CLAIM_AGREES && !who)
                who = c->v[i].said;
        }
        if (diffs)
            sb_printf(&sb, "%zu difference%s from the setting's other documents", diffs,
                      diffs == 1 ? "" : "s");
        else if (!rule && !who)
            sb_puts(&sb, "no device rule or authority to compare");
        else {
            sb_puts(&sb, "as the setting's other documents: ");
            if (rule)
                sb_printf(&sb, "device rule \"%s\"%s", rule, who ? "; " : "");
            if (who)
                sb_printf(&sb, "%s agrees to closer checks", who);
        }
        free(o->evidence);
        o->evidence = sb.data;
    }
}

void consistent_check(const principle_set *ps, const profile *p, const doc_set *docs,
                      principle_report *reports, const int *lines, const char *file)
{
    claims c = {.def = principles_find(ps, "consistent"), .p = p, .docs = docs};
    if (!c.def)
        return;
    for (size_t doc = 0; doc < docs->count; doc++)
        read_document(&c, doc);
    compare(&c, reports, lines, file);
    evidence(&c, reports);
    for (size_t i = 0; i < c.n; i++) {
        free(c.v[i].said);
        free(c.v[i].source);
    }
    free(c.v);
}
