function __kubectl-agentgw_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kubectl-agentgw_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __kubectl-agentgw_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __kubectl-agentgw_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __kubectl-agentgw_parse_tokens -S
    set -l unparsed_tokens (__kubectl-agentgw_tokens -pc)
    switch $unparsed_tokens[1]
    case 'kubectl-agentgw'
        __kubectl-agentgw_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'create'
            __kubectl-agentgw_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'mcp'
                __kubectl-agentgw_parse_subcommand 1 'service=' 'path=' 'protocol=' 'target-name=' 'gateway=' 'class=' 'port=' 'route=' 'api-key-secret=' 'generate-keys=' 'rate-limit=+' 'n/namespace=' 'o/output=' 'dry-run=' 'version' 'h/help'
            case 'backend'
                __kubectl-agentgw_parse_subcommand 1 'host=' 'port=' 'path=' 'protocol=' 'service=' 'target-name=' 'target=+' 'n/namespace=' 'o/output=' 'dry-run=' 'version' 'h/help'
            case 'gateway'
                __kubectl-agentgw_parse_subcommand 1 'class=' 'port=' 'protocol=' 'listener-name=' 'allowed-routes=' 'n/namespace=' 'o/output=' 'dry-run=' 'version' 'h/help'
            case 'httproute'
                __kubectl-agentgw_parse_subcommand 1 'gateway=' 'backend=' 'path-prefix=' 'hostname=+' 'n/namespace=' 'o/output=' 'dry-run=' 'version' 'h/help'
            case 'trafficpolicy'
                __kubectl-agentgw_parse_subcommand 1 'target-route=' 'api-key-secret=' 'rate-limit=+' 'allow-tools=' 'deny-tools=' 'n/namespace=' 'o/output=' 'dry-run=' 'version' 'h/help'
            case 'apikey-secret'
                __kubectl-agentgw_parse_subcommand 1 'key=+' 'generate=' 'n/namespace=' 'o/output=' 'dry-run=' 'version' 'h/help'
            end
        case 'validate'
            __kubectl-agentgw_parse_subcommand 0 'f/filename=+' 'R/recursive' 'strict' 'o/output=' 'gateway-class=+' 'n/namespace=' 'version' 'h/help'
        case 'install'
            __kubectl-agentgw_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'crds'
                __kubectl-agentgw_parse_subcommand 0 'o/output=' 'version' 'h/help'
            end
        case 'probe'
            __kubectl-agentgw_parse_subcommand 1 'era=' 'transport=' 'resources' 'prompts' 'call=' 'args=' 'arg=+' 'method=' 'params=' 'api-key=' 'api-key-file=' 'api-key-header=' 'H/header=+' 'cacert=' 'cert=' 'key=' 'insecure-skip-tls-verify' 'timeout=' 'proxy=' 'o/output=' 'v/verbose' 'strict' 'repeat=' 'interval=' 'concurrency=' 'version' 'h/help'
        case 'serve'
            __kubectl-agentgw_parse_subcommand 0 'f/filename=+' 'R/recursive' 'gateway-class=+' 'port-map=+' 'resolve=+' 'address=' 'admin-address=' 'log-format=' 'log-level=' 'no-access-log' 'drain-timeout=' 'max-body-bytes=' 'sse-keepalive=' 'request-timeout=' 'idle-timeout=' 'watch-interval=' 'session-key-file=' 'upstream-ca-file=' 'n/namespace=' 'version' 'h/help'
        case 'sample-server'
            __kubectl-agentgw_parse_subcommand 0 'port=' 'host=' 'path=' 'json-response' 'stateless' 'version' 'h/help'
        case 'quickstart'
            __kubectl-agentgw_parse_subcommand 0 'keep' 'dir=' 'port=' 'version' 'h/help'
        case 'completion'
            __kubectl-agentgw_parse_subcommand 1 'version' 'h/help'
        case 'version'
            __kubectl-agentgw_parse_subcommand 0 'o/output=' 'version' 'h/help'
        case 'help'
            __kubectl-agentgw_parse_subcommand -r 1 'version'
        end
    end
end

function __kubectl-agentgw_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __kubectl-agentgw_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __kubectl-agentgw_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __kubectl-agentgw_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__kubectl-agentgw_tokens -p)
    if test -z "$(__kubectl-agentgw_tokens -t)"
        set -l index (count (__kubectl-agentgw_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'kubectl-agentgw' -f
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'create' -d 'Generate Backend, Gateway, HTTPRoute, TrafficPolicy and API key Secret manifests.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'validate' -d 'Check manifests offline: schemas, CEL rules and cross-references.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'install' -d 'Print what a cluster needs before the gateway\'s resources apply.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'probe' -d 'Connect to an MCP endpoint, list its tools, and report (replaces MCP Inspector checks).'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'serve' -d 'Run the MCP gateway from Gateway, HTTPRoute, Backend, TrafficPolicy and Secret manifests.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'sample-server' -d 'Run a sample MCP server (tools echo, add, time, fetch) speaking both protocol eras.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'quickstart' -d 'Replay the ack-agent-gateway tutorial locally: sample server, gateway, API keys, probes.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'completion' -d 'Print a shell completion script (bash, zsh or fish).'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'version' -d 'Print the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw create" -eq 1' -fa 'mcp' -d 'Create a Backend, Gateway and HTTPRoute (and a TrafficPolicy) for one MCP service.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw create" -eq 1' -fa 'backend' -d 'Create a Backend: where an MCP server is.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw create" -eq 1' -fa 'gateway' -d 'Create a Gateway: the entry point, with one listener.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw create" -eq 1' -fa 'httproute' -d 'Create an HTTPRoute from a Gateway to a Backend.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw create" -eq 1' -fa 'trafficpolicy' -d 'Create a TrafficPolicy: API key auth, rate limits, tool rules.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw create" -eq 1' -fa 'apikey-secret' -d 'Create a Secret of API keys.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" service' -l 'service' -d 'The MCP Service as NAME[.NAMESPACE]:PORT.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" path' -l 'path' -d 'MCP path on the service (default /mcp, or /sse for SSE).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" protocol' -l 'protocol' -d 'StreamableHTTP or SSE.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" target-name' -l 'target-name' -d 'Name of the Backend\'s target.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" gateway' -l 'gateway' -d 'Gateway name (default NAME-gateway).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" class' -l 'class' -d 'gatewayClassName.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" port' -l 'port' -d 'Listener port.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" route' -l 'route' -d 'HTTPRoute name (default NAME-route).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" api-key-secret' -l 'api-key-secret' -d 'Require an API key from this Secret (adds a TrafficPolicy).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" generate-keys' -l 'generate-keys' -d 'Also print the API key Secret with N generated keys.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp"' -l 'rate-limit' -d 'A rate limit for the TrafficPolicy, as in \'create trafficpolicy\'.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" o output' -s 'o' -l 'output' -d 'Output format: yaml, json or name.' -rfka 'yaml json name'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" dry-run' -l 'dry-run' -d 'none or client: create prints objects without contacting a cluster either way.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create mcp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" host' -l 'host' -d 'Host of the single target.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" port' -l 'port' -d 'Port of the single target.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" path' -l 'path' -d 'MCP path of the single target (default /mcp, or /sse for SSE).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" protocol' -l 'protocol' -d 'StreamableHTTP or SSE.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" service' -l 'service' -d 'Service as NAME[.NAMESPACE]:PORT; fills in the cluster FQDN.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" target-name' -l 'target-name' -d 'Name of the single target.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend"' -l 'target' -d 'A target as name=..,host=..,port=..[,path=..][,protocol=..]; repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" o output' -s 'o' -l 'output' -d 'Output format: yaml, json or name.' -rfka 'yaml json name'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" dry-run' -l 'dry-run' -d 'none or client: create prints objects without contacting a cluster either way.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create backend" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" class' -l 'class' -d 'gatewayClassName.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" port' -l 'port' -d 'Listener port.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" protocol' -l 'protocol' -d 'Listener protocol: HTTP or HTTPS.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" listener-name' -l 'listener-name' -d 'Listener name.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" allowed-routes' -l 'allowed-routes' -d 'Which namespaces\' routes may attach: Same or All.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" o output' -s 'o' -l 'output' -d 'Output format: yaml, json or name.' -rfka 'yaml json name'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" dry-run' -l 'dry-run' -d 'none or client: create prints objects without contacting a cluster either way.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create gateway" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" gateway' -l 'gateway' -d 'The parent Gateway.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" backend' -l 'backend' -d 'The Backend to route to.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" path-prefix' -l 'path-prefix' -d 'Match only paths under this prefix.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute"' -l 'hostname' -d 'A hostname to match; repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" o output' -s 'o' -l 'output' -d 'Output format: yaml, json or name.' -rfka 'yaml json name'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" dry-run' -l 'dry-run' -d 'none or client: create prints objects without contacting a cluster either way.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create httproute" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" target-route' -l 'target-route' -d 'The HTTPRoute to attach to.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" api-key-secret' -l 'api-key-secret' -d 'Secret whose values are the accepted API keys.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy"' -l 'rate-limit' -d 'N/second|minute|hour[,burst=B][,per=Client|APIKey|Route][,tool=T]; repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" allow-tools' -l 'allow-tools' -d 'Comma-separated tool names or globs to allow (all others denied).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" deny-tools' -l 'deny-tools' -d 'Comma-separated tool names or globs to deny.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" o output' -s 'o' -l 'output' -d 'Output format: yaml, json or name.' -rfka 'yaml json name'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" dry-run' -l 'dry-run' -d 'none or client: create prints objects without contacting a cluster either way.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create trafficpolicy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create apikey-secret"' -l 'key' -d 'ID=VALUE; repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create apikey-secret" generate' -l 'generate' -d 'Generate N random keys (key1..keyN).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create apikey-secret" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create apikey-secret" o output' -s 'o' -l 'output' -d 'Output format: yaml, json or name.' -rfka 'yaml json name'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create apikey-secret" dry-run' -l 'dry-run' -d 'none or client: create prints objects without contacting a cluster either way.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create apikey-secret" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw create apikey-secret" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate"' -s 'f' -l 'filename' -d 'A file, folder or - for stdin; repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate" R recursive' -s 'R' -l 'recursive' -d 'Recurse into folders.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate" strict' -l 'strict' -d 'Treat warnings as errors.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate" o output' -s 'o' -l 'output' -d 'text or json.' -rfka 'text json'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate"' -l 'gateway-class' -d 'GatewayClass names served (repeatable).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw install" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw install" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_positional "kubectl-agentgw install" -eq 1' -fa 'crds' -d 'Print the Backend and TrafficPolicy CRDs and the ack-agent-gateway GatewayClass.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw install crds" o output' -s 'o' -l 'output' -d 'yaml or json.' -rfka 'yaml json name'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw install crds" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw install crds" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" era' -l 'era' -d 'auto, legacy or modern.' -rfka 'auto legacy modern'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" transport' -l 'transport' -d 'streamable-http or sse (the old HTTP+SSE transport); default: detect.' -rfka 'streamable-http sse'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" resources' -l 'resources' -d 'Also list resources.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" prompts' -l 'prompts' -d 'Also list prompts.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" call' -l 'call' -d 'Call this tool.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" args' -l 'args' -d 'Tool arguments as a JSON object.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe"' -l 'arg' -d 'A tool argument as key=value (JSON values allowed); repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" method' -l 'method' -d 'Call any other method.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" params' -l 'params' -d 'Params for --method, as JSON.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" api-key' -l 'api-key' -d 'Send Authorization: Bearer KEY (or in --api-key-header).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" api-key-file' -l 'api-key-file' -d 'Read the key from a file (first line).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" api-key-header' -l 'api-key-header' -d 'Send the raw key in this header instead of Authorization: Bearer.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe"' -s 'H' -l 'header' -d 'An extra request header \'Name: value\'; repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" cacert' -l 'cacert' -d 'CA certificate (PEM) to trust.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" insecure-skip-tls-verify' -l 'insecure-skip-tls-verify' -d 'Don\'t verify the server\'s certificate.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" timeout' -l 'timeout' -d 'Timeout per step, e.g. 15s or 500ms.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" proxy' -l 'proxy' -d 'HTTP proxy URL (default: $HTTPS_PROXY / $HTTP_PROXY).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" o output' -s 'o' -l 'output' -d 'text, json or yaml.' -rfka 'text json yaml'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" v verbose' -s 'v' -l 'verbose' -d 'Print every HTTP exchange (credentials masked) and server notifications.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" strict' -l 'strict' -d 'Check the server against the spec; exit 6 on deviations.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" repeat' -l 'repeat' -d 'Run the probe N times and print a latency summary.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" interval' -l 'interval' -d 'Pause between repeated probes, e.g. 100ms or 1s.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" concurrency' -l 'concurrency' -d 'Repeated probes in flight at once.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw probe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve"' -s 'f' -l 'filename' -d 'A manifest file or folder; repeatable.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" R recursive' -s 'R' -l 'recursive' -d 'Recurse into folders.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve"' -l 'gateway-class' -d 'GatewayClass names to serve (repeatable).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve"' -l 'port-map' -d 'Bind a listener port elsewhere, e.g. 80=8080 (repeatable).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve"' -l 'resolve' -d 'Connect HOST:PORT to ADDR:PORT instead, like curl (repeatable).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" address' -l 'address' -d 'Address the data-plane listeners bind.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" admin-address' -l 'admin-address' -d 'host:port of the admin listener (/healthz /readyz /metrics /config).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" log-format' -l 'log-format' -d 'text or json, for access and event logs.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" log-level' -l 'log-level' -d 'debug, info, warning or error.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" no-access-log' -l 'no-access-log' -d 'Don\'t write access logs.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" drain-timeout' -l 'drain-timeout' -d 'Time to finish in-flight requests on shutdown.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" max-body-bytes' -l 'max-body-bytes' -d 'Largest request body (413 beyond).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" sse-keepalive' -l 'sse-keepalive' -d 'Interval of \': keepalive\' comments on idle streams.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" request-timeout' -l 'request-timeout' -d 'Default time to an upstream response head.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" idle-timeout' -l 'idle-timeout' -d 'Default idle time before a stream is closed.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" watch-interval' -l 'watch-interval' -d 'How often to check the files for changes.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" session-key-file' -l 'session-key-file' -d '32-byte key (raw, hex or base64) sealing multiplexed sessions; share it so replicas share sessions.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" upstream-ca-file' -l 'upstream-ca-file' -d 'CA certificates (PEM) to trust for HTTPS upstreams (targets on port 443) instead of the system\'s.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" n namespace' -s 'n' -l 'namespace' -d 'The namespace: set in created objects (omitted when not given); for validate and serve, the namespace of objects that name none (default: default).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw sample-server" port' -l 'port' -d 'Port to listen on (0 picks a free port).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw sample-server" host' -l 'host' -d 'Address to bind; 0.0.0.0 to accept connections from other hosts.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw sample-server" path' -l 'path' -d 'The MCP endpoint path.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw sample-server" json-response' -l 'json-response' -d 'Legacy era: answer with application/json instead of SSE streams.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw sample-server" stateless' -l 'stateless' -d 'Legacy era: no sessions (no Mcp-Session-Id, GET or DELETE).'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw sample-server" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw sample-server" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw quickstart" keep' -l 'keep' -d 'Leave the sample server and gateway running, print the URL, and wait for Ctrl-C.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw quickstart" dir' -l 'dir' -d 'Write the manifests here instead of a temporary folder.' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw quickstart" port' -l 'port' -d 'Local port for the Gateway\'s port 80 (0 = any free port).' -rfka ''
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw quickstart" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw quickstart" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw completion" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw completion" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw version" o output' -s 'o' -l 'output' -d 'text, json or yaml.' -rfka 'text json yaml'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw version" version' -l 'version' -d 'Show the version.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw version" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'kubectl-agentgw' -n '__kubectl-agentgw_should_offer_completions_for_flags_or_options "kubectl-agentgw help" version' -l 'version' -d 'Show the version.'