extension AgentGatewayCRDs {
    /// The Backend CRD (with the file's leading comment).
    static let backendCRDYAML = #"""
# Custom resources of ack-agent-gateway (agentgateway.alibabacloud.com/v1alpha1) and the
# GatewayClass its Gateways name. Printed by `kubectl agentgw install crds`.
# Field reference: docs/resources.md.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backends.agentgateway.alibabacloud.com
  labels:
    app.kubernetes.io/part-of: ack-agent-gateway
spec:
  group: agentgateway.alibabacloud.com
  names:
    categories:
    - agentgateway
    kind: Backend
    listKind: BackendList
    plural: backends
    shortNames:
    - agbe
    singular: backend
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Type
      type: string
      description: The kind of backend.
      jsonPath: .spec.type
    - name: Targets
      type: string
      description: The names of the MCP targets.
      jsonPath: .spec.mcp.targets[*].name
    - name: Accepted
      type: string
      description: Whether the gateway accepted the Backend.
      jsonPath: .status.conditions[?(@.type=="Accepted")].status
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: |-
          Backend describes the MCP servers behind a route. An HTTPRoute sends traffic to it
          with a backendRef of group agentgateway.alibabacloud.com and kind Backend. With more
          than one target the gateway multiplexes them into one MCP server: tool and prompt
          names become "<target>_<name>" and calls are routed by that prefix.
        required:
        - spec
        properties:
          apiVersion:
            type: string
            description: |-
              APIVersion defines the versioned schema of this representation of an object.
              Servers should convert recognized schemas to the latest internal value, and
              may reject unrecognized values.
              More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources
          kind:
            type: string
            description: |-
              Kind is a string value representing the REST resource this object represents.
              Servers may infer this from the endpoint the client submits requests to.
              Cannot be updated.
              In CamelCase.
              More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds
          metadata:
            type: object
            description: Standard object metadata.
          spec:
            type: object
            description: Spec is the desired state of the Backend.
            required:
            - type
            properties:
              type:
                type: string
                description: |-
                  Type is the kind of backend. MCP is the only type: the backend is one or more
                  Model Context Protocol servers, described in the mcp field.
                maxLength: 16
                enum:
                - MCP
              mcp:
                type: object
                description: |-
                  MCP describes the MCP servers (targets) of a backend of type MCP.
                  Required when type is MCP.
                required:
                - targets
                properties:
                  targets:
                    type: array
                    description: |-
                      Targets are the upstream MCP servers, 1 to 128, each with a unique name.
                      A client sees one MCP server: the gateway merges the targets' tools,
                      prompts and resources (see prefixMode) and routes each call to the
                      target that serves it.
                    minItems: 1
                    maxItems: 128
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys:
                    - name
                    items:
                      type: object
                      description: A Target is one upstream MCP server.
                      required:
                      - name
                      - static
                      properties:
                        name:
                          type: string
                          description: |-
                            Name identifies the target within the Backend. It is the prefix of
                            the target's tool and prompt names when names are prefixed
                            ("<name>_<tool>"), so it must be a lowercase RFC 1123 label: at most
                            63 characters of a-z, 0-9 and "-", without "_" (the separator).
                          minLength: 1
                          maxLength: 63
                          pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                        static:
                          type: object
                          description: Static is the fixed network address of the MCP server.
                          required:
                          - host
                          - port
                          properties:
                            host:
                              type: string
                              description: |-
                                Host is the DNS name (for example the FQDN of a Service,
                                demo-mcp-server.default.svc.cluster.local) or the IP address
                                of the MCP server.
                              minLength: 1
                              maxLength: 253
                              pattern: ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*|[0-9a-fA-F.]*:[0-9a-fA-F:.]*)$
                            port:
                              type: integer
                              format: int32
                              description: Port is the TCP port of the MCP server, 1 to 65535.
                              minimum: 1
                              maximum: 65535
                            path:
                              type: string
                              description: |-
                                Path is the HTTP path of the MCP endpoint. It must start with "/".
                                When unset, the gateway uses "/mcp" for protocol StreamableHTTP
                                and "/sse" for protocol SSE.
                              minLength: 1
                              maxLength: 1024
                              pattern: ^/[-A-Za-z0-9/._~!$&'()*+,;=:@%]*$
                            protocol:
                              type: string
                              description: |-
                                Protocol is the MCP transport the server speaks: StreamableHTTP
                                (the current transport, one endpoint for POST and GET) or SSE
                                (the older HTTP+SSE transport: a GET stream that announces the
                                endpoint to POST to).
                              default: StreamableHTTP
                              enum:
                              - StreamableHTTP
                              - SSE
                        tools:
                          type: object
                          description: |-
                            Tools filters the tools this target exposes through the gateway, by
                            the names the server itself uses (without the target prefix).
                            Filtered tools are left out of tools/list and their tools/call
                            requests are rejected. Entries are exact names or globs: "*" matches
                            any run of characters and "?" one character (get_*).
                          properties:
                            include:
                              type: array
                              description: |-
                                Include keeps only the tools that match at least one entry.
                                When unset, every tool is included.
                              minItems: 1
                              maxItems: 64
                              x-kubernetes-list-type: set
                              items:
                                type: string
                                description: A tool name or glob.
                                minLength: 1
                                maxLength: 128
                                pattern: ^[A-Za-z0-9_./*?-]+$
                            exclude:
                              type: array
                              description: |-
                                Exclude removes the tools that match any entry. It applies after
                                include, so a tool that both lists match is excluded.
                              minItems: 1
                              maxItems: 64
                              x-kubernetes-list-type: set
                              items:
                                type: string
                                description: A tool name or glob.
                                minLength: 1
                                maxLength: 128
                                pattern: ^[A-Za-z0-9_./*?-]+$
                          x-kubernetes-validations:
                          - rule: has(self.include) || has(self.exclude)
                            message: tools must set include, exclude or both
                        headers:
                          type: array
                          description: |-
                            Headers are extra HTTP headers the gateway adds to every request it
                            sends to this target, for example an upstream credential. The
                            client's own Authorization header is never forwarded upstream.
                          maxItems: 32
                          x-kubernetes-list-type: map
                          x-kubernetes-list-map-keys:
                          - name
                          items:
                            type: object
                            description: |-
                              A Header is one upstream header. Exactly one of value and
                              valueFrom must be set.
                            required:
                            - name
                            properties:
                              name:
                                type: string
                                description: Name is the HTTP header name, for example X-Api-Key.
                                minLength: 1
                                maxLength: 256
                                pattern: ^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$
                              value:
                                type: string
                                description: Value is the literal header value.
                                maxLength: 4096
                              valueFrom:
                                type: object
                                description: ValueFrom takes the header value from a Secret.
                                required:
                                - secretKeyRef
                                properties:
                                  secretKeyRef:
                                    type: object
                                    description: |-
                                      SecretKeyRef selects one key of a Secret in the Backend's
                                      namespace. The key's value is the header value.
                                    required:
                                    - name
                                    - key
                                    properties:
                                      name:
                                        type: string
                                        description: Name is the name of the Secret.
                                        minLength: 1
                                        maxLength: 253
                                        pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                                      key:
                                        type: string
                                        description: Key is the data key within the Secret.
                                        minLength: 1
                                        maxLength: 253
                                        pattern: ^[-._a-zA-Z0-9]+$
                            x-kubernetes-validations:
                            - rule: has(self.value) != has(self.valueFrom)
                              message: exactly one of value and valueFrom must be set
                            - rule: '!(self.name.lowerAscii() in [''host'', ''content-length'', ''transfer-encoding'', ''connection'', ''mcp-session-id'', ''mcp-protocol-version''])'
                              message: header name is managed by the gateway and cannot be set
                        timeout:
                          type: string
                          description: |-
                            Timeout bounds how long the gateway waits for this target to start
                            answering a request (the response headers). It does not cut a
                            response stream that is already flowing. Gateway API duration
                            format, for example 500ms, 30s or 1m30s. When unset, the route's
                            TrafficPolicy timeouts apply.
                          pattern: ^([0-9]{1,5}(h|m|s|ms)){1,4}$
                  prefixMode:
                    type: string
                    description: |-
                      PrefixMode says when tool and prompt names get their target's prefix
                      ("<target>_<name>"). Conditional prefixes only when the Backend has more
                      than one target; Always prefixes even a single target; Never keeps the
                      upstream names (a name that two targets serve is then left out).
                    default: Conditional
                    enum:
                    - Conditional
                    - Always
                    - Never
                  failureMode:
                    type: string
                    description: |-
                      FailureMode says what happens when a target cannot be reached while a
                      session starts. FailClosed fails the whole request; FailOpen carries on
                      with the targets that answered.
                    default: FailClosed
                    enum:
                    - FailClosed
                    - FailOpen
            x-kubernetes-validations:
            - rule: 'self.type == ''MCP'' ? has(self.mcp) : !has(self.mcp)'
              message: mcp must be set if and only if type is MCP
          status:
            type: object
            description: Status is the state of the Backend as the gateway controller last saw it.
            properties:
              conditions:
                type: array
                description: |-
                  Conditions describe the Backend's state. Accepted is True when the gateway
                  accepted the spec; ResolvedRefs is False when a referenced Secret is missing.
                maxItems: 8
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys:
                - type
                items:
                  type: object
                  description: Condition contains details for one aspect of the current state of this API Resource.
                  required:
                  - lastTransitionTime
                  - message
                  - reason
                  - status
                  - type
                  properties:
                    lastTransitionTime:
                      type: string
                      format: date-time
                      description: |-
                        lastTransitionTime is the last time the condition transitioned from one status to another.
                        This should be when the underlying condition changed.  If that is not known, then using the time when the API field changed is acceptable.
                    message:
                      type: string
                      description: |-
                        message is a human readable message indicating details about the transition.
                        This may be an empty string.
                      maxLength: 32768
                    observedGeneration:
                      type: integer
                      format: int64
                      description: |-
                        observedGeneration represents the .metadata.generation that the condition was set based upon.
                        For instance, if .metadata.generation is currently 12, but the .status.conditions[x].observedGeneration is 9, the condition is out of date
                        with respect to the current state of the instance.
                      minimum: 0
                    reason:
                      type: string
                      description: |-
                        reason contains a programmatic identifier indicating the reason for the condition's last transition.
                        Producers of specific condition types may define expected values and meanings for this field,
                        and whether the values are considered a guaranteed API.
                        The value should be a CamelCase string.
                        This field may not be empty.
                      minLength: 1
                      maxLength: 1024
                      pattern: ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$
                    status:
                      type: string
                      description: status of the condition, one of True, False, Unknown.
                      enum:
                      - "True"
                      - "False"
                      - Unknown
                    type:
                      type: string
                      description: type of condition in CamelCase or in foo.example.com/CamelCase.
                      maxLength: 316
                      pattern: ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$
"""#
}
