#!/usr/bin/env bash
# profile-cold.sh — where a cold start spends its time: builds the store of a
# generated corpus once under `perf stat` and once under `perf record`
# (`corpusd build` exits when the store is written), and prints the phase
# times corpusd logs, CPU use, and the hottest functions.
#
#   bench/profile-cold.sh [COUNT]        # default 100000; corpus made by run.sh's rules
#   PROFILE_STAT=0 BENCH_BUILD=DIR bench/profile-cold.sh   # skip perf stat; another Release build
#
# Needs perf (linux-perf) and a kernel that allows it; the perf data stays
# in bench/out/perf-cold-COUNT.data for `perf report -i`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${1:-100000}
SEED=${BENCH_SEED:-1}
BUILD=${BENCH_BUILD:-$ROOT/build-bench}
OUT=${BENCH_OUT:-$ROOT/bench/out}
CORPUS=$ROOT/bench/corpus-$COUNT-s$SEED
DB=$OUT/profile-$COUNT.db
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "profile-cold.sh: perf is required" >&2; exit 2; }
[[ -x $BUILD/corpusd ]] || { echo "profile-cold.sh: run bench/run.sh first (builds $BUILD/corpusd)" >&2; exit 2; }
if [[ ! -d $CORPUS ]]; then
  "$ROOT/tools/gen-corpus" --out "$CORPUS" --count "$COUNT" --seed "$SEED"
fi
trap 'rm -f "$DB" "$DB.tmp"' EXIT

if [[ ${PROFILE_STAT:-1} == 1 ]]; then  # PROFILE_STAT=0: only perf record
echo "== perf stat: corpusd build ($COUNT files)"
rm -f "$DB" "$DB.tmp"
timeout 900 perf stat -e task-clock,context-switches,page-faults -- \
  "$BUILD/corpusd" build --corpus "$CORPUS" --db "$DB" --log-level info 2>"$OUT/perf-stat-$COUNT.txt" |
  grep '"store built"' || true
cat "$OUT/perf-stat-$COUNT.txt"
fi

echo "== perf record (99 Hz, call graphs)"
rm -f "$DB" "$DB.tmp"
timeout 900 perf record -q -F 99 -g -o "$OUT/perf-cold-$COUNT.data" -- \
  "$BUILD/corpusd" build --corpus "$CORPUS" --db "$DB" --log-level warn >/dev/null
echo "-- by shared object"
perf report -i "$OUT/perf-cold-$COUNT.data" --no-children --sort dso --stdio -g none 2>/dev/null |
  grep -v '^#' | grep -v '^$' | head -8
echo "-- hottest functions (self time)"
perf report -i "$OUT/perf-cold-$COUNT.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null |
  grep -v '^#' | grep -v '^$' | head -25
