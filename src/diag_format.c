#include "diag_format.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/escape.h"
#include "util/io.h"

/* SARIF's informationUri is optional: it is written only when a build
 * names the project's home page (-DAUPC_HOMEPAGE="https://..."). */

int fmt_any_at(const fmt_run *run, diag_severity level)
{
    for (size_t i = 0; i < run->nreports; i++)
        if (diag_count(&run->reports[i].diags, level))
            return 1;
    return run->inputs && diag_count(run->inputs, level) ? 1 : 0;
}

/* Whether D is written at all: --min-level hides what is below it. */
static bool shown(const fmt_run *run, const diag *d)
{
    return d->severity >= run->min_level;
}

static size_t ninputs(const fmt_run *run)
{
    return run->inputs ? run->inputs->count : 0;
}

static const char *input_rule(const diag *d)
{
    return d->rule ? d->rule : DIAG_LOAD_RULE;
}

/* ---- escaping ---- */

/* The shared escapers (util/escape.h), as strings to print. */
static char *json_string(const char *s)
{
    strbuf b = {0};
    esc_json(&b, s);
    return b.data;
}

static char *xml_escape(const char *s)
{
    strbuf b = {0};
    char *clean = esc_text_dup(s ? s : "");
    esc_xml(&b, clean);
    free(clean);
    return b.data;
}

static char *github_escape(const char *s, bool property)
{
    strbuf b = {0};
    sb_add(&b, "", 0);
    char buf[8];
    for (const char *p = s ? s : ""; *p;) {
        const char *rep;
        size_t n = esc_text_step(p, &rep, buf);
        switch (*p) {
        case '%': rep = "%25"; break;
        case '\r': rep = "%0D"; break;
        case '\n': rep = "%0A"; break;
        case ':': rep = property ? "%3A" : NULL; break;
        case ',': rep = property ? "%2C" : NULL; break;
        default: break;
        }
        if (rep)
            sb_puts(&b, rep);
        else
            sb_add(&b, p, n);
        p += n;
    }
    return b.data;
}

char *fmt_github_data(const char *s) { return github_escape(s, false); }
char *fmt_github_property(const char *s) { return github_escape(s, true); }

static void uri_encode(strbuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~/!$&'()*+,;=:@", *p))
            sb_add(b, (const char *)p, 1);
        else
            sb_printf(b, "%%%02X", *p);
    }
}

char *fmt_sarif_uri(const char *path, const char *cwd)
{
    strbuf b = {0};
    sb_add(&b, "", 0);
    const char *rel = path;
    if (path[0] == '/') {
        size_t n = cwd ? strlen(cwd) : 0;
        while (n > 1 && cwd[n - 1] == '/')
            n--;
        if (n > 0 && !strncmp(path, cwd, n) && (path[n] == '/' || (n == 1 && cwd[0] == '/'))) {
            rel = path + n;
            while (*rel == '/')
                rel++;
        } else {
            sb_puts(&b, "file://");
            uri_encode(&b, path);
            return b.data;
        }
    }
    /* drop "./" segments and doubled slashes */
    strbuf clean = {0};
    sb_add(&clean, "", 0);
    const char *p = rel;
    while (*p) {
        while (*p == '/')
            p++;
        if (p[0] == '.' && (p[1] == '/' || p[1] == '\0')) {
            p++;
            continue;
        }
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0)
            break;
        if (clean.len)
            sb_add(&clean, "/", 1);
        sb_add(&clean, p, n);
        p += n;
    }
    uri_encode(&b, clean.data);
    sb_free(&clean);
    return b.data;
}

uint64_t fmt_fingerprint(const char *rule, const char *uri, const char *line_text)
{
    uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a */
    const char *parts[3] = {rule ? rule : "", uri ? uri : "", line_text ? line_text : ""};
    for (int i = 0; i < 3; i++) {
        bool space = false, started = false;
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
            if (i == 2 && isspace(*p)) {
                space = started;
                continue;
            }
            if (space) {
                h ^= ' ';
                h *= 0x100000001b3ULL;
                space = false;
            }
            started = true;
            h ^= *p;
            h *= 0x100000001b3ULL;
        }
        h ^= 0xFF;   /* separator */
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- helpers ---- */

static void put_json(FILE *out, const char *s)
{
    char *j = json_string(s);
    fputs(j, out);
    free(j);
}

static void put_num(FILE *out, double v)
{
    if (!isfinite(v))
        v = 0.0;
    fprintf(out, "%.6g", v);
}

static const char *status_name(const principle_outcome *o)
{
    switch (o->status) {
    case OUTCOME_PASS: return "pass";
    case OUTCOME_WAIVED: return "waived";
    case OUTCOME_NOT_APPLICABLE: return "n/a";
    default: break;
    }
    switch (o->severity) {
    case DIAG_NOTE: return "note";
    case DIAG_WARNING: return "warning";
    default: return "fail";
    }
}

/* A rule id with its texts, for SARIF. */
typedef struct {
    char *id, *title, *description, *help;
    diag_severity level;
} rule_info;

static void rules_build(const fmt_run *run, rule_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const principle_set *ps = run->ps;
    const principle_def *core = principles_find(ps, "core");
    for (size_t i = 0; i < ps->ndefs; i++) {
        const principle_def *d = &ps->defs[i];
        if (!strcmp(d->id, "core"))
            continue;
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (rule_info){xstrdup(d->id), xstrdup(d->title), xstrdup(d->description),
                                    xstrdup(d->help), d->severity};
    }
    for (size_t i = 0; run->lib && core && i < run->lib->count; i++) {
        const statement *s = &run->lib->items[i];
        if (!s->core || s->custom)
            continue;
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (rule_info){
            xasprintf("core-%s", s->id), xasprintf("Core statement '%s'", s->id),
            xasprintf("%s This rule checks core statement '%s'.", core->description, s->id),
            xstrdup(core->help), core->severity};
    }
    static const char *const extra[][3] = {
        {"metadata", "The aupc comment is readable",
         "A draft starts with an aupc comment giving its audience, approval date and next review date; each value must be one aupc understands."},
        {"waiver", "Waivers name a principle and give a reason",
         "A waiver switches a principle off for one draft. It must name a known principle and say why, so reviewers can judge it."},
        {"not-text", "The draft is UTF-8 text",
         "aupc lint reads Markdown or plain text saved as UTF-8. A Word document, a PDF, an image or UTF-16 text gets this one error and is not checked further."},
        {DIAG_LOAD_RULE, "The file can be read and checked",
         "A profile or draft that cannot be read, is not text, or is not a valid profile is not checked at all: nothing about it passes until it loads."},
    };
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = (rule_info){xstrdup(extra[i][0]), xstrdup(extra[i][1]),
                                    xstrdup(extra[i][2]),
                                    xstrdup("Fix the comment as the message says."),
                                    DIAG_WARNING};
    }
}

static void rules_free(rule_info *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].id);
        free(r[i].title);
        free(r[i].description);
        free(r[i].help);
    }
    free(r);
}

static const char *sarif_level(diag_severity s)
{
    return s == DIAG_NOTE ? "note" : s == DIAG_WARNING ? "warning" : "error";
}

/* ---- gnu ---- */

/* The inputs' problems go to standard error, where the command prints them
 * for people: a GNU line reads the same on either stream. */
void fmt_write_gnu(FILE *out, const fmt_run *run, int colour)
{
    for (size_t i = 0; i < run->nreports; i++)
        for (size_t k = 0; k < run->reports[i].diags.count; k++)
            if (shown(run, &run->reports[i].diags.items[k]))
                diag_print_one(out, &run->reports[i].diags.items[k], colour);
}

/* ---- json ---- */

/* A date as YYYY-MM-DD, YYYY-MM when only the month is known, or null. */
static void put_date(FILE *out, aupc_date d)
{
    if (!d.year)
        fputs("null", out);
    else if (!d.day)
        fprintf(out, "\"%04d-%02d\"", d.year, d.month);
    else
        fprintf(out, "\"%04d-%02d-%02d\"", d.year, d.month, d.day);
}

/* The units of a draft that counted for a principle, and why. */
static void put_units(FILE *out, const principle_outcome *o)
{
    fprintf(out, ", \"units_total\": %zu, \"units\": [", o->units_total);
    for (size_t i = 0; i < o->nunits; i++) {
        const principle_unit *u = &o->units[i];
        fprintf(out, "%s{\"line\": %d, \"column\": %d, \"act\": ",
                i ? ",\n          " : "\n          ", u->line, u->col);
        put_json(out, u->act);
        fputs(", \"text\": ", out);
        put_json(out, u->text);
        fputs(", \"why\": ", out);
        put_json(out, u->why);
        fputs("}", out);
    }
    fputs("]", out);
}

void fmt_write_json(FILE *out, const fmt_run *run, int colour)
{
    (void)colour;
    size_t counts[3] = {0};
    fprintf(out, "{\n  \"version\": %d,\n  \"tool\": {\"name\": \"aupc\", \"version\": ",
            FMT_JSON_VERSION);
    put_json(out, AUPC_VERSION);
    fprintf(out, "},\n  \"fail_level\": \"%s\",\n  \"inputs\": [", diag_severity_name(run->fail_level));
    for (size_t k = 0; k < ninputs(run); k++) {
        const diag *d = &run->inputs->items[k];
        counts[d->severity]++;
        fputs(k ? ",\n    {\"file\": " : "\n    {\"file\": ", out);
        put_json(out, d->file ? d->file : "");
        fprintf(out, ", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"rule\": ",
                d->line, d->col, diag_severity_name(d->severity));
        put_json(out, input_rule(d));
        fputs(", \"message\": ", out);
        put_json(out, d->message);
        fputs("}", out);
    }
    fputs(ninputs(run) ? "\n  ],\n  \"files\": [" : "],\n  \"files\": [", out);
    for (size_t i = 0; i < run->nreports; i++) {
        const principle_report *r = &run->reports[i];
        fputs(i ? ",\n    {" : "\n    {", out);
        fputs("\n      \"file\": ", out);
        put_json(out, r->file);
        fputs(",\n      \"audience\": ", out);
        if (r->audience)
            put_json(out, r->audience);
        else
            fputs("null", out);
        fputs(",\n      \"approved\": ", out);
        put_date(out, r->approved);
        fputs(",\n      \"next_review\": ", out);
        put_date(out, r->next_review);
        const readability_stats *st = &r->reading;
        fprintf(out, ",\n      \"readability\": {\"sentences\": %zu, \"words\": %zu, "
                     "\"syllables\": %zu, \"polysyllables\": %zu, \"flesch_reading_ease\": ",
                st->sentences, st->words, st->syllables, st->polysyllables);
        put_num(out, st->flesch_reading_ease);
        fputs(", \"fk_grade\": ", out);
        put_num(out, st->fk_grade);
        fputs(", \"smog\": ", out);
        put_num(out, st->smog);
        fputs(", \"words_per_sentence\": ", out);
        put_num(out, st->words_per_sentence);
        fprintf(out, "},\n      \"pages\": %d,\n      \"core_pages\": %d,\n"
                     "      \"prohibition_share\": ", r->pages, r->core_pages);
        put_num(out, r->prohibition_share);
        fprintf(out, ",\n      \"positive_sentences\": %zu,\n      \"principles\": [", r->positives);
        for (size_t k = 0; k < r->noutcomes; k++) {
            const principle_outcome *o = &r->outcomes[k];
            fputs(k ? ",\n        {\"id\": " : "\n        {\"id\": ", out);
            put_json(out, o->id);
            fprintf(out, ", \"status\": \"%s\", \"severity\": \"%s\", \"evidence\": ",
                    status_name(o), diag_severity_name(o->severity));
            put_json(out, o->evidence ? o->evidence : "");
            if (o->status == OUTCOME_WAIVED) {
                fputs(", \"waiver\": ", out);
                put_json(out, o->waiver);
            }
            if (o->units_total)
                put_units(out, o);
            fputs("}", out);
        }
        fputs(r->noutcomes ? "\n      ],\n      \"diagnostics\": [" : "],\n      \"diagnostics\": [",
              out);
        size_t written = 0;
        for (size_t k = 0; k < r->diags.count; k++) {
            const diag *d = &r->diags.items[k];
            if (!shown(run, d))
                continue;
            counts[d->severity]++;
            fprintf(out, "%s{\"line\": %d, \"column\": %d, \"severity\": \"%s\", \"rule\": ",
                    written++ ? ",\n        " : "\n        ", d->line, d->col,
                    diag_severity_name(d->severity));
            if (d->rule)
                put_json(out, d->rule);
            else
                fputs("null", out);
            fputs(", \"message\": ", out);
            put_json(out, d->message);
            fputs("}", out);
        }
        fputs(written ? "\n      ]\n    }" : "]\n    }", out);
    }
    fprintf(out, "%s],\n  \"summary\": {\"errors\": %zu, \"warnings\": %zu, \"notes\": %zu}\n}\n",
            run->nreports ? "\n  " : "", counts[DIAG_ERROR], counts[DIAG_WARNING],
            counts[DIAG_NOTE]);
}

/* ---- sarif ---- */

/* Line LINE (1-based) of FILE, or "" when unreadable. */
static char *file_line(const char *file, int line)
{
    char *data;
    size_t len;
    const char *err;
    if (line < 1 || io_read_file(file, &data, &len, &err) != 0)
        return xstrdup("");
    const char *p = data, *end = data + len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *e = memchr(p, '\n', (size_t)(end - p));
    char *r = xstrndup(p, (size_t)((e ? e : end) - p));
    free(data);
    return r;
}

typedef struct {
    FILE *out;
    const rule_info *rules;
    size_t nrules;
    uint64_t *seen;     /* fingerprints so far, so equal lines stay distinct */
    size_t nseen, n;    /* results written */
} sarif_results;

/* One result. TEXT is the flagged line, for the fingerprint; NULL for an
 * input that could not be read, whose line is no help. */
static void sarif_result(sarif_results *s, const diag *d, const char *rule, const char *uri,
                         const char *text)
{
    FILE *out = s->out;
    int line = d->line > 0 ? d->line : 1;
    uint64_t fp = fmt_fingerprint(rule, uri, text ? text : "");
    size_t occ = 1;
    for (size_t i = 0; i < s->nseen; i++)
        if (s->seen[i] == fp)
            occ++;
    s->seen = xrealloc(s->seen, (s->nseen + 1) * sizeof *s->seen);
    s->seen[s->nseen++] = fp;
    fputs(s->n++ ? ",\n        {\"ruleId\": " : "\n        {\"ruleId\": ", out);
    put_json(out, rule);
    size_t idx = 0;
    for (idx = 0; idx < s->nrules && strcmp(s->rules[idx].id, rule); idx++)
        ;
    if (idx < s->nrules)
        fprintf(out, ", \"ruleIndex\": %zu", idx);
    fprintf(out, ", \"level\": \"%s\", \"message\": {\"text\": ", sarif_level(d->severity));
    put_json(out, d->message);
    fputs("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
    put_json(out, uri);
    fprintf(out, "}, \"region\": {\"startLine\": %d", line);
    if (d->col > 0)
        fprintf(out, ", \"startColumn\": %d", d->col);
    fprintf(out, "}}}], \"partialFingerprints\": {\"primaryLocationLineHash\": "
                 "\"%016llx:%zu\"}}", (unsigned long long)fp, occ);
}

void fmt_write_sarif(FILE *out, const fmt_run *run, int colour)
{
    (void)colour;
    rule_info *rules;
    size_t nrules;
    rules_build(run, &rules, &nrules);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
          "        \"driver\": {\n          \"name\": \"aupc\",\n          \"version\": ", out);
    put_json(out, AUPC_VERSION);
    fputs(",\n          \"semanticVersion\": ", out);
    put_json(out, AUPC_VERSION);
#ifdef AUPC_HOMEPAGE
    fputs(",\n          \"informationUri\": ", out);
    put_json(out, AUPC_HOMEPAGE);
#endif
    fputs(",\n          \"rules\": [", out);
    for (size_t i = 0; i < nrules; i++) {
        fputs(i ? ",\n            {\"id\": " : "\n            {\"id\": ", out);
        put_json(out, rules[i].id);
        fputs(", \"name\": ", out);
        put_json(out, rules[i].id);
        fputs(", \"shortDescription\": {\"text\": ", out);
        put_json(out, rules[i].title);
        fputs("}, \"fullDescription\": {\"text\": ", out);
        put_json(out, rules[i].description);
        fputs("}, \"help\": {\"text\": ", out);
        put_json(out, rules[i].help);
        fprintf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
                sarif_level(rules[i].level));
    }
    fputs("\n          ]\n        }\n      },\n", out);
    /* A run that could not read an input did not do its job: code scanning
     * shows the invocation as failed as well as the result. */
    fprintf(out, "      \"invocations\": [{\"executionSuccessful\": %s}],\n",
            run->inputs && diag_count(run->inputs, DIAG_ERROR) ? "false" : "true");
    fputs("      \"results\": [", out);
    sarif_results res = {out, rules, nrules, NULL, 0, 0};
    for (size_t k = 0; k < ninputs(run); k++) {
        const diag *d = &run->inputs->items[k];
        char *uri = fmt_sarif_uri(d->file ? d->file : "", cwd);
        sarif_result(&res, d, input_rule(d), uri, NULL);
        free(uri);
    }
    for (size_t i = 0; i < run->nreports; i++) {
        const principle_report *r = &run->reports[i];
        char *uri = fmt_sarif_uri(r->file, cwd);
        for (size_t k = 0; k < r->diags.count; k++) {
            const diag *d = &r->diags.items[k];
            if (!shown(run, d))
                continue;
            char *text = file_line(d->file ? d->file : r->file, d->line > 0 ? d->line : 1);
            sarif_result(&res, d, d->rule ? d->rule : "metadata", uri, text);
            free(text);
        }
        free(uri);
    }
    free(res.seen);
    fputs(res.n ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n", out);
    rules_free(rules, nrules);
}

/* ---- github ---- */

static void github_command(FILE *out, const diag *d, const char *file, const char *rule)
{
    const char *cmd = d->severity == DIAG_ERROR ? "error"
                    : d->severity == DIAG_WARNING ? "warning" : "notice";
    char *f = fmt_github_property(d->file ? d->file : file);
    fprintf(out, "::%s file=%s", cmd, f);
    free(f);
    if (d->line > 0)
        fprintf(out, ",line=%d", d->line);
    if (d->line > 0 && d->col > 0)
        fprintf(out, ",col=%d", d->col);
    if (rule) {
        char *t = fmt_github_property(rule);
        fprintf(out, ",title=%s", t);
        free(t);
    }
    char *msg = fmt_github_data(d->message);
    fprintf(out, "::%s\n", msg);
    free(msg);
}

void fmt_write_github(FILE *out, const fmt_run *run, int colour)
{
    (void)colour;
    for (size_t k = 0; k < ninputs(run); k++)
        github_command(out, &run->inputs->items[k], "", input_rule(&run->inputs->items[k]));
    for (size_t i = 0; i < run->nreports; i++) {
        const diag_list *l = &run->reports[i].diags;
        for (size_t k = 0; k < l->count; k++)
            if (shown(run, &l->items[k]))
                github_command(out, &l->items[k], run->reports[i].file, l->items[k].rule);
    }
}

/* ---- junit ---- */

static bool listed(char **ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return true;
    return false;
}

/* The test cases of one report: its outcomes, then any other rule ids. */
static size_t junit_cases(const principle_report *r, char ***ids)
{
    size_t n = 0;
    *ids = NULL;
    for (size_t i = 0; i < r->noutcomes; i++) {
        *ids = xrealloc(*ids, (n + 1) * sizeof **ids);
        (*ids)[n++] = r->outcomes[i].id;
    }
    for (size_t i = 0; i < r->diags.count; i++) {
        const char *rule = r->diags.items[i].rule ? r->diags.items[i].rule : "metadata";
        if (!listed(*ids, n, rule)) {
            *ids = xrealloc(*ids, (n + 1) * sizeof **ids);
            (*ids)[n++] = (char *)rule;
        }
    }
    return n;
}

static diag_severity worst_for(const principle_report *r, const char *id, size_t *count)
{
    diag_severity w = DIAG_NOTE;
    *count = 0;
    for (size_t i = 0; i < r->diags.count; i++) {
        const diag *d = &r->diags.items[i];
        const char *rule = d->rule ? d->rule : "metadata";
        if (strcmp(rule, id))
            continue;
        if (!*count || d->severity > w)
            w = d->severity;
        (*count)++;
    }
    return w;
}

/* One suite per input that would not load, its one test case in error:
 * a CI dashboard counts it rather than showing an empty, passing run.
 * Returns the number of such cases. */
static size_t junit_inputs(const fmt_run *run, strbuf *body)
{
    size_t errors = 0;
    for (size_t k = 0; k < ninputs(run); k++) {
        const diag *d = &run->inputs->items[k];
        if (d->severity != DIAG_ERROR)
            continue;
        bool again = false;
        for (size_t m = 0; m < k && !again; m++)
            again = run->inputs->items[m].severity == DIAG_ERROR &&
                    !strcmp(run->inputs->items[m].file ? run->inputs->items[m].file : "",
                            d->file ? d->file : "");
        if (again)
            continue;
        strbuf text = {0};
        sb_add(&text, "", 0);
        for (size_t m = k; m < ninputs(run); m++) {
            const diag *e = &run->inputs->items[m];
            if (!strcmp(e->file ? e->file : "", d->file ? d->file : ""))
                sb_printf(&text, "%s:%d:%d: %s: %s\n", e->file ? e->file : "", e->line, e->col,
                          diag_severity_name(e->severity), e->message);
        }
        char *name = xml_escape(d->file ? d->file : "");
        char *msg = xml_escape(d->message);
        char *t = xml_escape(text.data);
        sb_printf(body, "  <testsuite name=\"%s\" tests=\"1\" failures=\"0\" errors=\"1\" "
                        "skipped=\"0\">\n    <testcase classname=\"%s\" name=\"%s\">\n"
                        "      <error type=\"%s\" message=\"%s\">%s</error>\n"
                        "    </testcase>\n  </testsuite>\n",
                  name, name, input_rule(d), input_rule(d), msg, t);
        free(name);
        free(msg);
        free(t);
        sb_free(&text);
        errors++;
    }
    return errors;
}

void fmt_write_junit(FILE *out, const fmt_run *run, int colour)
{
    (void)colour;
    size_t tests = 0, failures = 0;
    strbuf body = {0};
    sb_add(&body, "", 0);
    for (size_t i = 0; i < run->nreports; i++) {
        const principle_report *r = &run->reports[i];
        char **ids;
        size_t n = junit_cases(r, &ids);
        size_t fails = 0, skipped = 0;
        strbuf cases = {0};
        sb_add(&cases, "", 0);
        char *name = r->audience ? xasprintf("%s (%s)", r->file, r->audience) : xstrdup(r->file);
        char *sname = xml_escape(name);
        for (size_t k = 0; k < n; k++) {
            principle_outcome *o = principle_report_find((principle_report *)r, ids[k]);
            size_t count;
            diag_severity w = worst_for(r, ids[k], &count);
            char *tid = xml_escape(ids[k]);
            sb_printf(&cases, "    <testcase classname=\"%s\" name=\"%s\">\n", sname, tid);
            free(tid);
            if (count && w >= run->fail_level) {
                fails++;
                strbuf text = {0};
                sb_add(&text, "", 0);
                for (size_t m = 0; m < r->diags.count; m++) {
                    const diag *d = &r->diags.items[m];
                    if (strcmp(d->rule ? d->rule : "metadata", ids[k]) || !shown(run, d))
                        continue;
                    sb_printf(&text, "%s:%d:%d: %s: %s\n", d->file ? d->file : r->file, d->line,
                              d->col, diag_severity_name(d->severity), d->message);
                }
                const diag *first = NULL;
                for (size_t m = 0; m < r->diags.count && !first; m++)
                    if (!strcmp(r->diags.items[m].rule ? r->diags.items[m].rule : "metadata",
                                ids[k]) && r->diags.items[m].severity == w)
                        first = &r->diags.items[m];
                char *msg = xml_escape(first ? first->message : "");
                char *t = xml_escape(text.data);
                sb_printf(&cases, "      <failure type=\"%s\" message=\"%s\">%s</failure>\n",
                          diag_severity_name(w), msg, t);
                free(msg);
                free(t);
                sb_free(&text);
            } else if (o && (o->status == OUTCOME_WAIVED || o->status == OUTCOME_NOT_APPLICABLE)) {
                skipped++;
                char *why = o->status == OUTCOME_WAIVED
                                ? xasprintf("waived: %s", o->waiver && *o->waiver ? o->waiver
                                                                                   : "no reason given")
                                : xasprintf("not applicable: %s", o->evidence ? o->evidence : "");
                char *t = xml_escape(why);
                sb_printf(&cases, "      <skipped message=\"%s\"/>\n", t);
                free(t);
                free(why);
            }
            if (o && o->evidence) {
                char *t = xml_escape(o->evidence);
                sb_printf(&cases, "      <system-out>%s</system-out>\n", t);
                free(t);
            }
            sb_puts(&cases, "    </testcase>\n");
        }
        sb_printf(&body, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                         "skipped=\"%zu\">\n%s  </testsuite>\n",
                  sname, n, fails, skipped, cases.data);
        tests += n;
        failures += fails;
        sb_free(&cases);
        free(name);
        free(sname);
        free(ids);
    }
    size_t errors = junit_inputs(run, &body);
    tests += errors;
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<testsuites name=\"aupc\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n%s"
                 "</testsuites>\n", tests, failures, errors, body.data);
    sb_free(&body);
}

/* ---- checklists ---- */

static const char *checklist_label(const principle_outcome *o)
{
    switch (o->status) {
    case OUTCOME_PASS: return "pass";
    case OUTCOME_WAIVED: return "waived";
    case OUTCOME_NOT_APPLICABLE: return "n/a";
    default: return o->severity == DIAG_ERROR ? "fail" : o->severity == DIAG_WARNING ? "warning"
                                                                                       : "note";
    }
}

/* S sanitised (util/escape.h) onto OUT. */
static void put_text(FILE *out, const char *s)
{
    char *t = esc_text_dup(s ? s : "");
    fputs(t, out);
    free(t);
}

void fmt_write_text(FILE *out, const fmt_run *run, int colour)
{
    if (run->heading) {
        put_text(out, run->heading);
        fputc('\n', out);
    }
    for (size_t i = 0; i < run->nreports; i++) {
        const principle_report *r = &run->reports[i];
        fputc('\n', out);
        put_text(out, r->audience ? r->audience : r->file);
        if (r->label) {
            fputs(" (", out);
            put_text(out, r->label);
            fputc(')', out);
        }
        fputc('\n', out);
        size_t pass = 0;
        for (size_t k = 0; k < r->noutcomes; k++) {
            const principle_outcome *o = &r->outcomes[k];
            const char *lab = checklist_label(o);
            const char *c = !colour ? "" : o->status == OUTCOME_PASS ? "\033[32m"
                          : o->status != OUTCOME_FAIL ? "\033[36m"
                          : o->severity == DIAG_ERROR ? "\033[31m" : "\033[35m";
            fprintf(out, "  %s%-8s%s %-32s ", c, lab, colour ? "\033[0m" : "", o->id);
            put_text(out, o->status == OUTCOME_WAIVED ? o->waiver : o->evidence);
            fputc('\n', out);
            if (o->status == OUTCOME_PASS || o->status == OUTCOME_NOT_APPLICABLE)
                pass++;
        }
        fprintf(out, "  %zu of %zu principles met\n", pass, r->noutcomes);
        for (size_t k = 0; k < r->diags.count; k++) {
            const diag *d = &r->diags.items[k];
            if (d->severity >= DIAG_WARNING && shown(run, d)) {
                fputs("    - ", out);
                put_text(out, d->message);
                fprintf(out, " [%s]\n", d->rule ? d->rule : "");
            }
        }
    }
}

static void md_cell(FILE *out, const char *raw)
{
    char *s = esc_text_dup(raw ? raw : "");
    for (const char *p = s; *p; p++) {
        if (*p == '|' || *p == '\\' || *p == '*' || *p == '_' || *p == '`' || *p == '<' ||
            *p == '[' || *p == ']')
            fputc('\\', out);
        fputc(*p == '\n' || *p == '\t' ? ' ' : *p, out);
    }
    free(s);
}

const char *fmt_outcome_word(const principle_outcome *o)
{
    switch (o->status) {
    case OUTCOME_PASS: return "Pass";
    case OUTCOME_WAIVED: return "Waived";
    case OUTCOME_NOT_APPLICABLE: return "Not needed";
    default: return o->severity == DIAG_ERROR ? "Fail" : o->severity == DIAG_WARNING ? "Warning"
                                                                                       : "Note";
    }
}

void fmt_write_md(FILE *out, const fmt_run *run, int colour)
{
    (void)colour;
    char today[40] = "";
    if (run->today.year)
        profile_date_long(run->today, today, sizeof today);
    fputs("# Acceptable use policy check", out);
    if (run->heading) {
        fputs(": ", out);
        md_cell(out, run->heading);
    }
    fputs("\n\n", out);
    size_t docs_ok = 0;
    for (size_t i = 0; i < run->nreports; i++)
        if (!diag_count(&run->reports[i].diags, run->fail_level))
            docs_ok++;
    fprintf(out, "Checked%s%s against the principles every acceptable use policy should meet. "
                 "%zu of %zu documents have nothing at or above %s level.\n",
            *today ? " on " : "", today, docs_ok, run->nreports,
            diag_severity_name(run->fail_level));
    for (size_t i = 0; i < run->nreports; i++) {
        const principle_report *r = &run->reports[i];
        fputs("\n## ", out);
        md_cell(out, r->label ? r->label : r->audience ? r->audience : r->file);
        if (r->audience) {
            fputs(" (", out);
            md_cell(out, r->audience);
            fputs(")", out);
        }
        fputs("\n\n| Principle | Result | Evidence |\n| --- | --- | --- |\n", out);
        for (size_t k = 0; k < r->noutcomes; k++) {
            const principle_outcome *o = &r->outcomes[k];
            fputs("| ", out);
            md_cell(out, o->title);
            fputs(" (", out);
            md_cell(out, o->id);
            bool fail = o->status == OUTCOME_FAIL && o->severity == DIAG_ERROR;
            fprintf(out, ") | %s%s%s | ", fail ? "**" : "", fmt_outcome_word(o), fail ? "**" : "");
            md_cell(out, o->status == OUTCOME_WAIVED ? o->waiver : o->evidence);
            fputs(" |\n", out);
        }
        bool any = false;
        for (size_t k = 0; k < r->diags.count; k++) {
            const diag *d = &r->diags.items[k];
            if (d->severity < DIAG_WARNING || !shown(run, d))
                continue;
            if (!any)
                fputs("\nTo do:\n\n", out);
            any = true;
            fputs("- ", out);
            md_cell(out, d->message);
            fputs("\n", out);
        }
    }
}

/* ---- explain ---- */

void fmt_write_explain(FILE *out, const fmt_run *run)
{
    for (size_t i = 0; i < run->nreports; i++) {
        const principle_report *r = &run->reports[i];
        if (!r->noutcomes)
            continue;
        char *file = esc_text_dup(r->file);
        fprintf(out, "%s: audience ", file);
        put_text(out, r->audience ? r->audience : "unknown");
        fputc('\n', out);
        for (size_t k = 0; k < r->noutcomes; k++) {
            const principle_outcome *o = &r->outcomes[k];
            fprintf(out, "%s: %s: %s: ", file, o->id, status_name(o));
            put_text(out, o->status == OUTCOME_WAIVED ? o->waiver : o->evidence);
            fputc('\n', out);
            for (size_t u = 0; u < o->nunits; u++) {
                const principle_unit *pu = &o->units[u];
                fprintf(out, "%s:%d:%d: %s: %s: \"", file, pu->line, pu->col, o->id, pu->act);
                put_text(out, pu->text);
                fputs("\" [", out);
                put_text(out, pu->why);
                fputs("]\n", out);
            }
            if (o->units_total > o->nunits)
                fprintf(out, "%s: %s: and %zu more\n", file, o->id, o->units_total - o->nunits);
        }
        free(file);
    }
}
