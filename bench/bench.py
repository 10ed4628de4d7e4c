#!/usr/bin/env python3
"""aupc's benchmark: speed, memory and size figures, with lowdown + groff
(and pandoc when installed) on the same Markdown for comparison.

Usage: bench.py AUPC [N] [--baseline OLD-AUPC]   (N generated settings, default 1000)

With --baseline, the same PDFs are also made by OLD-AUPC (make bench builds
the last commit before PDFs were tagged) and the tagged PDF's cost per
document is weighed against it.

Also times `aupc lint` on a generated 1 MiB draft (bench/gendraft.py).

Prints figures, then each target with whether it is met. Timings are wall
clock on this machine; run it on a quiet machine and read the trend, not the
last digit."""
import glob
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import serve_bench

HERE = os.path.dirname(os.path.abspath(__file__))
ONE_SETTING_ROUNDS = 15     # the one-setting figure is the median of these
ROOT = os.path.dirname(HERE)


def run(cmd, **kw):
    """Run CMD; return (seconds, peak RSS in KiB of the child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0,):
        sys.exit(f"bench: {' '.join(cmd)} failed with {os.waitstatus_to_exitcode(status)}")
    return secs, usage.ru_maxrss


def count_files(root, ext):
    return sum(len([f for f in fs if f.endswith(ext)]) for _, _, fs in os.walk(root))


def pdf_pages(data):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def cpu_run(cmd):
    """Run CMD; return the CPU seconds (user and system) of the child, which
    a busy shared machine disturbs less than the wall clock."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} ... failed with {os.waitstatus_to_exitcode(status)}")
    return usage.ru_utime + usage.ru_stime


def tagging_cost(aupc, baseline, gen, tmp, rows, targets):
    """The tagged PDF against the untagged one of BASELINE: the same 200
    settings as PDF only, -j 1, the two taking turns for 5 rounds."""
    profiles = sorted(glob.glob(os.path.join(gen, "*.xml")))[:200]
    cpu = {aupc: [], baseline: []}
    size = {}
    for _ in range(5):
        for exe in (baseline, aupc):
            out = os.path.join(tmp, "tagging")
            shutil.rmtree(out, ignore_errors=True)
            cpu[exe].append(cpu_run([exe, "compile", "-q", "-j", "1", "--format", "pdf",
                                     "-o", out] + profiles))
            pdfs = glob.glob(os.path.join(out, "*", "*.pdf"))
            size[exe] = (sum(os.path.getsize(p) for p in pdfs), len(pdfs))
    docs = size[aupc][1]
    ms = {exe: statistics.median(t) / docs * 1000 for exe, t in cpu.items()}
    kb = {exe: size[exe][0] / size[exe][1] / 1024 for exe in size}
    rows.append(("CPU ms per PDF, untagged (baseline) / tagged",
                 f"{ms[baseline]:.3f} / {ms[aupc]:.3f} ({len(profiles)} settings, {docs} PDFs)"))
    rows.append(("KiB per PDF, untagged (baseline) / tagged",
                 f"{kb[baseline]:.1f} / {kb[aupc]:.1f}"))
    ratio = ms[aupc] / ms[baseline]
    targets.append(("the tagged PDF costs at most 25% more per document than the untagged",
                    ratio <= 1.25, f"+{(ratio - 1) * 100:.0f}%"))


def main():
    args = sys.argv[1:]
    baseline = None
    if "--baseline" in args:
        k = args.index("--baseline")
        baseline = os.path.abspath(args[k + 1])
        del args[k:k + 2]
    aupc = os.path.abspath(args[0])
    n = int(args[1]) if len(args) > 1 else 1000
    tmp = tempfile.mkdtemp(prefix="aupc-bench-")
    rows = []
    targets = []
    try:
        examples = sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml")))
        # As a school runs it: default jobs, every audience and format, into
        # the folder of the last run. The examples take turns, round after
        # round, so a busy spell on a shared machine falls on all of them.
        times = {os.path.basename(ex): [] for ex in examples}
        out = os.path.join(tmp, "one")
        for _ in range(ONE_SETTING_ROUNDS):
            for ex in examples:
                times[os.path.basename(ex)].append(run([aupc, "compile", "-q", "-o", out, ex])[0])
        per_setting = {name: statistics.median(t) for name, t in times.items()}
        for name, secs in per_setting.items():
            rows.append((f"one setting, all audiences and formats: {name}",
                         f"{secs * 1000:.1f} ms (fastest {min(times[name]) * 1000:.1f})"))
        worst = max(per_setting.values())
        targets.append(("one setting in at most 20 ms (the slowest example)", worst <= 0.020,
                        f"{worst * 1000:.1f} ms"))
        gen = os.path.join(tmp, "gen")
        subprocess.run([sys.executable, os.path.join(HERE, "genprofiles.py"), str(n), gen], check=True)
        out = os.path.join(tmp, "out")
        secs, rss = run([aupc, "compile", "-q", "-j", "2", "-o", out, gen])
        docs = count_files(out, ".md")
        pdfs = count_files(out, ".pdf")
        rows.append((f"{n} settings, all formats, -j 2",
                     f"{secs:.2f} s, {docs} documents ({pdfs} PDFs with the posters and "
                     "home-school agreements)"))
        rows.append(("documents per second", f"{docs / secs:.0f}"))
        rows.append(("peak memory", f"{rss / 1024:.1f} MiB"))
        targets.append((f"{n} settings x 5 audiences in at most 10 s on 2 cores", secs <= 10,
                        f"{secs:.2f} s"))
        targets.append(("peak memory at most 50 MB", rss / 1024 <= 50 * 1000 * 1000 / 2**20,
                        f"{rss / 1024:.1f} MiB"))
        per_doc = {}
        for fmt in compile_formats(aupc):
            fout = os.path.join(tmp, "fmt-" + fmt)
            fsecs, _ = run([aupc, "compile", "-q", "-j", "1", "--format", fmt, "-o", fout, gen])
            per_doc[fmt] = fsecs / docs * 1000
            rows.append((f"ms per document, {fmt} only, -j 1", f"{per_doc[fmt]:.3f}"))
            shutil.rmtree(fout)

        pdfs = glob.glob(os.path.join(out, "*", "*.pdf"))
        total = pages = 0
        for p in pdfs:
            data = open(p, "rb").read()
            if b"/FontFile2" in data:
                continue    # embedded TrueType: not a Helvetica PDF
            total += len(data)
            pages += pdf_pages(data)
        kb_page = total / pages / 1024 if pages else 0
        rows.append(("Helvetica PDF bytes per page", f"{kb_page:.2f} KiB ({pages} pages)"))
        targets.append(("at most 8 KB per page (Helvetica)", kb_page * 1024 <= 8000,
                        f"{kb_page:.2f} KiB"))

        if baseline:
            tagging_cost(aupc, baseline, gen, tmp, rows, targets)
        else:
            rows.append(("tagged against untagged PDF", "no --baseline: not measured"))
        compare(out, tmp, per_doc["pdf"], rows, targets)
        lint_draft(aupc, tmp, rows, targets)

        # Time bounded by size: cmark's pathological inputs and 8 MiB drafts.
        sys.path.insert(0, HERE)
        import hostile
        hrows, htargets = hostile.figures(aupc)
        rows.extend(hrows)
        targets.extend(htargets)
        serve_bench.run(aupc, rows, targets)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print()
    for label, ok, value in targets:
        print(f"{'met ' if ok else 'MISS'}  {label}: {value}")


def compile_formats(aupc):
    """The formats `aupc compile` can write, as its --help lists them (the
    list comes from the format registry), so a new format is timed too."""
    text = subprocess.run([aupc, "compile", "--help"], capture_output=True, text=True,
                          check=True).stdout
    m = re.search(r"formats: (.*?), or all", text)
    if not m:
        sys.exit("bench: no list of formats in `aupc compile --help`")
    return [f.strip() for f in m.group(1).split(",")]


LINT_ROUNDS = 9     # the 1 MiB lint figure is the median of these


def time_lint(aupc, draft):
    """Median and fastest wall time of LINT_ROUNDS lints of DRAFT, and the
    median CPU user and system time, in seconds."""
    times, user, system = [], [], []
    for _ in range(LINT_ROUNDS):
        start = time.perf_counter()
        proc = subprocess.Popen([aupc, "lint", "--today", "2026-11-24", draft],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        user.append(usage.ru_utime)
        system.append(usage.ru_stime)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            sys.exit(f"bench: aupc lint failed with {os.waitstatus_to_exitcode(status)}")
    return (statistics.median(times), min(times), statistics.median(user),
            statistics.median(system))


def lint_row(figures):
    med, fastest, user, system = figures
    # CPU time beside the wall clock: a loaded machine stretches the latter.
    # System time apart: it is mostly the kernel clearing fresh pages, which
    # costs many times more when the host has taken them back
    return (f"{med * 1000:.1f} ms (fastest {fastest * 1000:.1f}, CPU user {user * 1000:.1f} + "
            f"system {system * 1000:.1f})")


def lint_draft(aupc, tmp, rows, targets):
    """aupc lint on a 1 MiB draft of varied sections (bench/gendraft.py), and
    on the same draft without its aupc comment, whose reader lint guesses
    (most drafts a school lints have no comment): that runs the rules that
    guess the reader on every unit."""
    draft = os.path.join(tmp, "draft-1mib.md")
    subprocess.run([sys.executable, os.path.join(HERE, "gendraft.py"), draft, str(1 << 20)],
                   check=True)
    figures = time_lint(aupc, draft)
    rows.append(("lint of a 1 MiB draft", lint_row(figures)))
    targets.append(("lint of a 1 MiB draft in at most 50 ms", figures[0] <= 0.050,
                    f"{figures[0] * 1000:.1f} ms"))
    bare = os.path.join(tmp, "draft-1mib-no-comment.md")
    with open(draft, encoding="utf-8") as f:
        lines = f.readlines()
    with open(bare, "w", encoding="utf-8") as f:
        f.writelines(line for line in lines if not line.startswith("<!-- aupc:"))
    rows.append(("lint of the same draft without its aupc comment", lint_row(time_lint(aupc, bare))))


def compare(out, tmp, aupc_ms, rows, targets):
    """The same Markdown through lowdown + groff, and pandoc, one process per document."""
    mds = sorted(glob.glob(os.path.join(out, "*", "*.md")))[:40]
    if not (shutil.which("lowdown") and shutil.which("groff")):
        rows.append(("lowdown + groff", "not installed: no comparison"))
        return
    target = os.path.join(tmp, "cmp.pdf")
    start = time.perf_counter()
    for md in mds:
        subprocess.run(f"lowdown -Tms '{md}' | groff -ms -Tpdf > '{target}'", shell=True,
                       check=True, stderr=subprocess.DEVNULL)
    lg_ms = (time.perf_counter() - start) / len(mds) * 1000
    rows.append(("lowdown -Tms | groff -ms -Tpdf, ms per document", f"{lg_ms:.1f}"))
    rows.append(("  aupc PDF is faster by", f"{lg_ms / aupc_ms:.0f}x"))
    targets.append(("at least 20 times faster per document than lowdown + groff",
                    lg_ms / aupc_ms >= 20, f"{lg_ms / aupc_ms:.0f}x"))
    if shutil.which("pandoc"):
        start = time.perf_counter()
        for md in mds[:10]:
            subprocess.run(["pandoc", "-f", "commonmark", "-t", "ms", "-o", target.replace(".pdf", ".ms"), md],
                           check=True, stderr=subprocess.DEVNULL)
            subprocess.run(f"groff -ms -Tpdf '{target.replace('.pdf', '.ms')}' > '{target}'",
                           shell=True, check=True, stderr=subprocess.DEVNULL)
        pd_ms = (time.perf_counter() - start) / min(10, len(mds)) * 1000
        rows.append(("pandoc -t ms | groff -ms -Tpdf, ms per document", f"{pd_ms:.1f}"))
        rows.append(("  aupc PDF is faster by", f"{pd_ms / aupc_ms:.0f}x"))
    else:
        rows.append(("pandoc", "not installed: no comparison (apt-get install pandoc)"))


if __name__ == "__main__":
    main()
