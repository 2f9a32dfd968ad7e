/**
 * OneDrive for Business / SharePoint share links (`https://<tenant>-my.sharepoint.com/:u:/g/personal/
 * <user>/<token>?e=<x>`). Adding `download=1` to the share URL makes SharePoint redirect straight to
 * the file instead of its viewer. A link that needs an account lands on Microsoft's sign-in page.
 */
import type { OnedriveSource } from '../../registry/types.js';
import type { HtmlVerdict } from '../plan.js';
import type { HostAdapter } from './adapter.js';
import { parseUrl } from './adapter.js';

const SIGN_IN = /login\.microsoftonline\.com|login\.live\.com|Sign in to your account/i;

const PERSONAL = new Set(['1drv.ms', 'onedrive.live.com']);

/**
 * The direct-download form of a share link; `endpoint` replaces the origin (mirrors, tests).
 * Personal OneDrive links (1drv.ms, onedrive.live.com) ignore `download=1`: they go through the
 * shares API, `https://api.onedrive.com/v1.0/shares/u!<base64url(link)>/root/content`.
 */
export function onedriveDirectUrl(shareUrl: string, endpoint: string | undefined): string {
  const url = parseUrl(shareUrl, 'onedrive');
  if (PERSONAL.has(url.hostname)) {
    const token = `u!${Buffer.from(shareUrl).toString('base64url')}`;
    return `${endpoint ?? 'https://api.onedrive.com'}/v1.0/shares/${token}/root/content`;
  }
  url.searchParams.set('download', '1');
  if (endpoint === undefined) return url.href;
  return new URL(`${url.pathname}${url.search}`, `${endpoint}/`).href;
}

/** Decide what to do with an HTML page SharePoint sent where a file was expected. */
export function parseOnedriveHtml(html: string, finalUrl: string): HtmlVerdict {
  if (SIGN_IN.test(finalUrl) || SIGN_IN.test(html)) {
    return {
      kind: 'fail',
      reason: 'OneDrive/SharePoint asks to sign in: the share link is not open to anyone, or it expired',
      hint: 'open the link in a browser, download the file and bring it in with `openmedlab cache import`',
    };
  }
  return {
    kind: 'fail',
    reason: 'OneDrive/SharePoint sent an HTML page instead of the file (link expired?)',
  };
}

/** A share link turned into its direct-download form. */
export const onedriveAdapter: HostAdapter<OnedriveSource> = (source, ctx) => ({
  kind: 'file',
  plan: {
    host: 'onedrive',
    url: onedriveDirectUrl(source.url, ctx.endpoints.onedrive),
    headers: {},
    onHtml: parseOnedriveHtml,
  },
});
