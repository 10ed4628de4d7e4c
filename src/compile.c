#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "embedded.h"
#include "select.h"
#include "template.h"
#include "util/io.h"

/* Youth services, libraries and children's services have young people, not pupils. */
static bool is_school(setting_kind k)
{
    return k != KIND_YOUTH_SERVICE && k != KIND_LIBRARY && k != KIND_CHILDREN_SERVICES;
}

static const char *template_name(const profile_audience *a)
{
    return a->easy ? AUDIENCE_EASY_TEMPLATE : a->info->template_name;
}

static void fill_metadata(document *d, const profile *p, const profile_audience *a)
{
    const audience_info *row = a->info;
    d->setting_id = xstrdup(p->id);
    d->setting_name = xstrdup(p->name);
    d->audience_id = xstrdup(a->id);
    bool school = is_school(p->kind);
    const char *label = school ? row->label : row->label_youth;
    d->audience_label = a->easy ? xasprintf("%s (easy read)", label) : xstrdup(label);
    d->title = xstrdup(a->easy ? row->easy_title : school ? row->title : row->title_youth);
    d->lang = xstrdup(p->lang);
    d->version = xstrdup(p->version);
    d->kind = a->kind;
    d->band = a->band;
    d->reading = a->easy ? READING_EASY : READING_STANDARD;
    d->approved = p->review.approved;
    d->next_review = p->review.next;
    d->source_file = xstrdup(p->file);
}

/* Override errors are reported once per profile, not once per audience. */
static int check_overrides(const profile *p, const library *lib, diag_list *diags)
{
    library *custom = select_custom_library(p, lib, diags);
    int rc = custom ? select_check_overrides(p, lib, custom, diags) : -1;
    library_free(custom);
    return rc;
}

static document *build(const profile *p, const library *lib, const profile_audience *a,
                       diag_list *diags)
{
    document *d = document_new();
    fill_metadata(d, p, a);
    /* The custom statements must outlive the document's tags: it owns them. */
    d->owned_library = select_custom_library(p, lib, diags);
    selection sel;
    select_statements(p, lib, d->owned_library, a, &sel);
    const char *tname = template_name(a);
    const embedded_file *t = embedded_find(tname);
    template_ctx ctx = {p, a, &sel, d, diags, 0};
    int rc = t ? template_fill(&ctx, tname, t->data, t->len) : -1;
    selection_free(&sel);
    if (rc != 0) {
        if (!t)
            diag_add(diags, DIAG_ERROR, tname, 0, 0, NULL, "template missing from the binary");
        document_free(d);
        return NULL;
    }
    return d;
}

document *compile_audience(const profile *p, const library *lib, const profile_audience *a,
                           diag_list *diags)
{
    return check_overrides(p, lib, diags) == 0 ? build(p, lib, a, diags) : NULL;
}

int compile_profile(const profile *p, const library *lib, doc_set *out, diag_list *diags)
{
    out->docs = NULL;
    out->count = 0;
    if (check_overrides(p, lib, diags) != 0)
        return -1;
    out->docs = xcalloc(p->naudiences, sizeof *out->docs);
    for (size_t i = 0; i < p->naudiences; i++) {
        document *d = build(p, lib, &p->audiences[i], diags);
        if (!d) {
            doc_set_free(out);
            return -1;
        }
        out->docs[out->count++] = d;
    }
    return 0;
}
