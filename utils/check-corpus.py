#!/usr/bin/env python3
"""Run `stapc -p1 --check-roundtrip` over every .stp file under some
directories (by default the Debian systemtap tapsets and examples) and
report each file that fails.

A file fails when stapc exits non-zero (parse error, round-trip mismatch,
crash) or takes longer than --timeout seconds. Files listed in the
expected-failures file (one path per line, `# reason` comments) are allowed
to fail; if one of them passes, that is reported too so that the list stays
honest.

Exit status: 0 when the outcome matches the expectations, 1 otherwise.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

# Positional script arguments for the examples that read $1..$9 / @1..@9
# (stap refuses to parse them without). Most use them as numbers or strings;
# a few splice them into probe points (`probe $1.call`), so a file passes if
# it is accepted with either set.
ARG_SETS = [
    [str(i) for i in range(1, 10)],
    ['kernel.function("vfs_read")'] * 9,
]


# stap loads the top-level .stpm macro libraries plus those of one runtime
# subdirectory (linux/ for the kernel runtime, bpf/, dyninst/); the runtime
# directories define the same macros differently. stapc scans its -I
# directories recursively, so each file gets a directory of links that
# holds exactly what stap would load for the runtime the file belongs to.
RUNTIMES = ("linux", "bpf", "dyninst")


def make_macro_views(tapset_dir, root):
    views = {}
    top = [n for n in os.listdir(tapset_dir) if n.endswith(".stpm")]
    for runtime in RUNTIMES:
        view = os.path.join(root, runtime)
        os.makedirs(view)
        for n in top:
            os.symlink(os.path.join(tapset_dir, n), os.path.join(view, n))
        sub = os.path.join(tapset_dir, runtime)
        if os.path.isdir(sub):
            for n in os.listdir(sub):
                if n.endswith(".stpm"):
                    os.symlink(os.path.join(sub, n), os.path.join(view, runtime + "-" + n))
        views[runtime] = view
    return views


def runtime_of(path, tapset_dir):
    rel = os.path.relpath(path, tapset_dir).split(os.sep)
    return rel[0] if len(rel) > 1 and rel[0] in ("bpf", "dyninst") else "linux"


def find_scripts(dirs):
    files = []
    for d in dirs:
        for root, _, names in os.walk(d):
            files.extend(os.path.join(root, n) for n in names if n.endswith(".stp"))
    return sorted(files)


def read_expected_failures(path):
    expected = {}
    if not path:
        return expected
    with open(path) as f:
        for line in f:
            entry, _, reason = line.partition("#")
            entry = entry.strip()
            if entry:
                expected[entry] = reason.strip()
    return expected


def run_stapc(stapc, macro_dir, timeout, path, script_args):
    # -g: tapset files and some examples contain embedded C, which stap
    # also only accepts in guru mode.
    cmd = [stapc, "-p1", "--check-roundtrip", "-g", "--no-default-tapsets",
           "-I", macro_dir, path] + script_args
    try:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timed out after %ss" % timeout
    if proc.returncode == 0:
        return None
    err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    detail = "\n    ".join(err[:6]) if err else "(no message)"
    if proc.returncode < 0:
        detail = "killed by signal %d\n    %s" % (-proc.returncode, detail)
    return detail


def check_one(stapc, macro_dir, timeout, path):
    """(path, None) if the file passes with some argument set, else
    (path, the failure of the first set)."""
    first_failure = None
    for script_args in ARG_SETS:
        detail = run_stapc(stapc, macro_dir, timeout, path, script_args)
        if detail is None:
            return path, None
        if "killed by signal" in detail or "timed out" in detail:
            return path, detail  # a crash or hang is never excused
        first_failure = first_failure or detail
    return path, first_failure


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*",
                    default=["/usr/share/systemtap/tapset", "/usr/share/systemtap/examples"])
    ap.add_argument("--stapc", default="stapc")
    ap.add_argument("--tapset-dir", default="/usr/share/systemtap/tapset",
                    help="where the .stpm macro libraries come from")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--expected-failures")
    ap.add_argument("--min-files", type=int, default=1,
                    help="fail if fewer files are found (guards against an empty corpus)")
    args = ap.parse_args()

    files = find_scripts(args.dirs)
    if len(files) < args.min_files:
        print("corpus: only %d .stp files under %s (expected at least %d)"
              % (len(files), " ".join(args.dirs), args.min_files))
        return 1
    expected = read_expected_failures(args.expected_failures)

    failures = {}
    with tempfile.TemporaryDirectory(prefix="stapc-corpus-") as tmp, \
         concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        views = make_macro_views(args.tapset_dir, tmp)
        jobs = [pool.submit(check_one, args.stapc,
                            views[runtime_of(f, args.tapset_dir)], args.timeout, f)
                for f in files]
        for job in jobs:
            path, detail = job.result()
            if detail is not None:
                failures[path] = detail

    unexpected = sorted(p for p in failures if p not in expected)
    fixed = sorted(p for p in expected if p in files and p not in failures)
    for p in unexpected:
        print("FAIL: %s\n    %s" % (p, failures[p]))
    for p in fixed:
        print("UNEXPECTED PASS: %s (remove it from the expected-failures list)" % p)
    print("corpus: %d files, %d failed (%d expected), %d unexpected failures, "
          "%d unexpected passes" % (len(files), len(failures), len(failures) - len(unexpected),
                                    len(unexpected), len(fixed)))
    return 1 if unexpected or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
