#!/bin/sh
# kernel-function.test's guest side: the same script through both attach
# paths (stapc-run -v says which one it took), then -L on the real kernel.
script=$(dirname "$0")/kernel-function.stp
workload='dd if=/dev/zero of=/dev/null bs=1234 count=3 status=none'
"$(dirname "$0")/both-paths.sh" "$script" "$workload"
echo "== list"
stapc -L 'kernel.function("vfs_read").return'
stapc -l 'kernel.function("ksys_[rw][er]*[de]")'
echo "== bpftool"
# Plain libbpf can load the object: every program loads and pins.
stapc -o /tmp/kf.bpf.o "$script" &&
  bpftool prog loadall /tmp/kf.bpf.o /sys/fs/bpf/kf && ls /sys/fs/bpf/kf | tr '\n' ' '
echo
