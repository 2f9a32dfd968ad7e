/**
 * `openmedlab completion bash|zsh|fish` prints a completion script; the hidden `__complete` command
 * answers it: candidates for the word at the cursor, one `value<TAB>description` per line.
 */
import { Argument, type Command } from 'commander';
import type { Candidate, CompletionData } from '../complete/candidates.js';
import { SHELLS, type Shell } from '../complete/scripts.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

/** The value of a global path flag among the words (`--registry FILE` or `--registry=FILE`). */
function flagValue(words: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < words.length - 1; i += 1) {
    const word = words[i] as string;
    if (word === flag) return words[i + 1];
    if (word.startsWith(`${flag}=`)) return word.slice(flag.length + 1);
  }
  return undefined;
}

/** Registry-backed candidates, honouring --registry / --config typed on the line. */
function registryData(rt: Runtime, words: readonly string[]): CompletionData {
  const registryFile = flagValue(words, '--registry');
  const configFile = flagValue(words, '--config');
  const load = async () => {
    const [{ loadRegistry }, ctx] = await Promise.all([
      import('../../registry/load.js'),
      rt.context({ ...(registryFile ? { registryFile } : {}), ...(configFile ? { configFile } : {}) }),
    ]);
    return (await loadRegistry(ctx)).registry;
  };
  const unique = (list: string[]): Candidate[] => [...new Set(list)].sort().map((value) => ({ value }));
  return {
    async projects() {
      const registry = await load();
      return registry.projects.flatMap((p) => [
        { value: p.id, description: p.name },
        ...(p.aliases ?? []).map((a) => ({ value: a, description: `alias of ${p.id}` })),
      ]);
    },
    async checkpoints(id) {
      const [registry, { findProject }] = await Promise.all([load(), import('../../registry/query.js')]);
      try {
        return findProject(registry, id).checkpoints.map((c) => ({
          value: c.name,
          ...(c.description ? { description: c.description } : {}),
        }));
      } catch {
        return []; // an unknown id completes to nothing rather than an error
      }
    },
    tasks: async () => unique((await load()).projects.flatMap((p) => p.tasks)),
    licenses: async () => unique((await load()).projects.map((p) => p.license.spdx)),
  };
}

/** Register `completion` and the hidden `__complete`. */
export function registerCompletion(program: Command, rt: Runtime): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, flags, project ids, checkpoints, vocabularies)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      examples(
        'source <(openmedlab completion bash)          # try it in this shell',
        'openmedlab completion bash > ~/.local/share/bash-completion/completions/openmedlab',
        'openmedlab completion zsh > ~/.zfunc/_openmedlab   # a directory on $fpath',
        'openmedlab completion fish > ~/.config/fish/completions/openmedlab.fish',
      ),
    )
    .action(async (shell: Shell) => {
      const { completionScript } = await import('../complete/scripts.js');
      rt.io.stdout.write(completionScript(shell));
    });
  program
    .command('__complete', { hidden: true })
    .description('print completion candidates for the words up to the cursor (used by the scripts)')
    .argument('[words...]', 'the words after the program name; the last is the one being completed')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[] = []) => {
      const [{ complete, formatCompletion }, { MODALITIES, KINDS, HOSTS }, { SETTINGS }] = await Promise.all([
        import('../complete/candidates.js'),
        import('../../registry/types.js'),
        import('../../config/settings.js'),
      ]);
      const vocabulary = {
        modality: MODALITIES,
        kind: KINDS,
        host: HOSTS,
        which: ['code', 'repo'],
        key: SETTINGS.map((s) => s.key),
      };
      const result = await complete(
        program,
        words.length ? words : [''],
        registryData(rt, words),
        vocabulary,
      );
      rt.io.stdout.write(formatCompletion(result));
    });
}
