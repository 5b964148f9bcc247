#!/bin/sh
# Runs one shard of the runtime lit suite (test/Runtime) from the build tree
# OBJ; used inside the 6.1 guest by test/VM/runtime-61-*.test so that every
# runtime test also proves verifier acceptance on the older kernel.
#
#   utils/vmtest/runtime-shard.sh OBJ SHARD SHARDS
set -eu
obj=$1 shard=$2 shards=$3
cd "$obj"
# The inner lit must not prepare or boot a VM of its own; a test that hangs
# in the guest is reported by name (--timeout) instead of killing the guest.
STAPC_VMTEST=0 exec /usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py \
  -sv -j1 --timeout 60 --num-shards "$shards" --run-shard "$shard" test/Runtime
