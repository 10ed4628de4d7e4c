/* A small valid profile that tests mutate, one fact per line so that
 * every error has a line to point at. */
#ifndef AUPC_TEST_FIXTURES_H
#define AUPC_TEST_FIXTURES_H

static const char base_profile[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<setting xmlns=\"urn:aupc:profile:1\" id=\"test-school\" version=\"2026.1\">\n"
    "  <name>Test School</name>\n"
    "  <kind>primary</kind>\n"
    "  <ages from=\"4\" to=\"11\"/>\n"
    "  <people>\n"
    "    <person role=\"dsl\" name=\"Ms Dee Ess\" email=\"dsl@test.example\"/>\n"
    "    <person role=\"head\" name=\"Mr Head\"/>\n"
    "  </people>\n"
    "  <technology>\n"
    "    <internet/>\n"
    "    <email name=\"TestMail\"/>\n"
    "  </technology>\n"
    "  <devices pupils=\"banned\" staff=\"approved-use\"/>\n"
    "  <monitoring filtering-provider=\"Filter Co\" accredited=\"true\" what=\"web email\"\n"
    "              personal-messages=\"true\" enhanced=\"true\" confiscation=\"true\"/>\n"
    "  <sanctions>\n"
    "    <ladder audience=\"pupil\"><step>A reminder</step><step>A call home</step></ladder>\n"
    "    <ladder audience=\"staff\"><step>A conversation</step></ladder>\n"
    "  </sanctions>\n"
    "  <audiences>\n"
    "    <audience band=\"ks2\"/>\n"
    "    <audience kind=\"staff\"/>\n"
    "  </audiences>\n"
    "  <review approved=\"2026-09-01\" by=\"Governors\" next=\"2027-09-01\"/>\n"
    "</setting>\n";

#endif
