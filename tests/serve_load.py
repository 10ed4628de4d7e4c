#!/usr/bin/env python3
"""Many requests at once to `aupc serve`, for ThreadSanitizer (make test-tsan).

Starts AUPC serve with four workers, loads each example through the upload
form, then sends previews of every audience and zips from many threads at
once, stops the server with SIGTERM and fails if any request failed or the
server did not exit cleanly (ThreadSanitizer exits 66 on a race).

Usage: serve_load.py AUPC"""
import concurrent.futures
import glob
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import serve_bench  # noqa: E402  (the form reader and the client)

import http.client  # noqa: E402
import urllib.parse  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    aupc = sys.argv[1]
    server = subprocess.Popen([aupc, "serve", "--listen", "127.0.0.1:0", "--max-clients", "4"],
                              stdout=subprocess.PIPE, text=True)
    failed = []
    try:
        url = urllib.parse.urlparse(server.stdout.readline().split("listening on ")[1].split()[0])

        def connect():
            return http.client.HTTPConnection(url.hostname, url.port, timeout=600)

        jobs = []
        for example in sorted(glob.glob(os.path.join(ROOT, "examples", "*.xml"))):
            fields = serve_bench.upload(connect(), example)
            body = urllib.parse.urlencode([tuple(f) for f in fields]).encode()
            audiences = [v for k, v in fields if k == "audience"]
            jobs += [("/api/preview?audience=" + a, body) for a in audiences]
            jobs.append(("/documents.zip", body))

        def one(job):
            path, body = job
            try:
                serve_bench.post(connect(), path, body, "application/x-www-form-urlencoded")
            except BaseException as e:  # serve_bench.post exits on a bad status
                failed.append(f"{path}: {e}")

        with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
            list(pool.map(one, jobs * 2))
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait()
    for f in failed:
        print("serve_load: " + f, file=sys.stderr)
    if code != 0:
        print(f"serve_load: aupc serve exited with {code}", file=sys.stderr)
    sys.exit(1 if failed or code != 0 else 0)


if __name__ == "__main__":
    main()
