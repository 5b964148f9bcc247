#!/bin/sh
# Add page-cache pages by writing files into directory $1 (the test removes
# it), then wait for the probe to end the session.
mkdir -p "$1"
for i in 1 2 3 4; do
  dd if=/dev/urandom of="$1/data.$i" bs=64k count=16 2>/dev/null
done
sleep 5
