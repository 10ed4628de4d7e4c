/* web: what aupc serve answers, without the HTTP. Each request carries the
 * whole profile as form fields (and last year's profile, when there is
 * one); nothing is kept between requests but last year's profile as
 * parsed, shared read-only by the requests that carry the same bytes. The answers are made by the same
 * library calls as the command line: compile, render, check, diff and the
 * outputs of compile for the zip. */
#ifndef AUPC_WEB_H
#define AUPC_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "library.h"
#include "principles.h"
#include "util/io.h"
#include "web_fields.h"

typedef struct web_cache web_cache;

typedef struct {
    const library *lib;
    const principle_set *ps;
    web_cache *cache;            /* NULL: last year's profile is parsed by every request */
} web_app;

/* Where a server keeps last year's profile between requests; thread-safe.
 * Free it after the last request has been answered. */
web_cache *web_cache_new(void);
void web_cache_free(web_cache *c);

typedef struct {
    const char *method;          /* "GET" or "POST" */
    const char *path;            /* without the query */
    const char *audience;        /* ?audience= of /document and /api/preview, or NULL */
    const web_fields *fields;    /* the posted form (empty for GET) */
    const char *upload_name;     /* the file field "upload": its name, as sent */
    const char *upload;          /* and its bytes; NULL when none was sent */
    size_t upload_len;
    const char *csrf;            /* the token the page must carry */
} web_request;

/* Which Content-Security-Policy a response needs. */
typedef enum {
    WEB_CSP_APP,      /* the form and its files: default-src 'self' */
    WEB_CSP_DOCUMENT, /* a compiled page: its own stylesheet, no script, no framing */
    WEB_CSP_FRAME,    /* the preview frame: as a document, framed by the form only */
} web_csp;

typedef struct {
    int status;
    const char *type;            /* Content-Type */
    strbuf body;
    char *filename;              /* Content-Disposition: attachment, when not NULL */
    web_csp csp;
    bool cache;                  /* the embedded scripts and styles */
} web_response;

void web_handle(const web_app *app, const web_request *rq, web_response *out);
void web_response_free(web_response *r);

#endif
