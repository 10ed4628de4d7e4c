/* aupc serve over real HTTP on an ephemeral port: every route, the
 * security headers, CSRF refusal, the size and time limits, hostile
 * uploads, many requests at once, and the files it hands over held to what
 * `aupc compile` and `aupc check` make of the same profile. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "helpers.h"
#include "profile.h"
#include "serve.h"
#include "util/escape.h"
#include "util/io.h"
#include "web_fields.h"
#include "web_zip.h"

/* ---- a small HTTP client ------------------------------------------------- */

typedef struct {
    int status;
    char *head;      /* the status line and headers */
    char *body;
    size_t len;
} http_reply;

static void reply_free(http_reply *r)
{
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof *r);
}

static serve_server *server;
static int port;

static int connect_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct timeval tv = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0, "connect: %s", strerror(errno));
    return fd;
}

static void send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return;   /* the server may stop reading a refused body */
        data += n;
        len -= (size_t)n;
    }
}

static http_reply read_reply(int fd)
{
    strbuf b = {0};
    char buf[65536];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;)
        sb_add(&b, buf, (size_t)n);
    http_reply r = {0};
    const char *end = b.data ? strstr(b.data, "\r\n\r\n") : NULL;
    if (!end) {
        sb_free(&b);
        return r;
    }
    r.head = xstrndup(b.data, (size_t)(end - b.data));
    r.len = b.len - (size_t)(end + 4 - b.data);
    r.body = xmalloc(r.len + 1);
    memcpy(r.body, end + 4, r.len);
    r.body[r.len] = '\0';
    sscanf(r.head, "HTTP/1.%*d %d", &r.status);
    sb_free(&b);
    return r;
}

/* HEADERS: extra lines, each ending in \r\n. */
static http_reply request(const char *method, const char *path, const char *headers,
                          const char *body, size_t len)
{
    int fd = connect_port();
    char *head = xasprintf("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                           "Content-Length: %zu\r\n%s\r\n", method, path, port, len,
                           headers ? headers : "");
    send_all(fd, head, strlen(head));
    if (body)
        send_all(fd, body, len);
    free(head);
    http_reply r = read_reply(fd);
    close(fd);
    return r;
}

static http_reply get(const char *path)
{
    return request("GET", path, NULL, NULL, 0);
}

/* The value of header NAME, owned, or NULL. */
static char *header(const http_reply *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = r->head; p && (p = strstr(p, "\r\n")); p += 2)
        if (!strncasecmp(p + 2, name, n) && p[2 + n] == ':') {
            const char *v = p + 3 + n;
            while (*v == ' ')
                v++;
            return xstrndup(v, strcspn(v, "\r\n"));
        }
    return NULL;
}

static const char csrf[] = "0123456789abcdef0123456789abcdef";

static void percent(strbuf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~", c))
            sb_add(b, s + i, 1);
        else
            sb_printf(b, "%%%02X", c);
    }
}

/* F as application/x-www-form-urlencoded, with the token (unless TOKEN is NULL). */
static char *urlencode(const web_fields *f, const char *token)
{
    strbuf b = {0};
    sb_puts(&b, "");
    if (token) {
        sb_puts(&b, "csrf=");
        sb_puts(&b, token);
    }
    for (size_t i = 0; f && i < f->count; i++) {
        if (b.len)
            sb_puts(&b, "&");
        percent(&b, f->items[i].key, strlen(f->items[i].key));
        sb_puts(&b, "=");
        percent(&b, f->items[i].value, strlen(f->items[i].value));
    }
    return b.data;
}

static http_reply post_fields(const char *path, const web_fields *f)
{
    char *body = urlencode(f, csrf);
    http_reply r = request("POST", path,
                           "Content-Type: application/x-www-form-urlencoded\r\n"
                           "Cookie: aupc_csrf=0123456789abcdef0123456789abcdef\r\n",
                           body, strlen(body));
    free(body);
    return r;
}

/* A multipart post of F and a file field "upload". */
static http_reply post_upload(const web_fields *f, const char *filename, const char *data,
                              size_t len)
{
    static const char boundary[] = "aupc-test-boundary-7d1e";
    strbuf b = {0};
    sb_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", boundary,
              csrf);
    for (size_t i = 0; f && i < f->count; i++)
        sb_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
                  boundary, f->items[i].key, f->items[i].value);
    sb_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"%s\"\r\n"
                  "Content-Type: application/xml\r\n\r\n", boundary, filename);
    sb_add(&b, data, len);
    sb_printf(&b, "\r\n--%s--\r\n", boundary);
    char *headers = xasprintf("Content-Type: multipart/form-data; boundary=%s\r\n"
                              "Cookie: aupc_csrf=%s\r\n", boundary, csrf);
    http_reply r = request("POST", "/upload", headers, b.data, b.len);
    free(headers);
    sb_free(&b);
    return r;
}

static void start(unsigned max_clients, unsigned time_limit)
{
    serve_options o = {"127.0.0.1:0", max_clients, time_limit, NULL};
    diag_list d = {0};
    server = serve_start(&o, &d);
    cr_assert_not_null(server, "%s", d.count ? d.items[0].message : "?");
    diag_free(&d);
    cr_assert_eq(sscanf(serve_url(server), "http://127.0.0.1:%d/", &port), 1, "%s",
                 serve_url(server));
    cr_assert_not(serve_public(server));
}

static void setup(void)
{
    start(16, 30);
}

static void teardown(void)
{
    serve_stop(server);
    server = NULL;
}

/* The fields that show example NAME. */
static void example_fields(const char *name, web_fields *f, profile **out)
{
    char *path = src_path(name);
    diag_list d = {0};
    profile *p = profile_load(path, &d);
    cr_assert_not_null(p, "%s", path);
    web_fields_from_profile(p, f);
    if (out)
        *out = p;
    else
        profile_free(p);
    diag_free(&d);
    free(path);
}

/* ---- routes and headers -------------------------------------------------- */

TestSuite(serve, .init = setup, .fini = teardown, .timeout = 600);

static void expect_app_headers(const http_reply *r)
{
    char *csp = header(r, "Content-Security-Policy");
    char *nosniff = header(r, "X-Content-Type-Options");
    cr_assert_not_null(csp);
    cr_expect(strstr(csp, "default-src 'self'"), "%s", csp);
    cr_expect(strstr(csp, "frame-ancestors 'none'"), "%s", csp);
    cr_expect_str_eq(nosniff, "nosniff");
    free(csp);
    free(nosniff);
}

Test(serve, the_form)
{
    http_reply r = get("/");
    cr_assert_eq(r.status, 200, "%s", r.head);
    expect_app_headers(&r);
    char *cookie = header(&r, "Set-Cookie");
    cr_assert_not_null(cookie);
    cr_expect(strstr(cookie, "HttpOnly") && strstr(cookie, "SameSite=Strict"), "%s", cookie);
    char token[40];
    cr_assert_eq(sscanf(cookie, "aupc_csrf=%32[0-9a-f]", token), 1, "%s", cookie);
    char *field = xasprintf("name=\"csrf\" value=\"%s\"", token);
    cr_expect(strstr(r.body, field), "the page carries the cookie's token");
    const char *sections[] = {"id=\"setting\"", "id=\"people\"", "id=\"contacts\"",
                              "id=\"technology\"", "id=\"devices\"", "id=\"monitoring\"",
                              "id=\"sanctions\"", "id=\"policies\"", "id=\"audiences\"",
                              "id=\"consultation\"", "id=\"communication\"", "id=\"review\""};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        cr_expect(strstr(r.body, sections[i]), "no section %s", sections[i]);
    cr_expect(strstr(r.body, "type=\"date\""), "dates are date inputs");
    cr_expect_null(strstr(r.body, "src=\"http"), "nothing fetched from elsewhere");
    cr_expect_null(strstr(r.body, "href=\"http"), "nothing fetched from elsewhere");
    cr_expect_null(strstr(r.body, "//cdn"), "no CDN");
    free(field);
    free(cookie);
    reply_free(&r);
}

Test(serve, scripts_styles_and_frame)
{
    http_reply js = get("/static/app.js"), css = get("/static/style.css"), fr = get("/frame");
    cr_expect_eq(js.status, 200);
    cr_expect(strstr(js.head, "text/javascript"), "%s", js.head);
    cr_expect(strstr(js.body, "/api/preview"));
    cr_expect_eq(css.status, 200);
    cr_expect(strstr(css.head, "text/css"));
    cr_expect_eq(fr.status, 200);
    char *csp = header(&fr, "Content-Security-Policy");
    cr_expect(strstr(csp, "frame-ancestors 'self'") && strstr(csp, "default-src 'none'"), "%s",
              csp);
    free(csp);
    expect_app_headers(&js);
    /* The icon the page names, and the one a browser asks for unbidden. */
    for (int i = 0; i < 2; i++) {
        http_reply ic = get(i ? "/favicon.ico" : "/static/icon.svg");
        cr_expect_eq(ic.status, 200);
        cr_expect(strstr(ic.head, "image/svg+xml"), "%s", ic.head);
        cr_expect(strstr(ic.body, "<svg"));
        reply_free(&ic);
    }
    reply_free(&js);
    reply_free(&css);
    reply_free(&fr);
}

Test(serve, unknown_routes_and_methods)
{
    http_reply a = get("/etc/passwd"), b = request("PUT", "/", NULL, "x", 1),
               c = request("DELETE", "/profile.xml", NULL, NULL, 0);
    web_fields f = {0};
    http_reply d = post_fields("/nowhere", &f);
    cr_expect_eq(a.status, 404);
    cr_expect_eq(b.status, 405);
    cr_expect_eq(c.status, 405);
    cr_expect_eq(d.status, 404);
    reply_free(&a);
    reply_free(&b);
    reply_free(&c);
    reply_free(&d);
}

/* ---- CSRF ---------------------------------------------------------------- */

Test(serve, posts_without_the_token_are_refused)
{
    web_fields f = {0};
    example_fields("examples/oakfield-primary.xml", &f, NULL);
    char *body = urlencode(&f, NULL);
    http_reply none = request("POST", "/profile.xml",
                              "Content-Type: application/x-www-form-urlencoded\r\n", body,
                              strlen(body));
    free(body);
    body = urlencode(&f, "ffffffffffffffffffffffffffffffff");
    http_reply wrong = request("POST", "/profile.xml",
                               "Content-Type: application/x-www-form-urlencoded\r\n"
                               "Cookie: aupc_csrf=0123456789abcdef0123456789abcdef\r\n", body,
                               strlen(body));
    free(body);
    body = urlencode(&f, csrf);
    http_reply elsewhere = request("POST", "/profile.xml",
                                   "Content-Type: application/x-www-form-urlencoded\r\n"
                                   "Origin: http://evil.example\r\n"
                                   "Cookie: aupc_csrf=0123456789abcdef0123456789abcdef\r\n",
                                   body, strlen(body));
    free(body);
    http_reply ok = post_fields("/profile.xml", &f);
    cr_expect_eq(none.status, 403);
    cr_expect_eq(wrong.status, 403);
    cr_expect_eq(elsewhere.status, 403);
    cr_expect_null(strstr(elsewhere.body, "<setting"), "no profile to another site");
    cr_expect_eq(ok.status, 200, "the same post with its token: %s", ok.head);
    reply_free(&none);
    reply_free(&wrong);
    reply_free(&elsewhere);
    reply_free(&ok);
    web_fields_free(&f);
}

/* ---- limits -------------------------------------------------------------- */

Test(serve, bodies_over_8_mib_get_413)
{
    size_t n = IO_MAX_INPUT + 1024;
    char *big = xmalloc(n);
    memset(big, 'a', n);
    memcpy(big, "name=", 5);
    http_reply r = request("POST", "/", "Content-Type: application/x-www-form-urlencoded\r\n"
                           "Cookie: aupc_csrf=0123456789abcdef0123456789abcdef\r\n", big, n);
    cr_expect_eq(r.status, 413, "%s", r.head ? r.head : "no reply");
    reply_free(&r);
    /* Without a length, by chunks: refused once past the limit. */
    int fd = connect_port();
    const char *head = "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: "
                       "chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n";
    send_all(fd, head, strlen(head));
    for (size_t sent = 0; sent < n; sent += 65536) {
        char line[32];
        snprintf(line, sizeof line, "%x\r\n", 65536);
        send_all(fd, line, strlen(line));
        send_all(fd, sent ? big + 5 : big, 65536);
        send_all(fd, "\r\n", 2);
    }
    send_all(fd, "0\r\n\r\n", 5);
    http_reply c = read_reply(fd);
    close(fd);
    cr_expect_eq(c.status, 413, "%s", c.head ? c.head : "no reply");
    reply_free(&c);
    free(big);
    http_reply after = get("/");
    cr_expect_eq(after.status, 200, "still serving");
    reply_free(&after);
}

/* A body of many tiny fields is bounded by their number, and a form with
 * thousands of rows (each looked up by its key) is answered. */
Test(serve, too_many_fields_get_413)
{
    strbuf b = {0};
    sb_puts(&b, "csrf=0123456789abcdef0123456789abcdef");
    for (int i = 0; i < 10000; i++)
        sb_puts(&b, "&a=1");
    http_reply r = request("POST", "/", "Content-Type: application/x-www-form-urlencoded\r\n"
                           "Cookie: aupc_csrf=0123456789abcdef0123456789abcdef\r\n", b.data,
                           b.len);
    cr_expect_eq(r.status, 413, "%s", r.head ? r.head : "no reply");
    cr_expect(r.body && strstr(r.body, "more than 10000 fields"), "%s", r.body);
    reply_free(&r);
    sb_free(&b);
    sb_puts(&b, "csrf=0123456789abcdef0123456789abcdef&name=Many+Rows&kind=primary");
    for (int i = 0; i < 3000; i++)
        sb_printf(&b, "&contact.%d.role=police&contact.%d.name=Police+%d&contact.%d.phone=101",
                  i, i, i, i);
    http_reply many = request("POST", "/", "Content-Type: application/x-www-form-urlencoded\r\n"
                              "Cookie: aupc_csrf=0123456789abcdef0123456789abcdef\r\n", b.data,
                              b.len);
    cr_expect(many.status == 200 || many.status == 422, "%s", many.head ? many.head : "no reply");
    /* Within the field limit, but past the profile's: the first 100 rows
     * are shown and the page says the rest were left out. */
    cr_expect(many.body && strstr(many.body, "value=\"Police 99\""), "row 100 is on the page");
    cr_expect(many.body && !strstr(many.body, "value=\"Police 100\""), "row 101 is on the page");
    cr_expect(many.body && strstr(many.body, "leaves out the other 2900"), "no note of the limit");
    reply_free(&many);
    sb_free(&b);
    http_reply after = get("/");
    cr_expect_eq(after.status, 200, "still serving");
    reply_free(&after);
}

TestSuite(serve_limits, .fini = teardown, .timeout = 120);

Test(serve_limits, a_slow_request_gets_408)
{
    start(2, 1);
    int fd = connect_port();
    const char *head = "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 7\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\n\r\nname=";
    send_all(fd, head, strlen(head));
    usleep(600 * 1000);
    send_all(fd, "a", 1);
    usleep(900 * 1000);
    send_all(fd, "b", 1);
    http_reply r = read_reply(fd);
    close(fd);
    cr_expect_eq(r.status, 408, "%s", r.head ? r.head : "no reply: dropped instead");
    reply_free(&r);
    http_reply after = get("/");
    cr_expect_eq(after.status, 200, "still serving");
    reply_free(&after);
}

/* ---- many at once -------------------------------------------------------- */

typedef struct {
    const char *body;
    int status;
    bool whole;
} burst_arg;

static void *burst_one(void *arg)
{
    burst_arg *a = arg;
    http_reply r = request("POST", "/api/preview?audience=pupil-ks2",
                           "Content-Type: application/x-www-form-urlencoded\r\n"
                           "Cookie: aupc_csrf=0123456789abcdef0123456789abcdef\r\n",
                           a->body, strlen(a->body));
    a->status = r.status;
    a->whole = r.body && strstr(r.body, "\"ok\":true") && strstr(r.body, "</html>");
    reply_free(&r);
    return NULL;
}

Test(serve, two_hundred_requests_at_once_lose_nothing)
{
    web_fields f = {0};
    example_fields("examples/oakfield-primary.xml", &f, NULL);
    char *body = urlencode(&f, csrf);
    enum { N = 200 };
    pthread_t t[N];
    burst_arg a[N];
    for (int i = 0; i < N; i++) {
        a[i] = (burst_arg){body, 0, false};
        cr_assert_eq(pthread_create(&t[i], NULL, burst_one, &a[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ok += a[i].status == 200 && a[i].whole;
    }
    cr_expect_eq(ok, N, "%d of %d answered in full", ok, N);
    http_reply after = get("/");
    cr_expect_eq(after.status, 200, "still serving");
    reply_free(&after);
    free(body);
    web_fields_free(&f);
}

/* ---- what it hands over, held to the command line ------------------------ */

static char *write_tmp(const char *dir, const char *name, const char *data, size_t len)
{
    char *path = xasprintf("%s/%s", dir, name);
    write_bytes(path, data, len);
    return path;
}

/* Every example: the form's profile is what aupc writes for the example,
 * byte for byte, and reads back and writes again unchanged; each preview
 * is the HTML `aupc compile` writes from that profile. */
Test(serve, profile_and_previews_match_the_command_line)
{
    char *pattern = src_path("examples/*.xml");
    glob_t g;
    cr_assert_eq(glob(pattern, 0, NULL, &g), 0);
    char *dir = make_tmpdir();
    for (size_t e = 0; e < g.gl_pathc; e++) {
        web_fields f = {0};
        profile *p;
        diag_list d = {0};
        p = profile_load(g.gl_pathv[e], &d);
        cr_assert_not_null(p);
        web_fields_from_profile(p, &f);
        strbuf want = {0};
        cr_assert_eq(profile_write(p, &want), 0);
        web_fields_add(&f, "last", want.data);
        http_reply x = post_fields("/profile.xml", &f);
        cr_assert_eq(x.status, 200, "%s: %s", g.gl_pathv[e], x.head);
        cr_expect_eq(x.len, want.len, "%s: the downloaded profile differs", g.gl_pathv[e]);
        cr_expect(x.len == want.len && !memcmp(x.body, want.data, want.len),
                  "%s: the downloaded profile differs from aupc's own writing", g.gl_pathv[e]);
        char *disp = header(&x, "Content-Disposition");
        char *expect = xasprintf("attachment; filename=\"%s.xml\"", p->id);
        cr_expect_str_eq(disp, expect);
        char *xml = write_tmp(dir, "got.xml", x.body, x.len);
        char *cmd = xasprintf("compile -q -f html -o '%s/out' '%s'", dir, xml);
        run_result c = run_aupc(cmd);
        cr_assert_eq(c.status, 0, "%s", c.err);
        for (size_t a = 0; a < p->naudiences; a++) {
            char *path = xasprintf("/api/preview?audience=%s", p->audiences[a].id);
            http_reply r = post_fields(path, &f);
            cr_assert_eq(r.status, 200);
            char *file = xasprintf("%s/out/%s/%s.html", dir, p->id, p->audiences[a].id);
            char *html = slurp(file);
            cr_assert_not_null(html, "%s", file);
            char *quoted = NULL;
            /* The JSON holds the page as a string: compare the page's own title line. */
            const char *t0 = strstr(html, "<title>"), *t1 = t0 ? strstr(t0, "</title>") : NULL;
            cr_assert(t0 && t1);
            quoted = xstrndup(t0, (size_t)(t1 - t0));
            cr_expect(strstr(r.body, quoted), "%s %s: preview is not compile's page",
                      g.gl_pathv[e], p->audiences[a].id);
            char *docpath = xasprintf("/document?audience=%s", p->audiences[a].id);
            http_reply doc = post_fields(docpath, &f);
            free(docpath);
            cr_expect_eq(doc.status, 200);
            cr_expect_str_eq(doc.body, html, "%s %s: /document differs from aupc compile",
                             g.gl_pathv[e], p->audiences[a].id);
            reply_free(&doc);
            free(quoted);
            free(html);
            free(file);
            free(path);
            reply_free(&r);
        }
        run_free(&c);
        free(cmd);
        free(xml);
        free(expect);
        free(disp);
        reply_free(&x);
        sb_free(&want);
        web_fields_free(&f);
        profile_free(p);
        diag_free(&d);
    }
    remove_tree(dir);
    free(dir);
    globfree(&g);
    free(pattern);
}

/* An error beside its field, in the words `aupc check` prints for the
 * profile the form would make. */
Test(serve, errors_beside_the_field_in_the_command_lines_words)
{
    web_fields f = {0};
    example_fields("examples/oakfield-primary.xml", &f, NULL);
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].key, "review.next")) {
            free(f.items[i].value);
            f.items[i].value = xstrdup("2020-01-01");
        } else if (!strcmp(f.items[i].key, "person.dsl.email")) {
            free(f.items[i].key);
            f.items[i].key = xstrdup("person.head.title");
        }
    http_reply r = post_fields("/api/preview", &f);
    cr_assert_eq(r.status, 200);
    cr_expect(strstr(r.body, "\"ok\":false"), "%s", r.body);
    cr_expect(strstr(r.body, "{\"field\":\"review.next\",\"severity\":\"error\",\"message\":"
                             "\"the next review must come after the approval date\"}"),
              "%s", r.body);
    http_reply page = post_fields("/", &f);
    cr_expect(strstr(page.body, "id=\"n-review.next\">the next review must come after the "
                                "approval date</p>"), "the no-script page shows it too");
    cr_expect(strstr(page.body, "aria-invalid=\"true\""));
    /* The same words as the command line, for the profile it would make. */
    char *dir = make_tmpdir();
    char *path = xasprintf("%s/p.xml", dir);
    web_result res;
    web_fields_load(&f, NULL, NULL, path, &res);
    cr_assert_null(res.model);
    reply_free(&page);
    reply_free(&r);
    web_result_free(&res);
    remove_tree(dir);
    free(dir);
    free(path);
    web_fields_free(&f);
}

/* A form from blank: each required answer missing is named beside its
 * field, and the warning about missing incident contacts is there. */
Test(serve, a_blank_form_names_what_is_missing)
{
    web_fields f = {0};
    web_fields_blank(&f);
    http_reply r = post_fields("/api/preview", &f);
    cr_assert_eq(r.status, 200);
    const char *fields[] = {"\"field\":\"name\"", "\"field\":\"kind\"", "\"field\":\"setting.id\"",
                            "\"field\":\"review.approved\""};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        cr_expect(strstr(r.body, fields[i]), "no note for %s: %s", fields[i], r.body);
    reply_free(&r);
    web_fields_free(&f);
}

/* Oakfield's fields in F, and in G all of them but its contacts. */
static void oakfield_without_contacts(web_fields *f, web_fields *g)
{
    example_fields("examples/oakfield-primary.xml", f, NULL);
    for (size_t i = 0; i < f->count; i++)
        if (strncmp(f->items[i].key, "contact.", 8))
            web_fields_add(g, f->items[i].key, f->items[i].value);
}

Test(serve, missing_incident_contacts_are_a_warning)
{
    web_fields f = {0}, g = {0};
    oakfield_without_contacts(&f, &g);
    http_reply r = post_fields("/api/preview?audience=staff", &g);
    cr_expect(strstr(r.body, "\"ok\":true"));
    const char *need[] = {"the police", "CEOP", "Internet Watch Foundation",
                          "safeguarding partnership"};
    for (size_t i = 0; i < 4; i++) {
        char *want = xasprintf("{\"field\":\"contacts\",\"severity\":\"warning\",\"message\":"
                               "\"the incident contacts lack %s", need[i]);
        cr_expect(strstr(r.body, want) || strstr(r.body, need[i]), "no warning naming %s",
                  need[i]);
        free(want);
    }
    cr_expect(strstr(r.body, "\"field\":\"contacts\",\"severity\":\"warning\""), "%s", r.body);
    reply_free(&r);
    web_fields_free(&f);
    web_fields_free(&g);
}

/* ---- next year ----------------------------------------------------------- */

Test(serve, upload_fills_the_form_and_keeps_what_it_does_not_show)
{
    char *path = src_path("examples/oakfield-primary.xml");
    char *data = slurp(path);
    http_reply r = post_upload(NULL, "oakfield-primary.xml", data, strlen(data));
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_expect(strstr(r.body, "value=\"Oakfield Primary School\""));
    cr_expect(strstr(r.body, "oakfield-classroom-at-home"), "custom statements are listed");
    cr_expect(strstr(r.body, "name=\"last\""), "last year's profile rides in the form");
    /* Posting the page back as it is gives the same profile, overrides and all. */
    diag_list d = {0};
    profile *p = profile_load(path, &d);
    strbuf want = {0};
    profile_write(p, &want);
    web_fields f = {0};
    web_fields_from_profile(p, &f);
    web_fields_add(&f, "last", want.data);
    http_reply x = post_fields("/profile.xml", &f);
    cr_expect_eq(x.status, 200);
    cr_expect(x.len == want.len && !memcmp(x.body, want.data, want.len),
              "a profile loaded and downloaded unchanged is aupc's writing of it");
    cr_expect(strstr(x.body, "<custom id=\"oakfield-games-ratings\""));
    cr_expect(strstr(x.body, "<exclude id=\"school-tech-email\""));
    /* What changed: aupc diff's page, as governors see it. */
    http_reply c = post_fields("/document?audience=changes", &f);
    cr_expect_eq(c.status, 200);
    cr_expect(strstr(c.body, "<html"), "a page");
    reply_free(&c);
    reply_free(&x);
    reply_free(&r);
    web_fields_free(&f);
    sb_free(&want);
    profile_free(p);
    diag_free(&d);
    free(data);
    free(path);
}

Test(serve, the_diff_tab_is_aupc_diff)
{
    char *old_path = src_path("examples/oakfield-primary.xml");
    diag_list d = {0};
    profile *p = profile_load(old_path, &d);
    strbuf last = {0};
    profile_write(p, &last);
    web_fields f = {0};
    web_fields_from_profile(p, &f);
    web_fields_add(&f, "last", last.data);
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].key, "devices.pupils")) {
            free(f.items[i].value);
            f.items[i].value = xstrdup("approved-use");
        }
    http_reply x = post_fields("/profile.xml", &f);
    http_reply c = post_fields("/document?audience=changes", &f);
    cr_assert_eq(x.status, 200);
    cr_assert_eq(c.status, 200);
    char *dir = make_tmpdir();
    /* Named as the server names them, so that the pages can be the same. */
    char *a = write_tmp(dir, "last-year.xml", last.data, last.len);
    char *b = write_tmp(dir, "profile.xml", x.body, x.len);
    char *cmd = xasprintf("cd '%s' && NO_COLOR=1 '%s' diff -f html last-year.xml profile.xml", dir, getenv("AUPC") ? getenv("AUPC")
                                                             : AUPC_BUILD_ROOT "/aupc");
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 1, "the profiles differ");
    cr_expect_str_eq(c.body, r.out, "the tab is aupc diff -f html of the two profiles");
    if (strcmp(c.body, r.out)) {
        write_text("/tmp/serve-diff-tab.html", c.body);
        write_text("/tmp/serve-diff-cli.html", r.out);
    }
    run_free(&r);
    free(cmd);
    free(a);
    free(b);
    remove_tree(dir);
    free(dir);
    reply_free(&x);
    reply_free(&c);
    web_fields_free(&f);
    sb_free(&last);
    profile_free(p);
    diag_free(&d);
    free(old_path);
}

/* Every hostile profile uploaded: the command line's errors, the page
 * still answers, and so does the server. */
Test(serve, hostile_uploads_get_the_command_lines_errors)
{
    char *pattern = src_path("tests/hostile/*.xml");
    glob_t g;
    cr_assert_eq(glob(pattern, 0, NULL, &g), 0);
    size_t refused = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *data;
        size_t len;
        const char *err;
        if (io_read_file(g.gl_pathv[i], &data, &len, &err) != 0)
            continue;
        const char *base = strrchr(g.gl_pathv[i], '/') + 1;
        http_reply r = post_upload(NULL, base, data, len);
        cr_expect(r.status == 200 || r.status == 422, "%s: %d", base, r.status);
        char *dir = xstrndup(g.gl_pathv[i], (size_t)(base - g.gl_pathv[i]));
        char *cmd = xasprintf("cd '%s' && NO_COLOR=1 '%s' check '%s' >/dev/null", dir,
                              getenv("AUPC") ? getenv("AUPC") : AUPC_BUILD_ROOT "/aupc", base);
        run_result c = run_sh(cmd);
        if (c.status == 1 && r.status == 422) {
            refused++;
            /* Each error line of the command line is on the page, escaped. */
            for (char *line = c.err, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                    *next++ = '\0';
                if (!strstr(line, ": error: "))
                    continue;
                /* The page gives the message without the command line's rule
                 * tag (" [load]"), which means nothing in a browser. */
                char *tag = strrchr(line, '[');
                if (tag && tag > line && tag[-1] == ' ' && !strcmp(tag, "[load]"))
                    tag[-1] = '\0';
                strbuf esc = {0};
                esc_markup(&esc, line);
                cr_expect(strstr(r.body, esc.data), "%s: the page lacks '%s'", base, line);
                sb_free(&esc);
            }
        } else {
            cr_expect_eq(r.status == 200, c.status != 1, "%s: server %d, aupc check %d: %s",
                         base, r.status, c.status, c.err);
        }
        run_free(&c);
        free(cmd);
        free(dir);
        reply_free(&r);
        free(data);
        http_reply after = get("/");
        cr_assert_eq(after.status, 200, "after %s the server stopped answering", base);
        reply_free(&after);
    }
    cr_expect_geq(refused, 30, "only %zu hostile profiles were refused", refused);
    globfree(&g);
    free(pattern);
}

Test(serve, the_zip_holds_what_aupc_compile_writes)
{
    web_fields f = {0};
    example_fields("examples/oakfield-primary.xml", &f, NULL);
    http_reply x = post_fields("/profile.xml", &f);
    http_reply z = post_fields("/documents.zip", &f);
    cr_assert_eq(z.status, 200, "%s", z.head);
    cr_expect(strstr(z.head, "application/zip"));
    char *dir = make_tmpdir();
    char *zip = write_tmp(dir, "docs.zip", z.body, z.len);
    char *xml = write_tmp(dir, "p.xml", x.body, x.len);
    char *cmd = xasprintf("mkdir '%s/zip' && cd '%s/zip' && unzip -q '%s' && '%s' compile -q "
                          "-o '%s/cli' '%s' && diff -r '%s/zip' '%s/cli'", dir, dir, zip,
                          getenv("AUPC") ? getenv("AUPC") : AUPC_BUILD_ROOT "/aupc", dir, xml,
                          dir, dir);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "the zip differs from aupc compile: %s%s", r.out, r.err);
    run_free(&r);
    free(cmd);
    free(zip);
    free(xml);
    remove_tree(dir);
    free(dir);
    reply_free(&x);
    reply_free(&z);
    web_fields_free(&f);
}

/* The archive itself: what goes in comes out, under the setting's folder,
 * and the same files give the same bytes. */
Test(web_zip, files_in_and_out)
{
    batch_file files[] = {
        {xstrdup("staff.md"), xstrdup("# Staff\n"), 8},
        {xstrdup("a.pdf"), xstrdup("%PDF-1.4 not really"), 19},
    };
    strbuf one = {0}, two = {0};
    diag_list d = {0};
    aupc_date approved = {2026, 9, 1};
    cr_assert_eq(web_zip_write("demo-school", files, 2, approved, &one, &d), 0);
    cr_assert_eq(web_zip_write("demo-school", files, 2, approved, &two, &d), 0);
    cr_expect(one.len == two.len && !memcmp(one.data, two.data, one.len), "not reproducible");
    char *dir = make_tmpdir();
    char *zip = xasprintf("%s/t.zip", dir);
    write_bytes(zip, one.data, one.len);
    char *cmd = xasprintf("cd '%s' && unzip -q t.zip && cat demo-school/staff.md demo-school/a.pdf "
                          "&& unzip -l t.zip | grep -c 2026-09-01", dir);
    run_result r = run_sh(cmd);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "# Staff\n%PDF-1.4 not really3\n");
    run_free(&r);
    free(cmd);
    free(zip);
    remove_tree(dir);
    free(dir);
    for (size_t i = 0; i < 2; i++) {
        free(files[i].name);
        free(files[i].data);
    }
    sb_free(&one);
    sb_free(&two);
    diag_free(&d);
}

/* The server under valgrind, through a few requests of each kind: only
 * with AUPC_VALGRIND=1 (make test-valgrind). */
Test(valgrind, serve_through_requests, .timeout = 1200)
{
    if (!getenv("AUPC_VALGRIND"))
        cr_skip_test("set AUPC_VALGRIND=1 to run (make test-valgrind)");
    const char *bin = getenv("AUPC") ? getenv("AUPC") : AUPC_BUILD_ROOT "/aupc";
    int out[2];
    cr_assert_eq(pipe(out), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        execlp("valgrind", "valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite", bin, "serve", "--listen", "127.0.0.1:0",
               "--max-clients", "2", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[256] = "";
    cr_assert_not_null(fgets(line, sizeof line, f), "the server printed nothing");
    cr_assert_eq(sscanf(line, "aupc serve: listening on http://127.0.0.1:%d/", &port), 1, "%s",
                 line);
    http_reply page = get("/");
    cr_expect_eq(page.status, 200);
    web_fields fields = {0};
    example_fields("examples/oakfield-primary.xml", &fields, NULL);
    http_reply prev = post_fields("/api/preview?audience=staff", &fields);
    cr_expect_eq(prev.status, 200);
    http_reply xml = post_fields("/profile.xml", &fields);
    cr_expect_eq(xml.status, 200);
    char *hostile = src_path("tests/hostile/billion-laughs.xml");
    char *data = slurp(hostile);
    http_reply up = post_upload(NULL, "billion-laughs.xml", data, strlen(data));
    cr_expect_eq(up.status, 422);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "the server under valgrind ended with %d (99: valgrind found errors)",
              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    fclose(f);
    reply_free(&page);
    reply_free(&prev);
    reply_free(&xml);
    reply_free(&up);
    free(data);
    free(hostile);
    web_fields_free(&fields);
}

/* ---- the command ---------------------------------------------------------- */

static run_result serve_for_a_moment(const char *args)
{
    const char *bin = getenv("AUPC") ? getenv("AUPC") : AUPC_BUILD_ROOT "/aupc";
    char *cmd = xasprintf("timeout -s INT 3 '%s' serve %s", bin, args);
    run_result r = run_sh(cmd);
    free(cmd);
    return r;
}

Test(serve_cli, usage_errors_exit_2)
{
    const char *bad[] = {"--listen nonsense", "--listen 127.0.0.1:99999", "--max-clients 0",
                         "--time-limit soon", "extra-argument", "--max-clinets 4", "--listen"};
    /* One line saying what is wrong, as every command gives it, then where help is. */
    const char *says[] = {"--listen wants an address and a port", "not '127.0.0.1:99999'",
                          "--max-clients wants a number from 1 to 1024, not '0'",
                          "--time-limit wants seconds", "unexpected argument 'extra-argument'",
                          "did you mean --max-clients?", "--listen"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_result r = serve_for_a_moment(bad[i]);
        cr_expect_eq(r.status, 2, "serve %s: %d %s", bad[i], r.status, r.err);
        cr_expect(!strncmp(r.err, "aupc serve: error: ", 19) && strstr(r.err, says[i])
                  && strstr(r.err, "see aupc serve --help"), "serve %s: %s", bad[i], r.err);
        cr_expect_null(strstr(r.err, "options:"), "serve %s: not the whole help", bad[i]);
        run_free(&r);
    }
    run_result h = serve_for_a_moment("--help");
    cr_expect_eq(h.status, 0);
    cr_expect(strstr(h.out, "--max-clients") && strstr(h.out, "no login"), "%s", h.out);
    run_free(&h);
}

Test(serve_cli, a_public_address_is_warned_about)
{
    run_result r = serve_for_a_moment("--listen 0.0.0.0:0");
    cr_expect(strstr(r.out, "listening on http://0.0.0.0:"), "%s", r.out);
    cr_expect(strstr(r.err, "warning: listening on an address other machines can reach"), "%s",
              r.err);
    run_free(&r);
    run_result l = serve_for_a_moment("--listen 127.0.0.1:0");
    cr_expect_null(strstr(l.err, "warning"), "loopback is not warned about: %s", l.err);
    run_free(&l);
}

Test(serve_cli, a_taken_port_8080_gives_a_free_one)
{
    /* Hold 8080 (unless something else does already). */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(8080)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    bool held = bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 1) == 0;
    run_result r = serve_for_a_moment("");
    int p = 0;
    const char *at = strstr(r.out, "http://127.0.0.1:");
    cr_assert_not_null(at, "%s%s", r.out, r.err);
    sscanf(at, "http://127.0.0.1:%d/", &p);
    cr_expect(p > 0 && p != 8080, "port %d (8080 %s)", p, held ? "held by the test" : "busy");
    run_free(&r);
    close(fd);
    run_result taken;
    if (held) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 1) == 0) {
            taken = serve_for_a_moment("--listen 127.0.0.1:8080");
            cr_expect_eq(taken.status, 3, "an asked-for port that is taken is an error");
            cr_expect(strstr(taken.err, "cannot listen on 127.0.0.1:8080"), "%s", taken.err);
            run_free(&taken);
        }
        close(fd);
    }
}

/* ---- errors to fields, without HTTP --------------------------------------- */

static const web_note *note_for(const web_result *r, const char *field)
{
    return web_notes_for(&r->notes, field);
}

/* Rows keep the numbers the form gave them, whatever blank rows lie
 * between: an error against the model's first contact is shown on the
 * form's row 7 when that is where it was typed. */
Test(web_fields, errors_find_their_row)
{
    web_fields f = {0};
    example_fields("examples/oakfield-primary.xml", &f, NULL);
    web_fields g = {0};
    for (size_t i = 0; i < f.count; i++)
        if (strncmp(f.items[i].key, "contact.", 8) && strncmp(f.items[i].key, "policy.", 7))
            web_fields_add(&g, f.items[i].key, f.items[i].value);
    web_fields_add(&g, "contact.3.role", "police");          /* offered, never filled */
    web_fields_add(&g, "contact.3.group", "police");
    web_fields_add(&g, "contact.7.role", "ceop");
    web_fields_add(&g, "contact.7.group", "national");
    web_fields_add(&g, "contact.7.phone", "0800 000 000");   /* but no name */
    web_fields_add(&g, "policy.2.kind", "behaviour");
    web_fields_add(&g, "policy.2.title", "Behaviour");
    web_fields_add(&g, "policy.2.url", "javascript:alert(1)");
    web_fields_add(&g, "person.head.email", "head@example.org");
    for (size_t i = 0; i < g.count; i++)
        if (!strcmp(g.items[i].key, "person.head.name")) {
            free(g.items[i].value);
            g.items[i].value = xstrdup("");
        }
    web_result r;
    web_fields_load(&g, NULL, NULL, "p.xml", &r);
    cr_assert_null(r.model);
    const web_note *n = note_for(&r, "contact.7.name");
    cr_expect(n && strstr(n->message, "<contact> needs the attribute name="), "%s",
              n ? n->message : "no note on contact.7.name");
    n = note_for(&r, "person.head.name");
    cr_expect(n && strstr(n->message, "<person> needs the attribute name="), "%s",
              n ? n->message : "no note on person.head.name");
    cr_expect_null(note_for(&r, "contact.3.name"), "the untouched row is no contact");
    web_result_free(&r);
    /* The loader's own checks, after the schema, find their field too. */
    for (size_t i = 0; i < g.count; i++)
        if (!strcmp(g.items[i].key, "contact.7.phone")) {
            free(g.items[i].key);
            g.items[i].key = xstrdup("contact.7.name");
        } else if (!strcmp(g.items[i].key, "person.head.name")) {
            free(g.items[i].value);
            g.items[i].value = xstrdup("Mr Head");
        }
    web_fields_load(&g, NULL, NULL, "p.xml", &r);
    n = note_for(&r, "policy.2.url");
    cr_expect(n && strstr(n->message, "is not a web or email address"), "%s",
              n ? n->message : "no note on policy.2.url");
    web_result_free(&r);
    web_fields_free(&f);
    web_fields_free(&g);
}

/* What a browser cannot stop a form from sending is made safe for XML. */
Test(web_fields, control_characters_and_broken_utf8_are_cleaned)
{
    web_fields f = {0};
    example_fields("examples/oakfield-primary.xml", &f, NULL);
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].key, "name")) {
            free(f.items[i].value);
            f.items[i].value = xstrdup("Oak\x01" "field \xC3\x28 School\x7F\xEF\xBF\xBE");
        }
    web_result r;
    web_fields_load(&f, NULL, NULL, "p.xml", &r);
    cr_assert_not_null(r.model, "%s", r.notes.count ? r.notes.items[0].message : "?");
    cr_expect_str_eq(r.model->name, "Oak field \xEF\xBF\xBD( School \xEF\xBF\xBD");
    web_result_free(&r);
    web_fields_free(&f);
}

/* The form's row limits are the schema's: each list's element and its
 * maxOccurs, read from profile.xsd. */
Test(web_fields, row_limits_are_the_schemas)
{
    char *xsd = slurp(src_path("schema/profile.xsd"));
    cr_assert_not_null(xsd);
    for (size_t i = 0; i < web_row_limits_count; i++) {
        const web_row_limit *l = &web_row_limits[i];
        char *want = xasprintf("<xs:element name=\"%s\" type=\"p:%s\"", l->elem,
                               !strcmp(l->elem, "change") ? "history-entry" : l->elem);
        const char *at = strstr(xsd, want);
        cr_assert(at, "profile.xsd has no %s", want);
        const char *max = strstr(at, "maxOccurs=\"");
        cr_assert(max && max < strchr(at, '>'), "%s has no maxOccurs", want);
        cr_expect_eq(strtoul(max + 11, NULL, 10), l->max, "<%s>: the form allows %zu", l->elem,
                     l->max);
        free(want);
    }
    free(xsd);
}

/* A form that sends more contact rows than a profile may hold is cut to
 * the limit, told so beside the section in the command line's words, and
 * answered with a page of that size rather than one of every row. */
Test(serve, repeated_rows_stop_at_the_schemas_limit)
{
    web_fields f = {0}, g = {0};
    oakfield_without_contacts(&f, &g);
    static const char *const roles[][2] = {{"police", "police"}, {"ceop", "national"},
                                           {"iwf", "national"},
                                           {"safeguarding-partnership", "local-authority"}};
    for (size_t r = 0; r < 1900; r++) {
        char key[64], val[64];
        snprintf(key, sizeof key, "contact.%zu.role", r);
        web_fields_add(&g, key, roles[r % 4][0]);
        snprintf(key, sizeof key, "contact.%zu.group", r);
        web_fields_add(&g, key, roles[r % 4][1]);
        snprintf(key, sizeof key, "contact.%zu.name", r);
        snprintf(val, sizeof val, "Service %zu", r);
        web_fields_add(&g, key, val);
        snprintf(key, sizeof key, "contact.%zu.phone", r);
        web_fields_add(&g, key, "0800 000 000");
    }
    web_result res;
    web_fields_load(&g, NULL, NULL, "p.xml", &res);
    cr_assert_not_null(res.model, "the first 100 rows make a profile");
    cr_expect_eq(res.model->ncontacts, 100);
    const web_note *n = note_for(&res, "contacts");
    cr_assert_not_null(n);
    cr_expect_str_eq(n->message, "<contacts> holds at most 100 <contact> elements: the form "
                                 "keeps the first 100 and leaves out the other 1800");
    cr_expect_eq(n->severity, DIAG_WARNING);
    http_reply page = post_fields("/", &g);
    cr_assert_eq(page.status, 200);
    cr_expect(strstr(page.body, "&lt;contacts&gt; holds at most 100 &lt;contact&gt; elements"));
    cr_expect(strstr(page.body, "contact.99.name"));
    cr_expect_null(strstr(page.body, "contact.100.name"), "a row past the limit is shown");
    cr_expect_lt(page.len, 2u << 20, "the page is %zu bytes", page.len);
    reply_free(&page);
    web_result_free(&res);
    web_fields_free(&f);
    web_fields_free(&g);
}
