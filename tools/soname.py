#!/usr/bin/env python3
"""soname.py LIBDIR NAME: print the soname of LIBDIR/libNAME.so, the library
the build would link against, and on a second line the Debian package that
holds it (from dpkg when it knows the file, else by Debian's naming rule).

aupc loads libmicrohttpd and libzip only when a command needs them, by
these names, so the name it asks for is the one it was built against."""
import os
import re
import subprocess
import sys


def soname(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True,
                         check=True).stdout
    m = re.search(r"Library soname: \[([^\]]+)\]", out)
    if not m:
        sys.exit(f"soname.py: {path} has no soname")
    return m.group(1)


def package(libdir, name):
    try:
        out = subprocess.run(["dpkg-query", "-S", os.path.join(libdir, name)],
                             capture_output=True, text=True).stdout
    except OSError:
        out = ""
    if out:
        return out.split(":", 1)[0]
    # Debian policy 8.1: libfoo.so.N is in libfooN, libfoo2.so.N in libfoo2-N.
    base, _, version = name.partition(".so.")
    major = version.split(".")[0]
    return f"{base}{'-' if base[-1:].isdigit() else ''}{major}"


def main():
    libdir, name = sys.argv[1:3]
    so = soname(os.path.join(libdir, f"lib{name}.so"))
    print(so)
    print(package(libdir, so))


if __name__ == "__main__":
    main()
