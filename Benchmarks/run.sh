#!/usr/bin/env bash
# Regenerates docs/benchmarks.md. Each comparison runs both sides in the same run, alternating,
# and reports ratios (absolute times vary by ~30% between runs on this machine; ratios are stable).
#   Benchmarks/run.sh            all benchmarks
# Needs: a release build (built here), hyperfine (apt-get install hyperfine), kubectl.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "Benchmarks/run.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
command -v kubectl >/dev/null || { echo "Benchmarks/run.sh: needs kubectl" >&2; exit 2; }

swift build -c release --product kubectl-agentgw >/dev/null
bin="$(swift build -c release --show-bin-path)/kubectl-agentgw"
out=Benchmarks/out; mkdir -p "$out"

# 1. create mcp vs kubectl create deployment (both client-side generation, no cluster).
hyperfine -N --warmup 5 --runs 60 --export-json "$out/create.json" \
  -n agentgw "$bin create mcp test-mcp --service demo-mcp-server:8000 --gateway test-mcp-gateway --route route-for-mcp-backend" \
  -n kubectl "kubectl create deployment x --image=y --dry-run=client -o yaml" >/dev/null

# 2. validate throughput on 10,000 generated manifests (Backend, Gateway, HTTPRoute, TrafficPolicy, Secret).
python3 Benchmarks/generate-manifests.py 10000 > "$out/10k.yaml"
hyperfine -N --warmup 1 --runs 10 --export-json "$out/validate.json" \
  -n validate "$bin validate --gateway-class ack-agent-gateway -f $out/10k.yaml" >/dev/null || true

# 3. probe vs the official Python SDK client, against the same FastMCP server (stateful, SSE).
peers="${PEERS_HOME:-$PWD/.build-peers}"
[ -x "$peers/modern/bin/python" ] || bash "${AGENTGW_SHARED:-../shared}/peers/setup.sh" "$peers" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$peers/modern/bin/python" "${AGENTGW_SHARED:-../shared}/peers/echo_server.py" --port "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
hyperfine -N --warmup 3 --runs 30 --export-json "$out/probe.json" \
  -n agentgw "$bin probe http://127.0.0.1:$port/mcp" \
  -n python-sdk "$peers/modern/bin/python ${AGENTGW_SHARED:-../shared}/peers/probe_client.py http://127.0.0.1:$port/mcp" >/dev/null

python3 - "$out" "$(uname -m)" "$(nproc)" <<'PY' > docs/benchmarks.md
import json, sys, datetime
out, arch, cores = sys.argv[1], sys.argv[2], sys.argv[3]
create = {r["command"]: r for r in json.load(open(f"{out}/create.json"))["results"]}
a, k = create["agentgw"], create["kubectl"]
ratio = a["median"] / k["median"]
v = json.load(open(f"{out}/validate.json"))["results"][0]
rate = 10000 / v["median"]
ms = lambda s: f"{s*1000:.1f} ms"
print(f"""# Benchmarks

Regenerate with `Benchmarks/run.sh` (release build, hyperfine, both sides in the same run).
Last run: {datetime.date.today().isoformat()}, {arch}, {cores} cores. Medians over the runs shown.

## create: `kubectl agentgw create mcp …` vs `kubectl create deployment … --dry-run=client -o yaml`

Both generate manifests client-side with no cluster. Target: at most 1/4 of kubectl's wall time.

| command | median | mean ± σ | min | runs |
|---|---|---|---|---|
| kubectl-agentgw create mcp | {ms(a['median'])} | {ms(a['mean'])} ± {ms(a['stddev'])} | {ms(a['min'])} | {len(a['times'])} |
| kubectl create deployment | {ms(k['median'])} | {ms(k['mean'])} ± {ms(k['stddev'])} | {ms(k['min'])} | {len(k['times'])} |

**Ratio (agentgw / kubectl): {ratio:.3f}** ({'meets' if ratio <= 0.25 else 'misses'} the ≤ 0.25 target).

## validate: throughput on 10,000 generated manifests

One file of 10,000 documents (2,000 each of Secret, Backend, Gateway, HTTPRoute, TrafficPolicy,
cross-referencing each other), read, schema-checked with defaults and CEL rules, and
cross-referenced by `kubectl agentgw validate -f`. Wall time includes process start.
Target: at least 20,000 manifests/s.

| median | min | runs | manifests/s (median) |
|---|---|---|---|
| {ms(v['median'])} | {ms(v['min'])} | {len(v['times'])} | **{rate:,.0f}** ({'meets' if rate >= 20000 else 'misses'} the target) |
""")
probe = {r["command"]: r for r in json.load(open(f"{out}/probe.json"))["results"]}
p, q = probe["agentgw"], probe["python-sdk"]
speedup = q["median"] / p["median"]
print(f"""## probe: a full probe (connect, handshake, tools/list with all pages, exit) vs the official Python SDK client

Both against the same FastMCP 4.2.3 echo server (stateful, SSE responses) on loopback, in the same
run: `kubectl agentgw probe URL` and `../shared/peers/probe_client.py URL` (mcp 2.3.0, auto mode).
Target: at least 5x faster.

| client | median | mean ± σ | min | runs |
|---|---|---|---|---|
| kubectl-agentgw probe | {ms(p['median'])} | {ms(p['mean'])} ± {ms(p['stddev'])} | {ms(p['min'])} | {len(p['times'])} |
| probe_client.py (mcp 2.3.0) | {ms(q['median'])} | {ms(q['mean'])} ± {ms(q['stddev'])} | {ms(q['min'])} | {len(q['times'])} |

**Speed-up: {speedup:.1f}x** ({'meets' if speedup >= 5 else 'misses'} the ≥ 5x target).
""")
PY
cat docs/benchmarks.md
