#include "util/escape.h"

#include "util/utf8.h"

void esc_markup(strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        default: sb_add(b, s, 1);
        }
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
        else
            sb_add(b, p, n);
        p += n ? n : 1;
    }
    sb_add(b, "\"", 1);
}
