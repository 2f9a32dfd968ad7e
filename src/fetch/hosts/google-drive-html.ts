/**
 * Reads the HTML pages Google Drive answers instead of a file (the shapes gdown handles):
 * - the virus-scan / large-file confirmation: `<form id="download-form" action=...>` with hidden
 *   inputs id, export, confirm, uuid (drive.usercontent.google.com), or an older
 *   `href="/uc?export=download&confirm=..."` link, or a `"downloadUrl":"..."` in a script;
 * - the quota page ("Too many users have viewed or downloaded this file recently", "Quota exceeded");
 * - sign-in, "you need access" and "file does not exist" pages.
 */
import type { HtmlVerdict } from '../plan.js';
import { decodeEntities } from './adapter.js';

const QUOTA = /Too many users have viewed or downloaded this file recently|Quota exceeded/i;
const SIGN_IN =
  /accounts\.google\.com\/(?:v3\/signin|ServiceLogin|signin)|<title>\s*(?:Sign in|Google Accounts)/i;
const NO_ACCESS = /You need access|Request access|You need permission/i;
const MISSING = /the file you have requested does not exist|<title>\s*Not Found/i;

/** The hidden inputs of the confirmation form as name -> value. */
function hiddenInputs(form: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of form.matchAll(/<input\b[^>]*>/gi)) {
    const tag = m[0];
    if (!/type\s*=\s*["']?hidden/i.test(tag)) continue;
    const name = /\bname\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
    const value = /\bvalue\s*=\s*"([^"]*)"/i.exec(tag)?.[1] ?? '';
    if (name) out.push([decodeEntities(name), decodeEntities(value)]);
  }
  return out;
}

/** The follow URL of the confirmation form, or undefined when the page has none. */
export function driveConfirmUrl(html: string, finalUrl: string): string | undefined {
  const form = /<form\b[^>]*\bid\s*=\s*"download-form"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form) {
    const action = /\baction\s*=\s*"([^"]*)"/i.exec(form[0])?.[1];
    if (action !== undefined) {
      const url = new URL(decodeEntities(action), finalUrl);
      for (const [name, value] of hiddenInputs(form[1] ?? '')) url.searchParams.set(name, value);
      return url.href;
    }
  }
  const link = /href="(\/uc\?export=download[^"]+)"/.exec(html)?.[1];
  if (link) return new URL(decodeEntities(link), finalUrl).href;
  const script = /"downloadUrl":"([^"]+)"/.exec(html)?.[1];
  if (script) return script.replace(/\\u003d/g, '=').replace(/\\u0026/g, '&');
  return undefined;
}

/** Decide what to do with an HTML page Drive sent where a file was expected. */
export function parseDriveHtml(html: string, finalUrl: string): HtmlVerdict {
  if (QUOTA.test(html)) {
    return {
      kind: 'fail',
      reason:
        'Google Drive refuses the download: too many users have downloaded this file recently (quota exceeded)',
      hint: 'try again in a day, or download it in a browser and bring it in with `openmedlab cache import`',
    };
  }
  const follow = driveConfirmUrl(html, finalUrl);
  if (follow) return { kind: 'follow', url: follow };
  if (/accounts\.google\.com/i.test(new URL(finalUrl).hostname) || SIGN_IN.test(html)) {
    return {
      kind: 'fail',
      reason: 'Google Drive asks to sign in: the file is not shared with "anyone with the link"',
      hint: 'ask the authors to share it publicly, or download it in a browser and use `openmedlab cache import`',
    };
  }
  if (NO_ACCESS.test(html)) {
    return {
      kind: 'fail',
      reason: 'Google Drive says you need access to this file (it is not shared publicly)',
    };
  }
  if (MISSING.test(html))
    return { kind: 'fail', reason: 'Google Drive says the file does not exist (deleted or moved)' };
  const caption = /<p class="uc-error-subcaption">([\s\S]*?)<\/p>/.exec(html)?.[1];
  return {
    kind: 'fail',
    reason: caption
      ? `Google Drive refused the download: ${decodeEntities(caption).trim()}`
      : 'Google Drive sent an HTML page instead of the file',
  };
}
