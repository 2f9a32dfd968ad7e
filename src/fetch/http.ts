/**
 * The only module that speaks HTTP. It opens a response (following redirects itself, so every hop's
 * headers are visible and credentials never cross origins), reads small text bodies for listings,
 * and turns statuses into OmlErrors. URLs in messages are redacted; request headers never appear.
 */
import type { Dispatcher } from 'undici';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import { type EventSink, silentSink } from '../events.js';
import { realSleep, type Sleep, withRetries } from './attempts.js';
import { ResponseBody } from './body.js';
import { parseRetryAfter, type RetryPolicy, retryPolicy } from './retry.js';

/** Default stall timeout: no byte (headers or body) for this long fails the attempt. */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
/** Default bound on redirects per request. */
export const DEFAULT_MAX_REDIRECTS = 10;

/** What http.ts needs from the Context. */
export type HttpContext = Pick<Context, 'offline' | 'userAgent'>;

/** One request, as http.ts takes it. */
export interface OpenOptions {
  url: string;
  /** Request headers (Authorization, Range...). User-Agent is added from ctx. Never logged. */
  headers?: Record<string, string>;
  ctx: HttpContext;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  /** No byte for this long fails with UND_ERR_HEADERS_TIMEOUT/UND_ERR_BODY_TIMEOUT (retryable). */
  stallTimeoutMs?: number;
  /** Bound on redirects; a loop or more hops throws E_NETWORK. */
  maxRedirects?: number;
  method?: 'GET' | 'HEAD';
}

/** A redirect hop: its URL, status and response headers. */
export interface Hop {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** An open response; the caller must consume or `dump()` the body. */
export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: ResponseBody;
  finalUrl: string;
  /** Redirect responses seen before the final one, in order. */
  hops: Hop[];
}

const SECRET_PARAMS =
  /^(token|access_token|auth|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|policy|key-pair-id|code|resourcekey)$/i;

/** A URL with userinfo and credential-like query parameters replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}

/** First value of a response header. */
export function header(headers: OpenResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Throw E_OFFLINE: used before any connection would be opened. */
export function assertOnline(ctx: HttpContext, url: string): void {
  if (ctx.offline) {
    throw new OmlError('E_OFFLINE', `offline mode: not downloading ${redactUrl(url)}`, {
      hint: 'run again without --offline (or unset OPENMEDLAB_OFFLINE) to download it',
      details: { url: redactUrl(url), retryable: false },
    });
  }
}

/** Headers for the next hop: credentials and cookies do not follow a redirect to another origin. */
function hopHeaders(headers: Record<string, string>, from: URL, to: URL): Record<string, string> {
  if (from.origin === to.origin) return headers;
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!/^(authorization|cookie|proxy-authorization)$/i.test(name)) kept[name] = value;
  }
  return kept;
}

/** Send one request and follow redirects, recording each hop; returns the final response. */
export async function openResponse(options: OpenOptions): Promise<OpenResponse> {
  assertOnline(options.ctx, options.url);
  const stall = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const max = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let url = new URL(options.url);
  let headers: Record<string, string> = { ...options.headers, 'user-agent': options.ctx.userAgent };
  const hops: Hop[] = [];
  const seen = new Set<string>();
  for (;;) {
    seen.add(url.href);
    const res = await dispatchOnce(options, url, headers, stall);
    const location = header(res.headers, 'location');
    if (res.status < 300 || res.status > 399 || res.status === 304 || location === undefined) {
      return { ...res, finalUrl: url.href, hops };
    }
    await res.body.dump();
    hops.push({ url: url.href, status: res.status, headers: res.headers });
    const next = new URL(location, url);
    if (seen.has(next.href)) throw redirectError('redirect loop', options.url, next.href, hops.length);
    if (hops.length >= max)
      throw redirectError(`more than ${max} redirects`, options.url, next.href, hops.length);
    headers = hopHeaders(headers, url, next);
    url = next;
  }
}

/** One request through the dispatcher with a raw handler; resolves when the headers arrive. */
function dispatchOnce(
  options: OpenOptions,
  url: URL,
  headers: Record<string, string>,
  stall: number,
): Promise<Pick<OpenResponse, 'status' | 'headers' | 'body'>> {
  return new Promise((resolve, reject) => {
    const body = new ResponseBody();
    const signal = options.signal;
    let started = false;
    const onAbort = (): void => body.controller?.abort(signal?.reason ?? new Error('aborted'));
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        body.controller = controller;
        if (signal?.aborted) controller.abort(signal.reason);
      },
      onResponseStart(_controller, status, responseHeaders) {
        started = true;
        resolve({ status, headers: responseHeaders, body });
      },
      onResponseData: (_controller, chunk) => body.push(chunk),
      onResponseEnd() {
        done();
        body.end();
      },
      onResponseError(_controller, error) {
        done();
        if (started) body.fail(error);
        else reject(error);
      },
    };
    options.dispatcher.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: options.method ?? 'GET',
        headers,
        headersTimeout: stall,
        bodyTimeout: stall,
      },
      handler,
    );
  });
}

function redirectError(what: string, start: string, at: string, count: number): OmlError {
  return new OmlError('E_NETWORK', `${what} while fetching ${redactUrl(start)} (at ${redactUrl(at)})`, {
    hint: 'the server keeps redirecting; the link may need a sign-in or be broken; try another source',
    details: { url: redactUrl(start), redirects: count, retryable: false },
  });
}

/** The OmlError for a final status that is not a success (401/403 get the plan's auth hint). */
export function statusError(
  status: number,
  url: string,
  res?: Pick<OpenResponse, 'headers'>,
  authHint?: string,
): OmlError {
  const safe = redactUrl(url);
  const retryAfterMs = res ? parseRetryAfter(header(res.headers, 'retry-after')) : undefined;
  const details = { status, url: safe, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (status === 401 || status === 403) {
    return new OmlError('E_HTTP', `HTTP ${status} (access denied) for ${safe}`, {
      hint: authHint ?? 'the file needs credentials or is private',
      details,
    });
  }
  if (status === 404 || status === 410) {
    return new OmlError('E_HTTP', `HTTP ${status} (not found) for ${safe}`, {
      hint: 'the file moved or was removed upstream; report it so the registry can be updated',
      details,
    });
  }
  return new OmlError('E_HTTP', `HTTP ${status} for ${safe}`, { details });
}

/** Options of fetchText. */
export interface FetchTextOptions extends OpenOptions {
  /** Refuse bodies larger than this (default 16 MiB). */
  maxBytes?: number;
  /** Hint for 401/403. */
  authHint?: string;
  /** Retry policy overrides for 5xx/429/resets (default policy of fetch/retry.ts). */
  retries?: Partial<RetryPolicy>;
  /** Injected sleep for retry delays. */
  sleep?: Sleep;
  /** Receives download-retry events (key: the redacted URL). */
  events?: EventSink;
}

/** What fetchText returns. */
export interface TextResponse {
  text: string;
  finalUrl: string;
  status: number;
  headers: OpenResponse['headers'];
}

/** GET a small text body (listing JSON, an HTML page) with a size bound and retries; non-2xx throws E_HTTP. */
export async function fetchText(options: FetchTextOptions): Promise<TextResponse> {
  return withRetries(() => fetchTextOnce(options), {
    policy: retryPolicy(options.retries),
    key: redactUrl(options.url),
    events: options.events ?? silentSink,
    sleep: options.sleep ?? realSleep,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function fetchTextOnce(options: FetchTextOptions): Promise<TextResponse> {
  const res = await openResponse(options);
  if (res.status < 200 || res.status > 299) {
    await res.body.dump();
    throw statusError(res.status, res.finalUrl, res, options.authHint);
  }
  const max = options.maxBytes ?? 16 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > max) {
      res.body.destroy();
      throw new OmlError('E_HOST', `response from ${redactUrl(res.finalUrl)} is larger than ${max} bytes`, {
        details: { url: redactUrl(res.finalUrl), retryable: false },
      });
    }
    chunks.push(chunk);
  }
  return {
    text: Buffer.concat(chunks).toString('utf8'),
    finalUrl: res.finalUrl,
    status: res.status,
    headers: res.headers,
  };
}
