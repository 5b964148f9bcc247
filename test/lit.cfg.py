# lit configuration for the stapc test suite.
import os
import shutil
import subprocess

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

# Feature `systemtap-corpus`: Debian's systemtap tapsets and examples exist.
if os.path.isdir("/usr/share/systemtap/tapset"):
    config.available_features.add("systemtap-corpus")

# Runtime tests must never hang CI.
lit_config.maxIndividualTestTime = 120
