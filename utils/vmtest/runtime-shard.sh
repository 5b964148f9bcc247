#!/bin/sh
# Runs one shard of the runtime lit suite (test/Runtime) from the build tree
# OBJ; used inside the 6.1 guest by test/VM/runtime-61-*.test so that every
# runtime test also proves verifier acceptance on the older kernel.
#
#   utils/vmtest/runtime-shard.sh OBJ SHARD SHARDS
#
# Always exits 0 and ends with "runtime-shard: lit exit N": the calling test
# checks that line with FileCheck, so a failure shows lit's whole report
# (which test failed, timed out or was unresolved) instead of a bare status.
set -eu
obj=$1 shard=$2 shards=$3
cd "$obj"
# The inner lit must not prepare or boot a VM of its own; a test that hangs
# in the guest is reported by name (--timeout) instead of killing the guest.
# The guest runs 5-10x slower than the host and its timing jitters, so a
# failing test gets one retry (STAPC_TEST_RETRIES, read by lit.cfg.py); lit
# reports it as FLAKYPASS, which stays visible in the CI log.
status=0
STAPC_VMTEST=0 STAPC_TEST_RETRIES=1 STAPC_IN_VM_GUEST=1 /usr/bin/python3 \
  /usr/lib/llvm-19/build/utils/lit/lit.py -sv -j1 --timeout 150 \
  --num-shards "$shards" --run-shard "$shard" test/Runtime || status=$?
echo "runtime-shard: lit exit $status"
