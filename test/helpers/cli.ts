/** Run the CLI in-process (fast, for most tests) or as a real process (exit codes, signals, start-up). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type Register } from '../../src/cli/main.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'openmedlab.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  isTTY?: boolean;
  columns?: number;
  /** Extra command registrations (tests that need a misbehaving command). */
  extra?: Register[];
}

/** A base environment with no colour and no inherited OPENMEDLAB_* settings. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('OPENMEDLAB_') && k !== 'FORCE_COLOR') env[k] = v;
  // A config dir with no config.yaml: a developer's own config never leaks into tests.
  const noConfig = path.join(ROOT, 'test', 'fixtures', 'no-config');
  return { ...env, NO_COLOR: '1', OPENMEDLAB_CONFIG_DIR: noConfig, ...extra };
}

/** Run main() in this process with captured stdout/stderr. */
export async function runCli(argv: string[], options: CliRunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: {
        write: (s: string) => (stdout += s),
        isTTY: options.isTTY ?? false,
        columns: options.columns,
      },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      env: options.env ?? cleanEnv(),
      cwd: options.cwd ?? ROOT,
    },
    options.extra,
  );
  return { code, stdout, stderr };
}

/** Run the built bin/openmedlab.js as a child process (needs `npm run build`). */
export function runBin(argv: string[], options: CliRunOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
