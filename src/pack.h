/* pack: what a setting hands out beside its policies, built from the same
 * profile and documents.
 *
 * - The home-school agreement (home-school-agreement.pdf): the parent and
 *   carer policy, with its image consent form and acknowledgement slip,
 *   bound with every pupil document, each part starting on an odd page so
 *   the pack prints double-sided.
 * - A poster per pupil audience (poster-AUDIENCE.pdf): five rules in large
 *   type on one A4 page.
 * - The blocks the templates place: the image consent form ({{consent}}),
 *   the acknowledgement slip ({{slip}}) and the map of local contacts
 *   ({{contacts-map}}); the incident flowchart is in flowchart.h.
 * - The check that the contacts an incident needs are all in the profile. */
#ifndef AUPC_PACK_H
#define AUPC_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark.h>

#include "compile.h"
#include "diag.h"
#include "document.h"
#include "layout.h"
#include "profile.h"
#include "util/io.h"

/* ---- Contacts an incident needs ---- */

typedef enum {
    PACK_NEED_DSL,          /* <person role="dsl"> */
    PACK_NEED_POLICE,       /* a contact in group "police" (or role police...) */
    PACK_NEED_CEOP,         /* role "ceop" */
    PACK_NEED_IWF,          /* role "iwf" */
    PACK_NEED_PARTNERSHIP,  /* role "safeguarding-partnership", "lscb" or "lado" */
    PACK_NEED_COUNT
} pack_need;

/* The essential contacts P lacks, in the order above: writes up to MAX of
 * them to MISSING (which may be NULL when MAX is 0) and returns how many
 * are missing in all. */
size_t pack_missing_contacts(const profile *p, pack_need *missing, size_t max);
/* "dsl", "police", "ceop", "iwf", "safeguarding-partnership" */
const char *pack_need_id(pack_need n);
/* What to add, for a message: "a designated safeguarding lead (<person role=\"dsl\">)". */
const char *pack_need_advice(pack_need n);
/* One warning per missing contact, rule id "setting", at the profile's
 * first <contact>; only for a profile with a staff audience that lists
 * some contacts (aupc compile uses this; aupc check reports every gap). */
void pack_warn_contacts(const profile *p, diag_list *diags);

/* ---- Blocks for the templates (NULL when there is nothing to say) ---- */

/* The image consent form: one "Yes / No: ..." line per use in the profile's
 * <images uses="...">, in the profile's order, and a signature block. A
 * custom block tagged TAG_ANNEX holding a list tagged TAG_CONSENT. */
cmark_node *pack_consent_block(const profile *p, document *d);
/* The uses the consent form lists for P, as profile ids, in order, without
 * repeats. Returns the count; *ids (owned, free each and the array). */
size_t pack_image_uses(const profile *p, char ***ids);
/* The acknowledgement slip for a pupil and a parent or carer to sign;
 * NULL when the profile has no pupil audience. */
cmark_node *pack_slip_block(const profile *p, document *d);
/* The map of local contacts, grouped as the guidance groups them. */
cmark_node *pack_contacts_block(const profile *p, document *d);

/* ---- The pack's PDF files ---- */

/* True when the profile asks for a parent audience and at least one pupil audience. */
bool pack_wants_agreement(const profile *p);
/* The home-school agreement from DOCS. PARTS_FIRST, when non-NULL, gets
 * the first page of each part (room for DOCS->count). Returns the number of
 * parts, 0 when the profile does not want one, or -1 with errors. */
int pack_agreement(const profile *p, const doc_set *docs, const pdf_options *o, strbuf *out,
                   int *parts_first, diag_list *diags);

/* The rules a poster for D shows: the first five of the priority list in
 * pack.c that D contains as "I will" or "I will not" rules, then D's other
 * core rules in library order. RULES gets owned plain texts, POSITIVE
 * whether each is an "I will" rule. Returns the count (at most MAX). */
size_t pack_poster_rules(const document *d, char **rules, bool *positive, size_t max);
/* The poster for pupil document D as a one-page PDF. */
int pack_poster(const document *d, const pdf_options *o, strbuf *out, diag_list *diags);

#endif
