#!/usr/bin/env bash
# Regenerates the shell completion scripts in completions/ from the built binary.
# Usage: scripts/generate-completions.sh [path/to/kubectl-agentgw]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/kubectl-agentgw}"
"$bin" completion bash > completions/kubectl-agentgw.bash
"$bin" completion zsh > completions/_kubectl-agentgw
"$bin" completion fish > completions/kubectl-agentgw.fish
echo "completions regenerated from $bin"
