/**
 * What every command needs from the CLI: the Context, stdout for data, stderr for messages, the
 * global flags. Commands receive it; they never touch process.* themselves.
 */
import { loadConfig } from '../config/load.js';
import { type Context, type ContextOverrides, configLocation, createContext } from '../context.js';
import type { EventSink, OmlEvent } from '../events.js';

/** Global flags, as commander parses them. */
export interface GlobalOptions {
  registry?: string;
  cacheDir?: string;
  config?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  offline?: boolean;
}

/** Streams and environment the CLI runs against (real process, or a test harness). */
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Runtime {
  io: CliIO;
  /** The Context built from global flags, the environment and the config file (lazily, once). */
  context(extra?: ContextOverrides): Promise<Context>;
  /** The context overrides the global flags make (for commands that load the config themselves). */
  overrides(extra?: ContextOverrides): ContextOverrides;
  /** Exit status for a command that reports its own failures (doctor); main returns it. */
  exitCode: number;
  /** Global options. */
  globals(): GlobalOptions;
  /** Whether to colour output. */
  color: boolean;
  /** Write data to stdout. */
  out(text: string): void;
  /** Write a JSON value to stdout. */
  json(value: unknown): void;
  /** An informational line on stderr (suppressed by -q). */
  info(text: string): void;
  /** A warning on stderr (suppressed by -q). */
  warn(text: string): void;
  /** A debug line on stderr (only with -v). */
  debug(text: string): void;
  /** The sink commands pass to the library: prints info/warn/debug events as lines. */
  events: EventSink;
  /** Terminal width for tables (80 when unknown). */
  width: number;
}

/** The width tables must fit: the terminal's, else $COLUMNS, else 100 (pipes and CI logs). */
export function terminalWidth(io: CliIO): number {
  if (io.stdout.isTTY && io.stdout.columns && io.stdout.columns > 20) return io.stdout.columns;
  const env = Number(io.env.COLUMNS);
  return Number.isInteger(env) && env > 20 ? env : 100;
}

/** Build a Runtime over the given IO and a getter for parsed globals. */
export function createRuntime(io: CliIO, globals: () => GlobalOptions, color: boolean): Runtime {
  let ctx: Promise<Context> | undefined;
  const quiet = (): boolean => globals().quiet === true;
  const line = (text: string): void => {
    io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  const runtime: Runtime = {
    io,
    color,
    globals,
    exitCode: 0,
    width: terminalWidth(io),
    overrides(extra = {}) {
      const g = globals();
      const overrides: ContextOverrides = { cwd: io.cwd, ...extra };
      if (g.registry !== undefined) overrides.registryFile = g.registry;
      if (g.cacheDir !== undefined) overrides.cacheDir = g.cacheDir;
      if (g.config !== undefined) overrides.configFile = g.config;
      if (g.offline) overrides.offline = true;
      return overrides;
    },
    async context(extra = {}) {
      ctx ??= (async () => {
        const overrides = runtime.overrides(extra);
        const config = await loadConfig(configLocation(overrides, io.env));
        return createContext(overrides, io.env, config.values);
      })();
      return ctx;
    },
    out: (text) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    json: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => (quiet() ? undefined : line(text)),
    warn: (text) => (quiet() ? undefined : line(`warning: ${text}`)),
    debug: (text) => (globals().verbose ? line(`debug: ${text}`) : undefined),
    events: (event: OmlEvent) => {
      if (event.type === 'info') runtime.info(event.message);
      else if (event.type === 'warn') runtime.warn(event.message);
      else if (event.type === 'debug') runtime.debug(event.message);
    },
  };
  return runtime;
}
