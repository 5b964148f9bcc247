#!/bin/bash
# Prepares the vmtest guest: a Debian 6.1 kernel (uncompressed vmlinux, so
# QEMU boots it through its PVH note) and a tiny busybox initramfs.
#
#   utils/vmtest/prepare.sh [OUTDIR]      (default: <repo>/build/vmtest)
#
# Everything comes from Debian packages: the newest
# linux-image-6.1.0-<N>-amd64-unsigned (apt-get download + dpkg -x) and the
# host's busybox-static. Idempotent: once OUTDIR/stamp matches the kernel
# and these scripts, it returns at once without touching the network.
# Delete OUTDIR to pick up a newer kernel. Exit status is non-zero (with a
# reason on stderr) when the guest cannot be prepared, e.g. no apt access.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUTDIR=${1:-${STAPC_VMTEST_DIR:-$REPO/build/vmtest}}

# Modules the initramfs loads (dependencies are added from modules.dep).
WANTED_MODULES="virtio virtio_ring virtio_pci virtio_console netfs fscache
  9pnet 9pnet_virtio 9p overlay"

log() { echo "vmtest-prepare: $*" >&2; }
fail() { log "error: $*"; exit 1; }

# The stamp names the kernel and hashes the scripts that shape the guest,
# so editing init.sh or this file rebuilds the initramfs.
scripts_hash() {
  cat "$HERE/prepare.sh" "$HERE/init.sh" "$HERE/extract-vmlinux.py" |
    sha256sum | cut -c1-16
}

is_prepared() {
  [[ -f $OUTDIR/stamp && -f $OUTDIR/vmlinux && -f $OUTDIR/initramfs.cpio ]] ||
    return 1
  grep -qx "scripts=$(scripts_hash)" "$OUTDIR/stamp"
}

# Reuses an already downloaded package if there is one, so a re-prepare
# after editing init.sh needs no network.
newest_kernel_package() {
  local cached
  cached=$(ls "$OUTDIR"/deb/linux-image-6.1.0-*-amd64-unsigned_*.deb 2>/dev/null |
    sort -V | tail -n1 || true)
  if [[ -n $cached ]]; then
    basename "$cached" | cut -d_ -f1
    return
  fi
  apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' |
    cut -d' ' -f1 | sort -V | tail -n1
}

download_package() {
  local pkg=$1
  mkdir -p "$OUTDIR/deb"
  if ls "$OUTDIR/deb/${pkg}_"*.deb >/dev/null 2>&1; then
    return
  fi
  log "downloading $pkg"
  # As root, apt would warn that its sandbox user cannot write here.
  (cd "$OUTDIR/deb" &&
    apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) ||
    fail "apt-get download $pkg failed"
}

# Prints the module files to load, dependencies first, each once, as paths
# relative to /lib/modules/<release>.
resolve_modules() {
  local moddir=$1 name line deps dep i
  local -A seen=()
  local -a order=()
  for name in $WANTED_MODULES; do
    line=$(grep -E "(^|/)$name\.ko(\.[a-z]+)?:" "$moddir/modules.dep") ||
      fail "module $name is not in modules.dep"
    deps=(${line#*:})
    # modules.dep lists dependencies so that loading them last-to-first works.
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
      dep=${deps[i]}
      [[ -n ${seen[$dep]:-} ]] || { seen[$dep]=1; order+=("$dep"); }
    done
    dep=${line%%:*}
    [[ -n ${seen[$dep]:-} ]] || { seen[$dep]=1; order+=("$dep"); }
  done
  printf '%s\n' "${order[@]}"
}

# Copies one module into the initramfs tree uncompressed (busybox insmod
# does not decompress) and prints its new relative name.
install_module() {
  local src=$1 dst_dir=$2 rel=$3
  local base=${rel%.xz}
  base=${base%.zst}
  mkdir -p "$dst_dir/$(dirname "$base")"
  case $rel in
  *.xz) xz -dc "$src" >"$dst_dir/$base" ;;
  *.zst) zstd -qdc "$src" >"$dst_dir/$base" ;;
  *) cp "$src" "$dst_dir/$base" ;;
  esac
  echo "$base"
}

build_initramfs() {
  local unpacked=$1 release=$2 stage=$3
  local moddir=$unpacked/lib/modules/$release
  local tree=$stage/initramfs rel applet
  [[ -f $moddir/modules.dep ]] || depmod -b "$unpacked" "$release" ||
    fail "depmod failed (is kmod installed?)"
  mkdir -p "$tree/bin" "$tree/etc" "$tree/lib/modules"
  cp /bin/busybox "$tree/bin/busybox" || fail "busybox-static is not installed"
  # Applet links are made here rather than by `busybox --install` in the
  # guest, where creating them costs ~0.4 s of emulated time per boot.
  for applet in $(/bin/busybox --list); do
    [[ -e $tree/bin/$applet ]] || ln -s busybox "$tree/bin/$applet"
  done
  install -m 0755 "$HERE/init.sh" "$tree/init"
  : >"$tree/etc/vmtest-modules"
  for rel in $(resolve_modules "$moddir"); do
    install_module "$moddir/$rel" "$tree/lib/modules" "$rel" \
      >>"$tree/etc/vmtest-modules"
  done
  # Uncompressed: unpacking costs less boot time under TCG than inflating.
  (cd "$tree" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc --quiet) >"$stage/initramfs.cpio"
}

prepare() {
  local pkg deb release stage
  for tool in apt-get dpkg depmod cpio python3 qemu-system-x86_64; do
    command -v "$tool" >/dev/null || fail "$tool not found (run utils/install-deps.sh)"
  done
  [[ -x /bin/busybox ]] || fail "/bin/busybox missing (install busybox-static)"
  pkg=$(newest_kernel_package)
  [[ -n $pkg ]] || fail "no linux-image-6.1.0-*-amd64-unsigned known to apt (apt-get update?)"
  download_package "$pkg"
  deb=$(ls "$OUTDIR/deb/${pkg}_"*.deb | sort -V | tail -n1)

  stage=$(mktemp -d "$OUTDIR/stage.XXXXXX")
  STAGE_DIR=$stage
  trap 'rm -rf "$STAGE_DIR"' EXIT
  log "unpacking $(basename "$deb")"
  if ! dpkg -x "$deb" "$stage/unpacked"; then
    rm -f "$deb" # Likely a truncated download: fetch it again next time.
    fail "cannot unpack $deb"
  fi
  release=$(ls "$stage/unpacked/lib/modules" | head -n1)
  python3 "$HERE/extract-vmlinux.py" "$stage/unpacked/boot/vmlinuz-$release" \
    "$stage/vmlinux" || fail "could not extract vmlinux"
  build_initramfs "$stage/unpacked" "$release" "$stage"
  cp "$stage/unpacked/boot/config-$release" "$stage/config"

  # Publish atomically-enough: the stamp goes last, so a half-finished run
  # never looks prepared.
  rm -f "$OUTDIR/stamp"
  mv "$stage/vmlinux" "$stage/initramfs.cpio" "$stage/config" "$OUTDIR/"
  printf 'kernel=%s\npackage=%s\nscripts=%s\n' "$release" "$pkg" \
    "$(scripts_hash)" >"$OUTDIR/stamp"
  log "ready: $OUTDIR (kernel $release)"
}

mkdir -p "$OUTDIR" || fail "cannot create $OUTDIR"
# Serialize concurrent callers (parallel lit runs, several build dirs).
exec 9>"$OUTDIR/.lock"
flock 9
rm -rf "$OUTDIR"/stage.* # Left behind by a killed run.
is_prepared || prepare
