/* The profile model written back as XML, in one canonical shape: elements
 * in the schema's order, one per line, attributes in a fixed order,
 * optional attributes left out when they hold their default. Loading what
 * this writes gives the same model, and writing that again gives the same
 * bytes.
 *
 * A model built by hand (the questionnaire of aupc serve builds one from
 * a form) may lack what the loader always fills in. What it lacks is left
 * out, or written empty, so that loading the result reports it in the
 * loader's own words: a NULL string, an enumeration past its last value,
 * a date with no year, a negative age. */
#include "profile.h"

#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "audience.h"
#include "util/io.h"

typedef struct {
    xmlTextWriterPtr w;
    int rc;             /* the first libxml2 failure, kept */
} writer;

static void check(writer *w, int rc)
{
    if (rc < 0 && w->rc == 0)
        w->rc = rc;
}

static void start(writer *w, const char *name)
{
    check(w, xmlTextWriterStartElement(w->w, (const xmlChar *)name));
}

static void end(writer *w)
{
    check(w, xmlTextWriterEndElement(w->w));
}

static void attr(writer *w, const char *name, const char *value)
{
    if (value)
        check(w, xmlTextWriterWriteAttribute(w->w, (const xmlChar *)name,
                                             (const xmlChar *)value));
}

static void attr_bool(writer *w, const char *name, bool value)
{
    attr(w, name, value ? "true" : "false");
}

static void attr_int(writer *w, const char *name, long value)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", value);
    attr(w, name, buf);
}

static void attr_date(writer *w, const char *name, aupc_date d)
{
    char buf[16];
    if (d.year <= 0)
        return;
    profile_date_iso(d, buf, sizeof buf);
    attr(w, name, buf);
}

/* Text content is read back trimmed, with white space collapsed, so an
 * empty string is written as one space: the schema asks for at least one
 * character, and a space reads back as empty. NULL is written empty. */
static void text_content(writer *w, const char *text)
{
    check(w, xmlTextWriterWriteString(w->w, (const xmlChar *)(!text ? "" : *text ? text : " ")));
}

static void text_element(writer *w, const char *name, const char *text)
{
    start(w, name);
    text_content(w, text);
    end(w);
}

/* Names of enumerations, NULL past the last value. */
static const char *kind_name(setting_kind k)
{
    return (unsigned)k < KIND_COUNT ? profile_kind_name(k) : NULL;
}

static const char *device_name(device_policy d)
{
    return (unsigned)d <= DEVICES_ENCOURAGED ? profile_device_policy_name(d) : NULL;
}

static const char *audience_name(audience_kind k)
{
    return (unsigned)k < AUD_KIND_COUNT ? audience_kind_at(k)->name : NULL;
}

static const char *role_name(person_role r)
{
    return (unsigned)r < ROLE_COUNT ? profile_role_name(r) : NULL;
}

static const char *policy_name(policy_kind k)
{
    return (unsigned)k <= POLICY_OTHER ? profile_policy_kind_name(k) : NULL;
}

static void write_people(writer *w, const profile *p)
{
    start(w, "people");
    for (size_t i = 0; i < p->npeople; i++) {
        const profile_person *x = &p->people[i];
        start(w, "person");
        attr(w, "role", role_name(x->role));
        attr(w, "name", x->name);
        attr(w, "title", x->title);
        attr(w, "email", x->email);
        attr(w, "phone", x->phone);
        end(w);
    }
    end(w);
}

static void write_contacts(writer *w, const profile *p)
{
    if (!p->ncontacts)
        return;
    start(w, "contacts");
    for (size_t i = 0; i < p->ncontacts; i++) {
        const profile_contact *c = &p->contacts[i];
        start(w, "contact");
        attr(w, "role", c->role);
        attr(w, "group", c->group);
        attr(w, "name", c->name);
        attr(w, "phone", c->phone);
        attr(w, "email", c->email);
        attr(w, "web", c->web);
        attr(w, "hours", c->hours);
        if (c->always)
            attr_bool(w, "always", true);
        end(w);
    }
    end(w);
}

static void write_technology(writer *w, const profile *p)
{
    start(w, "technology");
    for (int t = 0; t < TECH_COUNT; t++) {
        if (!p->tech[t].present)
            continue;
        start(w, profile_tech_name((tech_kind)t));
        attr(w, "name", p->tech[t].name);
        attr(w, "note", p->tech[t].note);
        end(w);
    }
    end(w);
}

/* One attribute per kind of reader, from the audience table, and one for
 * a band with a rule of its own when it differs from its kind's. */
static void write_devices(writer *w, const profile *p)
{
    start(w, "devices");
    for (int k = 0; k < AUD_KIND_COUNT; k++) {
        attr(w, audience_kind_at((audience_kind)k)->devices_attr,
             device_name(p->devices[k]));
        for (int r = 0; r < AUDIENCE_COUNT; r++) {
            const audience_info *a = audience_at((audience_row)r);
            if (a->own_devices && a->kind == (audience_kind)k && p->devices_post16 != p->devices[k])
                attr(w, a->band_name, device_name(p->devices_post16));
        }
    }
    end(w);
}

static void write_monitoring(writer *w, const profile *p)
{
    start(w, "monitoring");
    attr(w, "filtering-provider", p->monitoring.provider);
    attr_bool(w, "accredited", p->monitoring.accredited);
    attr(w, "what", p->monitoring.what);
    attr_bool(w, "personal-messages", p->monitoring.personal_messages);
    attr_bool(w, "enhanced", p->monitoring.enhanced);
    attr_bool(w, "confiscation", p->monitoring.confiscation);
    attr(w, "authorised-by", role_name(p->monitoring.authorised_by));
    end(w);
}

static void write_sanctions(writer *w, const profile *p)
{
    start(w, "sanctions");
    for (size_t i = 0; i < p->nladders; i++) {
        const profile_ladder *l = &p->ladders[i];
        start(w, "ladder");
        attr(w, "audience", audience_name(l->audience));
        for (size_t s = 0; s < l->nsteps; s++)
            text_element(w, "step", l->steps[s]);
        end(w);
    }
    end(w);
}

static void write_policies(writer *w, const profile *p)
{
    if (!p->npolicies)
        return;
    start(w, "policies");
    for (size_t i = 0; i < p->npolicies; i++) {
        start(w, "policy");
        attr(w, "kind", policy_name(p->policies[i].kind));
        attr(w, "title", p->policies[i].title);
        attr(w, "url", p->policies[i].url);
        end(w);
    }
    end(w);
}

/* A pupil audience is written by its band alone, as the examples are. */
static void write_audiences(writer *w, const profile *p)
{
    start(w, "audiences");
    for (size_t i = 0; i < p->naudiences; i++) {
        const profile_audience *a = &p->audiences[i];
        start(w, "audience");
        if (a->kind == AUD_PUPIL)
            attr(w, "band", audience_for(a->kind, a->band)->band_name);
        else
            attr(w, "kind", audience_name(a->kind));
        if (a->easy)
            attr(w, "reading", "easy");
        end(w);
    }
    end(w);
}

static void write_consultation(writer *w, const profile *p)
{
    if (!p->nconsulted)
        return;
    start(w, "consultation");
    for (size_t i = 0; i < p->nconsulted; i++) {
        start(w, "consulted");
        attr(w, "audience", audience_name(p->consulted[i].audience));
        attr_date(w, "on", p->consulted[i].on);
        attr(w, "how", p->consulted[i].how);
        end(w);
    }
    end(w);
}

static void write_communication(writer *w, const profile *p)
{
    if (!p->ntells)
        return;
    start(w, "communication");
    for (size_t i = 0; i < p->ntells; i++) {
        start(w, "tell");
        attr(w, "audience", audience_name(p->tells[i].audience));
        attr(w, "via", p->tells[i].via);
        attr(w, "check", p->tells[i].check);
        end(w);
    }
    end(w);
}

static void write_review(writer *w, const profile *p)
{
    start(w, "review");
    attr_date(w, "approved", p->review.approved);
    attr(w, "by", p->review.by);
    attr_int(w, "cycle-months", p->review.cycle_months);
    attr_date(w, "next", p->review.next);
    attr_bool(w, "after-incidents", p->review.after_incidents);
    for (size_t i = 0; i < p->review.nchanges; i++) {
        const profile_change *c = &p->review.changes[i];
        start(w, "change");
        attr_date(w, "date", c->date);
        attr(w, "by", c->by);
        attr(w, "note", c->note);
        end(w);
    }
    end(w);
}

static void write_custom(writer *w, const profile_override *o)
{
    attr(w, "section", o->section);
    attr(w, "principles", o->principles);
    attr_int(w, "order", (long)o->order);
    for (size_t i = 0; i < o->ndetect; i++)
        text_element(w, "detect", o->detect[i]);
    for (size_t i = 0; i < o->ntexts; i++) {
        start(w, "text");
        attr(w, "for", o->texts[i].reader);
        text_content(w, o->texts[i].text);
        end(w);
    }
}

static void write_statements(writer *w, const profile *p)
{
    if (!p->noverrides)
        return;
    start(w, "statements");
    for (size_t i = 0; i < p->noverrides; i++) {
        const profile_override *o = &p->overrides[i];
        start(w, o->kind == OVERRIDE_INCLUDE ? "include"
               : o->kind == OVERRIDE_EXCLUDE ? "exclude" : "custom");
        attr(w, "id", o->id);
        if (o->kind == OVERRIDE_CUSTOM) {
            write_custom(w, o);
        } else {
            attr(w, "audiences", o->audiences);
            attr(w, "reason", o->reason);
        }
        end(w);
    }
    end(w);
}

static void write_setting(writer *w, const profile *p)
{
    start(w, "setting");
    attr(w, "xmlns", "urn:aupc:profile:1");
    attr(w, "id", p->id);
    attr(w, "version", p->version);
    if (p->lang && strcmp(p->lang, "en-GB") != 0)
        attr(w, "lang", p->lang);
    text_element(w, "name", p->name);
    text_element(w, "kind", kind_name(p->kind));
    start(w, "ages");
    if (p->age_from >= 0)
        attr_int(w, "from", p->age_from);
    if (p->age_to >= 0)
        attr_int(w, "to", p->age_to);
    end(w);
    text_element(w, "nation", p->nation ? p->nation : "england");
    if (p->website)
        text_element(w, "website", p->website);
    write_people(w, p);
    write_contacts(w, p);
    write_technology(w, p);
    write_devices(w, p);
    write_monitoring(w, p);
    write_sanctions(w, p);
    write_policies(w, p);
    write_audiences(w, p);
    write_consultation(w, p);
    write_communication(w, p);
    if (p->image_uses) {
        start(w, "images");
        attr(w, "uses", p->image_uses);
        end(w);
    }
    write_review(w, p);
    write_statements(w, p);
    end(w);
}

int profile_write(const profile *p, strbuf *out)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr tw = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!tw) {
        xmlBufferFree(buf);
        return -1;
    }
    writer w = {tw, 0};
    check(&w, xmlTextWriterSetIndent(tw, 1));
    check(&w, xmlTextWriterSetIndentString(tw, (const xmlChar *)"  "));
    check(&w, xmlTextWriterStartDocument(tw, "1.0", "UTF-8", NULL));
    check(&w, xmlTextWriterWriteComment(tw, (const xmlChar *)
        " A setting profile for aupc; every element is described in aupc-profile(5). "));
    write_setting(&w, p);
    check(&w, xmlTextWriterEndDocument(tw));
    xmlFreeTextWriter(tw);   /* flushes into buf */
    if (w.rc == 0)
        sb_add(out, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    xmlBufferFree(buf);
    return w.rc == 0 ? 0 : -1;
}
