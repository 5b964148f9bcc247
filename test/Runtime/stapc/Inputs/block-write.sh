#!/bin/sh
# tapset-ioblock.stp's workload: 256 KiB of direct (uncached) writes into a
# new file, then the name of the block device that holds its directory, as
# /sys/dev/block knows it ("vda", "sda1", "dm-0").
f=$1
rm -f "$f"
dd if=/dev/zero of="$f" bs=64k count=4 oflag=direct status=none
dev=$(stat -c '%Hd:%Ld' "$(dirname "$f")")
echo "expect-dev $(basename "$(readlink -f "/sys/dev/block/$dev")")"
rm -f "$f"
