#!/usr/bin/env bash
# bench/search.sh — search latency (one connection: p50/p99) and throughput
# (64 connections) of a running corpusd, over queries drawn from its corpus.
#
#   bench/search.sh CORPUS_DIR HOST:PORT [SECONDS] [QUERIES]
#
# CORPUS_DIR is the folder the server was started on (the queries are
# taken from its text, so they find something); HOST:PORT the server
# (loopback only). SECONDS per wrk run (default 10), QUERIES how many
# distinct queries to cycle through (default 300). Start the server
# yourself, e.g. on a 100,000-article corpus from tools/gen-corpus:
#
#   tools/gen-corpus --count 100000 --seed 1 --out /tmp/c100k
#   build/corpusd --corpus /tmp/c100k --db /tmp/c100k.db --port 8080 --log-level warn &
#   bench/search.sh /tmp/c100k 127.0.0.1:8080
#
# The query mix, deterministic for a corpus (seeded): a third single words
# from titles, capitalised names (some with one typo, some lower-case),
# two-word queries, quoted phrases, prefixes and exclusions; every request
# is /v1/search?q=...&limit=20 (the default page: results, snippets,
# facets). Three measurements: a first pass over every query (uncached:
# what a new query costs), then wrk at one connection (p50/p99) and at 64
# connections (throughput) cycling through the same queries, which the
# server's result cache now answers. Prints one line per run and a JSON
# summary last.
# Needs wrk (Debian package) and python3. Leaves nothing running.
set -euo pipefail

corpus=${1:?usage: bench/search.sh CORPUS_DIR HOST:PORT [SECONDS] [QUERIES]}
addr=${2:?usage: bench/search.sh CORPUS_DIR HOST:PORT [SECONDS] [QUERIES]}
secs=${3:-10}
nq=${4:-300}
case "$addr" in
  127.*|localhost:*|\[::1\]:*) ;;
  *) echo "search.sh: $addr is not a loopback address; refusing" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "search.sh: wrk not found (apt-get install wrk)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Queries -> a Lua script that cycles through them and reports percentiles.
python3 - "$corpus" "$nq" "$tmp/search.lua" <<'PY'
import os, random, re, sys, urllib.parse
corpus, nq, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(1)
files = []
for root, _, names in os.walk(corpus):
    files += [os.path.join(root, n) for n in names if n.endswith(".txt")]
files.sort()
rng.shuffle(files)
titles, names, words = [], set(), []
for path in files[:2000]:
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read(4000)
    lines = [l.strip() for l in text.splitlines() if len(l.strip()) > 20]
    if lines:
        titles.append(max(lines[:4], key=len))
    names.update(re.findall(r"\b([A-Z][a-z]{3,}) ([A-Z][a-z]{4,})\b", text))
    words += [w.lower() for w in re.findall(r"\b[a-zA-Z]{5,}\b", text)]
names = sorted(names)
common = sorted(set(words))
if not titles or not common:
    sys.exit("search.sh: no text found in " + corpus)

def typo(w):
    i = rng.randrange(1, len(w) - 1)
    return w[:i] + w[i + 1] + w[i] + w[i + 2:]

qs = []
while len(qs) < nq:
    kind = rng.randrange(8)
    if kind <= 1 or not names:
        qs.append(rng.choice([w for w in re.findall(r"[A-Za-z]{4,}", rng.choice(titles))] or common))
    elif kind == 2:
        qs.append(" ".join(rng.choice(names)))
    elif kind == 3:
        qs.append(typo(rng.choice(names)[1]))
    elif kind == 4:
        qs.append(rng.choice(names)[1].lower())
    elif kind == 5:
        qs.append(rng.choice(common) + " " + rng.choice(common))
    elif kind == 6:
        t = re.findall(r"[A-Za-z]+", rng.choice(titles))
        qs.append('"' + " ".join(t[:2]) + '"' if len(t) >= 2 else rng.choice(common))
    else:
        w = rng.choice(common)
        qs.append(w[:4] + "*" if rng.random() < 0.5 else w + " -" + rng.choice(common))
paths = ["/v1/search?" + urllib.parse.urlencode({"q": q, "limit": 20}) for q in qs]
with open(os.path.join(os.path.dirname(out), "paths.txt"), "w") as f:
    f.write("\n".join(paths) + "\n")
with open(out, "w") as f:
    f.write("local paths = {\n")
    for p in paths:
        f.write("  %s,\n" % ('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"'))
    f.write("}\n")
    f.write("""
local i = 0
init = function(args) i = math.random(#paths) - 1 end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
""")
print("search.sh: %d queries, e.g. %s" % (len(qs), " | ".join(qs[:6])), file=sys.stderr)
PY

url="http://$addr"
curl -sf "$url/readyz" >/dev/null || { echo "search.sh: $url/readyz is not 200" >&2; exit 1; }

run() { # label threads connections seconds
  local line
  line=$(wrk -t"$2" -c"$3" -d"$4"s --latency -s "$tmp/search.lua" "$url/" | grep '^WRK_RESULT ' | cut -d' ' -f2-)
  python3 -c 'import json,sys; d=json.loads(sys.argv[2]); l=d["latency_us"]
print("%-12s %8.0f req/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  non-2xx %d  errors %d" % (
  sys.argv[1], d["requests"] / (d["duration_us"] / 1e6), l["p50"] / 1e3, l["p90"] / 1e3, l["p99"] / 1e3,
  l["max"] / 1e3, d["non2xx"], d["errors"]))' "$1" "$line" >&2
  echo "\"$1\":$line"
}

# First pass: every query once on one keep-alive connection, timed: the
# uncached cost (ranking every match, exact facets). It also fills the
# server's result cache, so the wrk runs after it measure repeated queries.
first=$(python3 - "$addr" "$tmp/paths.txt" <<'PY'
import http.client, json, sys, time
host, port = sys.argv[1].rsplit(":", 1)
paths = open(sys.argv[2]).read().split()
c = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=60)
lat, bad = [], 0
for p in paths:
    t = time.perf_counter()
    c.request("GET", p)
    r = c.getresponse()
    r.read()
    lat.append((time.perf_counter() - t) * 1e6)
    bad += r.status != 200
lat.sort()
pc = lambda q: int(lat[min(len(lat) - 1, int(q / 100 * len(lat)))])
d = {"requests": len(lat), "non2xx": bad, "latency_us": {"p50": pc(50), "p90": pc(90), "p99": pc(99), "max": int(lat[-1])}}
print("%-12s %8d queries  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  non-2xx %d" % (
    "first pass", len(lat), pc(50) / 1e3, pc(90) / 1e3, pc(99) / 1e3, lat[-1] / 1e3, bad), file=sys.stderr)
print(json.dumps(d))
PY
)
one=$(run "1 conn" 1 1 "$secs")
many=$(run "64 conns" 2 64 "$secs")
echo "{\"first pass\":$first,$one,$many}"
