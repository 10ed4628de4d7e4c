#include "easyread.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "document.h"
#include "util/io.h"

typedef struct {
    const principle_def *def;
    char **v;
    size_t n;
} found;

static void add(found *f, char *msg)
{
    f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
    f->v[f->n++] = msg;
}

/* A phrase that starts with punctuation (";", ", and") is found anywhere;
 * one of words only as whole words. */
static bool has(const char *text, const char *phrase)
{
    if (isalnum((unsigned char)phrase[0]))
        return principles_words_in(text, phrase);
    size_t n = strlen(phrase);
    for (const char *p = text; *p; p++)
        if (!strncasecmp(p, phrase, n))
            return true;
    return false;
}

static const char *first_of(const found *f, phrase_role role, const char *text)
{
    for (size_t i = 0; i < f->def->nphrases; i++)
        if (f->def->phrases[i].role == role && has(text, f->def->phrases[i].text))
            return f->def->phrases[i].text;
    return NULL;
}

static bool plain_acronym(const found *f, const char *word, size_t len)
{
    for (size_t i = 0; i < f->def->nphrases; i++) {
        const principle_phrase *ph = &f->def->phrases[i];
        if (ph->role == PHRASE_PLAIN_ACRONYM && strlen(ph->text) == len &&
            !strncasecmp(ph->text, word, len))
            return true;
    }
    return false;
}

/* The first word of two or more capitals (and digits) in S that is not one
 * everyone knows, copied into BUF; NULL when there is none. */
static const char *acronym(const found *f, const char *s, char *buf, size_t size)
{
    for (const char *p = s; *p;) {
        size_t len = 0, caps = 0;
        while (isalnum((unsigned char)p[len])) {
            caps += isupper((unsigned char)p[len]) != 0;
            len++;
        }
        bool all = len >= 2 && caps >= 2;
        for (size_t i = 0; all && i < len; i++)
            all = isupper((unsigned char)p[i]) || isdigit((unsigned char)p[i]);
        if (all && !plain_acronym(f, p, len) && len < size) {
            memcpy(buf, p, len);
            buf[len] = 0;
            return buf;
        }
        p += len ? len : 1;
    }
    return NULL;
}

static size_t words(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += !isspace((unsigned char)*p) && (p == s || isspace((unsigned char)p[-1]));
    return n;
}

static void check_sentence(found *f, const char *s, const char *source)
{
    size_t n = words(s);
    if (n > EASYREAD_MAX_WORDS)
        add(f, xasprintf("a sentence of %zu words (at most %d) in %s: \"%s\"", n,
                         EASYREAD_MAX_WORDS, source, s));
    const char *join = first_of(f, PHRASE_JOINS_IDEAS, s);
    if (join)
        add(f, xasprintf("two ideas in one sentence (\"%s\") in %s: \"%s\"", join, source, s));
    bool explained = first_of(f, PHRASE_EXPLAINS, s) != NULL;
    char buf[32];
    const char *acr = explained ? NULL : acronym(f, s, buf, sizeof buf);
    if (acr)
        add(f, xasprintf("an acronym without a plain explanation (\"%s\") in %s: \"%s\"", acr,
                         source, s));
    const char *job = explained ? NULL : first_of(f, PHRASE_JOB_TITLE, s);
    if (job)
        add(f, xasprintf("a job title without a plain explanation (\"%s\") in %s: \"%s\"", job,
                         source, s));
}

/* Sentences end at ".", "!" or "?" before a space or the end. */
static void check_block(found *f, cmark_node *block)
{
    char *text = principles_block_text(block);
    char *source = principles_block_source(block);
    for (char *s = text; *s;) {
        while (*s == ' ')
            s++;
        char *e = s;
        while (*e && !((*e == '.' || *e == '!' || *e == '?') && (e[1] == ' ' || !e[1])))
            e++;
        char keep = *e ? e[1] : 0;
        if (*e)
            e[1] = 0;
        if (*s)
            check_sentence(f, s, source);
        if (!*e)
            break;
        e[1] = keep;
        s = e + 1;
    }
    free(source);
    free(text);
}

/* The signature lines, link text and annexes are not read as sentences. */
static bool skipped(cmark_node *n)
{
    for (cmark_node *p = n; p; p = cmark_node_parent(p)) {
        const doc_tag *t = document_tag_of(p);
        if (t && (t->kind == TAG_SIGNATURE || t->kind == TAG_ANNEX || t->kind == TAG_FLOWCHART ||
                  t->kind == TAG_CONSENT))
            return true;
        if (cmark_node_get_type(p) == CMARK_NODE_LINK)
            return true;
    }
    return false;
}

static void read_document(const principle_def *def, const document *d, principle_report *r,
                          int line, const char *file)
{
    principle_outcome *o = principle_report_find(r, "easy-read");
    if (!o || o->status != OUTCOME_PASS)
        return;
    found f = {.def = def};
    cmark_iter *it = cmark_iter_new(d->root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) &&
            !skipped(n))
            check_block(&f, n);
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < f.n; i++) {
        diag_add(&r->diags, def->severity, file, line, 0, "easy-read", "%s: %s", d->audience_id,
                 f.v[i]);
        free(f.v[i]);
    }
    free(f.v);
    if (f.n) {
        o->status = OUTCOME_FAIL;
        o->severity = def->severity;
    }
    free(o->evidence);
    o->evidence = f.n ? xasprintf("%zu sentence%s to make easier", f.n, f.n == 1 ? "" : "s")
                      : xasprintf("one idea and at most %d words a sentence, every job and "
                                  "acronym explained", EASYREAD_MAX_WORDS);
}

void easyread_check(const principle_set *ps, const doc_set *docs, principle_report *reports,
                    const int *lines, const char *file)
{
    const principle_def *def = principles_find(ps, "easy-read");
    for (size_t i = 0; def && i < docs->count; i++)
        if (docs->docs[i]->reading == READING_EASY)
            read_document(def, docs->docs[i], &reports[i], lines[i], file);
}
