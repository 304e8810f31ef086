#!/usr/bin/env bash
# make load: a Canvass on a fresh embedded database, then canvass-load
# against it (RESPONDENTS and CONCURRENCY from the environment).
set -euo pipefail
cd "$(dirname "$0")/.."
respondents=${RESPONDENTS:-5000}
concurrency=${CONCURRENCY:-64}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/canvass" ./cmd/canvass
go build -o "$work/canvass-load" ./cmd/canvass-load
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# No per-address limit: every simulated respondent comes from 127.0.0.1.
"$work/canvass" serve --addr "127.0.0.1:$port" --data-dir "$work/data" --submit-rate 0 --log-level warn 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
token=$("$work/canvass" token create --name load --role analyst --data-dir "$work/data" 2>/dev/null)
"$work/canvass-load" --url "http://127.0.0.1:$port" --token "$token" --respondents "$respondents" --concurrency "$concurrency"
