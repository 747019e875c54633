#!/usr/bin/env bash
# The soak run: about 1,000,000 MCP requests through serve (both eras, API keys, a rate limit),
# with the backend restarted twice on the way. Records RSS and open file descriptors of the
# gateway at the start and the end, and every status per request kind, to $1/soak.json.
# The backend is stateless (a restarted server keeps no sessions; a real client re-initializes on
# the 404 a stateful one would answer). While it is down, requests get 502: those are counted
# apart as the restarts' own.
# Usage: Benchmarks/soak/soak.sh OUT_DIR BIN [SECONDS]   (the run lasts at least SECONDS, and long
# enough for 1,000,000 requests at the rate measured during the warm-up, up to 600 s)
set -euo pipefail
ulimit -n 65536 2>/dev/null || true
out="$1"; bin="$2"; seconds="${3:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${sample:-}" ] && kill "$sample" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; return 1; }
sport=$(freeport); gw=$(freeport); adm=$(freeport)
"$bin" sample-server --port "$sport" --json-response --stateless 2>/dev/null & sample=$!
waitport "$sport"
m="$work/m"; mkdir -p "$m"
"$bin" create backend soak --host 127.0.0.1 --port "$sport" --path /mcp > "$m/backend.yaml"
"$bin" create gateway gw > "$m/gateway.yaml"
"$bin" create httproute r --gateway gw --backend soak > "$m/route.yaml"
"$bin" create httproute limited --gateway gw --backend soak --path-prefix /limited > "$m/limited.yaml"
"$bin" create apikey-secret keys --key k1=soak-key > "$m/secret.yaml"
"$bin" create trafficpolicy auth --target-route r --api-key-secret keys > "$m/auth.yaml"
"$bin" create trafficpolicy limit --target-route limited --api-key-secret keys --rate-limit 1000/second > "$m/limit.yaml"
"$bin" serve -f "$m" --port-map 80="$gw" --address 127.0.0.1 --admin-address 127.0.0.1:"$adm" --no-access-log --log-level error & gwpid=$!; pids+=($gwpid)
waitport "$gw"
session=$(curl -s -i -X POST "http://127.0.0.1:$gw/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -H 'Authorization: Bearer soak-key' --data-binary '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"soak","version":"1"}}}' \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id" {print $2}')
rss() { awk '/^VmRSS/ {print $2}' "/proc/$gwpid/status"; }
fds() { ls "/proc/$gwpid/fd" | wc -l; }
conns() { [ "$1" = modern ] || [ "$1" = legacy ] && echo 6 || echo 2; }
# Warm up with the same load (so the pools hold what they will hold), then take the starting figures.
warm="$work/warm"; : > "$warm"
for kind in modern legacy nokey limited; do
  (KIND=$kind KEY=soak-key SESSION="$session" wrk -t1 -c"$(conns $kind)" -d4s -s "$here/soak.lua" "http://127.0.0.1:$gw/mcp" | grep '^RESULT' | sed 's/^RESULT //' >> "$warm") &
done
wait $(jobs -p | grep -v "^$sample$" | grep -v "^$gwpid$") 2>/dev/null || true
# Long enough for 1,000,000 requests (plus 15%) at the warm-up's rate, on a slow host too
# (at least SECONDS, at most 600 s).
seconds=$(python3 - "$warm" "$seconds" <<'PY'
import json, math, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rate = sum(r["requests"] for r in rows) / 4
print(min(600, max(int(sys.argv[2]), math.ceil(1_150_000 / rate) if rate else int(sys.argv[2]))))
PY
)
sleep 1
start_rss=$(rss); start_fds=$(fds)
results="$work/results"; : > "$results"
for kind in modern legacy nokey limited; do
  (KIND=$kind KEY=soak-key SESSION="$session" wrk -t1 -c"$(conns $kind)" -d"${seconds}s" -s "$here/soak.lua" "http://127.0.0.1:$gw/mcp" | grep '^RESULT' | sed 's/^RESULT //' >> "$results") &
done
# Restart the backend twice while the load runs (a rolling restart of the MCP server).
restarts=0
for at in $(( seconds / 3 )) $(( 2 * seconds / 3 )); do
  sleep $(( at - restarts * seconds / 3 ))
  kill "$sample"; wait "$sample" 2>/dev/null || true
  sleep 0.5
  "$bin" sample-server --port "$sport" --json-response --stateless 2>/dev/null & sample=$!
  waitport "$sport"; restarts=$((restarts + 1))
done
wait $(jobs -p | grep -v "^$sample$" | grep -v "^$gwpid$") 2>/dev/null || true
sleep 1
end_rss=$(rss); end_fds=$(fds)
python3 - "$results" "$out/soak.json" "$start_rss" "$end_rss" "$start_fds" "$end_fds" "$restarts" "$seconds" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
doc = {"kinds": rows, "rss_kb": [int(sys.argv[3]), int(sys.argv[4])], "fds": [int(sys.argv[5]), int(sys.argv[6])],
       "restarts": int(sys.argv[7]), "seconds": int(sys.argv[8]), "total": sum(r["requests"] for r in rows)}
json.dump(doc, open(sys.argv[2], "w"))
print(json.dumps(doc))
PY
