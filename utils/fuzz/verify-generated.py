#!/usr/bin/env python3
"""verify-generated.py - compile generated scripts and load every object.

    utils/fuzz/verify-generated.py [--count N] [--first SEED] [--jobs J]
                                   [--time-limit SECS] [--artifacts DIR]
                                   [--stapc PATH] [--stapc-run PATH]

For each seed in [FIRST, FIRST+COUNT): genscript.py writes a script, stapc
compiles it to an object, and `stapc-run --load-only` loads the object into
the running kernel (every program through the verifier) and unloads it.
Each script ends in one class:

  loaded            accepted by stapc and by the kernel verifier
  rejected          stapc refused it with a diagnostic (counted by reason)
  verifier-rejected accepted by stapc, refused by the verifier: a compiler bug
  load-failed       accepted by stapc, not loadable for another reason
  crashed           stapc died on a signal, hit an LLVM fatal error or a
                    backend error ("in function ..."), or timed out
  forbidden-call    the object calls a helper that writes outside its maps
                    or steers the kernel (bpf_probe_write_user...) or a
                    kfunc: never allowed (docs/Security.md)

Prints the counts (and the reasons for rejections) and exits 1 if anything
crashed, failed to load or was rejected by the verifier; the scripts, logs
and objects of those are copied to the artifacts directory. --time-limit
stops starting new scripts after SECS seconds (the summary says how many
ran), so CI time stays bounded on a slow machine.
"""
import argparse
import collections
import concurrent.futures
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import genscript  # noqa: E402

BAD = ("crashed", "verifier-rejected", "load-failed", "forbidden-call",
       "known-now-loads")

# BPF helpers that write memory outside the program's own maps or steer the
# kernel: bpf_probe_write_user, bpf_override_return, bpf_send_signal,
# bpf_send_signal_thread, bpf_sys_bpf, bpf_sys_close. stapc never emits
# them (docs/Security.md); neither kfunc calls.
FORBIDDEN_HELPERS = {36: "bpf_probe_write_user", 58: "bpf_override_return",
                     109: "bpf_send_signal", 117: "bpf_send_signal_thread",
                     166: "bpf_sys_bpf", 171: "bpf_sys_close"}


def forbidden_calls(obj):
    """Forbidden helper and kfunc calls in the executable sections of the
    ELF64 little-endian BPF object OBJ, as readable strings."""
    d = open(obj, "rb").read()
    shoff, = struct.unpack_from("<Q", d, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", d, 0x3a)
    found = set()
    for i in range(shnum):
        h = shoff + i * shentsize
        sh_type, sh_flags, _, off, size = struct.unpack_from("<IQQQQ", d, h + 4)
        if sh_type != 1 or not sh_flags & 0x4:  # PROGBITS, SHF_EXECINSTR
            continue
        for at in range(off, off + size - 7, 8):
            code, regs, _, imm = struct.unpack_from("<BBhi", d, at)
            if code != 0x85:  # BPF_JMP | BPF_CALL
                continue
            src = regs >> 4
            if src == 0 and imm in FORBIDDEN_HELPERS:
                found.add(FORBIDDEN_HELPERS[imm])
            elif src == 2:
                found.add("a kfunc")
    return sorted(found)


def find_tool(name, given):
    if given:
        return given
    built = os.path.join(SRC, "build", "bin", name)
    return shutil.which(name) or built


def reason_of(log):
    """The first diagnostic, without its location, numbers and names."""
    for line in log.splitlines():
        m = re.search(r"error: (.*)", line)
        if m:
            text = m.group(1)
            text = re.sub(r"'[^']*'", "'X'", text)
            text = re.sub(r"\b\d+\b", "N", text)
            return text[:160]
    return "(no diagnostic)"


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("utf-8", "replace") if e.stdout else ""
        return None, out + "\n(timed out after %d s)" % timeout


def one(seed, work, stapc, stapc_run, timeout):
    script = os.path.join(work, "gen-%d.stp" % seed)
    obj = os.path.join(work, "gen-%d.o" % seed)
    with open(script, "w") as f:
        f.write(genscript.Gen(seed).script())
    rc, log = run([stapc, "-o", obj, script], timeout)
    if rc is None or rc < 0 or "LLVM ERROR" in log or "PLEASE submit" in log \
            or re.search(r"error: .*in function ", log):
        return seed, "crashed", log, script, obj
    if rc != 0:
        return seed, "rejected", log, script, obj
    calls = forbidden_calls(obj)
    if calls:
        return seed, "forbidden-call", log + "\ncalls %s\n" % ", ".join(calls), script, obj
    rc, load_log = run([stapc_run, "--load-only", obj], timeout)
    log += load_log
    if rc == 0:
        return seed, "loaded", log, script, obj
    if "verifier rejected" in load_log:
        return seed, "verifier-rejected", log, script, obj
    return seed, "load-failed", log, script, obj


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=0)
    ap.add_argument("--timeout", type=int, default=120, help="per compile or load")
    ap.add_argument("--artifacts", default=os.path.join(os.getcwd(), "verify-artifacts"))
    ap.add_argument("--stapc")
    ap.add_argument("--stapc-run")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--known", help="file of 'SEED reason' lines: verifier "
                    "rejections already reported (not counted as new; a known "
                    "seed that loads is an error, so the list stays true)")
    ap.add_argument("--small", action="store_true", help="genscript.py --small")
    ap.add_argument("--no-cpu-walks", action="store_true",
                    help="genscript.py --no-cpu-walks")
    args = ap.parse_args()
    genscript.configure(args.small, not args.no_cpu_walks)
    known = {}
    if args.known:
        for line in open(args.known):
            fields = line.split(None, 1)
            if fields and not line.startswith("#"):
                known[int(fields[0])] = fields[1].strip() if len(fields) > 1 else ""
    stapc = find_tool("stapc", args.stapc)
    stapc_run = find_tool("stapc-run", args.stapc_run)

    start = time.monotonic()
    counts = collections.Counter()
    reasons = collections.Counter()
    bad = []
    lock = threading.Lock()
    seeds = iter(range(args.first, args.first + args.count))
    skipped = 0

    with tempfile.TemporaryDirectory(prefix="stapc-verify.") as work:
        def worker():
            nonlocal skipped
            while True:
                with lock:
                    seed = next(seeds, None)
                    if seed is None:
                        return
                    if args.time_limit and time.monotonic() - start > args.time_limit:
                        skipped += 1
                        continue
                s, cls, log, script, obj = one(seed, work, stapc, stapc_run, args.timeout)
                if s in known:
                    if cls == "verifier-rejected":
                        cls = "known-verifier-rejected"
                    elif cls == "loaded":
                        cls = "known-now-loads"
                with lock:
                    counts[cls] += 1
                    if cls == "rejected":
                        reasons[reason_of(log)] += 1
                    if cls in BAD:
                        bad.append((s, cls, log, script, obj))
                    if args.verbose:
                        print("seed %d: %s" % (s, cls), flush=True)
                for f in (script, obj):
                    if cls not in BAD and os.path.exists(f):
                        os.unlink(f)

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for f in [pool.submit(worker) for _ in range(args.jobs)]:
                f.result()

        if bad:
            os.makedirs(args.artifacts, exist_ok=True)
            for s, cls, log, script, obj in bad:
                shutil.copy(script, args.artifacts)
                if os.path.exists(obj):
                    shutil.copy(obj, args.artifacts)
                with open(os.path.join(args.artifacts, "gen-%d.log" % s), "w") as f:
                    f.write(log)

    generated = sum(counts.values())
    accepted = generated - counts["rejected"] - counts["crashed"]
    loaded = counts["loaded"] + counts["known-now-loads"]
    print("generated: %d" % generated)
    print("accepted by stapc: %d" % accepted)
    print("rejected by stapc: %d" % counts["rejected"])
    for r, n in reasons.most_common():
        print("  %5d  %s" % (n, r))
    print("loaded: %d" % loaded)
    print("verifier-rejected: %d" % counts["verifier-rejected"])
    if known:
        print("known verifier rejections (--known): %d" % counts["known-verifier-rejected"])
        print("known rejections that now load (remove them from the list): %d"
              % counts["known-now-loads"])
    print("load-failed: %d" % counts["load-failed"])
    print("forbidden helper calls: %d" % counts["forbidden-call"])
    print("crashed: %d" % counts["crashed"])
    if skipped:
        print("not run (time limit): %d" % skipped)
    print("seconds: %.0f" % (time.monotonic() - start))
    for s, cls, log, _, _ in sorted(bad):
        print("--- seed %d: %s (kept in %s)" % (s, cls, args.artifacts))
        print("\n".join(log.strip().splitlines()[-12:]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
