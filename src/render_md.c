#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "util/io.h"

char *render_md(const document *d)
{
    char approved[16], next[16];
    profile_date_iso(d->approved, approved, sizeof approved);
    profile_date_iso(d->next_review, next, sizeof next);
    char *body = cmark_render_commonmark(d->root, CMARK_OPT_DEFAULT, 0);
    strbuf b = {0};
    sb_printf(&b, "<!-- aupc: audience=%s approved=%s next-review=%s version=%s -->\n\n",
              d->audience_id, approved, next, d->version);
    sb_puts(&b, body);
    free(body);
    return b.data;
}
