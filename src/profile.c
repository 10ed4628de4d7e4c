#include "profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "util/io.h"
#include "xmlload.h"

static const char *const kind_names[KIND_COUNT] = {
    "primary", "secondary", "all-through", "special", "college",
    "early-years", "youth-service", "library", "children-services",
};
static const char *const device_names[] = {"banned", "approved-use", "encouraged"};
static const char *const role_names[ROLE_COUNT] = {
    "online-safety-lead", "dsl", "head", "link-governor", "network-manager",
    "data-protection-officer",
};
static const char *const tech_names[TECH_COUNT] = {
    "learning-platform", "email", "internet", "wifi", "devices", "ai-tools",
    "video-calls", "remote-learning",
};
static const char *const policy_names[] = {
    "child-protection", "anti-bullying", "behaviour", "data-protection", "staff-conduct", "other",
};

#define LOOKUP(table, n, s)                                    \
    do {                                                       \
        for (int i_ = 0; i_ < (int)(n); i_++)                  \
            if ((s) && strcmp((table)[i_], (s)) == 0)          \
                return i_;                                     \
        return -1;                                             \
    } while (0)

static int index_of(const char *const *table, size_t n, const char *s) { LOOKUP(table, n, s); }

const char *profile_kind_name(setting_kind k) { return kind_names[k]; }
const char *profile_device_policy_name(device_policy d) { return device_names[d]; }
const char *profile_role_name(person_role r) { return role_names[r]; }
const char *profile_tech_name(tech_kind t) { return tech_names[t]; }
const char *profile_policy_kind_name(policy_kind k) { return policy_names[k]; }
int profile_kind_from_name(const char *s) { return index_of(kind_names, KIND_COUNT, s); }

/* A youth service has young people, sessions and groups, not pupils,
 * lessons and classes, and a board rather than governors. */
static const setting_words words[KIND_COUNT] = {
#define SCHOOL {"school", "pupil", "pupils", "lessons", "the chair of governors", "governors", \
                "class", "link governor"}
    [KIND_PRIMARY] = SCHOOL, [KIND_SECONDARY] = SCHOOL, [KIND_ALL_THROUGH] = SCHOOL,
    [KIND_SPECIAL] = SCHOOL,
#undef SCHOOL
    [KIND_COLLEGE] = {"college", "student", "students", "lessons", "the chair of governors",
                      "governors", "class", "link governor"},
    [KIND_EARLY_YEARS] = {"nursery", "child", "children", "sessions",
                          "the chair of governors or the owner", "governors and owners",
                          "room", "link governor"},
    [KIND_YOUTH_SERVICE] = {"youth service", "young person", "young people", "sessions",
                            "the manager the head reports to", "board members", "group",
                            "link board member"},
    [KIND_LIBRARY] = {"library", "young person", "young people", "sessions",
                      "the manager the head reports to", "board members", "group",
                      "link board member"},
    [KIND_CHILDREN_SERVICES] = {"service", "child or young person", "children and young people",
                                "sessions", "the manager the head reports to", "board members",
                                "group", "link board member"},
};

const setting_words *profile_words(setting_kind k) { return &words[k]; }

const char *profile_setting_noun(setting_kind k) { return words[k].noun; }

bool profile_date_parse(const char *s, aupc_date *out)
{
    int y, m, d, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
        return false;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    out->year = y;
    out->month = m;
    out->day = d;
    return true;
}

void profile_date_long(aupc_date d, char *buf, size_t size)
{
    static const char *const months[] = {"January", "February", "March", "April", "May",
        "June", "July", "August", "September", "October", "November", "December"};
    if (d.month < 1 || d.month > 12)
        snprintf(buf, size, "not set");
    else
        snprintf(buf, size, "%d %s %d", d.day, months[d.month - 1], d.year);
}

void profile_date_iso(aupc_date d, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
}

/* --- building the model from a validated tree ----------------------------- */

typedef struct {
    const char *file, *data;
    size_t len;
    diag_list *diags;
    int errors;
} builder;

/* A diagnostic on element N, or on its attribute ATTR when not NULL. */
static void say(builder *b, diag_severity sev, xmlNodePtr n, const char *attr, const char *fmt,
                va_list ap)
{
    int line;
    int col = xmlload_where(b->data, b->len, n, attr, &line);
    diag_vadd(b->diags, sev, b->file, line, col, NULL, fmt, ap);
    b->errors += sev == DIAG_ERROR;
}

static void fail(builder *b, xmlNodePtr n, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(builder *b, xmlNodePtr n, const char *attr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(b, DIAG_ERROR, n, attr, fmt, ap);
    va_end(ap);
}

static void warn(builder *b, xmlNodePtr n, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void warn(builder *b, xmlNodePtr n, const char *attr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(b, DIAG_WARNING, n, attr, fmt, ap);
    va_end(ap);
}

static int attr_index(xmlNodePtr n, const char *name, const char *const *table, size_t count,
                      int fallback)
{
    char *v = xmlload_token(n, name);
    int i = v ? index_of(table, count, v) : fallback;
    free(v);
    return i < 0 ? fallback : i;
}

/* The audience kind named by an audience= attribute (the schema allows no other). */
static int kind_attr(xmlNodePtr n)
{
    char *v = xmlload_token(n, "audience");
    int k = audience_kind_find(v);
    free(v);
    return k < 0 ? AUD_PUPIL : k;
}

static bool attr_bool(xmlNodePtr n, const char *name, bool fallback)
{
    char *v = xmlload_token(n, name);
    bool r = v ? (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) : fallback;
    free(v);
    return r;
}

static int attr_int(xmlNodePtr n, const char *name, int fallback)
{
    char *v = xmlload_token(n, name);
    int r = v ? atoi(v) : fallback;
    free(v);
    return r;
}

static aupc_date attr_date(xmlNodePtr n, const char *name)
{
    aupc_date d = {0, 0, 0};
    char *v = xmlload_token(n, name);
    if (v)
        profile_date_parse(v, &d);
    free(v);
    return d;
}

#define GROW(arr, count) ((arr) = xrealloc((arr), ((count) + 1) * sizeof *(arr)), &(arr)[(count)++])

static xmlNodePtr first_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static xmlNodePtr next_el(xmlNodePtr n)
{
    for (n = n->next; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

#define FOR_EACH(c, parent) for (xmlNodePtr c = first_child(parent); c; c = next_el(c))

static void load_people(builder *b, profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        int role = attr_index(c, "role", role_names, ROLE_COUNT, 0);
        if (profile_person_by_role(p, (person_role)role)) {
            fail(b, c, "role", "a second person with role '%s': give each role once",
                 role_names[role]);
            continue;
        }
        profile_person *pp = GROW(p->people, p->npeople);
        pp->role = (person_role)role;
        pp->name = xmlload_attr(c, "name");
        pp->title = xmlload_attr(c, "title");
        pp->email = xmlload_attr(c, "email");
        pp->phone = xmlload_attr(c, "phone");
    }
}

static void load_contacts(builder *b, profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        profile_contact *pc = GROW(p->contacts, p->ncontacts);
        pc->role = xmlload_token(c, "role");
        pc->group = xmlload_token(c, "group");
        pc->name = xmlload_attr(c, "name");
        pc->phone = xmlload_attr(c, "phone");
        pc->email = xmlload_attr(c, "email");
        pc->web = xmlload_attr(c, "web");
        pc->hours = xmlload_attr(c, "hours");
        pc->always = attr_bool(c, "always", false);
        xmlload_where(b->data, b->len, c, NULL, &pc->line);
    }
}

static void load_technology(profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        int t = index_of(tech_names, TECH_COUNT, (const char *)c->name);
        if (t < 0 || p->tech[t].present)
            continue;
        p->tech[t].present = true;
        p->tech[t].name = xmlload_attr(c, "name");
        p->tech[t].note = xmlload_attr(c, "note");
    }
}

static void load_devices(profile *p, xmlNodePtr n)
{
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        int def = index_of(device_names, 3, ki->devices_default);
        p->devices[k] = (device_policy)attr_index(n, ki->devices_attr, device_names, 3, def);
    }
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const audience_info *a = audience_at((audience_row)r);
        if (a->own_devices)
            p->devices_post16 = (device_policy)attr_index(n, a->band_name, device_names, 3,
                                                          (int)p->devices[a->kind]);
    }
}

static void load_monitoring(profile *p, xmlNodePtr n)
{
    p->monitoring.provider = xmlload_attr(n, "filtering-provider");
    p->monitoring.accredited = attr_bool(n, "accredited", false);
    p->monitoring.what = xmlload_token(n, "what");
    p->monitoring.personal_messages = attr_bool(n, "personal-messages", false);
    p->monitoring.enhanced = attr_bool(n, "enhanced", false);
    p->monitoring.confiscation = attr_bool(n, "confiscation", false);
    p->monitoring.authorised_by =
        (person_role)attr_index(n, "authorised-by", role_names, ROLE_COUNT, ROLE_HEAD);
}

static void load_sanctions(builder *b, profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        int aud = kind_attr(c);
        if (profile_ladder_for(p, (audience_kind)aud)) {
            fail(b, c, "audience", "a second sanctions ladder for '%s': merge the steps into one",
                 audience_kind_at((audience_kind)aud)->name);
            continue;
        }
        profile_ladder *l = GROW(p->ladders, p->nladders);
        l->audience = (audience_kind)aud;
        l->steps = NULL;
        l->nsteps = 0;
        FOR_EACH(s, c) {
            char **step = GROW(l->steps, l->nsteps);
            *step = xmlload_text(s);
        }
    }
}

/* A policy's url becomes a link in every output: only the web and email,
 * never javascript: or file:, which a PDF viewer might follow. */
static bool url_allowed(const char *url)
{
    static const char *const schemes[] = {"https://", "http://", "mailto:"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0 && url[strlen(schemes[i])])
            return true;
    return false;
}

static void load_policies(builder *b, profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        profile_policy *pp = GROW(p->policies, p->npolicies);
        pp->kind = (policy_kind)attr_index(c, "kind", policy_names, 6, POLICY_OTHER);
        pp->title = xmlload_attr(c, "title");
        pp->url = xmlload_attr(c, "url");
        if (pp->url && !url_allowed(pp->url))
            fail(b, c, "url", "the url '%s' is not a web or email address: start it with "
                 "https://, http:// or mailto:", pp->url);
    }
}

/* The row an <audience> names, or NULL when it names none (reported). */
static const audience_info *audience_row_of(builder *b, xmlNodePtr c)
{
    char *kind = xmlload_token(c, "kind"), *band_name = xmlload_token(c, "band");
    int band = band_name ? audience_band_find(band_name) : BAND_NONE;
    int k = kind ? audience_kind_find(kind) : (band > BAND_NONE ? AUD_PUPIL : -1);
    free(kind);
    free(band_name);
    char *kinds = audience_list(AUDIENCE_LIST_UNBANDED_KINDS, "|", "|");
    char *bands = audience_list(AUDIENCE_LIST_BANDS, "|", "|");
    const audience_info *row = NULL;
    bool banded = k >= 0 && audience_for((audience_kind)k, BAND_NONE)->band_name;
    if (k < 0 || band < 0)
        fail(b, c, NULL, "an audience needs kind=\"%s\" or a pupil band=\"%s\"", kinds,
             bands);
    else if (banded && band == BAND_NONE)
        fail(b, c, NULL, "a %s audience needs band=\"%s\"",
             audience_kind_at((audience_kind)k)->name, bands);
    else if (!banded && band != BAND_NONE)
        fail(b, c, "band", "band= applies to pupils only, not to kind=\"%s\"",
             audience_kind_at((audience_kind)k)->name);
    else
        row = audience_for((audience_kind)k, (pupil_band)band);
    free(kinds);
    free(bands);
    return row;
}

/* A band whose pupils the setting does not teach is most often a copied
 * audience list; the document would still be written, for readers who are
 * not there. */
static void warn_band_ages(builder *b, const profile *p, xmlNodePtr c, const audience_info *row)
{
    if (!row->band_name || p->age_from > p->age_to ||
        (p->age_from < row->ages_below && p->age_to >= row->ages_from))
        return;
    char *who = xstrdup(row->label_youth);
    who[0] = (char)tolower((unsigned char)who[0]);
    warn(b, c, "band", "band=\"%s\" is for %s, but <ages> says this setting serves ages %d "
         "to %d: check the audience or the ages", row->band_name, who, p->age_from, p->age_to);
    free(who);
}

static void load_audience(builder *b, profile *p, xmlNodePtr c)
{
    const audience_info *row = audience_row_of(b, c);
    if (!row)
        return;
    profile_audience a = {.kind = row->kind, .band = row->band, .info = row};
    a.col = xmlload_where(b->data, b->len, c, NULL, &a.line);
    warn_band_ages(b, p, c, row);
    char *reading = xmlload_token(c, "reading");
    a.easy = reading && strcmp(reading, "easy") == 0;
    free(reading);
    snprintf(a.id, sizeof a.id, "%s%s", row->id, a.easy ? AUDIENCE_EASY_SUFFIX : "");
    for (size_t i = 0; i < p->naudiences; i++)
        if (strcmp(p->audiences[i].id, a.id) == 0) {
            fail(b, c, NULL, "audience '%s' is listed twice (first on line %d)", a.id,
                 p->audiences[i].line);
            return;
        }
    *GROW(p->audiences, p->naudiences) = a;
}

static void load_consultation(profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        profile_consulted *pc = GROW(p->consulted, p->nconsulted);
        pc->audience = (audience_kind)kind_attr(c);
        pc->on = attr_date(c, "on");
        pc->how = xmlload_attr(c, "how");
    }
}

static void load_communication(profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        profile_tell *t = GROW(p->tells, p->ntells);
        t->audience = (audience_kind)kind_attr(c);
        t->via = xmlload_token(c, "via");
        t->check = xmlload_attr(c, "check");
    }
}

static int date_cmp(aupc_date a, aupc_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    return a.day == b.day ? 0 : a.day < b.day ? -1 : 1;
}

static void load_review(builder *b, profile *p, xmlNodePtr n)
{
    p->review.approved = attr_date(n, "approved");
    p->review.next = attr_date(n, "next");
    p->review.by = xmlload_attr(n, "by");
    p->review.cycle_months = attr_int(n, "cycle-months", 12);
    p->review.after_incidents = attr_bool(n, "after-incidents", true);
    if (date_cmp(p->review.next, p->review.approved) <= 0)
        fail(b, n, "next", "the next review must come after the approval date");
    FOR_EACH(c, n) {
        profile_change *ch = GROW(p->review.changes, p->review.nchanges);
        ch->date = attr_date(c, "date");
        ch->by = xmlload_attr(c, "by");
        ch->note = xmlload_attr(c, "note");
    }
}

static void load_custom(profile_override *o, xmlNodePtr c)
{
    o->section = xmlload_token(c, "section");
    o->principles = xmlload_token(c, "principles");
    if (!o->principles)
        o->principles = xstrdup("setting");
    o->order = (unsigned)attr_int(c, "order", 900);
    FOR_EACH(t, c) {
        if (xmlload_is(t, "detect")) {
            *GROW(o->detect, o->ndetect) = xmlload_text(t);
        } else {
            profile_text *pt = GROW(o->texts, o->ntexts);
            pt->reader = xmlload_token(t, "for");
            pt->text = xmlload_text(t);
            pt->line = xmlGetLineNo(t);
        }
    }
}

static void load_overrides(builder *b, profile *p, xmlNodePtr n)
{
    FOR_EACH(c, n) {
        profile_override *o = GROW(p->overrides, p->noverrides);
        memset(o, 0, sizeof *o);
        o->kind = xmlload_is(c, "include") ? OVERRIDE_INCLUDE
                : xmlload_is(c, "exclude") ? OVERRIDE_EXCLUDE : OVERRIDE_CUSTOM;
        o->id = xmlload_token(c, "id");
        o->audiences = xmlload_token(c, "audiences");
        o->reason = xmlload_attr(c, "reason");
        o->col = xmlload_where(b->data, b->len, c, NULL, &o->line);
        if (o->kind == OVERRIDE_CUSTOM)
            load_custom(o, c);
    }
}

static void check_consistency(builder *b, profile *p, xmlNodePtr root)
{
    if (p->age_from > p->age_to) {
        xmlNodePtr ages = NULL;
        FOR_EACH(c, root) if (xmlload_is(c, "ages")) ages = c;
        fail(b, ages, "from", "ages from=\"%d\" is above to=\"%d\"", p->age_from, p->age_to);
    }
    for (size_t i = 0; i < p->naudiences; i++) {
        audience_kind k = p->audiences[i].kind;
        if (!profile_ladder_for(p, k)) {
            diag_add(b->diags, DIAG_ERROR, b->file, p->audiences[i].line, p->audiences[i].col,
                     NULL,
                     "audience '%s' has no sanctions: add <ladder audience=\"%s\"> to "
                     "<sanctions>", p->audiences[i].id, audience_kind_at(k)->name);
            b->errors++;
            return;
        }
    }
}

static bool word_at(const char *text, const char *at, size_t n)
{
    return (at == text || !isalnum((unsigned char)at[-1])) && !isalnum((unsigned char)at[n]);
}

/* HOST at AT in TEXT is the whole host name of an address, as in
 * "safeguarding@example.org" or "https://www.example.org/", and not the
 * end of a fuller one such as brookfield.example.sch.uk. */
static bool whole_host(const char *text, const char *at, size_t n)
{
    char after = at[n];
    if (isalnum((unsigned char)after) || after == '.' || after == '-')
        return false;
    if (at >= text + 4 && !strncasecmp(at - 4, "www.", 4))
        at -= 4;
    return at == text || at[-1] == '@' || at[-1] == '/' || isspace((unsigned char)at[-1]);
}

bool profile_is_placeholder(const char *text)
{
    static const char *const hosts[] = {"example.org", "example.com", "example.net",
                                        "example.sch.uk"};
    for (const char *at = text; (at = strstr(at, "Example")); at++)
        if (word_at(text, at, 7))
            return true;
    for (const char *at = text; *at; at++) {
        if ((at[0] | 0x20) != 'e' || (at[1] | 0x20) != 'x')
            continue;   /* every host starts with "example" */
        for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
            size_t n = strlen(hosts[i]);
            if (!strncasecmp(at, hosts[i], n) && whole_host(text, at, n))
                return true;
        }
    }
    return strstr(text, "01632 960000") != NULL;
}

static void note_placeholder(builder *b, profile *p, xmlNodePtr n, const char *attr,
                             const char *value)
{
    if (!profile_is_placeholder(value))
        return;
    profile_placeholder *ph = GROW(p->placeholders, p->nplaceholders);
    ph->value = xstrdup(value);
    ph->attr = attr ? xstrdup(attr) : NULL;
    ph->element = xstrdup((const char *)n->name);
    ph->col = xmlload_where(b->data, b->len, n, attr, &ph->line);
}

/* Every attribute and every text of the tree, in document order. */
static void find_placeholders(builder *b, profile *p, xmlNodePtr n)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        char *v = xmlload_token(n, (const char *)a->name);
        if (v)
            note_placeholder(b, p, n, (const char *)a->name, v);
        free(v);
    }
    if (!first_child(n) && n->children) {
        char *v = xmlload_text(n);
        note_placeholder(b, p, n, NULL, v);
        free(v);
    }
    FOR_EACH(c, n)
        find_placeholders(b, p, c);
}

static void load_root(builder *b, profile *p, xmlNodePtr root)
{
    p->id = xmlload_token(root, "id");
    p->version = xmlload_attr(root, "version");
    p->lang = xmlload_token(root, "lang");
    p->lang_col = xmlload_where(b->data, b->len, root, p->lang ? "lang" : NULL, &p->lang_line);
    if (!p->lang)
        p->lang = xstrdup("en-GB");
    FOR_EACH(c, root) {
        const char *name = (const char *)c->name;
        if (!strcmp(name, "name")) p->name = xmlload_text(c);
        else if (!strcmp(name, "kind")) {
            char *k = xmlload_text(c);
            p->kind = (setting_kind)index_of(kind_names, KIND_COUNT, k);
            free(k);
        }
        else if (!strcmp(name, "ages")) {
            p->age_from = attr_int(c, "from", 0);
            p->age_to = attr_int(c, "to", 0);
        }
        else if (!strcmp(name, "nation")) p->nation = xmlload_text(c);
        else if (!strcmp(name, "website")) p->website = xmlload_text(c);
        else if (!strcmp(name, "people")) load_people(b, p, c);
        else if (!strcmp(name, "contacts")) load_contacts(b, p, c);
        else if (!strcmp(name, "technology")) load_technology(p, c);
        else if (!strcmp(name, "devices")) load_devices(p, c);
        else if (!strcmp(name, "monitoring")) load_monitoring(p, c);
        else if (!strcmp(name, "sanctions")) load_sanctions(b, p, c);
        else if (!strcmp(name, "policies")) load_policies(b, p, c);
        else if (!strcmp(name, "audiences")) { FOR_EACH(a, c) load_audience(b, p, a); }
        else if (!strcmp(name, "consultation")) load_consultation(p, c);
        else if (!strcmp(name, "communication")) load_communication(p, c);
        else if (!strcmp(name, "images")) p->image_uses = xmlload_token(c, "uses");
        else if (!strcmp(name, "review")) load_review(b, p, c);
        else if (!strcmp(name, "statements")) load_overrides(b, p, c);
    }
    if (!p->nation)
        p->nation = xstrdup("england");
    if (!b->errors)
        check_consistency(b, p, root);
    find_placeholders(b, p, root);
}

#define PROFILE_SCHEMA "schema/profile.xsd"

void profile_prepare(void)
{
    xmlload_prepare(PROFILE_SCHEMA);
}

profile *profile_parse(const char *file, const char *data, size_t len, diag_list *diags)
{
    xmlDocPtr doc = xmlload_parse(file, data, len, PROFILE_SCHEMA, diags);
    if (!doc)
        return NULL;
    profile *p = xcalloc(1, sizeof *p);
    p->file = xstrdup(file);
    builder b = {file, data, len, diags, 0};
    load_root(&b, p, xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    if (b.errors) {
        profile_free(p);
        return NULL;
    }
    return p;
}

profile *profile_load(const char *file, diag_list *diags)
{
    char *data;
    size_t len;
    const char *err;
    if (io_read_file(file, &data, &len, &err) != 0) {
        diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "cannot read the profile: %s", err);
        return NULL;
    }
    profile *p = profile_parse(file, data, len, diags);
    free(data);
    return p;
}

const profile_person *profile_person_by_role(const profile *p, person_role role)
{
    for (size_t i = 0; i < p->npeople; i++)
        if (p->people[i].role == role)
            return &p->people[i];
    return NULL;
}

const profile_ladder *profile_ladder_for(const profile *p, audience_kind kind)
{
    for (size_t i = 0; i < p->nladders; i++)
        if (p->ladders[i].audience == kind)
            return &p->ladders[i];
    return NULL;
}

const profile_tell *profile_tell_for(const profile *p, audience_kind kind)
{
    for (size_t i = 0; i < p->ntells; i++)
        if (p->tells[i].audience == kind)
            return &p->tells[i];
    return NULL;
}

const profile_consulted *profile_consulted_for(const profile *p, audience_kind kind)
{
    for (size_t i = 0; i < p->nconsulted; i++)
        if (p->consulted[i].audience == kind)
            return &p->consulted[i];
    return NULL;
}

device_policy profile_device_policy(const profile *p, const profile_audience *a)
{
    if (audience_for(a->kind, a->band)->own_devices)
        return p->devices_post16;
    return p->devices[a->kind];
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_override(profile_override *o)
{
    free(o->id);
    free(o->audiences);
    free(o->reason);
    free(o->section);
    free(o->principles);
    free_strings(o->detect, o->ndetect);
    for (size_t i = 0; i < o->ntexts; i++) {
        free(o->texts[i].reader);
        free(o->texts[i].text);
    }
    free(o->texts);
}

void profile_free(profile *p)
{
    if (!p)
        return;
    free(p->file); free(p->id); free(p->version); free(p->lang);
    free(p->name); free(p->website); free(p->nation);
    for (size_t i = 0; i < p->npeople; i++) {
        profile_person *x = &p->people[i];
        free(x->name); free(x->title); free(x->email); free(x->phone);
    }
    free(p->people);
    for (size_t i = 0; i < p->ncontacts; i++) {
        profile_contact *c = &p->contacts[i];
        free(c->role); free(c->group); free(c->name); free(c->phone);
        free(c->email); free(c->web); free(c->hours);
    }
    free(p->contacts);
    for (int t = 0; t < TECH_COUNT; t++) {
        free(p->tech[t].name);
        free(p->tech[t].note);
    }
    free(p->monitoring.provider);
    free(p->monitoring.what);
    for (size_t i = 0; i < p->nladders; i++)
        free_strings(p->ladders[i].steps, p->ladders[i].nsteps);
    free(p->ladders);
    for (size_t i = 0; i < p->npolicies; i++) {
        free(p->policies[i].title);
        free(p->policies[i].url);
    }
    free(p->policies);
    free(p->audiences);
    for (size_t i = 0; i < p->nconsulted; i++)
        free(p->consulted[i].how);
    free(p->consulted);
    for (size_t i = 0; i < p->ntells; i++) {
        free(p->tells[i].via);
        free(p->tells[i].check);
    }
    free(p->tells);
    free(p->image_uses);
    free(p->review.by);
    for (size_t i = 0; i < p->review.nchanges; i++) {
        free(p->review.changes[i].by);
        free(p->review.changes[i].note);
    }
    free(p->review.changes);
    for (size_t i = 0; i < p->noverrides; i++)
        free_override(&p->overrides[i]);
    free(p->overrides);
    for (size_t i = 0; i < p->nplaceholders; i++) {
        free(p->placeholders[i].value);
        free(p->placeholders[i].attr);
        free(p->placeholders[i].element);
    }
    free(p->placeholders);
    free(p);
}
