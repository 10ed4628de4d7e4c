/* mangen: writes a manual page from its template (man/NAME.in), filling in
 * what the code's tables know, so that the manual cannot fall behind a new
 * audience or format. A line that is a placeholder alone becomes several
 * lines:
 *   @audiences@        one .TP entry per audience (aupc(1), AUDIENCES)
 *   @limits@           the limits of every audience, from principles.xml
 *   @devices@          one .TP entry per attribute of <devices>
 *   @LIST CONJ [P]@    a list in bold, CONJ ("and", "or") before its last
 *                      name and P (",", ".", ";", ":") after it, where LIST
 *                      is kinds, bands, extensions or the formats of a
 *                      command: compile, diff, lint, check-reports
 * and @kind-count@ or @compile-default@ anywhere in a line become a word.
 * Used by the build only: mangen TEMPLATE OUTPUT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "format.h"
#include "principles.h"
#include "util/io.h"

/* N bytes of plain text as roff: hyphens are \-, quote marks pair up as
 * \(lq \(rq (*OPEN says whether one is open). */
static void put_escaped(strbuf *b, const char *s, size_t n, bool *open)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '-')
            sb_puts(b, "\\-");
        else if (s[i] == '\\')
            sb_puts(b, "\\e");
        else if (s[i] == '"')
            sb_puts(b, (*open = !*open) ? "\\(lq" : "\\(rq");
        else
            sb_add(b, s + i, 1);
    }
}

/* A name or a line of plain text as roff. */
static void put_text(strbuf *b, const char *s)
{
    bool open = false;
    if (*s == '.' || *s == '\'')
        sb_puts(b, "\\&");
    put_escaped(b, s, strlen(s), &open);
}

/* A paragraph of plain text as roff source: each sentence on a line of its
 * own, and no line longer than about 72 characters. */
static void put_paragraph(strbuf *b, const char *s)
{
    size_t col = 0;
    bool open = false;
    while (*s) {
        size_t n = strcspn(s, " ");
        if (col && col + 1 + n > 72) {
            sb_puts(b, "\n");
            col = 0;
        } else if (col) {
            sb_puts(b, " ");
            col++;
        }
        if (!col && (*s == '.' || *s == '\''))
            sb_puts(b, "\\&");
        put_escaped(b, s, n, &open);
        col += n;
        if (n && s[n - 1] == '.' && s[n] == ' ')
            col = 80;   /* the next sentence starts a line */
        s += n + (s[n] == ' ');
    }
    sb_puts(b, "\n");
}

/* NAMES (N of them) in bold, joined by commas with CONJ before the last
 * and PUNCT (may be "") after it. */
static void put_list(strbuf *b, const char *const *names, size_t n, const char *conj,
                     const char *punct)
{
    for (size_t i = 0; i < n; i++) {
        const char *after = i + 2 < n ? "," : i + 1 == n ? punct : "";
        sb_puts(b, *after ? ".BR " : ".B ");
        put_text(b, names[i]);
        sb_printf(b, "%s%s\n", *after ? " " : "", after);
        if (i + 2 == n)
            sb_printf(b, "%s\n", conj);
    }
}

typedef struct {
    const char *names[64];
    size_t n;
} name_list;

static void add_name(name_list *l, const char *name)
{
    if (l->n < sizeof l->names / sizeof l->names[0])
        l->names[l->n++] = name;
}

static void formats_for(name_list *l, format_use use, bool extensions)
{
    for (size_t i = 0; i < format_count(); i++)
        if (format_serves(format_at(i), use))
            add_name(l, extensions ? format_at(i)->extension : format_at(i)->name);
}

/* The names a list placeholder stands for; 0 when WHAT is unknown. */
static int list_names(const char *what, name_list *l)
{
    l->n = 0;
    if (!strcmp(what, "kinds")) {
        for (int k = 0; k < AUD_KIND_COUNT; k++)
            add_name(l, audience_kind_at((audience_kind)k)->name);
    } else if (!strcmp(what, "bands")) {
        for (int r = 0; r < AUDIENCE_COUNT; r++)
            if (audience_at((audience_row)r)->band_name)
                add_name(l, audience_at((audience_row)r)->band_name);
    } else if (!strcmp(what, "compile") || !strcmp(what, "extensions")) {
        formats_for(l, FORMAT_FOR_COMPILE, what[0] == 'e');
    } else if (!strcmp(what, "diff")) {
        formats_for(l, FORMAT_FOR_DIFF, false);
    } else if (!strcmp(what, "lint")) {
        formats_for(l, FORMAT_FOR_LINT, false);
    } else if (!strcmp(what, "check-reports")) {
        for (size_t i = 0; i < format_count(); i++)
            if (format_at(i)->checklist)
                add_name(l, format_at(i)->name);
    }
    return l->n > 0;
}

static void put_audiences(strbuf *b)
{
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const audience_info *a = audience_at((audience_row)r);
        sb_puts(b, r ? ".TP\n.B " : ".TP 16\n.B ");
        put_text(b, a->id);
        sb_puts(b, "\n");
        put_paragraph(b, a->about);
    }
}

static void put_limits_row(strbuf *b, const char *name, const principle_limits *l)
{
    strbuf cell = {0};
    sb_printf(&cell, "%-16s%5d%7g%7g%10.2f%10d%8d", name, l->pages, l->fk_max,
              l->wps_max, l->prohibition_max, l->positive_min, l->review_months);
    put_text(b, cell.data);
    sb_puts(b, "\n");
    sb_free(&cell);
}

/* The limits principles.xml gives each audience, in the table's order. */
static int put_limits(strbuf *b)
{
    diag_list d = {0};
    principle_set *ps = principles_load(NULL, &d);
    diag_free(&d);
    if (!ps)
        return -1;
    int rc = 0;
    sb_puts(b, ".EX\naudience        pages  grade  words  prohibit  positive  months\n");
    for (int r = 0; r < AUDIENCE_COUNT && !rc; r++) {
        const char *id = audience_at((audience_row)r)->id;
        const principle_limits *l = principles_limits_for(ps, id);
        if (l)
            put_limits_row(b, id, l);
        rc = l ? 0 : -1;
    }
    const principle_limits *easy = principles_limits_for(ps, "parent" AUDIENCE_EASY_SUFFIX);
    if (easy)
        put_limits_row(b, "any " AUDIENCE_EASY_SUFFIX, easy);
    sb_puts(b, ".EE\n");
    principles_free(ps);
    return easy ? rc : -1;
}

static void put_devices_entry(strbuf *b, const char *attr, const char *who)
{
    sb_puts(b, ".TP\n.BR ");
    put_text(b, attr);
    sb_puts(b, " = \\fIpolicy\\fP\n");
    put_text(b, who);
    sb_puts(b, "\n");
}

static void put_devices(strbuf *b)
{
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        const audience_info *a = audience_at(ki->default_row);
        char *who = a->band_name ? xasprintf("%c%s of every band.", ki->plural[0] - 'a' + 'A',
                                             ki->plural + 1)
                                 : xasprintf("%s.", a->label);
        put_devices_entry(b, ki->devices_attr, who);
        free(who);
        sb_puts(b, ki->devices_required ? "Required.\n" : "Optional; the default is\n.BR ");
        if (!ki->devices_required) {
            put_text(b, ki->devices_default);
            sb_puts(b, " .\n");
        }
        for (int r = 0; r < AUDIENCE_COUNT; r++) {
            const audience_info *band = audience_at((audience_row)r);
            if (band->kind != (audience_kind)k || !band->own_devices)
                continue;
            who = xasprintf("%s, when their rule differs from the other %s'.", band->label,
                            ki->plural);
            put_devices_entry(b, band->band_name, who);
            free(who);
            sb_puts(b, "Optional; the default is the value of\n.BR ");
            put_text(b, ki->devices_attr);
            sb_puts(b, " .\n");
        }
    }
}

/* A line that is a placeholder alone (without its '@'s). */
static int put_block(strbuf *b, char *what)
{
    if (!strcmp(what, "audiences"))
        return put_audiences(b), 0;
    if (!strcmp(what, "limits"))
        return put_limits(b);
    if (!strcmp(what, "devices"))
        return put_devices(b), 0;
    char *conj = strchr(what, ' ');
    if (!conj)
        return -1;
    *conj++ = '\0';
    char *punct = strchr(conj, ' ');
    if (punct)
        *punct++ = '\0';
    name_list l;
    if (!list_names(what, &l) || (strcmp(conj, "and") && strcmp(conj, "or")))
        return -1;
    put_list(b, l.names, l.n, conj, punct ? punct : "");
    return 0;
}

/* The word an inline placeholder NAME (N bytes) stands for, or NULL. */
static char *inline_word(const char *name, size_t n)
{
    if (n == 10 && !strncmp(name, "kind-count", n))
        return xasprintf("%d", AUD_KIND_COUNT);
    if (n == 15 && !strncmp(name, "compile-default", n)) {
        strbuf b = {0};
        for (size_t i = 0; i < format_count(); i++)
            if (format_serves(format_at(i), FORMAT_FOR_COMPILE) && !format_at(i)->on_request)
                sb_printf(&b, "%s%s", b.len ? "," : "", format_at(i)->name);
        return b.data;
    }
    return NULL;
}

static int put_line(strbuf *b, const char *line, size_t n)
{
    if (n > 2 && line[0] == '@' && line[n - 1] == '@') {
        char *what = xstrndup(line + 1, n - 2);
        int rc = put_block(b, what);
        free(what);
        return rc;
    }
    for (const char *p = line, *end = line + n; p < end;) {
        const char *at = memchr(p, '@', (size_t)(end - p));
        const char *close = at ? memchr(at + 1, '@', (size_t)(end - at - 1)) : NULL;
        if (!close) {
            sb_add(b, p, (size_t)(end - p));
            break;
        }
        size_t len = (size_t)(close - at - 1);
        char *word = inline_word(at + 1, len);
        if (!word && len && strspn(at + 1, "abcdefghijklmnopqrstuvwxyz-") == len)
            return -1;  /* a placeholder misspelt */
        if (!word) {    /* an '@' of the text, as in "checkout@v4" */
            sb_add(b, p, (size_t)(at + 1 - p));
            p = at + 1;
            continue;
        }
        sb_add(b, p, (size_t)(at - p));
        sb_puts(b, word);
        free(word);
        p = close + 1;
    }
    sb_puts(b, "\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mangen TEMPLATE OUTPUT\n");
        return 2;
    }
    char *text;
    size_t len;
    const char *err;
    if (io_read_file(argv[1], &text, &len, &err) != 0) {
        fprintf(stderr, "mangen: %s: %s\n", argv[1], err);
        return 1;
    }
    strbuf out = {0};
    int line = 1;
    for (const char *p = text; *p; line++) {
        size_t n = strcspn(p, "\n");
        if (put_line(&out, p, n) != 0) {
            fprintf(stderr, "%s:%d: error: unknown placeholder or a table without a row: %.*s\n",
                    argv[1], line, (int)n, p);
            return 1;
        }
        p += n + (p[n] == '\n');
    }
    FILE *f = fopen(argv[2], "w");
    if (!f || fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
        fprintf(stderr, "mangen: cannot write %s\n", argv[2]);
        return 1;
    }
    sb_free(&out);
    free(text);
    return 0;
}
