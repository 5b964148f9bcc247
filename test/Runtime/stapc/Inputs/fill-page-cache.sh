#!/bin/sh
# Add page-cache pages by writing files next to $1, then wait for the probe.
for i in 1 2 3 4; do
  dd if=/dev/urandom of="$1.data.$i" bs=64k count=16 2>/dev/null
done
sleep 5
rm -f "$1".data.*
