#!/usr/bin/env bash
# install.sh: build and install kubectl-agentgw, or (--test) build once and run the test suite.
#
#   ./install.sh                 release build; installs kubectl-agentgw, kubectl_complete-agentgw
#                                and shell completions under $PREFIX (default /usr/local)
#   ./install.sh --prefix DIR    same, under DIR
#   ./install.sh --test          debug build with tests, sets up the test peers, runs `swift test`,
#                                then fuzzes each parser for AGENTGW_FUZZ_SECONDS (default 20, max 60)
#
# Idempotent: missing Debian packages are installed (with sudo when not root), peers and tools
# are reused when already present, and files are overwritten in place.
set -euo pipefail
cd "$(dirname "$0")"
repo="$PWD"

prefix="${PREFIX:-/usr/local}"
mode=install
while [ $# -gt 0 ]; do
  case "$1" in
    --test) mode=test ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift ;;
    --prefix=*) prefix="${1#--prefix=}" ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root for: $* (run as root or install sudo)"; fi
}

# Installs the Debian packages among $2… that are missing; $1 says what they are for.
ensure_packages() {
  local purpose="$1" p missing=()
  shift
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then say "Debian packages present for $purpose: $*"; return; fi
  say "installing Debian packages for $purpose: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# 1. Debian packages the build needs.
ensure_packages "the build" libyaml-dev libcurl4-openssl-dev pkg-config curl openssl
command -v swift >/dev/null 2>&1 || die "swift not found on PATH (Swift 6 toolchain required)"

if [ "$mode" = test ]; then
  # 2. Test peers: the real MCP servers/clients from ../shared/peers, and kubernetes-validate.
  export AGENTGW_SHARED="${AGENTGW_SHARED:-$(cd "$repo/.." && pwd)/shared}"
  export PEERS_HOME="${PEERS_HOME:-$repo/.build-peers}"
  [ -d "$AGENTGW_SHARED" ] || die "shared fixtures not found at $AGENTGW_SHARED (set AGENTGW_SHARED)"
  if [ -x "$AGENTGW_SHARED/peers/setup.sh" ] || [ -f "$AGENTGW_SHARED/peers/setup.sh" ]; then
    say "setting up MCP peers in $PEERS_HOME"
    bash "$AGENTGW_SHARED/peers/setup.sh" "$PEERS_HOME"
  fi
  if [ ! -x "$PEERS_HOME/tools/bin/kubernetes-validate" ]; then
    say "installing kubernetes-validate into $PEERS_HOME/tools"
    python3 -m venv "$PEERS_HOME/tools"
    "$PEERS_HOME/tools/bin/pip" install -q --disable-pip-version-check "kubernetes-validate==1.37.0"
  fi
  export KUBERNETES_VALIDATE="$PEERS_HOME/tools/bin/kubernetes-validate"

  # The web console's browser tests: Debian's Chromium and its driver, Selenium from PyPI, and
  # Firefox ESR (driven over its built-in WebDriver BiDi; Debian has no geckodriver).
  # (selenium 4.52 needs a certifi newer than the package index here has; 4.51 drives the same
  # W3C WebDriver protocol.)
  ensure_packages "the browser tests" chromium chromium-driver firefox-esr fonts-dejavu-core
  if ! "$PEERS_HOME/tools/bin/python" -c 'import sys, selenium; sys.exit(selenium.__version__ != "4.51.0")' >/dev/null 2>&1; then
    say "installing selenium into $PEERS_HOME/tools"
    [ -x "$PEERS_HOME/tools/bin/python" ] || python3 -m venv "$PEERS_HOME/tools"
    "$PEERS_HOME/tools/bin/pip" install -q --disable-pip-version-check "selenium==4.51.0"
  fi
  export CHROMIUM=/usr/bin/chromium CHROMEDRIVER=/usr/bin/chromedriver FIREFOX=/usr/bin/firefox-esr SELENIUM_PYTHON="$PEERS_HOME/tools/bin/python"

  # 3. Build once, then test without rebuilding.
  say "building (debug, with tests)"
  swift build --build-tests
  export AGENTGW_BINARY="$repo/.build/debug/kubectl-agentgw"
  say "running tests"
  # One test at a time: the process-level tests wait on child processes synchronously, and on a
  # 2-core machine two of them occupy the whole Swift concurrency pool, starving the async tests
  # running beside them into their time limits. Serial, the suite is deterministic (~5 min).
  status=0
  swift test --skip-build --no-parallel || status=$?
  # 4. A bounded libFuzzer run of every parser of untrusted input (Fuzz/run.sh; the 10-minute
  # runs are local). AGENTGW_FUZZ_SECONDS per target: default 20, at most 60, 0 skips.
  fuzz_seconds="${AGENTGW_FUZZ_SECONDS:-20}"
  case "$fuzz_seconds" in ''|*[!0-9]*) die "AGENTGW_FUZZ_SECONDS must be a whole number of seconds, got '$fuzz_seconds'" ;; esac
  [ "$fuzz_seconds" -le 60 ] || fuzz_seconds=60
  if [ "$status" -eq 0 ] && [ "$fuzz_seconds" -gt 0 ]; then
    say "fuzzing each parser for ${fuzz_seconds}s (libFuzzer build in .build-fuzz)"
    Fuzz/run.sh all "$fuzz_seconds" || status=$?
  fi
  exit "$status"
fi

# 2. Release build and install.
# Release, with the Swift runtime and Foundation linked statically: faster start-up (it matters
# for a kubectl plugin) and no runtime libraries to install. Its own build folder keeps the
# debug build used by --test intact.
say "building kubectl-agentgw (release, static Swift runtime)"
swift build -c release --product kubectl-agentgw --static-swift-stdlib --scratch-path .build-static
bin="$(swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)"

run_install() {
  if mkdir -p "$1" 2>/dev/null && [ -w "$1" ]; then install "${@:2}"; else as_root mkdir -p "$1" && as_root install "${@:2}"; fi
}
run_install "$prefix/bin" -m 0755 "$bin/kubectl-agentgw" "$prefix/bin/kubectl-agentgw"
run_install "$prefix/bin" -m 0755 completions/kubectl_complete-agentgw "$prefix/bin/kubectl_complete-agentgw"
run_install "$prefix/share/bash-completion/completions" -m 0644 completions/kubectl-agentgw.bash "$prefix/share/bash-completion/completions/kubectl-agentgw"
run_install "$prefix/share/zsh/site-functions" -m 0644 completions/_kubectl-agentgw "$prefix/share/zsh/site-functions/_kubectl-agentgw"
run_install "$prefix/share/fish/vendor_completions.d" -m 0644 completions/kubectl-agentgw.fish "$prefix/share/fish/vendor_completions.d/kubectl-agentgw.fish"
say "installed $prefix/bin/kubectl-agentgw ($("$prefix/bin/kubectl-agentgw" version))"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) say "note: $prefix/bin is not on PATH; add it so kubectl finds the plugin" ;; esac
say "try: kubectl agentgw --help"
