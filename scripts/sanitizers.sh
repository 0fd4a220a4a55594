#!/usr/bin/env bash
# sanitizers.sh tsan|valgrind [test_x.py ...] — the integration suite (or the
# named tests) against a corpusd built for ThreadSanitizer, or run under
# valgrind memcheck.
#
#   tsan      clang -DCORPUSD_TSAN=ON in build-tsan: the MHD thread pool, the
#             per-thread store readers, the ingest threads, reload and drain.
#             Any report makes corpusd exit 66 at SIGTERM (the harness wants
#             0), and every report is also kept in build-tsan/tsan-logs/.
#   valgrind  a plain build in build-valgrind; CORPUSD_BIN is a wrapper that
#             execs valgrind --error-exitcode=99 --leak-check=full
#             --errors-for-leak-kinds=definite,indirect, so a memory error
#             or a definite/indirect leak fails the test that caused it, and
#             the logs stay in build-valgrind/vg-logs/. The harness's waits
#             are scaled (CORPUSD_TIMEOUT_SCALE) because memcheck is ~20x
#             slower.
#
# Prints "N passed, M failed" (tests) and the number of sanitizer reports;
# exits non-zero if either is bad. Builds and runs under nice.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
[ "$mode" = tsan ] || [ "$mode" = valgrind ] || { sed -n '2,18p' "$0" >&2; exit 2; }
shift
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(tests/integration/test_*.py)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

case "$mode" in
tsan)
  dir=build-tsan
  cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORPUSD_TSAN=ON \
    -DCORPUSD_TESTS=OFF >/dev/null
  nice -n 10 cmake --build "$dir" -j2 --target corpusd >"$dir.build.log" 2>&1 || { tail -30 "$dir.build.log"; exit 1; }
  logs="$PWD/$dir/tsan-logs"
  rm -rf "$logs" && mkdir -p "$logs"
  export TSAN_OPTIONS="halt_on_error=0 exitcode=66 second_deadlock_stack=1 log_path=$logs/tsan"
  export CORPUSD_BIN="$PWD/$dir/corpusd"
  export CORPUSD_TIMEOUT_SCALE=3
  ;;
valgrind)
  dir=build-valgrind
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORPUSD_TESTS=OFF >/dev/null
  nice -n 10 cmake --build "$dir" -j2 --target corpusd >"$dir.build.log" 2>&1 || { tail -30 "$dir.build.log"; exit 1; }
  logs="$PWD/$dir/vg-logs"
  rm -rf "$logs" && mkdir -p "$logs"
  cat >"$dir/corpusd-valgrind" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \\
  --show-leak-kinds=definite,indirect --num-callers=30 --log-file="$logs/vg.%p" "$PWD/$dir/corpusd" "\$@"
WRAP
  chmod +x "$dir/corpusd-valgrind"
  export CORPUSD_BIN="$PWD/$dir/corpusd-valgrind"
  export CORPUSD_TIMEOUT_SCALE=10
  ;;
esac
export CORPUSD_SOURCE_DIR="$PWD"

passed=0
failed=0
failed_names=""
for t in "${tests[@]}"; do
  name=$(basename "$t" .py)
  out="$logs/$name.out"
  t0=$(date +%s)
  if nice -n 10 "$PY" "$t" >"$out" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name ($(($(date +%s) - t0))s): $(tail -1 "$out")"
  else
    failed=$((failed + 1))
    failed_names="$failed_names $name"
    echo "FAIL $name ($(($(date +%s) - t0))s): $(tail -1 "$out")"
    grep -E '^FAIL|AssertionError' "$out" | head -6 | sed 's/^/     /'
  fi
done

# Reports: TSan writes one file per process that had any; valgrind one per
# process, non-empty (with -q) only when it found something.
reports=0
for f in "$logs"/tsan.* "$logs"/vg.*; do
  [ -s "$f" ] || continue
  reports=$((reports + 1))
  echo "== report: $f"
  head -40 "$f"
done
echo "$mode: $reports sanitizer reports"
echo "$passed passed, $failed failed"
[ "$reports" = 0 ] && [ "$failed" = 0 ]
