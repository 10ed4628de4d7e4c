#include "web_form.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "util/escape.h"

/* ---- the questionnaire's wording ----------------------------------------- */

typedef struct {
    const char *value, *label;
} choice;

#define END {NULL, NULL}

static const choice kinds[] = {
    {"primary", "Primary school"}, {"secondary", "Secondary school"},
    {"all-through", "All-through school"}, {"special", "Special school"},
    {"college", "College (sixth form or further education)"},
    {"early-years", "Nursery or early years setting"}, {"youth-service", "Youth service"},
    {"library", "Library"}, {"children-services", "Children's services"}, END,
};
static const choice nations[] = {
    {"england", "England"}, {"wales", "Wales"}, {"scotland", "Scotland"},
    {"northern-ireland", "Northern Ireland"}, END,
};
static const choice langs[] = {
    {"en-GB", "English (United Kingdom)"}, {"cy", "Welsh (Cymraeg)"}, END,
};
static const choice device_policies[] = {
    {"banned", "Not to be used on site"},
    {"approved-use", "Allowed at agreed times and places"},
    {"encouraged", "Welcomed for learning or work"}, END,
};
static const choice post16_policies[] = {
    {"", "The same as the other pupils"}, {"banned", "Not to be used on site"},
    {"approved-use", "Allowed at agreed times and places"},
    {"encouraged", "Welcomed for learning or work"}, END,
};
static const choice roles[] = {
    {"dsl", "Designated safeguarding lead"}, {"online-safety-lead", "Online safety lead"},
    {"head", "Head teacher, principal or manager"},
    {"link-governor", "Link governor for safeguarding"},
    {"network-manager", "Network manager or IT support"},
    {"data-protection-officer", "Data protection officer"}, END,
};
static const char *const role_hints[] = {
    "Named in every document as the person to tell about a worry.",
    "The member of staff who leads on online safety.",
    "Authorises searches unless you choose someone else under monitoring.",
    "Never listed in the documents, but a statement may name them.",
    "Listed in the staff and parent documents.",
    "Listed in the staff and parent documents.",
};
static const choice contact_roles[] = {
    {"police", "Police (non-emergency)"}, {"police-emergency", "Police (emergency)"},
    {"ceop", "CEOP Safety Centre"}, {"iwf", "Internet Watch Foundation"},
    {"safeguarding-partnership", "Local safeguarding partnership"},
    {"lado", "Local authority designated officer (LADO)"},
    {"front-door", "Children's services front door"},
    {"emergency-duty-team", "Emergency duty team (out of hours)"},
    {"nspcc", "NSPCC helpline"}, {"childline", "Childline"},
    {"posh", "Professionals Online Safety Helpline"}, {"school-nurse", "School nurse"},
    {"camhs", "Mental health service for children (CAMHS)"},
    {"school-office", "The setting's office"}, {"it-helpdesk", "IT helpdesk"},
    {"other", "Other"}, END,
};
static const choice contact_groups[] = {
    {"police", "Police"}, {"national", "National service"},
    {"local-authority", "Local authority"}, {"health", "Health"},
    {"setting", "The setting itself"}, {"other", "Other"}, END,
};
/* The services an incident needs, offered as rows of their own when missing. */
static const struct {
    const char *role, *group;
} essential_contacts[] = {
    {"police", "police"}, {"ceop", "national"}, {"iwf", "national"},
    {"safeguarding-partnership", "local-authority"},
};
static const choice techs[] = {
    {"learning-platform", "A learning platform"}, {"email", "Email accounts"},
    {"internet", "Internet access"}, {"wifi", "Wifi"},
    {"devices", "Computers, laptops or tablets"}, {"ai-tools", "AI tools such as chatbots"},
    {"video-calls", "Video calls"}, {"remote-learning", "Remote learning"}, END,
};
static const choice monitored[] = {
    {"web", "Websites visited"}, {"email", "Email"},
    {"learning-platform", "The learning platform"}, {"devices", "The setting's devices"},
    {"wifi", "The wifi"}, {"video-calls", "Video calls"}, {"ai-tools", "AI tools"}, END,
};
static const choice policy_kinds[] = {
    {"child-protection", "Child protection and safeguarding"},
    {"anti-bullying", "Anti-bullying"}, {"behaviour", "Behaviour"},
    {"data-protection", "Data protection"}, {"staff-conduct", "Staff code of conduct"},
    {"other", "Another policy"}, END,
};

char *web_form_audience_label(const char *id)
{
    bool easy;
    const audience_info *a = id ? audience_find(id, &easy) : NULL;
    return a ? xasprintf("%s%s", a->label, easy ? " (easy read)" : "") : NULL;
}

static const choice channels[] = {
    {"home-school-agreement", "The home–school agreement"}, {"induction", "Induction"},
    {"assembly", "Assemblies"}, {"lesson", "Lessons"}, {"website", "The website"},
    {"poster", "Posters"}, {"newsletter", "The newsletter"},
    {"login-screen", "A reminder when logging in"}, {"sign-in", "Signing in at reception"}, END,
};
static const choice image_uses[] = {
    {"website", "The website"}, {"social-media", "Social media"},
    {"newsletter", "The newsletter"}, {"press", "Local press"},
    {"displays", "Displays in the building"}, {"learning-platform", "The learning platform"},
    END,
};
static const choice yes_no[] = {{"true", "Yes"}, {"false", "No, or not sure"}, END};

/* ---- output helpers ------------------------------------------------------ */

typedef struct {
    const web_page *pg;
    choice kinds[AUD_KIND_COUNT + 1];   /* the kinds of reader, from the audience table */
    char kind_labels[AUD_KIND_COUNT][64];
    web_fields shown;      /* the page's fields plus defaults of blank rows */
    bool *used;            /* per note: shown beside a field */
    strbuf *out;
} ctx;

static void put(ctx *c, const char *s)
{
    sb_puts(c->out, s);
}

static void esc(ctx *c, const char *s)
{
    esc_markup(c->out, s);
}

static const char *value_of(const ctx *c, const char *key)
{
    return web_fields_get(&c->shown, key);
}

/* The note for KEY (an error first), marked as shown. */
static const web_note *take_note(ctx *c, const char *key)
{
    const web_note *best = NULL;
    for (size_t i = 0; i < c->pg->notes->count; i++) {
        const web_note *n = &c->pg->notes->items[i];
        if (!n->field || strcmp(n->field, key) || c->used[i])
            continue;
        if (!best || n->severity > best->severity)
            best = n;
    }
    if (best)
        c->used[best - c->pg->notes->items] = true;
    return best;
}

/* Every further note for KEY, after the first. */
static void more_notes(ctx *c, const char *key)
{
    for (const web_note *n; (n = take_note(c, key));) {
        put(c, "<p class=\"note ");
        put(c, n->severity == DIAG_ERROR ? "error" : "warning");
        put(c, "\">");
        esc(c, n->message);
        put(c, "</p>\n");
    }
}

/* The hint and the note of a field, and the attributes that tie them to
 * its control. Returns whether the note is an error. */
static bool describe(ctx *c, const char *key, const char *hint)
{
    const web_note *n = take_note(c, key);
    if (hint) {
        put(c, "<p class=\"hint\" id=\"h-");
        esc(c, key);
        put(c, "\">");
        esc(c, hint);
        put(c, "</p>\n");
    }
    put(c, "<p class=\"note");
    if (n)
        put(c, n->severity == DIAG_ERROR ? " error" : " warning");
    put(c, "\" id=\"n-");
    esc(c, key);
    put(c, "\"");
    if (!n)
        put(c, " hidden");
    put(c, ">");
    if (n)
        esc(c, n->message);
    put(c, "</p>\n");
    more_notes(c, key);
    return n && n->severity == DIAG_ERROR;
}

static void control_attrs(ctx *c, const char *key, bool hint, bool error)
{
    put(c, " id=\"f-");
    esc(c, key);
    put(c, "\" name=\"");
    esc(c, key);
    put(c, "\" aria-describedby=\"");
    if (hint) {
        put(c, "h-");
        esc(c, key);
        put(c, " ");
    }
    put(c, "n-");
    esc(c, key);
    put(c, "\"");
    if (error)
        put(c, " aria-invalid=\"true\"");
}

static void label(ctx *c, const char *key, const char *text, bool required)
{
    put(c, "<label for=\"f-");
    esc(c, key);
    put(c, "\">");
    esc(c, text);
    if (!required)
        put(c, " <span class=\"optional\">(optional)</span>");
    put(c, "</label>\n");
}

/* ---- fields -------------------------------------------------------------- */

typedef enum { T_TEXT, T_EMAIL, T_TEL, T_URL, T_DATE } text_type;

static const char *const input_types[] = {"text", "email", "tel", "url", "date"};

static void text_field(ctx *c, const char *key, const char *lbl, const char *hint,
                       text_type t, bool required, const char *autocomplete)
{
    put(c, "<div class=\"field\">\n");
    label(c, key, lbl, required);
    bool error = describe(c, key, hint);
    put(c, "<input type=\"");
    put(c, input_types[t]);
    put(c, "\"");
    control_attrs(c, key, hint != NULL, error);
    if (autocomplete) {
        put(c, " autocomplete=\"");
        put(c, autocomplete);
        put(c, "\"");
    }
    const char *v = value_of(c, key);
    if (v) {
        put(c, " value=\"");
        esc(c, v);
        put(c, "\"");
    }
    if (t == T_TEXT || t == T_TEL || t == T_EMAIL || t == T_URL)
        put(c, " maxlength=\"400\"");
    put(c, ">\n</div>\n");
}

static void textarea_field(ctx *c, const char *key, const char *lbl, const char *hint)
{
    put(c, "<div class=\"field\">\n");
    label(c, key, lbl, true);
    bool error = describe(c, key, hint);
    put(c, "<textarea rows=\"4\"");
    control_attrs(c, key, hint != NULL, error);
    put(c, ">");
    esc(c, value_of(c, key));
    put(c, "</textarea>\n</div>\n");
}

static bool in_choices(const choice *ch, const char *v)
{
    for (; ch->value; ch++)
        if (!strcmp(ch->value, v))
            return true;
    return false;
}

static void option(ctx *c, const char *value, const char *text, bool selected)
{
    put(c, "<option value=\"");
    esc(c, value);
    put(c, "\"");
    if (selected)
        put(c, " selected");
    put(c, ">");
    esc(c, text);
    put(c, "</option>\n");
}

/* A drop-down. PLACEHOLDER, when not NULL, is an empty first choice. A
 * value loaded from a profile that the list lacks is offered as itself. */
static void select_field(ctx *c, const char *key, const char *lbl, const char *hint,
                         const choice *ch, const char *placeholder, bool required)
{
    const char *v = value_of(c, key);
    put(c, "<div class=\"field\">\n");
    label(c, key, lbl, required);
    bool error = describe(c, key, hint);
    put(c, "<select");
    control_attrs(c, key, hint != NULL, error);
    put(c, ">\n");
    if (placeholder)
        option(c, "", placeholder, !v || !*v);
    for (const choice *x = ch; x->value; x++)
        option(c, x->value, x->label, v && !strcmp(v, x->value));
    if (v && *v && !in_choices(ch, v))
        option(c, v, v, true);
    put(c, "</select>\n</div>\n");
}

/* A select of whole numbers LO..HI. */
static void number_field(ctx *c, const char *key, const char *lbl, const char *hint, int lo,
                         int hi)
{
    const char *v = value_of(c, key);
    put(c, "<div class=\"field number\">\n");
    label(c, key, lbl, true);
    bool error = describe(c, key, hint);
    put(c, "<select");
    control_attrs(c, key, hint != NULL, error);
    put(c, ">\n");
    option(c, "", "Choose", !v || !*v);
    for (int i = lo; i <= hi; i++) {
        char n[16];
        snprintf(n, sizeof n, "%d", i);
        option(c, n, n, v && !strcmp(v, n));
    }
    put(c, "</select>\n</div>\n");
}

/* Radio buttons or checkboxes in a fieldset. MULTI: checkboxes, each a
 * value of KEY; a list loaded from a profile rides along as KEY.as-loaded. */
static void choice_group(ctx *c, const char *key, const char *legend, const char *hint,
                         const choice *ch, bool multi)
{
    put(c, "<fieldset class=\"field choices\" id=\"f-");
    esc(c, key);
    put(c, "\"");
    put(c, " aria-describedby=\"");
    if (hint) {
        put(c, "h-");
        esc(c, key);
        put(c, " ");
    }
    put(c, "n-");
    esc(c, key);
    put(c, "\">\n<legend>");
    esc(c, legend);
    put(c, "</legend>\n");
    describe(c, key, hint);
    size_t i = 0;
    for (const choice *x = ch; x->value; x++, i++) {
        bool on = multi ? web_fields_has(&c->shown, key, x->value)
                        : value_of(c, key) && !strcmp(value_of(c, key), x->value);
        strbuf id = {0};
        esc_markup(&id, key);
        sb_printf(&id, "-%zu", i);
        put(c, "<div class=\"choice\"><input type=\"");
        put(c, multi ? "checkbox" : "radio");
        put(c, "\" id=\"f-");
        put(c, id.data);
        put(c, "\" name=\"");
        esc(c, key);
        put(c, "\" value=\"");
        esc(c, x->value);
        put(c, "\"");
        if (on)
            put(c, " checked");
        put(c, "><label for=\"f-");
        put(c, id.data);
        put(c, "\">");
        esc(c, x->label);
        put(c, "</label></div>\n");
        sb_free(&id);
    }
    if (multi) {
        char *was_key = xasprintf("%s.as-loaded", key);
        const char *was = value_of(c, was_key);
        if (was) {
            put(c, "<input type=\"hidden\" name=\"");
            esc(c, was_key);
            put(c, "\" value=\"");
            esc(c, was);
            put(c, "\">\n");
        }
        free(was_key);
    }
    put(c, "</fieldset>\n");
}

/* One checkbox that sends "true". */
static void check_field(ctx *c, const char *key, const char *lbl, const char *hint)
{
    const char *v = value_of(c, key);
    put(c, "<div class=\"field check\">\n<input type=\"checkbox\" value=\"true\"");
    control_attrs(c, key, hint != NULL, false);
    if (v && (!strcmp(v, "true") || !strcmp(v, "on")))
        put(c, " checked");
    put(c, ">\n");
    label(c, key, lbl, true);
    describe(c, key, hint);
    put(c, "</div>\n");
}

static void section_start(ctx *c, const char *id, const char *title, const char *intro)
{
    put(c, "<fieldset class=\"section\" id=\"");
    put(c, id);
    put(c, "\">\n<legend><h2>");
    esc(c, title);
    put(c, "</h2></legend>\n");
    if (intro) {
        put(c, "<p class=\"intro\">");
        esc(c, intro);
        put(c, "</p>\n");
    }
    more_notes(c, id);
}

static void section_end(ctx *c)
{
    put(c, "</fieldset>\n");
}

static void add_row(size_t **rows, size_t *n, size_t row)
{
    *rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
    (*rows)[(*n)++] = row;
}

static void row_default(ctx *c, const char *prefix, size_t row, const char *field,
                        const char *value)
{
    char *key = xasprintf("%s.%zu.%s", prefix, row, field);
    web_fields_add(&c->shown, key, value);
    free(key);
}

static size_t blank_rows(const ctx *c, const char *prefix, size_t base)
{
    return base + (c->pg->add_to && !strcmp(c->pg->add_to, prefix) ? c->pg->extra_rows : 0);
}

/* N rows of list PREFIX, blank ones included, cut to what the profile may
 * hold: a row past that could never be saved. */
static size_t within_limit(const char *prefix, size_t n)
{
    const web_row_limit *l = web_fields_row_limit(prefix);
    return l && n > l->max ? l->max : n;
}

static void add_button(ctx *c, const char *prefix, const char *text)
{
    put(c, "<button type=\"submit\" class=\"secondary add\" name=\"add\" value=\"");
    put(c, prefix);
    put(c, "\" formaction=\"/#");
    put(c, prefix);
    put(c, "-rows\">");
    esc(c, text);
    put(c, "</button>\n");
}

static void row_start(ctx *c, const char *prefix, size_t row, const char *legend, size_t ordinal)
{
    put(c, "<fieldset class=\"row\" id=\"row-");
    put(c, prefix);
    sb_printf(c->out, "-%zu\">\n<legend>", row);
    esc(c, legend);
    sb_printf(c->out, " %zu</legend>\n", ordinal);
    char *key = xasprintf("%s.%zu", prefix, row);
    more_notes(c, key);
    free(key);
}

/* PREFIX.ROW.FIELD in BUF, which the call returns. */
static const char *kf(char buf[static 96], const char *prefix, size_t row, const char *field)
{
    snprintf(buf, 96, "%s.%zu.%s", prefix, row, field);
    return buf;
}

/* ---- sections ------------------------------------------------------------ */

static void setting_section(ctx *c)
{
    section_start(c, "setting", "Your setting", "Who the documents are for and about.");
    text_field(c, "name", "Name of the setting",
               "As the documents should print it, for example Oakfield Primary School.",
               T_TEXT, true, "organization");
    select_field(c, "kind", "Kind of setting",
                 "Decides what the documents call it: school, college, nursery or service.",
                 kinds, "Choose a kind", true);
    number_field(c, "ages.from", "Youngest age", "The youngest children you serve.", 0, 99);
    number_field(c, "ages.to", "Oldest age", "The oldest children or young people you serve.",
                 0, 99);
    select_field(c, "nation", "Nation", "The UK nation whose law and guidance you follow.",
                 nations, NULL, true);
    text_field(c, "website", "Website", "Printed where the documents point readers to you.",
               T_URL, false, "url");
    text_field(c, "setting.id", "Short name for the files",
               "Lowercase letters, digits and hyphens, such as oakfield-primary: the folder "
               "the documents go in.", T_TEXT, true, NULL);
    text_field(c, "setting.version", "Version of the policy",
               "Printed in every footer, for example 2026.1.", T_TEXT, true, NULL);
    select_field(c, "setting.lang", "Language of the documents",
                 "Tells browsers and screen readers how to read the web pages.", langs, NULL, true);
    section_end(c);
}

static void people_section(ctx *c)
{
    section_start(c, "people", "Key people",
                  "The people readers should tell or ask. Leave a role empty if nobody holds it.");
    /* The roles in the order the profile has them, then the rest. */
    const char *order[ROLE_COUNT];
    size_t n = 0;
    for (size_t i = 0; i < c->shown.count; i++) {
        const char *key = c->shown.items[i].key;
        for (int r = 0; r < ROLE_COUNT && !strncmp(key, "person.", 7); r++) {
            size_t len = strlen(roles[r].value);
            bool dup = false;
            for (size_t j = 0; j < n; j++)
                dup |= order[j] == roles[r].value;
            if (!dup && !strncmp(key + 7, roles[r].value, len) && !strcmp(key + 7 + len, ".name"))
                order[n++] = roles[r].value;
        }
    }
    for (int r = 0; r < ROLE_COUNT; r++) {
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup |= order[j] == roles[r].value;
        if (!dup)
            order[n++] = roles[r].value;
    }
    for (size_t i = 0; i < n; i++) {
        int r = 0;
        while (roles[r].value != order[i])
            r++;
        char key[64];
        put(c, "<fieldset class=\"row\" id=\"person-");
        put(c, roles[r].value);
        put(c, "\">\n<legend>");
        esc(c, roles[r].label);
        put(c, "</legend>\n<p class=\"hint\">");
        esc(c, role_hints[r]);
        put(c, "</p>\n");
        snprintf(key, sizeof key, "person.%s", roles[r].value);
        more_notes(c, key);
        snprintf(key, sizeof key, "person.%s.name", roles[r].value);
        text_field(c, key, "Name", "As it should be printed, such as Mrs J Patel.", T_TEXT,
                   false, NULL);
        snprintf(key, sizeof key, "person.%s.title", roles[r].value);
        text_field(c, key, "Job title", "Kept with the profile; not printed.", T_TEXT, false,
                   NULL);
        snprintf(key, sizeof key, "person.%s.email", roles[r].value);
        text_field(c, key, "Email", "Printed after the name where adults are told whom to ask.",
                   T_EMAIL, false, NULL);
        snprintf(key, sizeof key, "person.%s.phone", roles[r].value);
        text_field(c, key, "Phone", "Printed beside the email.", T_TEL, false, NULL);
        put(c, "</fieldset>\n");
    }
    section_end(c);
}

static void contacts_section(ctx *c)
{
    section_start(c, "contacts", "Who to call when something goes wrong",
                  "The services the staff document lists for an incident. Every setting needs "
                  "the police, CEOP, the Internet Watch Foundation and its safeguarding "
                  "partnership.");
    more_notes(c, "contacts");
    size_t *rows, next, n = web_fields_rows(&c->shown, "contact", &rows, &next);
    for (size_t e = 0; e < sizeof essential_contacts / sizeof essential_contacts[0]; e++) {
        bool have = false;
        for (size_t i = 0; i < n && !have; i++) {
            char key[96];
            const char *v = value_of(c, kf(key, "contact", rows[i], "role"));
            have = v && !strcmp(v, essential_contacts[e].role);
        }
        if (!have) {
            row_default(c, "contact", next, "role", essential_contacts[e].role);
            row_default(c, "contact", next, "group", essential_contacts[e].group);
            add_row(&rows, &n, next++);
        }
    }
    for (size_t i = 0, extra = blank_rows(c, "contact", 2); i < extra; i++)
        add_row(&rows, &n, next++);
    n = within_limit("contact", n);
    put(c, "<div id=\"contact-rows\">\n");
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
        row_start(c, "contact", r, "Contact", i + 1);
        char key[96];
        select_field(c, kf(key, "contact", r, "role"), "Service",
                     "What the service is.", contact_roles, "Choose a service", true);
        select_field(c, kf(key, "contact", r, "group"), "Group",
                     "Where the staff document lists it.", contact_groups, "Choose a group",
                     true);
        text_field(c, kf(key, "contact", r, "name"), "Name of the service",
                   "As staff should see it, such as Westmarsh Safeguarding Partnership.", T_TEXT,
                   true, NULL);
        text_field(c, kf(key, "contact", r, "phone"), "Phone", "The number staff should ring.",
                   T_TEL, false, NULL);
        text_field(c, kf(key, "contact", r, "email"), "Email", "Where a report can be sent.",
                   T_EMAIL, false, NULL);
        text_field(c, kf(key, "contact", r, "web"), "Web address",
                   "A page for reporting online, such as CEOP's.", T_URL, false, NULL);
        text_field(c, kf(key, "contact", r, "hours"), "Opening hours",
                   "Such as Monday to Friday 9am to 5pm.", T_TEXT, false,
                   NULL);
        check_field(c, kf(key, "contact", r, "always"), "Answered at any hour, every day",
                    "The contacts map marks these 24/7.");
        put(c, "</fieldset>\n");
    }
    put(c, "</div>\n");
    add_button(c, "contact", "Add another contact");
    free(rows);
    section_end(c);
}

static void technology_section(ctx *c)
{
    section_start(c, "technology", "Technology you provide",
                  "Tick what the setting provides; the documents then carry the rules about it.");
    more_notes(c, "technology");
    for (const choice *t = techs; t->value; t++) {
        char key[64];
        snprintf(key, sizeof key, "tech.%s", t->value);
        put(c, "<fieldset class=\"row tech\">\n<legend>");
        esc(c, t->label);
        put(c, "</legend>\n");
        check_field(c, key, "We provide this", "Brings in the rules about it.");
        snprintf(key, sizeof key, "tech.%s.name", t->value);
        text_field(c, key, "What you call it",
                   "Printed in the rules, such as Seesaw or the class iPads.", T_TEXT, false,
                   NULL);
        snprintf(key, sizeof key, "tech.%s.note", t->value);
        text_field(c, key, "Note for whoever maintains this", "Not printed.", T_TEXT, false,
                   NULL);
        put(c, "</fieldset>\n");
    }
    section_end(c);
}

/* One question per kind of reader, and one for a band with a rule of its
 * own (post-16), as the audience table lists them. */
static void devices_section(ctx *c)
{
    section_start(c, "devices", "Personal devices",
                  "Phones, tablets, laptops and watches that people bring themselves.");
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        char key[64];
        snprintf(key, sizeof key, "devices.%s", audience_kind_at((audience_kind)k)->devices_attr);
        choice_group(c, key, c->kinds[k].label, "Decides which device rules their documents carry.",
                     device_policies, false);
        for (int r = 0; r < AUDIENCE_COUNT; r++) {
            const audience_info *a = audience_at((audience_row)r);
            if (!a->own_devices || a->kind != (audience_kind)k)
                continue;
            char lbl[96];
            snprintf(key, sizeof key, "devices.%s", a->band_name);
            snprintf(lbl, sizeof lbl, "%s", a->own_devices);
            lbl[0] = (char)toupper((unsigned char)lbl[0]);
            select_field(c, key, lbl, "Only if their rule differs from the other pupils'.",
                         post16_policies, NULL, false);
        }
    }
    section_end(c);
}

static void monitoring_section(ctx *c)
{
    section_start(c, "monitoring", "Filtering and monitoring",
                  "The documents must say honestly what is filtered and watched.");
    text_field(c, "monitoring.filtering-provider", "Who supplies your web filter",
               "Printed in the documents, such as the name of your filtering service.", T_TEXT,
               true, NULL);
    choice_group(c, "monitoring.accredited", "Does the filter meet the national standard?",
                 "If it does, the documents say so.", yes_no, false);
    choice_group(c, "monitoring.what", "What is monitored",
                 "Tick everything your monitoring covers.", monitored, true);
    check_field(c, "monitoring.personal-messages",
                "Personal messages sent over our network or devices can be seen",
                "If so, the documents tell readers.");
    check_field(c, "monitoring.enhanced", "We may monitor one person more closely after a concern",
                "If so, the documents say when and who decides.");
    check_field(c, "monitoring.confiscation",
                "Staff may take a device away and, where the law allows, search it",
                "If so, the documents say so.");
    select_field(c, "monitoring.authorised-by", "Who authorises closer monitoring or a search",
                 "Their name from Key people is printed.", roles, NULL, true);
    section_end(c);
}

/* Rows for PREFIX, one more per audience kind that has none (its select
 * preset), for lists with one entry per audience kind. */
static size_t kind_rows(ctx *c, const char *prefix, size_t **rows)
{
    size_t next, n = web_fields_rows(&c->shown, prefix, rows, &next);
    for (const choice *a = c->kinds; a->value; a++) {
        bool have = false;
        for (size_t i = 0; i < n && !have; i++) {
            char key[96];
            const char *v = value_of(c, kf(key, prefix, (*rows)[i], "audience"));
            have = v && !strcmp(v, a->value);
        }
        if (!have) {
            row_default(c, prefix, next, "audience", a->value);
            add_row(rows, &n, next++);
        }
    }
    for (size_t i = 0, extra = blank_rows(c, prefix, 0); i < extra; i++)
        add_row(rows, &n, next++);
    return within_limit(prefix, n);
}

static void sanctions_section(ctx *c)
{
    section_start(c, "sanctions", "What happens when rules are broken",
                  "For each group you write documents for, the steps from the mildest to the "
                  "most serious, one on each line.");
    more_notes(c, "sanctions");
    size_t *rows, n = kind_rows(c, "ladder", &rows);
    for (size_t i = 0; i < n; i++) {
        char key[96];
        row_start(c, "ladder", rows[i], "Steps", i + 1);
        select_field(c, kf(key, "ladder", rows[i], "audience"), "For",
                     "Pupils' steps serve every pupil document.", c->kinds,
                     "Choose a group", true);
        textarea_field(c, kf(key, "ladder", rows[i], "steps"), "Steps, one on each line",
                       "Up to 12 steps, such as: A reminder of the rules.");
        put(c, "</fieldset>\n");
    }
    free(rows);
    section_end(c);
}

static void policies_section(ctx *c)
{
    section_start(c, "policies", "Your other policies",
                  "The staff and parent documents point to these.");
    more_notes(c, "policies");
    size_t *rows, next, n = web_fields_rows(&c->shown, "policy", &rows, &next);
    for (size_t i = 0, extra = blank_rows(c, "policy", 2); i < extra; i++)
        add_row(&rows, &n, next++);
    n = within_limit("policy", n);
    put(c, "<div id=\"policy-rows\">\n");
    for (size_t i = 0; i < n; i++) {
        char key[96];
        row_start(c, "policy", rows[i], "Policy", i + 1);
        select_field(c, kf(key, "policy", rows[i], "kind"), "Kind of policy",
                     "Statements that name a kind of policy print its title.", policy_kinds,
                     NULL, true);
        text_field(c, kf(key, "policy", rows[i], "title"), "Title",
                   "As readers know it, such as Behaviour and Relationships Policy.", T_TEXT, true,
                   NULL);
        text_field(c, kf(key, "policy", rows[i], "url"), "Web address",
                   "Where it can be read; it must start with https://, http:// or mailto:.",
                   T_URL, false, NULL);
        put(c, "</fieldset>\n");
    }
    put(c, "</div>\n");
    add_button(c, "policy", "Add another policy");
    free(rows);
    section_end(c);
}

static void audiences_section(ctx *c)
{
    section_start(c, "audiences", "Documents to write",
                  "One document for each reader you tick. An easy-read version uses short "
                  "sentences and larger type, for readers with special educational needs.");
    put(c, "<fieldset class=\"field choices grid\" id=\"f-audience\" "
           "aria-describedby=\"h-audience n-audience\">\n<legend>Readers</legend>\n");
    describe(c, "audience", "Tick standard, easy read or both for each reader you write for.");
    size_t i = 0;
    for (int r = 0; r < AUDIENCE_COUNT; r++) {
        const audience_info *a = audience_at((audience_row)r);
        put(c, "<div class=\"choice-pair\"><span class=\"who\">");
        esc(c, a->label);
        put(c, "</span>\n");
        for (int easy = 0; easy < 2; easy++, i++) {
            char id[64];
            snprintf(id, sizeof id, "%s%s", a->id, easy ? AUDIENCE_EASY_SUFFIX : "");
            put(c, "<span class=\"choice\"><input type=\"checkbox\" name=\"audience\" id=\"f-audience-");
            sb_printf(c->out, "%zu\" value=\"%s\"", i, id);
            if (web_fields_has(&c->shown, "audience", id))
                put(c, " checked");
            sb_printf(c->out, "><label for=\"f-audience-%zu\"><span class=\"visually-hidden\">",
                      i);
            esc(c, a->label);
            put(c, ": </span>");
            put(c, easy ? "easy read" : "standard");
            put(c, "</label></span>\n");
        }
        put(c, "</div>\n");
    }
    const char *was = value_of(c, "audience.as-loaded");
    if (was) {
        put(c, "<input type=\"hidden\" name=\"audience.as-loaded\" value=\"");
        esc(c, was);
        put(c, "\">\n");
    }
    put(c, "</fieldset>\n");
    section_end(c);
}

static void consultation_section(ctx *c)
{
    section_start(c, "consultation", "Who helped write the rules",
                  "Documents say that their readers were asked, how and when.");
    more_notes(c, "consultation");
    size_t *rows, n = kind_rows(c, "consulted", &rows);
    put(c, "<div id=\"consulted-rows\">\n");
    for (size_t i = 0; i < n; i++) {
        char key[96];
        row_start(c, "consulted", rows[i], "Consultation", i + 1);
        select_field(c, kf(key, "consulted", rows[i], "audience"), "Who was asked",
                     "Their documents say they were asked.",
                     c->kinds, "Choose a group", true);
        text_field(c, kf(key, "consulted", rows[i], "on"), "When", "The date they were asked.",
                   T_DATE, true, NULL);
        text_field(c, kf(key, "consulted", rows[i], "how"), "How",
                   "Follows \"We asked for views on these rules:\", such as with the school "
                   "council.", T_TEXT, true, NULL);
        put(c, "</fieldset>\n");
    }
    put(c, "</div>\n");
    add_button(c, "consulted", "Add another consultation");
    free(rows);
    section_end(c);
}

static void communication_section(ctx *c)
{
    section_start(c, "communication", "How each group is told",
                  "Documents say how their readers hear about the rules and how you check "
                  "they understood.");
    more_notes(c, "communication");
    size_t *rows, n = kind_rows(c, "tell", &rows);
    for (size_t i = 0; i < n; i++) {
        char key[96];
        row_start(c, "tell", rows[i], "Group", i + 1);
        select_field(c, kf(key, "tell", rows[i], "audience"), "Who",
                     "Easy-read documents leave this out.", c->kinds,
                     "Choose a group", true);
        choice_group(c, kf(key, "tell", rows[i], "via"), "How they are told",
                     "Tick every way they hear about the rules.", channels,
                     true);
        text_field(c, kf(key, "tell", rows[i], "check"), "How you check they understood",
                   "A sentence, printed after the list.", T_TEXT, false, NULL);
        put(c, "</fieldset>\n");
    }
    free(rows);
    choice_group(c, "images.uses", "Where you publish photographs and video of children",
                 "The consent form in the home–school agreement asks about each.", image_uses,
                 true);
    section_end(c);
}

static void review_section(ctx *c)
{
    section_start(c, "review", "Approval and review",
                  "Every document says who approved it, when, and when it will be reviewed.");
    text_field(c, "review.approved", "Approved on",
               "Printed on every document; PDFs are dated by it.", T_DATE, true, NULL);
    text_field(c, "review.by", "Approved by", "Such as The governing board.", T_TEXT, true, NULL);
    number_field(c, "review.cycle-months", "Reviewed every (months)", "Usually 12.", 1, 36);
    text_field(c, "review.next", "Next review due", "It must come after the approval date.",
               T_DATE, true, NULL);
    check_field(c, "review.after-incidents", "Also reviewed after a serious incident",
                "Recommended: a serious incident often shows what a policy missed.");
    size_t *rows, next, n = web_fields_rows(&c->shown, "change", &rows, &next);
    for (size_t i = 0, extra = blank_rows(c, "change", 1); i < extra; i++)
        add_row(&rows, &n, next++);
    n = within_limit("change", n);
    more_notes(c, "review");
    put(c, "<div id=\"change-rows\">\n<h3>History</h3>\n<p class=\"hint\">Past changes, oldest "
           "first. Kept with the profile, not printed.</p>\n");
    for (size_t i = 0; i < n; i++) {
        char key[96];
        row_start(c, "change", rows[i], "Change", i + 1);
        text_field(c, kf(key, "change", rows[i], "date"), "Date", "When the change was made.",
                   T_DATE, true, NULL);
        text_field(c, kf(key, "change", rows[i], "by"), "Made or approved by",
                   "A person or a body, such as the governing board.", T_TEXT,
                   true, NULL);
        text_field(c, kf(key, "change", rows[i], "note"), "What changed",
                   "A line for whoever reviews it next.", T_TEXT, false,
                   NULL);
        put(c, "</fieldset>\n");
    }
    put(c, "</div>\n");
    add_button(c, "change", "Add another change");
    free(rows);
    section_end(c);
}

/* Overrides have no fields: they ride along in last year's profile. */
static void statements_section(ctx *c)
{
    const profile *p = c->pg->last;
    bool notes = false;
    for (size_t i = 0; i < c->pg->notes->count; i++)
        notes |= c->pg->notes->items[i].field && !strcmp(c->pg->notes->items[i].field,
                                                          "statements");
    if ((!p || !p->noverrides) && !notes)
        return;
    section_start(c, "statements", "Your own statements and adjustments",
                  "Kept from the profile you loaded, as they are. To change them, edit the "
                  "downloaded profile (see aupc-profile(5)).");
    more_notes(c, "statements");
    put(c, "<ul class=\"overrides\">\n");
    for (size_t i = 0; p && i < p->noverrides; i++) {
        const profile_override *o = &p->overrides[i];
        put(c, "<li>");
        put(c, o->kind == OVERRIDE_CUSTOM ? "Your own statement "
               : o->kind == OVERRIDE_INCLUDE ? "Always include " : "Leave out ");
        put(c, "<code>");
        esc(c, o->id);
        put(c, "</code>");
        if (o->audiences) {
            put(c, " for ");
            esc(c, o->audiences);
        }
        if (o->kind == OVERRIDE_CUSTOM && o->ntexts) {
            put(c, ": “");
            esc(c, o->texts[0].text);
            put(c, "”");
        } else if (o->reason) {
            put(c, ": ");
            esc(c, o->reason);
        }
        put(c, "</li>\n");
    }
    put(c, "</ul>\n");
    section_end(c);
}

/* ---- the page ------------------------------------------------------------ */

static void tabs(ctx *c)
{
    const web_page *pg = c->pg;
    put(c, "<aside class=\"preview\" aria-labelledby=\"preview-title\">\n"
           "<h2 id=\"preview-title\">Your documents</h2>\n"
           "<p class=\"status\" id=\"preview-status\" role=\"status\"></p>\n"
           "<div class=\"tabs\" role=\"tablist\" aria-label=\"Documents\" id=\"tabs\">\n");
    for (size_t i = 0; i <= pg->ntabs; i++) {
        const char *id = i < pg->ntabs ? pg->tabs[i].id : "changes";
        if (i == pg->ntabs && !pg->last_xml)
            break;
        bool on = pg->view ? !strcmp(pg->view, id) : i == 0;
        put(c, "<button type=\"submit\" form=\"profile\" formaction=\"/#preview-title\" "
               "name=\"view\" role=\"tab\" id=\"tab-");
        esc(c, id);
        put(c, "\" value=\"");
        esc(c, id);
        put(c, "\" aria-controls=\"panel\" aria-selected=\"");
        put(c, on ? "true" : "false");
        put(c, "\">");
        esc(c, i < pg->ntabs ? pg->tabs[i].label : "What changed");
        put(c, "</button>\n");
    }
    put(c, "</div>\n<div id=\"panel\" role=\"tabpanel\" aria-labelledby=\"preview-title\">\n");
    if (pg->ntabs) {
        const char *v = pg->view ? pg->view : pg->tabs[0].id;
        put(c, "<p class=\"open\"><button type=\"submit\" form=\"profile\" class=\"secondary\" "
               "formtarget=\"_blank\" formaction=\"/document?audience=");
        esc(c, v);
        put(c, "\">Open this document on its own</button></p>\n");
    }
    put(c, "<iframe id=\"doc\" src=\"/frame\" title=\"The document as it will be printed\">"
           "</iframe>\n<div id=\"check\" class=\"check\" tabindex=\"0\" role=\"region\" "
           "aria-label=\"Checklist\">\n");
    if (pg->check_html)
        put(c, pg->check_html);
    put(c, "</div>\n</div>\n</aside>\n");
}

static void summary(ctx *c, bool errors_only)
{
    size_t n = 0;
    for (size_t i = 0; i < c->pg->notes->count; i++)
        n += c->pg->notes->items[i].severity == DIAG_ERROR || !errors_only;
    put(c, "<div class=\"summary\" id=\"summary\" tabindex=\"-1\"");
    if (!n && !c->pg->upload_errors)
        put(c, " hidden");
    put(c, ">\n<h2>Please check these answers</h2>\n<ul id=\"summary-list\">\n");
    for (size_t i = 0; i < c->pg->notes->count; i++) {
        const web_note *w = &c->pg->notes->items[i];
        if (w->severity != DIAG_ERROR && (errors_only || c->used[i]))
            continue;
        put(c, "<li>");
        if (w->field && c->used[i]) {
            put(c, "<a href=\"#f-");
            esc(c, w->field);
            put(c, "\">");
            esc(c, w->message);
            put(c, "</a>");
        } else {
            esc(c, w->message);
        }
        put(c, "</li>\n");
    }
    put(c, "</ul>\n");
    if (c->pg->upload_errors) {
        put(c, "<p>The profile you chose could not be read:</p>\n<pre class=\"upload-errors\">");
        esc(c, c->pg->upload_errors);
        put(c, "</pre>\n");
    }
    put(c, "</div>\n");
}

static void upload_box(ctx *c)
{
    put(c, "<div class=\"upload\">\n<h2>Start from last year's profile</h2>\n"
           "<p class=\"hint\" id=\"h-upload\">Choose the profile file (.xml) you downloaded last "
           "time. Every answer is filled in, and a tab shows what changed since.</p>\n"
           "<label for=\"f-upload\">Profile file</label>\n"
           "<input type=\"file\" id=\"f-upload\" name=\"upload\" accept=\".xml,application/xml,text/xml\" "
           "aria-describedby=\"h-upload\">\n"
           "<button type=\"submit\" class=\"secondary\" formaction=\"/upload\" "
           "formenctype=\"multipart/form-data\">Load it</button>\n</div>\n");
}

static void actions(ctx *c)
{
    put(c, "<div class=\"actions\">\n"
           "<button type=\"submit\" name=\"action\" value=\"check\" formaction=\"/#summary\">"
           "Check my answers</button>\n"
           "<button type=\"submit\" formaction=\"/profile.xml\" class=\"secondary\">"
           "Download the profile</button>\n"
           "<button type=\"submit\" formaction=\"/documents.zip\" class=\"secondary\">"
           "Download every document (zip)</button>\n"
           "<p class=\"hint\">Keep the profile file: next year, load it here to start from "
           "this year's answers.</p>\n</div>\n");
}

void web_form_page(const web_page *pg, strbuf *out)
{
    strbuf body = {0};
    ctx c = {.pg = pg, .used = xcalloc(pg->notes->count + 1, sizeof(bool)), .out = &body};
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        const audience_kind_info *ki = audience_kind_at((audience_kind)k);
        snprintf(c.kind_labels[k], sizeof c.kind_labels[k], "%s", ki->plural);
        c.kind_labels[k][0] = (char)toupper((unsigned char)c.kind_labels[k][0]);
        c.kinds[k] = (choice){ki->name, c.kind_labels[k]};
    }
    for (size_t i = 0; i < pg->fields->count; i++)
        web_fields_add(&c.shown, pg->fields->items[i].key, pg->fields->items[i].value);
    setting_section(&c);
    people_section(&c);
    contacts_section(&c);
    technology_section(&c);
    devices_section(&c);
    monitoring_section(&c);
    sanctions_section(&c);
    policies_section(&c);
    audiences_section(&c);
    consultation_section(&c);
    communication_section(&c);
    review_section(&c);
    statements_section(&c);

    c.out = out;
    put(&c, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>");
    const char *name = web_fields_get(pg->fields, "name");
    if (name && *name) {
        esc(&c, name);
        put(&c, ": ");
    }
    put(&c, "acceptable use policies – aupc</title>\n"
            "<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n"
            "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
            "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
            "<a class=\"skip\" href=\"#profile\">Skip to the questions</a>\n"
            "<header class=\"top\"><h1>Acceptable use policies</h1>\n"
            "<p>Answer the questions about your setting. Each group's policy appears beside "
            "the form as you type; download the documents and the profile when you are done."
            "</p></header>\n<div class=\"layout\">\n<main>\n");
    if (pg->notice) {
        put(&c, "<p class=\"notice\" role=\"status\">");
        esc(&c, pg->notice);
        put(&c, "</p>\n");
    }
    put(&c, "<form id=\"profile\" method=\"post\" action=\"/\" enctype=\"multipart/form-data\" "
            "novalidate>\n<input type=\"hidden\" name=\"csrf\" value=\"");
    esc(&c, pg->csrf);
    put(&c, "\">\n");
    if (pg->last_xml) {
        put(&c, "<input type=\"hidden\" name=\"last\" value=\"");
        esc(&c, pg->last_xml);
        put(&c, "\">\n");
    }
    summary(&c, false);
    upload_box(&c);
    sb_add(out, body.data ? body.data : "", body.len);
    actions(&c);
    put(&c, "</form>\n</main>\n");
    tabs(&c);
    put(&c, "</div>\n</body>\n</html>\n");
    sb_free(&body);
    web_fields_free(&c.shown);
    free(c.used);
}
