#!/usr/bin/env bash
# make bench-embed: requests per second of /embed/:slug/counts.json under
# wrk, side by side with a bare gin handler returning a constant, in the
# same server process and the same run. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-4}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/embedbench" ./bench/embedbench
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/embedbench" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do
  grep -q ready "$work/serve.log" && curl -fsS "http://127.0.0.1:$port/bare" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/embed/landscape/counts.json" >/dev/null
measure() {
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$1" >"$work/wrk.out"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.out")
  echo "$rps $p99"
}
read -r bare_rps bare_p99 < <(measure "http://127.0.0.1:$port/bare")
read -r counts_rps counts_p99 < <(measure "http://127.0.0.1:$port/embed/landscape/counts.json")
echo "wrk -t$threads -c$connections -d$duration, one server process:"
printf '  bare gin handler:     %10s req/s   p99 %s\n' "$bare_rps" "$bare_p99"
printf '  counts.json:          %10s req/s   p99 %s\n' "$counts_rps" "$counts_p99"
python3 -c "print('  counts.json / bare:   %.1f%%' % (100*$counts_rps/$bare_rps))"
