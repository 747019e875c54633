#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input with libFuzzer.
#   Fuzz/run.sh TARGET [SECONDS]     one target (yaml jsonrpc sse route session kubeconfig), default 600 s
#   Fuzz/run.sh all [SECONDS]        every target in turn
# Builds agentgw-fuzz with -sanitize=fuzzer into .build-fuzz, linked with lld (Fuzz/toolset.json:
# gold fails on the fuzzer build). New inputs go to Fuzz/work/TARGET
# (not committed); a crasher is written to Fuzz/crashers/ and the run fails: fix it, then keep
# the input in Fuzz/regressions/TARGET (replayed by the tests on every CI run).
# `./install.sh --test` runs every target for AGENTGW_FUZZ_SECONDS (default 20) after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Fuzz/run.sh TARGET|all [SECONDS]}"; seconds="${2:-600}"
targets=(yaml jsonrpc sse route session kubeconfig)
build_log="$(mktemp)"
if ! swift build -c release --product agentgw-fuzz --scratch-path .build-fuzz --toolset Fuzz/toolset.json \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >"$build_log" 2>&1; then
  cat "$build_log" >&2; echo "Fuzz/run.sh: the libFuzzer build failed" >&2; exit 1
fi
rm -f "$build_log"
bin="$(swift build -c release --scratch-path .build-fuzz --toolset Fuzz/toolset.json --show-bin-path)/agentgw-fuzz"
[ "$target" = all ] || targets=("$target")
# Swift's own backtracer would catch a trap (a failed precondition, an out-of-range index) and
# exit before libFuzzer's handler sees the signal, so no crasher would be written: turn it off.
export SWIFT_BACKTRACE=enable=no
failed=0
for t in "${targets[@]}"; do
  mkdir -p "Fuzz/work/$t" "Fuzz/crashers" "Fuzz/regressions/$t"
  echo "== $t for ${seconds}s"
  log="$(mktemp)"
  rc=0
  AGENTGW_FUZZ_TARGET="$t" "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="Fuzz/crashers/$t-" -print_final_stats=1 "Fuzz/work/$t" "Fuzz/corpus/$t" "Fuzz/regressions/$t" >"$log" 2>&1 || rc=$?
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" "$log" || true
  # A crash, a timeout, an out-of-memory or any other non-zero exit fails the run.
  if [ "$rc" -ne 0 ] || ls "Fuzz/crashers/$t-"* >/dev/null 2>&1; then
    echo "$t: libFuzzer exited $rc; last lines:" >&2; tail -n 20 "$log" >&2
    echo "$t: crasher in Fuzz/crashers/ (fix it, then keep it in Fuzz/regressions/$t)" >&2
    failed=1
  fi
  rm -f "$log"
done
exit "$failed"
