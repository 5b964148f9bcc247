#!/bin/sh
# Installs every Debian 12 package that building, testing and running stapc
# needs. Idempotent; run as root.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
  build-essential cmake ninja-build pkg-config git ca-certificates \
  llvm-19-dev llvm-19-tools clang-19 libclang-rt-19-dev \
  libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev libzstd-dev \
  libgtest-dev \
  python3 python3-psutil \
  systemtap systemtap-doc poppler-utils \
  bpftrace time \
  systemtap-sdt-dev postgresql \
  qemu-system-x86 busybox-static cpio kmod
