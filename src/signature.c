#include "signature.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/io.h"

bool signature_has_word(const char *s, const char *word)
{
    for (size_t n = strlen(word); *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

/* The next blank to write on in S. Returns its start, or NULL; *LEN gets
 * its length. */
static const char *find_blank(const char *s, size_t *len)
{
    for (; *s; s++) {
        const char *e = s;
        int ell = 0;
        while (strncmp(e, "\xE2\x80\xA6", 3) == 0)
            e += 3, ell++;
        size_t under = strspn(s, "_"), dots = strspn(s, ".");
        *len = under >= 3 ? under : dots >= 5 ? dots : ell >= 2 ? (size_t)(e - s) : 0;
        if (*len)
            return s;
    }
    return NULL;
}

static void add_field(signature_field *f, const char *a, const char *b)
{
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == ':' || b[-1] == '\t'))
        b--;
    f->label = xstrndup(a, (size_t)(b - a));
    f->weight = signature_has_word(f->label, "date") ? 1 : 2;
}

size_t signature_fields(const char *s, signature_field *out, size_t max)
{
    size_t n = 0, len;
    const char *u;
    while (n < max && (u = find_blank(s, &len)) != NULL) {
        add_field(&out[n++], s, u);
        s = u + len;
    }
    size_t rest = strlen(s);
    while (rest > 0 && s[rest - 1] == ' ')
        rest--;
    if (n == 0 && max > 0 && rest > 0 && rest < 40 && s[rest - 1] == ':')
        add_field(&out[n++], s, s + rest);
    return n;
}

void signature_fields_free(signature_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].label);
}
