/**
 * One bare mirror per repository URL in the cache (<cache>/git-v1/<key>.git), holding only what
 * checkouts needed: a shallow fetch of each pinned commit, trees only when a subfolder is wanted
 * (a partial clone), plus that folder's blobs. A mirror that already holds everything needs no network.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { withLock } from '../cache/lock.js';
import { gitDir as gitRoot, mirrorPath } from '../cache/paths.js';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import type { EventSink } from '../events.js';
import type { RetryPolicy } from '../fetch/retry.js';
import { hasCommit, isShallow, missingBlobs } from './objects.js';
import { fetchAll, fetchBlobs, fetchBySha, pinRef, type RemoteOptions } from './remote.js';
import { type GitContext, git, gitMessage, redact, runGit, secretsOf } from './run.js';
import { validateCommit, validateRepoUrl, validateSubfolder } from './validate.js';

/** Options of ensureMirror. */
export interface MirrorOptions {
  ctx: GitContext & Pick<Context, 'cacheDir'>;
  /** The repository URL as the registry names it: the mirror's key. */
  url: string;
  /** The URL to fetch from (after mirror rewriting); defaults to `url`. */
  fetchUrl?: string | undefined;
  /** The pinned commit (40 hex). */
  commit: string;
  /** Only this folder's files are needed: fetch trees without blobs, then this folder's blobs. */
  subfolder?: string | undefined;
  events?: EventSink | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** How the mirror came to hold the commit. */
export type MirrorStrategy = 'cached' | 'by-sha' | 'full';

/** A mirror holding the commit (and the blobs a checkout of it needs). */
export interface Mirror {
  path: string;
  commit: string;
  strategy: MirrorStrategy;
  /** Blobs fetched separately for a partial checkout. */
  blobsFetched: number;
}

/** Create the bare mirror if it is missing: built in a temp dir, renamed into place. */
async function initMirror(ctx: GitContext, dir: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await git({ ctx, args: ['init', '--quiet', '--bare', '--', tmp] });
    await git({ ctx, cwd: tmp, args: ['config', 'gc.auto', '0'] }); // gc must not prune what checkouts linked
    await rename(tmp, dir).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST' && error.code !== 'ENOTEMPTY') throw error; // another process won
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Get `commit` into the mirror: by sha (protocol v2, or any server for an advertised tip), else by
 * fetching every branch and tag (a v0 server without allowReachableSHA1InWant refuses other shas).
 */
async function fetchCommit(remote: RemoteOptions, commit: string, filter: boolean): Promise<MirrorStrategy> {
  const { ctx, gitDir } = remote;
  const bySha = await fetchBySha(remote, commit, filter);
  if (bySha.code === 0 && (await hasCommit(ctx, gitDir, commit))) return 'by-sha';
  remote.events?.({ type: 'git', step: 'fallback', repo: remote.url, detail: gitMessage(bySha.stderr) });
  const all = await fetchAll(remote, filter, await isShallow(ctx, gitDir));
  if (await hasCommit(ctx, gitDir, commit)) {
    await git({ ctx, cwd: gitDir, args: ['update-ref', pinRef(commit), commit] });
    return 'full';
  }
  throw new OmlError('E_GIT', `commit ${commit} is not in ${remote.url}`, {
    hint: 'the history was probably rewritten upstream; report it so the registry pin is updated',
    details: { commit, url: remote.url, stderr: all.stderr || bySha.stderr },
  });
}

/** Make sure the mirror holds `commit` and the blobs of `subfolder` (or of the whole tree). */
export async function ensureMirror(options: MirrorOptions): Promise<Mirror> {
  const { ctx } = options;
  const url = validateRepoUrl(options.url);
  const fetchUrl = validateRepoUrl(options.fetchUrl ?? url);
  const commit = validateCommit(options.commit);
  const subfolder = options.subfolder === undefined ? undefined : validateSubfolder(options.subfolder);
  const dir = mirrorPath(ctx.cacheDir, url);
  const shownUrl = redact(fetchUrl, secretsOf(ctx));
  const remote: RemoteOptions = {
    ctx,
    gitDir: dir,
    url: shownUrl,
    events: options.events,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  };
  // The warm path takes no lock and opens no connection.
  if (await complete(ctx, dir, commit, subfolder))
    return { path: dir, commit, strategy: 'cached', blobsFetched: 0 };
  offlineGuard(ctx, commit, shownUrl);
  // Two processes filling one mirror would race on its shallow file and refs.
  const lockOptions = { waitMs: 30 * 60_000, ...(options.signal ? { signal: options.signal } : {}) };
  return withLock(ctx.cacheDir, `git-${url}`, () => fill(remote, fetchUrl, commit, subfolder), lockOptions);
}

/** True when the mirror holds the commit and every blob the checkout needs. */
async function complete(ctx: GitContext, dir: string, commit: string, subfolder?: string): Promise<boolean> {
  if (!(await hasCommit(ctx, dir, commit).catch(() => false))) return false;
  return (await missingBlobs(ctx, dir, commit, subfolder)).length === 0;
}

/** Fetch what the mirror lacks (under the lock): the commit, then the blobs a partial mirror misses. */
async function fill(
  remote: RemoteOptions,
  fetchUrl: string,
  commit: string,
  subfolder?: string,
): Promise<Mirror> {
  const { ctx, gitDir: dir, url: shownUrl, events } = remote;
  let strategy: MirrorStrategy = 'cached';
  if (!(await hasCommit(ctx, dir, commit).catch(() => false))) {
    await initMirror(ctx, dir);
    await setOrigin(ctx, dir, fetchUrl);
    events?.({ type: 'git', step: 'fetch', repo: shownUrl, detail: commit });
    strategy = await fetchCommit(remote, commit, subfolder !== undefined);
  }
  const blobs = await missingBlobs(ctx, dir, commit, subfolder);
  if (blobs.length > 0) {
    await setOrigin(ctx, dir, fetchUrl);
    events?.({ type: 'git', step: 'fetch-blobs', repo: shownUrl, detail: `${blobs.length} files` });
    const result = await fetchBlobs(remote, blobs);
    const still = await missingBlobs(ctx, dir, commit, subfolder);
    if (result.code !== 0 || still.length > 0) {
      throw new OmlError('E_GIT', `could not fetch the files of ${commit} from ${shownUrl}`, {
        hint: 'the server refused fetching files by id; retry later or report the repository',
        details: { commit, url: shownUrl, missing: still.length, stderr: result.stderr },
      });
    }
    if (strategy === 'cached') strategy = 'by-sha';
  }
  return { path: dir, commit, strategy, blobsFetched: blobs.length };
}

/** E_OFFLINE when the network is needed and forbidden. */
function offlineGuard(ctx: GitContext, commit: string, url: string): void {
  if (!ctx.offline) return;
  throw new OmlError(
    'E_OFFLINE',
    `commit ${commit} of ${url} is not in the local mirror, and --offline is set`,
    {
      hint: 'run the same command once without --offline to fill the mirror',
      details: { commit, url },
    },
  );
}

/** Point the mirror's origin at the URL to fetch from (it may change with OPENMEDLAB_GITHUB_ENDPOINT). */
async function setOrigin(ctx: GitContext, dir: string, url: string): Promise<void> {
  const current = await runGit({ ctx, cwd: dir, args: ['config', '--get', 'remote.origin.url'] });
  if (current.code === 0 && current.stdout.trim() === url) return;
  await git({ ctx, cwd: dir, args: ['config', '--', 'remote.origin.url', url] });
}

/** The mirror folder of a repository URL (for `cache` listings). */
export function mirrorRoot(cacheDir: string): string {
  return gitRoot(cacheDir);
}
