#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input with libFuzzer.
#   Fuzz/run.sh TARGET [SECONDS]     one target (yaml jsonrpc sse route session kubeconfig), default 600 s
#   Fuzz/run.sh all [SECONDS]        every target in turn
# Builds agentgw-fuzz with -sanitize=fuzzer into .build-fuzz, linked with lld (Fuzz/toolset.json:
# gold fails on the fuzzer build). New inputs go to Fuzz/work/TARGET
# (not committed); a crasher is written to Fuzz/crashers/ and the run fails: fix it, then keep
# the input in Fuzz/regressions/TARGET (replayed by the tests on every CI run).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Fuzz/run.sh TARGET|all [SECONDS]}"; seconds="${2:-600}"
targets=(yaml jsonrpc sse route session kubeconfig)
swift build -c release --product agentgw-fuzz --scratch-path .build-fuzz --toolset Fuzz/toolset.json \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >/dev/null
bin="$(swift build -c release --scratch-path .build-fuzz --toolset Fuzz/toolset.json --show-bin-path)/agentgw-fuzz"
[ "$target" = all ] || targets=("$target")
for t in "${targets[@]}"; do
  mkdir -p "Fuzz/work/$t" "Fuzz/crashers" "Fuzz/regressions/$t"
  echo "== $t for ${seconds}s"
  AGENTGW_FUZZ_TARGET="$t" "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="Fuzz/crashers/$t-" -print_final_stats=1 "Fuzz/work/$t" "Fuzz/corpus/$t" "Fuzz/regressions/$t" 2>&1 \
    | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" || true
  if ls "Fuzz/crashers/$t-"* >/dev/null 2>&1; then echo "$t: crasher found (Fuzz/crashers/)" >&2; exit 1; fi
done
