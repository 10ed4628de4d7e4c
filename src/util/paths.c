#include "util/paths.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/io.h"

void paths_add(path_list *l, char *path)
{
    l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = path;
}

void paths_free(path_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    *l = (path_list){0};
}

const char *paths_clean(const char *p)
{
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/')
            p++;
    }
    return p;
}

bool paths_is_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* The folder name at *P, advancing past it and its slashes. */
static size_t next_name(const char **p, char *buf, size_t cap)
{
    const char *s = *p;
    size_t n = strcspn(s, "/");
    size_t k = n < cap - 1 ? n : cap - 1;
    memcpy(buf, s, k);
    buf[k] = '\0';
    s += n;
    while (*s == '/')
        s++;
    *p = s;
    return n;
}

static bool match_from(const char *pat, const char *path)
{
    if (!*pat)
        return !*path;
    char pname[256], name[256];
    const char *prest = pat;
    next_name(&prest, pname, sizeof pname);
    if (!strcmp(pname, "**")) {
        /* any number of folders, none included */
        for (const char *p = path;;) {
            if (match_from(prest, p))
                return true;
            if (!*p)
                return false;
            next_name(&p, name, sizeof name);
        }
    }
    if (!*path)
        return false;
    const char *rest = path;
    next_name(&rest, name, sizeof name);
    if (fnmatch(pname, name, 0) != 0)
        return false;
    /* "dir/" at the end of a pattern is everything below dir */
    if (!*prest && prest > pat && prest[-1] == '/')
        return true;
    return match_from(prest, rest);
}

bool paths_match(const char *pattern, const char *path)
{
    return match_from(paths_clean(pattern), paths_clean(path));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *ext)
{
    size_t n = strlen(s), e = strlen(ext);
    return n > e && !strcmp(s + n - e, ext);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (!strcmp(dir, "."))
        return xstrdup(name);
    return xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

/* DEPTH bounds a walk through bind mounts or a very deep tree. */
static int walk(const char *dir, const char *ext, bool recurse, int depth, path_list *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno;
    path_list here = {0}, below = {0};
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char *p = join(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && recurse && depth < 64) {
            paths_add(&below, p);
            continue;
        }
        /* a link to a file is the file; a link to a folder is not walked */
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && (!ext || ends_with(e->d_name, ext)))
            paths_add(&here, p);
        else
            free(p);
    }
    closedir(d);
    /* qsort with a null base is undefined even for zero items */
    if (here.count)
        qsort(here.items, here.count, sizeof *here.items, cmp_str);
    if (below.count)
        qsort(below.items, below.count, sizeof *below.items, cmp_str);
    for (size_t i = 0; i < here.count; i++)
        paths_add(out, here.items[i]);
    free(here.items);
    for (size_t i = 0; i < below.count; i++)
        walk(below.items[i], ext, recurse, depth + 1, out);
    paths_free(&below);
    return 0;
}

int paths_walk(const char *dir, const char *ext, bool recurse, path_list *out)
{
    return walk(dir, ext, recurse, 0, out);
}

int paths_glob(const char *pattern, path_list *out)
{
    const char *pat = paths_clean(pattern);
    const char *g = strpbrk(pat, "*?[");
    if (!g)
        g = pat + strlen(pat);
    /* the folder before the first glob character */
    const char *slash = g;
    while (slash > pat && slash[-1] != '/')
        slash--;
    char *base = slash > pat ? xstrndup(pat, (size_t)(slash - pat - 1)) : xstrdup(".");
    if (!*base) {
        free(base);
        base = xstrdup("/");
    }
    path_list all = {0};
    int rc = paths_walk(base, NULL, strstr(pat, "**") || strchr(g, '/'), &all);
    for (size_t i = 0; i < all.count; i++) {
        if (paths_match(pat, all.items[i])) {
            paths_add(out, all.items[i]);
            all.items[i] = NULL;
        }
    }
    paths_free(&all);
    free(base);
    return rc;
}
