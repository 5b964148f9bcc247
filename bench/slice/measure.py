#!/usr/bin/env python3
"""Side-by-side figures for the vertical slice: stapc vs bpftrace vs libbpf C.

Driven by bench/run-slice.sh, which prepares the work directory (the C
loader, the environment) and passes paths on the command line. Everything is
measured in this one run, round-robin across implementations, so that the
noise of a shared machine hits them alike; figures are medians.
"""
import argparse
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time


# --------------------------------------------------------------------------
# Running one command and recording its cost.

def run_timed(argv, cwd, env=None):
    """Runs argv to completion; returns wall s, user+sys CPU s, peak RSS kB, stderr."""
    with open(os.path.join(cwd, "last.out"), "w+") as out, \
         open(os.path.join(cwd, "last.err"), "w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        # wait4 rather than Popen.wait: it returns the child's own rusage.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read()
    if proc.returncode != 0:
        sys.exit(f"measure: {' '.join(argv)} failed ({proc.returncode}):\n{text}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": usage.ru_maxrss, "stderr": text}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# --------------------------------------------------------------------------
# 1. Compile time.

STAPC_PASS = re.compile(r"^stapc: (\w+)\s+([0-9.]+) ms$", re.M)


def compile_commands(a):
    """Each entry: label -> list of argv run back to back (times are summed)."""
    bpf_c = [a.clang, "-O2", "-g", "-target", "bpf", "-mcpu=v3",
             f"-I/usr/include/{a.multiarch}", "-c", a.c_bpf_src, "-o", "c.bpf.o"]
    return {
        "stapc -o": [[a.stapc, "-o", "stapc.bpf.o", a.stp]],
        "stapc -v -o": [[a.stapc, "-v", "-o", "stapc-v.bpf.o", a.stp]],
        "stapc --version": [[a.stapc, "--version"]],
        "bpftrace --emit-elf": [[a.bpftrace, "--emit-elf", "bt.bpf.o", a.bt]],
        "bpftrace --version": [[a.bpftrace, "--version"]],
        "clang-19 BPF object": [bpf_c],
        "C: object + skeleton + loader": [
            bpf_c,
            # The skeleton goes to stdout; the loader includes it from the work dir.
            ["sh", "-c", f"{a.bpftool} gen skeleton c.bpf.o name pagecache_bpf > pagecache.skel.h"],
            [a.clang, "-O2", "-I.", a.c_loader_src, "-lbpf", "-o", "c-loader"],
        ],
    }


def run_sequence(argvs, cwd):
    total = {"wall": 0.0, "cpu": 0.0, "rss": 0, "stderr": ""}
    for argv in argvs:
        r = run_timed(argv, cwd)
        total["wall"] += r["wall"]
        total["cpu"] += r["cpu"]
        total["rss"] = max(total["rss"], r["rss"])
        total["stderr"] += r["stderr"]
    return total


def measure_compile(a):
    cmds = compile_commands(a)
    samples = {label: [] for label in cmds}
    passes = {}
    labels = list(cmds)
    for label in labels:  # Untimed warm-up: page cache, BTF, dynamic linker.
        run_sequence(cmds[label], a.workdir)
    for rep in range(a.compile_reps):
        # Rotate the order so no tool always runs right after the same one.
        shift = rep % len(labels)
        for label in labels[shift:] + labels[:shift]:
            r = run_sequence(cmds[label], a.workdir)
            samples[label].append(r)
            if label == "stapc -v -o":
                for name, ms in STAPC_PASS.findall(r["stderr"]):
                    passes.setdefault(name, []).append(float(ms))
    summary = {label: {k: median([s[k] for s in runs]) for k in ("wall", "cpu", "rss")}
               for label, runs in samples.items()}
    pass_medians = {name: median(v) for name, v in passes.items()}
    return summary, pass_medians, {l: [shlex.join(x) for x in c] for l, c in cmds.items()}


# --------------------------------------------------------------------------
# 2 + 3. Loaders: time to attached, peak RSS, ns/event during a workload.

class LineClock(threading.Thread):
    """Timestamps every line the loader prints (stdout and stderr merged)."""

    def __init__(self, stream, start, marker):
        super().__init__(daemon=True)
        self.stream, self.t0, self.marker = stream, start, marker
        self.lines = []
        self.attached = threading.Event()

    def run(self):
        for line in self.stream:
            self.lines.append((time.perf_counter() - self.t0, line.rstrip("\n")))
            if self.marker.search(line):
                self.attached.set()
        self.attached.set()  # EOF: never wait forever on a loader that died.

    def time_of(self, pattern):
        for t, line in self.lines:
            if re.search(pattern, line):
                return t
        return None


def loader_specs(a):
    bt_env = dict(os.environ, __BPFTRACE_NOTIFY_PROBES_ATTACHED="1")
    return {
        "stapc-run": ([a.stapc_run, "-v", os.path.join(a.workdir, "stapc.bpf.o")],
                      None, r"^stapc-run: attach: "),
        "bpftrace": ([a.bpftrace, a.bt], bt_env, r"__BPFTRACE_NOTIFY_PROBES_ATTACHED"),
        "C skeleton": ([os.path.join(a.workdir, "c-loader")], None, r"^probes attached$"),
    }


def child_of(pid):
    """The loader's pid: the one child of /usr/bin/time."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            return int(entry)
    return None


def prog_ids_of(pid):
    """BPF program ids the process holds, from /proc/PID/fdinfo."""
    ids = []
    fd_dir = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(fd_dir):
        try:
            with open(os.path.join(fd_dir, fd)) as f:
                m = re.search(r"^prog_id:\s+(\d+)", f.read(), re.M)
        except OSError:
            continue
        if m:
            ids.append(int(m.group(1)))
    return ids


def prog_stats(bpftool, ids):
    """run_time_ns and run_cnt per program id, as `bpftool prog show` reports them."""
    stats = {}
    for prog_id in ids:
        out = subprocess.run([bpftool, "-j", "prog", "show", "id", str(prog_id)],
                             capture_output=True, text=True)
        if out.returncode == 0:
            info = json.loads(out.stdout)
            stats[prog_id] = (info.get("run_time_ns", 0), info.get("run_cnt", 0),
                              info.get("name", "?"))
    return stats


def run_workload(a):
    # New files each time, so every page written is a fresh page-cache add;
    # 4 KiB writes, because larger ones get large folios (one event per folio).
    script = (f"d={a.workdir}/wl; mkdir -p $d; i=0; while [ $i -lt {a.files} ]; do "
              f"dd if=/dev/zero of=$d/f$i bs=4k count={a.file_pages} status=none; "
              f"i=$((i+1)); done; rm -rf $d")
    subprocess.run(["sh", "-c", script], check=True)


def one_loader_run(a, argv, env, marker):
    rss_file = os.path.join(a.workdir, "time-v.txt")
    start = time.perf_counter()
    proc = subprocess.Popen([a.time, "-v", "-o", rss_file] + argv, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    clock = LineClock(proc.stdout, start, re.compile(marker))
    clock.start()
    clock.attached.wait(a.attach_timeout)
    result = {"attach": clock.time_of(marker), "ns_per_event": None, "events": None}
    loader = child_of(proc.pid)
    if result["attach"] is not None and loader:
        try:
            ids = prog_ids_of(loader)
            before = prog_stats(a.bpftool, ids)
            run_workload(a)
            after = prog_stats(a.bpftool, ids)
            result.update(busiest_program_delta(before, after))
            # SIGTERM: bpftrace 0.17 does not act on SIGINT until its next event.
            os.kill(loader, signal.SIGTERM)
        except OSError:
            pass  # The loader exited on its own (its 5 s timer): an invalid run.
    try:
        proc.wait(a.attach_timeout)
    except subprocess.TimeoutExpired:
        if loader:
            os.kill(loader, signal.SIGKILL)
        proc.wait()
    clock.join(5)
    result["rss"] = read_max_rss(rss_file)
    result["lines"] = clock.lines
    if result["ns_per_event"] is None:
        print(f"measure: invalid run of {shlex.join(argv)}:", file=sys.stderr)
        for t, line in clock.lines:
            print(f"  {t * 1e3:8.1f} ms  {line}", file=sys.stderr)
    return result


def busiest_program_delta(before, after):
    """The program that ran most during the workload is the page-cache probe."""
    best = None
    for prog_id, (ns, cnt, name) in after.items():
        ns0, cnt0, _ = before.get(prog_id, (0, 0, name))
        if best is None or cnt - cnt0 > best[1]:
            best = (ns - ns0, cnt - cnt0, name)
    if not best or best[1] <= 0:
        return {}
    return {"ns_per_event": best[0] / best[1], "events": best[1], "prog": best[2]}


def read_max_rss(path):
    try:
        with open(path) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
        return int(m.group(1)) if m else None
    except OSError:
        return None


def stapc_run_phases(lines):
    phases = {}
    for _, line in lines:
        m = re.match(r"^stapc-run: ([a-z ]+): ([0-9.]+) ms$", line)
        if m:
            phases[m.group(1)] = float(m.group(2))
    return phases


def measure_loaders(a):
    specs = loader_specs(a)
    runs = {name: [] for name in specs}
    names = list(specs)
    for rep in range(a.load_reps):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            argv, env, marker = specs[name]
            runs[name].append(one_loader_run(a, argv, env, marker))
    summary = {}
    for name, rs in runs.items():
        summary[name] = {k: median([r.get(k) for r in rs])
                         for k in ("attach", "rss", "ns_per_event", "events")}
        summary[name]["ok"] = sum(1 for r in rs if r.get("ns_per_event") is not None)
    bt_attaching = median([next((t for t, l in r["lines"] if l.startswith("Attaching ")), None)
                           for r in runs["bpftrace"]])
    phases = {}
    for r in runs["stapc-run"]:
        for k, v in stapc_run_phases(r["lines"]).items():
            phases.setdefault(k, []).append(v)
    phase_medians = {k: median(v) for k, v in phases.items()}
    cmds = {name: shlex.join(spec[0]) for name, spec in specs.items()}
    return summary, bt_attaching, phase_medians, cmds


# --------------------------------------------------------------------------
# Report.

def fmt(value, scale=1.0, digits=0, unit=""):
    if value is None:
        return "n/a"
    return f"{value * scale:,.{digits}f}{unit}"


def ratio(x, y):
    return f"{x / y:.2f}×" if x and y else "n/a"


def verdict(value, goal):
    return "meets" if value is not None and value <= goal else "MISSES"


def report(a, comp, passes, comp_cmds, load, bt_attaching, phases, load_cmds):
    out = []
    w = out.append
    st, bt = comp["stapc -o"], comp["bpftrace --emit-elf"]
    w(f"### Compile time (median of {a.compile_reps}, one process per run)\n")
    w("| command | wall ms | CPU (user+sys) ms | peak RSS MB | wall vs bpftrace |")
    w("|---|---:|---:|---:|---:|")
    for label, s in comp.items():
        w(f"| {label} | {fmt(s['wall'], 1e3)} | {fmt(s['cpu'], 1e3)} | "
          f"{fmt(s['rss'], 1 / 1024, 1)} | {ratio(s['wall'], bt['wall'])} |")
    wall_r, cpu_r = st["wall"] / bt["wall"], st["cpu"] / bt["cpu"]
    w(f"\nGoal stapc ≤ 0.5× bpftrace: wall {wall_r:.2f}× ({verdict(wall_r, 0.5)}), "
      f"CPU {cpu_r:.2f}× ({verdict(cpu_r, 0.5)}).\n")
    w("`stapc -v` pass times (median ms): " +
      ", ".join(f"{k} {v:.2f}" for k, v in passes.items()) +
      f"; sum {sum(passes.values()):.1f} ms of {comp['stapc -v -o']['wall'] * 1e3:.0f} ms wall. "
      f"Process start-up (`stapc --version`): {comp['stapc --version']['wall'] * 1e3:.0f} ms wall, "
      f"{comp['stapc --version']['cpu'] * 1e3:.0f} ms CPU = "
      f"{comp['stapc --version']['wall'] / st['wall'] * 100:.0f}% / "
      f"{comp['stapc --version']['cpu'] / st['cpu'] * 100:.0f}% of `stapc -o`.\n")

    w(f"### Loader (median of {a.load_reps}; workload: {a.files} files × {a.file_pages} "
      "pages written with dd bs=4k while attached)\n")
    w("| loader | start → attached ms | peak RSS MB | RSS vs bpftrace | ns/event (BPF) | "
      "events per workload | valid runs |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    bt_rss = load["bpftrace"]["rss"]
    for name, s in load.items():
        w(f"| {name} | {fmt(s['attach'], 1e3)} | {fmt(s['rss'], 1 / 1024, 1)} | "
          f"{ratio(s['rss'], bt_rss)} | {fmt(s['ns_per_event'], 1, 1)} | "
          f"{fmt(s['events'])} | {s['ok']}/{a.load_reps} |")
    rss_r = (load["stapc-run"]["rss"] or 0) / bt_rss if bt_rss else None
    w(f"\nGoal stapc-run RSS ≤ 0.2× bpftrace: {fmt(rss_r, 1, 2)}× ({verdict(rss_r, 0.2)}).")
    w(f"bpftrace printed \"Attaching N probes...\" at {fmt(bt_attaching, 1e3)} ms (median); "
      "stapc-run -v phases (median ms): " +
      ", ".join(f"{k} {v:.1f}" for k, v in phases.items() if k not in ("run", "end probes")) + ".\n")
    w("### Exact commands\n")
    for label, argvs in comp_cmds.items():
        w(f"- compile, {label}: `{' && '.join(argvs)}`")
    for name, cmd in load_cmds.items():
        w(f"- loader, {name}: `{a.time} -v -o time-v.txt {cmd}`")
    w(f"- workload: `for i in 0..{a.files - 1}: dd if=/dev/zero of=wl/f$i bs=4k "
      f"count={a.file_pages} status=none; rm -rf wl`")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser()
    for opt in ("workdir", "stapc", "stapc-run", "bpftrace", "bpftool", "clang", "time",
                "stp", "bt", "c-bpf-src", "c-loader-src", "multiarch", "out"):
        p.add_argument("--" + opt, required=True)
    p.add_argument("--compile-reps", type=int, default=7)
    p.add_argument("--load-reps", type=int, default=5)
    p.add_argument("--files", type=int, default=8)
    p.add_argument("--file-pages", type=int, default=1024)
    p.add_argument("--attach-timeout", type=float, default=30)
    a = p.parse_args()
    comp, passes, comp_cmds = measure_compile(a)
    load, bt_attaching, phases, load_cmds = measure_loaders(a)
    text = report(a, comp, passes, comp_cmds, load, bt_attaching, phases, load_cmds)
    with open(a.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
