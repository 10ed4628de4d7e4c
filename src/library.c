#include "library.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "audience.h"
#include "embedded.h"
#include "mdparse.h"
#include "util/io.h"
#include "xmlload.h"

static const char *const section_names[SECTION_COUNT] = {
    "acceptable", "unacceptable", "responsibility", "monitoring", "sanctions", "information",
};

const char *library_section_name(statement_section s)
{
    return section_names[s];
}

int library_section_from_name(const char *name)
{
    for (int i = 0; i < SECTION_COUNT; i++)
        if (name && strcmp(section_names[i], name) == 0)
            return i;
    return -1;
}

bool library_list_has(const char *list, const char *word)
{
    if (!list || !word)
        return false;
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == n && memcmp(p, word, n) == 0)
            return true;
        p = e;
    }
    return false;
}

library *library_new(void)
{
    return xcalloc(1, sizeof(library));
}

const statement *library_find(const library *lib, const char *id)
{
    for (size_t i = 0; i < lib->count; i++)
        if (strcmp(lib->items[i].id, id) == 0)
            return &lib->items[i];
    return NULL;
}

static void load_statement(statement *s, xmlNodePtr n, const char *file)
{
    memset(s, 0, sizeof *s);
    s->id = xmlload_attr(n, "id");
    char *sec = xmlload_attr(n, "section");
    s->section = (statement_section)library_section_from_name(sec);
    free(sec);
    char *core = xmlload_attr(n, "core");
    s->core = core && (strcmp(core, "true") == 0 || strcmp(core, "1") == 0);
    free(core);
    char *order = xmlload_attr(n, "order");
    s->order = order ? (unsigned)strtoul(order, NULL, 10) : 500;
    free(order);
    s->principles = xmlload_attr(n, "principles");
    s->audiences = xmlload_attr(n, "audiences");
    s->devices = xmlload_attr(n, "devices");
    s->pupil_devices = xmlload_attr(n, "pupil-devices");
    s->provides = xmlload_attr(n, "provides");
    s->monitoring = xmlload_attr(n, "monitoring");
    s->kinds = xmlload_attr(n, "kinds");
    s->file = file;
    s->line = xmlGetLineNo(n);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (xmlload_is(c, "detect")) {
            s->detect = xrealloc(s->detect, (s->ndetect + 1) * sizeof *s->detect);
            s->detect[s->ndetect++] = xmlload_text(c);
        } else if (xmlload_is(c, "text")) {
            s->texts = xrealloc(s->texts, (s->ntexts + 1) * sizeof *s->texts);
            statement_text *t = &s->texts[s->ntexts++];
            t->reader = xmlload_attr(c, "for");
            t->text = xmlload_text(c);
            t->carries = xmlload_attr(c, "carries");
            t->line = xmlGetLineNo(c);
        }
    }
}

/* The schema allows any name for a reader; the audience table says which exist. */
static int check_readers(const statement *s, const char *data, size_t len, diag_list *diags)
{
    int rc = 0;
    for (size_t i = 0; i < s->ntexts; i++) {
        const statement_text *t = &s->texts[i];
        if (!strcmp(t->reader, "easy") || !strcmp(t->reader, "adult-easy") ||
            audience_known(t->reader, true))
            continue;
        char *ids = audience_list(AUDIENCE_LIST_READERS, ", ", " or ");
        diag_add(diags, DIAG_ERROR, s->file, t->line, xmlload_column(data, len, t->line, "for="),
                 NULL, "statement '%s' has a text for an unknown reader '%s': expected %s, "
                 "any of them with -easy, easy or adult-easy", s->id, t->reader, ids);
        free(ids);
        rc = -1;
    }
    return rc;
}

/* A text from a --library folder is CommonMark that every tree walk will
 * follow: held to mdparse's bounds of depth and time, its refusal placed
 * at the text's own line in the file. */
static int check_texts(const statement *s, diag_list *diags)
{
    int rc = 0;
    for (size_t i = 0; i < s->ntexts; i++) {
        const statement_text *t = &s->texts[i];
        diag_list one = {0};
        cmark_node *root = md_parse_from(s->file, t->line, t->text, strlen(t->text),
                                         CMARK_OPT_DEFAULT, &one);
        if (root) {
            cmark_node_free(root);
            continue;
        }
        for (size_t k = 0; k < one.count; k++)
            diag_add(diags, DIAG_ERROR, s->file, one.items[k].line, 1, NULL,
                     "statement '%s', text for '%s': %s", s->id, t->reader,
                     one.items[k].message);
        diag_free(&one);
        rc = -1;
    }
    return rc;
}

/* SCHEMA is NULL for the built-in files, which the build validates
 * (xmllint in meson.build): a run need not check them again. */
static int add_file(library *lib, const char *file, const char *data, size_t len,
                    const char *schema, diag_list *diags)
{
    xmlDocPtr doc = xmlload_parse(file, data, len, schema, diags);
    if (!doc)
        return -1;
    lib->files = xrealloc(lib->files, (lib->nfiles + 1) * sizeof *lib->files);
    const char *owned = lib->files[lib->nfiles++] = xstrdup(file);
    int rc = 0;
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (!xmlload_is(n, "statement"))
            continue;
        char *id = xmlload_attr(n, "id");
        const statement *dup = library_find(lib, id);
        if (dup) {
            int line = xmlGetLineNo(n);
            diag_add(diags, DIAG_ERROR, file, line, xmlload_column(data, len, line, "id="), NULL,
                     "statement id '%s' is already defined at %s:%d: ids must be unique", id,
                     dup->file, dup->line);
            rc = -1;
        }
        free(id);
        if (dup)
            continue;
        if (lib->count == lib->cap) {
            lib->cap = lib->cap ? lib->cap * 2 : 64;
            lib->items = xrealloc(lib->items, lib->cap * sizeof *lib->items);
        }
        load_statement(&lib->items[lib->count], n, owned);
        const statement *added = &lib->items[lib->count++];
        if (check_readers(added, data, len, diags) != 0 || (schema && check_texts(added, diags) != 0))
            rc = -1;
    }
    xmlFreeDoc(doc);
    return rc;
}

int library_add_file(library *lib, const char *file, const char *data, size_t len,
                     diag_list *diags)
{
    return add_file(lib, file, data, len, "schema/library.xsd", diags);
}

static bool is_statement_file(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0 && strcmp(name, "principles.xml") != 0 && strcmp(name, "incident-flow.xml") != 0 &&
           strcmp(name, "classify.xml") != 0 &&
           name[0] != '.';
}

/* A text that carries another statement's idea names a statement that
 * exists, and one that has no text of its own for that reader: otherwise
 * the reader would get the idea twice, or a rule that was never written. */
static int check_carries(const library *lib, diag_list *diags)
{
    int rc = 0;
    for (size_t i = 0; i < lib->count; i++) {
        const statement *s = &lib->items[i];
        for (size_t k = 0; k < s->ntexts; k++) {
            const statement_text *t = &s->texts[k];
            char *list = t->carries ? xstrdup(t->carries) : NULL, *save = NULL;
            for (char *w = list ? strtok_r(list, " \t\n", &save) : NULL; w;
                 w = strtok_r(NULL, " \t\n", &save)) {
                const statement *c = library_find(lib, w);
                const statement_text *own = c ? statement_text_for(c, t->reader) : NULL;
                if (!c || c == s)
                    diag_add(diags, DIAG_ERROR, s->file, t->line, 0, NULL,
                             "statement '%s' carries '%s' for %s, but %s", s->id, w, t->reader,
                             c ? "a statement cannot carry itself" : "no statement has that id");
                else if (own)
                    diag_add(diags, DIAG_ERROR, s->file, t->line, 0, NULL,
                             "statement '%s' carries '%s' for %s, which has a text of its own "
                             "for that reader (line %d): remove one", s->id, w, t->reader,
                             own->line);
                else
                    continue;
                rc = -1;
            }
            free(list);
        }
    }
    return rc;
}

bool statement_carries(const statement *s, const char *audience_id, const char *id)
{
    const statement_text *t = statement_text_for(s, audience_id);
    return t && t->carries && library_list_has(t->carries, id);
}

library *library_load_embedded(diag_list *diags)
{
    library *lib = library_new();
    for (const embedded_file *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "statements/", 11) != 0 || !is_statement_file(f->name + 11))
            continue;
        if (add_file(lib, f->name, f->data, f->len, NULL, diags) != 0) {
            library_free(lib);
            return NULL;
        }
    }
    if (check_carries(lib, diags) != 0) {
        library_free(lib);
        return NULL;
    }
    return lib;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

library *library_load_dir(const char *dir, diag_list *diags)
{
    DIR *d = opendir(dir);
    if (!d) {
        diag_add(diags, DIAG_ERROR, dir, 0, 0, NULL, "cannot open the statement library folder");
        return NULL;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_statement_file(e->d_name))
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    library *lib = library_new();
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]);
        char *data;
        size_t len;
        const char *err;
        if (io_read_file(path, &data, &len, &err) != 0) {
            diag_add(diags, DIAG_ERROR, path, 0, 0, NULL, "cannot read: %s", err);
            rc = -1;
        } else {
            if (library_add_file(lib, path, data, len, diags) != 0)
                rc = -1;
            free(data);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    if (n == 0) {
        diag_add(diags, DIAG_ERROR, dir, 0, 0, NULL, "no statement files (*.xml) in this folder");
        rc = -1;
    }
    if (rc == 0 && check_carries(lib, diags) != 0)
        rc = -1;
    if (rc != 0) {
        library_free(lib);
        return NULL;
    }
    return lib;
}

static void statement_free(statement *s)
{
    free(s->id);
    free(s->principles);
    free(s->audiences);
    free(s->devices);
    free(s->pupil_devices);
    free(s->provides);
    free(s->monitoring);
    free(s->kinds);
    for (size_t i = 0; i < s->ndetect; i++)
        free(s->detect[i]);
    free(s->detect);
    for (size_t i = 0; i < s->ntexts; i++) {
        free(s->texts[i].reader);
        free(s->texts[i].text);
        free(s->texts[i].carries);
    }
    free(s->texts);
}

void library_free(library *lib)
{
    if (!lib)
        return;
    for (size_t i = 0; i < lib->count; i++)
        statement_free(&lib->items[i]);
    free(lib->items);
    for (size_t i = 0; i < lib->nfiles; i++)
        free(lib->files[i]);
    free(lib->files);
    free(lib);
}

static const statement_text *text_exact(const statement *s, const char *reader)
{
    for (size_t i = 0; i < s->ntexts; i++)
        if (strcmp(s->texts[i].reader, reader) == 0)
            return &s->texts[i];
    return NULL;
}

const statement_text *statement_text_for(const statement *s, const char *audience_id)
{
    const statement_text *t = text_exact(s, audience_id);
    if (t)
        return t;
    int k = audience_kind_of(audience_id);
    if (k < 0)
        return NULL;
    const char *kind = audience_kind_at((audience_kind)k)->name;
    bool easy = false;
    audience_find(audience_id, &easy);
    const char *from = audience_kind_at((audience_kind)k)->texts_from;
    if (easy) {
        char kind_easy[64];
        snprintf(kind_easy, sizeof kind_easy, "%s" AUDIENCE_EASY_SUFFIX, kind);
        if ((t = text_exact(s, kind_easy)))
            return t;
        /* "easy" speaks as a pupil; an adult's easy read never borrows it. */
        return text_exact(s, audience_kind_at((audience_kind)k)->adult ? "adult-easy" : "easy");
    }
    if ((t = text_exact(s, kind)) || !from)
        return t;
    return statement_text_for(s, from);
}
