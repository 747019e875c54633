#!/usr/bin/env bash
# apply of the tutorial's three files: `kubectl agentgw apply` vs `kubectl apply --server-side`,
# both against the same test API server (agentgw-test-apiserver, release build), alternating.
# Usage: Benchmarks/kube/apply.sh OUT_DIR AGENTGW_BIN APISERVER_BIN SHARED_DIR
set -euo pipefail
out="$1"; bin="$2"; apiserver="$3"; shared="$4"
work="$(mktemp -d)"; pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$apiserver" --port 0 --kubeconfig "$work/kubeconfig" > "$work/url" 2>"$work/apiserver.log" & pid=$!
for _ in $(seq 200); do [ -s "$work/kubeconfig" ] && [ -s "$work/url" ] && break; sleep 0.05; done
files=""
for f in mcp-server.yaml mcp-gateway.yaml mcp-api-key.yaml; do files="$files -f $shared/seed/manifests/$f"; done
# kubectl keeps its discovery cache under HOME; give it a private one (warm after the warmup runs).
export HOME="$work/home"; mkdir -p "$HOME"
export KUBECONFIG="$work/kubeconfig"
# Each side applies into its own namespace: two field managers applying the same objects would
# conflict (as they do on a real cluster).
printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: bench-a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: bench-b}\n' > "$work/ns.yaml"
kubectl apply --server-side --validate=false -f "$work/ns.yaml" >/dev/null
hyperfine -N --warmup 3 --runs 30 --export-json "$out/apply.json" \
  -n agentgw "$bin apply -n bench-a $files" \
  -n kubectl "kubectl apply --server-side --validate=false -n bench-b $files" >/dev/null
