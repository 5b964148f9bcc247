#!/bin/sh
# Runs a kernel.function script once through fentry/fexit and once with
# --kprobes (stapc-run -v says which path it took), printing the output
# without timings and the exit status.   both-paths.sh SCRIPT WORKLOAD
script=$1
workload=$2
for mode in "" --kprobes; do
  echo "== mode ${mode:-default}"
  out=$(stapc -v $mode "$script" -c "$workload" 2>&1)
  status=$?
  printf '%s\n' "$out" | grep -v ' [0-9.]* ms$'
  echo "status $status"
done
