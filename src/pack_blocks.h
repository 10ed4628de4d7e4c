/* pack_blocks: what the printed pack is made of, taken from the profile
 * alone, so that the templates can place it without the PDF back end.
 *
 * - The blocks the templates place: the image consent form ({{consent}}),
 *   the acknowledgement slip ({{slip}}) and the map of local contacts
 *   ({{contacts-map}}, each group's list tagged TAG_CONTACTS_MAP, so Word
 *   can show it as a table); the incident flowchart is in flowchart.h.
 * - The check that the contacts an incident needs are all in the profile.
 * - Whether the profile wants a home-school agreement at all (pack.h makes it). */
#ifndef AUPC_PACK_BLOCKS_H
#define AUPC_PACK_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark.h>

#include "diag.h"
#include "document.h"
#include "profile.h"

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
/* The same warnings whatever the profile asks for (the questionnaire of
 * aupc serve shows them as soon as a contact is missing). */
void pack_contact_gaps(const profile *p, diag_list *diags);

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

/* True when the profile asks for a parent audience and at least one pupil audience. */
bool pack_wants_agreement(const profile *p);

#endif
