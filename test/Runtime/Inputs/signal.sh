#!/bin/sh
# signal.sh SIGNAL OBJECT OUT: runs stapc-run OBJECT in the background,
# waits for its begin output, notes the BPF programs and links it holds
# (from /proc/PID/fdinfo, so concurrent test runs do not interfere), sends
# SIGNAL, and reports the exit status and which of them survived.
sig=$1 obj=$2 out=$3
stapc-run "$obj" > "$out" 2>&1 &
pid=$!
for i in $(seq 100); do
  grep -q started "$out" 2>/dev/null && break
  sleep 0.1
done
sleep 0.3
progs=$(cat /proc/$pid/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | sort -u)
links=$(cat /proc/$pid/fdinfo/* 2>/dev/null | sed -n 's/^link_id:[[:space:]]*//p' | sort -u)
echo "programs: $(echo $progs | wc -w)"
echo "links: $(echo $links | wc -w)"
kill -"$sig" "$pid"
wait "$pid"
echo "exit status: $?"
alive=0
for id in $progs; do bpftool prog show id "$id" >/dev/null 2>&1 && alive=$((alive + 1)); done
echo "programs alive after exit: $alive"
alive=0
for id in $links; do bpftool link show id "$id" >/dev/null 2>&1 && alive=$((alive + 1)); done
echo "links alive after exit: $alive"
cat "$out"
