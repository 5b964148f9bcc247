#!/bin/sh
# Usage: libbpf-compat-unloaded.sh RECORD...
# Checks that what libbpf-compat-loadall.sh loaded is gone: its pin
# directory no longer exists and `bpftool prog show id N` knows none of its
# programs. The kernel frees a program when its last reference goes, which
# can trail the unlink a little, so each id gets a few seconds.
set -u
status=0 ids=0
for record in "$@"; do
  dir=$(head -1 "$record")
  if [ -e "$dir" ]; then
    echo "still pinned: $dir"
    status=1
  fi
  for id in $(tail -n +2 "$record"); do
    ids=$((ids + 1))
    tries=0
    while bpftool prog show id "$id" >/dev/null 2>&1; do
      tries=$((tries + 1))
      if [ $tries -ge 50 ]; then
        echo "still loaded: program id $id"
        status=1
        break
      fi
      sleep 0.1
    done
  done
done
echo "unloaded: $ids programs checked"
exit $status
