#!/usr/bin/env bash
# deploy/verify.sh — build the corpusd image and check it for real, the way a
# person would: run it, query it, stop it, and run the reverse-proxy topology.
#
#   deploy/verify.sh               build from the working tree, run every check
#   deploy/verify.sh --from-git    build from the last commit (git archive HEAD),
#                                  so unfinished edits in the tree do not count
#   deploy/verify.sh --no-build    check the corpusd:latest image already built
#   deploy/verify.sh --no-compose  the proxy topology with plain `docker run`
#                                  even when docker compose is installed
#
# Needs docker (see deploy/README.md for a machine with no registry), curl,
# python3 and ss (iproute2). Every container runs with --network host and talks only to
# 127.0.0.1; everything it starts is removed at the end. The proxy check
# needs ports 8080-8082 free (they are fixed in compose.yaml and nginx.conf).
# Ends with "N passed, M failed"; exit status 1 if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=${IMAGE:-corpusd:latest}
NGINX_IMAGE=corpusd-nginx:latest
MAX_IMAGE_MB=120
MAX_STOP_S=5

build=1 from_git=0 use_compose=1
for a in "$@"; do
  case $a in
  --from-git) from_git=1 ;;
  --no-build) build=0 ;;
  --no-compose) use_compose=0 ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
  esac
done
for t in docker curl python3 ss; do
  command -v "$t" >/dev/null || { echo "verify: $t is needed" >&2; exit 2; }
done
docker info >/dev/null 2>&1 || { echo "verify: docker does not answer (see deploy/README.md)" >&2; exit 2; }

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}

tag="corpusd-verify-$$"
containers=() compose_up=0 DC=()
WORK=$(mktemp -d "/tmp/$tag.XXXXXX") # every temporary file, removed at exit
cleanup() {
  set +e
  if [ "$compose_up" = 1 ]; then "${DC[@]}" down -v >/dev/null 2>&1; fi
  for c in "${containers[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# SO_REUSEADDR as servers set it: a port whose old connections are in TIME_WAIT is free
port_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen()' "$1" 2>/dev/null
}
# json FILE EXPR: evaluates EXPR on the parsed document `d`, prints the result
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

wait_status() { # wait_status URL CODE SECONDS
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "$2" ] && return 0
    sleep 0.2
  done
  return 1
}
wait_healthy() { # wait_healthy CONTAINER SECONDS (the image's HEALTHCHECK)
  local i s
  for ((i = 0; i < $2; i++)); do
    s=$(docker inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null || echo gone)
    [ "$s" = healthy ] && return 0
    [ "$s" = gone ] && return 1
    sleep 1
  done
  echo "    health: $s; last check: $(docker inspect -f '{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}' "$1" | tail -n 2)"
  return 1
}
stop_cleanly() { # stop_cleanly CONTAINER: docker stop in < MAX_STOP_S, exit code 0
  local t0 t1 ms code
  t0=$(date +%s%N)
  docker stop -t 30 "$1" >/dev/null
  t1=$(date +%s%N)
  ms=$(((t1 - t0) / 1000000))
  code=$(docker inspect -f '{{.State.ExitCode}}' "$1")
  check "$1: docker stop took ${ms} ms (< ${MAX_STOP_S} s)" test "$ms" -lt $((MAX_STOP_S * 1000))
  check "$1: exit code $code (0: SIGTERM drained, as PID 1)" test "$code" = 0
  check "$1: last log line says stopped" sh -c "docker logs '$1' 2>/dev/null | tail -n 1 | grep -q '\"msg\":\"stopped\"'"
}
run() { # run NAME DOCKER-RUN-ARGS...: a detached container, removed at exit
  local name=$1; shift
  containers+=("$name")
  docker run -d --name "$name" --network host "$@" >/dev/null
}
tmp() { mktemp -d "$WORK/d.XXXXXX"; }

# ---------------------------------------------------------------- build
if [ "$build" = 1 ]; then
  ctx=$ROOT
  if [ "$from_git" = 1 ]; then
    ctx=$(tmp)
    git archive HEAD | tar -x -C "$ctx"
    echo "== build $IMAGE from $(git rev-parse --short HEAD) (git archive)"
  else
    echo "== build $IMAGE from the working tree"
  fi
  t0=$(date +%s)
  if docker build --network host -t "$IMAGE" "$ctx" >"$WORK/build.log" 2>&1; then
    ok "docker build ($(($(date +%s) - t0)) s)"
  else
    tail -n 30 "$WORK/build.log"
    bad "docker build"
    echo "$passed passed, $failed failed"
    exit 1
  fi
fi
bytes=$(docker image inspect -f '{{.Size}}' "$IMAGE")
mb=$(((bytes + 500000) / 1000000))
check "image size ${mb} MB (< ${MAX_IMAGE_MB} MB)" test "$mb" -lt "$MAX_IMAGE_MB"
check "image runs as a non-root user ($(docker image inspect -f '{{.Config.User}}' "$IMAGE"))" \
  sh -c "[ -n \"\$(docker image inspect -f '{{.Config.User}}' '$IMAGE')\" ] && \
         [ \"\$(docker image inspect -f '{{.Config.User}}' '$IMAGE' | cut -d: -f1)\" != root ]"

# ------------------------------------------ the bundled corpus, read-only root
echo "== read-only root, bundled corpus"
p=$(free_port) c="$tag-ro" d=$(tmp)
run "$c" --read-only --tmpfs /tmp -e CORPUSD_BIND=127.0.0.1 -e CORPUSD_PORT="$p" "$IMAGE"
check "/readyz answers 200 on 127.0.0.1:$p" wait_status "http://127.0.0.1:$p/readyz" 200 60
curl -s -o "$d/list.json" "http://127.0.0.1:$p/v1/articles?limit=100&fields=id,title"
want=$(find "$ROOT/data/corpus" -type f -name '*.txt' | wc -l)
got=$(json "$d/list.json" 'd["meta"]["total"]' 2>/dev/null || echo none)
check "/v1/articles lists the bundled corpus ($got of $want files)" test "$got" = "$want"
check "process runs as uid $(docker exec "$c" id -u) (not 0)" test "$(docker exec "$c" id -u)" != 0
check "the store is on the volume /var/lib/corpusd, the root is read-only" \
  sh -c "docker exec '$c' test -s /var/lib/corpusd/corpusd.db && ! docker exec '$c' touch /usr/x 2>/dev/null"
check "HEALTHCHECK reports healthy" wait_healthy "$c" 40
stop_cleanly "$c"

# -------------------------- a mounted corpus, options given as flags instead
echo "== mounted corpus (-v tests/fixtures/articles:/corpus:ro), --base-path as a flag"
p=$(free_port) c="$tag-mount" fx="$ROOT/tests/fixtures/articles"
run "$c" --read-only --tmpfs /tmp -v "$fx:/corpus:ro" -e CORPUSD_CORPUS=/corpus \
  "$IMAGE" --bind 127.0.0.1 --port "$p" --base-path /news
check "/news/readyz answers 200" wait_status "http://127.0.0.1:$p/news/readyz" 200 60
curl -s -o "$d/mount.json" "http://127.0.0.1:$p/news/v1/articles?limit=100&fields=id"
want=$(find "$fx" -type f -name '*.txt' | wc -l)
got=$(json "$d/mount.json" 'd["meta"]["total"]' 2>/dev/null || echo none)
check "/news/v1/articles lists the mounted corpus ($got of $want files)" test "$got" = "$want"
curl -s -o "$d/ready1.json" "http://127.0.0.1:$p/news/readyz"
check "HEALTHCHECK follows flags on PID 1's command line (port, base path)" wait_healthy "$c" 40
stop_cleanly "$c"

# ------------------- a prebuilt store: `corpusd build`, then `serve --db` ro
echo "== prebuilt store: corpusd build, then serve --db from a read-only mount and from an image layer"
store=$(tmp) p=$(free_port) c="$tag-serve"
chmod 0777 "$store" # the image's user (uid 10001) writes the store here
containers+=("$tag-build")
check "corpusd build --corpus /corpus --db /store/corpus.db exits 0" \
  sh -c "docker run --name '$tag-build' --network host --read-only --tmpfs /tmp \
           -v '$fx:/corpus:ro' -v '$store:/store' '$IMAGE' build --corpus /corpus --db /store/corpus.db \
           >'$d/build.log' 2>&1 || { cat '$d/build.log'; exit 1; }"
run "$c" --read-only --tmpfs /tmp -v "$store:/store:ro" \
  "$IMAGE" serve --db /store/corpus.db --bind 127.0.0.1 --port "$p"
check "serve: /readyz answers 200" wait_status "http://127.0.0.1:$p/readyz" 200 30
curl -s -o "$d/ready2.json" "http://127.0.0.1:$p/readyz"
f1=$(json "$d/ready1.json" 'd["fingerprint"]' 2>/dev/null || echo none)
f2=$(json "$d/ready2.json" 'd["fingerprint"]' 2>/dev/null || echo none)
check "served store has the same corpus fingerprint as the live build ($f2)" \
  sh -c "[ '$f1' != none ] && [ '$f1' = '$f2' ]"
stop_cleanly "$c"
# the same store baked into an image layer (deploy/README.md, "Scaling reads")
bake=$(tmp) p=$(free_port) c="$tag-baked"
cp "$store/corpus.db" "$bake/"
printf 'FROM %s\nCOPY corpus.db /usr/share/corpusd/corpus.db\nCMD ["serve", "--db", "/usr/share/corpusd/corpus.db"]\n' \
  "$IMAGE" >"$bake/Dockerfile"
check "an image FROM corpusd with the store baked in builds" \
  sh -c "docker build --network host -t '$tag-baked' '$bake' >'$d/bake.log' 2>&1 || { tail -n 20 '$d/bake.log'; exit 1; }"
run "$c" --read-only --tmpfs /tmp -e CORPUSD_BIND=127.0.0.1 -e CORPUSD_PORT="$p" "$tag-baked"
check "baked store: /readyz answers 200" wait_status "http://127.0.0.1:$p/readyz" 200 30
curl -s -o "$d/ready3.json" "http://127.0.0.1:$p/readyz"
f3=$(json "$d/ready3.json" 'd["fingerprint"]' 2>/dev/null || echo none)
check "baked store has the same fingerprint ($f3)" test "$f3" = "$f1"
stop_cleanly "$c"
docker rm -f -v "$c" >/dev/null && docker rmi "$tag-baked" >/dev/null

# ------------------------------------- nginx in front of two replicas
echo "== nginx -> 2 replicas under /corpus/ (host networking; ports 8080, 8081, 8082)"
busy=""
for port in 8080 8081 8082; do port_free "$port" || busy="$busy $port"; done
if [ -n "$busy" ]; then
  bad "proxy topology: port(s)$busy already in use on 127.0.0.1; free them and run again"
  echo "$passed passed, $failed failed"
  exit 1
fi
if [ "$use_compose" = 1 ] && docker compose version >/dev/null 2>&1; then
  DC=(docker compose -f deploy/compose.yaml -p "$tag")
elif [ "$use_compose" = 1 ] && command -v docker-compose >/dev/null; then
  DC=(docker-compose -f deploy/compose.yaml -p "$tag")
fi
check "nginx image builds (deploy/nginx.Dockerfile)" \
  sh -c "docker build --network host -t '$NGINX_IMAGE' -f deploy/nginx.Dockerfile deploy >'$d/nginx-build.log' 2>&1 || { tail -n 20 '$d/nginx-build.log'; exit 1; }"
if [ "${#DC[@]}" -gt 0 ]; then
  echo "   with: ${DC[*]::1} ($("${DC[@]}" version --short 2>/dev/null || echo '?'))"
  compose_up=1
  check "compose up (waits for both replicas to be healthy)" \
    sh -c "$(printf '%q ' "${DC[@]}") up -d --no-build >'$d/compose.log' 2>&1 || { cat '$d/compose.log'; exit 1; }"
  cname() { docker inspect -f '{{.Name}}' "$("${DC[@]}" ps -q "$1")" | sed 's#^/##'; }
  r1=$(cname corpusd-1) r2=$(cname corpusd-2) nx=$(cname nginx)
else
  echo "   with: plain docker run (no docker compose here, or --no-compose)"
  # The same services as compose.yaml, by hand.
  for i in 1 2; do
    run "$tag-corpusd-$i" --read-only --tmpfs /tmp --stop-timeout 15 \
      -e CORPUSD_BIND=127.0.0.1 -e CORPUSD_PORT=808$i -e CORPUSD_TRUST_PROXY=true \
      -e CORPUSD_PER_IP_LIMIT=0 --health-interval 5s "$IMAGE"
  done
  check "replica 1 healthy" wait_healthy "$tag-corpusd-1" 60
  check "replica 2 healthy" wait_healthy "$tag-corpusd-2" 60
  run "$tag-nginx" --read-only --tmpfs /tmp -v "$ROOT/deploy/nginx.conf:/etc/nginx/nginx.conf:ro" "$NGINX_IMAGE"
  r1=$tag-corpusd-1 r2=$tag-corpusd-2 nx=$tag-nginx
fi
base=http://127.0.0.1:8080/corpus
check "GET /corpus/readyz through nginx answers 200" wait_status "$base/readyz" 200 30
curl -s -D "$d/h1" -o "$d/p1.json" "$base/v1/articles?limit=2&fields=id,title"
next=$(json "$d/p1.json" 'd["links"]["next"]' 2>/dev/null || echo none)
self=$(json "$d/p1.json" 'd["links"]["self"]' 2>/dev/null || echo none)
echo "    links.self = $self"
echo "    links.next = ${next:0:80}..."
check "links.self carries scheme, host and prefix" test "$self" = "$base/v1/articles?limit=2&fields=id,title"
check "links.next carries scheme, host and prefix" test "${next#"$base"/v1/articles?}" != "$next"
check "Link header carries the prefix" grep -qi "^link: <$base/v1/articles?" "$d/h1"
check "links.next, followed through nginx, answers 200 with the next page" \
  sh -c "[ \"\$(curl -s -o '$d/p2.json' -w '%{http_code}' '$next')\" = 200 ] && \
         python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"data\"]' '$d/p2.json'"
ups=""
for _ in 1 2 3 4 5 6; do
  ups="$ups $(curl -s -o /dev/null -D - "$base/healthz" | tr -d '\r' | sed -n 's/^[Xx]-[Uu]pstream: //p')"
done
check "requests are spread over both replicas:$ups" \
  sh -c "echo '$ups' | grep -q 127.0.0.1:8081 && echo '$ups' | grep -q 127.0.0.1:8082"
check "nginx keeps idle keepalive connections to the replicas" \
  sh -c "ss -Htn state established '( dport = :8081 or dport = :8082 )' 2>/dev/null | grep -q ."
check "nginx container is running" \
  sh -c "[ \"\$(docker inspect -f '{{.State.Running}}' '$nx')\" = true ]"
[ "${#DC[@]}" -gt 0 ] && check "nginx reports healthy" wait_healthy "$nx" 30
stop_cleanly "$r1"
codes=""
for _ in 1 2 3 4; do codes="$codes $(curl -s -o /dev/null -w '%{http_code}' "$base/v1/sources")"; done
check "with one replica stopped, nginx still answers 200:$codes" test "$codes" = " 200 200 200 200"
stop_cleanly "$r2"
if [ "${#DC[@]}" -gt 0 ]; then
  check "compose down -v" sh -c "$(printf '%q ' "${DC[@]}") down -v >/dev/null 2>&1"
  compose_up=0
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
