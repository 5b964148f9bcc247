#!/bin/sh
# tapset-vfs.test's guest side: dd copies three 1234-byte blocks from
# /dev/zero to /dev/null, then cat reads a directory (EISDIR).
script=$(dirname "$0")/tapset-vfs.stp
stapc "$script" -c "sh -c 'dd if=/dev/zero of=/dev/null bs=1234 count=3 status=none; cat / 2>/dev/null; exit 0'"
echo "status $?"
