#include "select.h"

#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "util/io.h"

/* "pupil-ks2-easy" matches a list holding "pupil-ks2" or "pupil". */
static bool audience_matches(const char *list, const profile_audience *a)
{
    if (!list)
        return true;
    char base[32];
    snprintf(base, sizeof base, "%s", a->id);
    size_t n = strlen(base);
    if (a->easy && n > 5)
        base[n - 5] = '\0';
    return library_list_has(list, a->id) || library_list_has(list, base) ||
           library_list_has(list, audience_kind_at(a->kind)->name);
}

static bool monitoring_matches(const char *list, const profile *p)
{
    if (!list)
        return true;
    return (library_list_has(list, "personal-messages") && p->monitoring.personal_messages) ||
           (library_list_has(list, "enhanced") && p->monitoring.enhanced) ||
           (library_list_has(list, "confiscation") && p->monitoring.confiscation) ||
           (library_list_has(list, "accredited") && p->monitoring.accredited);
}

static bool provides_matches(const char *list, const profile *p)
{
    if (!list)
        return true;
    for (int t = 0; t < TECH_COUNT; t++)
        if (p->tech[t].present && library_list_has(list, profile_tech_name((tech_kind)t)))
            return true;
    return false;
}

bool select_conditions_hold(const statement *s, const profile *p, const profile_audience *a)
{
    return audience_matches(s->audiences, a) &&
           (!s->devices ||
            library_list_has(s->devices,
                             profile_device_policy_name(profile_device_policy(p, a)))) &&
           (!s->pupil_devices ||
            library_list_has(s->pupil_devices,
                             profile_device_policy_name(p->devices[AUD_PUPIL]))) &&
           provides_matches(s->provides, p) && monitoring_matches(s->monitoring, p) &&
           (!s->kinds || library_list_has(s->kinds, profile_kind_name(p->kind)));
}

library *select_custom_library(const profile *p, const library *lib, diag_list *diags)
{
    library *custom = library_new();
    int errors = 0;
    for (size_t i = 0; i < p->noverrides; i++) {
        const profile_override *o = &p->overrides[i];
        if (o->kind != OVERRIDE_CUSTOM)
            continue;
        if (library_find(lib, o->id) || library_find(custom, o->id)) {
            diag_add(diags, DIAG_ERROR, p->file, o->line, o->col, NULL,
                     "custom statement id '%s' is already taken: choose another id", o->id);
            errors++;
            continue;
        }
        if (custom->count == custom->cap) {
            custom->cap = custom->cap ? custom->cap * 2 : 8;
            custom->items = xrealloc(custom->items, custom->cap * sizeof *custom->items);
        }
        statement *s = &custom->items[custom->count++];
        memset(s, 0, sizeof *s);
        s->id = xstrdup(o->id);
        s->section = (statement_section)library_section_from_name(o->section);
        s->order = o->order;
        s->principles = xstrdup(o->principles);
        s->file = p->file;
        s->line = o->line;
        s->custom = true;
        s->detect = xcalloc(o->ndetect, sizeof *s->detect);
        for (size_t k = 0; k < o->ndetect; k++)
            s->detect[s->ndetect++] = xstrdup(o->detect[k]);
        s->texts = xcalloc(o->ntexts, sizeof *s->texts);
        for (size_t k = 0; k < o->ntexts; k++) {
            statement_text *t = &s->texts[s->ntexts++];
            t->reader = xstrdup(o->texts[k].reader);
            t->text = xstrdup(o->texts[k].text);
            t->line = o->texts[k].line;
        }
    }
    if (errors) {
        library_free(custom);
        return NULL;
    }
    return custom;
}

/* A misspelt audience would silently match nothing. */
static int check_audiences(const profile *p, const profile_override *o, diag_list *diags)
{
    if (!o->audiences)
        return 0;
    char *copy = xstrdup(o->audiences);
    int rc = 0;
    char *save_w = NULL;
    for (char *w = strtok_r(copy, " \t\n", &save_w); w;
         w = strtok_r(NULL, " \t\n", &save_w)) {
        if (audience_known(w, true))
            continue;
        char *readers = audience_list(AUDIENCE_LIST_READERS, ", ", " or ");
        diag_add(diags, DIAG_ERROR, p->file, o->line, o->col, NULL,
                 "unknown audience '%s' in audiences=: expected %s (optionally with -easy)", w,
                 readers);
        free(readers);
        rc = -1;
    }
    free(copy);
    return rc;
}

int select_check_overrides(const profile *p, const library *lib, const library *custom,
                           diag_list *diags)
{
    int rc = 0;
    for (size_t i = 0; i < p->noverrides; i++) {
        const profile_override *o = &p->overrides[i];
        if (check_audiences(p, o, diags) != 0)
            rc = -1;
        if (o->kind == OVERRIDE_CUSTOM)
            continue;
        const statement *s = library_find(lib, o->id);
        if (!s && custom)
            s = library_find(custom, o->id);
        if (!s) {
            diag_add(diags, DIAG_ERROR, p->file, o->line, o->col, NULL,
                     "no statement has the id '%s': run 'aupc statements' to list them", o->id);
            rc = -1;
        } else if (o->kind == OVERRIDE_EXCLUDE && s->core) {
            char *rule = xasprintf("core-%s", o->id);
            diag_add(diags, DIAG_WARNING, p->file, o->line, o->col, rule,
                     "'%s' is a core statement: documents without it miss an idea every "
                     "AUP should carry", o->id);
            free(rule);
        }
    }
    return rc;
}

/* The last include/exclude that names S for audience A wins; 0 when none. */
static int override_for(const profile *p, const statement *s, const profile_audience *a)
{
    int verdict = 0;
    for (size_t i = 0; i < p->noverrides; i++) {
        const profile_override *o = &p->overrides[i];
        if (o->kind == OVERRIDE_CUSTOM || strcmp(o->id, s->id) != 0 ||
            !audience_matches(o->audiences, a))
            continue;
        verdict = o->kind == OVERRIDE_INCLUDE ? 1 : -1;
    }
    return verdict;
}

static void consider(const profile *p, const statement *s, const profile_audience *a,
                     selection *out, size_t *cap)
{
    if (!statement_text_for(s, a->id))
        return;
    int verdict = override_for(p, s, a);
    /* A custom statement carries no conditions: the texts it gives choose its readers. */
    if (verdict < 0 || (verdict == 0 && !s->custom && !select_conditions_hold(s, p, a)))
        return;
    if (out->count == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        out->items = xrealloc(out->items, *cap * sizeof *out->items);
    }
    out->items[out->count++] = s;
}

static int by_section_order(const void *x, const void *y)
{
    const statement *a = *(const statement *const *)x, *b = *(const statement *const *)y;
    if (a->section != b->section)
        return a->section < b->section ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return strcmp(a->id, b->id);
}

void select_statements(const profile *p, const library *lib, const library *custom,
                       const profile_audience *a, selection *out)
{
    size_t cap = 0;
    out->items = NULL;
    out->count = 0;
    for (size_t i = 0; i < lib->count; i++)
        consider(p, &lib->items[i], a, out, &cap);
    for (size_t i = 0; custom && i < custom->count; i++)
        consider(p, &custom->items[i], a, out, &cap);
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, by_section_order);
}

void selection_free(selection *s)
{
    free(s->items);
    s->items = NULL;
    s->count = 0;
}
