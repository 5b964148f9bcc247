#!/bin/sh
# module-function.test's guest side: a module function through both attach
# paths, the listing, and the errors for a module without BTF.
script=$(dirname "$0")/module-function.stp
printf 1234567 > /stapc-module-test
workload='dd if=/stapc-module-test of=/dev/null bs=100 count=1 status=none'
"$(dirname "$0")/both-paths.sh" "$script" "$workload"
echo "== list"
stapc -L 'module("overlay").function("ovl_read_iter")'
stapc -l 'module("overlay").function("ovl_read_i*")'
echo "== errors"
stapc -p4 -e 'probe module("nosuchmod").function("f") {}' 2>&1
stapc -p4 -e 'probe module("overlay").function("vfs_read") {}' 2>&1
echo "status $?"
