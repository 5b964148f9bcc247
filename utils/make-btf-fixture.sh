#!/bin/sh
# Regenerates test/Inputs/btf/kernel-fixture.btf, the miniature kernel BTF
# that BTF and CodeGen tests read instead of /sys/kernel/btf/vmlinux.
#   utils/make-btf-fixture.sh [CLANG] [LLVM_OBJCOPY]
# The blob is checked in (a few KiB); rerun this after editing the .c file.
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
