/* libFuzzer harness: the layout engine. The input is CommonMark; the first
 * byte picks the reader (pupil band, easy read) so every style is laid out.
 * List items are tagged as statements and "Name:" paragraphs as the
 * signature block, as compile does. Input is read through mdparse, as
 * every draft is, so nesting past its bounds is refused before layout. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "mdparse.h"
#include "render_pdf.h"
#include "util/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void tag_doc(document *d)
{
    cmark_iter *it = cmark_iter_new(d->root);
    cmark_event_type ev;
    int k = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *t = cmark_node_first_child(n);
        const char *lit = t ? cmark_node_get_literal(t) : NULL;
        if (cmark_node_get_type(n) == CMARK_NODE_ITEM) {
            doc_tag *g = document_tag(d, n, k % 3 == 2 ? TAG_SANCTIONS : TAG_STATEMENT);
            g->positive_rule = k % 3 == 0;
            g->negative_rule = k % 3 == 1;
            k++;
        } else if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH && lit &&
                   strncmp(lit, "Name:", 5) == 0) {
            document_tag(d, n, TAG_SIGNATURE);
        }
    }
    cmark_iter_free(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    const char *md = (const char *)data + 1;
    size_t len = size - 1;
    /* As lint and diff read Markdown: past mdparse's bounds, refused. */
    diag_list refused = {0};
    cmark_node *root = md_parse("fuzz.md", md, len, CMARK_OPT_DEFAULT, &refused);
    if (!root) {
        if (refused.count != 1)
            abort();
        diag_free(&refused);
        return 0;
    }
    document *d = document_new();
    d->root = root;
    d->title = xstrdup("Acceptable use policy");
    d->setting_name = xstrdup("Fuzz Primary School");
    d->version = xstrdup("1");
    d->lang = xstrdup("en-GB");
    static const pupil_band bands[] = {BAND_NONE, BAND_EARLY, BAND_KS2, BAND_KS3_4, BAND_POST16};
    d->band = bands[sel % 5];
    d->kind = d->band == BAND_NONE ? (sel & 8 ? AUD_PARENT : AUD_STAFF) : AUD_PUPIL;
    d->reading = sel & 16 ? READING_EASY : READING_STANDARD;
    d->audience_id = xstrdup(d->kind == AUD_PARENT ? "parent" : d->kind == AUD_STAFF ? "staff"
                                                                                  : "pupil-ks2");
    d->approved = (aupc_date){2026, 9, 1};
    d->next_review = (aupc_date){2027, 9, 1};
    tag_doc(d);
    diag_list diags = {0};
    layout_info info = {0};
    /* Every other input goes all the way to PDF bytes. */
    if (sel & 32) {
        strbuf pdf = {0};
        if (pdf_render(d, NULL, NULL, &pdf, &info, &diags) == 0) {
            if (pdf.len < 8 || memcmp(pdf.data, "%PDF-", 5) != 0)
                abort();
            layout_info_free(&info);
        }
        sb_free(&pdf);
    } else if (layout_measure(d, NULL, &info, &diags) == 0) {
        if (info.pages < 1)
            abort();
        layout_info_free(&info);
    }
    diag_free(&diags);
    document_free(d);
    return 0;
}
