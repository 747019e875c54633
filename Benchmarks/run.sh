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
PY
cat docs/benchmarks.md
