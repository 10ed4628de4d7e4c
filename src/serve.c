#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lazylib.h"
#include "library.h"
#include "principles.h"
#include "render_pdf.h"
#include "util/io.h"
#include "web.h"

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT "8080"
#define CSRF_COOKIE "aupc_csrf"
#define CSRF_LEN 32
/* What every request's queued bodies may hold at once, so that a flood of
 * large posts cannot take the machine's memory. */
#define BODY_BUDGET (256u * 1024 * 1024)
/* The most fields a post may have. The questionnaire sends a few hundred
 * (a thousand for a setting with very long lists); last year's profile
 * travels as one. Each field costs an allocation and a look-up, so a body
 * of 8 MiB of empty fields must not become millions of them. */
#define MAX_FIELDS 10000

typedef struct job job;

struct serve_server {
    const lazylib_mhd *mhd;    /* libmicrohttpd, loaded by serve_start */
    struct MHD_Daemon *daemon;
    library *lib;
    principle_set *ps;
    web_app app;
    unsigned time_limit;
    char url[128];
    bool public_address;

    pthread_mutex_t lock;      /* guards everything below */
    pthread_cond_t wake;       /* a job queued, or stopping */
    pthread_cond_t idle;       /* a suspended job was woken */
    job *head, *tail;
    size_t suspended;          /* jobs queued or being answered */
    size_t buffered;           /* bytes of request bodies held */
    bool stopping;
    pthread_t *workers;
    unsigned nworkers;
};

/* One field of a post, as it arrives in pieces. */
typedef struct {
    char *key, *filename;
    strbuf value;
} part;

/* One request, from its first byte to its answer. */
struct job {
    serve_server *srv;
    struct MHD_Connection *conn;
    struct timespec start, queued;
    char *method, *path, *audience;
    struct MHD_PostProcessor *pp;
    part *parts;
    size_t nparts, partcap;
    size_t body;               /* bytes received */
    size_t held;               /* of which kept, counted in the server's budget */
    int refuse;                /* a status to answer with instead, or 0 */
    bool too_many;             /* refused for its number of fields, not its size */
    web_response resp;
    bool answered;
    char csrf[CSRF_LEN + 1];   /* the token of the page, old or new */
    bool new_cookie;
    job *next;
};

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* ---- answers ------------------------------------------------------------- */

static const char *const csp_values[] = {
    [WEB_CSP_APP] = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                    "form-action 'self'; object-src 'none'",
    [WEB_CSP_DOCUMENT] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                         "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    [WEB_CSP_FRAME] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                      "frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
};

static enum MHD_Result send_reply(job *j, const web_response *r)
{
    const lazylib_mhd *mhd = j->srv->mhd;
    struct MHD_Response *m = mhd->MHD_create_response_from_buffer(
        r->body.len, r->body.data ? r->body.data : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!m)
        return MHD_NO;
    mhd->MHD_add_response_header(m, "Content-Type", r->type ? r->type : "text/plain; charset=utf-8");
    mhd->MHD_add_response_header(m, "Content-Security-Policy", csp_values[r->csp]);
    mhd->MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    mhd->MHD_add_response_header(m, "X-Frame-Options", r->csp == WEB_CSP_FRAME ? "SAMEORIGIN" : "DENY");
    /* Not no-referrer: under it a form post says "Origin: null", and the
     * origin check below needs the real one. */
    mhd->MHD_add_response_header(m, "Referrer-Policy", "same-origin");
    mhd->MHD_add_response_header(m, "Cross-Origin-Opener-Policy", "same-origin");
    mhd->MHD_add_response_header(m, "Cache-Control", r->cache ? "no-cache" : "no-store");
    if (r->filename) {
        char *cd = xasprintf("attachment; filename=\"%s\"", r->filename);
        mhd->MHD_add_response_header(m, "Content-Disposition", cd);
        free(cd);
    }
    if (j->new_cookie) {
        char *c = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict", CSRF_COOKIE, j->csrf);
        mhd->MHD_add_response_header(m, "Set-Cookie", c);
        free(c);
    }
    enum MHD_Result rc = mhd->MHD_queue_response(j->conn, (unsigned)r->status, m);
    mhd->MHD_destroy_response(m);
    return rc;
}

static enum MHD_Result refuse(job *j, int status)
{
    static const char too_many[] = "The form has more than 10000 fields, the most aupc reads: "
                                   "the questionnaire never sends that many.\n";
    static const struct {
        int status;
        const char *text;
    } texts[] = {
        {400, "The form data could not be read.\n"},
        {403, "This form has expired or was sent from another site. Reload the page and try "
              "again; your answers are still in the browser's page.\n"},
        {405, "Use GET or POST.\n"},
        {408, "The request took too long to arrive, so it was dropped. Try again.\n"},
        {413, "The request is larger than 8 MiB, the most aupc reads: a profile is never "
              "that big.\n"},
        {415, "Send the form as a form (multipart/form-data or "
              "application/x-www-form-urlencoded).\n"},
        {503, "The server is busy; try again in a moment.\n"},
    };
    web_response r = {.status = status, .type = "text/plain; charset=utf-8"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0] && !(status == 413 && j->too_many); i++)
        if (texts[i].status == status)
            sb_puts(&r.body, texts[i].text);
    if (status == 413 && j->too_many)
        sb_puts(&r.body, too_many);
    enum MHD_Result rc = send_reply(j, &r);
    web_response_free(&r);
    return rc;
}

/* ---- the CSRF token ------------------------------------------------------ */

static bool token_ok(const char *t)
{
    if (!t || strlen(t) != CSRF_LEN)
        return false;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
            return false;
    return true;
}

/* The value of KEY among the request's headers, cookies or query. */
static const char *lookup(const job *j, enum MHD_ValueKind kind, const char *key)
{
    return j->srv->mhd->MHD_lookup_connection_value(j->conn, kind, key);
}

/* The page's token: the cookie's when it has a good one, else a new one. */
static void take_token(job *j)
{
    const char *c = lookup(j, MHD_COOKIE_KIND, CSRF_COOKIE);
    if (token_ok(c)) {
        memcpy(j->csrf, c, CSRF_LEN + 1);
        return;
    }
    unsigned char raw[CSRF_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n > 0)
            got += (size_t)n;
        else if (errno != EINTR)
            abort();   /* no randomness: no token worth the name */
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(j->csrf + 2 * i, 3, "%02x", raw[i]);
    j->new_cookie = true;
}

/* A post must carry the cookie's token as its "csrf" field, and, when the
 * browser names the page it came from, come from this server. */
static bool csrf_ok(job *j, const web_fields *f)
{
    const char *cookie = lookup(j, MHD_COOKIE_KIND, CSRF_COOKIE);
    const char *field = web_fields_get(f, "csrf");
    if (!token_ok(cookie) || !field || strcmp(cookie, field))
        return false;
    const char *origin = lookup(j, MHD_HEADER_KIND, "Origin");
    const char *host = lookup(j, MHD_HEADER_KIND, "Host");
    if (origin && host) {
        char *want = xasprintf("http://%s", host);
        bool same = !strcmp(origin, want);
        free(want);
        return same;
    }
    return true;
}

/* ---- the queue and its workers ------------------------------------------- */

static void answer(job *j)
{
    web_fields f = {0};
    const char *upload = NULL, *upload_name = NULL;
    size_t upload_len = 0;
    for (size_t i = 0; i < j->nparts; i++) {
        part *p = &j->parts[i];
        if (!strcmp(p->key, "upload") && p->filename && *p->filename) {
            upload = p->value.data;
            upload_len = p->value.len;
            upload_name = p->filename;
        } else {
            web_fields_addn(&f, p->key, p->value.data ? p->value.data : "", p->value.len);
        }
    }
    if (!strcmp(j->method, "POST") && !csrf_ok(j, &f)) {
        j->refuse = 403;
    } else {
        web_request rq = {j->method, j->path, j->audience, &f, upload_name, upload, upload_len,
                          j->csrf};
        web_handle(&j->srv->app, &rq, &j->resp);
    }
    web_fields_free(&f);
}

static void *worker(void *arg)
{
    serve_server *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->wake, &s->lock);
        job *j = s->head;
        if (!j)
            break;
        s->head = j->next;
        if (!s->head)
            s->tail = NULL;
        pthread_mutex_unlock(&s->lock);
        if (seconds_since(&j->queued) > s->time_limit)
            j->refuse = 503;
        else
            answer(j);
        j->answered = true;
        pthread_mutex_lock(&s->lock);
        s->mhd->MHD_resume_connection(j->conn);
        s->suspended--;
        pthread_cond_broadcast(&s->idle);
    }
    pthread_mutex_unlock(&s->lock);
    pdf_thread_done();
    return NULL;
}

/* Set J aside for a worker; false when the server is stopping. */
static bool enqueue(job *j)
{
    serve_server *s = j->srv;
    clock_gettime(CLOCK_MONOTONIC, &j->queued);
    pthread_mutex_lock(&s->lock);
    if (s->stopping) {
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    s->mhd->MHD_suspend_connection(j->conn);
    s->suspended++;
    j->next = NULL;
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    return true;
}

/* ---- requests ------------------------------------------------------------ */

static bool budget_take(serve_server *s, size_t n)
{
    pthread_mutex_lock(&s->lock);
    bool ok = s->buffered + n <= BODY_BUDGET;
    if (ok)
        s->buffered += n;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *encoding, const char *data, uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)encoding;
    job *j = cls;
    part *p = j->nparts ? &j->parts[j->nparts - 1] : NULL;
    if (off == 0 || !p || strcmp(p->key, key)) {
        if (j->nparts == MAX_FIELDS) {
            j->refuse = 413;
            j->too_many = true;
            return MHD_NO;
        }
        /* doubling: a realloc per field is quadratic where realloc copies */
        if (j->nparts == j->partcap) {
            j->partcap = j->partcap ? 2 * j->partcap : 16;
            j->parts = xrealloc(j->parts, j->partcap * sizeof *j->parts);
        }
        p = &j->parts[j->nparts++];
        *p = (part){xstrdup(key), filename ? xstrdup(filename) : NULL, {0}};
        sb_puts(&p->value, "");
    }
    if (size)
        sb_add(&p->value, data, size);
    return MHD_YES;
}

static bool is_get(const char *m)
{
    return !strcmp(m, MHD_HTTP_METHOD_GET) || !strcmp(m, MHD_HTTP_METHOD_HEAD);
}

static job *job_new(serve_server *s, struct MHD_Connection *c, const char *url,
                    const char *method)
{
    job *j = xcalloc(1, sizeof *j);
    j->srv = s;
    j->conn = c;
    clock_gettime(CLOCK_MONOTONIC, &j->start);
    j->method = xstrdup(method);
    j->path = xstrdup(url);
    const char *aud = lookup(j, MHD_GET_ARGUMENT_KIND, "audience");
    j->audience = aud ? xstrdup(aud) : NULL;
    take_token(j);
    if (!is_get(method) && strcmp(method, MHD_HTTP_METHOD_POST)) {
        j->refuse = 405;
        return j;
    }
    const char *len = lookup(j, MHD_HEADER_KIND, "Content-Length");
    if (len && strtoull(len, NULL, 10) > IO_MAX_INPUT)
        j->refuse = 413;
    else if (!strcmp(method, MHD_HTTP_METHOD_POST)
             && !(j->pp = s->mhd->MHD_create_post_processor(c, 64 * 1024, on_part, j)))
        j->refuse = 415;
    return j;
}

/* A refusal decided while the body is still arriving cannot be sent at
 * once (libmicrohttpd answers only between reads): the rest of the body is
 * read and dropped, and the refusal sent when it ends, unless the sender
 * goes on far past the limits, when the connection is cut. */
static enum MHD_Result upload_part(job *j, const char *data, size_t n)
{
    serve_server *s = j->srv;
    j->body += n;
    if (j->refuse)
        return j->body > 4 * (size_t)IO_MAX_INPUT || seconds_since(&j->start) > 2.0 * s->time_limit
               ? MHD_NO : MHD_YES;
    if (seconds_since(&j->start) > s->time_limit)
        j->refuse = 408;
    else if (j->body > IO_MAX_INPUT)
        j->refuse = 413;
    else if (!budget_take(s, n))
        j->refuse = 503;
    else {
        j->held += n;
        if (s->mhd->MHD_post_process(j->pp, data, n) != MHD_YES && !j->refuse)
            j->refuse = 400;
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **state)
{
    (void)version;
    serve_server *s = cls;
    job *j = *state;
    if (!j) {
        *state = j = job_new(s, c, url, method);
        return j->refuse ? refuse(j, j->refuse) : MHD_YES;
    }
    if (j->answered)
        return j->refuse ? refuse(j, j->refuse) : send_reply(j, &j->resp);
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        return upload_part(j, upload_data, n);
    }
    if (!j->refuse && seconds_since(&j->start) > s->time_limit)
        j->refuse = 408;
    if (j->refuse)
        return refuse(j, j->refuse);
    return enqueue(j) ? MHD_YES : refuse(j, j->refuse = 503);
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode why)
{
    (void)c;
    (void)why;
    serve_server *s = cls;
    job *j = *state;
    if (!j)
        return;
    if (j->pp)
        s->mhd->MHD_destroy_post_processor(j->pp);
    for (size_t i = 0; i < j->nparts; i++) {
        free(j->parts[i].key);
        free(j->parts[i].filename);
        sb_free(&j->parts[i].value);
    }
    free(j->parts);
    web_response_free(&j->resp);
    free(j->method);
    free(j->path);
    free(j->audience);
    pthread_mutex_lock(&s->lock);
    s->buffered -= j->held;
    pthread_mutex_unlock(&s->lock);
    free(j);
    *state = NULL;
}

static void quiet(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)fmt;
    (void)ap;
}

/* ---- listening ----------------------------------------------------------- */

int serve_split_listen(const char *spec, char *host, size_t hsize, char *port, size_t psize)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || !colon[1] || strlen(colon + 1) >= psize)
        return -1;
    const char *h = spec;
    size_t n = (size_t)(colon - spec);
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        h++;
        n -= 2;
    }
    if (!n || n >= hsize)
        return -1;
    memcpy(host, h, n);
    host[n] = '\0';
    snprintf(port, psize, "%s", colon + 1);
    for (const char *p = port; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    return atoi(port) <= 65535 ? 0 : -1;
}

static bool loopback(const struct sockaddr *a)
{
    if (a->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
    if (a->sa_family == AF_INET6) {
        const struct in6_addr *v6 = &((const struct sockaddr_in6 *)a)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(v6) || (IN6_IS_ADDR_V4MAPPED(v6) && v6->s6_addr[12] == 127);
    }
    return false;
}

/* A socket bound to HOST:PORT and listening, or -1 with errno set. */
static int bind_to(const char *host, const char *port, serve_server *s)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE}, *res;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        errno = EADDRNOTAVAIL;
        return -1;
    }
    int fd = -1, err = EADDRNOTAVAIL;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
            err = errno;
            close(fd);
            fd = -1;
            continue;
        }
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        getsockname(fd, (struct sockaddr *)&ss, &len);
        char h[INET6_ADDRSTRLEN] = "", p[8] = "";
        getnameinfo((struct sockaddr *)&ss, len, h, sizeof h, p, sizeof p,
                    NI_NUMERICHOST | NI_NUMERICSERV);
        s->public_address = !loopback((struct sockaddr *)&ss);
        snprintf(s->url, sizeof s->url, strchr(h, ':') ? "http://[%s]:%s/" : "http://%s:%s/", h,
                 p);
    }
    freeaddrinfo(res);
    errno = err;
    return fd;
}

static int open_listener(const serve_options *o, serve_server *s, diag_list *diags)
{
    char host[256], port[8];
    if (!o->listen) {
        int fd = bind_to(DEFAULT_HOST, DEFAULT_PORT, s);
        return fd >= 0 ? fd : bind_to(DEFAULT_HOST, "0", s);
    }
    if (serve_split_listen(o->listen, host, sizeof host, port, sizeof port) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL,
                 "--listen '%s' is not an address and port: write it as 127.0.0.1:8080, "
                 "[::1]:8080 or 0.0.0.0:8080 (port 0: any free port)", o->listen);
        return -1;
    }
    int fd = bind_to(host, port, s);
    if (fd < 0)
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL, "cannot listen on %s: %s%s", o->listen,
                 strerror(errno), errno == EADDRINUSE
                 ? " (another program has that port: choose another, or port 0 for any free one)"
                 : "");
    return fd;
}

/* ---- start and stop ------------------------------------------------------ */

static void free_server(serve_server *s)
{
    web_cache_free(s->app.cache);
    principles_free(s->ps);
    library_free(s->lib);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    pthread_cond_destroy(&s->idle);
    free(s->workers);
    free(s);
}

serve_server *serve_start(const serve_options *o, diag_list *diags)
{
    serve_server *s = xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    pthread_cond_init(&s->idle, NULL);
    s->time_limit = o->time_limit ? o->time_limit : 30;
    s->mhd = lazylib_mhd_load("aupc serve", diags);
    s->lib = !s->mhd ? NULL
             : o->libdir ? library_load_dir(o->libdir, diags) : library_load_embedded(diags);
    s->ps = s->lib ? principles_load(NULL, diags) : NULL;
    int fd = s->ps ? open_listener(o, s, diags) : -1;
    if (fd < 0) {
        free_server(s);
        return NULL;
    }
    s->app = (web_app){s->lib, s->ps, web_cache_new()};
    s->nworkers = o->max_clients ? o->max_clients : 16;
    s->workers = xcalloc(s->nworkers, sizeof *s->workers);
    unsigned started = 0;
    for (; started < s->nworkers; started++)
        if (pthread_create(&s->workers[started], NULL, worker, s) != 0)
            break;
    s->nworkers = started;
    s->daemon = started ? s->mhd->MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, on_request, s,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
        MHD_OPTION_CONNECTION_TIMEOUT, s->time_limit, MHD_OPTION_CONNECTION_LIMIT, 1000u,
        MHD_OPTION_EXTERNAL_LOGGER, quiet, NULL, MHD_OPTION_END) : NULL;
    if (!s->daemon) {
        diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL, "cannot start the web server%s",
                 started ? "" : ": no threads");
        close(fd);
        serve_stop(s);
        return NULL;
    }
    return s;
}

const char *serve_url(const serve_server *s)
{
    return s->url;
}

bool serve_public(const serve_server *s)
{
    return s->public_address;
}

void serve_stop(serve_server *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_broadcast(&s->wake);
    /* Suspended requests must be woken before libmicrohttpd can stop. */
    while (s->suspended > 0)
        pthread_cond_wait(&s->idle, &s->lock);
    pthread_mutex_unlock(&s->lock);
    if (s->daemon)
        s->mhd->MHD_stop_daemon(s->daemon);
    for (unsigned i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i], NULL);
    free_server(s);
}
