#include "render_docx_package.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lazylib.h"
#include "util/escape.h"

#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

/* Each kind of part: its content type and the type of the relationship
 * that points at it. */
static const struct {
    const char *content_type, *rel_type;
} kinds[DOCX_PART_KIND_COUNT] = {
    [DOCX_PART_DOCUMENT] = {WML "document.main+xml", NULL},
    [DOCX_PART_STYLES] = {WML "styles+xml", NS_REL "/styles"},
    [DOCX_PART_NUMBERING] = {WML "numbering+xml", NS_REL "/numbering"},
    [DOCX_PART_SETTINGS] = {WML "settings+xml", NS_REL "/settings"},
    [DOCX_PART_HEADER] = {WML "header+xml", NS_REL "/header"},
    [DOCX_PART_FOOTER] = {WML "footer+xml", NS_REL "/footer"},
    [DOCX_PART_IMAGE] = {"image/png", NS_REL "/image"},
};

typedef struct {
    docx_part_kind kind;
    char *path;             /* inside the zip: word/styles.xml */
    const void *data;
    size_t len;
    bool owned;
} part;

typedef struct {
    char *id;               /* stays put while the array grows */
    const char *type;
    char *target;
    bool external;
} rel;

struct docx_pkg {
    part *parts;
    size_t nparts;
    rel *rels;
    size_t nrels;
};

docx_pkg *docx_pkg_new(void)
{
    return xcalloc(1, sizeof(docx_pkg));
}

void docx_pkg_free(docx_pkg *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nparts; i++) {
        if (p->parts[i].owned)
            free((void *)p->parts[i].data);
        free(p->parts[i].path);
    }
    for (size_t i = 0; i < p->nrels; i++) {
        free(p->rels[i].id);
        free(p->rels[i].target);
    }
    free(p->parts);
    free(p->rels);
    free(p);
}

static const char *add_rel(docx_pkg *p, const char *type, const char *target, bool external)
{
    p->rels = xrealloc(p->rels, (p->nrels + 1) * sizeof *p->rels);
    rel *r = &p->rels[p->nrels++];
    r->id = xasprintf("rId%zu", p->nrels);
    r->type = type;
    r->target = xstrdup(target);
    r->external = external;
    return r->id;
}

const char *docx_pkg_add(docx_pkg *p, docx_part_kind kind, const char *name, const void *data,
                         size_t len, bool owned)
{
    p->parts = xrealloc(p->parts, (p->nparts + 1) * sizeof *p->parts);
    p->parts[p->nparts++] = (part){kind, xasprintf("word/%s", name), data, len, owned};
    return kinds[kind].rel_type ? add_rel(p, kinds[kind].rel_type, name, false) : NULL;
}

const char *docx_pkg_link(docx_pkg *p, const char *url)
{
    for (size_t i = 0; i < p->nrels; i++)
        if (p->rels[i].external && !strcmp(p->rels[i].target, url))
            return p->rels[i].id;
    return add_rel(p, NS_REL "/hyperlink", url, true);
}

/* ------------------------------------------------------------------ */
/* XML helpers */

xmlTextWriterPtr docx_xml_open(xmlBufferPtr *buf)
{
    *buf = xmlBufferCreate();
    xmlTextWriterPtr w = *buf ? xmlNewTextWriterMemory(*buf, 0) : NULL;
    if (!w)
        abort();    /* libxml2 fails here only when memory runs out */
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", "yes");
    return w;
}

char *docx_xml_close(xmlTextWriterPtr w, xmlBufferPtr buf, size_t *len)
{
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    *len = (size_t)xmlBufferLength(buf);
    char *s = xstrndup((const char *)xmlBufferContent(buf), *len);
    xmlBufferFree(buf);
    return s;
}

void docx_start(xmlTextWriterPtr w, const char *name)
{
    xmlTextWriterStartElement(w, BAD_CAST name);
}

void docx_end(xmlTextWriterPtr w)
{
    xmlTextWriterEndElement(w);
}

/* libxml2's writer escapes markup but passes on what XML may not hold (a
 * control character, malformed UTF-8), so text and attribute values go
 * through the one XML escaper and are written as they come out of it. */
static void write_escaped(xmlTextWriterPtr w, const char *s)
{
    strbuf b = {0};
    esc_xml(&b, s);
    xmlTextWriterWriteRaw(w, BAD_CAST b.data);
    sb_free(&b);
}

void docx_attr(xmlTextWriterPtr w, const char *name, const char *val)
{
    xmlTextWriterStartAttribute(w, BAD_CAST name);
    write_escaped(w, val);
    xmlTextWriterEndAttribute(w);
}

void docx_attr_int(xmlTextWriterPtr w, const char *name, long val)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", val);
    docx_attr(w, name, buf);
}

void docx_el(xmlTextWriterPtr w, const char *name)
{
    docx_start(w, name);
    docx_end(w);
}

void docx_el_val(xmlTextWriterPtr w, const char *name, const char *val)
{
    docx_start(w, name);
    docx_attr(w, "w:val", val);
    docx_end(w);
}

void docx_el_int(xmlTextWriterPtr w, const char *name, long val)
{
    docx_start(w, name);
    docx_attr_int(w, "w:val", val);
    docx_end(w);
}

void docx_text(xmlTextWriterPtr w, const char *s, size_t len)
{
    char *copy = xstrndup(s, len);
    write_escaped(w, copy);
    free(copy);
}

void docx_wml_namespaces(xmlTextWriterPtr w)
{
    static const char *const ns[][2] = {
        {"xmlns:w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
        {"xmlns:r", NS_REL},
        {"xmlns:wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"},
        {"xmlns:a", "http://schemas.openxmlformats.org/drawingml/2006/main"},
        {"xmlns:pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"},
    };
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
        docx_attr(w, ns[i][0], ns[i][1]);
}

/* ------------------------------------------------------------------ */
/* The package's own parts */

static char *content_types(const docx_pkg *p, size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "Types");
    docx_attr(w, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
    static const char *const defaults[][2] = {
        {"rels", "application/vnd.openxmlformats-package.relationships+xml"},
        {"xml", "application/xml"},
        {"png", "image/png"},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) {
        docx_start(w, "Default");
        docx_attr(w, "Extension", defaults[i][0]);
        docx_attr(w, "ContentType", defaults[i][1]);
        docx_end(w);
    }
    static const char *const props[][2] = {
        {"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
        {"/docProps/app.xml",
         "application/vnd.openxmlformats-officedocument.extended-properties+xml"},
    };
    for (size_t i = 0; i < 2; i++) {
        docx_start(w, "Override");
        docx_attr(w, "PartName", props[i][0]);
        docx_attr(w, "ContentType", props[i][1]);
        docx_end(w);
    }
    for (size_t i = 0; i < p->nparts; i++) {
        if (p->parts[i].kind == DOCX_PART_IMAGE)
            continue;   /* the png default covers them */
        char *name = xasprintf("/%s", p->parts[i].path);
        docx_start(w, "Override");
        docx_attr(w, "PartName", name);
        docx_attr(w, "ContentType", kinds[p->parts[i].kind].content_type);
        docx_end(w);
        free(name);
    }
    docx_end(w);
    return docx_xml_close(w, buf, len);
}

static void rel_el(xmlTextWriterPtr w, const char *id, const char *type, const char *target,
                   bool external)
{
    docx_start(w, "Relationship");
    docx_attr(w, "Id", id);
    docx_attr(w, "Type", type);
    docx_attr(w, "Target", target);
    if (external)
        docx_attr(w, "TargetMode", "External");
    docx_end(w);
}

static char *package_rels(size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "Relationships");
    docx_attr(w, "xmlns", NS_PKG_REL);
    rel_el(w, "rId1", NS_REL "/officeDocument", "word/document.xml", false);
    rel_el(w, "rId2", NS_PKG_REL "/metadata/core-properties", "docProps/core.xml", false);
    rel_el(w, "rId3", NS_REL "/extended-properties", "docProps/app.xml", false);
    docx_end(w);
    return docx_xml_close(w, buf, len);
}

static char *document_rels(const docx_pkg *p, size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "Relationships");
    docx_attr(w, "xmlns", NS_PKG_REL);
    for (size_t i = 0; i < p->nrels; i++)
        rel_el(w, p->rels[i].id, p->rels[i].type, p->rels[i].target, p->rels[i].external);
    docx_end(w);
    return docx_xml_close(w, buf, len);
}

static void prop(xmlTextWriterPtr w, const char *name, const char *val)
{
    if (!val || !*val)
        return;
    docx_start(w, name);
    docx_text(w, val, strlen(val));
    docx_end(w);
}

static char *core_props(const docx_props *pr, size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "cp:coreProperties");
    docx_attr(w, "xmlns:cp",
              "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    docx_attr(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    docx_attr(w, "xmlns:dcterms", "http://purl.org/dc/terms/");
    docx_attr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    prop(w, "dc:title", pr->title);
    prop(w, "dc:subject", pr->subject);
    prop(w, "dc:creator", pr->creator);
    prop(w, "cp:keywords", pr->keywords);
    prop(w, "dc:description", pr->description);
    prop(w, "dc:language", pr->lang);
    prop(w, "cp:version", pr->version);
    if (pr->date.year > 0) {
        char when[32];
        snprintf(when, sizeof when, "%04d-%02d-%02dT00:00:00Z", pr->date.year, pr->date.month,
                 pr->date.day);
        static const char *const stamps[] = {"dcterms:created", "dcterms:modified"};
        for (size_t i = 0; i < 2; i++) {
            docx_start(w, stamps[i]);
            docx_attr(w, "xsi:type", "dcterms:W3CDTF");
            docx_text(w, when, strlen(when));
            docx_end(w);
        }
    }
    docx_end(w);
    return docx_xml_close(w, buf, len);
}

static char *app_props(const docx_props *pr, size_t *len)
{
    xmlBufferPtr buf;
    xmlTextWriterPtr w = docx_xml_open(&buf);
    docx_start(w, "Properties");
    docx_attr(w, "xmlns",
              "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
    prop(w, "Application", "aupc " AUPC_VERSION);
    prop(w, "Company", pr->company);
    docx_end(w);
    return docx_xml_close(w, buf, len);
}

/* ------------------------------------------------------------------ */
/* The zip */

/* The entries' time. libzip writes DOS times, which are local times, so
 * the time handed over is the one whose local reading is noon on DATE:
 * the bytes are the same in every time zone. Not mktime, which reads the
 * zone afresh on every call, freeing and copying its name, and so races
 * with another thread doing the same; the zone is read once, here. */
static pthread_once_t zone_once = PTHREAD_ONCE_INIT;

static time_t entry_time(aupc_date date)
{
    if (date.year < 1980)
        date = (aupc_date){1980, 1, 1};     /* the first day a zip can say */
    if (date.year > 2107)
        date = (aupc_date){2107, 12, 31};
    pthread_once(&zone_once, tzset);
    struct tm want = {.tm_year = date.year - 1900, .tm_mon = date.month - 1,
                      .tm_mday = date.day, .tm_hour = 12};
    struct tm copy = want;
    time_t goal = timegm(&copy), t = goal;
    /* Move by the difference between the local reading and noon until they
     * agree; twice is enough unless noon falls in a zone's change. */
    for (int i = 0; i < 3; i++) {
        struct tm local;
        if (!localtime_r(&t, &local))
            break;
        local.tm_isdst = 0;
        time_t got = timegm(&local);
        if (got == goal)
            break;
        t += goal - got;
    }
    return t;
}

typedef struct {
    const char *path;
    const void *data;
    size_t len;
    bool compress;
} entry;

/* Parts smaller than this are stored: zlib clears some 256 KB of tables
 * for every stream it starts, which costs more than a kilobyte saved. */
#define SMALL 1500

static int zip_entries(const lazylib_zip *z, const entry *e, size_t n, time_t when, strbuf *out,
                       const char **why)
{
    zip_error_t err;
    z->zip_error_init(&err);
    zip_source_t *src = z->zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *za = src ? z->zip_open_from_source(src, ZIP_TRUNCATE, &err) : NULL;
    int rc = za ? 0 : -1;
    if (!za && src)
        z->zip_source_free(src);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        zip_source_t *s = z->zip_source_buffer(za, e[i].data, e[i].len, 0);
        zip_int64_t idx = s ? z->zip_file_add(za, e[i].path, s, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            z->zip_source_free(s);
            rc = -1;
        } else if (z->zip_file_set_mtime(za, (zip_uint64_t)idx, when, 0) != 0 ||
                   z->zip_set_file_compression(za, (zip_uint64_t)idx,
                                               e[i].compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                               0) != 0) {
            rc = -1;
        }
    }
    if (rc != 0) {
        *why = za ? z->zip_error_strerror(z->zip_get_error(za)) : z->zip_error_strerror(&err);
        if (za)
            z->zip_discard(za);
        return -1;
    }
    z->zip_source_keep(src);
    if (z->zip_close(za) != 0) {
        *why = z->zip_error_strerror(z->zip_get_error(za));
        z->zip_discard(za);
        z->zip_source_free(src);
        return -1;
    }
    zip_stat_t st;
    if (z->zip_source_stat(src, &st) != 0 || z->zip_source_open(src) != 0) {
        *why = "cannot read the finished archive";
        z->zip_source_free(src);
        return -1;
    }
    char *dst = sb_reserve(out, (size_t)st.size);
    zip_int64_t got = z->zip_source_read(src, dst, st.size);
    z->zip_source_close(src);
    z->zip_source_free(src);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        *why = "cannot read the finished archive";
        return -1;
    }
    out->len += (size_t)got;
    out->data[out->len] = 0;
    return 0;
}

int docx_pkg_write(docx_pkg *p, const docx_props *props, strbuf *out, diag_list *diags)
{
    const lazylib_zip *z = lazylib_zip_load("Word output", diags);
    if (!z)
        return -1;
    size_t n = 0, len[5];
    char *own[5] = {content_types(p, &len[0]), package_rels(&len[1]), core_props(props, &len[2]),
                    app_props(props, &len[3]), document_rels(p, &len[4])};
    entry *e = xcalloc(p->nparts + 5, sizeof *e);
    static const char *const paths[] = {"[Content_Types].xml", "_rels/.rels",
                                        "docProps/core.xml", "docProps/app.xml"};
    for (size_t i = 0; i < 4; i++)
        e[n++] = (entry){paths[i], own[i], len[i], len[i] > SMALL};
    /* The main part first, its relationships beside it, then the rest in the
     * order of their kinds and, within a kind, as added. */
    for (int k = 0; k < DOCX_PART_KIND_COUNT; k++) {
        for (size_t i = 0; i < p->nparts; i++)
            if (p->parts[i].kind == (docx_part_kind)k)
                e[n++] = (entry){p->parts[i].path, p->parts[i].data, p->parts[i].len,
                                 k != DOCX_PART_IMAGE && p->parts[i].len > SMALL};
        if (k == DOCX_PART_DOCUMENT)
            e[n++] = (entry){"word/_rels/document.xml.rels", own[4], len[4], len[4] > SMALL};
    }
    const char *why = NULL;
    int rc = zip_entries(z, e, n, entry_time(props->date), out, &why);
    if (rc != 0)
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL, "cannot make the Word file: %s",
                 why ? why : "zip failed");
    free(e);
    for (size_t i = 0; i < 5; i++)
        free(own[i]);
    return rc;
}
