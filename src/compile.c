#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "select.h"
#include "template.h"
#include "util/io.h"

static const char *const band_labels[] = {
    "", "Pupils in the early years and Key Stage 1", "Pupils in Key Stage 2",
    "Pupils in Key Stages 3 and 4", "Students aged 16 to 19",
};
static const char *const band_titles[] = {
    "", "My rules for using technology", "My agreement for using technology",
    "Acceptable use policy for pupils", "Acceptable use policy for students",
};
static const char *const kind_labels[AUD_KIND_COUNT] = {
    "Pupils", "Staff, volunteers and governors", "Parents and carers",
    "Visitors and community users",
};
static const char *const kind_titles[AUD_KIND_COUNT] = {
    "", "Acceptable use policy for staff, volunteers and governors",
    "Acceptable use policy for parents and carers",
    "Acceptable use policy for visitors and guests",
};

/* Youth services, libraries and children's services have young people, not pupils. */
static const char *const young_labels[] = {
    "", "Children up to age 7", "Children aged 7 to 11", "Young people aged 11 to 16",
    "Young people aged 16 to 19",
};
static const char *const young_titles[] = {
    "", "My rules for using technology", "My agreement for using technology",
    "Acceptable use policy for young people", "Acceptable use policy for young adults",
};

static bool is_school(setting_kind k)
{
    return k != KIND_YOUTH_SERVICE && k != KIND_LIBRARY && k != KIND_CHILDREN_SERVICES;
}

static const char *template_name(const profile_audience *a)
{
    if (a->easy)
        return "templates/easy.md";
    switch (a->kind) {
    case AUD_PUPIL:
        return a->band <= BAND_KS2 ? "templates/pupil-young.md" : "templates/pupil.md";
    case AUD_STAFF: return "templates/staff.md";
    case AUD_PARENT: return "templates/parent.md";
    default: return "templates/community.md";
    }
}

static void fill_metadata(document *d, const profile *p, const profile_audience *a)
{
    d->setting_id = xstrdup(p->id);
    d->setting_name = xstrdup(p->name);
    d->audience_id = xstrdup(a->id);
    bool school = is_school(p->kind);
    const char *label = a->kind != AUD_PUPIL ? kind_labels[a->kind]
                      : school ? band_labels[a->band] : young_labels[a->band];
    d->audience_label = a->easy ? xasprintf("%s (easy read)", label) : xstrdup(label);
    if (a->easy)
        d->title = xstrdup(a->kind == AUD_PUPIL ? "My rules for using computers and phones"
                                                : "Rules for using computers and phones");
    else
        d->title = xstrdup(a->kind != AUD_PUPIL ? kind_titles[a->kind]
                           : school ? band_titles[a->band] : young_titles[a->band]);
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

void doc_set_free(doc_set *s)
{
    for (size_t i = 0; i < s->count; i++)
        document_free(s->docs[i]);
    free(s->docs);
    s->docs = NULL;
    s->count = 0;
}
