#!/usr/bin/env bash
# The serve benchmark: wrk sends MCP tools/call through `serve` (API-key auth on) to nginx
# returning a canned JSON-RPC result, to the built-in sample server and to the FastMCP echo peer,
# next to nginx as a plain reverse proxy, the FastMCP proxy peer, and mcp-proxy (which only
# fronts stdio servers: a canned stdio responder, and the same FastMCP echo peer on stdio), all in
# one run. Writes JSON lines to $1/serve.jsonl.
# Usage: Benchmarks/serve/serve.sh OUT_DIR BIN PEERS_HOME SHARED
set -euo pipefail
ulimit -n 65536 2>/dev/null || true
out="$1"; bin="$2"; peers="$3"; shared="$4"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; pids=()
cleanup() {  # mcp-proxy (uvicorn) can ignore SIGTERM while it holds a session: KILL what is left after 3 s
  local kids; kids=$(for p in "${pids[@]}"; do pgrep -P "$p" || true; done)  # the stdio servers under mcp-proxy
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 30); do alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done; [ $alive = 0 ] && break; sleep 0.1; done
  for p in "${pids[@]}" $kids; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; return 1; }
canned=$(freeport); nproxy=$(freeport); gw=$(freeport); gw2=$(freeport); sample=$(freeport); fproxy=$(freeport); adm=$(freeport); adm2=$(freeport)
mproxy=$(freeport); mproxy2=$(freeport); echo=$(freeport); gw3=$(freeport); adm3=$(freeport)

sed -e "s#@DIR@#$work#g" -e "s#@CANNED@#$canned#g" -e "s#@PROXY@#$nproxy#g" "$here/nginx.conf.in" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
"$bin" sample-server --port "$sample" --json-response 2>/dev/null & pids+=($!)
waitport "$canned"; waitport "$nproxy"; waitport "$sample"

manifests() {  # $1 dir, $2 backend port
  mkdir -p "$1"
  "$bin" create backend bench --host 127.0.0.1 --port "$2" --path /mcp > "$1/backend.yaml"
  "$bin" create gateway gw > "$1/gateway.yaml"
  "$bin" create httproute r --gateway gw --backend bench > "$1/route.yaml"
  "$bin" create apikey-secret keys --key k1=bench-key > "$1/secret.yaml"
  "$bin" create trafficpolicy auth --target-route r --api-key-secret keys > "$1/policy.yaml"
}
manifests "$work/canned" "$canned"; manifests "$work/sample" "$sample"; manifests "$work/echo" "$echo"
"$bin" serve -f "$work/canned" --port-map 80="$gw" --address 127.0.0.1 --admin-address 127.0.0.1:"$adm" --no-access-log --log-level error & pids+=($!); gwpid=$!
"$bin" serve -f "$work/sample" --port-map 80="$gw2" --address 127.0.0.1 --admin-address 127.0.0.1:"$adm2" --no-access-log --log-level error & pids+=($!); gw2pid=$!
"$peers/modern/bin/python" "$shared/peers/proxy_peer.py" --port "$fproxy" --upstream "http://127.0.0.1:$sample/mcp" --json-response --stateless >/dev/null 2>&1 & pids+=($!)
# The FastMCP echo peer on HTTP (stateless, JSON) behind serve, and on stdio behind mcp-proxy;
# mcp-proxy also fronts a canned stdio responder (the counterpart of the canned nginx).
"$peers/modern/bin/python" "$shared/peers/echo_server.py" --port "$echo" --json-response --stateless >/dev/null 2>&1 & pids+=($!)
"$bin" serve -f "$work/echo" --port-map 80="$gw3" --address 127.0.0.1 --admin-address 127.0.0.1:"$adm3" --no-access-log --log-level error & pids+=($!)
"$peers/legacy/bin/mcp-proxy" --host 127.0.0.1 --port "$mproxy" --log-level WARNING -- python3 "$here/canned_stdio.py" >/dev/null 2>&1 & pids+=($!)
"$peers/legacy/bin/mcp-proxy" --host 127.0.0.1 --port "$mproxy2" --log-level WARNING -- "$peers/modern/bin/python" "$shared/peers/echo_server.py" --stdio >/dev/null 2>&1 & pids+=($!)
waitport "$gw"; waitport "$gw2"; waitport "$fproxy"; waitport "$echo"; waitport "$gw3"; waitport "$mproxy"; waitport "$mproxy2"

session() {  # $1 url: a legacy initialize + notifications/initialized; prints the Mcp-Session-Id
  local sid h=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
  sid=$(curl -s -i -X POST "$1" "${h[@]}" -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"wrk","version":"1"}}}' \
    | awk 'tolower($1) == "mcp-session-id:" {print $2}' | tr -d '\r')
  [ -n "$sid" ] || { echo "no session from $1" >&2; return 1; }
  curl -s -o /dev/null -X POST "$1" "${h[@]}" -H "Mcp-Session-Id: $sid" -H 'MCP-Protocol-Version: 2025-11-25' -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  echo "$sid"
}
msid=$(session "http://127.0.0.1:$mproxy/mcp"); msid2=$(session "http://127.0.0.1:$mproxy2/mcp")

run() {  # name conns era key url [session] [unique ids: 1]
  local line
  line=$(ERA="$3" KEY="$4" SESSION="${6:-bench-session}" UNIQUE_IDS="${7:-0}" wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"${DURATION:-5}s" --timeout 10s --latency -s "$here/tools-call.lua" "$5" | grep '^RESULT' | sed 's/^RESULT //')
  echo "{\"name\":\"$1\",\"conns\":$2,\"era\":\"$3\",\"wrk\":$line}" >> "$out/serve.jsonl"
}
: > "$out/serve.jsonl"
for round in 1 2; do
  run direct-canned 16 modern "" "http://127.0.0.1:$canned/mcp"
  run nginx-proxy 16 modern "" "http://127.0.0.1:$nproxy/mcp"
  run serve-canned 16 modern bench-key "http://127.0.0.1:$gw/mcp"
  run serve-canned-legacy 16 legacy bench-key "http://127.0.0.1:$gw/mcp"
  run mcp-proxy-canned 16 legacy "" "http://127.0.0.1:$mproxy/mcp" "$msid" 1
done
run direct-canned 1 modern "" "http://127.0.0.1:$canned/mcp"
run serve-canned 1 modern bench-key "http://127.0.0.1:$gw/mcp"
run direct-sample 16 modern "" "http://127.0.0.1:$sample/mcp"
run serve-sample 16 modern bench-key "http://127.0.0.1:$gw2/mcp"
run fastmcp-proxy 16 modern "" "http://127.0.0.1:$fproxy/mcp"
for round in 1 2; do
  run direct-echo 16 legacy "" "http://127.0.0.1:$echo/mcp"
  run serve-echo 16 legacy bench-key "http://127.0.0.1:$gw3/mcp"
  run mcp-proxy-echo 16 legacy "" "http://127.0.0.1:$mproxy2/mcp" "$msid2" 1
done
echo "{\"name\":\"streams\",\"result\":$("$peers/modern/bin/python" "$here/streams.py" "http://127.0.0.1:$gw2/mcp" 1000 "$gw2pid" bench-key)}" >> "$out/serve.jsonl"
echo "{\"name\":\"idle-rss\",\"rss_kib\":$(awk '/VmRSS/ {print $2}' /proc/$gwpid/status)}" >> "$out/serve.jsonl"
