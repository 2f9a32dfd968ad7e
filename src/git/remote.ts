/** The network half of the mirror: git fetches into the bare mirror, retried like downloads. */
import { setTimeout as sleep } from 'node:timers/promises';
import { OmlError } from '../errors.js';
import type { EventSink } from '../events.js';
import { type RetryPolicy, retryDelay, retryPolicy } from '../fetch/retry.js';
import { isTransientGitFailure } from './classify.js';
import { type GitContext, type GitResult, gitMessage, runGit } from './run.js';

/** What every fetch step needs. */
export interface RemoteOptions {
  ctx: GitContext;
  /** The bare mirror. */
  gitDir: string;
  /** The URL shown in messages and events (already redacted of credentials by the caller). */
  url: string;
  events?: EventSink | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** The ref that keeps a pinned commit alive in the mirror (and lets a local clone see it). */
export function pinRef(commit: string): string {
  return `refs/heads/openmedlab-pin/${commit}`;
}

/**
 * Run one `git fetch`-like command, retrying transient network failures with the download backoff.
 * A definitive failure is returned, not thrown, so the caller can fall back to another strategy.
 */
export async function fetchWithRetry(
  options: RemoteOptions,
  args: string[],
  input?: string,
): Promise<GitResult> {
  const policy = retryPolicy(options.retry);
  for (let attempt = 1; ; attempt++) {
    const result = await runGit({
      ctx: options.ctx,
      cwd: options.gitDir,
      args,
      input,
      timeoutMs: options.timeoutMs,
      events: options.events,
      signal: options.signal,
    });
    if (result.code === 0 || !isTransientGitFailure(result.stderr)) return result;
    if (attempt > policy.retries) {
      throw new OmlError('E_NETWORK', `could not reach ${options.url}: ${gitMessage(result.stderr)}`, {
        hint: 'check the network (or the mirror set with OPENMEDLAB_GITHUB_ENDPOINT / url.<base>.insteadOf)',
        details: { url: options.url, attempts: attempt, stderr: result.stderr },
      });
    }
    const delayMs = retryDelay(attempt, policy);
    options.events?.({
      type: 'download-retry',
      key: options.url,
      attempt,
      delayMs,
      reason: gitMessage(result.stderr),
    });
    await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {}).catch((error) => {
      throw new OmlError('E_INTERRUPTED', `fetching ${options.url} was interrupted`, { cause: error });
    });
  }
}

/** Shallow fetch of exactly `commit` (needs protocol v2 or uploadpack.allowReachableSHA1InWant). */
export function fetchBySha(options: RemoteOptions, commit: string, filter: boolean): Promise<GitResult> {
  const args = ['fetch', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--depth=1'];
  if (filter) args.push('--filter=blob:none');
  return fetchWithRetry(options, [...args, '--', 'origin', `+${commit}:${pinRef(commit)}`]);
}

/** Fetch every branch and tag with full history: the fallback for servers that refuse fetching by sha. */
export function fetchAll(options: RemoteOptions, filter: boolean, shallow: boolean): Promise<GitResult> {
  const args = ['fetch', '--no-write-fetch-head', '--recurse-submodules=no', '--no-tags'];
  if (shallow) args.push('--unshallow');
  if (filter) args.push('--filter=blob:none');
  return fetchWithRetry(options, [
    ...args,
    '--',
    'origin',
    '+refs/heads/*:refs/remotes/origin/*',
    '+refs/tags/*:refs/tags/*',
  ]);
}

/** Fetch the given blobs by id into a partial mirror, in one request (what git's lazy fetch does). */
export function fetchBlobs(options: RemoteOptions, oids: string[]): Promise<GitResult> {
  const args = ['-c', 'fetch.negotiationAlgorithm=noop'];
  return fetchWithRetry(
    options,
    [
      ...args,
      'fetch',
      '--no-tags',
      '--no-write-fetch-head',
      '--recurse-submodules=no',
      '--filter=blob:none',
      '--stdin',
      'origin',
    ],
    `${oids.join('\n')}\n`,
  );
}
