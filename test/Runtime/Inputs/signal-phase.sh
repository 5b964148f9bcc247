#!/bin/sh
# signal-phase.sh OBJECT OUT LATE MARKER SIGNAL [MARKER2 SIGNAL2]: runs
# stapc-run OBJECT in the background, waits until MARKER is in its output,
# notes the BPF programs and links it holds (from /proc/PID/fdinfo), sends
# SIGNAL; with MARKER2, waits for it too and sends SIGNAL2. Then reports the
# exit status, which programs and links survived, and the output.
#
# LATE is output that shows the phase to interrupt is already over: on a
# loaded machine this script may be scheduled too late to signal inside
# it. If LATE is already there when a signal is due, that attempt says
# nothing about the loader; the run is repeated (up to 10 attempts).
# SIGNAL_DELAY (seconds, default 0) is waited after MARKER before SIGNAL.
obj=$1 out=$2 late=$3 marker=$4 sig=$5 marker2=${6:-} sig2=${7:-}

wait_for() {
  for i in $(seq 300); do
    grep -q "$1" "$out" 2>/dev/null && return
    sleep 0.05
  done
  echo "timed out waiting for '$1'"
}
# Sends the signal unless LATE shows it would come too late.
signal() {
  if grep -q "$late" "$out"; then
    return 1
  fi
  kill -"$1" "$pid"
}

for attempt in 1 2 3 4 5 6 7 8 9 10; do
  # Empty before the background job starts: its own redirection happens
  # later, and a marker from an earlier run must not be seen.
  : > "$out"
  stapc-run "$obj" > "$out" 2>&1 &
  pid=$!
  wait_for "$marker"
  sleep "${SIGNAL_DELAY:-0}"
  progs=$(cat /proc/$pid/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | sort -u)
  links=$(cat /proc/$pid/fdinfo/* 2>/dev/null | sed -n 's/^link_id:[[:space:]]*//p' | sort -u)
  ok=yes
  signal "$sig" || ok=no
  if [ $ok = yes ] && [ -n "$marker2" ]; then
    wait_for "$marker2"
    signal "$sig2" || ok=no
  fi
  wait "$pid"
  status=$?
  [ $ok = yes ] && break
  echo "signal-phase.sh: attempt $attempt came too late ('$late' seen); again" >&2
done
echo "programs: $(echo $progs | wc -w)"
echo "links: $(echo $links | wc -w)"
echo "exit status: $status"
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
