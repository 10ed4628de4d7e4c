#!/usr/bin/env python3
"""aupc serve's figures: the live preview's round trip and the zip download.

Starts `aupc serve` on a free port, loads an example profile through the
upload form, then makes 200 edits one after another, each answered by
/api/preview for one audience over one kept-alive connection, as the page's
script does in a browser. Reports p50 and p95 of those round trips and the
median time to download the zip of every document.

Usage: serve_bench.py AUPC [EXAMPLE.xml]   (alone, or from bench.py)"""
import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EDITS = 200
ZIP_ROUNDS = 5
TOKEN = "0123456789abcdef0123456789abcdef"
COOKIE = "aupc_csrf=" + TOKEN


class FormFields(HTMLParser):
    """The fields a browser would send for the page's form, in order."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self.inside = False
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "profile":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append([a["name"], a.get("value", "on")])
            elif kind not in ("file", "submit"):
                self.fields.append([a["name"], a.get("value", "")])
        elif tag == "select":
            self.select = [a.get("name"), None, None]
        elif tag == "option" and self.select:
            if self.select[1] is None:
                self.select[1] = a.get("value", "")
            if "selected" in a:
                self.select[2] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            name, first, chosen = self.select
            self.fields.append([name, chosen if chosen is not None else first])
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(self.textarea)
            self.textarea = None
        elif tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def post(conn, path, body, content_type):
    start = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Content-Type": content_type,
                                                   "Cookie": COOKIE})
    r = conn.getresponse()
    data = r.read()
    secs = time.perf_counter() - start
    if r.status != 200:
        sys.exit(f"serve bench: {path} answered {r.status}: {data[:300]!r}")
    return secs, data


def upload(conn, path):
    boundary = "aupc-bench-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{TOKEN}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; "
            f"filename=\"{os.path.basename(path)}\"\r\nContent-Type: application/xml\r\n\r\n"
            ).encode() + open(path, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
    _, page = post(conn, "/upload", body, "multipart/form-data; boundary=" + boundary)
    form = FormFields()
    form.feed(page.decode())
    return form.fields


def cpu_seconds(pid):
    """User and system CPU time of process PID so far (Linux /proc)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(aupc, rows, targets, example=None):
    example = example or os.path.join(ROOT, "examples", "oakfield-primary.xml")
    server = subprocess.Popen([aupc, "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        url = urllib.parse.urlparse(line.split("listening on ")[1].split()[0])
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        fields = upload(conn, example)
        name = next(f for f in fields if f[0] == "name")
        original = name[1]
        times = []
        cpu_start = cpu_seconds(server.pid)
        for i in range(EDITS):
            # Typing: the name grows a letter at a time, then starts again.
            name[1] = original + " " + "abcdefghij"[: i % 10 + 1]
            body = urllib.parse.urlencode([tuple(f) for f in fields]).encode()
            secs, data = post(conn, "/api/preview?audience=pupil-ks2", body,
                              "application/x-www-form-urlencoded")
            if b'"ok":true' not in data:
                sys.exit("serve bench: the preview did not compile: " + data[:300].decode())
            times.append(secs)
        cpu_end = cpu_seconds(server.pid)
        name[1] = original
        times.sort()
        p50 = statistics.median(times)
        p95 = times[int(len(times) * 0.95) - 1]
        body = urllib.parse.urlencode([tuple(f) for f in fields]).encode()
        zips = []
        for _ in range(ZIP_ROUNDS):
            secs, data = post(conn, "/documents.zip", body, "application/x-www-form-urlencoded")
            zips.append(secs)
        conn.close()
        label = os.path.basename(example)
        rows.append((f"serve: preview round trip, one audience, {EDITS} edits of {label}",
                     f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
                     + (f", server CPU {(cpu_end - cpu_start) / EDITS * 1000:.2f} ms per edit"
                        if cpu_start is not None and cpu_end is not None else "")))
        rows.append((f"serve: zip of every document of {label}",
                     f"{statistics.median(zips) * 1000:.0f} ms ({len(data) // 1024} KiB)"))
        targets.append(("serve: preview p95 at most 20 ms for one audience", p95 <= 0.020,
                        f"{p95 * 1000:.1f} ms"))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    rows, targets = [], []
    run(os.path.abspath(sys.argv[1]), rows, targets, sys.argv[2] if len(sys.argv) > 2 else None)
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    for label, ok, value in targets:
        print(f"{'met ' if ok else 'MISS'}  {label}: {value}")
