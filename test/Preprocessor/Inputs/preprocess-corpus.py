#!/usr/bin/env python3
"""Preprocess every .stp/.stpm of the SystemTap corpus with `stapc
--dump-tokens`, loading the macro libraries stap itself would load (the
top-level tapset .stpm files plus those of one runtime directory), and
report every file that produces a diagnostic.

usage: preprocess-corpus.py STAPC SCRATCH_DIR [SYSTEMTAP_DIR]
"""
import os
import shutil
import subprocess
import sys

stapc, scratch = sys.argv[1], sys.argv[2]
root = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/systemtap"
tapset = os.path.join(root, "tapset")
RUNTIMES = ("linux", "dyninst", "bpf")


def macro_dir(runtime):
    """A directory holding the .stpm files visible to one runtime."""
    d = os.path.join(scratch, runtime)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for sub in (tapset, os.path.join(tapset, runtime)):
        for f in sorted(os.listdir(sub)):
            if f.endswith(".stpm"):
                os.symlink(os.path.join(sub, f),
                           os.path.join(d, os.path.basename(sub) + "_" + f))
    return d


def runtime_of(path):
    rel = os.path.relpath(path, tapset)
    first = rel.split(os.sep)[0]
    return first if first in RUNTIMES else "linux"


files = []
for top in (tapset, os.path.join(root, "examples")):
    for dirpath, _, names in os.walk(top):
        files += [os.path.join(dirpath, n) for n in names
                  if n.endswith((".stp", ".stpm"))]
files.sort()
dirs = {r: macro_dir(r) for r in RUNTIMES}


failed = False
for runtime in RUNTIMES:
    mine = [f for f in files if runtime_of(f) == runtime]
    p = subprocess.run([stapc, "--preprocess-each", "--no-default-tapsets",
                        "-I", dirs[runtime]] + mine,
                       capture_output=True, text=True, errors="replace")
    print(runtime + ": " + p.stdout.strip())
    if p.returncode != 0 or p.stderr:
        failed = True
        print("FAILED:\n" + p.stderr)
sys.exit(1 if failed else 0)
