#!/bin/bash
# Produces the BTF of Debian 12's 6.1 kernel for CO-RE tests against an older
# kernel than the host's, without committing ~5 MiB of BTF:
#   utils/fetch-kernel-btf.sh [OUTDIR]     (default: <repo>/build/kernel-btf)
# Writes OUTDIR/vmlinux-6.1.btf (raw .BTF of the newest packaged
# linux-image-6.1.0-<N>-amd64-unsigned). Needs apt (Debian's archive), dpkg,
# llvm-objcopy-19 and python3. Idempotent: an existing file is kept.
# With --offline it only uses a .deb already downloaded (here or by
# utils/vmtest/prepare.sh) and fails otherwise; test/BTF's lit config
# calls it that way so tests never hit the network.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
OFFLINE=0
if [[ ${1:-} == --offline ]]; then
  OFFLINE=1
  shift
fi
OUTDIR=${1:-$REPO/build/kernel-btf}
OUT=$OUTDIR/vmlinux-6.1.btf
OBJCOPY=${LLVM_OBJCOPY:-llvm-objcopy-19}

fail() { echo "fetch-kernel-btf: $*" >&2; exit 1; }

if [[ -s $OUT ]]; then
  echo "$OUT ($(stat -c %s "$OUT") bytes, cached)"
  exit 0
fi
mkdir -p "$OUTDIR/deb"
command -v apt-cache >/dev/null || fail "needs apt-cache (Debian)"

# The newest 6.1 image package apt knows; vmtest's download is reused.
pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' |
      cut -d' ' -f1 | sort -V | tail -1)
[[ -n $pkg ]] || fail "apt knows no linux-image-6.1.0-*-amd64-unsigned (run apt-get update)"
deb=$(ls "$OUTDIR"/deb/"${pkg}"_*.deb "$OUTDIR"/../vmtest/deb/"${pkg}"_*.deb \
      "$REPO"/build/vmtest/deb/"${pkg}"_*.deb 2>/dev/null | head -1 || true)
if [[ -z $deb ]]; then
  [[ $OFFLINE == 0 ]] || fail "no downloaded $pkg (offline)"
  (cd "$OUTDIR/deb" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) ||
    fail "apt-get download $pkg failed"
  deb=$(ls "$OUTDIR"/deb/"${pkg}"_*.deb | head -1)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg -x "$deb" "$tmp/root"
image=$(ls "$tmp"/root/boot/vmlinuz-* | head -1)
[[ -n $image ]] || fail "no /boot/vmlinuz-* in $deb"
# The bzImage wraps a compressed ELF vmlinux; its .BTF section is the BTF.
python3 "$REPO/utils/vmtest/extract-vmlinux.py" "$image" "$tmp/vmlinux" ||
  fail "cannot extract vmlinux from $image"
"$OBJCOPY" --dump-section .BTF="$tmp/vmlinux.btf" "$tmp/vmlinux" ||
  fail "$image has no .BTF section"
mv "$tmp/vmlinux.btf" "$OUT"
echo "$OUT ($(stat -c %s "$OUT") bytes, from $pkg)"
