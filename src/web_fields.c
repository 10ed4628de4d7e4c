#include "web_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "xmlload.h"

/* ---- the field list ------------------------------------------------------ */

static size_t key_hash(const char *key)
{
    size_t h = 14695981039346656037u;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* The slot of KEY: the one that holds it, or the empty one it would take. */
static size_t slot_of(const web_fields *f, const char *key)
{
    size_t i = key_hash(key) & (f->nslots - 1);
    while (f->heads[i] && strcmp(f->items[f->heads[i] - 1].key, key))
        i = (i + 1) & (f->nslots - 1);
    return i;
}

static void index_field(web_fields *f, size_t at)
{
    size_t s = slot_of(f, f->items[at].key);
    if (f->heads[s])
        f->items[f->tails[s] - 1].next = at + 1;
    else
        f->heads[s] = at + 1;
    f->tails[s] = at + 1;
}

/* Keep the table at most half full: rebuilt from the fields in order. */
static void grow_index(web_fields *f)
{
    if (2 * (f->count + 1) <= f->nslots)
        return;
    free(f->heads);
    free(f->tails);
    f->nslots = f->nslots ? 2 * f->nslots : 64;
    f->heads = xcalloc(f->nslots, sizeof *f->heads);
    f->tails = xcalloc(f->nslots, sizeof *f->tails);
    for (size_t i = 0; i < f->count; i++) {
        f->items[i].next = 0;
        index_field(f, i);
    }
}

void web_fields_addn(web_fields *f, const char *key, const char *value, size_t len)
{
    if (f->count == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 64;
        f->items = xrealloc(f->items, f->cap * sizeof *f->items);
    }
    grow_index(f);
    f->items[f->count] = (web_field){xstrdup(key), xstrndup(value, len), 0};
    index_field(f, f->count++);
}

void web_fields_add(web_fields *f, const char *key, const char *value)
{
    web_fields_addn(f, key, value, strlen(value));
}

/* The first field of KEY, or NULL. */
static const web_field *first_of(const web_fields *f, const char *key)
{
    if (!f->nslots)
        return NULL;
    size_t s = slot_of(f, key);
    return f->heads[s] ? &f->items[f->heads[s] - 1] : NULL;
}

const char *web_fields_get(const web_fields *f, const char *key)
{
    const web_field *w = first_of(f, key);
    return w ? w->value : NULL;
}

bool web_fields_has(const web_fields *f, const char *key, const char *value)
{
    for (const web_field *w = first_of(f, key); w; w = w->next ? &f->items[w->next - 1] : NULL)
        if (!strcmp(w->value, value))
            return true;
    return false;
}

void web_fields_free(web_fields *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->items[i].key);
        free(f->items[i].value);
    }
    free(f->items);
    free(f->heads);
    free(f->tails);
    *f = (web_fields){0};
}

void web_notes_add(web_notes *n, const char *field, diag_severity sev, const char *message)
{
    n->items = xrealloc(n->items, (n->count + 1) * sizeof *n->items);
    n->items[n->count++] = (web_note){field ? xstrdup(field) : NULL, sev, xstrdup(message)};
}

void web_notes_free(web_notes *n)
{
    for (size_t i = 0; i < n->count; i++) {
        free(n->items[i].field);
        free(n->items[i].message);
    }
    free(n->items);
    n->items = NULL;
    n->count = 0;
}

const web_note *web_notes_for(const web_notes *n, const char *field)
{
    for (size_t i = 0; i < n->count; i++)
        if (n->items[i].field && !strcmp(n->items[i].field, field))
            return &n->items[i];
    return NULL;
}

/* ---- model -> fields ----------------------------------------------------- */

/* Names of enumerations, as functions of an index. */
static const char *kind_n(int i) { return profile_kind_name((setting_kind)i); }
static const char *device_n(int i) { return profile_device_policy_name((device_policy)i); }
static const char *aud_n(int i) { return audience_kind_at((audience_kind)i)->name; }
static const char *role_n(int i) { return profile_role_name((person_role)i); }
static const char *policy_n(int i) { return profile_policy_kind_name((policy_kind)i); }
static const char *tech_n(int i) { return profile_tech_name((tech_kind)i); }


static void add_opt(web_fields *f, const char *key, const char *value)
{
    if (value)
        web_fields_add(f, key, value);
}

static void add_fmt(web_fields *f, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_fmt(web_fields *f, const char *value, const char *fmt, ...)
{
    if (!value)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *key = xvasprintf(fmt, ap);
    va_end(ap);
    web_fields_add(f, key, value);
    free(key);
}

static void add_date(web_fields *f, const char *key, aupc_date d)
{
    char buf[16];
    if (d.year <= 0)
        return;
    profile_date_iso(d, buf, sizeof buf);
    web_fields_add(f, key, buf);
}

/* A list such as what="web email": one value per checkbox, and the list as
 * it was written, so that an unchanged choice keeps its order and spacing. */
static void add_list(web_fields *f, const char *key, const char *list)
{
    if (!list)
        return;
    char *copy = xstrdup(list), *save = NULL;
    for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save))
        web_fields_add(f, key, w);
    free(copy);
    char *was = xasprintf("%s.as-loaded", key);
    web_fields_add(f, was, list);
    free(was);
}

void web_fields_blank(web_fields *out)
{
    web_fields_add(out, "nation", "england");
    web_fields_add(out, "devices.parents", "approved-use");
    web_fields_add(out, "devices.community", "approved-use");
    web_fields_add(out, "monitoring.accredited", "false");
    web_fields_add(out, "monitoring.authorised-by", "head");
    web_fields_add(out, "review.cycle-months", "12");
    web_fields_add(out, "review.after-incidents", "true");
}

static void people_to_fields(const profile *p, web_fields *f)
{
    for (size_t i = 0; i < p->npeople; i++) {
        const profile_person *x = &p->people[i];
        const char *r = profile_role_name(x->role);
        add_fmt(f, x->name ? x->name : "", "person.%s.name", r);
        add_fmt(f, x->title, "person.%s.title", r);
        add_fmt(f, x->email, "person.%s.email", r);
        add_fmt(f, x->phone, "person.%s.phone", r);
    }
    for (size_t i = 0; i < p->ncontacts; i++) {
        const profile_contact *c = &p->contacts[i];
        add_fmt(f, c->role, "contact.%zu.role", i);
        add_fmt(f, c->group, "contact.%zu.group", i);
        add_fmt(f, c->name, "contact.%zu.name", i);
        add_fmt(f, c->phone, "contact.%zu.phone", i);
        add_fmt(f, c->email, "contact.%zu.email", i);
        add_fmt(f, c->web, "contact.%zu.web", i);
        add_fmt(f, c->hours, "contact.%zu.hours", i);
        add_fmt(f, c->always ? "true" : NULL, "contact.%zu.always", i);
    }
}

static void rules_to_fields(const profile *p, web_fields *f)
{
    for (int t = 0; t < TECH_COUNT; t++) {
        if (!p->tech[t].present)
            continue;
        const char *n = profile_tech_name((tech_kind)t);
        add_fmt(f, "on", "tech.%s", n);
        add_fmt(f, p->tech[t].name, "tech.%s.name", n);
        add_fmt(f, p->tech[t].note, "tech.%s.note", n);
    }
    for (int k = 0; k < AUD_KIND_COUNT; k++)
        add_fmt(f, profile_device_policy_name(p->devices[k]), "devices.%s",
                audience_kind_at((audience_kind)k)->devices_attr);
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const audience_info *a = audience_at((audience_row)r);
        if (a->own_devices)
            add_fmt(f, p->devices_post16 == p->devices[a->kind]
                       ? "" : profile_device_policy_name(p->devices_post16),
                    "devices.%s", a->band_name);
    }
    add_opt(f, "monitoring.filtering-provider", p->monitoring.provider);
    web_fields_add(f, "monitoring.accredited", p->monitoring.accredited ? "true" : "false");
    add_list(f, "monitoring.what", p->monitoring.what);
    add_opt(f, "monitoring.personal-messages", p->monitoring.personal_messages ? "true" : NULL);
    add_opt(f, "monitoring.enhanced", p->monitoring.enhanced ? "true" : NULL);
    add_opt(f, "monitoring.confiscation", p->monitoring.confiscation ? "true" : NULL);
    web_fields_add(f, "monitoring.authorised-by", profile_role_name(p->monitoring.authorised_by));
    for (size_t i = 0; i < p->nladders; i++) {
        const profile_ladder *l = &p->ladders[i];
        strbuf steps = {0};
        for (size_t s = 0; s < l->nsteps; s++)
            sb_printf(&steps, "%s%s", s ? "\n" : "", l->steps[s]);
        add_fmt(f, aud_n(l->audience), "ladder.%zu.audience", i);
        add_fmt(f, steps.data ? steps.data : "", "ladder.%zu.steps", i);
        sb_free(&steps);
    }
    for (size_t i = 0; i < p->npolicies; i++) {
        add_fmt(f, profile_policy_kind_name(p->policies[i].kind), "policy.%zu.kind", i);
        add_fmt(f, p->policies[i].title, "policy.%zu.title", i);
        add_fmt(f, p->policies[i].url, "policy.%zu.url", i);
    }
}

static void audiences_to_fields(const profile *p, web_fields *f)
{
    strbuf order = {0};
    for (size_t i = 0; i < p->naudiences; i++) {
        web_fields_add(f, "audience", p->audiences[i].id);
        sb_printf(&order, "%s%s", i ? " " : "", p->audiences[i].id);
    }
    add_opt(f, "audience.as-loaded", order.data);
    sb_free(&order);
    for (size_t i = 0; i < p->nconsulted; i++) {
        char on[16];
        profile_date_iso(p->consulted[i].on, on, sizeof on);
        add_fmt(f, aud_n(p->consulted[i].audience), "consulted.%zu.audience", i);
        add_fmt(f, on, "consulted.%zu.on", i);
        add_fmt(f, p->consulted[i].how, "consulted.%zu.how", i);
    }
    for (size_t i = 0; i < p->ntells; i++) {
        char key[48];
        add_fmt(f, aud_n(p->tells[i].audience), "tell.%zu.audience", i);
        snprintf(key, sizeof key, "tell.%zu.via", i);
        add_list(f, key, p->tells[i].via);
        add_fmt(f, p->tells[i].check, "tell.%zu.check", i);
    }
    add_list(f, "images.uses", p->image_uses);
}

static void review_to_fields(const profile *p, web_fields *f)
{
    char months[16];
    add_date(f, "review.approved", p->review.approved);
    add_opt(f, "review.by", p->review.by);
    snprintf(months, sizeof months, "%d", p->review.cycle_months);
    web_fields_add(f, "review.cycle-months", months);
    add_date(f, "review.next", p->review.next);
    add_opt(f, "review.after-incidents", p->review.after_incidents ? "true" : NULL);
    for (size_t i = 0; i < p->review.nchanges; i++) {
        const profile_change *c = &p->review.changes[i];
        char key[48];
        snprintf(key, sizeof key, "change.%zu.date", i);
        add_date(f, key, c->date);
        add_fmt(f, c->by, "change.%zu.by", i);
        add_fmt(f, c->note, "change.%zu.note", i);
    }
}

void web_fields_from_profile(const profile *p, web_fields *out)
{
    add_opt(out, "setting.id", p->id);
    add_opt(out, "setting.version", p->version);
    add_opt(out, "setting.lang", p->lang);
    add_opt(out, "name", p->name);
    web_fields_add(out, "kind", profile_kind_name(p->kind));
    char age[16];
    snprintf(age, sizeof age, "%d", p->age_from);
    web_fields_add(out, "ages.from", age);
    snprintf(age, sizeof age, "%d", p->age_to);
    web_fields_add(out, "ages.to", age);
    add_opt(out, "nation", p->nation);
    add_opt(out, "website", p->website);
    people_to_fields(p, out);
    rules_to_fields(p, out);
    audiences_to_fields(p, out);
    review_to_fields(p, out);
}

/* ---- fields -> model ----------------------------------------------------- */

/* Which form row each item of a list in the model came from, so an error
 * against the model's third contact is shown beside the form's row. */
typedef struct {
    const char *prefix;     /* "contact", ... */
    size_t *rows;
    size_t count;
} row_map;

enum { ROWS_CONTACT, ROWS_LADDER, ROWS_POLICY, ROWS_CONSULTED, ROWS_TELL, ROWS_CHANGE, ROWS_COUNT };
static const char *const row_prefixes[ROWS_COUNT] = {
    "contact", "ladder", "policy", "consulted", "tell", "change",
};

typedef struct {
    const web_fields *f;
    row_map maps[ROWS_COUNT];
    web_notes *notes;
} decoder;

/* Copy S keeping only what XML 1.0 can hold: a byte sequence that is not
 * UTF-8 becomes U+FFFD, and control characters become spaces (a name
 * typed into a form never needs one). */
static char *clean(const char *s)
{
    strbuf b = {0};
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        unsigned cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        bool ok = n > 0;
        for (size_t k = 1; ok && k < n; k++) {
            ok = (p[k] & 0xC0) == 0x80;
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        if (ok && n > 1)   /* overlong forms, surrogates, past U+10FFFF, U+FFFE and U+FFFF */
            ok = !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000)
                 && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF
                 && cp != 0xFFFE && cp != 0xFFFF;
        if (!ok) {
            sb_puts(&b, "\xEF\xBF\xBD");
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
        } else if (n == 1 && (c < 0x20 || c == 0x7F)) {
            sb_puts(&b, " ");
            p++;
        } else {
            sb_add(&b, (const char *)p, n);
            p += n;
        }
    }
    return b.data ? b.data : xstrdup("");
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

/* The field KEY cleaned, or NULL when it is absent or blank. */
static char *val(const decoder *d, const char *key)
{
    const char *v = web_fields_get(d->f, key);
    return blank(v) ? NULL : clean(v);
}

static char *valf(const decoder *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *valf(const decoder *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *key = xvasprintf(fmt, ap);
    va_end(ap);
    char *v = val(d, key);
    free(key);
    return v;
}

/* An enumeration: the index of the field's value among COUNT names given
 * by NAME, or UNSET, which profile_write leaves out for the loader to
 * report. */
static int choice(const char *value, const char *(*name)(int), int count, int unset)
{
    for (int i = 0; value && i < count; i++)
        if (!strcmp(name(i), value))
            return i;
    return unset;
}

static int choice_of(const decoder *d, const char *key, const char *(*name)(int), int count,
                     int unset)
{
    char *v = val(d, key);
    int i = choice(v, name, count, unset);
    free(v);
    return i;
}

static int number(const decoder *d, const char *key, int lo, int hi, int unset)
{
    char *v = val(d, key), *end = NULL;
    long n = v ? strtol(v, &end, 10) : 0;
    int r = v && end != v && blank(end) && n >= lo && n <= hi ? (int)n : unset;
    free(v);
    return r;
}

static aupc_date date_of(const decoder *d, const char *key)
{
    aupc_date out = {0, 0, 0};
    char *v = val(d, key);
    if (v && !profile_date_parse(v, &out))
        out = (aupc_date){0, 0, 0};
    free(v);
    return out;
}

static bool ticked(const decoder *d, const char *key)
{
    const char *v = web_fields_get(d->f, key);
    return v && (!strcmp(v, "true") || !strcmp(v, "on"));
}

/* The lists of the form, each a row per item, and the answers that make a
 * row count: a row of choices alone is one the form offered and nobody
 * filled in. */
static const struct {
    const char *prefix;
    const char *const *answers;
} lists[] = {
    {"contact", (const char *const[]){"name", "phone", "email", "web", "hours", NULL}},
    {"ladder", (const char *const[]){"steps", NULL}},
    {"policy", (const char *const[]){"title", "url", NULL}},
    {"consulted", (const char *const[]){"on", "how", NULL}},
    {"tell", (const char *const[]){"via", "check", NULL}},
    {"change", (const char *const[]){"date", "by", "note", NULL}},
};

static bool row_used(const web_fields *f, const char *prefix, size_t row)
{
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        if (strcmp(lists[i].prefix, prefix))
            continue;
        for (const char *const *a = lists[i].answers; *a; a++) {
            char *key = xasprintf("%s.%zu.%s", prefix, row, *a);
            bool used = !blank(web_fields_get(f, key));
            free(key);
            if (used)
                return true;
        }
    }
    return false;
}

const web_row_limit web_row_limits[] = {
    {"contact", "contacts", "contact", 100}, {"ladder", "sanctions", "ladder", 4},
    {"policy", "policies", "policy", 20},    {"consulted", "consultation", "consulted", 20},
    {"tell", "communication", "tell", 4},    {"change", "review", "change", 100},
};
const size_t web_row_limits_count = sizeof web_row_limits / sizeof *web_row_limits;

const web_row_limit *web_fields_row_limit(const char *prefix)
{
    for (size_t i = 0; i < web_row_limits_count; i++)
        if (!strcmp(web_row_limits[i].prefix, prefix))
            return &web_row_limits[i];
    return NULL;
}

/* How many rows of list PREFIX that hold an answer, counting past its limit. */
static size_t rows_used(const web_fields *f, const char *prefix, size_t **rows, size_t *next);

size_t web_fields_rows(const web_fields *f, const char *prefix, size_t **rows, size_t *next)
{
    size_t n = rows_used(f, prefix, rows, next);
    const web_row_limit *l = web_fields_row_limit(prefix);
    return l && n > l->max ? l->max : n;
}

static size_t rows_used(const web_fields *f, const char *prefix, size_t **rows, size_t *next)
{
    size_t n = 0, plen = strlen(prefix), top = 0;
    *rows = NULL;
    unsigned char *seen = xcalloc(WEB_MAX_ROW + 1, 1);
    for (size_t i = 0; i < f->count; i++) {
        const char *k = f->items[i].key;
        if (strncmp(k, prefix, plen) || k[plen] != '.' || k[plen + 1] < '0' || k[plen + 1] > '9')
            continue;
        char *end;
        unsigned long r = strtoul(k + plen + 1, &end, 10);
        if (*end != '.' || r > WEB_MAX_ROW)
            continue;
        if (r + 1 > top)
            top = r + 1;
        if (!seen[r] && row_used(f, prefix, r)) {
            *rows = xrealloc(*rows, (n + 1) * sizeof **rows);
            (*rows)[n++] = r;
        }
        seen[r] = 1;
    }
    free(seen);
    if (next)
        *next = top;
    return n;
}

/* The rows of list PREFIX, at most as many as the profile may hold, with a
 * note beside its section when the form sent more. */
static size_t decoder_rows(decoder *d, const char *prefix, size_t **rows)
{
    size_t n = rows_used(d->f, prefix, rows, NULL);
    const web_row_limit *l = web_fields_row_limit(prefix);
    if (!l || n <= l->max)
        return n;
    char *limit = xmlload_limit(l->parent, (int)l->max, l->elem);
    char *msg = xasprintf("%s: the form keeps the first %zu and leaves out the other %zu", limit,
                          l->max, n - l->max);
    web_notes_add(d->notes, l->parent, DIAG_WARNING, msg);
    free(msg);
    free(limit);
    return l->max;
}

static void map_row(decoder *d, int which, size_t row)
{
    row_map *m = &d->maps[which];
    m->rows = xrealloc(m->rows, (m->count + 1) * sizeof *m->rows);
    m->rows[m->count++] = row;
}

/* A space-separated list from the checkboxes KEY. When they hold the same
 * values as KEY.as-loaded, that text is kept as it was written. */
static char *list_of(const decoder *d, const char *key)
{
    strbuf b = {0};
    size_t n = 0;
    const web_fields *f = d->f;
    for (const web_field *w = first_of(f, key); w; w = w->next ? &f->items[w->next - 1] : NULL) {
        if (blank(w->value))
            continue;
        char *v = clean(w->value);
        sb_printf(&b, "%s%s", n++ ? " " : "", v);
        free(v);
    }
    char *was_key = xasprintf("%s.as-loaded", key);
    const char *was = web_fields_get(d->f, was_key);
    free(was_key);
    if (b.data && was) {
        size_t same = 0, words = 0;
        char *copy = xstrdup(was), *save = NULL;
        for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
            words++;
            same += web_fields_has(d->f, key, w);
        }
        free(copy);
        if (same == words && words == n) {
            sb_free(&b);
            return clean(was);
        }
    }
    return b.data;
}

static void decode_people(decoder *d, profile *p)
{
    for (size_t i = 0; i < d->f->count; i++) {
        const char *k = d->f->items[i].key;
        if (strncmp(k, "person.", 7))
            continue;
        const char *dot = strchr(k + 7, '.');
        if (!dot || strcmp(dot, ".name"))
            continue;
        char *role = xstrndup(k + 7, (size_t)(dot - k - 7));
        int r = choice(role, role_n, ROLE_COUNT, -1);
        if (r >= 0 && !profile_person_by_role(p, (person_role)r)) {
            char *name = valf(d, "person.%s.name", role), *title = valf(d, "person.%s.title", role);
            char *email = valf(d, "person.%s.email", role), *phone = valf(d, "person.%s.phone", role);
            if (name || title || email || phone) {
                p->people = xrealloc(p->people, (p->npeople + 1) * sizeof *p->people);
                p->people[p->npeople++] = (profile_person){(person_role)r, name, title, email, phone};
            }
        }
        free(role);
    }
}

static void decode_contacts(decoder *d, profile *p)
{
    size_t *rows, n = decoder_rows(d, "contact", &rows);
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        p->contacts = xrealloc(p->contacts, (p->ncontacts + 1) * sizeof *p->contacts);
        profile_contact *c = &p->contacts[p->ncontacts++];
        memset(c, 0, sizeof *c);
        c->role = valf(d, "contact.%zu.role", r);
        c->group = valf(d, "contact.%zu.group", r);
        c->name = valf(d, "contact.%zu.name", r);
        c->phone = valf(d, "contact.%zu.phone", r);
        c->email = valf(d, "contact.%zu.email", r);
        c->web = valf(d, "contact.%zu.web", r);
        c->hours = valf(d, "contact.%zu.hours", r);
        char *key = xasprintf("contact.%zu.always", r);
        c->always = ticked(d, key);
        free(key);
        map_row(d, ROWS_CONTACT, r);
    }
    free(rows);
}

static void decode_rules(decoder *d, profile *p)
{
    for (int t = 0; t < TECH_COUNT; t++) {
        const char *n = profile_tech_name((tech_kind)t);
        char *key = xasprintf("tech.%s", n);
        p->tech[t].present = ticked(d, key);
        free(key);
        if (p->tech[t].present) {
            p->tech[t].name = valf(d, "tech.%s.name", n);
            p->tech[t].note = valf(d, "tech.%s.note", n);
        }
    }
    /* Unanswered, a rule is left unset for the loader to ask for: the form
     * never decides a setting's rules by default. */
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        char *key = xasprintf("devices.%s", audience_kind_at((audience_kind)k)->devices_attr);
        p->devices[k] = (device_policy)choice_of(d, key, device_n, 3, 3);
        free(key);
    }
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const audience_info *a = audience_at((audience_row)r);
        if (!a->own_devices)
            continue;
        char *key = xasprintf("devices.%s", a->band_name);
        p->devices_post16 = (device_policy)choice_of(d, key, device_n, 3, (int)p->devices[a->kind]);
        free(key);
    }
    p->monitoring.provider = val(d, "monitoring.filtering-provider");
    p->monitoring.accredited = ticked(d, "monitoring.accredited");
    p->monitoring.what = list_of(d, "monitoring.what");
    p->monitoring.personal_messages = ticked(d, "monitoring.personal-messages");
    p->monitoring.enhanced = ticked(d, "monitoring.enhanced");
    p->monitoring.confiscation = ticked(d, "monitoring.confiscation");
    p->monitoring.authorised_by = (person_role)choice_of(d, "monitoring.authorised-by", role_n,
                                                        ROLE_COUNT, ROLE_HEAD);
}

static void decode_ladders(decoder *d, profile *p)
{
    size_t *rows, n = decoder_rows(d, "ladder", &rows);
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        p->ladders = xrealloc(p->ladders, (p->nladders + 1) * sizeof *p->ladders);
        profile_ladder *l = &p->ladders[p->nladders++];
        char *key = xasprintf("ladder.%zu.audience", r);
        l->audience = (audience_kind)choice_of(d, key, aud_n, AUD_KIND_COUNT, AUD_KIND_COUNT);
        free(key);
        l->steps = NULL;
        l->nsteps = 0;
        key = xasprintf("ladder.%zu.steps", r);
        const char *raw = web_fields_get(d->f, key);
        free(key);
        char *steps = xstrdup(raw ? raw : "");
        for (char *line = steps, *next; *line; line = next) {
            next = line + strcspn(line, "\n");
            if (*next)
                *next++ = '\0';
            if (blank(line))
                continue;
            l->steps = xrealloc(l->steps, (l->nsteps + 1) * sizeof *l->steps);
            l->steps[l->nsteps++] = clean(line);
        }
        free(steps);
        map_row(d, ROWS_LADDER, r);
    }
    free(rows);
}

static void decode_policies(decoder *d, profile *p)
{
    size_t *rows, n = decoder_rows(d, "policy", &rows);
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        p->policies = xrealloc(p->policies, (p->npolicies + 1) * sizeof *p->policies);
        profile_policy *x = &p->policies[p->npolicies++];
        char *key = xasprintf("policy.%zu.kind", r);
        x->kind = (policy_kind)choice_of(d, key, policy_n, POLICY_OTHER + 1, POLICY_OTHER + 1);
        free(key);
        x->title = valf(d, "policy.%zu.title", r);
        x->url = valf(d, "policy.%zu.url", r);
        map_row(d, ROWS_POLICY, r);
    }
    free(rows);
}

/* "pupil-ks2-easy" -> pupil, ks2, easy; false for anything else. */
static bool parse_audience(const char *id, profile_audience *a)
{
    memset(a, 0, sizeof *a);
    const audience_info *info = audience_find(id, &a->easy);
    if (!info || strlen(id) >= sizeof a->id)
        return false;
    a->kind = info->kind;
    a->band = info->band;
    a->info = info;
    snprintf(a->id, sizeof a->id, "%s", id);
    return true;
}

static void add_audience(profile *p, const char *id)
{
    profile_audience a;
    if (!parse_audience(id, &a))
        return;
    for (size_t i = 0; i < p->naudiences; i++)
        if (!strcmp(p->audiences[i].id, a.id))
            return;
    p->audiences = xrealloc(p->audiences, (p->naudiences + 1) * sizeof *p->audiences);
    p->audiences[p->naudiences++] = a;
}

/* Ticked audiences keep the order of the profile the form came from; new
 * ones follow in the form's order. */
static void decode_audiences(decoder *d, profile *p)
{
    const char *was = web_fields_get(d->f, "audience.as-loaded");
    char *copy = xstrdup(was ? was : ""), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
        if (web_fields_has(d->f, "audience", w))
            add_audience(p, w);
    free(copy);
    for (size_t i = 0; i < d->f->count; i++)
        if (!strcmp(d->f->items[i].key, "audience"))
            add_audience(p, d->f->items[i].value);
}

static void decode_consultation(decoder *d, profile *p)
{
    size_t *rows, n = decoder_rows(d, "consulted", &rows);
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        p->consulted = xrealloc(p->consulted, (p->nconsulted + 1) * sizeof *p->consulted);
        profile_consulted *c = &p->consulted[p->nconsulted++];
        char *key = xasprintf("consulted.%zu.audience", r);
        c->audience = (audience_kind)choice_of(d, key, aud_n, AUD_KIND_COUNT, AUD_KIND_COUNT);
        free(key);
        key = xasprintf("consulted.%zu.on", r);
        c->on = date_of(d, key);
        free(key);
        c->how = valf(d, "consulted.%zu.how", r);
        map_row(d, ROWS_CONSULTED, r);
    }
    free(rows);
}

static void decode_communication(decoder *d, profile *p)
{
    size_t *rows, n = decoder_rows(d, "tell", &rows);
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        p->tells = xrealloc(p->tells, (p->ntells + 1) * sizeof *p->tells);
        profile_tell *t = &p->tells[p->ntells++];
        char *key = xasprintf("tell.%zu.audience", r);
        t->audience = (audience_kind)choice_of(d, key, aud_n, AUD_KIND_COUNT, AUD_KIND_COUNT);
        free(key);
        key = xasprintf("tell.%zu.via", r);
        t->via = list_of(d, key);
        free(key);
        t->check = valf(d, "tell.%zu.check", r);
        map_row(d, ROWS_TELL, r);
    }
    free(rows);
    p->image_uses = list_of(d, "images.uses");
}

static void decode_review(decoder *d, profile *p)
{
    p->review.approved = date_of(d, "review.approved");
    p->review.by = val(d, "review.by");
    p->review.cycle_months = number(d, "review.cycle-months", 1, 36, 12);
    p->review.next = date_of(d, "review.next");
    p->review.after_incidents = ticked(d, "review.after-incidents");
    size_t *rows, n = decoder_rows(d, "change", &rows);
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        p->review.changes = xrealloc(p->review.changes,
                                     (p->review.nchanges + 1) * sizeof *p->review.changes);
        profile_change *c = &p->review.changes[p->review.nchanges++];
        char *key = xasprintf("change.%zu.date", r);
        c->date = date_of(d, key);
        free(key);
        c->by = valf(d, "change.%zu.by", r);
        c->note = valf(d, "change.%zu.note", r);
        map_row(d, ROWS_CHANGE, r);
    }
    free(rows);
}

static char **copy_strings(char **v, size_t n)
{
    char **out = n ? xcalloc(n, sizeof *out) : NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* The statement overrides the form does not show, as they were. */
static void copy_overrides(const profile *last, profile *p)
{
    if (!last || !last->noverrides)
        return;
    p->overrides = xcalloc(last->noverrides, sizeof *p->overrides);
    for (size_t i = 0; i < last->noverrides; i++) {
        const profile_override *s = &last->overrides[i];
        profile_override *o = &p->overrides[p->noverrides++];
        *o = (profile_override){.kind = s->kind, .id = dup_or_null(s->id),
                                .audiences = dup_or_null(s->audiences),
                                .reason = dup_or_null(s->reason),
                                .section = dup_or_null(s->section),
                                .principles = dup_or_null(s->principles), .order = s->order,
                                .detect = copy_strings(s->detect, s->ndetect),
                                .ndetect = s->ndetect};
        o->texts = s->ntexts ? xcalloc(s->ntexts, sizeof *o->texts) : NULL;
        for (size_t k = 0; k < s->ntexts; k++)
            o->texts[o->ntexts++] = (profile_text){xstrdup(s->texts[k].reader),
                                                   xstrdup(s->texts[k].text), 0};
    }
}

static profile *decode(decoder *d, const profile *last)
{
    profile *p = xcalloc(1, sizeof *p);
    p->id = val(d, "setting.id");
    p->version = val(d, "setting.version");
    p->lang = val(d, "setting.lang");
    p->name = val(d, "name");
    p->kind = (setting_kind)choice_of(d, "kind", kind_n, KIND_COUNT, KIND_COUNT);
    p->age_from = number(d, "ages.from", 0, 99, -1);
    p->age_to = number(d, "ages.to", 0, 99, -1);
    p->nation = val(d, "nation");
    p->website = val(d, "website");
    decode_people(d, p);
    decode_contacts(d, p);
    decode_rules(d, p);
    decode_ladders(d, p);
    decode_policies(d, p);
    decode_audiences(d, p);
    decode_consultation(d, p);
    decode_communication(d, p);
    decode_review(d, p);
    copy_overrides(last, p);
    return p;
}

/* ---- errors back to fields ----------------------------------------------- */

/* What profile_write put on one line: the element, its place among its
 * kind, and its attributes with their columns. */
typedef struct {
    char elem[32];
    size_t index;         /* among elements of this name so far (steps: within the ladder) */
    size_t parent;        /* steps: the ladder's index */
    char role[32];        /* person: its role= */
} line_info;

static void element_at(const char *line, char *elem, size_t size)
{
    while (*line == ' ')
        line++;
    size_t n = 0;
    if (*line == '<' && line[1] != '/' && line[1] != '?' && line[1] != '!')
        for (line++; n + 1 < size && line[n] && !strchr(" />", line[n]); n++)
            elem[n] = line[n];
    elem[n] = '\0';
}

/* The attribute of LINE whose name starts at column COL (1-based), or, as
 * an error about a missing attribute points at its element, the first
 * attribute the MESSAGE names as NAME=. */
static void attribute_at(const char *line, size_t len, int col, const char *message,
                         char *out, size_t size)
{
    out[0] = '\0';
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '"')
            quoted = !quoted;
        if (quoted || line[i] != ' ' || i + 1 >= len || line[i + 1] < 'a' || line[i + 1] > 'z')
            continue;
        size_t n = strcspn(line + i + 1, "=");
        if ((int)(i + 2) == col && n < size && i + 1 + n < len) {
            memcpy(out, line + i + 1, n);
            out[n] = '\0';
            return;
        }
    }
    for (const char *m = message; m && (m = strchr(m, '=')); m++) {
        const char *a = m;
        while (a > message && (a[-1] == '-' || (a[-1] >= 'a' && a[-1] <= 'z')))
            a--;
        if (a < m && (size_t)(m - a) < size) {
            memcpy(out, a, (size_t)(m - a));
            out[m - a] = '\0';
            return;
        }
    }
}

typedef struct {
    const char *xml;
    size_t len;
    line_info *lines;     /* one per line of xml, from 1 */
    size_t nlines;
} xml_map;

static void map_lines(const char *xml, size_t len, xml_map *m)
{
    m->xml = xml;
    m->len = len;
    m->nlines = 0;
    m->lines = NULL;
    size_t counts[16] = {0};
    static const char *const counted[] = {"person", "contact", "ladder", "step", "policy",
                                          "audience", "consulted", "tell", "change", NULL};
    for (const char *p = xml; p < xml + len;) {
        const char *eol = memchr(p, '\n', (size_t)(xml + len - p));
        if (!eol)
            eol = xml + len;
        m->lines = xrealloc(m->lines, (m->nlines + 1) * sizeof *m->lines);
        line_info *li = &m->lines[m->nlines++];
        memset(li, 0, sizeof *li);
        char *line = xstrndup(p, (size_t)(eol - p));
        element_at(line, li->elem, sizeof li->elem);
        for (size_t k = 0; counted[k]; k++)
            if (!strcmp(li->elem, counted[k])) {
                if (!strcmp(li->elem, "ladder"))
                    counts[3] = 0;
                li->index = counts[k]++;
                li->parent = counts[2] ? counts[2] - 1 : 0;
            }
        const char *role = strstr(line, " role=\"");
        if (role && !strcmp(li->elem, "person"))
            snprintf(li->role, sizeof li->role, "%.*s", (int)strcspn(role + 7, "\""), role + 7);
        free(line);
        p = eol + 1;
    }
}

static size_t row_for(const decoder *d, int which, size_t index)
{
    const row_map *m = &d->maps[which];
    return index < m->count ? m->rows[index] : index;
}

/* The form field for element line LI and attribute ATTR (may be ""). */
static char *field_for(const decoder *d, const line_info *li, const char *attr)
{
    const char *e = li->elem;
    bool a = attr[0] != '\0';
    static const struct { const char *elem, *field, *fallback; int rows; } rowed[] = {
        {"contact", "contact", "name", ROWS_CONTACT}, {"ladder", "ladder", "steps", ROWS_LADDER},
        {"policy", "policy", "title", ROWS_POLICY}, {"consulted", "consulted", "how", ROWS_CONSULTED},
        {"tell", "tell", "via", ROWS_TELL}, {"change", "change", "by", ROWS_CHANGE},
    };
    for (size_t i = 0; i < sizeof rowed / sizeof rowed[0]; i++)
        if (!strcmp(e, rowed[i].elem))
            return xasprintf("%s.%zu.%s", rowed[i].field, row_for(d, rowed[i].rows, li->index),
                             a ? attr : rowed[i].fallback);
    if (!strcmp(e, "step"))
        return xasprintf("ladder.%zu.steps", row_for(d, ROWS_LADDER, li->parent));
    if (!strcmp(e, "setting"))
        return a ? xasprintf("setting.%s", attr) : NULL;
    if (!strcmp(e, "person"))
        return li->role[0] ? xasprintf("person.%s.%s", li->role, a ? attr : "name")
                           : xstrdup("people");
    if (choice(e, tech_n, TECH_COUNT, -1) >= 0 && strcmp(e, "devices"))
        return xasprintf("tech.%s%s%s", e, a ? "." : "", a ? attr : "");
    static const char *const plain[] = {"name", "kind", "nation", "website", "people",
                                        "contacts", "technology", "sanctions", "policies",
                                        "consultation", "communication", "statements"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (!strcmp(e, plain[i]))
            return xstrdup(e);
    if (!strcmp(e, "audiences") || !strcmp(e, "audience"))
        return xstrdup("audience");
    if (!strcmp(e, "images"))
        return xstrdup("images.uses");
    if (!strcmp(e, "include") || !strcmp(e, "exclude") || !strcmp(e, "custom")
        || !strcmp(e, "text") || !strcmp(e, "detect"))
        return xstrdup("statements");
    if (!strcmp(e, "ages") || !strcmp(e, "devices") || !strcmp(e, "monitoring")
        || !strcmp(e, "review"))
        return a ? xasprintf("%s.%s", e, attr) : xstrdup(e);
    return NULL;
}

static void note_diags(const decoder *d, const xml_map *m, const diag_list *diags,
                       web_notes *notes)
{
    for (size_t i = 0; i < diags->count; i++) {
        const diag *g = &diags->items[i];
        char *field = NULL;
        if (g->line >= 1 && (size_t)g->line <= m->nlines) {
            const char *start = m->xml;
            for (int l = 1; l < g->line; l++)
                start = strchr(start, '\n') + 1;
            size_t len = strcspn(start, "\n");
            char attr[64];
            attribute_at(start, len, g->col, g->message, attr, sizeof attr);
            field = field_for(d, &m->lines[g->line - 1], attr);
        }
        web_notes_add(notes, field, g->severity, g->message);
        free(field);
    }
}

/* The checks compile makes before any document: overrides name known
 * statements, custom ids are new. */
static void check_overrides(const profile *p, const library *lib, diag_list *diags)
{
    library *custom = select_custom_library(p, lib, diags);
    if (custom)
        select_check_overrides(p, lib, custom, diags);
    library_free(custom);
}

void web_fields_load(const web_fields *f, const profile *last, const library *lib,
                     const char *file, web_result *out)
{
    memset(out, 0, sizeof *out);
    decoder d = {.f = f, .notes = &out->notes};
    for (int i = 0; i < ROWS_COUNT; i++)
        d.maps[i].prefix = row_prefixes[i];
    profile *draft = decode(&d, last);
    strbuf xml = {0};
    diag_list diags = {0};
    if (profile_write(draft, &xml) != 0) {
        web_notes_add(&out->notes, NULL, DIAG_ERROR, "out of memory writing the profile");
    } else {
        out->model = profile_parse(file, xml.data, xml.len, &diags);
        if (out->model && lib) {
            check_overrides(out->model, lib, &diags);
            if (diag_count(&diags, DIAG_ERROR)) {
                profile_free(out->model);
                out->model = NULL;
            }
        }
        xml_map m;
        map_lines(xml.data, xml.len, &m);
        note_diags(&d, &m, &diags, &out->notes);
        free(m.lines);
    }
    diag_free(&diags);
    sb_free(&xml);
    profile_free(draft);
    for (int i = 0; i < ROWS_COUNT; i++)
        free(d.maps[i].rows);
}

void web_result_free(web_result *r)
{
    profile_free(r->model);
    web_notes_free(&r->notes);
    memset(r, 0, sizeof *r);
}
