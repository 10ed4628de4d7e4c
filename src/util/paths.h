/* util/paths: the files a command line or a config names. Glob patterns
 * with ** (any number of folders), *, ? and [...], matched a folder at a
 * time, and folders walked for the files of one extension, in name order. */
#ifndef AUPC_UTIL_PATHS_H
#define AUPC_UTIL_PATHS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char **items;
    size_t count;
} path_list;

void paths_add(path_list *l, char *path);   /* takes PATH */
void paths_free(path_list *l);

/* PATH matches PATTERN: "*" and "?" stay inside one folder name, "**" as
 * a whole name stands for any number of folders (none included), and
 * "dir/" at the end matches everything below dir. Both relative, "/"
 * separated; a leading "./" is ignored on either. */
bool paths_match(const char *pattern, const char *path);
/* Whether S holds a glob character. */
bool paths_is_glob(const char *s);
/* Add to OUT the regular files under DIR whose names end in EXT (".md"),
 * in name order: only DIR itself unless RECURSE. Hidden files and folders
 * are skipped, and symbolic links to folders are not followed, so a loop
 * cannot trap the walk. 0 or an errno. */
int paths_walk(const char *dir, const char *ext, bool recurse, path_list *out);
/* Add to OUT the regular files that match PATTERN, in name order: the walk
 * starts at the folder before the first glob character. 0 or an errno. */
int paths_glob(const char *pattern, path_list *out);
/* P without a leading "./" (any number of them). */
const char *paths_clean(const char *p);

#endif
