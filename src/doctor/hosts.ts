/**
 * Doctor's reachability checks: a HEAD of each host endpoint's root through the same dispatcher (and
 * so the same proxy) downloads use, with a short timeout. Any HTTP answer means reachable.
 */
import type { Dispatcher } from 'undici';
import type { Context, Endpoints } from '../context.js';
import { createDispatcher } from '../fetch/dispatcher.js';
import { openResponse, redactUrl } from '../fetch/http.js';
import { type CheckResult, result } from './check.js';

/** Default per-host timeout (connect and headers). */
export const DEFAULT_HOST_TIMEOUT_MS = 5_000;

export interface HostChecksOptions {
  ctx: Pick<Context, 'endpoints' | 'proxy' | 'userAgent'>;
  /** Per-host timeout in ms. */
  timeoutMs?: number;
  /** Injected dispatcher (default: one made from ctx.proxy, closed afterwards). */
  dispatcher?: Dispatcher;
}

/** The endpoints to probe, in Context order (OneDrive only when set). */
export function endpointList(endpoints: Endpoints): Array<[string, string]> {
  return Object.entries(endpoints).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

const WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted (custom CA? set NODE_EXTRA_CA_CERTS)',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted (custom CA? set NODE_EXTRA_CA_CERTS)',
};
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ABORT_ERR', 'ETIMEDOUT']);

/** Why a request failed, in a few words plus the error code. */
export function reason(error: unknown, timeoutMs: number): string {
  const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if ((code && TIMEOUTS.has(code)) || e.name === 'TimeoutError')
    return `no answer within ${timeoutMs / 1000} s`;
  if (code) return WORDS[code] ? `${WORDS[code]} (${code})` : code;
  return e.message ?? String(error);
}

/** HEAD one endpoint root. */
async function probe(
  name: string,
  url: string,
  dispatcher: Dispatcher,
  ctx: HostChecksOptions['ctx'],
  timeoutMs: number,
): Promise<CheckResult> {
  const check = `host:${name}`;
  const shown = redactUrl(url);
  try {
    const res = await openResponse({
      url: `${url}/`,
      method: 'HEAD',
      ctx: { offline: false, userAgent: ctx.userAgent },
      dispatcher,
      stallTimeoutMs: timeoutMs,
      maxRedirects: 5,
      signal: AbortSignal.timeout(timeoutMs * 2),
    });
    await res.body.dump();
    return res.status >= 500
      ? result('warn', check, `${shown} answered HTTP ${res.status}`)
      : result('ok', check, `${shown} HTTP ${res.status}`);
  } catch (error) {
    return result('fail', check, `${shown} unreachable: ${reason(error, timeoutMs)}`, 'network');
  }
}

/** Probe every endpoint in parallel. */
export async function checkHosts(options: HostChecksOptions): Promise<CheckResult[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HOST_TIMEOUT_MS;
  const dispatcher =
    options.dispatcher ?? createDispatcher({ proxy: options.ctx.proxy, connectTimeoutMs: timeoutMs });
  try {
    return await Promise.all(
      endpointList(options.ctx.endpoints).map(([name, url]) =>
        probe(name, url, dispatcher, options.ctx, timeoutMs),
      ),
    );
  } finally {
    if (!options.dispatcher) await dispatcher.destroy();
  }
}

/** The lines shown instead when offline. */
export function skippedHosts(endpoints: Endpoints, why: string): CheckResult[] {
  return endpointList(endpoints).map(([name, url]) =>
    result('skip', `host:${name}`, `${redactUrl(url)} (${why})`),
  );
}
