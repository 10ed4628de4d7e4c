#include "document.h"

#include <stdlib.h>

#include "util/io.h"

document *document_new(void)
{
    return xcalloc(1, sizeof(document));
}

void document_free(document *d)
{
    if (!d)
        return;
    if (d->root)
        cmark_node_free(d->root);
    for (doc_tag *t = d->tags, *next; t; t = next) {
        next = t->next;
        free(t);
    }
    free(d->setting_id);
    free(d->setting_name);
    free(d->audience_id);
    free(d->audience_label);
    free(d->title);
    free(d->lang);
    free(d->version);
    free(d->source_file);
    library_free(d->owned_library);
    free(d);
}

doc_tag *document_tag(document *d, cmark_node *node, doc_tag_kind kind)
{
    doc_tag *t = xcalloc(1, sizeof *t);
    t->kind = kind;
    t->next = d->tags;
    d->tags = t;
    cmark_node_set_user_data(node, t);
    return t;
}

const doc_tag *document_tag_of(cmark_node *node)
{
    return cmark_node_get_user_data(node);
}

const doc_tag *document_item_tag(cmark_node *item)
{
    const doc_tag *t = document_tag_of(item);
    cmark_node *first = cmark_node_first_child(item);
    return t || !first ? t : document_tag_of(first);
}

cmark_node *document_text(const char *s)
{
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(t, s);
    return t;
}

cmark_node *document_block(cmark_node_type type, const char *s)
{
    cmark_node *b = cmark_node_new(type);
    cmark_node_append_child(b, document_text(s));
    return b;
}

void doc_set_free(doc_set *s)
{
    for (size_t i = 0; i < s->count; i++)
        document_free(s->docs[i]);
    free(s->docs);
    s->docs = NULL;
    s->count = 0;
}
