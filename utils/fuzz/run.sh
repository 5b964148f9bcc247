#!/bin/sh
# Run a fuzzer for a bounded time and summarise the result.
#
#   utils/fuzz/run.sh [SECONDS] [FUZZER]
#
# SECONDS defaults to 60. FUZZER defaults to stapc-fuzz-parse on PATH, else
# build/bin/stapc-fuzz-parse (configure with clang; -DSTAPC_FUZZ=ON is the
# default there); build/bin/stapc-fuzz-compile fuzzes the whole compiler.
# Seeds are every .stp file under test/ (the lit inputs and the regression
# crashers in test/Driver/Inputs/fuzz), or under the directories of test/
# named in $STAPC_FUZZ_SEED_DIRS, plus $STAPC_FUZZ_GENERATED (default 0)
# scripts from genscript.py (seeds 1..N). Crashing inputs are kept in
# $STAPC_FUZZ_ARTIFACTS (default ./fuzz-artifacts).
#
# Prints `execs: N` and `crashes: N`; exits 1 if anything crashed, timed
# out (25 s on one input: the expansion-blowup seed alone takes ~3 s, more
# on a loaded machine), ran out of memory or failed the print/parse round trip.
set -eu

secs=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
fuzzer=${2:-$(command -v stapc-fuzz-parse || echo "$src/build/bin/stapc-fuzz-parse")}
if [ ! -x "$fuzzer" ]; then
  echo "run.sh: fuzzer '$fuzzer' not found (build it with clang)" >&2
  exit 2
fi
artifacts=${STAPC_FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}
mkdir -p "$artifacts"

work=$(mktemp -d "${TMPDIR:-/tmp}/stapc-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/corpus" "$work/seeds" "$work/artifacts"

# Seeds get unique names: many tests share a basename.
n=0
dirs=
for d in ${STAPC_FUZZ_SEED_DIRS:-.}; do dirs="$dirs $src/test/$d"; done
# Regression crashers always.
[ -d "$src/test/Driver/Inputs/fuzz" ] && dirs="$dirs $src/test/Driver/Inputs/fuzz"
find $dirs -name '*.stp' -type f | sort -u | while read -r f; do
  n=$((n + 1))
  cp "$f" "$work/seeds/seed-$n.stp"
done

if [ "${STAPC_FUZZ_GENERATED:-0}" -gt 0 ]; then
  for i in $(seq "$STAPC_FUZZ_GENERATED"); do
    python3 "$src/utils/fuzz/genscript.py" "$i" -o "$work/seeds/gen-$i.stp"
  done
fi

status=0
"$fuzzer" -max_total_time="$secs" -max_len=4096 -timeout=25 \
  -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$work/seeds" >"$work/log" 2>&1 || status=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
crashes=$(find "$work/artifacts" -type f | wc -l)
echo "seeds: $(ls "$work/seeds" | wc -l)"
echo "execs: ${execs:-0}"
echo "crashes: $crashes"

if [ "$crashes" -ne 0 ] || [ "$status" -ne 0 ]; then
  cp "$work"/artifacts/* "$artifacts"/ 2>/dev/null || true
  echo "fuzzer exit status $status; inputs saved in $artifacts:"
  ls "$work/artifacts"
  echo "--- last lines of the fuzzer log:"
  tail -n 40 "$work/log"
  exit 1
fi
