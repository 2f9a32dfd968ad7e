/**
 * downloadToStore: one file from a DownloadPlan into the content-addressed store. The body is hashed
 * while it streams into `<root>/tmp-v1/<key>.partial` (one pass, constant memory), checked for size and
 * digest (expected, and the server's announced digest), then renamed atomically into content-v1.
 * An interrupted download resumes in a later run with Range + If-Range; failures are retried with
 * backoff (fetch/retry.ts); HTML answers go to the plan's onHtml (Drive forms, quota pages).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { acquireLock } from '../cache/lock.js';
import { tmpDir } from '../cache/paths.js';
import type { Expected } from '../cache/verify.js';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import { type EventSink, silentSink } from '../events.js';
import { type AttemptState, runAttempt } from './attempt.js';
import { realSleep, type Sleep, withRetries } from './attempts.js';
import { warmUp } from './digest-worker.js';
import { createDispatcher } from './dispatcher.js';
import { partialPaths } from './partial.js';
import type { DownloadPlan } from './plan.js';
import { type RetryPolicy, retryPolicy } from './retry.js';

/** Options of downloadToStore. */
export interface DownloadOptions {
  /** What to fetch (from a host adapter). */
  plan: DownloadPlan;
  /** offline, userAgent and proxy are read from it. */
  ctx: Pick<Context, 'offline' | 'userAgent' | 'proxy'>;
  /** Cache root (Context.cacheDir). */
  cacheRoot: string;
  /** Stable name of this download across runs (names the partial file; hashed when not a plain file name). */
  key: string;
  /** Human label for events (default: plan.filename or the URL). */
  label?: string;
  /** What the file must be (registry pin, lockfile, trust store); a mismatch is E_INTEGRITY. */
  expected?: Expected;
  /** The undici dispatcher (proxy, connection pool); one is created and closed when omitted. */
  dispatcher?: Dispatcher;
  /** Event sink (download-start/progress/retry/end). */
  events?: EventSink;
  /** Aborts the download (the partial file stays, for a later resume); throws E_INTERRUPTED. */
  signal?: AbortSignal;
  /** Retry policy overrides (tests shrink delays; `retries: 0` disables retries). */
  retries?: Partial<RetryPolicy>;
  /** No byte for this long fails the attempt (default 30 s). */
  stallTimeoutMs?: number;
  /** Connect timeout when the dispatcher is created here (default 30 s). */
  connectTimeoutMs?: number;
  /** Bound on redirects per request (default 10). */
  maxRedirects?: number;
  /** Bound on HTML 'follow' verdicts (default 5). */
  maxHtmlHops?: number;
  /** How long to wait for another process downloading the same key before using a private temp file (default 0). */
  lockWaitMs?: number;
  /** Injected sleep for retry delays (tests record delays instead of waiting). */
  sleep?: Sleep;
  /** Accept an HTML answer as the file (default false: HTML where a binary is expected is an error). */
  allowHtml?: boolean;
}

/** What downloadToStore returns. */
export interface DownloadResult {
  sha256: string;
  size: number;
  /** The blob in content-v1 (read-only). */
  blobPath: string;
  /** plan.filename, else Content-Disposition, else the last URL segment. */
  filename: string;
  /** The URL that served the bytes, credentials redacted. */
  finalUrl: string;
  /** True when the server announced a sha256 (plan.digestHeader) and the stream matched it. */
  serverDigestVerified: boolean;
  /** Bytes already on disk from an earlier run or attempt when the last attempt started. */
  resumedFrom: number;
  /** Bytes received over the network in this call, across all attempts. */
  bytesReceived: number;
}

/** Download `plan` into the store, verified; see the module comment. */
export async function downloadToStore(options: DownloadOptions): Promise<DownloadResult> {
  if (options.ctx.offline) {
    throw new OmlError(
      'E_OFFLINE',
      `offline mode: ${options.label ?? options.plan.filename ?? 'file'} is not cached`,
      {
        hint: 'run again without --offline to download it',
        details: { retryable: false },
      },
    );
  }
  warmUp(); // the digest threads start while the request is on its way
  const events = options.events ?? silentSink;
  const dispatcher =
    options.dispatcher ??
    createDispatcher({
      proxy: options.ctx.proxy,
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    });
  await fs.mkdir(tmpDir(options.cacheRoot), { recursive: true });
  // The lock only decides who may use the resumable partial; without it we use a private one.
  const lock = await acquireLock(options.cacheRoot, `dl-${options.key}`, { waitMs: options.lockWaitMs ?? 0 });
  const unique = lock ? undefined : `${process.pid}-${randomBytes(4).toString('hex')}`;
  const state: AttemptState = {
    options: { ...options, events },
    dispatcher,
    paths: partialPaths(options.cacheRoot, options.key, unique),
    url: options.plan.url,
    extraHeaders: {},
    htmlHops: 0,
    bytesReceived: 0,
  };
  try {
    return await withRetries(() => runAttempt(state), {
      policy: retryPolicy(options.retries),
      key: options.key,
      events,
      sleep: options.sleep ?? realSleep,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    if (unique) await fs.rm(state.paths.file, { force: true });
    if (unique) await fs.rm(state.paths.sidecar, { force: true });
    await lock?.release();
    if (!options.dispatcher) await dispatcher.close();
  }
}
