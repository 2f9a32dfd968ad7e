/**
 * Pure checks on everything that reaches git's argv from the registry or the user. git reads any
 * argument starting with `-` as an option (`--upload-pack=...` runs a program), and remote-helper
 * syntax (`ext::sh -c ...`) runs one too, so both are refused before git starts.
 */
import { OmlError } from '../errors.js';

/** URL schemes git may be pointed at; `http` only on loopback, where TLS adds nothing. */
export const ALLOWED_SCHEMES = ['https', 'http', 'git', 'file', 'ssh'] as const;

const CONTROL = /[\u0000-\u001f\u007f]/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function refuse(what: string, value: string, why: string): never {
  throw new OmlError('E_USAGE', `refusing ${what} ${JSON.stringify(value)}: ${why}`, {
    hint: 'check the value: it must not start with "-" nor contain control characters',
    details: { [what]: value },
  });
}

/** Throw E_USAGE unless `url` is a repository URL that git cannot mistake for an option or helper. */
export function validateRepoUrl(url: string): string {
  if (url.startsWith('-')) refuse('url', url, 'it could be read as an option');
  if (CONTROL.test(url)) refuse('url', url, 'it contains control characters');
  if (/^[a-z][a-z0-9+.-]*::/i.test(url))
    refuse('url', url, 'remote-helper syntax (<transport>::) is not allowed');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    refuse('url', url, `not a URL (use one of ${ALLOWED_SCHEMES.join(', ')})`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!(ALLOWED_SCHEMES as readonly string[]).includes(scheme)) {
    refuse('url', url, `scheme ${scheme} is not allowed (use one of ${ALLOWED_SCHEMES.join(', ')})`);
  }
  if (scheme === 'http' && !LOOPBACK.test(parsed.hostname)) {
    refuse('url', url, 'plain http is allowed only on loopback; use https');
  }
  if (scheme !== 'file' && parsed.hostname === '') refuse('url', url, 'it names no host');
  if (parsed.password !== '')
    refuse('url', redactPassword(parsed), 'credentials in URLs are not allowed (use GITHUB_TOKEN)');
  if (parsed.hostname.startsWith('-')) refuse('url', url, 'its host could be read as an option');
  return url;
}

function redactPassword(url: URL): string {
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

/** True for a full commit id (40 hex digits). */
export function isFullCommit(value: string): boolean {
  return /^[0-9a-f]{40}$/i.test(value);
}

/** Throw E_USAGE unless `commit` is a full 40-hex commit id; returns it in lower case. */
export function validateCommit(commit: string): string {
  if (!isFullCommit(commit)) refuse('commit', commit, 'a commit must be a full 40-hex id');
  return commit.toLowerCase();
}

/** Throw E_USAGE unless `ref` is a 40-hex commit or a plain branch/tag name (git check-ref-format rules). */
export function validateRef(ref: string): string {
  if (ref.startsWith('-')) refuse('ref', ref, 'it could be read as an option');
  if (CONTROL.test(ref)) refuse('ref', ref, 'it contains control characters');
  if (isFullCommit(ref)) return ref.toLowerCase();
  const bad =
    ref === '' ||
    ref === '@' ||
    /[\s~^:?*[\\]/.test(ref) ||
    ref.includes('..') ||
    ref.includes('@{') ||
    ref.includes('//') ||
    ref.startsWith('/') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.endsWith('.lock') ||
    ref.split('/').some((part) => part.startsWith('.'));
  if (bad) refuse('ref', ref, 'not a valid branch or tag name');
  return ref;
}

/** Throw E_USAGE unless `folder` is a relative path inside the repository; returns it without slashes at the ends. */
export function validateSubfolder(folder: string): string {
  if (CONTROL.test(folder)) refuse('subfolder', folder, 'it contains control characters');
  const clean = folder.replace(/^\/+|\/+$/g, '');
  if (
    folder.startsWith('/') ||
    clean === '' ||
    clean.split('/').some((p) => p === '..' || p === '.' || p === '')
  ) {
    refuse('subfolder', folder, 'it must be a relative folder inside the repository');
  }
  return clean;
}
