#!/usr/bin/env python3
"""Makes docs/Compatibility.md: which of Debian's systemtap examples stapc
compiles, which of those load and run, which could never work through BPF,
and why the others do not.

    utils/compat-examples.py [--stapc build/bin/stapc] [--run SECS]
        [--jobs N] [--examples DIR] [--btf61 FILE] [--vm] [--only SUBSTR...]
        > docs/Compatibility.md

Each example is compiled to an object (`stapc -p4`) with the arguments and
options of its `.meta` file's `test_check:` command (systemtap's own test
suite: `stap -p4 NAME.stp ARGS...`, `-c CMD`, `-x PID`, `-g`, `-I DIR`,
`-D NAME=VALUE`). With --run, it is loaded by stapc-run for SECS seconds
(`-T SECS`) on this machine's kernel, as root, with the arguments of the
`test_installcheck:` command (recompiled when they differ) and its -c/-x.
With --vm, what this kernel cannot attach (kernel.function probes) and what
compiled only against Debian 6.1's BTF runs in one boot of the 6.1 guest
(utils/vmtest, docs/Testing.md).

An example is *feasible* unless one of its errors shows that no BPF
compiler could run it unchanged (see INFEASIBLE); the summary counts the
feasible ones. The reason shown for a failure is the first error the tool
printed, shortened into a category so that the table can be summarised."""
import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys
import tempfile

# Error text -> why the example can never run through BPF unchanged. Every
# error line stapc printed is checked (the first pattern that matches any
# line wins), so the category does not depend on which error came first.
INFEASIBLE = [
    (r"embedded C", "embedded C (`%{ %}`, guru mode)"),
    (r"cannot write to kernel data", "writes kernel memory (guru mode)"),
    (r"semantic error: (cannot open|no file matches) '", "a process(\"PATH\") "
     "that does not exist on this machine"),
    (r"no function matches '[^']*' in '/", "a function this machine's "
     "version of a process(\"PATH\") binary lacks"),
    (r"need(s)? DWARF|debuginfo", "needs DWARF (`.statement`, `.label`, `fn@file.c`)"),
]
# Errors about a kernel symbol; infeasible when the 6.1 BTF lacks it too.
MISSING_KERNEL = r"no kernel (?:tracepoint|function) matches '([^']*)'"


def missing_kernel_symbols(text):
    return set(m.group(1) for l in error_lines(text)
               for m in [re.search(MISSING_KERNEL, l)] if m)

# First error line -> category (the first pattern that matches wins).
CATEGORIES = [
    (r"command line argument index", "needs command-line arguments"),
    (r"unknown operator '@(prometheus|json)", "prometheus/json macros"),
    (r"unknown operator '@(\w+)", r"library macro @\1 (not provided)"),
    (r"no probes found", "no probe resolved (all optional, or removed by "
     "%( %) conditions)"),
    (r"probe point 'procfs", "procfs probes (not yet)"),
    (r"probe point 'netfilter", "netfilter probes (not yet)"),
    (r"probe point 'module\(", "module() probes (not yet)"),
    (r"module\(\"", "module() probes (not yet)"),
    (r"probe point '(\w+)", r"\1.* probe points (no tapset alias or kind)"),
    (r"no kernel tracepoint matches", "tracepoint missing on this kernel"),
    (r"unable to find target variable", "target variable missing"),
    (r"(unknown|unresolved) function '?([\w]+)", r"function \2 (not provided)"),
    (r"embedded C|%\{", "embedded C (guru mode)"),
    (r"needs more string temporaries", "too many string temporaries"),
    (r"verifier rejected", "refused by the verifier"),
    (r"cannot attach|failed to attach|trampoline|kprobe",
     "attach (needs kprobes/fentry: this kernel has neither)"),
    (r"statistic|@hist|aggregate", "statistics feature"),
]


def categorize(line):
    for pattern, label in CATEGORIES:
        m = re.search(pattern, line)
        if m:
            return m.expand(label)
    return "other"


def error_lines(text):
    return [l.split("error:", 1)[-1].strip() for l in text.splitlines()
            if "error:" in l or l.startswith("ERROR")]


def first_error(text):
    errors = error_lines(text)
    if errors:
        return errors[0]
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[0].strip() if lines else "(no message)"


def infeasibility(text, path):
    for pattern, label in INFEASIBLE:
        if any(re.search(pattern, l) for l in error_lines(text)):
            return label
    # "no probes found" from a file that declares none is a library; from
    # one whose probes were all optional or removed by %( %) conditions it
    # is not.
    if "no probes found" in text:
        with open(path, errors="replace") as f:
            if not re.search(r"^\s*probe\s", f.read(), re.M):
                return "a tapset library (no probes)"
    return None


# ---------------------------------------------------------------- .meta files

def expand_shell(line):
    """The meta commands are shell lines: backquotes run a command (none is
    inside single quotes) and, outside single quotes, `$$` is the shell's
    pid (any live process will do: ours)."""
    line = re.sub(r"`([^`]*)`", lambda m: subprocess.run(
        ["sh", "-c", m.group(1)], capture_output=True, text=True).stdout.strip(),
        line)
    out, quoted = [], False
    for part in re.split(r"('|\$\$)", line):
        if part == "'":
            quoted = not quoted
        elif part == "$$" and not quoted:
            part = str(os.getpid())
        out.append(part)
    return "".join(out)


# stap options that take a value, and those of them stapc understands.
VALUE_OPTS = set("cxTIDopsmrBSaGdRe")
KEPT = {"c": "-c", "x": "-x", "I": "-I", "D": "-D"}
KEPT_FLAGS = {"g": "-g", "w": "-w"}


class Invocation:
    """The stapc view of one `stap ...` command of a meta file."""

    def __init__(self):
        self.options = []    # for stapc (-g, -w, -I DIR, -D X=Y)
        self.target = []     # -c CMD or -x PID, for stapc and stapc-run
        self.script = None   # NAME.stp
        self.args = []       # the script's arguments ($1...)

    def key(self):
        return (self.options, self.target, self.args)


def parse_stap_command(line, script_dir):
    """An Invocation from `stap [opts] NAME.stp [args]` (after env settings,
    before `|`/`||`/`;`), or None when the line does not run stap."""
    lex = shlex.shlex(expand_shell(line), posix=True, punctuation_chars="|;&")
    lex.whitespace_split = True
    words = list(lex)
    starts = [i for i, w in enumerate(words) if w == "stap"]
    if not starts:
        return None
    words = words[starts[-1] + 1:]
    for i, w in enumerate(words):
        if w and w[0] in "|;&":
            words = words[:i]
            break
    inv = Invocation()
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        if w.startswith("--"):
            continue  # --all-modules, --ldd, --skip-badvars, --bpf...
        if w.startswith("-") and len(w) > 1:
            for j, c in enumerate(w[1:], 1):
                if c in VALUE_OPTS:
                    value = w[j + 1:]
                    if not value and i < len(words):
                        value = words[i]
                        i += 1
                    if c == "I":
                        value = os.path.join(script_dir, value)
                    if c in "cx":
                        inv.target = [KEPT[c], value]
                    elif c in KEPT:
                        inv.options += [KEPT[c], value]
                    break
                if c in KEPT_FLAGS and KEPT_FLAGS[c] not in inv.options:
                    inv.options.append(KEPT_FLAGS[c])
            continue
        if inv.script is None and w.endswith(".stp"):
            inv.script = w
        else:
            inv.args.append(w)
    return inv


def meta_commands(examples):
    """(dir, NAME.stp) -> {"check": Invocation, "installcheck": Invocation}
    from every .meta file (one meta may name another script, or two)."""
    commands = {}
    for d, _, fs in os.walk(examples):
        for f in sorted(fs):
            if not f.endswith(".meta"):
                continue
            with open(os.path.join(d, f), errors="replace") as meta:
                for line in meta:
                    m = re.match(r"test_(check|installcheck):\s*(.*)", line)
                    if not m:
                        continue
                    inv = parse_stap_command(m.group(2), d)
                    if inv is None or inv.script is None:
                        continue
                    entry = commands.setdefault((d, inv.script), {})
                    entry.setdefault(m.group(1), inv)  # the first one wins
    return commands


# ------------------------------------------------------------ compile and run

class Result:
    def __init__(self, path):
        self.path = path
        self.compiled = False
        self.btf61 = False     # compiled only against the 6.1 kernel's BTF
        self.ran = None        # None: not run
        self.why = ""
        self.infeasible = None
        self.command = ""
        self.vm = None         # (object, -c/-x options) to run in the 6.1 VM
        self.in_vm = False     # ran (or failed) in the 6.1 VM


def compile_script(args, path, inv, obj, btf=None):
    cmd = [args.stapc, "-p4", "-o", obj] + inv.options + inv.target
    if btf:
        cmd += ["--btf", btf]
    cmd += [path] + inv.args
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        return False, "compile timed out"
    return p.returncode == 0, p.stderr + p.stdout


def describe(inv):
    """The options and arguments, with our pid shown as the meta's `$$`."""
    pid = str(os.getpid())
    return " ".join("$$" if w == pid else shlex.quote(w)
                    for w in inv.options + inv.target + inv.args)


def check(path, args, tmpdir, commands):
    r = Result(path)
    entry = commands.get(os.path.split(path), {})
    empty = Invocation()
    inv = entry.get("check") or entry.get("installcheck") or empty
    r.command = describe(inv)
    obj = os.path.join(tmpdir, path.strip("/").replace("/", "_") + ".o")
    ok, text = compile_script(args, path, inv, obj)
    if not ok:
        r.why = first_error(text)
        r.infeasible = infeasibility(text, path)
        missing = missing_kernel_symbols(text)
        if not r.infeasible and missing:
            if args.btf61 and os.path.exists(args.btf61):
                ok61, text61 = compile_script(args, path, inv, obj, args.btf61)
                if ok61:
                    r.compiled = r.btf61 = True
                    if args.vm and args.run:
                        r.vm = (obj, inv.target)
                    else:
                        os.unlink(obj)
                elif missing & missing_kernel_symbols(text61):
                    r.infeasible = ("a kernel function or tracepoint in "
                                    "neither this kernel's nor 6.1's BTF")
            else:
                r.infeasible = ("a kernel function or tracepoint this "
                                "kernel's BTF lacks")
        return r
    r.compiled = True
    if not args.run:
        os.unlink(obj)
        return r
    run_inv = entry.get("installcheck") or inv
    if run_inv.key() != inv.key():
        ok, text = compile_script(args, path, run_inv, obj)
        if not ok:
            r.ran = False
            r.why = "with the installcheck arguments: " + first_error(text)
            return r
    try:
        p = subprocess.run([args.stapc_run, "-T", str(args.run)] +
                           run_inv.target + [obj], capture_output=True,
                           text=True, timeout=args.run + 60,
                           stdin=subprocess.DEVNULL)
        r.ran = p.returncode == 0
        if not r.ran:
            r.why = first_error(p.stderr + p.stdout)
    except subprocess.TimeoutExpired:
        r.ran = False
        r.why = "run did not end"
    if args.vm and r.ran is False and re.search(NEEDS_KERNEL_PROBES, r.why):
        r.vm = (obj, run_inv.target)  # kept for run_in_vm
    else:
        os.unlink(obj)
    return r


# A run error that only says this kernel cannot attach kernel.function
# probes (no kprobes, fentry refused): the 6.1 VM can.
NEEDS_KERNEL_PROBES = r"cannot attach probe 'k(ernel|probe)\.function"


def run_in_vm(results, args):
    """Runs the objects the host could not attach, each for args.run
    seconds, in one boot of the Debian 6.1 guest (utils/vmtest/run.sh; the
    guest sees this machine's files). -x PID becomes -x 1 there."""
    pending = [r for r in results if r.vm]
    if not pending:
        return
    script = os.path.join(args.vm_dir, "run-all.sh")
    with open(script, "w") as f:
        for i, r in enumerate(pending):
            obj, target = r.vm
            if target[:1] == ["-x"]:
                target = ["-x", "1"]
            f.write("echo '@@@ %d'\n%s -T %d %s %s > /tmp/out 2>&1\n"
                    "st=$?\nhead -c 4000 /tmp/out\necho \"@@@ status $st\"\n"
                    % (i, shlex.quote(os.path.abspath(args.stapc_run)), args.run,
                       " ".join(shlex.quote(w) for w in target),
                       shlex.quote(obj)))
    timeout = len(pending) * (args.run + 30) + 60
    try:
        p = subprocess.run([args.vmrun, "--timeout", str(timeout), "--", "sh",
                            script], capture_output=True, text=True,
                           timeout=timeout + 60, stdin=subprocess.DEVNULL)
        out = p.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""
    for i, r in enumerate(pending):
        m = re.search(r"^@@@ %d\n(.*?)^@@@ status (\d+)$" % i, out, re.S | re.M)
        r.in_vm = True
        if not m:
            r.ran, r.why = False, "did not run in the 6.1 VM"
            continue
        r.ran = m.group(2) == "0"
        r.why = "" if r.ran else "in the 6.1 VM: " + first_error(m.group(1))


# ------------------------------------------------------------------- report

def write_report(out, results, args, nfiles):
    feasible = [r for r in results if not r.infeasible]
    compiled = [r for r in feasible if r.compiled]
    ran = [r for r in feasible if r.ran]
    in_vm = [r for r in ran if r.in_vm]
    out.write("# Compatibility with systemtap's examples\n\n")
    out.write("Generated by `utils/compat-examples.py%s` from the %d example "
              "scripts of Debian's systemtap package (`%s`); do not edit by "
              "hand.\n\n" % ((" --run %d" % args.run if args.run else "") +
                             (" --vm" if args.vm else ""),
                             nfiles, args.examples))
    out.write(
        "Each example is compiled with the arguments and options of its "
        "`.meta` file's `test_check` command (systemtap's test suite) and run "
        "with those of `test_installcheck` (`-c CMD`, `-x PID`), for %s s "
        "each on the development kernel (6.18: no kprobes, no fentry, so "
        "`kernel.function` probes cannot attach here%s). An example is "
        "*infeasible* when one of its errors shows that no BPF compiler "
        "could run it unchanged: embedded C or guru-mode writes to kernel "
        "memory, a tapset library without probes, software this machine "
        "does not have (a `process(\"PATH\")` that does not exist), probe "
        "points only DWARF can resolve (`.statement`, `.label`, "
        "`fn@file.c`), or a kernel function or tracepoint that neither this "
        "kernel's BTF nor Debian 6.1's has%s.\n\n"
        % (args.run or "—",
           "; with `--vm` those, and the ones that compile only against "
           "Debian 6.1's BTF, run in the 6.1 VM of docs/Testing.md instead"
           if args.vm else "",
           "" if args.btf61 and os.path.exists(args.btf61)
           else " (6.1's BTF was not available: this kernel's only)"))
    out.write("- compile %d of %d feasible (of %d), run %d\n"
              % (len(compiled), len(feasible), nfiles, len(ran)))
    if args.vm:
        out.write("- of those run, %d in the Debian 6.1 VM (`--vm`: kernel.function "
                  "probes, which this kernel cannot attach)\n" % len(in_vm))
    n61 = sum(1 for r in compiled if r.btf61)
    if n61:
        out.write("- of those compiled, %d only against the 6.1 kernel's BTF "
                  "(a kernel symbol this kernel lacks; not run here)\n" % n61)
    out.write("- infeasible: %d\n" % (len(results) - len(feasible)))

    out.write("\nWhy the infeasible ones cannot work:\n\n")
    write_counts(out, [r.infeasible for r in results if r.infeasible])
    out.write("\nWhy the feasible others do not work yet, by the first error "
              "(most common first):\n\n")
    write_counts(out, [categorize(r.why) for r in feasible
                       if not r.compiled or r.ran is False])

    out.write("\n| example | arguments | feasible | compiles | runs | "
              "first error |\n| --- | --- | --- | --- | --- | --- |\n")
    for r in results:
        rel = os.path.relpath(r.path, args.examples)
        runs = "—" if r.ran is None else ("yes" if r.ran else "no")
        if r.in_vm:
            runs += " (6.1 VM)"
        compiles = ("6.1 BTF" if r.btf61 else "yes") if r.compiled else "no"
        feasible = "no: " + r.infeasible if r.infeasible else "yes"
        out.write("| %s | %s | %s | %s | %s | %s |\n"
                  % (rel, cell(r.command, 60), feasible, compiles, runs,
                     cell(r.why, 140)))


def cell(text, width):
    text = text.replace("|", "\\|").replace("`", "'")
    if len(text) > width:
        text = text[:width - 3] + "..."
    return "`%s`" % text if text else ""


def write_counts(out, keys):
    counts = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    out.write("| reason | examples |\n| --- | --- |\n")
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.write("| %s | %d |\n" % (key, n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stapc", default="build/bin/stapc")
    ap.add_argument("--stapc-run", default=None)
    ap.add_argument("--run", type=int, default=0, metavar="SECS")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--examples", default="/usr/share/systemtap/examples")
    ap.add_argument("--btf61", default="build/kernel-btf/vmlinux-6.1.btf",
                    help="Debian 6.1's BTF (utils/fetch-kernel-btf.sh)")
    ap.add_argument("--vm", action="store_true",
                    help="run what cannot attach here in the 6.1 guest")
    ap.add_argument("--vmrun", default="utils/vmtest/run.sh")
    ap.add_argument("--only", nargs="*", default=[],
                    help="only the examples whose path contains one of these")
    args = ap.parse_args()
    if args.stapc_run is None:
        args.stapc_run = os.path.join(os.path.dirname(args.stapc), "stapc-run")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.examples)
                   for f in fs if f.endswith(".stp"))
    nfiles = len(files)
    if args.only:
        files = [f for f in files if any(s in f for s in args.only)]
    commands = meta_commands(args.examples)
    # The guest sees the host's files, but not necessarily its /tmp.
    base = os.path.join(os.path.dirname(os.path.abspath(args.stapc)), "..")
    with tempfile.TemporaryDirectory(dir=base if args.vm else None) as tmpdir, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        args.vm_dir = tmpdir
        results = list(pool.map(lambda f: check(f, args, tmpdir, commands),
                                files))
        if args.vm:
            run_in_vm(results, args)
    write_report(sys.stdout, results, args, nfiles)


if __name__ == "__main__":
    main()
