/** Doctor checks of this machine: node, git, git-lfs, the cache dir, proxy settings, registry, config. */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../context.js';
import { isOmlError } from '../errors.js';
import { runGit } from '../git/run.js';
import { loadRegistry } from '../registry/load.js';
import { type CheckResult, result } from './check.js';

/** Below this much free space the cache check warns (one large checkpoint is several GB). */
export const LOW_SPACE_BYTES = 5 * 1024 ** 3;
/** The oldest Node this package supports (package.json engines). */
export const MIN_NODE = [20, 19, 0] as const;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Human size: 12.3 GB. */
export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Node's version against engines.node. */
export function checkNode(version: string): CheckResult {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  const older = MIN_NODE.findIndex((min, i) => (parts[i] ?? 0) !== min);
  const ok = older === -1 || (parts[older] ?? 0) > MIN_NODE[older]!;
  return ok
    ? result('ok', 'node', `v${version.replace(/^v/, '')}`)
    : result('fail', 'node', `v${version} is older than the supported ${MIN_NODE.join('.')}`, 'usage');
}

/** git (needed by the code step) and git-lfs (warned about only: few repositories need it). */
export async function checkGit(
  ctx: Pick<Context, 'env' | 'githubToken' | 'endpoints' | 'offline'>,
): Promise<CheckResult[]> {
  try {
    const git = await runGit({ ctx, args: ['--version'], timeoutMs: 10_000 });
    const version = git.stdout.trim().replace(/^git version /, '');
    if (git.code !== 0) return [result('fail', 'git', `git --version exited ${git.code}`, 'usage')];
    const lfs = await runGit({ ctx, args: ['lfs', 'version'], timeoutMs: 10_000 });
    const lfsLine =
      lfs.code === 0
        ? result(
            'ok',
            'git-lfs',
            lfs.stdout
              .trim()
              .split(' ')[0]
              ?.replace(/^git-lfs\//, '') ?? 'installed',
          )
        : result('warn', 'git-lfs', 'not installed; only needed for repositories that keep files in Git LFS');
    return [result('ok', 'git', version), lfsLine];
  } catch (error) {
    const detail =
      isOmlError(error) && error.code === 'E_GIT_MISSING'
        ? 'not found on PATH (install git, or use get --no-code)'
        : message(error);
    return [result('fail', 'git', detail, 'usage'), result('skip', 'git-lfs', 'git is missing')];
  }
}

/** The cache dir: created if needed, a file written and removed, and its filesystem's free space. */
export async function checkCache(cacheDir: string, lowSpace = LOW_SPACE_BYTES): Promise<CheckResult> {
  const probe = path.join(cacheDir, `.doctor-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeFile(probe, 'ok');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return result('fail', 'cache', `${cacheDir} is not writable (${code ?? message(error)})`, 'unavailable');
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  const fs = await statfs(cacheDir);
  const free = fs.bavail * fs.bsize;
  const detail = `${cacheDir} writable, ${formatSize(free)} free`;
  return free < lowSpace ? result('warn', 'cache', `${detail} (low)`) : result('ok', 'cache', detail);
}

/** A URL with userinfo replaced by ***. */
const redactUrl = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');

/** The proxy settings in effect (passwords redacted) and where they came from; a bad URL fails. */
export function checkProxy(ctx: Pick<Context, 'proxy' | 'sources'>): CheckResult {
  const { https, http, noProxy } = ctx.proxy;
  if (!https && !http) return result('ok', 'proxy', noProxy ? `none (no_proxy ${noProxy} unused)` : 'none');
  const bad = [https, http].find((url) => url !== undefined && !/^https?:\/\/[^/\s]+/.test(url));
  if (bad !== undefined) return result('fail', 'proxy', `not a URL: ${redactUrl(bad)}`, 'usage');
  const part = (name: string, value: string | undefined, key: keyof Context['sources']): string =>
    value ? `${name} ${redactUrl(value)} (${ctx.sources[key]})` : `${name} -`;
  return result(
    'ok',
    'proxy',
    [
      part('https', https, 'proxy.https'),
      part('http', http, 'proxy.http'),
      part('no_proxy', noProxy, 'proxy.noProxy'),
    ].join(', '),
  );
}

/** The registry in use: bundled or custom, its format and data versions, and whether it is valid. */
export async function checkRegistry(ctx: Pick<Context, 'registryFile'>): Promise<CheckResult> {
  try {
    const loaded = await loadRegistry(ctx);
    const { registry } = loaded;
    const which = loaded.bundled ? 'bundled' : loaded.file;
    const detail = `${which}, format ${registry.schemaVersion}, data ${registry.version}, ${registry.projects.length} projects`;
    return loaded.warnings.length > 0
      ? result('warn', 'registry', `${detail}, ${loaded.warnings.length} warnings`)
      : result('ok', 'registry', `${detail}, valid`);
  } catch (error) {
    return result('fail', 'registry', message(error).split('\n')[0] ?? 'invalid', 'usage');
  }
}

/** What the CLI found when it read the config file. */
export interface ConfigStatus {
  file: string;
  exists: boolean;
  /** Number of keys set (when valid). */
  keys?: number;
  /** The E_CONFIG message when invalid. */
  error?: string;
}

/** The config file: absent (defaults), found and valid, or invalid. */
export function checkConfig(status: ConfigStatus): CheckResult {
  if (status.error !== undefined) return result('fail', 'config', status.error, 'usage');
  if (!status.exists) return result('ok', 'config', `${status.file} not found (defaults and environment)`);
  return result('ok', 'config', `${status.file}, ${status.keys ?? 0} settings, valid`);
}
