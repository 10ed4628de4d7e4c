#include "audience.h"

#include <stdio.h>
#include <string.h>

#include "util/io.h"

static const audience_kind_info kinds[] = {
    [AUD_PUPIL] = {
        .name = "pupil", .devices_attr = "pupils", .devices_default = "banned",
        .devices_required = true,
        .plural = "pupils", .plain_plural = "children", .signature_name = "Name",
        .adult = false, .agreement = AGREEMENT_PART, .default_row = AUDIENCE_PUPIL_KS3_4,
    },
    [AUD_STAFF] = {
        .name = "staff", .devices_attr = "staff", .devices_default = "approved-use",
        .devices_required = true,
        .plural = "staff", .plain_plural = "staff", .signature_name = "Name",
        .adult = true, .workforce = true, .default_row = AUDIENCE_STAFF,
    },
    [AUD_PARENT] = {
        .name = "parent", .devices_attr = "parents", .devices_default = "approved-use",
        .plural = "parents and carers", .plain_plural = "parents and carers",
        .signature_name = "Parent or carer name", .adult = true, .own_cameras = true,
        .agreement = AGREEMENT_COVER,
        .default_row = AUDIENCE_PARENT,
    },
    [AUD_COMMUNITY] = {
        .name = "community", .devices_attr = "community", .devices_default = "approved-use",
        .plural = "community users", .plain_plural = "visitors", .signature_name = "Name",
        .adult = true, .own_cameras = true, .default_row = AUDIENCE_COMMUNITY,
    },
};
_Static_assert(sizeof kinds / sizeof kinds[0] == AUD_KIND_COUNT, "one row per audience kind");

#define EASY_TITLE_YOUNG "My rules for using computers and phones"
#define EASY_TITLE "Rules for using computers and phones"

static const audience_info rows[] = {
    [AUDIENCE_PUPIL_EARLY] = {
        .id = "pupil-early", .kind = AUD_PUPIL, .band = BAND_EARLY, .band_name = "early",
        .label = "Pupils in the early years and Key Stage 1",
        .label_youth = "Children up to age 7",
        .title = "My rules for using technology", .title_youth = "My rules for using technology",
        .easy_title = EASY_TITLE_YOUNG, .template_name = "templates/pupil-early.md",
        .young = true, .on_poster = true, .voice = VOICE_FIRST_PERSON,
        .ages_from = 0, .ages_below = 7,
        .about = "Children in the early years foundation stage and Key Stage 1, up to about "
                 "age 7: a few short \"I will\" sentences.",
    },
    [AUDIENCE_PUPIL_KS2] = {
        .id = "pupil-ks2", .kind = AUD_PUPIL, .band = BAND_KS2, .band_name = "ks2",
        .label = "Pupils in Key Stage 2", .label_youth = "Children aged 7 to 11",
        .title = "My agreement for using technology",
        .title_youth = "My agreement for using technology",
        .easy_title = EASY_TITLE_YOUNG, .template_name = "templates/pupil-young.md",
        .young = true, .on_poster = true, .voice = VOICE_FIRST_PERSON,
        .ages_from = 7, .ages_below = 11,
        .about = "Pupils in Key Stage 2, about ages 7 to 11.",
    },
    [AUDIENCE_PUPIL_KS3_4] = {
        .id = "pupil-ks3-4", .kind = AUD_PUPIL, .band = BAND_KS3_4, .band_name = "ks3-4",
        .label = "Pupils in Key Stages 3 and 4", .label_youth = "Young people aged 11 to 16",
        .title = "Acceptable use policy for pupils",
        .title_youth = "Acceptable use policy for young people",
        .easy_title = EASY_TITLE_YOUNG, .template_name = "templates/pupil.md",
        .on_poster = true, .voice = VOICE_SECOND_PERSON, .ages_from = 11, .ages_below = 16,
        .about = "Pupils in Key Stages 3 and 4, about ages 11 to 16.",
    },
    [AUDIENCE_PUPIL_POST16] = {
        .id = "pupil-post16", .kind = AUD_PUPIL, .band = BAND_POST16, .band_name = "post16",
        .label = "Students aged 16 to 19", .label_youth = "Young people aged 16 to 19",
        .title = "Acceptable use policy for students",
        .title_youth = "Acceptable use policy for young adults",
        .easy_title = EASY_TITLE_YOUNG, .template_name = "templates/pupil.md",
        .own_devices = "post-16 pupils", .on_poster = true, .voice = VOICE_SECOND_PERSON,
        .ages_from = 16, .ages_below = 26,
        .about = "Students aged 16 to 19, in a sixth form or a college.",
    },
    [AUDIENCE_STAFF] = {
        .id = "staff", .kind = AUD_STAFF,
        .label = "Staff, volunteers and governors",
        .label_youth = "Staff and volunteers",
        .title = "Acceptable use policy for staff, volunteers and governors",
        .title_youth = "Acceptable use policy for staff and volunteers",
        .easy_title = EASY_TITLE, .template_name = "templates/staff.md",
        .voice = VOICE_SECOND_PERSON,
        .about = "Staff, volunteers and governors: everyone who works for the setting or on "
                 "its behalf.",
    },
    [AUDIENCE_PARENT] = {
        .id = "parent", .kind = AUD_PARENT,
        .label = "Parents and carers", .label_youth = "Parents and carers",
        .title = "Acceptable use policy for parents and carers",
        .title_youth = "Acceptable use policy for parents and carers",
        .easy_title = EASY_TITLE, .template_name = "templates/parent.md",
        .voice = VOICE_SECOND_PERSON,
        .about = "Parents and carers of the children and young people.",
    },
    [AUDIENCE_COMMUNITY] = {
        .id = "community", .kind = AUD_COMMUNITY,
        .label = "Visitors and community users", .label_youth = "Visitors and community users",
        .title = "Acceptable use policy for visitors and guests",
        .title_youth = "Acceptable use policy for visitors and guests",
        .easy_title = EASY_TITLE, .template_name = "templates/community.md",
        .voice = VOICE_SECOND_PERSON,
        .about = "Visitors, guests and members of the community who use the setting's wifi, "
                 "devices or services.",
    },
};
_Static_assert(sizeof rows / sizeof rows[0] == AUDIENCE_COUNT, "one row per audience");

const audience_kind_info *audience_kind_at(audience_kind k)
{
    return &kinds[k];
}

const audience_info *audience_at(audience_row r)
{
    return &rows[r];
}

const audience_info *audience_for(audience_kind kind, pupil_band band)
{
    for (size_t r = 0; r < AUDIENCE_COUNT; r++)
        if (rows[r].kind == kind && rows[r].band == band)
            return &rows[r];
    return &rows[kinds[kind].default_row];
}

/* The length of ID without "-easy"; *EASY says whether it had one. */
static size_t strip_easy(const char *id, bool *easy)
{
    size_t n = strlen(id), s = strlen(AUDIENCE_EASY_SUFFIX);
    bool e = n > s && !strcmp(id + n - s, AUDIENCE_EASY_SUFFIX);
    if (easy)
        *easy = e;
    return e ? n - s : n;
}

static bool same(const char *name, const char *s, size_t n)
{
    return strlen(name) == n && !strncmp(name, s, n);
}

const audience_info *audience_find(const char *id, bool *easy)
{
    if (!id)
        return NULL;
    size_t n = strip_easy(id, easy);
    for (size_t r = 0; r < AUDIENCE_COUNT; r++)
        if (same(rows[r].id, id, n))
            return &rows[r];
    return NULL;
}

int audience_kind_find(const char *name)
{
    for (int k = 0; name && k < AUD_KIND_COUNT; k++)
        if (!strcmp(kinds[k].name, name))
            return k;
    return -1;
}

int audience_band_find(const char *name)
{
    for (size_t r = 0; name && r < AUDIENCE_COUNT; r++)
        if (rows[r].band_name && !strcmp(rows[r].band_name, name))
            return (int)rows[r].band;
    return -1;
}

int audience_kind_of(const char *id)
{
    const audience_info *a = audience_find(id, NULL);
    if (a)
        return (int)a->kind;
    size_t n = id ? strip_easy(id, NULL) : 0;
    for (int k = 0; k < AUD_KIND_COUNT; k++)
        if (same(kinds[k].name, id, n))
            return k;
    return -1;
}

bool audience_known(const char *id, bool kind_alone)
{
    return kind_alone ? audience_kind_of(id) >= 0 : audience_find(id, NULL) != NULL;
}

void audience_make_id(audience_row r, bool easy, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", rows[r].id, easy ? AUDIENCE_EASY_SUFFIX : "");
}

static bool kind_banded(audience_kind k)
{
    for (size_t r = 0; r < AUDIENCE_COUNT; r++)
        if (rows[r].kind == k && rows[r].band_name)
            return true;
    return false;
}

/* Names joined by SEP, with LAST before the final one. */
typedef struct {
    const char *names[2 * AUDIENCE_COUNT + AUD_KIND_COUNT];
    size_t n;
} name_list;

static char *join(const name_list *l, const char *sep, const char *last)
{
    strbuf b = {0};
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            sb_puts(&b, i + 1 == l->n ? last : sep);
        sb_puts(&b, l->names[i]);
    }
    return b.data ? b.data : xstrdup("");
}

char *audience_list(audience_list_what what, const char *sep, const char *last)
{
    name_list l = {.n = 0};
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        bool banded = kind_banded((audience_kind)k);
        if (what == AUDIENCE_LIST_READERS && banded)
            l.names[l.n++] = kinds[k].name;
        if (what == AUDIENCE_LIST_KINDS || (what == AUDIENCE_LIST_UNBANDED_KINDS && !banded)) {
            l.names[l.n++] = kinds[k].name;
            continue;
        }
        for (size_t r = 0; r < AUDIENCE_COUNT; r++) {
            if (rows[r].kind != (audience_kind)k)
                continue;
            if (what == AUDIENCE_LIST_BANDS && rows[r].band_name)
                l.names[l.n++] = rows[r].band_name;
            else if (what == AUDIENCE_LIST_IDS || what == AUDIENCE_LIST_READERS)
                l.names[l.n++] = rows[r].id;
        }
    }
    return join(&l, sep, last);
}
