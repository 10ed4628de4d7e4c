#include "util/suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/io.h"

/* Optimal string alignment distance, case-insensitive; names are short. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

const char *suggest_nearest(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word), limit = len / 3 > 1 ? len / 3 : 1, best = (size_t)-1;
    const char *pick = NULL;
    /* a name cut short ("warn", "sec") is a slip too */
    for (size_t i = 0; len >= 3 && i < n; i++)
        if (!strncasecmp(cands[i], word, len) && strlen(cands[i]) > len)
            return cands[i];
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, cands[i]);
        if (d <= limit && d < best && d < strlen(cands[i])) {
            best = d;
            pick = cands[i];
        }
    }
    return pick;
}

char *suggest_in_list(const char *word, const char *list)
{
    char *copy = xstrdup(list ? list : "");
    const char *names[128];
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, ", ", &save); t && n < 128; t = strtok_r(NULL, ", ", &save))
        if (strcmp(t, "or") != 0)
            names[n++] = t;
    const char *pick = suggest_nearest(word, names, n);
    char *r = pick ? xstrdup(pick) : NULL;
    free(copy);
    return r;
}
