#!/bin/bash

__kubectl-agentgw_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__kubectl-agentgw_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__kubectl-agentgw_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__kubectl-agentgw_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_kubectl-agentgw() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __kubectl-agentgw_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|validate|apply|diff|delete|get|describe|install|uninstall|probe|serve|sample-server|quickstart|completion|version|help)
        # Offer subcommand argument completions
        "_kubectl-agentgw_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create validate apply diff delete get describe install uninstall probe serve sample-server quickstart completion version help' -- "${cur}"))
        ;;
    esac
}

_kubectl-agentgw_create() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __kubectl-agentgw_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    mcp|backend|gateway|httproute|trafficpolicy|apikey-secret|sample-server)
        # Offer subcommand argument completions
        "_kubectl-agentgw_create_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'mcp backend gateway httproute trafficpolicy apikey-secret sample-server' -- "${cur}"))
        ;;
    esac
}

_kubectl-agentgw_create_mcp() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--rate-limit)
    non_repeating_options=(--service --path --protocol --target-name --gateway --class --port --route --api-key-secret --generate-keys -n --namespace -o --output --dry-run)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--service')
        return
        ;;
    '--path')
        return
        ;;
    '--protocol')
        return
        ;;
    '--target-name')
        return
        ;;
    '--gateway')
        return
        ;;
    '--class')
        return
        ;;
    '--port')
        return
        ;;
    '--route')
        return
        ;;
    '--api-key-secret')
        return
        ;;
    '--generate-keys')
        return
        ;;
    '--rate-limit')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_kubectl-agentgw_create_backend() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--target)
    non_repeating_options=(--host --port --path --protocol --service --target-name -n --namespace -o --output --dry-run)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--path')
        return
        ;;
    '--protocol')
        return
        ;;
    '--service')
        return
        ;;
    '--target-name')
        return
        ;;
    '--target')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_kubectl-agentgw_create_gateway() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--class --port --protocol --listener-name --allowed-routes -n --namespace -o --output --dry-run)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--class')
        return
        ;;
    '--port')
        return
        ;;
    '--protocol')
        return
        ;;
    '--listener-name')
        return
        ;;
    '--allowed-routes')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_kubectl-agentgw_create_httproute() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--hostname)
    non_repeating_options=(--gateway --backend --path-prefix -n --namespace -o --output --dry-run)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--gateway')
        return
        ;;
    '--backend')
        return
        ;;
    '--path-prefix')
        return
        ;;
    '--hostname')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_kubectl-agentgw_create_trafficpolicy() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--rate-limit)
    non_repeating_options=(--target-route --api-key-secret --allow-tools --deny-tools -n --namespace -o --output --dry-run)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--target-route')
        return
        ;;
    '--api-key-secret')
        return
        ;;
    '--rate-limit')
        return
        ;;
    '--allow-tools')
        return
        ;;
    '--deny-tools')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_kubectl-agentgw_create_apikey-secret() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--key)
    non_repeating_options=(--generate -n --namespace -o --output --dry-run)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--key')
        return
        ;;
    '--generate')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_kubectl-agentgw_create_sample-server() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--port --image --service-name --replicas -n --namespace -o --output --dry-run)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--port')
        return
        ;;
    '--image')
        return
        ;;
    '--service-name')
        return
        ;;
    '--replicas')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        return
        ;;
    esac
}

_kubectl-agentgw_validate() {
    repeating_flags=()
    non_repeating_flags=(-R --recursive --strict --version -h --help)
    repeating_options=(-f --filename --gateway-class)
    non_repeating_options=(-o --output -n --namespace)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--filename')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--gateway-class')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    esac
}

_kubectl-agentgw_apply() {
    repeating_flags=()
    non_repeating_flags=(-R --recursive --force-conflicts --server-side --insecure-skip-tls-verify --version -h --help)
    repeating_options=(-f --filename)
    non_repeating_options=(--validate --dry-run --field-manager -o --output --wait --kubeconfig --context --cluster --user -n --namespace -s --server --token --as --request-timeout --tls-server-name)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--filename')
        return
        ;;
    '--validate')
        __kubectl-agentgw_add_completions -W 'true'$'\n''false'$'\n''strict'$'\n''warn'$'\n''ignore'
        return
        ;;
    '--dry-run')
        __kubectl-agentgw_add_completions -W 'none'$'\n''server'$'\n''client'
        return
        ;;
    '--field-manager')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--wait')
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--cluster')
        return
        ;;
    '--user')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '--token')
        return
        ;;
    '--as')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--tls-server-name')
        return
        ;;
    esac
}

_kubectl-agentgw_diff() {
    repeating_flags=()
    non_repeating_flags=(-R --recursive --force-conflicts --server-side --show-managed-fields --insecure-skip-tls-verify --version -h --help)
    repeating_options=(-f --filename)
    non_repeating_options=(--field-manager --kubeconfig --context --cluster --user -n --namespace -s --server --token --as --request-timeout --tls-server-name)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--filename')
        return
        ;;
    '--field-manager')
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--cluster')
        return
        ;;
    '--user')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '--token')
        return
        ;;
    '--as')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--tls-server-name')
        return
        ;;
    esac
}

_kubectl-agentgw_delete() {
    repeating_flags=()
    non_repeating_flags=(-R --recursive --ignore-not-found --insecure-skip-tls-verify --version -h --help)
    repeating_options=(-f --filename)
    non_repeating_options=(--dry-run --cascade --wait --timeout --kubeconfig --context --cluster --user -n --namespace -s --server --token --as --request-timeout --tls-server-name)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--filename')
        return
        ;;
    '--dry-run')
        __kubectl-agentgw_add_completions -W 'none'$'\n''server'
        return
        ;;
    '--cascade')
        return
        ;;
    '--wait')
        return
        ;;
    '--timeout')
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--cluster')
        return
        ;;
    '--user')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '--token')
        return
        ;;
    '--as')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--tls-server-name')
        return
        ;;
    esac
}

_kubectl-agentgw_get() {
    repeating_flags=()
    non_repeating_flags=(-A --all-namespaces --insecure-skip-tls-verify --version -h --help)
    repeating_options=()
    non_repeating_options=(-o --output --kubeconfig --context --cluster --user -n --namespace -s --server --token --as --request-timeout --tls-server-name)
    __kubectl-agentgw_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'wide'$'\n''yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--cluster')
        return
        ;;
    '--user')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '--token')
        return
        ;;
    '--as')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--tls-server-name')
        return
        ;;
    esac
}

_kubectl-agentgw_describe() {
    repeating_flags=()
    non_repeating_flags=(--insecure-skip-tls-verify --version -h --help)
    repeating_options=()
    non_repeating_options=(--kubeconfig --context --cluster --user -n --namespace -s --server --token --as --request-timeout --tls-server-name)
    __kubectl-agentgw_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--cluster')
        return
        ;;
    '--user')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '--token')
        return
        ;;
    '--as')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--tls-server-name')
        return
        ;;
    esac
}

_kubectl-agentgw_install() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __kubectl-agentgw_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    all|crds)
        # Offer subcommand argument completions
        "_kubectl-agentgw_install_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'all crds' -- "${cur}"))
        ;;
    esac
}

_kubectl-agentgw_install_all() {
    repeating_flags=()
    non_repeating_flags=(--skip-crds --force-conflicts --insecure-skip-tls-verify --version -h --help)
    repeating_options=()
    non_repeating_options=(--image --replicas -o --output --dry-run --kubeconfig --context --cluster --user -n --namespace -s --server --token --as --request-timeout --tls-server-name)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--image')
        return
        ;;
    '--replicas')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    '--dry-run')
        __kubectl-agentgw_add_completions -W 'none'$'\n''server'
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--cluster')
        return
        ;;
    '--user')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '--token')
        return
        ;;
    '--as')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--tls-server-name')
        return
        ;;
    esac
}

_kubectl-agentgw_install_crds() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(-o --output)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'yaml'$'\n''json'$'\n''name'
        return
        ;;
    esac
}

_kubectl-agentgw_uninstall() {
    repeating_flags=()
    non_repeating_flags=(--crds --insecure-skip-tls-verify --version -h --help)
    repeating_options=()
    non_repeating_options=(--dry-run --kubeconfig --context --cluster --user -n --namespace -s --server --token --as --request-timeout --tls-server-name)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--dry-run')
        __kubectl-agentgw_add_completions -W 'none'$'\n''server'
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--cluster')
        return
        ;;
    '--user')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '-s'|'--server')
        return
        ;;
    '--token')
        return
        ;;
    '--as')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--tls-server-name')
        return
        ;;
    esac
}

_kubectl-agentgw_probe() {
    repeating_flags=()
    non_repeating_flags=(--resources --prompts --insecure-skip-tls-verify -v --verbose --strict --version -h --help)
    repeating_options=(--arg -H --header)
    non_repeating_options=(--era --transport --call --args --method --params --api-key --api-key-file --api-key-header --cacert --cert --key --timeout --proxy -o --output --kubeconfig --context -n --namespace --repeat --interval --concurrency)
    __kubectl-agentgw_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--era')
        __kubectl-agentgw_add_completions -W 'auto'$'\n''legacy'$'\n''modern'
        return
        ;;
    '--transport')
        __kubectl-agentgw_add_completions -W 'streamable-http'$'\n''sse'
        return
        ;;
    '--call')
        return
        ;;
    '--args')
        return
        ;;
    '--arg')
        return
        ;;
    '--method')
        return
        ;;
    '--params')
        return
        ;;
    '--api-key')
        return
        ;;
    '--api-key-file')
        return
        ;;
    '--api-key-header')
        return
        ;;
    '-H'|'--header')
        return
        ;;
    '--cacert')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--timeout')
        return
        ;;
    '--proxy')
        return
        ;;
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'text'$'\n''json'$'\n''yaml'
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '--repeat')
        return
        ;;
    '--interval')
        return
        ;;
    '--concurrency')
        return
        ;;
    esac
}

_kubectl-agentgw_serve() {
    repeating_flags=()
    non_repeating_flags=(-R --recursive --admin-expose --console-playground --no-access-log --kubernetes --leader-elect --no-leader-elect --manage-services --no-manage-services --version -h --help)
    repeating_options=(-f --filename --gateway-class --port-map --resolve)
    non_repeating_options=(--address --admin-address --log-format --log-level --drain-timeout --max-body-bytes --sse-keepalive --request-timeout --idle-timeout --watch-interval --session-key-file --client-timeout --upstream-ca-file -n --namespace --kubeconfig --context --leader-election-namespace --leader-election-id --data-plane-namespace --data-plane-selector)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-f'|'--filename')
        return
        ;;
    '--gateway-class')
        return
        ;;
    '--port-map')
        return
        ;;
    '--resolve')
        return
        ;;
    '--address')
        return
        ;;
    '--admin-address')
        return
        ;;
    '--log-format')
        return
        ;;
    '--log-level')
        return
        ;;
    '--drain-timeout')
        return
        ;;
    '--max-body-bytes')
        return
        ;;
    '--sse-keepalive')
        return
        ;;
    '--request-timeout')
        return
        ;;
    '--idle-timeout')
        return
        ;;
    '--watch-interval')
        return
        ;;
    '--session-key-file')
        return
        ;;
    '--client-timeout')
        return
        ;;
    '--upstream-ca-file')
        return
        ;;
    '-n'|'--namespace')
        return
        ;;
    '--kubeconfig')
        return
        ;;
    '--context')
        return
        ;;
    '--leader-election-namespace')
        return
        ;;
    '--leader-election-id')
        return
        ;;
    '--data-plane-namespace')
        return
        ;;
    '--data-plane-selector')
        return
        ;;
    esac
}

_kubectl-agentgw_sample-server() {
    repeating_flags=()
    non_repeating_flags=(--json-response --stateless --version -h --help)
    repeating_options=()
    non_repeating_options=(--port --host --path)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--port')
        return
        ;;
    '--host')
        return
        ;;
    '--path')
        return
        ;;
    esac
}

_kubectl-agentgw_quickstart() {
    repeating_flags=()
    non_repeating_flags=(--keep --version -h --help)
    repeating_options=()
    non_repeating_options=(--dir --port)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--dir')
        return
        ;;
    '--port')
        return
        ;;
    esac
}

_kubectl-agentgw_completion() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __kubectl-agentgw_offer_flags_options 1
}

_kubectl-agentgw_version() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(-o --output)
    __kubectl-agentgw_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-o'|'--output')
        __kubectl-agentgw_add_completions -W 'text'$'\n''json'$'\n''yaml'
        return
        ;;
    esac
}

_kubectl-agentgw_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __kubectl-agentgw_offer_flags_options -1
}

complete -o filenames -F _kubectl-agentgw kubectl-agentgw