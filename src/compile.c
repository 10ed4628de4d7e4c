#include "compile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

char *compile_label(const profile *p, const profile_audience *a)
{
    const char *label = is_school(p->kind) ? a->info->label : a->info->label_youth;
    return a->easy ? xasprintf("%s (easy read)", label) : xstrdup(label);
}

static void fill_metadata(document *d, const profile *p, const profile_audience *a)
{
    const audience_info *row = a->info;
    d->setting_id = xstrdup(p->id);
    d->setting_name = xstrdup(p->name);
    d->audience_id = xstrdup(a->id);
    bool school = is_school(p->kind);
    d->audience_label = compile_label(p, a);
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

/* How much of D's text is English's commonest words: about 40% of an
 * English policy, a few per cent of a Welsh or French one. */
static double english_share(const document *d)
{
    static const char *const common[] = {
        "the", "and", "to", "of", "in", "is", "you", "we", "will", "for", "on", "with", "be",
        "not", "your", "our", "it", "are", "that", "this", "if", "or", "at", "by", "from",
        "when", "what", "who", "my", "me", "they", "can", "do", "have", "about", "use",
    };
    size_t words = 0, hits = 0;
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT)
            continue;
        for (const char *s = cmark_node_get_literal(n); *s;) {
            while (*s && !isalpha((unsigned char)*s))
                s++;
            const char *w = s;
            while (isalpha((unsigned char)*s))
                s++;
            if (s == w)
                continue;
            words++;
            for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
                if (strlen(common[i]) == (size_t)(s - w) &&
                    !strncasecmp(common[i], w, (size_t)(s - w))) {
                    hits++;
                    break;
                }
        }
    }
    cmark_iter_free(it);
    return words < 50 ? -1 : (double)hits / (double)words;
}

/* lang= tells screen readers which voice to read with; a tag that does not
 * match the words makes the page unreadable to them. */
static void check_language(const profile *p, const doc_set *docs, diag_list *diags)
{
    if (!docs->count)
        return;
    double share = english_share(docs->docs[0]);
    bool english_tag = !strncasecmp(p->lang, "en", 2) && (!p->lang[2] || p->lang[2] == '-');
    if (share < 0)
        return;
    if (!english_tag && share >= 0.15)
        diag_add(diags, DIAG_WARNING, p->file, p->lang_line, p->lang_col, NULL,
                 "lang=\"%s\" marks the documents as another language, but their text is "
                 "English: write lang=\"en-GB\" or leave it out, so that screen readers "
                 "use an English voice", p->lang);
    else if (english_tag && share < 0.04)
        diag_add(diags, DIAG_WARNING, p->file, p->lang_line, p->lang_col, NULL,
                 "the documents are marked as English (lang=\"%s\"), but their text does not "
                 "read as English: give their language in lang=, such as lang=\"cy\" for "
                 "Welsh", p->lang);
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
    check_language(p, out, diags);
    return 0;
}

void compile_warn_placeholders(const profile *p, diag_list *diags)
{
    for (size_t i = 0; i < p->nplaceholders; i++) {
        const profile_placeholder *ph = &p->placeholders[i];
        if (ph->attr)
            diag_add(diags, DIAG_WARNING, p->file, ph->line, ph->col, "placeholder",
                     "%s=\"%s\" on <%s> is still an example from aupc init: replace it with "
                     "your own", ph->attr, ph->value, ph->element);
        else
            diag_add(diags, DIAG_WARNING, p->file, ph->line, ph->col, "placeholder",
                     "<%s>%s</%s> is still an example from aupc init: replace it with your "
                     "own", ph->element, ph->value, ph->element);
    }
}
