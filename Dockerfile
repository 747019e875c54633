# syntax=docker/dockerfile:1
# The kubectl-agentgw image: the gateway controller and data plane that `kubectl agentgw install`
# deploys (`serve --kubernetes`), and the demo MCP server of `kubectl agentgw create sample-server`.
#
#   docker build -t ghcr.io/agentgw/kubectl-agentgw:v0.1.0 .
#
# The UID, the binary path and the build command are checked against the install Deployment and
# install.sh by Tests/AgentGWModelTests/InstallBundleTests.swift: change them together.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:12-slim

# --- build: a release build with the Swift runtime linked statically (as install.sh does) ------
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libyaml-dev libcurl4-openssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# Package.swift declares the test targets; SwiftPM wants their folders even for a product build.
COPY Tests ./Tests
# The build folder is a BuildKit cache mount, so rebuilds after a source change reuse the
# compiled dependencies; the binary is copied out of it in the same step.
RUN --mount=type=cache,target=/src/.build-static \
    swift build -c release --product kubectl-agentgw --static-swift-stdlib --scratch-path .build-static \
 && install -D -m 0755 \
      "$(swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)/kubectl-agentgw" \
      /out/kubectl-agentgw

# --- runtime: Debian slim with the few shared libraries the binary still links ---------------
FROM ${RUNTIME_IMAGE}
# libyaml (manifests), libstdc++ and zlib (linked by the static Swift runtime), CA roots (TLS to
# the API server and to HTTPS MCP targets). A fixed non-root user, the same UID the Deployment's
# securityContext runs as (runAsUser 65532, runAsNonRoot).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libyaml-0-2 libstdc++6 zlib1g ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin nonroot
COPY --from=build /out/kubectl-agentgw /usr/local/bin/kubectl-agentgw
USER 65532:65532
# The admin listener: /healthz, /readyz, /metrics.
EXPOSE 15000
ENTRYPOINT ["/usr/local/bin/kubectl-agentgw"]
CMD ["--help"]
