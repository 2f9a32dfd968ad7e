/**
 * The command line: global flags, one registration per command (src/cli/commands/*), and the single
 * place that turns errors into exit codes. Heavy modules are imported lazily by the commands.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerInfo } from './commands/info.js';
import { registerList } from './commands/list.js';
import { registerSearch } from './commands/search.js';
import { reportError } from './errors.js';
import { wantColor } from './output/color.js';
import { type CliIO, createRuntime, type GlobalOptions, type Runtime } from './runtime.js';

/** A command module: adds its command(s) to the program. */
export type Register = (program: Command, runtime: Runtime) => void;

type Loader = () => Promise<Register[]>;

// Command modules load on demand: a run of `list` parses only list's module, while help, errors and
// completion (which need every command) load them all.
const cacheCommands: Loader = async () => [
  (await import('./commands/cache-import.js')).registerCacheImport,
  (await import('./commands/cache-ls.js')).registerCacheLs,
  (await import('./commands/cache-du.js')).registerCacheDu,
  (await import('./commands/cache-verify.js')).registerCacheVerify,
  (await import('./commands/cache-prune.js')).registerCachePrune,
  (await import('./commands/cache-rm.js')).registerCacheRm,
  (await import('./commands/cache-path.js')).registerCachePath,
];
const COMMANDS: Record<string, Loader> = {
  // The discovery commands are small and the most frequent: bundled into the entry, no extra files.
  list: async () => [registerList],
  search: async () => [registerSearch],
  info: async () => [registerInfo],
  get: async () => [(await import('./commands/get.js')).registerGet],
  clone: async () => [(await import('./commands/clone.js')).registerClone],
  lock: async () => [(await import('./commands/lock.js')).registerLock],
  cite: async () => [(await import('./commands/cite.js')).registerCite],
  cache: cacheCommands,
  registry: async () => [(await import('./commands/registry.js')).registerRegistry],
  config: async () => [(await import('./commands/config.js')).registerConfig],
  doctor: async () => [(await import('./commands/doctor.js')).registerDoctor],
  completion: async () => [(await import('./commands/completion.js')).registerCompletion],
};
const ALIASES: Record<string, string> = { ls: 'list' };
/** Global options that take a value (their value is not the command name). */
const VALUE_OPTIONS = new Set(['--registry', '--cache-dir', '--config']);

/** The command named on the command line, if argv names a known one. */
export function commandOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (VALUE_OPTIONS.has(arg)) i += 1;
    else if (!arg.startsWith('-')) {
      const name = ALIASES[arg] ?? arg;
      return name in COMMANDS ? name : undefined;
    }
  }
  return undefined;
}

/** The registrations a run needs: the named command's, or every command's. */
async function registrationsFor(argv: string[], all: boolean): Promise<Register[]> {
  const name = all ? undefined : commandOf(argv);
  const loaders = name ? [COMMANDS[name]!] : Object.values(COMMANDS);
  return (await Promise.all(loaders.map((load) => load()))).flat();
}

/** Build the commander program (exported for tests of --help output). */
export async function buildProgram(
  io: CliIO,
  argv: string[],
  extra: Register[] = [],
  all = false,
): Promise<{ program: Command; runtime: Runtime }> {
  const program = new Command('openmedlab');
  // Colour is decided before parsing, since help and errors may be printed during it.
  const flag = argv.includes('--no-color') ? false : undefined;
  const color = wantColor({ flag, env: io.env, isTTY: io.stdout.isTTY === true });
  const runtime = createRuntime(io, () => program.opts<GlobalOptions>(), color);
  program
    .description('Discover, fetch (verified), clone and cite OpenMEDLab medical foundation models')
    .version(VERSION, '--version', 'print the version')
    .option(
      '--registry <file>',
      'use this registry file instead of the bundled one (env OPENMEDLAB_REGISTRY)',
    )
    .option('--cache-dir <dir>', 'cache directory (env OPENMEDLAB_CACHE)')
    .option('--config <file>', 'config file (env OPENMEDLAB_CONFIG; default: config.yaml in the config dir)')
    .option('--offline', 'never open a network connection')
    .option('--no-color', 'disable colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'print nothing but data and errors')
    .option('-v, --verbose', 'print debug information and stack traces')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? s : `error: ${s}`),
    });
  const registrations = await registrationsFor(argv, all || extra.length > 0);
  for (const register of [...registrations, ...extra]) register(program, runtime);
  return { program, runtime };
}

/** Run the CLI with argv (without node and script); resolves to the exit status. */
export async function main(argv: string[], io: CliIO, extra: Register[] = []): Promise<number> {
  const { program, runtime } = await buildProgram(io, argv, extra);
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return runtime.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportError(error, {
      io,
      json,
      verbose: runtime.globals().verbose === true || argv.includes('--verbose'),
    });
  }
}
