/**
 * Retry policy for downloads, as pure functions: which failures are worth another attempt and how
 * long to wait before it. Kept free of I/O so the maths is tested directly (got's
 * calculate-retry-delay, pnpm's remoteTarballFetcher).
 */
import { isOmlError } from '../errors.js';

/** How many times, and how patiently, a download is retried. */
export interface RetryPolicy {
  /** Attempts after the first one for network failures, 5xx, 408 and 429. */
  retries: number;
  /** Attempts after the first one for integrity/size failures (a corrupting proxy rarely heals). */
  integrityRetries: number;
  /** Delay before the first retry, in ms. */
  baseDelayMs: number;
  /** Upper bound of one computed delay, in ms. */
  maxDelayMs: number;
  /** Growth factor per attempt. */
  factor: number;
  /** Fraction of the delay that is randomised (0 = none, 1 = full jitter). */
  jitter: number;
  /** Upper bound honoured for a server's Retry-After, in ms (a longer one fails the attempt instead). */
  maxRetryAfterMs: number;
}

/** The default policy: 5 retries from 1 s doubling to 30 s, Retry-After up to 2 min. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  integrityRetries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
  maxRetryAfterMs: 120_000,
};

/** The policy with some fields overridden (tests shrink the delays). */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

/**
 * Delay before retry number `attempt` (1-based): exponential with jitter, or the server's
 * Retry-After when it gave one (never shorter than that, since asking again earlier only earns another 429).
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(raw * (1 - jitter) + raw * jitter * random());
}

/** Parse a Retry-After header (seconds or an HTTP date) into ms from `now`; undefined if absent or bad. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** True for HTTP statuses worth retrying: 408, 429 and 5xx except 501/505. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** Node/undici error codes of transient network failures. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** What to do after a failed attempt: retry as a network failure, retry as an integrity failure, or stop. */
export type RetryClass = 'network' | 'integrity' | 'fatal';

/** Classify an error thrown by an attempt. OmlErrors carry `details.retryable`/`details.status`. */
export function classifyError(error: unknown): RetryClass {
  if (isOmlError(error)) {
    if (error.code === 'E_INTEGRITY') return 'integrity';
    if (error.details.retryable === false) return 'fatal';
    if (error.details.retryable === true) return 'network';
    const status = error.details.status;
    if (typeof status === 'number') return isRetryableStatus(status) ? 'network' : 'fatal';
    return error.code === 'E_NETWORK' ? 'network' : 'fatal';
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return 'network';
  return 'fatal';
}
