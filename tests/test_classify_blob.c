/* classify_blob: the classifier the build compiled is the one the XML
 * gives now, reads back whole, classes every unit as the XML's does, and
 * a damaged copy is refused rather than read. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "classify.h"
#include "classify_blob.h"
#include "embedded.h"
#include "helpers.h"
#include "units.h"
#include "util/io.h"

static classifier *from_xml(void)
{
    const embedded_file *f = embedded_find("statements/classify.xml");
    cr_assert_not_null(f);
    diag_list d = {0};
    classifier *c = classify_load("statements/classify.xml", f->data, f->len, &d);
    cr_assert_not_null(c);
    diag_free(&d);
    return c;
}

static strbuf blob_of(const classifier *c)
{
    strbuf b = {0};
    classify_blob_write(c, &b);
    return b;
}

Test(classify_blob, the_built_blob_is_the_xml_compiled_now)
{
    cr_assert_gt(classify_blob_size, 1000, "the build made no blob");
    classifier *c = from_xml();
    strbuf b = blob_of(c);
    cr_assert_eq(b.len, classify_blob_size);
    cr_assert(!memcmp(b.data, classify_blob_data, b.len), "the blob is not what the XML gives");
    sb_free(&b);
    classify_free(c);
}

Test(classify_blob, a_blob_read_back_writes_the_same_bytes)
{
    classifier *c = classify_blob_read(classify_blob_data, classify_blob_size);
    cr_assert_not_null(c);
    strbuf b = blob_of(c);
    cr_assert(b.len == classify_blob_size && !memcmp(b.data, classify_blob_data, b.len));
    sb_free(&b);
    classify_free(c);
}

Test(classify_blob, a_damaged_blob_is_refused)
{
    size_t n = classify_blob_size;
    const size_t cuts[] = {0, 7, 8, 16, 100, n / 3, n / 2, n - 9, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        /* a copy of exactly that length, so that a read past it is caught */
        unsigned char *part = xmalloc(cuts[i] ? cuts[i] : 1);
        memcpy(part, classify_blob_data, cuts[i]);
        cr_expect_null(classify_blob_read(part, cuts[i]), "%zu of %zu bytes were read", cuts[i],
                       n);
        free(part);
    }
    unsigned char *other = xmalloc(n + 1);
    memcpy(other, classify_blob_data, n);
    other[0] ^= 1;
    cr_expect_null(classify_blob_read(other, n), "another format was read");
    other[0] ^= 1;
    other[n] = 0;
    cr_expect_null(classify_blob_read(other, n + 1), "a blob with a byte after it was read");
    free(other);
}

static void append(const char *path, const char *text, void *arg)
{
    (void)path;
    sb_add(arg, text, strlen(text));
    sb_add(arg, "\n\n", 2);
}

/* Every unit of the corpus, with its reasons: what the blob holds is all
 * the classifier is, not only what it writes back. */
Test(classify_blob, the_blob_classes_every_unit_as_the_xml_does)
{
    classifier *x = from_xml(), *b = classify_blob_read(classify_blob_data, classify_blob_size);
    cr_assert_not_null(b);
    strbuf md = {0};
    cr_assert_gt(each_md_file("tests/lint/corpus", append, &md), 20);
    cmark_node *root = cmark_parse_document(md.data, md.len, CMARK_OPT_SOURCEPOS);
    unit_list u = {0};
    units_build(root, md.data, md.len, &u);
    unit_class *kx = classify_units(x, &u), *kb = classify_units(b, &u);
    for (size_t i = 0; i < u.count; i++) {
        const unit_class *p = &kx[i], *q = &kb[i];
        cr_assert(p->acts == q->acts && p->topics == q->topics && p->marks == q->marks &&
                      p->ban == q->ban && p->promotes == q->promotes && p->weak == q->weak &&
                      p->context == q->context && p->polarity == q->polarity &&
                      p->readers == q->readers && p->named == q->named &&
                      p->why_set == q->why_set,
                  "unit %zu: \"%s\" is classed otherwise", i, u.items[i].text);
        for (int k = 0; k < __builtin_popcountll(p->why_set); k++) {
            const classify_why *v = &p->why[k], *w = &q->why[k];
            cr_assert(v->kind == w->kind && v->rule == w->rule && v->unit == w->unit &&
                          v->from == w->from && v->to == w->to,
                      "reason %d of unit %zu", k, i);
        }
    }
    free(kx);
    free(kb);
    units_free(&u);
    cmark_node_free(root);
    free(md.data);
    classify_free(x);
    classify_free(b);
}
