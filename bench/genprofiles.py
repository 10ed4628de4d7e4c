#!/usr/bin/env python3
"""Write N varied, realistic setting profiles for the benchmark.

Usage: genprofiles.py N OUTDIR [SEED]

Each profile differs in kind, audiences, technology, device policy,
monitoring and sanctions, so the benchmark exercises every path of
selection and layout rather than one document repeated."""
import os
import random
import sys

KINDS = ["primary", "secondary", "all-through", "special", "college",
         "early-years", "youth-service", "library", "children-services"]
AUDIENCES = {
    "primary": ['band="early"', 'band="ks2"', 'band="ks2" reading="easy"', 'kind="staff"', 'kind="parent"'],
    "secondary": ['band="ks3-4"', 'band="post16"', 'kind="staff"', 'kind="parent"', 'kind="community"'],
    "all-through": ['band="early"', 'band="ks2"', 'band="ks3-4"', 'kind="staff"', 'kind="parent"'],
    "special": ['band="ks2" reading="easy"', 'band="ks3-4" reading="easy"', 'band="post16" reading="easy"',
                'kind="staff"', 'kind="parent" reading="easy"'],
    "college": ['band="post16"', 'band="post16" reading="easy"', 'kind="staff"', 'kind="parent"', 'kind="community"'],
    "early-years": ['band="early"', 'band="early" reading="easy"', 'kind="staff"', 'kind="parent"', 'kind="community"'],
    "youth-service": ['band="ks3-4"', 'band="post16"', 'kind="staff"', 'kind="community"', 'kind="parent"'],
    "library": ['band="ks2"', 'band="ks3-4"', 'kind="staff"', 'kind="community"', 'kind="parent"'],
    "children-services": ['band="ks2"', 'band="ks3-4"', 'band="ks3-4" reading="easy"', 'kind="staff"', 'kind="parent"'],
}
TOWNS = ["Ashby", "Brampton", "Castleford", "Dunmore", "Elmstead", "Fairhaven", "Glenbrook",
         "Hartwell", "Ivybridge", "Kingsmead", "Longford", "Marston", "Netherby", "Oakley"]
NAMES = ["Ms Amira Shah", "Mr Tom Brennan", "Mrs Grace Okafor", "Dr Ian Pryce", "Ms Nia Evans",
         "Mr Lukas Novak", "Mrs Helen Marsh", "Mr Sanjay Patel"]
TECH = ["learning-platform", "email", "internet", "wifi", "devices", "ai-tools", "video-calls",
        "remote-learning"]
POLICIES = ["banned", "approved-use", "encouraged"]
NOUN = {"primary": "Primary School", "secondary": "Academy", "all-through": "School",
        "special": "Special School", "college": "College", "early-years": "Nursery",
        "youth-service": "Youth Service", "library": "Library",
        "children-services": "Children's Services"}


def profile(i, rng):
    kind = KINDS[i % len(KINDS)]
    town = rng.choice(TOWNS)
    name = f"{town} {NOUN[kind]} {i}"
    auds = "\n".join(f"    <audience {a}/>" for a in AUDIENCES[kind])
    tech = [t for t in TECH if t == "internet" or rng.random() < 0.7]
    techs = "\n".join(f'    <{t} name="{town} {t.replace("-", " ")}"/>' for t in tech)
    pupils = rng.choice(POLICIES)
    flags = {f: rng.choice(["true", "false"]) for f in
             ("accredited", "personal-messages", "enhanced", "confiscation")}
    people = "\n".join(f'    <person role="{r}" name="{rng.choice(NAMES)}" email="{r}@s{i}.example.org"/>'
                       for r in ("online-safety-lead", "dsl", "head", "network-manager"))
    ladders = "\n".join(
        f'    <ladder audience="{k}">' + "".join(
            f"<step>{s}</step>" for s in steps[:rng.randint(2, len(steps))]) + "</ladder>"
        for k, steps in {
            "pupil": ["A reminder from a member of staff", "Time away from the device",
                      "A call to parents or carers", "Action under the behaviour policy"],
            "staff": ["A conversation with a line manager", "Access suspended",
                      "The disciplinary procedure"],
            "parent": ["A meeting with the head", "Online access withdrawn"],
            "community": ["Wifi access withdrawn", "Asked to leave the site"],
        }.items())
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<setting xmlns="urn:aupc:profile:1" id="bench-{i:05d}" version="2026.{i % 4 + 1}">
  <name>{name}</name>
  <kind>{kind}</kind>
  <ages from="4" to="18"/>
  <people>
{people}
  </people>
  <contacts>
    <contact role="police" group="police" name="Police" phone="101" always="true"/>
    <contact role="ceop" group="national" name="CEOP" web="https://www.ceop.police.uk/" always="true"/>
  </contacts>
  <technology>
{techs}
  </technology>
  <devices pupils="{pupils}" staff="approved-use" post16="{rng.choice(POLICIES)}"/>
  <monitoring filtering-provider="{town} Filtering" accredited="{flags['accredited']}" what="web email devices"
              personal-messages="{flags['personal-messages']}" enhanced="{flags['enhanced']}"
              confiscation="{flags['confiscation']}"/>
  <sanctions>
{ladders}
  </sanctions>
  <policies>
    <policy kind="child-protection" title="Child Protection Policy"/>
    <policy kind="behaviour" title="Behaviour Policy"/>
  </policies>
  <audiences>
{auds}
  </audiences>
  <consultation>
    <consulted audience="pupil" on="2026-06-1{i % 9}" how="the pupil council"/>
    <consulted audience="staff" on="2026-06-20" how="a staff meeting"/>
  </consultation>
  <review approved="2026-09-01" by="The governing board" next="2027-09-01"/>
</setting>
'''


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        with open(os.path.join(out, f"bench-{i:05d}.xml"), "w") as f:
            f.write(profile(i, rng))


if __name__ == "__main__":
    main()
