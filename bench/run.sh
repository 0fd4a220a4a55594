#!/usr/bin/env bash
# run.sh — the whole benchmark, in one go: build corpusd (Release) if needed,
# generate the corpora, and measure corpusd against nginx serving the very
# same bytes (bench/bench.py does the measuring; see bench/README.md).
#
#   bench/run.sh                      # sizes 5 (the bundled seeds) and 100000
#   BENCH_SIZES=5,2000 BENCH_DURATION=3 bench/run.sh     # a quick look
#
# Environment: BENCH_SIZES (comma-separated file counts; 5 = data/corpus),
# BENCH_DURATION (seconds per wrk run, default 10), BENCH_SEED (default 1),
# BENCH_BUILD (build folder, default build-bench), BENCH_OUT (default
# bench/out), BENCH_NOTE (a line for the report: what was unusual). Results: $BENCH_OUT/RESULTS.md and results.json.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build-bench}
OUT=${BENCH_OUT:-$ROOT/bench/out}
mkdir -p "$OUT"

# Whatever happens (Ctrl-C, an error, a timeout), stop every process the run
# started: bench.py writes each pid to $OUT/pids as it starts it.
cleanup() {
  local pid
  if [[ -f $OUT/pids ]]; then
    while read -r pid; do
      [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null || true
    done <"$OUT/pids"
    sleep 0.5
    while read -r pid; do
      [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null || true
    done <"$OUT/pids"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in cmake wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done

if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$OUT/build.log" 2>&1 ||
    { cat "$OUT/build.log" >&2; exit 2; }
fi
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD/CMakeCache.txt"; then
  echo "run.sh: $BUILD is not a Release build; set BENCH_BUILD to another folder" >&2
  exit 2
fi
# incremental: a no-op when corpusd is up to date
cmake --build "$BUILD" -j2 --target corpusd >"$OUT/build.log" 2>&1 ||
  { cat "$OUT/build.log" >&2; exit 2; }

export BENCH_COMMAND="${BENCH_SIZES:+BENCH_SIZES=$BENCH_SIZES }${BENCH_DURATION:+BENCH_DURATION=$BENCH_DURATION }bench/run.sh"
python3 "$ROOT/bench/bench.py" \
  --bin "$BUILD/corpusd" --out "$OUT" \
  --sizes "${BENCH_SIZES:-5,100000}" \
  --duration "${BENCH_DURATION:-10}" \
  --seed "${BENCH_SEED:-1}"
