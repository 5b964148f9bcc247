#!/bin/sh
# bpftool-loadall.sh OBJECT PINDIR: bpftool must load a stapc object as-is
# (it skips .stapc.meta). bpftool >= 7.2 also auto-attaches with the
# `autoattach` keyword, where bare SEC("raw_tp") begin/end programs must be
# skipped rather than fail; older bpftool (Debian 12: 7.1) lacks the keyword.
obj=$1 dir=$2
rm -rf "$dir"
if bpftool prog help 2>&1 | grep -q autoattach; then
  bpftool prog loadall "$obj" "$dir" autoattach
else
  bpftool prog loadall "$obj" "$dir"
fi
echo "loadall status: $?"
ls "$dir"
rm -rf "$dir"
