#!/usr/bin/env python3
"""Print each Debian package that aupc's build links or runs but the
README's GitHub Actions workflow does not install; print nothing when it
installs them all. What the build needs is read from the build itself (the
link line of aupc in build.ninja, the programs meson.build finds), not from
a list kept here. Usage: readme_workflow.py SOURCE_ROOT BUILD_ROOT"""
import os
import re
import shlex
import subprocess
import sys

src, build = sys.argv[1], sys.argv[2]
readme = open(os.path.join(src, 'README.md'), encoding='utf-8').read()
workflow = readme.split('```yaml\n', 1)[1].split('```', 1)[0]
# the apt-get install command, its continuation lines joined
apt = re.search(r'apt-get install ((?:[^\n\\]|\\\n)*)', workflow).group(1)
installed = {w for w in shlex.split(apt.replace('\\\n', ' ')) if not w.startswith('-')}


def package_of(path):
    out = subprocess.run(['dpkg', '-S', path], capture_output=True, text=True).stdout
    return out.split(':', 1)[0] if out else None


def lib_path(arg):
    if arg.startswith('-l'):
        found = subprocess.run(['gcc', '-print-file-name=lib%s.so' % arg[2:]],
                               capture_output=True, text=True).stdout.strip()
        return os.path.normpath(found)
    return arg if arg.endswith('.so') else None


ninja = open(os.path.join(build, 'build.ninja'), encoding='utf-8').read()
link = re.search(r'^build aupc: .*?\n LINK_ARGS = (.*?)\n', ninja, re.S | re.M).group(1)
paths = [p for p in map(lib_path, link.split()) if p]
paths.append(subprocess.run(['sh', '-c', 'command -v xmllint'], capture_output=True,
                            text=True).stdout.strip())
needed = set()
for p in paths:
    pkg = package_of(p)
    if pkg is None:
        print('no package owns %s' % p)
    # the C library comes with the compiler on every runner
    elif pkg != 'libc6-dev':
        needed.add(pkg)
for pkg in sorted(needed - installed):
    print(pkg)
