#include "web.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "diag_format.h"
#include "diff.h"
#include "diff_render.h"
#include "embedded.h"
#include "pack_blocks.h"
#include "render.h"
#include "util/escape.h"
#include "web_form.h"
#include "web_zip.h"

/* The names messages give the profile the form makes and last year's. */
#define FORM_FILE "profile.xml"
#define LAST_FILE "last-year.xml"

/* Last year's profile rides along with every post of the form, the same
 * bytes edit after edit: it is parsed once, and the parse shared. */
typedef struct {
    char *xml;
    profile *p;              /* NULL when it does not load */
    diag_list diags;
    unsigned refs;
} last_parse;

struct web_cache {
    pthread_mutex_t lock;
    last_parse *latest;
};

web_cache *web_cache_new(void)
{
    web_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void last_parse_free(last_parse *e)
{
    free(e->xml);
    profile_free(e->p);
    diag_free(&e->diags);
    free(e);
}

void web_cache_free(web_cache *c)
{
    if (!c)
        return;
    if (c->latest && --c->latest->refs == 0)
        last_parse_free(c->latest);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The parse of XML, from C when it holds it; release it with last_release. */
static last_parse *last_acquire(web_cache *c, const char *xml)
{
    if (c) {
        pthread_mutex_lock(&c->lock);
        last_parse *e = c->latest;
        if (e && !strcmp(e->xml, xml))
            e->refs++;
        else
            e = NULL;
        pthread_mutex_unlock(&c->lock);
        if (e)
            return e;
    }
    last_parse *e = xcalloc(1, sizeof *e);
    e->xml = xstrdup(xml);
    e->p = profile_parse(LAST_FILE, xml, strlen(xml), &e->diags);
    e->refs = 1;
    if (c) {
        pthread_mutex_lock(&c->lock);
        last_parse *old = c->latest;
        c->latest = e;
        e->refs++;
        bool drop = old && --old->refs == 0;
        pthread_mutex_unlock(&c->lock);
        if (drop)
            last_parse_free(old);
    }
    return e;
}

static void last_release(web_cache *c, last_parse *e)
{
    if (!e)
        return;
    if (c)
        pthread_mutex_lock(&c->lock);
    bool drop = --e->refs == 0;
    if (c)
        pthread_mutex_unlock(&c->lock);
    if (drop)
        last_parse_free(e);
}

typedef struct {
    const web_app *app;
    const web_request *rq;
    last_parse *parsed;      /* last year's profile as carried by the form, or NULL */
    const profile *last;     /* and as loaded; NULL when none or it does not load */
    const char *last_xml;
    web_result form;         /* what the fields come to */
    web_notes extra;         /* notes about last year's profile itself */
} state;

static void state_load(const web_app *app, const web_request *rq, state *s)
{
    memset(s, 0, sizeof *s);
    s->app = app;
    s->rq = rq;
    const char *x = rq->fields ? web_fields_get(rq->fields, "last") : NULL;
    if (x && *x) {
        s->parsed = last_acquire(app->cache, x);
        s->last = s->parsed->p;
        if (s->last)
            s->last_xml = s->parsed->xml;
        const diag_list *d = &s->parsed->diags;
        for (size_t i = 0; i < d->count; i++)
            web_notes_add(&s->extra, NULL, d->items[i].severity, d->items[i].message);
    }
    if (rq->fields)
        web_fields_load(rq->fields, s->last, app->lib, FORM_FILE, &s->form);
}

static void state_free(state *s)
{
    last_release(s->app->cache, s->parsed);
    web_result_free(&s->form);
    web_notes_free(&s->extra);
}

/* ---- responses ----------------------------------------------------------- */

static void respond(web_response *out, int status, const char *type, web_csp csp)
{
    out->status = status;
    out->type = type;
    out->csp = csp;
}

static void respond_text(web_response *out, int status, const char *text)
{
    respond(out, status, "text/plain; charset=utf-8", WEB_CSP_APP);
    sb_puts(&out->body, text);
}

static void respond_embedded(web_response *out, const char *name, const char *type)
{
    const embedded_file *f = embedded_find(name);
    if (!f) {
        respond_text(out, 404, "Not found.\n");
        return;
    }
    respond(out, 200, type, WEB_CSP_APP);
    sb_add(&out->body, f->data, f->len);
    out->cache = true;
}

/* ---- the documents of a profile ----------------------------------------- */

/* The tabs: the audiences the profile (or, while it does not load, the
 * ticked boxes) asks for. Free with tabs_free. */
static size_t tabs_of(const state *s, web_tab **tabs)
{
    size_t n = 0;
    *tabs = NULL;
    const profile *p = s->form.model;
    const web_fields *f = s->rq->fields;
    for (size_t i = 0; p ? i < p->naudiences : f && i < f->count; i++) {
        const char *id = p ? p->audiences[i].id : f->items[i].key;
        if (!p) {
            if (strcmp(id, "audience"))
                continue;
            id = f->items[i].value;
        }
        char *label = p ? compile_label(p, &p->audiences[i]) : web_form_audience_label(id);
        if (!label)
            continue;
        *tabs = xrealloc(*tabs, (n + 1) * sizeof **tabs);
        (*tabs)[n++] = (web_tab){id, label};
    }
    return n;
}

static void tabs_free(web_tab *tabs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(tabs[i].label);
    free(tabs);
}

static const profile_audience *audience_in(const profile *p, const char *id)
{
    for (size_t i = 0; p && id && i < p->naudiences; i++)
        if (!strcmp(p->audiences[i].id, id))
            return &p->audiences[i];
    return p && p->naudiences ? &p->audiences[0] : NULL;
}

static void esc(strbuf *b, const char *s)
{
    esc_markup(b, s);
}

/* R as the table `aupc check -f md` writes, with its to-do list. */
static void checklist_table(strbuf *b, const principle_report *r)
{
    size_t met = 0;
    for (size_t i = 0; i < r->noutcomes; i++)
        met += r->outcomes[i].status != OUTCOME_FAIL;
    sb_printf(b, "<h3>Checklist: %zu of %zu principles met</h3>\n<table>\n<thead><tr>"
                 "<th scope=\"col\">Principle</th><th scope=\"col\">Result</th>"
                 "<th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n", met, r->noutcomes);
    for (size_t i = 0; i < r->noutcomes; i++) {
        const principle_outcome *o = &r->outcomes[i];
        const char *word = fmt_outcome_word(o);
        sb_puts(b, "<tr><td>");
        esc(b, o->title);
        sb_puts(b, " (");
        esc(b, o->id);
        sb_printf(b, ")</td><td class=\"%s\">%s</td><td>",
                  o->status != OUTCOME_FAIL ? "met" : o->severity == DIAG_ERROR ? "fail" : "warning",
                  word);
        esc(b, o->status == OUTCOME_WAIVED ? o->waiver : o->evidence);
        sb_puts(b, "</td></tr>\n");
    }
    sb_puts(b, "</tbody>\n</table>\n");
    bool any = false;
    for (size_t i = 0; i < r->diags.count; i++) {
        if (r->diags.items[i].severity < DIAG_WARNING)
            continue;
        sb_puts(b, any ? "<li>" : "<h3>To do</h3>\n<ul>\n<li>");
        any = true;
        esc(b, r->diags.items[i].message);
        sb_puts(b, "</li>\n");
    }
    if (any)
        sb_puts(b, "</ul>\n");
}

/* The check of document D: the checklist `aupc check` prints for it. */
static char *checklist_html(const state *s, const document *d)
{
    document *one[] = {(document *)d};
    doc_set docs = {one, 1};
    principle_report *r;
    strbuf out = {0};
    if (check_setting(s->app->ps, s->app->lib, s->form.model, &docs, FORM_FILE,
                      principles_today(), &r) == 0)
        checklist_table(&out, r);
    else
        sb_puts(&out, "<p>The document could not be laid out, so it was not checked.</p>\n");
    principle_report_free(r);
    free(r);
    return out.data;
}

/* Compile audience ID of the form's profile: the page and its checklist. */
static int compile_one(state *s, const char *id, char **html, char **check)
{
    *html = *check = NULL;
    const profile_audience *a = audience_in(s->form.model, id);
    if (!a)
        return -1;
    diag_list d = {0};
    document *doc = compile_audience(s->form.model, s->app->lib, a, &d);
    for (size_t i = 0; i < d.count; i++)
        web_notes_add(&s->form.notes, NULL, d.items[i].severity, d.items[i].message);
    diag_free(&d);
    if (!doc)
        return -1;
    *html = render_html(doc);
    *check = checklist_html(s, doc);
    document_free(doc);
    return 0;
}

/* What changed since last year's profile, as `aupc diff -f html` shows it. */
static char *changes_html(state *s)
{
    if (!s->last || !s->form.model)
        return NULL;
    diff_result r = {0};
    diag_list d = {0};
    char *html = NULL;
    if (diff_profiles(s->last, s->form.model, s->app->lib, NULL, &r, &d) == 0) {
        diff_render_opts o = {false, false};
        html = diff_render_html(&r, &o);
    }
    for (size_t i = 0; i < d.count; i++)
        web_notes_add(&s->form.notes, NULL, d.items[i].severity, d.items[i].message);
    diff_result_free(&r);
    diag_free(&d);
    return html;
}

/* Warnings the form shows even when the profile loads. */
static void warnings(state *s)
{
    if (!s->form.model)
        return;
    diag_list d = {0};
    pack_contact_gaps(s->form.model, &d);
    for (size_t i = 0; i < d.count; i++)
        web_notes_add(&s->form.notes, "contacts", d.items[i].severity, d.items[i].message);
    diag_free(&d);
}

/* ---- the page ------------------------------------------------------------ */

typedef struct {
    const web_fields *fields;
    const char *notice, *upload_errors, *view;
    int status;
} page_opts;

static void page(state *s, const page_opts *o, web_response *out)
{
    web_notes notes = {0};
    for (size_t i = 0; i < s->extra.count; i++)
        web_notes_add(&notes, NULL, s->extra.items[i].severity, s->extra.items[i].message);
    for (size_t i = 0; i < s->form.notes.count; i++)
        web_notes_add(&notes, s->form.notes.items[i].field, s->form.notes.items[i].severity,
                      s->form.notes.items[i].message);
    web_tab *tabs;
    size_t ntabs = tabs_of(s, &tabs);
    char *html = NULL, *check = NULL;
    const char *view = o->view ? o->view : ntabs ? tabs[0].id : NULL;
    if (view && strcmp(view, "changes") && s->form.model)
        compile_one(s, view, &html, &check);
    const char *add = s->rq->fields ? web_fields_get(s->rq->fields, "add") : NULL;
    web_page pg = {
        .fields = o->fields, .notes = &notes, .csrf = s->rq->csrf, .last_xml = s->last_xml,
        .last = s->last, .notice = o->notice, .tabs = tabs, .ntabs = ntabs, .view = view,
        .check_html = check, .upload_errors = o->upload_errors, .extra_rows = add ? 1 : 0,
        .add_to = add,
    };
    respond(out, o->status, "text/html; charset=utf-8", WEB_CSP_APP);
    web_form_page(&pg, &out->body);
    free(html);
    free(check);
    tabs_free(tabs, ntabs);
    web_notes_free(&notes);
}

static void form_page(state *s, int status, web_response *out)
{
    warnings(s);
    page_opts o = {s->rq->fields, NULL, NULL, web_fields_get(s->rq->fields, "view"), status};
    page(s, &o, out);
}

/* ---- routes -------------------------------------------------------------- */

static const char frame_page[] =
    "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>Document preview</title>\n</head>\n<body>\n"
    "<p>Your document appears here once the answers make a profile.</p>\n"
    "</body>\n</html>\n";

static void get(const web_app *app, const web_request *rq, web_response *out)
{
    if (!strcmp(rq->path, "/")) {
        web_fields blank = {0};
        web_fields_blank(&blank);
        web_request r = *rq;
        r.fields = NULL;
        state s;
        state_load(app, &r, &s);
        page_opts o = {&blank, NULL, NULL, NULL, 200};
        page(&s, &o, out);
        state_free(&s);
        web_fields_free(&blank);
    } else if (!strcmp(rq->path, "/static/app.js")) {
        respond_embedded(out, "web/app.js", "text/javascript; charset=utf-8");
    } else if (!strcmp(rq->path, "/static/icon.svg") || !strcmp(rq->path, "/favicon.ico")) {
        respond_embedded(out, "web/icon.svg", "image/svg+xml");
    } else if (!strcmp(rq->path, "/static/style.css")) {
        respond_embedded(out, "web/style.css", "text/css; charset=utf-8");
    } else if (!strcmp(rq->path, "/frame")) {
        respond(out, 200, "text/html; charset=utf-8", WEB_CSP_FRAME);
        sb_puts(&out->body, frame_page);
    } else {
        respond_text(out, 404, "Not found.\n");
    }
}

static void json_pair(strbuf *b, const char *key, const char *value, bool comma)
{
    if (comma)
        sb_puts(b, ",");
    esc_json(b, key);
    sb_puts(b, ":");
    if (value)
        esc_json(b, value);
    else
        sb_puts(b, "null");
}

/* The live documents: the answers as the page shows them, for web/app.js. */
static void preview(state *s, web_response *out)
{
    warnings(s);
    web_tab *tabs;
    size_t ntabs = tabs_of(s, &tabs);
    const char *view = s->rq->audience ? s->rq->audience : ntabs ? tabs[0].id : NULL;
    char *html = NULL, *check = NULL;
    if (view && !strcmp(view, "changes"))
        html = changes_html(s);
    else if (view && s->form.model && compile_one(s, view, &html, &check) == 0)
        view = audience_in(s->form.model, view)->id;
    strbuf b = {0};
    sb_printf(&b, "{\"ok\":%s,\"tabs\":[", s->form.model ? "true" : "false");
    for (size_t i = 0; i < ntabs; i++) {
        sb_puts(&b, i ? ",{" : "{");
        json_pair(&b, "id", tabs[i].id, false);
        json_pair(&b, "label", tabs[i].label, true);
        sb_puts(&b, "}");
    }
    sb_printf(&b, "],\"changes\":%s", s->last ? "true" : "false");
    json_pair(&b, "audience", view, true);
    json_pair(&b, "html", html, true);
    json_pair(&b, "check", check, true);
    sb_puts(&b, ",\"notes\":[");
    const web_notes *lists[] = {&s->extra, &s->form.notes};
    size_t k = 0;
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->count; i++, k++) {
            const web_note *n = &lists[l]->items[i];
            sb_puts(&b, k ? ",{" : "{");
            json_pair(&b, "field", n->field, false);
            json_pair(&b, "severity", diag_severity_name(n->severity), true);
            json_pair(&b, "message", n->message, true);
            sb_puts(&b, "}");
        }
    sb_puts(&b, "]}\n");
    respond(out, 200, "application/json; charset=utf-8", WEB_CSP_APP);
    sb_add(&out->body, b.data, b.len);
    sb_free(&b);
    free(html);
    free(check);
    tabs_free(tabs, ntabs);
}

static void document_route(state *s, web_response *out)
{
    char *html = NULL, *check = NULL;
    if (s->rq->audience && !strcmp(s->rq->audience, "changes"))
        html = changes_html(s);
    else if (s->form.model)
        compile_one(s, s->rq->audience, &html, &check);
    free(check);
    if (!html) {
        form_page(s, 422, out);
        return;
    }
    respond(out, 200, "text/html; charset=utf-8", WEB_CSP_DOCUMENT);
    sb_puts(&out->body, html);
    free(html);
}

static void profile_route(state *s, web_response *out)
{
    if (!s->form.model) {
        form_page(s, 422, out);
        return;
    }
    /* Written here, not for every post: only the download needs it. */
    if (profile_write(s->form.model, &out->body) != 0) {
        sb_free(&out->body);
        respond_text(out, 500, "The profile could not be written.\n");
        return;
    }
    respond(out, 200, "application/xml; charset=utf-8", WEB_CSP_APP);
    out->filename = xasprintf("%s.xml", s->form.model->id);
}

static void zip_route(state *s, web_response *out)
{
    if (!s->form.model) {
        form_page(s, 422, out);
        return;
    }
    diag_list d = {0};
    if (web_zip_profile(s->form.model, s->app->lib, &out->body, &d) != 0) {
        for (size_t i = 0; i < d.count; i++)
            web_notes_add(&s->form.notes, NULL, d.items[i].severity, d.items[i].message);
        diag_free(&d);
        sb_free(&out->body);
        form_page(s, 422, out);
        return;
    }
    diag_free(&d);
    respond(out, 200, "application/zip", WEB_CSP_APP);
    out->filename = xasprintf("%s.zip", s->form.model->id);
}

/* The uploaded file's name as messages give it: its last part, in the id
 * alphabet and a few harmless characters, never empty. */
static char *upload_name(const char *name)
{
    const char *base = name ? name : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    strbuf b = {0};
    for (const char *p = base; *p && b.len < 100; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.", *p))
            sb_add(&b, p, 1);
    if (!b.len || b.data[0] == '.')
        sb_puts(&b, b.len ? "" : "upload.xml");
    return b.data;
}

/* Last year's profile: every field filled from it, kept for the diff. */
static void upload(const web_app *app, const web_request *rq, web_response *out)
{
    state s;
    state_load(app, rq, &s);
    if (!rq->upload) {
        page_opts o = {rq->fields, "Choose a profile file first, then press Load it.", NULL,
                       NULL, 422};
        page(&s, &o, out);
        state_free(&s);
        return;
    }
    char *name = upload_name(rq->upload_name);
    diag_list d = {0};
    profile *p = profile_parse(name, rq->upload, rq->upload_len, &d);
    doc_set docs = {0};
    if (p && compile_profile(p, app->lib, &docs, &d) != 0) {
        profile_free(p);
        p = NULL;
    }
    doc_set_free(&docs);
    strbuf xml = {0};
    if (!p || profile_write(p, &xml) != 0) {
        char *lines = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&lines, &len);
        if (f) {
            diag_print_gnu(f, &d, 0);
            fclose(f);
        }
        page_opts o = {rq->fields, NULL, lines ? lines : "", NULL, 422};
        page(&s, &o, out);
        free(lines);
    } else {
        web_fields filled = {0};
        web_fields_from_profile(p, &filled);
        web_fields_add(&filled, "last", xml.data);
        web_request r = *rq;
        r.fields = &filled;
        state s2;
        state_load(app, &r, &s2);
        warnings(&s2);
        char *notice = xasprintf("Loaded %s: every answer below comes from it. For this "
                                 "year's policy, change the version and the review dates; the "
                                 "tab \"What changed\" compares it with your answers.", name);
        page_opts o = {&filled, notice, NULL, NULL, 200};
        page(&s2, &o, out);
        free(notice);
        state_free(&s2);
        web_fields_free(&filled);
    }
    sb_free(&xml);
    profile_free(p);
    diag_free(&d);
    free(name);
    state_free(&s);
}

static void post(const web_app *app, const web_request *rq, web_response *out)
{
    if (!strcmp(rq->path, "/upload")) {
        upload(app, rq, out);
        return;
    }
    state s;
    state_load(app, rq, &s);
    if (!strcmp(rq->path, "/"))
        form_page(&s, 200, out);
    else if (!strcmp(rq->path, "/api/preview"))
        preview(&s, out);
    else if (!strcmp(rq->path, "/document"))
        document_route(&s, out);
    else if (!strcmp(rq->path, "/profile.xml"))
        profile_route(&s, out);
    else if (!strcmp(rq->path, "/documents.zip"))
        zip_route(&s, out);
    else
        respond_text(out, 404, "Not found.\n");
    state_free(&s);
}

void web_handle(const web_app *app, const web_request *rq, web_response *out)
{
    memset(out, 0, sizeof *out);
    if (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD"))
        get(app, rq, out);
    else if (!strcmp(rq->method, "POST"))
        post(app, rq, out);
    else
        respond_text(out, 405, "Use GET or POST.\n");
}

void web_response_free(web_response *r)
{
    sb_free(&r->body);
    free(r->filename);
    memset(r, 0, sizeof *r);
}
