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
# The kernel frees programs and links asynchronously (RCU and deferred
# work) after the last descriptor closes: give it up to 5 s to finish.
count_alive() {
  n=0
  for id in $2; do bpftool "$1" show id "$id" >/dev/null 2>&1 && n=$((n + 1)); done
  echo $n
}
for i in $(seq 50); do
  [ "$(count_alive prog "$progs")$(count_alive link "$links")" = 00 ] && break
  sleep 0.1
done
echo "programs alive after exit: $(count_alive prog "$progs")"
echo "links alive after exit: $(count_alive link "$links")"
cat "$out"
