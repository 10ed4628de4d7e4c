#!/usr/bin/env python3
"""Write a long, varied Markdown draft for timing `aupc lint`.

Usage: gendraft.py OUT.md [BYTES]   (default 1 MiB)

Sections of the shapes schools write (bulleted "I will" lists, "-ing" lists
under a heading, numbered room rules, prose paragraphs, a table, a signature
block) are drawn from a seeded random generator, so that the draft is the
same on every run but no two sections read alike."""
import random
import sys

SUBJECTS = ["I", "You", "Pupils", "Staff", "Visitors", "Learners", "Everyone"]
DEVICES = ["the school laptops", "the class tablets", "the library computers", "my own phone",
           "a smartwatch", "the learning platform", "the school email account",
           "the guest wifi", "the iPads in the suite", "a personal laptop"]
ACTIONS = ["use", "look after", "share", "charge", "log off", "switch off", "hand in",
           "check", "lock", "save work on"]
GOOD = ["make films and music", "research a topic", "write stories", "code a game",
        "find out about the world", "share my work with my class", "practise spellings",
        "take photos of my work", "join a video call with a partner school"]
BAD = ["bully or upset anyone", "get round the filter", "share a password",
       "post photos of other people", "download games", "buy things in an app",
       "change the settings", "message people I do not know"]
BAD_ING = ["Bullying or upsetting anyone", "Getting round the filter", "Sharing a password",
           "Posting photos of other people", "Downloading games", "Buying things in an app",
           "Changing the settings", "Messaging people you do not know"]
HEADINGS_OK = ["What I will do", "Acceptable use", "Good things we can do", "I promise to"]
HEADINGS_NOT = ["What is not acceptable", "Examples of unacceptable use", "I will not",
                "Things to avoid"]


def section(r, i):
    kind = r.randrange(6)
    out = []
    if kind == 0:
        out.append(f"## {r.choice(HEADINGS_OK)} ({i})\n")
        for _ in range(r.randint(4, 9)):
            out.append(f"- {r.choice(SUBJECTS)} will {r.choice(ACTIONS)} "
                       f"{r.choice(DEVICES)} and {r.choice(GOOD)}.")
    elif kind == 1:
        out.append(f"## {r.choice(HEADINGS_NOT)} ({i})\n")
        for _ in range(r.randint(4, 9)):
            out.append(f"- {r.choice(BAD_ING)} on {r.choice(DEVICES)}.")
    elif kind == 2:
        out.append(f"## Room rules {i}\n")
        for k in range(1, r.randint(5, 10)):
            out.append(f"{k}. Do not {r.choice(BAD)}; {r.choice(ACTIONS)} "
                       f"{r.choice(DEVICES)} instead.")
    elif kind == 3:
        out.append(f"## Keeping safe {i}\n")
        sentences = [
            f"Teachers can see what is done on {r.choice(DEVICES)}.",
            f"If anyone breaks these rules, they may lose their time on {r.choice(DEVICES)}.",
            f"Parents will be told when {r.choice(SUBJECTS).lower()} {r.choice(BAD)}.",
            f"We use {r.choice(DEVICES)} to {r.choice(GOOD)}.",
            f"{r.choice(SUBJECTS)} must not {r.choice(BAD)} on {r.choice(DEVICES)}.",
        ]
        r.shuffle(sentences)
        out.append(" ".join(sentences))
    elif kind == 4:
        out.append(f"## Dos and don'ts {i}\n")
        out.append("| Area | You can | You must not |")
        out.append("| --- | --- | --- |")
        for _ in range(r.randint(3, 6)):
            out.append(f"| {r.choice(DEVICES).capitalize()} | {r.choice(GOOD).capitalize()} | "
                       f"{r.choice(BAD).capitalize()} |")
    else:
        out.append(f"**Agreement {i}**\n")
        out.append("I have read these rules and I agree to follow them. "
                   "Please complete and return this form.\n")
        out.append("Signed: ____________________ Date: __________")
    return "\n".join(out) + "\n\n"


def main():
    path = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    r = random.Random(20261127)
    parts = ["<!-- aupc: audience=pupil-ks3-4 approved=2026-09-01 next-review=2027-09-01 -->\n\n"
             "# Using technology at Benchmark Academy\n\n"]
    total, i = len(parts[0]), 0
    while total < size:
        s = section(r, i)
        parts.append(s)
        total += len(s.encode())
        i += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))


if __name__ == "__main__":
    main()
