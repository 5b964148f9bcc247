#!/bin/sh
# tapset-irq.stp's workload: direct writes (block device interrupts where the
# file system has a device), reads of files the guest has not cached yet
# (virtio 9p interrupts in the 6.1 guest), then timer ticks.
dd if=/dev/zero of="$1" bs=64k count=4 oflag=direct status=none 2>/dev/null
rm -f "$1"
shift
cat "$@" > /dev/null
sleep 0.3
