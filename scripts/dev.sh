#!/usr/bin/env bash
# dev.sh — the README's quick start, for a fresh Debian bookworm machine.
#
#   scripts/dev.sh run    install what is needed, build, serve data/corpus on 127.0.0.1:8080
#   scripts/dev.sh test   install what is needed, build, run every test: plain, ASan+UBSan,
#                         the OpenAPI lint, each fuzzer for 60 s, the integration tests under TSan
#   scripts/dev.sh deps   only install the Debian packages
#
# Run as root or with sudo available. Packages come from Debian only.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build and run time: the libraries corpusd is made of, and the compilers.
BUILD_PKGS="build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev zlib1g-dev python3 python3-yaml"
# Tests: contract checks (jsonschema), sanitizers and libFuzzer (clang's
# runtime), the /docs page in a real browser (chromium), the OpenAPI lint
# (node + npm; the linter itself comes from the npm registry), valgrind.
TEST_PKGS="python3-jsonschema clang libclang-rt-14-dev chromium valgrind"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

deps() {
  local want="$1" missing=""
  for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "dev.sh: installing:$missing" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

# node and npm by command, not by package: a machine may carry another
# build of nodejs (NodeSource's bundles npm and conflicts with Debian's npm).
node_deps() {
  command -v npx >/dev/null 2>&1 || deps "nodejs npm"
}

build() { # build DIR [cmake args...]
  local dir="$1"
  shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORPUSD_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

case "${1:-}" in
deps)
  deps "$BUILD_PKGS $TEST_PKGS"
  node_deps
  ;;
run)
  deps "$BUILD_PKGS"
  build build
  shift
  exec ./build/corpusd --corpus data/corpus --bind 127.0.0.1 --port 8080 "$@"
  ;;
test)
  deps "$BUILD_PKGS $TEST_PKGS"
  node_deps
  build build
  echo "== tests (RelWithDebInfo, -Werror)"
  ctest --test-dir build --output-on-failure -j2
  build build-asan -DCMAKE_C_COMPILER=clang -DCORPUSD_SANITIZE=ON
  echo "== tests under ASan+UBSan (clang)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j2
  echo "== openapi.yaml lint (Redocly)"
  scripts/lint-openapi.sh
  echo "== fuzzers, 60 s each"
  scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
  echo "== integration tests under ThreadSanitizer"
  scripts/sanitizers.sh tsan
  ;;
*)
  sed -n '2,9p' "$0" >&2
  exit 2
  ;;
esac
