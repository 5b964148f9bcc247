# lit configuration for the stapc test suite.
import os
import shutil
import subprocess
import sys

import lit.formats

config.name = "stapc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".stp", ".test", ".c"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.stapc_obj_root, "test")

# Our tools first, then LLVM's FileCheck/not/count/llvm-readelf/llvm-objdump.
path = os.pathsep.join([config.stapc_tools_dir, config.llvm_tools_dir,
                        config.environment.get("PATH", os.environ["PATH"])])
config.environment["PATH"] = path

config.substitutions.append(("%stapc_src", config.stapc_src_root))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%stapc_obj", config.stapc_obj_root))
config.substitutions.append(("%tapset_dir", os.path.join(config.stapc_src_root, "tapset")))
config.substitutions.append(("%inputs", os.path.join(config.stapc_src_root, "test", "Inputs")))
config.substitutions.append(("%clang_bpf",
    os.path.join(config.llvm_tools_dir, "clang") +
    " -target bpf -O2 -g -I" + os.path.join(config.stapc_src_root, "include")))

# Feature `bpf`: this machine can load and attach BPF programs (root, BTF,
# a kernel that runs them). Runtime tests say `REQUIRES: bpf`.
def bpf_available():
    if os.geteuid() != 0 or not os.path.exists("/sys/kernel/btf/vmlinux"):
        return False
    bpftool = shutil.which("bpftool") or "/usr/sbin/bpftool"
    try:
        out = subprocess.run([bpftool, "feature", "probe", "kernel", "unprivileged"],
                             capture_output=True, text=True, timeout=30)
        return out.returncode == 0
    except Exception:
        return False

if bpf_available():
    config.available_features.add("bpf")

# Feature `kprobes`: the kernel has the kprobe PMU (CONFIG_KPROBES). This
# machine's kernel lacks it; the 6.1 guest has it.
if os.path.isdir("/sys/bus/event_source/devices/kprobe"):
    config.available_features.add("kprobes")

# Feature `block-device`: the build tree's file system sits on a block device
# (/sys/dev/block/MAJ:MIN exists), so writing a file there makes block I/O
# the ioblock tapset tests can see. The 6.1 guest's overlay has none.
def block_device_backed(path):
    try:
        st = os.stat(path)
    except OSError:
        return False
    return os.path.exists("/sys/dev/block/%d:%d" % (os.major(st.st_dev),
                                                    os.minor(st.st_dev)))

if block_device_backed(config.stapc_obj_root):
    config.available_features.add("block-device")

# Feature `vm-guest`: this lit runs inside the 6.1 TCG guest
# (utils/vmtest/runtime-shard.sh), 5-10x slower and with jittery timing.
if os.environ.get("STAPC_IN_VM_GUEST") == "1":
    config.available_features.add("vm-guest")

# Feature `systemtap-corpus`: Debian's systemtap tapsets and examples exist.
if os.path.isdir("/usr/share/systemtap/tapset"):
    config.available_features.add("systemtap-corpus")

# Runtime tests must never hang CI.
lit_config.maxIndividualTestTime = 300
# Retries only where asked (utils/vmtest/runtime-shard.sh in the slow TCG
# guest); a retried pass is reported as FLAKYPASS, never hidden.
config.test_retry_attempts = int(os.environ.get("STAPC_TEST_RETRIES", "0"))

# ---- Feature `vm` and substitution `%vmrun` (owned by utils/vmtest) ----
# Tests that need kprobes/fentry or another kernel run their command in a
# Debian 6.1 guest: `%vmrun CMD ARGS...` (see docs/Testing.md). The guest is
# prepared here on first use (apt-get download of the kernel, ~70 MB, then
# cached under build/vmtest); if that is impossible the feature is missing,
# the tests are UNSUPPORTED, and we say so loudly. STAPC_VMTEST=0 opts out.
def prepare_vm(vm_dir):
    """Returns None when the guest is ready, else the reason it is not."""
    if os.environ.get("STAPC_VMTEST") == "0":
        return "disabled by STAPC_VMTEST=0"
    if not shutil.which("qemu-system-x86_64"):
        return "qemu-system-x86_64 is not installed (utils/install-deps.sh)"
    prepare = os.path.join(config.stapc_src_root, "utils", "vmtest", "prepare.sh")
    try:
        proc = subprocess.run([prepare, vm_dir], capture_output=True, text=True,
                              timeout=900)
    except Exception as err:
        return "%s failed: %s" % (prepare, err)
    if proc.returncode != 0:
        return "%s failed:\n%s" % (prepare, proc.stderr.strip()[-2000:])
    return None

vm_dir = os.environ.get("STAPC_VMTEST_DIR",
                        os.path.join(config.stapc_src_root, "build", "vmtest"))
vm_problem = prepare_vm(vm_dir)
if vm_problem is None:
    config.available_features.add("vm")
else:
    lit_config.warning("feature 'vm' UNAVAILABLE, test/VM tests will be "
                       "UNSUPPORTED: " + vm_problem)
# The watchdog fires before lit's per-test limit so a hung guest is reported
# as such (exit 124) rather than as a lit timeout.
# %vmrun_long (the runtime-suite shards) gets the most the lit limit allows.
config.substitutions.append(("%vmrun_long", "%s --timeout 280 --dir %s --" % (
    os.path.join(config.stapc_src_root, "utils", "vmtest", "run.sh"), vm_dir)))
config.substitutions.append(("%vmrun", "%s --timeout 100 --dir %s --" % (
    os.path.join(config.stapc_src_root, "utils", "vmtest", "run.sh"), vm_dir)))

# ---- Feature `debian61-btf` and substitution `%debian61_btf` ----
# Debian 12's 6.1 kernel BTF, an older kernel than the host's, for CO-RE tests
# in any directory (test/BTF, test/CoRE). Made offline from the image package
# prepare.sh downloaded above (utils/fetch-kernel-btf.sh); never downloads.
debian61_btf = os.path.join(config.stapc_obj_root, "kernel-btf", "vmlinux-6.1.btf")
if not os.path.exists(debian61_btf):
    try:
        subprocess.run([os.path.join(config.stapc_src_root, "utils",
                                     "fetch-kernel-btf.sh"), "--offline",
                        os.path.dirname(debian61_btf)],
                       capture_output=True, timeout=300)
    except Exception:
        pass
if os.path.exists(debian61_btf):
    config.available_features.add("debian61-btf")
config.substitutions.append(("%debian61_btf", debian61_btf))
