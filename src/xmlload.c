#include "xmlload.h"

#include <ctype.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>

#include "embedded.h"
#include "util/io.h"
#include "util/suggest.h"

/* What a reader calls the value of an attribute or element, so that a
 * message says "personal-device policy" rather than "attribute 'pupils'". */
static const struct {
    const char *element, *attr, *noun;
} nouns[] = {
    {"devices", NULL, "personal-device policy"},
    {"kind", NULL, "setting kind"},
    {"nation", NULL, "nation"},
    {"audience", "kind", "audience kind"},
    {"audience", "band", "pupil band"},
    {"audience", "reading", "reading level"},
    {"person", "role", "role"},
    {"monitoring", "authorised-by", "role"},
    {"monitoring", "what", "monitored service"},
    {"contact", "group", "contact group"},
    {"ladder", "audience", "audience kind"},
    {"consulted", "audience", "audience kind"},
    {"tell", "audience", "audience kind"},
    {"tell", "via", "communication channel"},
    {"images", "uses", "image use"},
    {"policy", "kind", "policy kind"},
    {"custom", "section", "section"},
    {"statement", "section", "section"},
    {NULL, "accredited", "yes/no value"},
};

static const char *noun_for(const char *element, const char *attr)
{
    for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++) {
        if (nouns[i].element && (!element || strcmp(nouns[i].element, element) != 0))
            continue;
        if (nouns[i].attr && (!attr || strcmp(nouns[i].attr, attr) != 0))
            continue;
        if (!nouns[i].attr && attr && nouns[i].element && strcmp(nouns[i].element, "devices") != 0)
            continue;
        return nouns[i].noun;
    }
    return NULL;
}

/* A well-formedness error, kept until parsing ends: the first one decides
 * what the rest mean (a truncated file, or one mistake and its echoes). */
typedef struct {
    int code, line, col, int1;
    char *msg, *str1, *str2;
} parse_error;

enum { MAX_PARSE_ERRORS = 32, MAX_SHOWN = 20 };

typedef struct {
    const char *file, *data;
    size_t len;
    diag_list *diags;
    int errors;
    bool offsets;                  /* start tags' offsets recorded (UTF-8 input) */
    bool library;                  /* a statement library file, not a profile */
    parse_error perr[MAX_PARSE_ERRORS];
    int nperr;
} load_ctx;

/* Copy the text between the first OPEN after START and the next CLOSE. */
static char *between(const char *s, const char *open, char close)
{
    const char *a = strstr(s, open);
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = strchr(a, close);
    return b ? xstrndup(a, (size_t)(b - a)) : NULL;
}

/* "{urn:aupc:profile:1}devices" -> "devices" */
static char *local_name(const char *qname)
{
    const char *brace = strrchr(qname, '}');
    return xstrdup(brace ? brace + 1 : qname);
}

/* "{'a', 'b', 'c'}" -> "a, b or c" */
static char *human_set(const char *msg)
{
    const char *a = strstr(msg, "set {");
    if (!a)
        return NULL;
    a += 5;
    const char *end = strchr(a, '}');
    if (!end)
        return NULL;
    strbuf b = {0};
    size_t n = 0;
    for (const char *p = a; p < end; p++)
        if (*p == '\'')
            n++;
    size_t items = n / 2, k = 0;
    for (const char *p = a; p < end;) {
        const char *q = strchr(p, '\'');
        if (!q || q >= end)
            break;
        const char *r = strchr(q + 1, '\'');
        if (!r || r >= end)
            break;
        if (k > 0)
            sb_puts(&b, k + 1 == items ? " or " : ", ");
        sb_add(&b, q + 1, (size_t)(r - q - 1));
        k++;
        p = r + 1;
    }
    return b.data;
}

/* "Expected is one of ( {ns}a, {ns}b )." -> "<a> or <b>" */
static char *expected_list(const char *msg)
{
    const char *a = strstr(msg, "Expected is ");
    if (!a || !(a = strchr(a, '(')))
        return NULL;
    const char *end = strchr(a, ')');
    if (!end)
        return NULL;
    strbuf b = {0};
    size_t n = 0;
    for (const char *p = a + 1; p < end;) {
        while (p < end && (*p == ' ' || *p == ','))
            p++;
        const char *e = p;
        while (e < end && *e != ',' && *e != ' ')
            e++;
        if (e == p)
            break;
        const char *name = p;
        for (const char *q = p; q < e; q++)
            if (*q == '}')
                name = q + 1;
        if (n++)
            sb_puts(&b, ", ");
        sb_printf(&b, "<%.*s>", (int)(e - name), name);
        p = e;
    }
    if (n > 1) {
        char *last = strrchr(b.data, ',');
        char *s = xasprintf("%.*s or%s", (int)(last - b.data), b.data, last + 1);
        sb_free(&b);
        return s;
    }
    return b.data;
}

/* The date VALUE (YYYY-MM-DD) when its month or day does not exist: why,
 * or NULL when it is not of that form or does exist. */
static char *impossible_date(const char *value)
{
    int y, m, d, used = 0;
    if (strlen(value) != 10 || sscanf(value, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 ||
        used != 10)
        return NULL;
    static const char *const months[] = {"January", "February", "March", "April", "May",
                                         "June", "July", "August", "September", "October",
                                         "November", "December"};
    if (m < 1 || m > 12)
        return xasprintf("there is no month %02d (months run from 01 to 12)", m);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = days[m - 1] + (m == 2 && leap);
    if (d >= 1 && d <= last)
        return NULL;
    if (m == 2 && d == 29)
        return xasprintf("there is no 29 February in %d, which is not a leap year", y);
    return xasprintf("that date does not exist: %s has %d days", months[m - 1], last);
}

/* When N is one more of a run of like elements than the schema allows,
 * how many it allows and where. */
static char *too_many(xmlNodePtr n)
{
    if (!n || !n->parent || n->parent->type != XML_ELEMENT_NODE)
        return NULL;
    int before = 0;
    for (xmlNodePtr s = n->prev; s; s = s->prev)
        if (s->type == XML_ELEMENT_NODE) {
            if (strcmp((const char *)s->name, (const char *)n->name) != 0)
                break;
            before++;
        }
    if (!before)
        return NULL;
    char *limit = xmlload_limit((const char *)n->parent->name, before, (const char *)n->name);
    char *out = xasprintf("%s: this is one more", limit);
    free(limit);
    return out;
}

char *xmlload_limit(const char *parent, int max, const char *elem)
{
    return xasprintf("<%s> holds at most %d <%s> element%s", parent, max, elem,
                     max == 1 ? "" : "s");
}

static char *translate_validity(const load_ctx *c, const char *msg, xmlNodePtr node,
                                char **attr_out)
{
    const char *manual = c->library ? "schema/library.xsd" : "aupc-profile(5)";
    char *elem = NULL, *attr = NULL, *value = NULL, *out = NULL;
    char *q = between(msg, "Element '", '\'');
    if (q) {
        elem = local_name(q);
        free(q);
    }
    attr = between(msg, "attribute '", '\'');
    value = between(msg, "The value '", '\'');
    if (!value)
        value = between(msg, "': '", '\'');

    if (strstr(msg, "[facet 'enumeration']") && value) {
        char *set = human_set(msg);
        const char *noun = noun_for(elem, attr);
        char *near = set ? suggest_in_list(value, set) : NULL;
        char *expected = near ? xasprintf("did you mean %s? (expected %s)", near, set)
                              : xasprintf("expected %s", set ? set : "?");
        if (noun)
            out = xasprintf("unknown %s '%s': %s", noun, value, expected);
        else if (attr)
            out = xasprintf("invalid value '%s' for %s= on <%s>: %s", value, attr, elem,
                            expected);
        else
            out = xasprintf("invalid value '%s' in <%s>: %s", value, elem, expected);
        free(expected);
        free(near);
        free(set);
    } else if (strstr(msg, "[facet 'pattern']") && value) {
        out = xasprintf("invalid id '%s'%s%s: use 1 to 64 lowercase letters, digits and "
                        "hyphens, starting with a letter or digit", value,
                        attr ? " in " : "", attr ? attr : "");
    } else if (strstr(msg, "[facet 'maxLength']") || strstr(msg, "[facet 'minLength']")) {
        char *has = between(msg, "length of '", '\'');
        char *lim = between(msg, "imum length of '", '\'');
        bool max = strstr(msg, "[facet 'maxLength']") != NULL;
        if (attr)
            out = xasprintf("%s=\"...\" on <%s> is too %s (%s characters): %s %s", attr, elem,
                            max ? "long" : "short", has ? has : "?",
                            max ? "the most allowed is" : "it needs at least", lim ? lim : "?");
        else
            out = xasprintf("the text of <%s> is too %s (%s characters): %s %s", elem,
                            max ? "long" : "short", has ? has : "?",
                            max ? "the most allowed is" : "it needs at least", lim ? lim : "?");
        free(has);
        free(lim);
    } else if ((strstr(msg, "[facet 'maxInclusive']") || strstr(msg, "[facet 'minInclusive']")) &&
               value) {
        char *lim = between(msg, "allowed ('", '\'');
        out = xasprintf("invalid value '%s'%s%s: the %s allowed is %s", value, attr ? " in " : "",
                        attr ? attr : "", strstr(msg, "'maxInclusive'") ? "largest" : "smallest",
                        lim ? lim : "?");
        free(lim);
    } else if (strstr(msg, "'xs:date'") && value) {
        char *why = impossible_date(value);
        out = xasprintf("invalid date '%s'%s%s: %s", value, attr ? " in " : "", attr ? attr : "",
                        why ? why : "write dates as YYYY-MM-DD, e.g. 2026-09-01");
        free(why);
    } else if (strstr(msg, "is not a valid value of the atomic type") && value) {
        out = xasprintf("invalid value '%s'%s%s: %s", value, attr ? " in " : "",
                        attr ? attr : "", strstr(msg, "boolean") ? "write true or false"
                        : strstr(msg, "nteger") ? "write a whole number" : "see aupc-profile(5)");
    } else if (strstr(msg, "is required but missing") && attr) {
        out = xasprintf("<%s> needs the attribute %s=\"...\"", elem, attr);
    } else if (strstr(msg, "Missing child element")) {
        char *e = expected_list(msg);
        out = xasprintf("<%s> is missing %s: add it (see %s)", elem, e ? e : "?", manual);
        free(e);
    } else if (strstr(msg, "This element is not expected")) {
        char *e = expected_list(msg), *limit = e ? NULL : too_many(node);
        if (e)
            out = xasprintf("unexpected element <%s>: expected %s here (elements must "
                            "come in the order %s gives)", elem, e, manual);
        else if (limit)
            out = xasprintf("unexpected element <%s>: %s", elem, limit);
        else
            out = xasprintf("unexpected element <%s>: nothing more is allowed here", elem);
        free(limit);
        free(e);
    } else if (strstr(msg, "Element content is not allowed") && elem) {
        out = strstr(msg, "content type is empty")
                  ? xasprintf("<%s> holds nothing: write it as <%s .../> with its attributes",
                              elem, elem)
                  : xasprintf("<%s> holds text only: remove the elements inside it", elem);
    } else if (strstr(msg, "attribute") && strstr(msg, "is not allowed")) {
        out = xasprintf("<%s> has no attribute %s=: remove it or check the spelling", elem,
                        attr ? attr : "?");
    } else if (strstr(msg, "No matching global declaration")) {
        out = xstrdup(c->library
                          ? "this is not a statement library file: check the root element and "
                            "its xmlns (a library file starts <library "
                            "xmlns=\"urn:aupc:library:1\">)"
                          : "this is not an aupc file of the expected kind: check the root "
                            "element and its xmlns (a profile starts <setting "
                            "xmlns=\"urn:aupc:profile:1\">)");
    } else if (strstr(msg, "Duplicate key-sequence")) {
        out = xasprintf("duplicate id%s%s: every id must be unique", value ? " " : "",
                        value ? value : "");
    }
    if (!out) {
        out = xstrdup(msg);
        size_t n = strlen(out);
        while (n > 0 && isspace((unsigned char)out[n - 1]))
            out[--n] = '\0';
    }
    *attr_out = attr;
    free(elem);
    free(value);
    return out;
}

static int column_on_line(const char *data, size_t len, int line, const char *needle)
{
    const char *p = data, *end = data + len;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    size_t nl = strlen(needle);
    for (const char *s = p; s + nl <= eol; s++)
        if (memcmp(s, needle, nl) == 0)
            return (int)(s - p) + 1;
    return 0;
}

int xmlload_column(const char *data, size_t len, int line, const char *needle)
{
    int col = line > 0 && needle ? column_on_line(data, len, line, needle) : 0;
    return col ? col : 1;
}

/* --- positions ---------------------------------------------------------------
 * libxml2 counts columns in characters, so aupc does too: a message points
 * at the same place whichever of the two found the mistake. */

static bool utf8_lead(char c) { return ((unsigned char)c & 0xC0) != 0x80; }

static void position_of(const char *data, size_t len, size_t off, int *line, int *col)
{
    if (off > len)
        off = len;
    int l = 1;
    size_t start = 0;
    /* memchr, as a profile's every placeholder is placed from the top */
    for (const char *nl; (nl = memchr(data + start, '\n', off - start)) != NULL;) {
        l++;
        start = (size_t)(nl - data) + 1;
    }
    int c = 1;
    for (size_t i = start; i < off; i++)
        c += utf8_lead(data[i]);
    *line = l;
    *col = c;
}

/* The byte offset of LINE:COL, clamped to the end of its line. */
static size_t offset_of(const char *data, size_t len, int line, int col)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (data[i] == '\n')
            l++;
    for (int c = 1; i < len && data[i] != '\n'; i++) {
        if (utf8_lead(data[i]) && c++ == col)
            break;
    }
    return i;
}

/* Back from OFF, on its line, to the nearest C; OFF itself when none. */
static size_t back_to(const char *data, size_t off, char c)
{
    for (size_t i = off + 1; i-- > 0;) {
        if (data[i] == c)
            return i;
        if (data[i] == '\n' && i != off)
            break;
    }
    return off;
}

/* Back from OFF, on its line, to the attribute NAME (followed by = or
 * space); OFF itself when none. */
static size_t back_to_attr(const char *data, size_t off, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = off + 1; i-- > 0;) {
        if (data[i] == '\n' && i != off)
            break;
        if (i > 0 && isspace((unsigned char)data[i - 1]) && !strncmp(data + i, name, n) &&
            (data[i + n] == '=' || isspace((unsigned char)data[i + n])))
            return i;
    }
    return off;
}

/* While libxml2 builds the tree, remember where each start tag begins: the
 * last '<' before the parser's position, since a '<' cannot occur inside a
 * tag. Only for UTF-8 input, whose offsets are the file's own. */
static void on_start_element(void *user, const xmlChar *name, const xmlChar *prefix,
                             const xmlChar *uri, int nns, const xmlChar **ns, int nattrs,
                             int ndefaulted, const xmlChar **attrs)
{
    xmlParserCtxtPtr pc = user;
    xmlSAX2StartElementNs(user, name, prefix, uri, nns, ns, nattrs, ndefaulted, attrs);
    load_ctx *c = pc->_private;
    xmlParserInputPtr in = pc->input;
    if (!c || !c->offsets || !pc->node || !in || !in->base || (in->buf && in->buf->encoder))
        return;
    size_t at = (size_t)in->consumed + (size_t)(in->cur - in->base);
    if (at > c->len)
        return;
    for (size_t i = at; i-- > 0;)
        if (c->data[i] == '<') {
            pc->node->_private = (void *)(uintptr_t)(i + 1);
            return;
        }
}

/* The end of the start tag that begins at OFF: its '>' or the end of data. */
static size_t tag_end(const char *data, size_t len, size_t off)
{
    char quote = 0;
    for (size_t i = off; i < len; i++) {
        if (quote)
            quote = data[i] == quote ? 0 : quote;
        else if (data[i] == '"' || data[i] == '\'')
            quote = data[i];
        else if (data[i] == '>')
            return i;
    }
    return len;
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == ':';
}

/* ATTR's name inside the start tag [START, END), or START. */
static size_t attr_in_tag(const char *data, size_t start, size_t end, const char *attr)
{
    size_t n = strlen(attr);
    char quote = 0;
    for (size_t i = start; i + n <= end; i++) {
        if (quote) {
            quote = data[i] == quote ? 0 : quote;
            continue;
        }
        if (data[i] == '"' || data[i] == '\'') {
            quote = data[i];
            continue;
        }
        if (isspace((unsigned char)data[i - (i > start)]) && memcmp(data + i, attr, n) == 0 &&
            !name_char(data[i + n]))
            return i;
    }
    return start;
}

int xmlload_where(const char *data, size_t len, xmlNodePtr n, const char *attr, int *line)
{
    if (n && n->type == XML_ATTRIBUTE_NODE) {
        attr = (const char *)n->name;
        n = n->parent;
    }
    *line = n ? (int)xmlGetLineNo(n) : 0;
    if (*line <= 0)
        *line = 1;
    if (!n || n->type != XML_ELEMENT_NODE)
        return 1;
    uintptr_t mark = (uintptr_t)n->_private;
    if (!mark || mark - 1 >= len) {
        char *tag = xasprintf("<%s", (const char *)n->name);
        int col = xmlload_column(data, len, *line, attr ? attr : tag);
        free(tag);
        return col;
    }
    size_t start = mark - 1;
    size_t at = attr ? attr_in_tag(data, start, tag_end(data, len, start), attr) : start;
    int col;
    position_of(data, len, at, line, &col);
    return col;
}

/* --- well-formedness errors ------------------------------------------------- */

static void keep_parse_error(load_ctx *c, const xmlError *err)
{
    if (c->nperr == MAX_PARSE_ERRORS)
        return;
    parse_error *e = &c->perr[c->nperr++];
    e->code = err->code;
    e->line = err->line > 0 ? err->line : 1;
    e->col = err->int2 > 0 ? err->int2 : 1;
    e->int1 = err->int1;
    e->msg = xstrdup(err->message ? err->message : "unreadable XML");
    e->str1 = err->str1 ? xstrdup(err->str1) : NULL;
    e->str2 = err->str2 ? xstrdup(err->str2) : NULL;
}

static void free_parse_errors(load_ctx *c)
{
    for (int i = 0; i < c->nperr; i++) {
        free(c->perr[i].msg);
        free(c->perr[i].str1);
        free(c->perr[i].str2);
    }
    c->nperr = 0;
}

/* The name of the first element in DATA ("setting"), or NULL. */
static char *root_name(const char *data, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (data[i] != '<')
            continue;
        if (data[i + 1] == '?' || data[i + 1] == '!')
            continue;
        size_t e = i + 1;
        while (e < len && name_char(data[e]))
            e++;
        return e > i + 1 ? xstrndup(data + i + 1, e - i - 1) : NULL;
    }
    return NULL;
}

/* Offset just past the last character that is not white space. */
static size_t content_end(const char *data, size_t len)
{
    while (len > 0 && isspace((unsigned char)data[len - 1]))
        len--;
    return len;
}

/* A file cut short: the parser ran out of data inside an element, and the
 * first thing it tripped on is on the file's last line. */
static bool truncated(const load_ctx *c)
{
    bool ran_out = false;
    for (int i = 0; i < c->nperr; i++)
        ran_out |= c->perr[i].code == XML_ERR_TAG_NOT_FINISHED ||
                   c->perr[i].code == XML_ERR_COMMENT_NOT_FINISHED ||
                   c->perr[i].code == XML_ERR_LITERAL_NOT_FINISHED;
    if (!ran_out)
        return false;
    int last_line, col;
    position_of(c->data, c->len, content_end(c->data, c->len), &last_line, &col);
    return c->perr[0].line >= last_line;
}

static bool is_curly_quote(const char *s, size_t n)
{
    static const char *const quotes[] = {"\u201c", "\u201d", "\u2018", "\u2019", "\u201e",
                                         "\u00ab", "\u00bb", "\u2032", "\u2033"};
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        size_t q = strlen(quotes[i]);
        if (q <= n && memcmp(s, quotes[i], q) == 0)
            return true;
    }
    return false;
}

/* The attribute name written before the '=' that ends just before OFF. */
static char *attr_before(const char *data, size_t off)
{
    size_t i = off;
    while (i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\t'))
        i--;
    if (i == 0 || data[i - 1] != '=')
        return NULL;
    i--;
    while (i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\t'))
        i--;
    size_t e = i;
    while (i > 0 && name_char(data[i - 1]))
        i--;
    return e > i ? xstrndup(data + i, e - i) : NULL;
}

static char *clean_message(const char *msg)
{
    char *m = xstrdup(msg);
    size_t n = strlen(m);
    while (n > 0 && isspace((unsigned char)m[n - 1]))
        m[--n] = '\0';
    return m;
}

/* Advice for one well-formedness error, at *OFF (moved to where the mistake
 * is). *ALONE is set when the parser carried on sanely after it, so that
 * errors after it are real ones and not its echoes. */
static char *parse_advice(const load_ctx *c, const parse_error *e, size_t *off, bool *alone)
{
    const char *d = c->data;
    *alone = false;
    switch (e->code) {
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        *alone = true;
        *off = back_to(d, *off, '&');
        return xstrdup("write & as &amp;: in XML a bare & starts a reference such as &lt;");
    case XML_ERR_NAME_REQUIRED:
        if (strstr(e->msg, "EntityRef")) {
            *alone = true;
            *off = back_to(d, *off, '&');
            return xstrdup("write & as &amp;: in XML a bare & starts a reference such as &lt;");
        }
        if (strstr(e->msg, "StartTag")) {
            *off = back_to(d, *off, '<');
            return xstrdup("write < as &lt;: in XML a bare < starts a tag");
        }
        break;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        *alone = true;
        *off = back_to(d, *off, '&');
        return xasprintf("unknown reference &%s;: write & as &amp;, and type other characters "
                         "as they are (only &lt; &gt; &amp; &quot; &apos; and numeric ones such "
                         "as &#163; are known)", e->str1 ? e->str1 : "");
    case XML_ERR_LT_IN_ATTRIBUTE:
        return xstrdup("write < as &lt; inside an attribute value");
    case XML_ERR_ATTRIBUTE_NOT_STARTED: {
        char *attr = attr_before(d, *off);
        char *m;
        if (is_curly_quote(d + *off, c->len - *off))
            m = xasprintf("replace the curly quotes around this value with straight ones: "
                          "%s=\"...\" (a word processor may have changed them)",
                          attr ? attr : "name");
        else
            m = xasprintf("put this value in straight double quotes: %s=\"...\"",
                          attr ? attr : "name");
        free(attr);
        return m;
    }
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
        return xasprintf("the attribute %s has no value: write %s=\"...\"",
                         e->str1 ? e->str1 : "", e->str1 ? e->str1 : "name");
    case XML_ERR_ATTRIBUTE_REDEFINED:
        *alone = true;
        if (e->str1)
            *off = back_to_attr(d, *off, e->str1);
        return xasprintf("%s= is given twice on this element: keep one",
                         e->str1 ? e->str1 : "an attribute");
    case XML_ERR_HYPHEN_IN_COMMENT:
        *alone = true;
        return xstrdup("a comment may not contain --: write a single hyphen or a dash instead");
    case XML_ERR_COMMENT_NOT_FINISHED:
        return xstrdup("this comment is never closed: end it with -->");
    case XML_ERR_TAG_NAME_MISMATCH:
        *off = back_to(d, *off, '<');
        return xasprintf("</%s> does not close <%s> (line %d): correct the name, or close "
                         "<%s> first", e->str2 ? e->str2 : "?", e->str1 ? e->str1 : "?",
                         e->int1, e->str1 ? e->str1 : "?");
    case XML_ERR_TAG_NOT_FINISHED:
        return xasprintf("<%s> (line %d) is never closed: add </%s>", e->str1 ? e->str1 : "?",
                         e->int1, e->str1 ? e->str1 : "?");
    case XML_ERR_GT_REQUIRED:
        return xasprintf("the start tag <%s> is not finished: check its quotes and end it "
                         "with > or />", e->str1 ? e->str1 : "?");
    case XML_ERR_DOCUMENT_END: {
        char *root = root_name(d, c->len);
        char *m = xasprintf("there is more after </%s>: a file holds one root element, so "
                            "remove what follows it", root ? root : "the root element");
        free(root);
        return m;
    }
    case XML_ERR_DOCUMENT_EMPTY: {
        size_t i = 0;
        if (c->len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
            i = 3;
        while (i < c->len && isspace((unsigned char)d[i]))
            i++;
        if (i < c->len && d[i] != '<')
            return xstrdup("this is not an XML file: an aupc file starts with <?xml or with "
                           "its root element, such as <setting>");
        return xstrdup("no element found: the file holds only white space or declarations "
                       "(a profile starts <setting xmlns=\"urn:aupc:profile:1\">)");
    }
    default:
        break;
    }
    char *msg = clean_message(e->msg);
    /* libxml2's own words for these two name a parser option or span lines. */
    if (strstr(msg, "Excessive depth in document")) {
        free(msg);
        return xasprintf("elements are nested more than 256 deep: %s never needs that many",
                         c->library ? "a statement library file" : "a profile");
    }
    if (strstr(msg, "not proper UTF-8")) {
        const char *bytes = strstr(msg, "Bytes:");
        char *m = xasprintf("the text is not valid UTF-8%s%s%s: save the file as UTF-8",
                            bytes ? " (" : "", bytes ? bytes + 7 : "", bytes ? ")" : "");
        free(msg);
        return m;
    }
    char *m = xasprintf("malformed XML: %s", msg);
    free(msg);
    return m;
}

/* Report what the parser found: a cut-short file as one error; otherwise
 * each mistake up to the first that derails the parser, whose echoes
 * would only mislead. */
static void report_parse_errors(load_ctx *c)
{
    if (!c->nperr)
        return;
    if (truncated(c)) {
        char *root = root_name(c->data, c->len);
        int line, col;
        position_of(c->data, c->len, content_end(c->data, c->len), &line, &col);
        if (root)
            diag_add(c->diags, DIAG_ERROR, c->file, line, col, NULL,
                     "the file ends before </%s>: was it saved completely?", root);
        else
            diag_add(c->diags, DIAG_ERROR, c->file, line, col, NULL,
                     "the file ends early: was it saved completely?");
        free(root);
        c->errors = 1;
        return;
    }
    int shown = 0;
    for (int i = 0; i < c->nperr && shown < MAX_SHOWN; i++) {
        const parse_error *e = &c->perr[i];
        size_t off = offset_of(c->data, c->len, e->line, e->col);
        bool alone;
        char *msg = parse_advice(c, e, &off, &alone);
        int line, col;
        position_of(c->data, c->len, off, &line, &col);
        if (line != e->line) {   /* libxml2 placed it past the line's end */
            line = e->line;
            col = e->col;
        }
        diag_add(c->diags, DIAG_ERROR, c->file, line, col, NULL, "%s", msg);
        free(msg);
        shown++;
        if (!alone)
            break;
    }
    c->errors = shown;
}

static void on_error(void *user, xmlErrorPtr err)
{
    load_ctx *c = user;
    if (err->level == XML_ERR_WARNING)
        return;
    if (err->domain != XML_FROM_SCHEMASV) {
        keep_parse_error(c, err);
        return;
    }
    c->errors++;
    if (c->errors > MAX_SHOWN)
        return;
    char *attr = NULL;
    char *msg = translate_validity(c, err->message ? err->message : "", (xmlNodePtr)err->node,
                                   &attr);
    int line = err->line;
    int col = 1;
    if (err->node)
        col = xmlload_where(c->data, c->len, (xmlNodePtr)err->node, attr, &line);
    diag_add(c->diags, DIAG_ERROR, c->file, line > 0 ? line : 1, col, NULL, "%s", msg);
    free(msg);
    free(attr);
}

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const char *name;
    xmlSchemaPtr schema;
} schemas[4];

static xmlSchemaPtr schema_get(const char *name)
{
    pthread_mutex_lock(&schema_lock);
    xmlSchemaPtr found = NULL;
    size_t i;
    for (i = 0; i < 4 && schemas[i].name; i++)
        if (strcmp(schemas[i].name, name) == 0)
            found = schemas[i].schema;
    if (!found && i < 4) {
        const embedded_file *f = embedded_find(name);
        if (f) {
            xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(f->data, (int)f->len);
            found = xmlSchemaParse(pc);
            xmlSchemaFreeParserCtxt(pc);
            schemas[i].name = name;
            schemas[i].schema = found;
        }
    }
    pthread_mutex_unlock(&schema_lock);
    return found;
}

void xmlload_prepare(const char *schema_name)
{
    schema_get(schema_name);
}

static int find_doctype(const char *data, size_t len)
{
    static const char tag[] = "<!DOCTYPE";
    int line = 1;
    for (size_t i = 0; i + sizeof tag - 1 <= len; i++) {
        if (data[i] == '\n')
            line++;
        else if (data[i] == '<' && memcmp(data + i, tag, sizeof tag - 1) == 0)
            return line;
    }
    return 0;
}

/* Files with a byte-order mark other than UTF-8's are converted by libxml2,
 * and offsets into the converted text are not offsets into DATA. */
static bool plain_utf8(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return false;
    return !memchr(data, '\0', len);
}

/* aupc reads only the file it is given: an XInclude element is refused
 * with advice, before the schema would call it an unexpected element. The
 * walk follows sibling and parent links, so it needs no stack. */
static void refuse_xinclude(load_ctx *c, xmlDocPtr doc)
{
    xmlNodePtr n = xmlDocGetRootElement(doc);
    while (n) {
        if (n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
            (!strcmp((const char *)n->ns->href, "http://www.w3.org/2001/XInclude") ||
             !strcmp((const char *)n->ns->href, "http://www.w3.org/2003/XInclude"))) {
            int line = n->line;
            int col = xmlload_where(c->data, c->len, n, NULL, &line);
            if (++c->errors <= MAX_SHOWN)
                diag_add(c->diags, DIAG_ERROR, c->file, line > 0 ? line : 1, col, NULL,
                         "<%s> (XInclude) is not followed: aupc reads only the file it is "
                         "given, so write what it would include into %s itself",
                         n->name, c->library ? "the library file" : "the profile");
        } else if (n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
        if (n)
            n = n->next;
    }
}

static void validate(load_ctx *c, xmlDocPtr doc, const char *schema_name)
{
    xmlSchemaPtr schema = schema_get(schema_name);
    xmlSchemaValidCtxtPtr v = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
    if (!v) {
        diag_add(c->diags, DIAG_ERROR, c->file, 0, 0, NULL, "internal error: schema %s unusable",
                 schema_name);
        c->errors++;
        return;
    }
    xmlSchemaSetValidStructuredErrors(v, on_error, c);
    if (xmlSchemaValidateDoc(v, doc) != 0 && c->errors == 0) {
        diag_add(c->diags, DIAG_ERROR, c->file, 1, 1, NULL, "the file does not match %s",
                 schema_name);
        c->errors++;
    }
    xmlSchemaFreeValidCtxt(v);
}

xmlDocPtr xmlload_parse(const char *file, const char *data, size_t len,
                        const char *schema_name, diag_list *diags)
{
    load_ctx c = {.file = file, .data = data, .len = len, .diags = diags,
                  .library = schema_name && strstr(schema_name, "library")};
    if (len == 0) {
        diag_add(diags, DIAG_ERROR, file, 1, 1, NULL, "the file is empty");
        return NULL;
    }
    if (memchr(data, '\0', len) && !(len >= 2 && ((unsigned char)data[0] == 0xFF ||
                                                  (unsigned char)data[0] == 0xFE ||
                                                  data[0] == '\0'))) {
        diag_add(diags, DIAG_ERROR, file, 1, 1, NULL,
                 "the file holds NUL bytes: it is not a text XML file");
        return NULL;
    }
    /* Entities are the door to every XML bomb and file read; profiles never need them. */
    int dl = find_doctype(data, len);
    if (dl) {
        diag_add(diags, DIAG_ERROR, file, dl, xmlload_column(data, len, dl, "<!DOCTYPE"), NULL,
                 "a DOCTYPE is not allowed: remove it (aupc reads no DTDs or entities)");
        return NULL;
    }
    xmlSetStructuredErrorFunc(&c, on_error);
    xmlParserCtxtPtr pctx = xmlCreateMemoryParserCtxt(data, (int)len);
    if (!pctx) {
        xmlSetStructuredErrorFunc(NULL, NULL);
        diag_add(diags, DIAG_ERROR, file, 0, 0, NULL, "out of memory");
        return NULL;
    }
    xmlCtxtUseOptions(pctx, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS);
    c.offsets = plain_utf8(data, len);
    pctx->_private = &c;
    pctx->sax->startElementNs = on_start_element;
    xmlParseDocument(pctx);
    xmlDocPtr doc = pctx->myDoc;
    if (!pctx->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    pctx->myDoc = NULL;
    xmlFreeParserCtxt(pctx);
    report_parse_errors(&c);
    free_parse_errors(&c);
    if (doc)
        refuse_xinclude(&c, doc);
    if (doc && c.errors == 0 && schema_name)
        validate(&c, doc, schema_name);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (c.errors > MAX_SHOWN)
        diag_add(diags, DIAG_NOTE, file, 0, 0, NULL, "%d more errors not shown",
                 c.errors - MAX_SHOWN);
    if (c.errors || !doc) {
        if (!c.errors)
            diag_add(diags, DIAG_ERROR, file, 1, 1, NULL, "unreadable XML");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* White space collapsed and trimmed, as the schema's xs:token does before
 * it checks a value: what passed validation is what the model holds. */
static char *collapse(const char *s)
{
    /* never longer than S: written in place, not a byte at a time through a strbuf */
    char *out = xmalloc(strlen(s) + 1);
    size_t k = 0;
    int space = 0;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = *s;
    }
    out[k] = '\0';
    return out;
}

char *xmlload_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

char *xmlload_token(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = collapse((const char *)v);
    xmlFree(v);
    return s;
}

char *xmlload_text(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = collapse(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

int xmlload_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}
