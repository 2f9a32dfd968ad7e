/** The whole code step for one repository: mirror, checkout, submodules (recursively), LFS. */
import path from 'node:path';
import type { Context } from '../context.js';
import type { EventSink } from '../events.js';
import type { RetryPolicy } from '../fetch/retry.js';
import { checkoutFromMirror } from './checkout.js';
import { rewriteGithubUrl } from './endpoint.js';
import { handleLfs, type LfsReport } from './lfs.js';
import { ensureMirror, type MirrorStrategy } from './mirror.js';
import { type GitContext, redact, secretsOf } from './run.js';
import { listSubmodules, registerSubmodules } from './submodules.js';

/** Options of materializeRepo. */
export interface MaterializeOptions {
  ctx: GitContext & Pick<Context, 'cacheDir'>;
  /** Repository URL as the registry names it. */
  url: string;
  commit: string;
  dest: string;
  subfolder?: string | undefined;
  /** Replace an existing checkout at another commit (cache-owned folders). */
  replace?: boolean | undefined;
  events?: EventSink | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  signal?: AbortSignal | undefined;
}

/** One submodule as materialised. */
export interface SubmoduleResult {
  path: string;
  url: string;
  commit: string;
  strategy: MirrorStrategy;
}

/** What materializeRepo did. */
export interface MaterializeResult {
  /** The URL fetched from (after OPENMEDLAB_GITHUB_ENDPOINT rewriting), credentials redacted. */
  fetchUrl: string;
  commit: string;
  path: string;
  strategy: MirrorStrategy;
  /** The destination already was this checkout. */
  reused: boolean;
  submodules: SubmoduleResult[];
  lfs: LfsReport;
}

const MAX_SUBMODULE_DEPTH = 5;

/** Mirror `url`, check `commit` out at `dest`, then its submodules and LFS files. */
export async function materializeRepo(options: MaterializeOptions, depth = 0): Promise<MaterializeResult> {
  const { ctx, events } = options;
  const fetchUrl = rewriteGithubUrl(options.url, ctx.endpoints.github);
  const mirror = await ensureMirror({ ...options, fetchUrl });
  const submodules: SubmoduleResult[] = [];
  let lfs: LfsReport = { installed: false, pulled: false, pointers: [] };
  const checkout = await checkoutFromMirror({
    ctx,
    mirror: mirror.path,
    commit: mirror.commit,
    dest: options.dest,
    originUrl: fetchUrl,
    subfolder: options.subfolder,
    replace: options.replace,
    events,
    finish: async (dir) => {
      const subs =
        depth < MAX_SUBMODULE_DEPTH ? await listSubmodules(ctx, dir, mirror.commit, options.url) : [];
      for (const sub of subs) {
        const done = await materializeRepo(
          {
            ...options,
            url: sub.url,
            commit: sub.commit,
            dest: path.join(dir, sub.path),
            subfolder: undefined,
          },
          depth + 1,
        );
        submodules.push({ path: sub.path, url: done.fetchUrl, commit: sub.commit, strategy: done.strategy });
        submodules.push(...done.submodules.map((s) => ({ ...s, path: `${sub.path}/${s.path}` })));
      }
      await registerSubmodules(ctx, dir, subs, events);
      lfs = await handleLfs({ ctx, dir, subfolder: options.subfolder, events });
    },
  });
  return {
    fetchUrl: redact(fetchUrl, secretsOf(ctx)),
    commit: mirror.commit,
    path: checkout.path,
    strategy: mirror.strategy,
    reused: checkout.reused,
    submodules,
    lfs,
  };
}
