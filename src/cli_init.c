#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "profile.h"
#include "util/escape.h"

static const char init_help[] =
    "usage: aupc init --kind KIND [--name NAME] [--id ID]\n"
    "\n"
    "Print a valid, commented starter profile for a kind of setting. Save it,\n"
    "replace the example names, dates and contacts with your own, then run\n"
    "aupc compile on it.\n"
    "\n"
    "KIND is one of primary, secondary, all-through, special, college,\n"
    "early-years, youth-service, library, children-services.\n"
    "\n"
    "options:\n"
    "  -k, --kind KIND       the kind of setting (required)\n"
    "  -n, --name NAME       the setting's name (default: an example name)\n"
    "  -i, --id ID           the setting's id, used for the output folder\n"
    "                        (lowercase letters, digits and hyphens)\n"
    "  -h, --help            show this help\n";

typedef struct {
    const char *name, *id, *ages, *audiences, *devices;
} starter;

static const char *const pupil_ladder =
    "    <ladder audience=\"pupil\">\n"
    "      <step>A reminder of the rules from a member of staff</step>\n"
    "      <step>Time away from the device or service</step>\n"
    "      <step>A talk with parents or carers</step>\n"
    "      <step>Action under the behaviour policy</step>\n"
    "    </ladder>\n";
static const char *const adult_ladders =
    "    <ladder audience=\"staff\">\n"
    "      <step>An informal conversation with a line manager</step>\n"
    "      <step>Access to systems suspended while the matter is looked into</step>\n"
    "      <step>The disciplinary procedure</step>\n"
    "      <step>A referral to the police or the LADO where the law may have been broken</step>\n"
    "    </ladder>\n"
    "    <ladder audience=\"parent\">\n"
    "      <step>A conversation with the head</step>\n"
    "      <step>Access to our online services withdrawn</step>\n"
    "    </ladder>\n"
    "    <ladder audience=\"community\">\n"
    "      <step>Access to the wifi and devices withdrawn</step>\n"
    "      <step>Asked to leave the site</step>\n"
    "    </ladder>\n";

static starter starter_for(setting_kind k)
{
    switch (k) {
    case KIND_PRIMARY:
        return (starter){"Example Primary School", "example-primary", "from=\"4\" to=\"11\"",
            "    <audience band=\"early\"/>\n    <audience band=\"ks2\"/>\n", "banned"};
    case KIND_SECONDARY:
        return (starter){"Example Secondary School", "example-secondary", "from=\"11\" to=\"18\"",
            "    <audience band=\"ks3-4\"/>\n    <audience band=\"post16\"/>\n", "approved-use"};
    case KIND_ALL_THROUGH:
        return (starter){"Example All-Through School", "example-all-through",
            "from=\"4\" to=\"18\"",
            "    <audience band=\"early\"/>\n    <audience band=\"ks2\"/>\n"
            "    <audience band=\"ks3-4\"/>\n    <audience band=\"post16\"/>\n", "approved-use"};
    case KIND_SPECIAL:
        return (starter){"Example Special School", "example-special", "from=\"5\" to=\"19\"",
            "    <audience band=\"ks2\" reading=\"easy\"/>\n"
            "    <audience band=\"ks3-4\" reading=\"easy\"/>\n", "approved-use"};
    case KIND_COLLEGE:
        return (starter){"Example College", "example-college", "from=\"16\" to=\"19\"",
            "    <audience band=\"post16\"/>\n", "encouraged"};
    case KIND_EARLY_YEARS:
        return (starter){"Example Nursery", "example-nursery", "from=\"2\" to=\"5\"",
            "    <audience band=\"early\"/>\n", "banned"};
    case KIND_YOUTH_SERVICE:
        return (starter){"Example Youth Service", "example-youth", "from=\"11\" to=\"19\"",
            "    <audience band=\"ks3-4\"/>\n    <audience kind=\"community\"/>\n",
            "approved-use"};
    case KIND_LIBRARY:
        return (starter){"Example Library", "example-library", "from=\"5\" to=\"18\"",
            "    <audience band=\"ks2\"/>\n    <audience kind=\"community\"/>\n", "approved-use"};
    default:
        return (starter){"Example Children's Services", "example-childrens-services",
            "from=\"0\" to=\"18\"",
            "    <audience band=\"ks3-4\"/>\n    <audience band=\"ks3-4\" reading=\"easy\"/>\n",
            "approved-use"};
    }
}

static void put_escaped(const char *s)
{
    strbuf b = {0};
    esc_markup(&b, s);
    fputs(b.data ? b.data : "", stdout);
    sb_free(&b);
}

static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64 || id[0] == '-')
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

static void print_profile(setting_kind k, const starter *s, const char *name, const char *id)
{
    bool school = k <= KIND_EARLY_YEARS;
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<!-- A starter aupc profile for a %s setting. Replace every example value\n"
           "     with your own; aupc-profile(5) describes each element. -->\n"
           "<setting xmlns=\"urn:aupc:profile:1\" id=\"%s\" version=\"2026.1\">\n  <name>",
           profile_kind_name(k), id);
    put_escaped(name);
    printf("</name>\n  <kind>%s</kind>\n  <ages %s/>\n  <nation>england</nation>\n\n",
           profile_kind_name(k), s->ages);
    puts("  <!-- Key people: names appear in the documents as the people to tell. -->\n"
         "  <people>\n"
         "    <person role=\"online-safety-lead\" name=\"Ms A Example\" email=\"online.safety@example.org\"/>\n"
         "    <person role=\"dsl\" name=\"Mr B Example\" email=\"safeguarding@example.org\"/>\n"
         "    <person role=\"head\" name=\"Mrs C Example\"/>\n"
         "  </people>\n\n"
         "  <!-- Who to call when something goes wrong; always=\"true\" marks 24/7 lines. -->\n"
         "  <contacts>\n"
         "    <contact role=\"police\" group=\"police\" name=\"Police (non-emergency)\" phone=\"101\" always=\"true\"/>\n"
         "    <contact role=\"ceop\" group=\"national\" name=\"CEOP\" web=\"https://www.ceop.police.uk/\" always=\"true\"/>\n"
         "    <contact role=\"iwf\" group=\"national\" name=\"Internet Watch Foundation\" web=\"https://www.iwf.org.uk/\"/>\n"
         "    <contact role=\"lado\" group=\"local-authority\" name=\"Local authority designated officer\" phone=\"01632 960000\"/>\n"
         "  </contacts>\n\n"
         "  <!-- The technology you provide: statements about each appear only when it is listed. -->\n"
         "  <technology>\n"
         "    <internet/>\n    <wifi/>\n    <devices name=\"laptops and tablets\"/>\n"
         "    <learning-platform name=\"the learning platform\"/>\n"
         "  </technology>\n\n"
         "  <!-- Personal devices: banned, approved-use or encouraged, per group. -->");
    printf("  <devices pupils=\"%s\" staff=\"approved-use\" parents=\"approved-use\" "
           "community=\"approved-use\"/>\n\n", s->devices);
    puts("  <!-- Filtering and monitoring: say honestly what is watched. -->\n"
         "  <monitoring filtering-provider=\"Example Filtering Ltd\" accredited=\"true\"\n"
         "              what=\"web email devices\" personal-messages=\"true\"\n"
         "              enhanced=\"true\" confiscation=\"true\" authorised-by=\"head\"/>\n\n"
         "  <!-- What happens when rules are broken, mildest first. -->\n"
         "  <sanctions>");
    fputs(pupil_ladder, stdout);
    fputs(adult_ladders, stdout);
    puts("  </sanctions>\n\n"
         "  <policies>\n"
         "    <policy kind=\"child-protection\" title=\"Child Protection Policy\"/>\n"
         "    <policy kind=\"behaviour\" title=\"Behaviour Policy\"/>\n"
         "  </policies>\n\n"
         "  <!-- One document is written for each audience listed here. -->\n"
         "  <audiences>");
    fputs(s->audiences, stdout);
    if (school)
        puts("    <audience kind=\"staff\"/>\n    <audience kind=\"parent\"/>");
    else
        puts("    <audience kind=\"staff\"/>");
    puts("  </audiences>\n\n"
         "  <!-- Who helped to write the policy, and when. -->\n"
         "  <consultation>\n"
         "    <consulted audience=\"pupil\" on=\"2026-06-15\" how=\"with a group of the young people it is for\"/>\n"
         "    <consulted audience=\"staff\" on=\"2026-06-20\" how=\"a staff meeting\"/>\n"
         "    <consulted audience=\"parent\" on=\"2026-06-25\" how=\"a parent survey\"/>\n"
         "    <consulted audience=\"community\" on=\"2026-06-25\" how=\"a visitor survey\"/>\n"
         "  </consultation>\n\n"
         "  <!-- How each group hears about the policy and how you check it was understood. -->\n"
         "  <communication>\n"
         "    <tell audience=\"pupil\" via=\"poster\" check=\"Staff talk the rules through with each group.\"/>\n"
         "    <tell audience=\"staff\" via=\"induction\" check=\"Staff sign it each September.\"/>\n"
         "    <tell audience=\"parent\" via=\"home-school-agreement website\"/>\n"
         "    <tell audience=\"community\" via=\"sign-in\"/>\n"
         "  </communication>\n\n"
         "  <!-- Approval and the next review (a year later by default). -->\n"
         "  <review approved=\"2026-09-01\" by=\"The governing board\" cycle-months=\"12\" next=\"2027-09-01\"/>\n"
         "</setting>");
}

int cli_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, 0, 'k'}, {"name", required_argument, 0, 'n'},
        {"id", required_argument, 0, 'i'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *kind = NULL, *name = NULL, *id = NULL;
    optind = 1;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, "k:n:i:h", opts, NULL)) != -1;) {
        switch (c) {
        case 'k': kind = optarg; break;
        case 'n': name = optarg; break;
        case 'i': id = optarg; break;
        case 'h': fputs(init_help, stdout); return EXIT_OK;
        default: return cli_bad_option("init", opts, argv);
        }
    }
    if (optind < argc)
        return cli_usage("init", "unexpected argument '%s': init prints to standard output, "
                         "so redirect it: aupc init --kind KIND > profile.xml", argv[optind]);
    if (!kind)
        return cli_usage("init", "say which kind of setting with --kind");
    int k = profile_kind_from_name(kind);
    if (k < 0)
        return cli_unknown("init", "kind", kind, "primary, secondary, all-through, special, "
                           "college, early-years, youth-service, library or children-services",
                           NULL);
    if (id && !valid_id(id))
        return cli_usage("init", "invalid id '%s': use 1 to 64 lowercase letters, digits and "
                         "hyphens", id);
    starter s = starter_for((setting_kind)k);
    print_profile((setting_kind)k, &s, name ? name : s.name, id ? id : s.id);
    return EXIT_OK;
}
