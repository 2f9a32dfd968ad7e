/**
 * The shell scripts `openmedlab completion <shell>` prints. They hold no command names: each asks
 * `openmedlab __complete -- <words...>` (the words up to the cursor), which answers from the
 * installed version's own command tree and registry, so completion stays current after upgrades.
 */

/** Shells with a completion script. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# openmedlab completion for bash.
# Load it now:      source <(openmedlab completion bash)
# Or install it:    openmedlab completion bash > ~/.local/share/bash-completion/completions/openmedlab
_openmedlab() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out line
  out=$("\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
  COMPREPLY=()
  if [[ "$out" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
    return 0
  fi
  while IFS= read -r line; do
    [[ -n "$line" ]] && COMPREPLY+=("\${line%%$'\\t'*}")
  done <<< "$out"
}
complete -F _openmedlab openmedlab
`;

const ZSH = `#compdef openmedlab
# openmedlab completion for zsh.
# Load it now:      source <(openmedlab completion zsh)
# Or install it:    openmedlab completion zsh > "\${fpath[1]}/_openmedlab"   (then restart zsh)
_openmedlab() {
  local out line
  local -a described
  out=$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  if [[ "$out" == ":files" ]]; then
    _files
    return
  fi
  for line in "\${(@f)out}"; do
    [[ -z "$line" ]] && continue
    if [[ "$line" == *$'\\t'* ]]; then
      described+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else
      described+=("\${line//:/\\\\:}")
    fi
  done
  _describe -t values openmedlab described
}
if [[ "\${funcstack[1]}" == "_openmedlab" ]]; then
  _openmedlab "$@"
else
  compdef _openmedlab openmedlab
fi
`;

const FISH = `# openmedlab completion for fish.
# Load it now:      openmedlab completion fish | source
# Or install it:    openmedlab completion fish > ~/.config/fish/completions/openmedlab.fish
function __openmedlab_complete
    set -l tokens (commandline -opc)
    set -l program $tokens[1]
    set -e tokens[1]
    set -l current (commandline -ct)
    set -l out ($program __complete -- $tokens $current 2>/dev/null)
    if test "$out" = ":files"
        __fish_complete_path $current
        return
    end
    printf '%s\\n' $out
end
complete -c openmedlab -f -a '(__openmedlab_complete)'
`;

/** The completion script for a shell. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
