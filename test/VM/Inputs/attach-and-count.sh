#!/bin/sh
# Runs inside the vmtest guest: attach-and-count.sh ATTACHER OBJ
# Shows that the probed function exists, attaches every program of OBJ with
# ATTACHER (pinning under /sys/fs/bpf/vmtest), opens files to make
# do_sys_openat2 run, then dumps the `hits` map with bpftool.
set -eu
attacher=$1
obj=$2
grep -w do_sys_openat2 /proc/kallsyms
"$attacher" "$obj" /sys/fs/bpf/vmtest
for i in 1 2 3 4 5; do
  cat /proc/version >/dev/null
done
bpftool map dump pinned /sys/fs/bpf/vmtest/maps/hits
