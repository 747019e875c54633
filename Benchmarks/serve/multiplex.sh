#!/usr/bin/env bash
# The multiplexing benchmark: tools/call through a 3-target multiplexed Backend vs a single-target
# Backend over the same built-in sample servers (legacy sessions, wrk at 16 connections, two
# alternating rounds), and tools/list fan-out latency vs one target directly (curl, 1 connection).
# Writes JSON lines to $1/multiplex.jsonl.   Usage: multiplex.sh OUT_DIR BIN
set -euo pipefail
out="$1"; bin="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
t1=$(freeport); t2=$(freeport); t3=$(freeport); g1=$(freeport); g3=$(freeport)
for p in "$t1" "$t2" "$t3"; do "$bin" sample-server --port "$p" --json-response 2>/dev/null & pids+=($!); done
for p in "$t1" "$t2" "$t3"; do waitport "$p"; done
mkdir -p "$work/one" "$work/three"
"$bin" create backend single --host 127.0.0.1 --port "$t1" > "$work/one/b.yaml"
"$bin" create backend multi --target name=a,host=127.0.0.1,port="$t1" --target name=b,host=127.0.0.1,port="$t2" \
  --target name=c,host=127.0.0.1,port="$t3" > "$work/three/b.yaml"
for x in one three; do "$bin" create gateway gw > "$work/$x/g.yaml"; done
"$bin" create httproute r --gateway gw --backend single > "$work/one/r.yaml"
"$bin" create httproute r --gateway gw --backend multi > "$work/three/r.yaml"
"$bin" serve -f "$work/one" --port-map 80="$g1" --address 127.0.0.1 --admin-address 127.0.0.1:0 --no-access-log --log-level error & pids+=($!)
"$bin" serve -f "$work/three" --port-map 80="$g3" --address 127.0.0.1 --admin-address 127.0.0.1:0 --no-access-log --log-level error & pids+=($!)
waitport "$g1"; waitport "$g3"
post() { curl -s -i -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' "${@:3}" --data-binary "$2"; }
sid() { post "$1" '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"b","version":"1"}}}' \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="mcp-session-id" {print $2}'; }
s1=$(sid "http://127.0.0.1:$g1/mcp"); s3=$(sid "http://127.0.0.1:$g3/mcp"); sd=$(sid "http://127.0.0.1:$t1/mcp")
sed 's/"name":"add"/"name":"b_add"/' "$here/tools-call.lua" > "$work/multi.lua"
: > "$out/multiplex.jsonl"
for round in 1 2; do
  for pair in "single $s1 $here/tools-call.lua $g1" "multi3 $s3 $work/multi.lua $g3"; do
    set -- $pair
    line=$(ERA=legacy SESSION="$2" wrk -t2 -c16 -d"${DURATION:-5}s" -s "$3" "http://127.0.0.1:$4/mcp" | grep '^RESULT' | sed 's/^RESULT //')
    echo "{\"name\":\"$1\",\"wrk\":$line}" >> "$out/multiplex.jsonl"
  done
done
list='{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
p50() { for _ in $(seq 100); do curl -s -o /dev/null -w '%{time_total}\n' -X POST "$1" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' -H "Mcp-Session-Id: $2" -H 'MCP-Protocol-Version: 2025-11-25' --data-binary "$list"; done \
  | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int(NR/2)]*1000}'; }
echo "{\"name\":\"list-latency\",\"direct_ms\":$(p50 "http://127.0.0.1:$t1/mcp" "$sd"),\"multi3_ms\":$(p50 "http://127.0.0.1:$g3/mcp" "$s3")}" >> "$out/multiplex.jsonl"
