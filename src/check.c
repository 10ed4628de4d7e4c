#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "consistent.h"
#include "easyread.h"
#include "pack_blocks.h"
#include "util/io.h"

static int audience_line(const profile *p, const char *id)
{
    for (size_t i = 0; i < p->naudiences; i++)
        if (!strcmp(p->audiences[i].id, id))
            return p->audiences[i].line > 0 ? p->audiences[i].line : 1;
    return 1;
}

/* The staff document carries the incident contacts map, so a gap in the
 * essential contacts is a finding against its `setting` principle. */
static void check_contacts(const profile *p, const principle_input *in, principle_report *r)
{
    pack_need miss[PACK_NEED_COUNT];
    size_t n = pack_missing_contacts(p, miss, PACK_NEED_COUNT);
    principle_outcome *o = NULL;
    for (size_t i = 0; i < r->noutcomes; i++)
        if (!strcmp(r->outcomes[i].id, "setting"))
            o = &r->outcomes[i];
    if (!n || !o || o->status == OUTCOME_WAIVED)
        return;
    strbuf ids = {0};
    for (size_t i = 0; i < n; i++) {
        diag_add(&r->diags, DIAG_WARNING, in->file, in->line, 1, "setting",
                 "the incident contacts lack %s", pack_need_advice(miss[i]));
        sb_printf(&ids, "%s%s", i ? ", " : "", pack_need_id(miss[i]));
    }
    if (o->status == OUTCOME_PASS) {
        o->status = OUTCOME_FAIL;
        o->severity = DIAG_WARNING;
    }
    char *evidence = xasprintf("%s; contacts missing: %s", o->evidence ? o->evidence : "",
                               ids.data);
    free(o->evidence);
    o->evidence = evidence;
    sb_free(&ids);
}

int check_setting(const principle_set *ps, const library *lib, const profile *p,
                  const doc_set *docs, const char *file, aupc_date today,
                  principle_report **reports)
{
    *reports = xcalloc(docs->count ? docs->count : 1, sizeof **reports);
    int *lines = xcalloc(docs->count ? docs->count : 1, sizeof *lines);
    int rc = 0;
    for (size_t i = 0; i < docs->count; i++) {
        const document *d = docs->docs[i];
        lines[i] = audience_line(p, d->audience_id);
        principle_input in = {.file = file, .prof = p, .line = lines[i], .today = today};
        principle_report *r = &(*reports)[i];
        if (principles_check(ps, lib, d, &in, r) != 0)
            rc = -1;
        else if (audience_kind_at(d->kind)->workforce)
            check_contacts(p, &in, r);
        r->label = d->audience_label ? xstrdup(d->audience_label) : NULL;
    }
    /* What only the whole setting shows, its documents compared, and easy
     * read's sentences, which read the document's tree. */
    if (rc == 0) {
        consistent_check(ps, p, docs, *reports, lines, file);
        easyread_check(ps, docs, *reports, lines, file);
    }
    free(lines);
    return rc;
}
