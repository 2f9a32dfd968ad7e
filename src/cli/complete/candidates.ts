/**
 * What to offer at the cursor, worked out from the commander program itself (commands, aliases,
 * options, arguments), so completion never drifts from the CLI. Registry-backed values (ids,
 * checkpoints, tasks, licences) come from a provider the caller loads lazily.
 */
import type { Command, Option } from 'commander';

/** One completion candidate; the description is shown by zsh and fish. */
export interface Candidate {
  value: string;
  description?: string;
}

/** Candidates, or "let the shell complete file names". */
export type Completion = { kind: 'values'; values: Candidate[] } | { kind: 'files' };

/** Registry-backed values, loaded only when asked for. */
export interface CompletionData {
  projects(): Promise<Candidate[]>;
  checkpoints(projectId: string): Promise<Candidate[]>;
  tasks(): Promise<Candidate[]>;
  licenses(): Promise<Candidate[]>;
}

/** Fixed vocabularies for option values, by long option name (closed sets live in the registry types). */
export type Vocabulary = Record<string, readonly string[]>;

const FILE_PLACEHOLDER = /<(file|dir|path)\b/i;
const ID_ARGUMENT = /^(id|ids)$/;

const values = (list: Candidate[]): Completion => ({ kind: 'values', values: list });
const plain = (list: readonly string[]): Candidate[] => list.map((value) => ({ value }));

/** The visible options of a command and of every ancestor (global flags work anywhere). */
function optionsInScope(cmd: Command): Option[] {
  const out: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) out.push(...c.options.filter((o) => !o.hidden));
  return out;
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return optionsInScope(cmd).find((o) => o.long === flag || o.short === flag);
}

const takesValue = (o: Option): boolean => o.required || o.optional;

/** Where the cursor is: the command reached, its positional words so far, and a pending option. */
interface Position {
  cmd: Command;
  positionals: string[];
  pending: Option | undefined;
}

/** Walk the completed words (all but the last) through the command tree. */
export function locate(program: Command, words: readonly string[]): Position {
  let cmd = program;
  const positionals: string[] = [];
  let dashdash = false;
  // A variadic option (`--checkpoint <name...>`) keeps taking words until the next option.
  let variadic: Option | undefined;
  const last = words.length - 1;
  for (let i = 0; i < last; i += 1) {
    const word = words[i] as string;
    if (!dashdash && word === '--') dashdash = true;
    else if (!dashdash && word.startsWith('-') && word.length > 1) {
      const option = findOption(cmd, word);
      variadic = undefined;
      if (option && takesValue(option) && !word.includes('=')) {
        if (i + 1 === last) return { cmd, positionals, pending: option };
        i += 1;
        if (option.variadic) variadic = option;
      }
    } else if (variadic) {
    } else {
      const sub =
        positionals.length === 0
          ? cmd.commands.find((c) => c.name() === word || c.aliases().includes(word))
          : undefined;
      if (sub) cmd = sub;
      else positionals.push(word);
    }
  }
  const current = words[last] ?? '';
  return { cmd, positionals, pending: variadic && !current.startsWith('-') ? variadic : undefined };
}

/** Values for an option that takes one. */
async function optionValues(
  option: Option,
  position: Position,
  data: CompletionData,
  vocabulary: Vocabulary,
): Promise<Completion> {
  if (option.argChoices) return values(plain(option.argChoices));
  const name = option.attributeName();
  if (name === 'checkpoint') {
    const id = position.positionals[0];
    return values(id ? await data.checkpoints(id) : []);
  }
  if (name === 'task') return values(await data.tasks());
  if (name === 'license') return values(await data.licenses());
  const fixed = vocabulary[name];
  if (fixed) return values(plain(fixed));
  return FILE_PLACEHOLDER.test(option.flags) ? { kind: 'files' } : values([]);
}

/** Values for the next positional argument of a command. */
async function argumentValues(
  position: Position,
  data: CompletionData,
  vocabulary: Vocabulary,
): Promise<Completion> {
  const { cmd, positionals } = position;
  const args = cmd.registeredArguments;
  const last = args[args.length - 1];
  const arg = args[positionals.length] ?? (last?.variadic ? last : undefined);
  if (!arg) return values([]);
  const name = arg.name();
  if (ID_ARGUMENT.test(name)) return values(await data.projects());
  if (name === 'checkpoint' && positionals[0]) return values(await data.checkpoints(positionals[0]));
  if (arg.argChoices) return values(plain(arg.argChoices));
  const fixed = vocabulary[`${cmd.name()}:${name}`] ?? vocabulary[name];
  if (fixed) return values(plain(fixed));
  return /^(file|dir|path)$/.test(name) ? { kind: 'files' } : values([]);
}

/** Options of the command in scope, long form, each with its description. */
function optionCandidates(cmd: Command): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const o of optionsInScope(cmd)) {
    const flag = o.long ?? o.short;
    if (!flag || seen.has(flag)) continue;
    seen.add(flag);
    out.push({ value: flag, description: o.description });
  }
  out.push({ value: '--help', description: 'show help' });
  return out;
}

/** Complete `words` (the words after the program name; the last is the one being typed, maybe ''). */
export async function complete(
  program: Command,
  words: readonly string[],
  data: CompletionData,
  vocabulary: Vocabulary = {},
): Promise<Completion> {
  const current = words[words.length - 1] ?? '';
  const position = locate(program, words.length === 0 ? [''] : words);
  let result: Completion;
  if (position.pending) result = await optionValues(position.pending, position, data, vocabulary);
  else if (current.startsWith('-')) result = values(optionCandidates(position.cmd));
  else {
    const subs =
      position.positionals.length === 0
        ? position.cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden)
        : [];
    result =
      subs.length > 0
        ? values(subs.map((c) => ({ value: c.name(), description: c.description() })))
        : await argumentValues(position, data, vocabulary);
  }
  if (result.kind === 'files') return result;
  return values(result.values.filter((c) => c.value.startsWith(current)));
}

/** The lines `__complete` prints: `value<TAB>description`, or `:files`. */
export function formatCompletion(completion: Completion): string {
  if (completion.kind === 'files') return ':files\n';
  return completion.values
    .map((c) => (c.description ? `${c.value}\t${c.description.replace(/\s+/g, ' ')}` : c.value))
    .map((line) => `${line}\n`)
    .join('');
}
