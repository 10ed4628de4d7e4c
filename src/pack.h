/* pack: what a setting hands out beside its policies, built from the same
 * profile and documents.
 *
 * - A home-school agreement per pupil audience
 *   (home-school-agreement-pupil-ks2.pdf, ...): the parent and carer
 *   policy, with its image consent form and acknowledgement slip, bound
 *   with that pupil document alone, so a family gets only their child's
 *   rules; each part starts on an odd page so the pack prints double-sided.
 * - A poster per pupil audience (poster-AUDIENCE.pdf): five rules in large
 *   type on one A4 page.
 * The blocks the templates place, and the check of the incident contacts,
 * are in pack_blocks.h. */
#ifndef AUPC_PACK_H
#define AUPC_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "document.h"
#include "layout.h"
#include "pack_blocks.h"
#include "profile.h"
#include "render_pdf.h"
#include "util/io.h"

/* ---- The pack's PDF files ---- */

/* The parts of the home-school agreement for PUPIL's family, in binding
 * order: the parent document of DOCS (the standard one when there are
 * two), then PUPIL. Returns how many, with *PARTS an owned array of them;
 * 0 (and NULL) when there is no agreement to make: the profile wants none,
 * or PUPIL is not a pupil document. */
size_t pack_agreement_parts(const profile *p, const doc_set *docs, const document *pupil,
                            const document ***parts);

/* The home-school agreement for PUPIL's family. PARTS_FIRST, when
 * non-NULL, gets the first page of each part (room for 2). Returns the
 * number of parts, 0 when there is none for PUPIL, or -1 (LAYOUT_UNSHOWN
 * for text its fonts cannot draw) with errors. */
int pack_agreement(const profile *p, const doc_set *docs, const document *pupil,
                   const pdf_options *o, pdf_layouts *shared, strbuf *out, int *parts_first,
                   diag_list *diags);

/* The rules a poster for D shows: the first five of the priority list in
 * pack.c that D contains as "I will" or "I will not" rules, then D's other
 * core rules in library order. RULES gets owned plain texts, POSITIVE
 * whether each is an "I will" rule. Returns the count (at most MAX). */
size_t pack_poster_rules(const document *d, char **rules, bool *positive, size_t max);
/* The poster's heading for D's readers, and the line at its foot that
 * names the policy it comes from. */
const char *pack_poster_title(const document *d);
void pack_poster_foot(const document *d, char *buf, size_t size);
/* The poster for pupil document D as a one-page PDF: 0, or -1
 * (LAYOUT_UNSHOWN for text its fonts cannot draw) with errors. */
int pack_poster(const document *d, const pdf_options *o, strbuf *out, diag_list *diags);

#endif
