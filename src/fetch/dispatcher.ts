/**
 * The undici dispatcher every request goes through: one keep-alive Agent (or a proxy agent when the
 * Context names a proxy, honouring NO_PROXY) with a connect timeout. Redirects are NOT followed here by
 * default: fetch/http.ts follows them itself, because it must see every hop's headers (Hugging Face puts
 * the sha256 of an LFS file in X-Linked-ETag on the 302, not on the CDN's answer), drop credentials on
 * cross-origin hops and name a redirect loop clearly. Pass `maxRedirections` to get undici's interceptor.
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent, interceptors } from 'undici';
import type { Context } from '../context.js';
import { largeReadConnector } from './large-reads.js';

/** Default connect timeout: a host that does not accept a TCP/TLS connection in 30 s is retried. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

export interface DispatcherOptions {
  /** Proxy settings (from Context.proxy); no proxy when all are unset. */
  proxy?: Context['proxy'];
  /** Connect timeout in ms (TCP + TLS). */
  connectTimeoutMs?: number;
  /** Compose undici's redirect interceptor with this bound (0/undefined: http.ts follows redirects). */
  maxRedirections?: number;
  /** Keep-alive connections per origin (parallel downloads from one host). */
  connections?: number;
}

/** Create the dispatcher for a run; close it with `await dispatcher.close()` when done. */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const agentOptions = {
    connect: { timeout: connectTimeout },
    ...(options.connections === undefined ? {} : { connections: options.connections }),
  };
  const proxy = options.proxy;
  // Explicit '' values stop EnvHttpProxyAgent from reading process.env itself: Context already did.
  const base: Dispatcher =
    proxy && (proxy.https || proxy.http)
      ? new EnvHttpProxyAgent({
          ...agentOptions,
          httpProxy: proxy.http ?? '',
          httpsProxy: proxy.https ?? '',
          noProxy: proxy.noProxy ?? '',
        })
      : new Agent({ ...agentOptions, connect: largeReadConnector({ timeout: connectTimeout }) });
  const max = options.maxRedirections ?? 0;
  return max > 0 ? base.compose(interceptors.redirect({ maxRedirections: max })) : base;
}
