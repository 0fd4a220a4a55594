#!/bin/sh
# Lints openapi.yaml with Redocly's CLI (recommended rules, plus
# scripts/redocly.yaml). Needs node >= 18.17 and npm (Debian bookworm:
# `apt-get install nodejs npm`); the CLI comes from the npm registry on
# first use and is cached by npx afterwards.
#
# The version is pinned: 1.34.20 is the newest 1.x whose dependencies all
# resolve, and 1.x supports node 18 (2.x needs node >= 20.19).
set -eu
cd "$(dirname "$0")/.."
REDOCLY_VERSION=${REDOCLY_VERSION:-1.34.20}
export REDOCLY_TELEMETRY=off DO_NOT_TRACK=1 NO_UPDATE_NOTIFIER=1
exec npx --yes "@redocly/cli@${REDOCLY_VERSION}" lint --config scripts/redocly.yaml --format=stylish openapi.yaml
