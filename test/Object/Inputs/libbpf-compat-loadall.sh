#!/bin/sh
# Usage: libbpf-compat-loadall.sh OBJ RECORD [bpftool dump options...]
# Loads every program of OBJ with `bpftool prog loadall` into a fresh pin
# directory, prints `bpftool prog show` and `bpftool prog dump xlated` (with
# the given options, e.g. linum) of each, and removes the pin directory on
# every exit, success or failure, so nothing stays loaded. RECORD receives the
# pin directory and the program ids so a later step can check they are gone
# (libbpf-compat-unloaded.sh).
set -u
obj=$1 record=$2
shift 2
# bpffs refuses names with a dot.
dir=$(mktemp -d /sys/fs/bpf/stapc_test_XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' HUP INT TERM
echo "$dir" > "$record"
bpftool prog loadall "$obj" "$dir" || { echo "loadall: failed" >&2; exit 1; }
count=0
for pin in "$dir"/*; do
  [ -e "$pin" ] || continue
  show=$(bpftool prog show pinned "$pin") || exit 1
  echo "$show" | head -1
  echo "$show" | head -1 | cut -d: -f1 >> "$record"
  bpftool prog dump xlated pinned "$pin" "$@" || exit 1
  count=$((count + 1))
done
echo "loadall: $count programs pinned"
