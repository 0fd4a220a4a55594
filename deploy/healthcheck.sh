#!/bin/bash
# corpusd-healthcheck: exit 0 when corpusd's /readyz answers 200, 1 otherwise.
# The image's HEALTHCHECK runs it. It needs nothing but bash (no curl in the
# image): /dev/tcp opens the connection.
#
# It finds the port, address and base path the way corpusd does: the
# CORPUSD_* environment, overridden by flags on PID 1's command line (corpusd
# is PID 1 in the container), so `docker run IMAGE --port 9000` is checked on
# 9000. A port of 0 (pick any) cannot be known from outside: do not use it here.
set -u
port=${CORPUSD_PORT:-8080}
bind=${CORPUSD_BIND:-127.0.0.1}
base=${CORPUSD_BASE_PATH:-}

if [ -r /proc/1/cmdline ]; then
  mapfile -d '' -t argv </proc/1/cmdline
  if [ "${argv[0]##*/}" = corpusd ]; then
    for ((i = 1; i < ${#argv[@]}; i++)); do
      a=${argv[i]} next=${argv[i + 1]:-}
      case $a in
      --port=*) port=${a#*=} ;;
      --port) port=$next ;;
      --bind=*) bind=${a#*=} ;;
      --bind) bind=$next ;;
      --base-path=*) base=${a#*=} ;;
      --base-path) base=$next ;;
      esac
    done
  fi
fi

# A wildcard bind answers on loopback; a specific address only on itself.
case $bind in
'' | 0.0.0.0) host=127.0.0.1 ;;
:: | '[::]') host=::1 ;;
*) host=${bind#[} host=${host%]} ;;
esac
while [ "${base%/}" != "$base" ]; do base=${base%/}; done

exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || { echo "no answer on $host:$port" >&2; exit 1; }
printf 'GET %s/readyz HTTP/1.1\r\nHost: localhost\r\nUser-Agent: corpusd-healthcheck\r\nConnection: close\r\n\r\n' \
  "$base" >&3
IFS= read -r -t 2 status <&3 || { echo "no response from $host:$port" >&2; exit 1; }
exec 3<&-
case $status in
"HTTP/1."?" 200 "*) exit 0 ;;
*) echo "${base}/readyz: ${status%$'\r'}" >&2; exit 1 ;;
esac
