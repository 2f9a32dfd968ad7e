/** Plain HTTPS files (a lab web server, a CDN); Hugging Face URLs are routed through the HF adapter. */
import { OmlError } from '../../errors.js';
import type { HttpsSource } from '../../registry/types.js';
import type { HostAdapter } from './adapter.js';
import { isLoopback, parseUrl, urlBasename } from './adapter.js';
import { hfUrlPlan } from './huggingface.js';

/** https URLs as they are; http only for 127.0.0.1/localhost (tests, local mirrors). */
export const httpsAdapter: HostAdapter<HttpsSource> = (source, ctx) => {
  const url = parseUrl(source.url, 'https');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new OmlError(
      'E_REGISTRY',
      `https source must use https:// (http only for localhost): ${source.url}`,
    );
  }
  const hf = hfUrlPlan(url, ctx);
  if (hf) return hf;
  return {
    kind: 'file',
    plan: { host: 'https', url: url.href, headers: {}, filename: urlBasename(url.href) },
  };
};
