#!/bin/sh
# kernel-function.test's guest side: the same script through both attach
# paths (stapc-run -v says which one it took), then -L on the real kernel.
script=$(dirname "$0")/kernel-function.stp
workload='dd if=/dev/zero of=/dev/null bs=1234 count=3 status=none'
for mode in "" --kprobes; do
  echo "== mode ${mode:-default}"
  out=$(stapc -v $mode "$script" -c "$workload" 2>&1)
  status=$?
  printf '%s\n' "$out" | grep -v ' [0-9.]* ms$'
  echo "status $status"
done
echo "== list"
stapc -L 'kernel.function("vfs_read").return'
stapc -l 'kernel.function("ksys_[rw][er]*[de]")'
echo "== bpftool"
# Plain libbpf can load the object: every program loads and pins.
stapc -o /tmp/kf.bpf.o "$script" &&
  bpftool prog loadall /tmp/kf.bpf.o /sys/fs/bpf/kf && ls /sys/fs/bpf/kf | tr '\n' ' '
echo
