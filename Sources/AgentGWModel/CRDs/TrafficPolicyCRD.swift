extension AgentGatewayCRDs {
    /// The TrafficPolicy CRD.
    static let trafficPolicyCRDYAML = #"""
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: trafficpolicies.agentgateway.alibabacloud.com
  labels:
    app.kubernetes.io/part-of: ack-agent-gateway
    gateway.networking.k8s.io/policy: Direct
spec:
  group: agentgateway.alibabacloud.com
  names:
    categories:
    - agentgateway
    kind: TrafficPolicy
    listKind: TrafficPolicyList
    plural: trafficpolicies
    shortNames:
    - agtp
    singular: trafficpolicy
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Targets
      type: string
      description: The names of the resources the policy attaches to.
      jsonPath: .spec.targetRefs[*].name
    - name: Auth
      type: string
      description: The Secret that holds the API keys, when API key authentication is on.
      jsonPath: .spec.traffic.authentication.apiKeyAuth.secretRef.name
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        type: object
        description: |-
          TrafficPolicy attaches traffic rules to HTTPRoutes or Gateways (Gateway API direct
          policy attachment): API key authentication, local rate limits, MCP tool
          authorization and timeouts. No application code changes are needed.
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
            description: Spec is the desired state of the TrafficPolicy.
            required:
            - targetRefs
            - traffic
            properties:
              targetRefs:
                type: array
                description: |-
                  TargetRefs are the resources in the policy's namespace that the policy
                  attaches to, 1 to 16, each distinct. A policy on a Gateway applies to every
                  route attached to it (or, with sectionName, to one listener); a policy on an
                  HTTPRoute applies to that route only and takes precedence.
                minItems: 1
                maxItems: 16
                items:
                  type: object
                  description: A TargetRef names one HTTPRoute or Gateway in the policy's namespace.
                  required:
                  - group
                  - kind
                  - name
                  properties:
                    group:
                      type: string
                      description: Group is the API group of the target, gateway.networking.k8s.io.
                      maxLength: 253
                      enum:
                      - gateway.networking.k8s.io
                    kind:
                      type: string
                      description: Kind is the kind of the target, HTTPRoute or Gateway.
                      maxLength: 63
                      enum:
                      - HTTPRoute
                      - Gateway
                    name:
                      type: string
                      description: Name is the name of the target.
                      minLength: 1
                      maxLength: 253
                    sectionName:
                      type: string
                      description: |-
                        SectionName narrows a Gateway target to one listener, by the
                        listener's name. Only allowed when kind is Gateway. When unset the
                        policy applies to the whole target.
                      minLength: 1
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                  x-kubernetes-validations:
                  - rule: self.kind == 'Gateway' || !has(self.sectionName)
                    message: sectionName is only allowed when kind is Gateway (it names a listener)
                x-kubernetes-validations:
                - rule: 'self.all(a, self.exists_one(b, a.group == b.group && a.kind == b.kind && a.name == b.name && (has(a.sectionName) ? (has(b.sectionName) && a.sectionName == b.sectionName) : !has(b.sectionName))))'
                  message: targetRefs must be unique
              traffic:
                type: object
                description: |-
                  Traffic holds the rules applied to requests through the targets. At least
                  one of its sections must be set.
                properties:
                  authentication:
                    type: object
                    description: Authentication decides who may call the MCP servers behind the targets.
                    required:
                    - apiKeyAuth
                    properties:
                      apiKeyAuth:
                        type: object
                        description: |-
                          APIKeyAuth requires every request to carry one of the API keys stored
                          in a Secret. Requests without a valid key get 401 with a JSON-RPC
                          error body.
                        required:
                        - secretRef
                        properties:
                          secretRef:
                            type: object
                            description: |-
                              SecretRef names the Secret, in the policy's namespace, that holds
                              the keys. Each data entry is one key: the entry name (key1) only
                              identifies it, and the value (key-value-foo) is the credential the
                              client presents.
                            required:
                            - name
                            properties:
                              name:
                                type: string
                                description: Name is the name of the Secret.
                                minLength: 1
                                maxLength: 253
                                pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                          header:
                            type: string
                            description: |-
                              Header is the request header the key travels in, raw (for
                              example X-Api-Key: key-value-foo). When unset, the key is read
                              from "Authorization: Bearer <key>", as MCP Inspector sends it.
                            minLength: 1
                            maxLength: 256
                            pattern: ^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$
                  rateLimit:
                    type: object
                    description: RateLimit limits the request rate through the targets.
                    required:
                    - local
                    properties:
                      local:
                        type: array
                        description: |-
                          Local are token-bucket limits that each gateway replica enforces on
                          its own, 1 to 16. A request must pass every limit that applies to it;
                          a request over a limit gets 429 with x-ratelimit-* headers.
                        minItems: 1
                        maxItems: 16
                        items:
                          type: object
                          description: A LocalRateLimit is one token bucket.
                          required:
                          - requests
                          - unit
                          properties:
                            requests:
                              type: integer
                              format: int32
                              description: Requests is how many requests are allowed per unit.
                              minimum: 1
                              maximum: 1000000000
                            unit:
                              type: string
                              description: Unit is the period that requests counts over.
                              maxLength: 16
                              enum:
                              - Seconds
                              - Minutes
                              - Hours
                            burst:
                              type: integer
                              format: int32
                              description: |-
                                Burst is how many requests above the rate a short spike may use:
                                the bucket holds requests + burst tokens. When unset, 0.
                              minimum: 0
                              maximum: 1000000000
                            per:
                              type: string
                              description: |-
                                Per chooses what gets its own bucket: Client (the client's IP
                                address), APIKey (the authenticated API key; requests without
                                one count per Client) or Route (one bucket for all traffic of
                                the target).
                              default: Client
                              maxLength: 16
                              enum:
                              - Client
                              - APIKey
                              - Route
                            tool:
                              type: string
                              description: |-
                                Tool limits only tools/call requests for the tools that match
                                this name or glob ("*" any run of characters, "?" one
                                character), by the name the client sees (with the target prefix
                                when the Backend prefixes names). When unset, the limit counts
                                every request.
                              minLength: 1
                              maxLength: 128
                              pattern: ^[A-Za-z0-9_./*?-]+$
                        x-kubernetes-validations:
                        - rule: 'self.all(a, self.exists_one(b, a.unit == b.unit && a.per == b.per && (has(a.tool) ? (has(b.tool) && a.tool == b.tool) : !has(b.tool))))'
                          message: local rate limits must differ in unit, per or tool
                  mcp:
                    type: object
                    description: MCP holds rules that look inside MCP requests.
                    required:
                    - authorization
                    properties:
                      authorization:
                        type: object
                        description: |-
                          Authorization decides which tools clients may see and call, by the
                          name the client sees (with the target prefix when the Backend
                          prefixes names). Tools that are not allowed are left out of
                          tools/list, and tools/call requests for them are rejected. Entries
                          are exact names or globs ("*" any run of characters, "?" one
                          character).
                        properties:
                          allowTools:
                            type: array
                            description: |-
                              AllowTools, when set, allows only the tools that match at least
                              one entry.
                            minItems: 1
                            maxItems: 64
                            x-kubernetes-list-type: set
                            items:
                              type: string
                              description: A tool name or glob.
                              minLength: 1
                              maxLength: 128
                              pattern: ^[A-Za-z0-9_./*?-]+$
                          denyTools:
                            type: array
                            description: |-
                              DenyTools denies the tools that match any entry, even when
                              allowTools matches them too.
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
                        - rule: has(self.allowTools) || has(self.denyTools)
                          message: authorization must set allowTools, denyTools or both
                        - rule: '!has(self.allowTools) || !has(self.denyTools) || !self.allowTools.exists(t, t in self.denyTools)'
                          message: a tool must not be listed in both allowTools and denyTools
                  timeouts:
                    type: object
                    description: |-
                      Timeouts bound requests through the targets, in Gateway API duration
                      format (for example 500ms, 30s or 1m30s).
                    properties:
                      request:
                        type: string
                        description: |-
                          Request bounds the time from the start of a request to the start of
                          its response (the response headers). A response stream that has
                          started is bounded by idle instead. 0s disables the timeout.
                        pattern: ^([0-9]{1,5}(h|m|s|ms)){1,4}$
                      idle:
                        type: string
                        description: |-
                          Idle bounds how long a response stream (SSE) may stay silent before
                          the gateway closes it. The gateway sends keep-alive comments to the
                          client meanwhile. 0s disables the timeout.
                        pattern: ^([0-9]{1,5}(h|m|s|ms)){1,4}$
                    x-kubernetes-validations:
                    - rule: has(self.request) || has(self.idle)
                      message: timeouts must set request, idle or both
                x-kubernetes-validations:
                - rule: has(self.authentication) || has(self.rateLimit) || has(self.mcp) || has(self.timeouts)
                  message: traffic must set at least one of authentication, rateLimit, mcp or timeouts
          status:
            type: object
            description: Status is the state of the TrafficPolicy as the gateway controllers last saw it.
            properties:
              ancestors:
                type: array
                description: |-
                  Ancestors has one entry per Gateway (ancestor) the policy takes effect
                  through, written by the controller of that Gateway, as Gateway API
                  PolicyAncestorStatus. The Accepted condition is True when the policy applies,
                  and False with reason TargetNotFound, Conflicted or Invalid otherwise. At
                  most 16 entries.
                maxItems: 16
                items:
                  type: object
                  description: PolicyAncestorStatus is the status of the policy with respect to one ancestor.
                  required:
                  - ancestorRef
                  - controllerName
                  - conditions
                  properties:
                    ancestorRef:
                      type: object
                      description: AncestorRef is the ancestor (usually a Gateway) this status entry is about.
                      required:
                      - name
                      properties:
                        group:
                          type: string
                          description: Group is the group of the referent.
                          default: gateway.networking.k8s.io
                          maxLength: 253
                          pattern: ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                        kind:
                          type: string
                          description: Kind is the kind of the referent.
                          default: Gateway
                          minLength: 1
                          maxLength: 63
                          pattern: ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$
                        name:
                          type: string
                          description: Name is the name of the referent.
                          minLength: 1
                          maxLength: 253
                        namespace:
                          type: string
                          description: Namespace is the namespace of the referent. When unset, the policy's namespace.
                          minLength: 1
                          maxLength: 63
                          pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
                        sectionName:
                          type: string
                          description: SectionName is the listener of the referent Gateway, when the status is about one listener.
                          minLength: 1
                          maxLength: 253
                          pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
                        port:
                          type: integer
                          format: int32
                          description: Port is the port of the referent the status is about.
                          minimum: 1
                          maximum: 65535
                    controllerName:
                      type: string
                      description: |-
                        ControllerName is the controller that wrote this entry, as in the
                        GatewayClass's controllerName, for example
                        agentgateway.alibabacloud.com/gateway-controller.
                      minLength: 1
                      maxLength: 253
                      pattern: ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$
                    conditions:
                      type: array
                      description: Conditions describe the status of the policy with respect to the ancestor.
                      minItems: 1
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
