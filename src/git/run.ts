/**
 * The only module that starts git. It runs the system git (so the user's own config, such as
 * `url.<base>.insteadOf` for a mirror, keeps working) with an argument array and no shell, in an
 * environment that never prompts, speaks C-locale English we can parse, allows only known transports,
 * and carries a GitHub token as a config value in GIT_CONFIG_* variables: argv is visible to every
 * user of the machine through `ps`, the environment is not.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import type { EventSink } from '../events.js';

/** What run.ts needs from the Context. */
export type GitContext = Pick<Context, 'env' | 'githubToken' | 'endpoints' | 'offline'>;

/** Options of one git run. */
export interface GitRunOptions {
  ctx: GitContext;
  /** Arguments after `git`; registry- or user-derived ones must sit after a `--` or be validated. */
  args: string[];
  /** Working directory (must exist). */
  cwd?: string;
  /** Text written to stdin (then closed). */
  input?: string;
  /** Kill git after this many ms (default 30 minutes: a 1 GB repository over a slow link). */
  timeoutMs?: number;
  /** Extra config pairs, passed through GIT_CONFIG_* (never argv). */
  config?: ReadonlyArray<readonly [string, string]>;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Receives a debug event with the (redacted) command line. */
  events?: EventSink | undefined;
  /** Aborting kills git and rejects with E_INTERRUPTED. */
  signal?: AbortSignal | undefined;
}

/** Exit status and output of a finished git. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Default timeout of one git run. */
export const DEFAULT_GIT_TIMEOUT_MS = 30 * 60_000;

/** The Authorization header value git sends for a GitHub token (what GitHub Actions' checkout sends). */
function basicAuth(token: string): string {
  return Buffer.from(`x-access-token:${token}`).toString('base64');
}

/** The secrets to scrub from a context's messages: the token and its header encoding. */
export function secretsOf(ctx: Pick<Context, 'githubToken'>): string[] {
  return ctx.githubToken ? [ctx.githubToken, basicAuth(ctx.githubToken)] : [];
}

/** Replace every secret and every URL password in `text` with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]*@/gi, '$1***@');
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

/** Config pairs every run gets: the token header, scoped to the GitHub endpoint only. */
function baseConfig(ctx: GitContext): Array<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = [];
  if (ctx.githubToken && /^https?:\/\//.test(ctx.endpoints.github)) {
    pairs.push([
      `http.${ctx.endpoints.github}/.extraheader`,
      `AUTHORIZATION: basic ${basicAuth(ctx.githubToken)}`,
    ]);
  }
  return pairs;
}

/** The environment git runs in, built from ctx.env (nothing is read from process.env). */
export function gitEnv(
  ctx: GitContext,
  config: ReadonlyArray<readonly [string, string]> = [],
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GCM_INTERACTIVE: 'never',
    LC_ALL: 'C',
    LANGUAGE: 'C',
    // Only transports we validate URLs for; offline, only the local mirror may be read.
    GIT_ALLOW_PROTOCOL: ctx.offline ? 'file' : 'https:http:git:ssh:file',
  });
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) {
    env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  }
  // Append to the caller's own GIT_CONFIG_* list instead of replacing it.
  const pairs = [...baseConfig(ctx), ...config];
  let n = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10);
  if (!Number.isFinite(n) || n < 0) n = 0;
  for (const [key, value] of pairs) {
    env[`GIT_CONFIG_KEY_${n}`] = key;
    env[`GIT_CONFIG_VALUE_${n}`] = value;
    n += 1;
  }
  if (pairs.length > 0) env.GIT_CONFIG_COUNT = String(n);
  return { ...env, ...extra };
}

/** Run git and resolve with its exit status and output; throws only when git cannot run or times out. */
export function runGit(options: GitRunOptions): Promise<GitResult> {
  const { ctx, args, cwd, input, timeoutMs = DEFAULT_GIT_TIMEOUT_MS } = options;
  const secrets = secretsOf(ctx);
  const shown = redact(`git ${args.join(' ')}`, secrets);
  options.events?.({ type: 'debug', message: shown });
  if (options.signal?.aborted)
    return Promise.reject(new OmlError('E_INTERRUPTED', `${shown} was interrupted`));
  if (cwd !== undefined && !existsSync(cwd)) {
    return Promise.reject(new OmlError('E_INTERNAL', `git working directory is missing: ${cwd}`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: gitEnv(ctx, options.config, options.env),
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {}); // git may exit before reading its input
    child.stdin.end(input ?? '');
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.name === 'AbortError') {
        reject(new OmlError('E_INTERRUPTED', `${shown} was interrupted`, { cause: error }));
        return;
      }
      reject(
        error.code === 'ENOENT'
          ? new OmlError('E_GIT_MISSING', 'git is needed for the code step', {
              hint: 'install git, or pass --no-code',
              cause: error,
            })
          : new OmlError('E_GIT', `could not start git: ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = redact(Buffer.concat(err).toString('utf8'), secrets);
      if (timedOut) {
        reject(
          new OmlError('E_NETWORK', `${shown} timed out after ${Math.round(timeoutMs / 1000)} s`, {
            details: { args: redact(args.join(' '), secrets), retryable: true },
          }),
        );
        return;
      }
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** The last meaningful lines of git's stderr, for an error message. */
export function gitMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(hint|warning):/i.test(l));
  return lines.slice(-3).join('; ') || 'no message';
}

/** Run git and return stdout; a non-zero exit throws E_GIT with git's message (redacted). */
export async function git(options: GitRunOptions): Promise<string> {
  const result = await runGit(options);
  if (result.code !== 0) {
    const command = redact(options.args.slice(0, 1).join(' '), secretsOf(options.ctx));
    throw new OmlError('E_GIT', `git ${command} failed: ${gitMessage(result.stderr)}`, {
      details: { exitCode: result.code, stderr: result.stderr },
    });
  }
  return result.stdout;
}
