#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "util/escape.h"
#include "util/io.h"

/* Every format prints a diagnostic on one line, and a value quoted from the
 * input may hold tabs and line breaks: each run of control characters and
 * spaces around them becomes one space. */
static char *one_line(char *m)
{
    char *w = m;
    for (const char *r = m; *r;) {
        unsigned char c = (unsigned char)*r;
        if (c < 0x20 || c == 0x7f) {
            while (w > m && w[-1] == ' ')
                w--;
            while (*r && ((unsigned char)*r < 0x20 || *r == 0x7f || *r == ' '))
                r++;
            if (w > m && *r)
                *w++ = ' ';
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    return m;
}

void diag_vadd(diag_list *l, diag_severity sev, const char *file, int line, int col,
               const char *rule, const char *fmt, va_list ap)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    diag *d = &l->items[l->count++];
    d->file = file ? xstrdup(file) : NULL;
    d->line = line;
    d->col = col;
    d->severity = sev;
    d->rule = rule ? xstrdup(rule) : NULL;
    d->message = one_line(xvasprintf(fmt, ap));
}

void diag_add(diag_list *l, diag_severity sev, const char *file, int line, int col,
              const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(l, sev, file, line, col, rule, fmt, ap);
    va_end(ap);
}

size_t diag_count(const diag_list *l, diag_severity at_least)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].severity >= at_least)
            n++;
    return n;
}

void diag_free(diag_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].file);
        free(l->items[i].message);
        free(l->items[i].rule);
    }
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

const char *diag_severity_name(diag_severity s)
{
    switch (s) {
    case DIAG_NOTE: return "note";
    case DIAG_WARNING: return "warning";
    default: return "error";
    }
}

static const char *severity_colour(diag_severity s)
{
    switch (s) {
    case DIAG_NOTE: return "\033[1;36m";
    case DIAG_WARNING: return "\033[1;35m";
    default: return "\033[1;31m";
    }
}

void diag_print_one(FILE *out, const diag *d, int colour)
{
    if (colour)
        fputs("\033[1m", out);
    if (d->file) {
        char *file = esc_text_dup(d->file);
        fputs(file, out);
        free(file);
        if (d->line > 0)
            fprintf(out, ":%d", d->line);
        if (d->line > 0 && d->col > 0)
            fprintf(out, ":%d", d->col);
        fputs(": ", out);
    } else {
        fputs("aupc: ", out);
    }
    if (colour)
        fprintf(out, "%s%s:\033[0m ", severity_colour(d->severity),
                diag_severity_name(d->severity));
    else
        fprintf(out, "%s: ", diag_severity_name(d->severity));
    char *message = esc_text_dup(d->message);
    fputs(message, out);
    free(message);
    if (d->rule)
        fprintf(out, " [%s]", d->rule);
    fputc('\n', out);
}

void diag_print_gnu(FILE *out, const diag_list *l, int colour)
{
    for (size_t i = 0; i < l->count; i++)
        diag_print_one(out, &l->items[i], colour);
}

int diag_severity_parse(const char *s, diag_severity *out)
{
    if (!strcmp(s, "note")) *out = DIAG_NOTE;
    else if (!strcmp(s, "warning")) *out = DIAG_WARNING;
    else if (!strcmp(s, "error")) *out = DIAG_ERROR;
    else return -1;
    return 0;
}
