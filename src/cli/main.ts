/**
 * The command line: global flags, one registration per command (src/cli/commands/*), and the single
 * place that turns errors into exit codes. Heavy modules are imported lazily by the commands.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerCacheDu } from './commands/cache-du.js';
import { registerCacheImport } from './commands/cache-import.js';
import { registerCacheLs } from './commands/cache-ls.js';
import { registerCachePath } from './commands/cache-path.js';
import { registerCachePrune } from './commands/cache-prune.js';
import { registerCacheRm } from './commands/cache-rm.js';
import { registerCacheVerify } from './commands/cache-verify.js';
import { registerCite } from './commands/cite.js';
import { registerClone } from './commands/clone.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerDoctor } from './commands/doctor.js';
import { registerGet } from './commands/get.js';
import { registerInfo } from './commands/info.js';
import { registerList } from './commands/list.js';
import { registerLock } from './commands/lock.js';
import { registerRegistry } from './commands/registry.js';
import { registerSearch } from './commands/search.js';
import { reportError } from './errors.js';
import { applyColor, wantColor } from './output/color.js';
import { type CliIO, createRuntime, type GlobalOptions, type Runtime } from './runtime.js';

/** A command module: adds its command(s) to the program. */
export type Register = (program: Command, runtime: Runtime) => void;

const REGISTRATIONS: Register[] = [
  registerList,
  registerSearch,
  registerInfo,
  registerGet,
  registerClone,
  registerLock,
  registerCite,
  registerCacheImport,
  registerCacheLs,
  registerCacheDu,
  registerCacheVerify,
  registerCachePrune,
  registerCacheRm,
  registerCachePath,
  registerRegistry,
  registerConfig,
  registerDoctor,
  registerCompletion,
];

/** Build the commander program (exported for tests of --help output). */
export function buildProgram(
  io: CliIO,
  argv: string[],
  extra: Register[] = [],
): { program: Command; runtime: Runtime } {
  const program = new Command('openmedlab');
  // Colour is decided before parsing, since help and errors may be printed during it.
  const flag = argv.includes('--no-color') ? false : undefined;
  const color = wantColor({ flag, env: io.env, isTTY: io.stdout.isTTY === true });
  applyColor(color);
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
  for (const register of [...REGISTRATIONS, ...extra]) register(program, runtime);
  return { program, runtime };
}

/** Run the CLI with argv (without node and script); resolves to the exit status. */
export async function main(argv: string[], io: CliIO, extra: Register[] = []): Promise<number> {
  const { program, runtime } = buildProgram(io, argv, extra);
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
