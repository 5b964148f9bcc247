#!/bin/sh
# Configure and build stapc with AddressSanitizer and UBSan into
# ./build-asan (the CI runs the non-VM test suite with it: see README).
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DSTAPC_SANITIZE=ON -DSTAPC_FUZZ=OFF "$@"
ninja -C build-asan
