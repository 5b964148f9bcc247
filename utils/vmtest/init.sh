#!/bin/busybox sh
# PID 1 of the vmtest guest (copied into the initramfs by prepare.sh).
#
# Loads the virtio/9p/overlay modules, mounts the host's / (read-only 9p,
# tag "hostroot") under a tmpfs-backed overlay so the command can write
# anywhere without touching the host, mounts the writable job share (tag
# "vmshare") at /run/vmtest, runs /run/vmtest/job.sh with the host's bash
# inside that root, records its exit status and powers off. Its stdout and
# stderr go to the virtio-serial ports named "stdout" and "stderr"; our own
# messages go to the kernel console, which run.sh keeps out of the
# command's output.

# prepare.sh put the busybox applet links in /bin.
export PATH=/bin
mkdir -p /proc /sys /dev /lower /rw /newroot

# Stage messages carry the uptime so a slow boot shows where time went.
say() {
  read -r up _ </proc/uptime
  echo "vmtest-init: [${up}s] $*" >/dev/console
}

# Any failure before the command runs ends the boot; run.sh sees no status
# file and prints the console log.
die() {
  say "FATAL: $*"
  poweroff -f
  sleep 5
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say "init started"

while read -r module; do
  insmod "/lib/modules/$module" || die "insmod $module failed"
done </etc/vmtest-modules
say "modules loaded"

# cache=loose: the host tree does not change under a test, and caching
# file data in the guest page cache makes exec of big binaries (clang,
# bpftool) much cheaper than a 9p round trip per read.
NINEP="trans=virtio,version=9p2000.L,msize=512000"
mount -t 9p -o "$NINEP,ro,cache=loose" hostroot /lower || die "mount hostroot"
mount -t tmpfs -o mode=0755 tmpfs /rw || die "mount tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay overlay \
  -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot ||
  die "mount overlay"

R=/newroot
mkdir -p $R/run/vmtest
mount -t 9p -o "$NINEP" vmshare $R/run/vmtest || die "mount vmshare"
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
mount -t tmpfs tmpfs $R/dev/shm
mount -t tracefs tracefs $R/sys/kernel/tracing
mount -t debugfs debugfs $R/sys/kernel/debug
mount -t bpf bpf $R/sys/fs/bpf

# Find the output ports by name; their vportNpM numbering is an
# implementation detail of the virtio-serial bus.
OUT=/dev/null
ERR=/dev/console
for port in /sys/class/virtio-ports/*; do
  case "$(cat "$port/name" 2>/dev/null)" in
  stdout) OUT=/dev/${port##*/} ;;
  stderr) ERR=/dev/${port##*/} ;;
  esac
done

say "running the command"
chroot $R /bin/bash /run/vmtest/job.sh <$R/dev/null >"$OUT" 2>"$ERR"
status=$?
say "command exited with status $status"
echo $status >$R/run/vmtest/status.tmp
mv $R/run/vmtest/status.tmp $R/run/vmtest/status
sync
poweroff -f
