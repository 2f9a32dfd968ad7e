/** GitHub release assets. */
import type { GithubReleaseSource } from '../../registry/types.js';
import type { HostAdapter } from './adapter.js';
import { encodePath } from './adapter.js';

/** `<github>/<owner>/<repo>/releases/download/<tag>/<asset>`; GitHub redirects to its CDN. */
export const githubReleaseAdapter: HostAdapter<GithubReleaseSource> = (source, ctx) => ({
  kind: 'file',
  plan: {
    host: 'github-release',
    url: `${ctx.endpoints.github}/${encodePath(source.repo)}/releases/download/${encodeURIComponent(source.tag)}/${encodeURIComponent(source.asset)}`,
    headers: {},
    filename: source.asset,
  },
});
