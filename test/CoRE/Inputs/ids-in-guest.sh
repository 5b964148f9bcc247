#!/bin/sh
# Usage: ids-in-guest.sh OBJ   (run in the guest by %vmrun: one boot)
# Runs OBJ (sched-switch-ids.stp compiled on the host) with stapc-run, then
# prints where this kernel's BTF puts task_struct.pid and the instructions
# the kernel runs for OBJ once libbpf relocated it.
set -u
here=$(dirname "$0")
echo "== kernel $(uname -r)"
stapc-run -T 20 -c 'sleep 0.5' "$1" || exit 1
echo "== guest btf"
stapc-btf-test --btf /sys/kernel/btf/vmlinux member task_struct pid || exit 1
echo "== loaded in guest"
"$here/xlated.sh" "$1"
