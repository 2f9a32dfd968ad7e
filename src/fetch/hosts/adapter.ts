/** Shared types and helpers of the host adapters (pure: no I/O, no clock, no env). */
import type { Context } from '../../context.js';
import { OmlError } from '../../errors.js';
import type { Source } from '../../registry/types.js';
import type { SourcePlan } from '../plan.js';

/** What an adapter may know about its environment: base URLs and tokens, nothing else. */
export type AdapterContext = Pick<Context, 'endpoints' | 'hfToken'>;

/** A host adapter: a pure function from one registry source to a download plan. */
export type HostAdapter<S extends Source = Source> = (source: S, ctx: AdapterContext) => SourcePlan;

/** Encode each segment of a slash-separated path, keeping the slashes. */
export function encodePath(p: string): string {
  return p
    .split('/')
    .filter((seg) => seg !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** The last path segment of a URL, decoded; undefined when there is none. */
export function urlBasename(url: string): string | undefined {
  const segs = new URL(url).pathname.split('/').filter((s) => s !== '');
  const last = segs.at(-1);
  return last === undefined ? undefined : decodeURIComponent(last);
}

/** Parse a URL from the registry or fail with E_REGISTRY naming the source. */
export function parseUrl(url: string, host: string): URL {
  try {
    return new URL(url);
  } catch (cause) {
    throw new OmlError('E_REGISTRY', `${host} source has an invalid URL: ${url}`, { cause });
  }
}

/** True for loopback host names (plain http is allowed only there). */
export function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

/** Decode the HTML entities that appear in attribute values of the pages we parse. */
export function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
