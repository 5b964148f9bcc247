#!/bin/sh
# Regenerates test/Inputs/btf/kernel-fixture.btf, the miniature kernel BTF
# that BTF and CodeGen tests read instead of /sys/kernel/btf/vmlinux.
#   utils/make-btf-fixture.sh [CLANG] [LLVM_OBJCOPY]
# The blob is checked in (a few KiB); rerun this after editing the .c file.
# Also writes ovl_fixture, a kernel module's split BTF (needs pahole).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
clang=${1:-clang-19}
objcopy=${2:-llvm-objcopy-19}
src="$here/test/Inputs/btf/kernel-fixture.c"
out="$here/test/Inputs/btf/kernel-fixture.btf"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -O2 keeps the empty __probestub_* bodies as real functions (noinline), so
# their FUNC records, which name the tracepoint arguments, reach the BTF.
"$clang" -target bpf -O2 -g -c "$src" -o "$tmp/fixture.o"
"$objcopy" --dump-section .BTF="$tmp/fixture.btf" "$tmp/fixture.o"
mv "$tmp/fixture.btf" "$out"
echo "wrote $out ($(wc -c < "$out") bytes)"

# The module fixture is split BTF over the vmlinux fixture (ids continue
# it), so it is regenerated with it. pahole (Debian's dwarves) writes split
# BTF; only needed here, not to build or test.
msrc="$here/test/Inputs/btf/module-fixture.c"
mout="$here/test/Inputs/btf/ovl_fixture"
"$clang" -O2 -g -c "$msrc" -o "$tmp/module.o"
pahole -J --btf_base "$out" "$tmp/module.o"
"$objcopy" --dump-section .BTF="$tmp/module.btf" "$tmp/module.o"
mv "$tmp/module.btf" "$mout"
echo "wrote $mout ($(wc -c < "$mout") bytes)"
