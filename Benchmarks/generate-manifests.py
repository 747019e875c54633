#!/usr/bin/env python3
"""Prints N manifests (a fifth each of Secret, Backend, Gateway, HTTPRoute, TrafficPolicy) that
reference each other, as one multi-document YAML stream, for the validate benchmark."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
sets = n // 5
docs = []
for i in range(sets):
    docs.append(f"""apiVersion: v1
kind: Secret
metadata:
  name: keys-{i}
stringData:
  key1: 'value-{i}-a'
  key2: 'value-{i}-b'""")
    docs.append(f"""apiVersion: agentgateway.alibabacloud.com/v1alpha1
kind: Backend
metadata:
  name: mcp-{i}
spec:
  type: MCP
  mcp:
    targets:
    - name: target-{i}
      static:
        host: mcp-{i}.default.svc.cluster.local
        path: /mcp
        port: 8000
        protocol: StreamableHTTP""")
    docs.append(f"""apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw-{i}
spec:
  gatewayClassName: ack-agent-gateway
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Same""")
    docs.append(f"""apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-{i}
spec:
  parentRefs:
  - group: gateway.networking.k8s.io
    kind: Gateway
    name: gw-{i}
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /mcp
    backendRefs:
    - group: agentgateway.alibabacloud.com
      kind: Backend
      name: mcp-{i}""")
    docs.append(f"""apiVersion: agentgateway.alibabacloud.com/v1alpha1
kind: TrafficPolicy
metadata:
  name: policy-{i}
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: route-{i}
  traffic:
    authentication:
      apiKeyAuth:
        secretRef:
          name: keys-{i}""")
print("\n---\n".join(docs))
