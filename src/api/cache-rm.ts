/**
 * `openmedlab cache rm <id...>`: a project's index records, view folder and code checkout, then the
 * blobs no other project references, and its mirror when no other cached project uses that URL.
 */
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import { registryProjects, resolveIds } from './cache-projects.js';
import { type RemovedItem, removeProjects } from './cache-remove.js';

export type { RemovedItem } from './cache-remove.js';

/** Options of cacheRm. */
export interface CacheRmOptions {
  ctx: Context;
  /** Project ids or aliases. */
  ids: string[];
  /** List what would go, remove nothing. */
  dryRun?: boolean;
}

/** What cache rm returns. */
export interface CacheRmResult {
  root: string;
  projects: string[];
  removed: RemovedItem[];
  /** Bytes freed. */
  bytes: number;
  dryRun: boolean;
}

/** Remove projects from the cache; E_LOCKED when a get is fetching one of them right now. */
export async function cacheRm(options: CacheRmOptions): Promise<CacheRmResult> {
  const { ctx } = options;
  if (options.ids.length === 0) throw new OmlError('E_USAGE', 'cache rm needs at least one project id');
  const registry = await registryProjects(ctx);
  const ids = await resolveIds(ctx, options.ids, registry);
  const { removed, busy } = await removeProjects({
    root: ctx.cacheDir,
    ids,
    registry,
    dryRun: options.dryRun === true,
  });
  if (busy.length > 0) {
    throw new OmlError('E_LOCKED', `${busy.join(', ')}: another openmedlab process is fetching it`, {
      hint: 'wait for that get to finish, then run `openmedlab cache rm` again',
      details: { busy, removed },
    });
  }
  return {
    root: ctx.cacheDir,
    projects: ids,
    removed,
    bytes: removed.reduce((n, r) => n + r.bytes, 0),
    dryRun: options.dryRun === true,
  };
}
