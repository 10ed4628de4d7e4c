/* audience: the readers aupc writes for, as two tables. The kinds of reader
 * (pupil, staff, parent, community) hold what a profile says once per kind;
 * the audiences (one per pupil band, one per other kind) hold everything a
 * document for that reader needs. Every other module asks these tables
 * rather than testing kinds, so a new audience is a row in each (with its
 * place in schema/profile.xsd and its limits in statements/principles.xml,
 * which tests hold to the table; the manual's lists are made from it at build
 * time). Any audience may also be read in an easy-read version: its id with
 * "-easy". */
#ifndef AUPC_AUDIENCE_H
#define AUPC_AUDIENCE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { AUD_PUPIL, AUD_STAFF, AUD_PARENT, AUD_COMMUNITY, AUD_KIND_COUNT } audience_kind;

typedef enum { BAND_NONE, BAND_EARLY, BAND_KS2, BAND_KS3_4, BAND_POST16, BAND_COUNT } pupil_band;

typedef enum {
    AUDIENCE_PUPIL_EARLY, AUDIENCE_PUPIL_KS2, AUDIENCE_PUPIL_KS3_4, AUDIENCE_PUPIL_POST16,
    AUDIENCE_STAFF, AUDIENCE_PARENT, AUDIENCE_COMMUNITY, AUDIENCE_COUNT
} audience_row;

/* How the library's texts address the reader: "I will ..." or "You ...". */
typedef enum { VOICE_FIRST_PERSON, VOICE_SECOND_PERSON } audience_voice;

/* A kind's place in the home-school agreement: its cover (the parents'
 * policy) or one of its parts (each pupil document). */
typedef enum { AGREEMENT_NONE, AGREEMENT_COVER, AGREEMENT_PART } agreement_role;

typedef struct {
    const char *name;            /* "pupil": kind= of <audience>, audience= of <ladder>,
                                    <consulted> and <tell>; a reader in the library */
    const char *devices_attr;    /* "pupils": its attribute of <devices> */
    const char *devices_default; /* the policy when that attribute is absent */
    bool devices_required;       /* the attribute must be given (the schema says so) */
    const char *plural;          /* "pupils": "Personal devices, pupils" in a diff */
    const char *plain_plural;    /* "children": how plain text names them */
    const char *signature_name;  /* "Name": the first line of the signature block */
    const char *texts_from;      /* the kind whose library texts it reads where a statement
                                    has none for it, so a new kind of reader can start before
                                    the library speaks to it; NULL: none */
    bool adult;                  /* adults: full contact details, the review in full */
    bool workforce;              /* works for the setting: colleagues' contacts, and the
                                    incident flowchart and contacts map */
    bool own_cameras;            /* the setting lends these readers no device to carry: a
                                    photograph or film they take is on one of their own, so
                                    lint reads a draft's rules on images as personal-device
                                    rules */
    agreement_role agreement;
    audience_row default_row;    /* the audience a bare kind stands for ("pupil" in lint) */
} audience_kind_info;

typedef struct {
    const char *id;              /* "pupil-ks2": file names, --audience, lint metadata */
    audience_kind kind;
    pupil_band band;
    const char *band_name;       /* "ks2": band= of <audience>; NULL for other kinds */
    const char *label;           /* "Pupils in Key Stage 2" */
    const char *label_youth;     /* the same where the setting is not a school */
    const char *title;           /* "My agreement for using technology" */
    const char *title_youth;
    const char *easy_title;      /* the title of its easy-read version */
    const char *template_name;   /* "templates/pupil-young.md" */
    bool young;                  /* early years and Key Stage 2: plain contacts, a parent
                                    countersigns, symbols and large type */
    const char *own_devices;     /* "post-16 pupils": its band has a <devices> attribute of
                                    its own (band_name), which defaults to the kind's;
                                    NULL when it has not */
    bool on_poster;              /* gets a poster of five rules in the printed pack */
    int ages_from, ages_below;   /* a band's ages at the start of the school year; a
                                    profile whose <ages> miss them draws a warning */
    audience_voice voice;
    const char *about;           /* who the readers are, for the manual's list of
                                    audiences; plain text, "quoted" words allowed */
} audience_info;

/* Every easy-read document, whatever its audience. */
#define AUDIENCE_EASY_TEMPLATE "templates/easy.md"
#define AUDIENCE_EASY_SUFFIX "-easy"

const audience_kind_info *audience_kind_at(audience_kind k);
const audience_info *audience_at(audience_row r);
/* The row for KIND and BAND; a pupil kind without a band gets its default row. */
const audience_info *audience_for(audience_kind kind, pupil_band band);

/* The audience ID names (pupil-ks2, staff), with *EASY (may be NULL) set for
 * an "-easy" id; NULL when unknown. */
const audience_info *audience_find(const char *id, bool *easy);
/* The kind named NAME ("pupil"), or -1. */
int audience_kind_find(const char *name);
/* The kind of an audience id or a kind alone, either with "-easy"; -1 when unknown. */
int audience_kind_of(const char *id);
/* The band named NAME ("ks2"), or -1. */
int audience_band_find(const char *name);
/* True for an audience id with or without "-easy" and, when KIND_ALONE, for
 * a kind alone ("pupil", "staff-easy"). */
bool audience_known(const char *id, bool kind_alone);
/* Write row R's id, with "-easy" when EASY, into BUF. */
void audience_make_id(audience_row r, bool easy, char *buf, size_t size);

/* Lists for help and messages. */
typedef enum {
    AUDIENCE_LIST_IDS,            /* pupil-early, ..., community */
    AUDIENCE_LIST_READERS,        /* pupil, pupil-early, ..., community: as in audiences= */
    AUDIENCE_LIST_KINDS,          /* pupil, staff, parent, community */
    AUDIENCE_LIST_UNBANDED_KINDS, /* staff, parent, community */
    AUDIENCE_LIST_BANDS,          /* early, ks2, ks3-4, post16 */
} audience_list_what;
/* The names joined by SEP, with LAST between the final two ("early, ks2,
 * ks3-4 or post16"). Owned by the caller. */
char *audience_list(audience_list_what what, const char *sep, const char *last);

#endif
