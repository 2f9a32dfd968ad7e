/**
 * The retry loop around one unit of network work: classify the failure (fetch/retry.ts), wait with
 * backoff and jitter (or the server's Retry-After), report the retry, try again.
 */

import { isOmlError, OmlError } from '../errors.js';
import type { EventSink } from '../events.js';
import { classifyError, type RetryPolicy, retryDelay } from './retry.js';

/** Sleep for `ms`, rejecting when `signal` aborts. Injectable so tests never wait for real. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real sleep. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(interrupted(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The error for an aborted operation. */
export function interrupted(signal?: AbortSignal): OmlError {
  return new OmlError('E_INTERRUPTED', 'interrupted', {
    cause: signal?.reason,
    details: { retryable: false },
  });
}

export interface RetryLoopOptions {
  policy: RetryPolicy;
  key: string;
  events: EventSink;
  sleep: Sleep;
  signal?: AbortSignal;
  random?: () => number;
}

/** A short, token-free reason for an event. */
export function describeError(error: unknown): string {
  if (isOmlError(error)) return `${error.code}: ${error.message.split('\n')[0]}`;
  const e = error as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(': ') || String(error);
}

/** A transient failure that outlived its retries, as E_NETWORK (an OmlError is kept as is). */
export function asNetworkError(error: unknown, attempts: number): unknown {
  if (isOmlError(error)) return error;
  return new OmlError('E_NETWORK', `network failure after ${attempts} attempts (${describeError(error)})`, {
    hint: 'check the connection or proxy (HTTPS_PROXY), then run the command again: the download resumes',
    cause: error,
    details: { attempts },
  });
}

/** Run `attempt` until it succeeds, a failure is fatal, or the policy's retries are used up. */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryLoopOptions,
): Promise<T> {
  let network = 0;
  let integrity = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (options.signal?.aborted) throw interrupted(options.signal);
      const kind = classifyError(error);
      if (kind === 'fatal') throw error;
      const used = kind === 'integrity' ? ++integrity : ++network;
      const limit = kind === 'integrity' ? options.policy.integrityRetries : options.policy.retries;
      if (used > limit) throw asNetworkError(error, n);
      const retryAfter = isOmlError(error) ? (error.details.retryAfterMs as number | undefined) : undefined;
      const delayMs = retryDelay(used, options.policy, retryAfter, options.random);
      options.events({
        type: 'download-retry',
        key: options.key,
        attempt: n + 1,
        delayMs,
        reason: describeError(error),
      });
      await options.sleep(delayMs, options.signal);
    }
  }
}
