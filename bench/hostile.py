#!/usr/bin/env python3
"""Time bounded by size: aupc lint and aupc diff on libcmark's own
pathological inputs (the list in cmark's test/pathological_tests.py, at its
sizes) and on two drafts of 8 MiB, each of which must finish in under 2 s.

Usage: hostile.py AUPC [--write DIR]   (--write: only write the inputs)

bench.py calls figures() and adds its rows and targets."""
import itertools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

LIMIT = 2.0                  # seconds, each case
MIB = 1024 * 1024
META = "<!-- aupc: audience=staff approved=2026-09-01 next-review=2027-09-01 -->\n"


def _hash_collisions():
    """cmark's "reference collisions": labels that share a bucket of its
    reference map."""
    def bad(ref):
        h = 0
        for c in ref:
            h = (ord(c) + ((h << 6) & 0xFFFFFFFF) + ((h << 16) & 0xFFFFFFFF) - h) & 0xFFFFFFFF
        return h % 16 == 0
    keys = itertools.islice((k for k in ("x%d" % i for i in itertools.count()) if bad(k)), 25000)
    first = next(keys)
    return "".join("[%s]: /url\n\n[%s]\n\n" % (k, first) for k in keys)


def cmark_cases():
    """Name -> Markdown, as cmark's pathological tests make them."""
    return {
        "nested strong emph": "*a **a " * 32500 + "b" + " a** a*" * 32500,
        "many emph closers with no openers": "a_ " * 32500,
        "many emph openers with no closers": "_a " * 32500,
        "many link closers with no openers": "a]" * 32500,
        "many link openers with no closers": "[a" * 32500,
        "mismatched openers and closers": "*a_ " * 25000,
        "issue #389": "*a " * 20000 + "_a*_ " * 20000,
        "openers and closers multiple of 3": "a**b" + "c* " * 25000,
        "link openers and emph closers": "[ a_" * 25000,
        "pattern [ (]( repeated": "[ (](" * 40000,
        "pattern ![[]() repeated": "![[]()" * 160000,
        "hard link/emph case": "**x [a*b**c*](d)",
        "nested brackets": "[" * 25000 + "a" + "]" * 25000,
        "nested block quotes": "> " * 25000 + "a",
        "deeply nested lists": "".join("  " * x + "* a\n" for x in range(500)),
        "U+0000 in input": "abc\0de\0",
        "backticks": "".join("e" + "`" * x for x in range(1, 2500)),
        "unclosed links A": "[a](<b" * 30000,
        "unclosed links B": "[a](b" * 30000,
        "unclosed <!--": "</" + "<!--" * 300000,
        "empty lines in deeply nested lists": "- " * 30000 + "x" + "\n" * 30000,
        "empty lines in deeply nested lists in blockquote":
            "> " + "- " * 30000 + "x\n" + ">\n" * 30000,
        "emph in deep blockquote": ">" * 100000 + "a*" * 100000,
        "reference collisions": _hash_collisions(),
        "nested inlines": "*" * 20000 + "a" + "*" * 20000,
        "many references":
            "".join("[%d]: u\n" % x for x in range(1, 5000 * 16)) + "[0] " * 5000,
    }


WORDS = ("I will keep my password secret and log off when I finish using the school "
         "computers tablets laptops email learning platform internet wifi devices staff "
         "pupils parents carers report worries trusted adult online safety lead designated "
         "safeguarding filtering monitoring phone camera images video messages personal data "
         "respect others kind polite share never download install software check before "
         "posting bullying sanctions behaviour policy review governors approved").split()


def _sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def draft_blocks(size, seed):
    """Blocks of a long, ordinary draft: headings, paragraphs and list items."""
    rng = random.Random(seed)
    blocks, total, n = [], 0, 0
    while total < size:
        if n % 40 == 0:
            b = "## Section %d: %s" % (n // 40 + 1, _sentence(rng)[:-1])
        elif n % 3 == 0:
            b = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        else:
            b = "- " + _sentence(rng)
        blocks.append(b)
        total += len(b) + 2
        n += 1
    return blocks


def edited(blocks, seed):
    """The next year's draft: about one block in fifty reworded, and some
    removed, added and moved."""
    rng = random.Random(seed)
    out = []
    moved = []
    for b in blocks:
        r = rng.random()
        if r < 0.01:
            continue                                  # removed
        if r < 0.02:
            moved.append(b)                           # moved further on
            continue
        if r < 0.04 and not b.startswith("##"):
            words = b.split(" ")
            k = rng.randrange(1, len(words))
            words[k] = rng.choice(WORDS)
            b = " ".join(words)                       # reworded
        out.append(b)
        if r > 0.99:
            out.append("- " + _sentence(rng))         # added
        if moved and rng.random() < 0.01:
            out.append(moved.pop())
    return out + moved


def write_draft(path, blocks, limit):
    text = META + "# Acceptable use policy\n\n"
    body = []
    size = len(text)
    for b in blocks:
        if size + len(b) + 2 > limit:
            break
        body.append(b)
        size += len(b) + 2
    with open(path, "w") as f:
        f.write(text + "\n\n".join(body) + "\n")


def write_inputs(d):
    """Write every input into D; return [(name, argv tail)]."""
    cases = []
    for i, (name, text) in enumerate(cmark_cases().items()):
        path = os.path.join(d, "cmark-%02d.md" % i)
        with open(path, "w") as f:
            f.write(text)
        cases.append((name, path))
    old, new, other = (os.path.join(d, n) for n in ("old.md", "new.md", "other.md"))
    blocks = draft_blocks(8 * MIB, 1)
    write_draft(old, blocks, 8 * MIB)
    write_draft(new, edited(blocks, 2), 8 * MIB)
    write_draft(other, draft_blocks(8 * MIB, 3), 8 * MIB)
    return cases, old, new, other


def timed(cmd):
    """Wall seconds of CMD, its status and its stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    return wall, proc.returncode, err.decode("utf-8", "replace")


def cpu_of(fn):
    """CPU seconds (user + system) of the children FN runs, and what it
    returns. CPU time is the figure: it changes little when other work
    shares the machine, as it does on a busy CI runner."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = fn()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, result


def figures(aupc):
    """(rows, targets) for bench.py."""
    rows, targets = [], []
    with tempfile.TemporaryDirectory(prefix="aupc-hostile-") as d:
        cases, old, new, other = write_inputs(d)
        worst = (0.0, "")
        runs = []
        for name, path in cases:
            runs.append(("lint: " + name, [aupc, "lint", "--today", "2026-10-01", path]))
            runs.append(("diff: " + name, [aupc, "diff", "-f", "json", path, old]))
        runs.append(("diff: two 8 MiB drafts, one edited from the other",
                     [aupc, "diff", "-f", "json", old, new]))
        runs.append(("diff: two unrelated 8 MiB drafts", [aupc, "diff", "-f", "json", old, other]))
        # Reported, not held to the 2 s: every principle over 8 MiB of text.
        extra = [("lint: an 8 MiB draft", [aupc, "lint", "--today", "2026-10-01", old])]
        for label, cmd in runs + extra:
            cpu, (wall, status, err) = cpu_of(lambda: timed(cmd))
            if status not in (0, 1):
                rows.append((label, "FAILED with status %d: %s" % (status, err.strip()[:200])))
                worst = max(worst, (float("inf"), label))
                continue
            refused = " (refused)" if "error:" in err and status == 1 else ""
            rows.append((label, "%.2f s CPU, %.2f s wall%s" % (cpu, wall, refused)))
            if (label, cmd) not in extra:
                worst = max(worst, (cpu, label))
        targets.append(("each cmark pathological input (lint and diff) and the diff of two "
                        "8 MiB drafts in under %g s CPU" % LIMIT, worst[0] < LIMIT,
                        "slowest %.2f s: %s" % worst))
    return rows, targets


def main():
    if len(sys.argv) > 2 and sys.argv[2] == "--write":
        os.makedirs(sys.argv[3], exist_ok=True)
        write_inputs(sys.argv[3])
        return
    rows, targets = figures(os.path.abspath(sys.argv[1]))
    for label, value in rows:
        print("%-70s %s" % (label, value))
    failed = False
    for label, ok, value in targets:
        print("%s %s: %s" % ("MET " if ok else "MISSED", label, value))
        failed |= not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
