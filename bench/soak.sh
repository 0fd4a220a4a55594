#!/usr/bin/env bash
# soak.sh [seconds] [connections] — wrk against a real corpusd over loopback:
# a mix of every read endpoint the running server has, for `seconds`
# (default 300) at `connections` (default 256), printing non-2xx answers,
# socket errors and the server's RSS every 10 s.
#
#   nice -n 10 bench/soak.sh            # 5 minutes, 256 connections
#   CORPUS=/some/folder bench/soak.sh 60
#
# Passes (exit 0) when there were no non-2xx answers, every socket error
# count is zero, and RSS grew by less than 5% between the first sample
# after a 30 s warm-up and the end. CORPUSD_BIN (default build/corpusd) is
# built if missing. Traffic goes to 127.0.0.1 only, and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-300}"
CONNS="${2:-256}"
BIN="${CORPUSD_BIN:-build/corpusd}"
CORPUS="${CORPUS:-data/corpus}"
WARMUP=30
command -v wrk >/dev/null || { echo "soak: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
if [ ! -x "$BIN" ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j2 --target corpusd >/dev/null
  BIN=build/corpusd
fi

tmp=$(mktemp -d /tmp/corpusd-soak.XXXXXX)
pid=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$BIN" --port 0 --bind 127.0.0.1 --corpus "$CORPUS" --db "$tmp/store.db" --log-level warn >"$tmp/server.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(grep -m1 '"listening"' "$tmp/server.log" 2>/dev/null | grep -oE '"port":[0-9]+' | cut -d: -f2 || true)
  [ -n "$port" ] && break
  kill -0 "$pid" || { cat "$tmp/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "soak: no listening line" >&2; cat "$tmp/server.log"; exit 1; }
base="http://127.0.0.1:$port"
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")" = 200 ]; do sleep 0.2; done

# The URL mix: fixed lists and ops, plus ids the server itself reports, for
# whichever resources this build serves (checked, not assumed).
urls="$tmp/urls"
: >"$urls"
code() { curl -s -o /dev/null -w '%{http_code}' "$base$1"; }
for u in "/v1/articles" "/v1/articles?limit=5&sort=title" "/v1/articles?limit=100&fields=id,title" \
  "/v1/sources" "/v1/corpus" "/healthz" "/v1/people" "/v1/people?sort=name&limit=50" "/v1/events" \
  "/v1/events?limit=50" "/v1/timeline" "/v1/search?q=talks" "/v1/search?q=minister+meeting"; do
  if [ "$(code "$u")" = 200 ]; then echo "$u" >>"$urls"; else echo "soak: skipping $u (not served here)"; fi
done
ids() { # ids() PATH: the ids of a list's first page
  curl -s "$base$1" | python3 -c 'import json,sys; [print(x["id"]) for x in json.load(sys.stdin)["data"]]' 2>/dev/null || true
}
for id in $(ids "/v1/articles?limit=1000&fields=id"); do
  echo "/v1/articles/$id" >>"$urls"
done
if grep -qx "/v1/people" "$urls"; then
  for id in $(ids "/v1/people?limit=30"); do
    echo "/v1/people/$id" >>"$urls"
    echo "/v1/people/$id/articles" >>"$urls"
  done
fi
if grep -qx "/v1/events" "$urls"; then
  for id in $(ids "/v1/events?limit=30"); do echo "/v1/events/$id" >>"$urls"; done
fi
echo "soak: $(wc -l <"$urls") URLs, ${SECS}s, $CONNS connections, server pid $pid port $port"

lua="$tmp/mix.lua"
{
  echo "local urls = {"
  sed 's/.*/  "&",/' "$urls"
  echo "}"
  cat <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  bad = 0
  bad_codes = ""
  math.randomseed(os.time() + math.random(1000))
end
function request()
  return wrk.format("GET", urls[math.random(#urls)])
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if #bad_codes < 200 then bad_codes = bad_codes .. status .. " " end
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("bad")
    local codes = t:get("bad_codes")
    if codes ~= "" then io.write("non-2xx statuses seen: ", codes, "\n") end
  end
  io.write(string.format("soak-non2xx: %d\n", total))
  local e = summary.errors
  io.write(string.format("soak-socket-errors: connect %d, read %d, write %d, timeout %d, status %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("soak-requests: %d in %.1f s (%.0f/s), p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
} >"$lua"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
(
  t=0
  while sleep 10; do
    t=$((t + 10))
    r=$(rss)
    echo "rss t=${t}s $r kB"
    echo "$t $r" >>"$tmp/rss"
  done
) &
sampler=$!
echo "rss t=0s $(rss) kB"
wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s --latency -s "$lua" "$base/" | tee "$tmp/wrk.out"
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=""
# Both ends under load: the first sample after the warm-up, the last one
# taken while wrk ran (after it, closed connections give memory back).
end_rss=$(tail -1 "$tmp/rss" | awk '{print $2}')
[ -n "$end_rss" ] || end_rss=$(rss)
warm=$(awk -v w="$WARMUP" '$1 >= w {print $2; exit}' "$tmp/rss")
[ -n "$warm" ] || warm=$end_rss
echo "soak: rss now (idle, after the run) $(rss) kB"
growth=$(awk -v a="$warm" -v b="$end_rss" 'BEGIN {printf "%.2f", (b - a) * 100 / a}')
non2xx=$(grep -oE '^soak-non2xx: [0-9]+' "$tmp/wrk.out" | awk '{print $2}')
sockerr=$(grep -E '^soak-socket-errors' "$tmp/wrk.out" | grep -oE '[0-9]+' | awk '{s += $1} END {print s + 0}')
echo "soak: rss after ${WARMUP}s warm-up ${warm} kB, at end ${end_rss} kB, growth ${growth}%"
ok=1
[ "${non2xx:-1}" = 0 ] || { echo "soak: FAIL: $non2xx non-2xx answers"; ok=0; }
[ "$sockerr" = 0 ] || { echo "soak: FAIL: socket errors"; ok=0; }
awk -v g="$growth" 'BEGIN {exit !(g < 5)}' || { echo "soak: FAIL: RSS grew ${growth}% (limit 5%)"; ok=0; }
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=""
[ "$rc" = 0 ] || { echo "soak: FAIL: corpusd exited $rc after SIGTERM"; tail -5 "$tmp/server.log"; ok=0; }
[ "$ok" = 1 ] && echo "soak: PASS" || { echo "soak: FAIL"; exit 1; }
