/* serve: aupc's questionnaire over HTTP, on GNU libmicrohttpd.
 *
 * libmicrohttpd's one thread reads requests; a request whose body is
 * complete is set aside (suspended) and queued for a fixed pool of
 * workers, one per allowed concurrent request, which make the answer with
 * web_handle and wake the connection. So at most max_clients requests are
 * worked on at once, the rest wait their turn instead of being refused,
 * and each worker keeps its PDF state from request to request. Nothing is
 * written to disk. Every post must carry the page's CSRF token (a cookie
 * and a form field that must match); bodies over IO_MAX_INPUT are refused
 * with 413, and a request still arriving, or still waiting its turn, after
 * time_limit seconds gets 408 or 503. */
#ifndef AUPC_SERVE_H
#define AUPC_SERVE_H

#include <stdbool.h>

#include "diag.h"

typedef struct {
    const char *listen;        /* "ADDR:PORT"; NULL: 127.0.0.1:8080, or a free port if taken */
    unsigned max_clients;      /* requests worked on at once, 1 to 1024 */
    unsigned time_limit;       /* seconds for a request to arrive and to wait its turn */
    const char *libdir;        /* --library, or NULL for the built-in statements */
} serve_options;

typedef struct serve_server serve_server;

/* Split SPEC, "HOST:PORT" or "[V6]:PORT", into HOST and PORT (digits, at
 * most 65535). Returns 0, or -1 when SPEC is not of that form. */
int serve_split_listen(const char *spec, char *host, size_t hsize, char *port, size_t psize);

/* Load the library, bind and start answering. Returns NULL with errors in
 * *diags (an address that will not bind, a library that will not load). */
serve_server *serve_start(const serve_options *o, diag_list *diags);
/* The address it listens on, as "http://HOST:PORT/". */
const char *serve_url(const serve_server *s);
/* True when it listens on an address other machines can reach. */
bool serve_public(const serve_server *s);
/* Finish the requests under way, then stop and free. */
void serve_stop(serve_server *s);

#endif
