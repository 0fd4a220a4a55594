#!/usr/bin/env bash
# fuzz.sh [seconds] — build the libFuzzer drivers (clang, ASan+UBSan) and run
# each for `seconds` (default 60), one after the other.
#
#   scripts/fuzz.sh          # 60 s per driver (what CI runs)
#   scripts/fuzz.sh 600      # the 10-minute runs an issue asks for
#   FUZZ_DRIVERS="fuzz_dates fuzz_params" scripts/fuzz.sh 30
#
# Corpora live in $FUZZ_WORK (default build-fuzz/fuzz-work/<driver>/corpus)
# and grow from run to run; they are seeded from tests/fixtures and
# data/corpus (text drivers) or small hand-made inputs (dates, params,
# search). A crash, leak, timeout, sanitizer report or failed invariant
# leaves its reproducer in build-fuzz/fuzz-work/<driver>/ (crash-*, leak-*,
# timeout-*), and the script exits 1. Re-run one with:
#   build-fuzz/fuzz/<driver> build-fuzz/fuzz-work/<driver>/crash-...
# Runs under nice so it shares a small machine politely.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-60}"
BUILD="${FUZZ_BUILD:-build-fuzz}"
WORK="${FUZZ_WORK:-$BUILD/fuzz-work}"
DRIVERS="${FUZZ_DRIVERS:-fuzz_article fuzz_dates fuzz_params fuzz_people fuzz_events fuzz_search}"
JOBS="${FUZZ_BUILD_JOBS:-2}"

cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCORPUSD_FUZZ=ON -DCORPUSD_TESTS=OFF >/dev/null
mkdir -p "$WORK"
# shellcheck disable=SC2086
if ! nice -n 19 cmake --build "$BUILD" -j"$JOBS" --target $(for d in $DRIVERS; do
  [ "$d" = fuzz_search ] && [ ! -f src/api/search_query.c ] || printf '%s ' "$d"; done) >"$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log" >&2
  echo "fuzz: 0 passed, 1 failed (build)"
  exit 1
fi

# seed DRIVER NAME PREFIX [TEXT]: one hand-made seed input, PREFIX a printf
# format (octal escapes for the selector bytes), TEXT copied as it is.
seed() { { printf "$3"; printf '%s' "${4:-}"; } >"$WORK/$1/seeds/$2"; }

seed_corpora() {
  local d="$1" f i=0
  mkdir -p "$WORK/$d/corpus" "$WORK/$d/seeds"
  case "$d" in
  fuzz_article | fuzz_people | fuzz_events)
    # every fixture and bundled article, bad files included
    find tests/fixtures data/corpus -type f -name '*.txt' | while read -r f; do
      cp "$f" "$WORK/$d/seeds/$(echo "$f" | tr '/' '_')"
    done
    if [ "$d" != fuzz_article ]; then # two articles about the same people/events
      cat tests/fixtures/events/laos_vietnam_1.txt >"$WORK/$d/seeds/pair_laos"
      printf '@@@@' >>"$WORK/$d/seeds/pair_laos"
      cat tests/fixtures/events/laos_vietnam_2.txt >>"$WORK/$d/seeds/pair_laos"
    fi
    ;;
  fuzz_dates)
    # byte 0: anchor kind (0 none, 1 day, 2 month, 3 year); bytes 1-2: its value
    for s in "2025-03-21" "2024-07" "2024" "March 21, 2025" "Friday, March 21, 2025" "21 March 2025" \
      "22/03/2025" "Feb. 13" "March 2025" "in 2024" "from January 15 to 17, 2024" "15-17 January 2024" \
      "January 30 to February 2" "on Sept. 3 the talks"; do
      i=$((i + 1))
      seed "$d" "s$i" '\001\173\002' "$s"
      seed "$d" "n$i" '\000\000\000' "$s"
      printf '%s' "$s" >"$WORK/$d/seeds/iso$i"
    done
    for f in data/corpus/*.txt; do # headers are where dates live
      i=$((i + 1))
      { printf '\001\173\002'; head -c 1500 "$f"; } >"$WORK/$d/seeds/c$i"
    done
    ;;
  fuzz_params)
    # byte 0 % 8: 0 raw cursor, 1 signed payload, 2 round trip, 3.. request
    # (byte 0 >> 3 picks the method: 0 GET, 1 HEAD, 2 OPTIONS, 3 POST, ...)
    for t in "/v1/articles" "/v1/articles?limit=2&sort=title" "/v1/articles?limit=1&cursor=!-published~20250321~000_x" \
      "/v1/articles?source=kcna&source=tass&from=2024&to=2025-03" "/v1/articles?fields=id,title,body" \
      "/v1/articles/000_594965b1435c7b64" "/v1/articles/000_594965b1435c7b64/raw" \
      "/v1/articles/000_594965b1435c7b64?fields=people,events" "/v1/sources?limit=1" "/v1/corpus" \
      "/v1/people?limit=3" "/v1/events?limit=3" "/v1/search?q=talks" "/healthz" "/metrics" "/" \
      "/v1/articles?person=sergei-shoigu" "/v1/articles/..%2F..%2Fetc%2Fpasswd" "/v1/articles?limit=%C3%A9" \
      "/v1/people?sort=name&country=Russia&limit=2" "/v1/people/sergei-shoigu" "/v1/people/sergei-shoigu/articles" \
      "/v1/people/sergei-shoigu/events?type=meeting&from=2024" "/v1/people/sergei-shoigu/network?limit=2" \
      "/v1/events?sort=-start&place=Pyongyang&status=held&limit=2" "/v1/timeline?granularity=month&type=visit" \
      "/v1/people?limit=1&sort=name&cursor=!name~shoigu~sergei-shoigu"; do
      i=$((i + 1))
      seed "$d" "r$i" '\003' "$t"
    done
    seed "$d" "o1" '\023/v1/articles'  # OPTIONS
    seed "$d" "p1" '\033/v1/articles'  # POST
    seed "$d" "c0" '\000\002MXwtcHVibGlzaGVkHzIwMjUwMzIxHzAwMF94AAAAAAAAAAA'
    seed "$d" "c1" '\001\000-published\03720250321\037000_594965b1435c7b64'
    seed "$d" "c2" '\002\002Some folded title\000000_594965b1435c7b64'
    seed "$d" "c3" '\002\000-20250321\000a-b_c'
    ;;
  fuzz_search)
    for q in "talks" "Shoigu Pyongyang" "\"joint statement\"" "minist*" "a AND b" "foo OR" "NOT x" "c++" \
      "title:summit" "NEAR(a b)" "\"unterminated" "(a" "é Ünïcödé" "-x" "^start" "a:b:c" "***" "\"\""; do
      i=$((i + 1))
      printf '%s' "$q" >"$WORK/$d/seeds/q$i"
    done
    ;;
  esac
}

dict_for() {
  case "$1" in
  fuzz_params) echo "-dict=fuzz/params.dict" ;;
  fuzz_dates) echo "-dict=fuzz/dates.dict" ;;
  fuzz_search) echo "-dict=fuzz/search.dict" ;;
  esac
}

maxlen_for() {
  case "$1" in
  fuzz_article | fuzz_people | fuzz_events) echo 65536 ;;
  *) echo 4096 ;;
  esac
}

passed=0
failed=0
for d in $DRIVERS; do
  bin="$BUILD/fuzz/$d"
  if [ ! -x "$bin" ]; then
    if [ "$d" = fuzz_search ] && [ ! -f src/api/search_query.c ]; then
      echo "== $d: not built (src/api/search_query.c does not exist yet)"
      continue
    fi
    echo "== $d: missing binary $bin" >&2
    failed=$((failed + 1))
    continue
  fi
  seed_corpora "$d"
  echo "== $d: ${SECS}s"
  log="$WORK/$d/last-run.log"
  # shellcheck disable=SC2046
  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n 19 "$bin" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 \
    -max_len="$(maxlen_for "$d")" -print_final_stats=1 -artifact_prefix="$WORK/$d/" \
    $(dict_for "$d") "$WORK/$d/corpus" "$WORK/$d/seeds" >"$log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+' || true)
    echo "   ok: ${execs:-?} runs, ${cov:-cov: ?}, corpus $(find "$WORK/$d/corpus" -type f | wc -l) inputs"
    passed=$((passed + 1))
  else
    echo "   FAILED: see $log; reproducers:" >&2
    ls "$WORK/$d"/crash-* "$WORK/$d"/leak-* "$WORK/$d"/timeout-* "$WORK/$d"/oom-* >&2 2>/dev/null || true
    grep -E 'ERROR|SUMMARY|invariant|runtime error' "$log" | head -20 >&2 || true
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
