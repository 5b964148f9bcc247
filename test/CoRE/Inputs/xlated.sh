#!/bin/sh
# Usage: xlated.sh OBJ
# Loads OBJ's programs with bpftool (into a pin directory removed on every
# exit) and prints the instructions the kernel runs: after libbpf applied the
# CO-RE relocations against this kernel's BTF.
set -u
dir=$(mktemp -d /sys/fs/bpf/stapc_core_XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' HUP INT TERM
bpftool prog loadall "$1" "$dir" 2>/dev/null || { echo "loadall failed" >&2; exit 1; }
for pin in "$dir"/*; do
  bpftool prog dump xlated pinned "$pin" || exit 1
done
