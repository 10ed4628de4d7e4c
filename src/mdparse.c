#include "mdparse.h"

#include <stdbool.h>
#include <string.h>

#include "util/par.h"

/* ------------------------------------------------------------------ */
/* Before parsing */

typedef struct {
    const char *s;
    size_t n;
} line_span;

/* Does L from P on hold a thematic break of C ('-' or '*'): nothing but C
 * and blanks, with at least three C? Looked at from the end, so an
 * ordinary line ("- text.") costs a byte or two. */
static bool break_from(line_span l, size_t p, char c)
{
    size_t count = 0;
    for (size_t i = l.n; i > p; i--) {
        char x = l.s[i - 1];
        if (x == c)
            count++;
        else if (x != ' ' && x != '\t' && x != '\r')
            return false;
    }
    return count >= 3;
}

/* Length of a list marker at P in L ("- ", "12. "), without the space
 * after it; 0 when there is none. */
static size_t list_marker(line_span l, size_t p)
{
    size_t q = p;
    if (q < l.n && (l.s[q] == '-' || l.s[q] == '+' || l.s[q] == '*')) {
        q++;
    } else {
        while (q < l.n && q - p < 9 && l.s[q] >= '0' && l.s[q] <= '9')
            q++;
        if (q == p || q >= l.n || (l.s[q] != '.' && l.s[q] != ')'))
            return 0;
        q++;
    }
    if (q < l.n && l.s[q] != ' ' && l.s[q] != '\t' && l.s[q] != '\r')
        return 0;
    return q - p;
}

/* An upper bound on how deep the containers reach on a line that opens
 * one: every block quote still open needs its '>' on the line, every list
 * item still open its marker on the line or at least two columns of
 * indentation, and each marker on the line opens one more. Lines opening
 * nothing cannot be deeper than the deepest line before them. */
static int prefix_depth(line_span l)
{
    size_t cols = 0, p = 0;
    int markers = 0, deepest = 0;
    for (;;) {
        while (p < l.n && (l.s[p] == ' ' || l.s[p] == '\t'))
            cols += l.s[p++] == '\t' ? 4 : 1;
        if (p >= l.n)
            break;
        size_t m;
        if (l.s[p] == '>') {
            m = 1;
        } else if ((m = list_marker(l, p)) != 0) {
            /* "- - -" and "* * *" are rules, not lists. */
            if ((l.s[p] == '-' || l.s[p] == '*') && break_from(l, p, l.s[p]))
                break;
        } else {
            break;
        }
        markers++;
        int d = markers + (int)(cols / 2);
        if (d > deepest)
            deepest = d;
        /* The space after a marker is the marker's own, not indentation
         * that continues an item above: one after '>', up to four after a
         * list marker. */
        bool quote = l.s[p] == '>';
        p += m;
        for (size_t k = 0; k < (quote ? 1u : 4u) && p < l.n && (l.s[p] == ' ' || l.s[p] == '\t');
             k++)
            p++;
    }
    return deepest;
}

static int refuse_depth(const char *file, int lineno, diag_list *diags)
{
    diag_add(diags, DIAG_ERROR, file, lineno, 1, MD_RULE,
             "nested more than %d levels deep at line %d: block quotes and lists inside one "
             "another go %d deep at most in Markdown aupc reads; flatten them",
             MD_MAX_DEPTH, lineno, MD_MAX_DEPTH);
    return -1;
}

static int refuse_brackets(const char *file, int lineno, int para_line, diag_list *diags)
{
    diag_add(diags, DIAG_ERROR, file, lineno, 1, MD_RULE,
             "more than %d '[' left open in the paragraph that starts at line %d: close each "
             "link or image with ']', or escape a bracket as '\\['",
             MD_MAX_OPEN_BRACKETS, para_line);
    return -1;
}

static int refuse_angles(const char *file, int lineno, int para_line, diag_list *diags)
{
    diag_add(diags, DIAG_ERROR, file, lineno, 1, MD_RULE,
             "more than %d '<' in the paragraph that starts at line %d: a '<' that opens no "
             "tag or comment is read character by character; close each comment with '-->', "
             "or escape a '<' as '\\<'",
             MD_MAX_ANGLES, para_line);
    return -1;
}

/* Does the line at P (past its indentation) open an HTML block or code,
 * whose '<' cmark does not read as inlines? A tag or comment start ('<'
 * and a letter, '/', '!' or '?'), a code fence, or indented code. */
static bool raw_start(const char *text, size_t p, size_t q, size_t len)
{
    if (q - p >= 4)
        return true;
    if (q + 2 < len && (!strncmp(text + q, "```", 3) || !strncmp(text + q, "~~~", 3)))
        return true;
    if (q + 1 >= len || text[q] != '<')
        return false;
    char c = text[q + 1];
    if (c == '/' && q + 2 < len)
        c = text[q + 2];
    else if (c == '!' || c == '?')
        return true;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int precheck_from(const char *file, int first, const char *text, size_t len,
                         diag_list *diags)
{
    /* One pass over the bytes: at each line start, the container prefix
     * (only when the line starts with a marker character), then the
     * brackets up to the end of the line. */
    static const char markers[] = ">-+*0123456789";
    static const bool special[256] = {['['] = true, [']'] = true, ['\\'] = true, ['\n'] = true,
                                      ['<'] = true};
    size_t open = 0, angles = 0;
    int lineno = first - 1, para_line = first, block_line = 0;
    bool raw = false;   /* the block is HTML or code: its '<' are not counted */
    for (size_t p = 0; p < len;) {
        lineno++;
        size_t q = p;
        while (q < len && (text[q] == ' ' || text[q] == '\t'))
            q++;
        if (q >= len || text[q] == '\n' || text[q] == '\r') {
            open = angles = 0;     /* a blank line ends the paragraph */
            block_line = 0;
            const char *nl = memchr(text + q, '\n', len - q);
            p = nl ? (size_t)(nl - text) + 1 : len;
            continue;
        }
        if (open == 0)
            para_line = lineno;
        if (!block_line) {
            block_line = lineno;
            raw = raw_start(text, p, q, len);
        }
        if (strchr(markers, text[q])) {
            const char *nl = memchr(text + q, '\n', len - q);
            line_span l = {text + p, nl ? (size_t)(nl - (text + p)) : len - p};
            if (prefix_depth(l) > MD_MAX_DEPTH)
                return refuse_depth(file, lineno, diags);
        }
        for (; q < len; q++) {
            char c = text[q];
            if (!special[(unsigned char)c])
                continue;
            if (c == '\n')
                break;
            if (c == '\\')
                q += q + 1 < len && text[q + 1] != '\n';
            else if (c == '[' && ++open > MD_MAX_OPEN_BRACKETS)
                return refuse_brackets(file, lineno, para_line, diags);
            else if (c == ']' && open > 0)
                open--;
            else if (c == '<' && !raw && (q == 0 || text[q - 1] != '(') &&
                     ++angles > MD_MAX_ANGLES)
                return refuse_angles(file, lineno, block_line, diags);
        }
        p = q + 1;
    }
    return 0;
}

int md_precheck(const char *file, const char *text, size_t len, diag_list *diags)
{
    return precheck_from(file, 1, text, len, diags);
}

/* ------------------------------------------------------------------ */
/* After parsing */

static bool nests(cmark_node_type t)
{
    switch (t) {
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_ITEM:
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        return true;
    default:
        return false;
    }
}

int md_depth(cmark_node *root, int *line)
{
    *line = 0;
    int depth = 0, deepest = 0, at = 1;
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (!nests(cmark_node_get_type(n))) {
            /* Inlines carry no line in cmark 0.30: they take their block's. */
            if (ev == CMARK_EVENT_ENTER && cmark_node_get_start_line(n) > 0)
                at = cmark_node_get_start_line(n);
            continue;
        }
        if (ev == CMARK_EVENT_EXIT) {
            depth--;
            continue;
        }
        if (cmark_node_get_start_line(n) > 0)
            at = cmark_node_get_start_line(n);
        if (++depth > deepest) {
            deepest = depth;
            if (deepest == MD_MAX_DEPTH + 1)
                *line = at;
        }
    }
    cmark_iter_free(it);
    return deepest;
}

static void refuse_nesting(const char *file, int line, diag_list *diags)
{
    diag_add(diags, DIAG_ERROR, file, line, 1, MD_RULE,
             "nested more than %d levels deep at line %d: block quotes, lists, emphasis "
             "and links inside one another go %d deep at most in Markdown aupc reads; "
             "flatten them",
             MD_MAX_DEPTH, line, MD_MAX_DEPTH);
}

cmark_node *md_parse_from(const char *file, int first, const char *text, size_t len,
                          int options, diag_list *diags)
{
    if (precheck_from(file, first, text, len, diags) != 0)
        return NULL;
    cmark_node *root = cmark_parse_document(text, len, options);
    int line;
    if (md_depth(root, &line) > MD_MAX_DEPTH) {
        refuse_nesting(file, line + first - 1, diags);
        cmark_node_free(root);
        return NULL;
    }
    return root;
}

cmark_node *md_parse(const char *file, const char *text, size_t len, int options,
                     diag_list *diags)
{
    return md_parse_from(file, 1, text, len, options, diags);
}

/* ------------------------------------------------------------------ */
/* A long draft in two halves at once */

/* Is the line at S (N bytes to the end) an ATX heading: 1 to 6 '#' and a
 * blank or the end? */
static bool atx_at(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && k < 7 && s[k] == '#')
        k++;
    return k >= 1 && k <= 6 &&
           (k == n || s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r');
}

/* Is the line that ends just before S (a line start) blank, and not the
 * first line? */
static bool blank_before(const char *text, size_t s)
{
    size_t i = s - 1;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\r'))
        i--;
    return i > 0 && text[i - 1] == '\n';
}

/* The first seam in TEXT[FROM, TO), or 0. */
static size_t seam_in(const char *text, size_t len, size_t from, size_t to)
{
    for (const char *p = text + from; (p = memchr(p, '\n', (size_t)(text + to - p))) != NULL;) {
        size_t s = (size_t)(++p - text);
        if (s < len && text[s] == '#' && atx_at(text + s, len - s) && blank_before(text, s))
            return s;
        if (s >= to)
            break;
    }
    return 0;
}

/* Could TEXT hold a link reference definition ("]:")? */
static bool may_define_links(const char *text, size_t len)
{
    const char *end = text + len;
    for (const char *p = text; (p = memchr(p, ']', (size_t)(end - p))) != NULL; p++)
        if (p + 1 < end && p[1] == ':')
            return true;
    return false;
}

size_t md_seam(const char *text, size_t len)
{
    /* a link reference definition anywhere serves links anywhere: no seam */
    if (len < 4 || may_define_links(text, len))
        return 0;
    size_t s = seam_in(text, len, len / 2, len - len / 8);
    return s ? s : seam_in(text, len, len / 8, len / 2);
}

typedef struct {
    const char *file, *text;
    size_t len;
    int first;          /* the line of the draft TEXT starts on */
    int options;
    cmark_node *root;
    diag_list pre;      /* the check before parsing refused it */
    int deep_line;      /* where it nests too deep, or 0 */
} md_part;

/* Blank lines in front of a part make cmark number its lines as the
 * draft's (cmark has no way to set a first line), and add no node. */
static void parse_part(void *arg)
{
    md_part *p = arg;
    if (precheck_from(p->file, p->first, p->text, p->len, &p->pre) != 0)
        return;
    char blanks[1024];
    memset(blanks, '\n', sizeof blanks);
    cmark_parser *cp = cmark_parser_new(p->options);
    for (int left = p->first - 1, k; left > 0; left -= k) {
        k = left < (int)sizeof blanks ? left : (int)sizeof blanks;
        cmark_parser_feed(cp, blanks, (size_t)k);
    }
    cmark_parser_feed(cp, p->text, p->len);
    p->root = cmark_parser_finish(cp);
    cmark_parser_free(cp);
    int line;
    if (md_depth(p->root, &line) > MD_MAX_DEPTH)
        p->deep_line = line;
}

/* Did the first part end with every block closed, as the heading after the
 * seam closes them in the whole draft? Its last block, and the last block
 * of each container on the way down, must not be code or HTML, which a
 * heading does not end (a fence left open, a comment left open). */
static bool closed_at_end(cmark_node *root)
{
    for (cmark_node *n = cmark_node_last_child(root); n; n = cmark_node_last_child(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
            return false;
    }
    return true;
}

/* The refusal the whole draft would give, in its order: the checks before
 * parsing come first, then the depth; within each, the first part's. */
static bool refuse_parts(const md_part *a, const md_part *b, diag_list *diags)
{
    const md_part *pre = a->pre.count ? a : b->pre.count ? b : NULL;
    if (pre) {
        const diag *d = &pre->pre.items[0];
        diag_add(diags, d->severity, d->file, d->line, d->col, d->rule, "%s", d->message);
        return true;
    }
    int deep = a->deep_line ? a->deep_line : b->deep_line;
    if (deep)
        refuse_nesting(a->file, deep, diags);
    return deep != 0;
}

/* The first part's blocks put in front of the second's: the second's root
 * already spans the whole draft, as the whole draft's would. */
static cmark_node *join_parts(cmark_node *a, cmark_node *b)
{
    for (cmark_node *n; (n = cmark_node_last_child(a)) != NULL;)
        cmark_node_prepend_child(b, n);
    cmark_node_free(a);
    return b;
}

static void free_part(md_part *p)
{
    if (p->root)
        cmark_node_free(p->root);
    diag_free(&p->pre);
}

cmark_node *md_parse_at(const char *file, const char *text, size_t len, int options,
                        diag_list *diags, size_t seam)
{
    int first = 1;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + seam - p))) != NULL; p++)
        first++;
    md_part a = {file, text, seam, 1, options, NULL, {0}, 0};
    md_part b = {file, text + seam, len - seam, first, options, NULL, {0}, 0};
    par_two(parse_part, &a, &b);
    cmark_node *root = NULL;
    if (a.root && !closed_at_end(a.root)) {
        free_part(&a);
        free_part(&b);
        return md_parse(file, text, len, options, diags);
    }
    if (!refuse_parts(&a, &b, diags)) {
        root = join_parts(a.root, b.root);
        a.root = b.root = NULL;
    }
    free_part(&a);
    free_part(&b);
    return root;
}

cmark_node *md_parse_draft(const char *file, const char *text, size_t len, int options,
                           diag_list *diags)
{
    size_t seam = len >= PAR_MIN_BYTES ? md_seam(text, len) : 0;
    return seam ? md_parse_at(file, text, len, options, diags, seam)
                : md_parse(file, text, len, options, diags);
}
