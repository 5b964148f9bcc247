#!/bin/sh
# tapset-signal.stp's workload: this shell (target()) sends SIGUSR1 to a
# child shell that traps it, so the signal is delivered as itself (one whose
# default action kills is delivered as SIGKILL to the whole thread group).
sh -c 'trap "exit 0" USR1; while :; do sleep 0.05; done' &
child=$!
sleep 0.3
kill -USR1 $child
wait
