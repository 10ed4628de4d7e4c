#include "util/escape.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/utf8.h"

size_t esc_text_step(const char *p, const char **rep, char *buf)
{
    unsigned char c = (unsigned char)*p;
    *rep = NULL;
    if (c < 0x20 || c == 0x7F) {
        if (c != '\t' && c != '\n') {
            snprintf(buf, 8, "\\x%02X", c);
            *rep = buf;
        }
        return 1;
    }
    if (c < 0x80)
        return 1;
    size_t n = utf8_valid(p);
    if (n == 0) {
        *rep = "\xEF\xBF\xBD";
        return 1;
    }
    if (n == 2 && c == 0xC2 && (unsigned char)p[1] < 0xA0) {
        snprintf(buf, 8, "\\u%04X", (unsigned char)p[1]);
        *rep = buf;
    }
    return n;
}

void esc_text(strbuf *b, const char *s)
{
    sb_add(b, "", 0);
    char buf[8];
    /* What needs no escape goes in by the run. */
    const char *p = s ? s : "", *run = p;
    while (*p) {
        const char *rep;
        size_t n = esc_text_step(p, &rep, buf);
        if (rep) {
            sb_add(b, run, (size_t)(p - run));
            sb_puts(b, rep);
            run = p + n;
        }
        p += n;
    }
    sb_add(b, run, (size_t)(p - run));
}

char *esc_text_dup(const char *s)
{
    if (!s)
        return NULL;
    strbuf b = {0};
    esc_text(&b, s);
    return b.data;
}

void esc_markup(strbuf *b, const char *s)
{
    sb_add(b, "", 0);
    char buf[8];
    for (const char *p = s ? s : ""; *p;) {
        const char *rep;
        size_t n = esc_text_step(p, &rep, buf);
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: break;
        }
        if (rep)
            sb_puts(b, rep);
        else
            sb_add(b, p, n);
        p += n;
    }
}

void esc_xml(strbuf *b, const char *s)
{
    sb_add(b, "", 0);
    for (const char *p = s ? s : ""; *p;) {
        unsigned char c = (unsigned char)*p;
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case '\n': rep = "&#10;"; break;
        case '\r': rep = "&#13;"; break;
        case '\t': rep = "&#9;"; break;
        default: break;
        }
        size_t n = rep || c < 0x20 ? 1 : utf8_valid(p);
        if (rep)
            sb_puts(b, rep);
        else if (n == 0)
            sb_puts(b, "\xEF\xBF\xBD");
        else if (c >= 0x20 && !(n == 3 && c == 0xEF && (unsigned char)p[1] == 0xBF
                                && ((unsigned char)p[2] & 0xFE) == 0xBE))
            sb_add(b, p, n);    /* control characters, U+FFFE and U+FFFF are not XML 1.0 */
        p += n ? n : 1;
    }
}

void esc_json(strbuf *b, const char *s)
{
    sb_add(b, "\"", 1);
    for (const char *p = s ? s : ""; *p;) {
        /* Printable ASCII that needs no escape goes in by the run. */
        const char *run = p;
        while ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            sb_add(b, run, (size_t)(p - run));
        if (!*p)
            break;
        unsigned char c = (unsigned char)*p;
        const char *rep = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
        size_t n = rep || c < 0x20 || c == 0x7F ? 1 : utf8_valid(p);
        if (rep)
            sb_puts(b, rep);
        else if (c < 0x20 || c == 0x7F)
            sb_printf(b, "\\u%04x", c);
        else if (n == 0)
            sb_puts(b, "\\ufffd");
        else if (n == 2 && c == 0xC2 && (unsigned char)p[1] < 0xA0)
            sb_printf(b, "\\u%04x", (unsigned char)p[1]);
        else
            sb_add(b, p, n);
        p += n ? n : 1;
    }
    sb_add(b, "\"", 1);
}
