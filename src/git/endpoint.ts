/** Mirror rewriting for users who cannot reach github.com (OPENMEDLAB_GITHUB_ENDPOINT). */

const GITHUB = 'https://github.com';

/**
 * The URL to fetch a registry URL from: `https://github.com/<path>` becomes `<endpoint>/<path>` when
 * the GitHub endpoint is set to a mirror; anything else is returned unchanged. (git's own
 * `url.<base>.insteadOf` keeps working on top of this, since the system git reads the user's config.)
 */
export function rewriteGithubUrl(url: string, endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  if (base === GITHUB || !url.startsWith(`${GITHUB}/`)) return url;
  return `${base}${url.slice(GITHUB.length)}`;
}
