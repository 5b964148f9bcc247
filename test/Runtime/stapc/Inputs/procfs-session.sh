#!/bin/sh
# procfs-session.sh OBJ DIR FILE CMD: runs `stapc-run $PROCFS_ARGS OBJ` in
# the background (PROCFS_ARGS defaults to `--procfs-dir DIR`), waits until
# the FIFO DIR/FILE exists, runs CMD with sh, stops the session with SIGINT
# and prints "exit status: N", the session's output, and whether DIR is
# gone. Every step is bounded in time: a hung reader or session fails the
# test instead of hanging it.
obj=$1 dir=$2 file=$3 cmd=$4
out=$(mktemp)
rm -rf "$dir"
stapc-run ${PROCFS_ARGS:---procfs-dir "$dir"} -T 60 "$obj" > "$out" 2>&1 &
pid=$!
i=0
while [ ! -p "$dir/$file" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
[ -p "$dir/$file" ] || echo "no FIFO $dir/$file"
timeout 20 sh -c "$cmd" || echo "command failed: $?"
kill -INT $pid
# The session must end promptly after SIGINT, readers or not.
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -0 $pid 2>/dev/null && { echo "session still running after SIGINT"; kill -9 $pid; }
wait $pid
echo "exit status: $?"
cat "$out"
rm -f "$out"
if [ -e "$dir" ]; then echo "left behind: $(ls -A "$dir")"; else echo "directory removed"; fi
