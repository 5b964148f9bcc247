#!/bin/sh
# signal.sh SIGNAL OBJECT OUT: runs stapc-run OBJECT in the background,
# waits for its begin output and 0.3 s more (a few timer ticks), notes the
# BPF programs and links it holds, sends SIGNAL, and reports the exit
# status and which of them survived (signal-phase.sh does the work).
SIGNAL_DELAY=0.3 exec sh "$(dirname "$0")/signal-phase.sh" "$2" "$3" 'end:' started "$1"
