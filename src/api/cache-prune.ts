/**
 * `openmedlab cache prune`: projects not used within the window (except --keep), then stale partial
 * downloads, stale locks, blobs no index record references, and old quarantine files. Nothing in use
 * is removed: projects, partials and mirrors are taken under the same locks get takes (a busy one is
 * skipped), and an unreferenced blob younger than a grace period may belong to a get that has not
 * written its record yet.
 */

import { projectDir } from '../cache/paths.js';
import { cachedProjects } from '../cache/scan.js';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import { lastUsed, registryProjects, resolveIds } from './cache-projects.js';
import { pruneLocks, prunePartials, pruneQuarantine, pruneUnreferenced } from './cache-prune-files.js';
import { type RemovedItem, removeProjects } from './cache-remove.js';

/** Options of cachePrune. */
export interface CachePruneOptions {
  ctx: Context;
  /** Window in ms (default 30 days): what was not used within it goes. */
  olderThanMs?: number;
  /** Project ids or aliases never removed. */
  keep?: string[];
  /** List what would go (with sizes), remove nothing. */
  dryRun?: boolean;
  /** Unreferenced blobs younger than this are kept (default 1 h; a get may be about to record them). */
  graceMs?: number;
  /** The clock (tests). */
  now?: number;
}

/** What cache prune returns. */
export interface CachePruneResult {
  root: string;
  dryRun: boolean;
  olderThanMs: number;
  /** Projects removed (or that would be). */
  projects: string[];
  /** Projects skipped because a get holds them. */
  busy: string[];
  removed: RemovedItem[];
  bytes: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Parse a window like `30d`, `12h`, `90m`, `45s` or `2w` into ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i.exec(text.trim());
  if (!m) {
    throw new OmlError('E_USAGE', `--older-than must look like 30d, 12h, 90m or 2w, not "${text}"`);
  }
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY }[m[2]!.toLowerCase() as 's'];
  return Number(m[1]) * unit;
}

/** Cached projects whose last use is before the cutoff, except `keep`. */
async function unusedProjects(root: string, cutoff: number, keep: Set<string>): Promise<string[]> {
  const out: string[] = [];
  for (const id of await cachedProjects(root)) {
    if (keep.has(id)) continue;
    const used = await lastUsed(root, id, projectDir(root, id));
    if (used === undefined || used < cutoff) out.push(id);
  }
  return out;
}

/** Prune the cache; see the module comment. */
export async function cachePrune(options: CachePruneOptions): Promise<CachePruneResult> {
  const { ctx } = options;
  const root = ctx.cacheDir;
  const now = options.now ?? Date.now();
  const olderThanMs = options.olderThanMs ?? 30 * DAY;
  const cutoff = now - olderThanMs;
  const dryRun = options.dryRun === true;
  const registry = await registryProjects(ctx);
  const keep = new Set(options.keep?.length ? await resolveIds(ctx, options.keep, registry) : []);
  const ids = await unusedProjects(root, cutoff, keep);
  const { removed, busy } = await removeProjects({ root, ids, registry, dryRun });
  const gone = new Set(ids.filter((id) => !busy.includes(id)));
  const files = { root, cutoff, now, dryRun };
  removed.push(...(await prunePartials(files)));
  removed.push(...(await pruneLocks(files)));
  const already = new Set(removed.map((r) => r.path));
  const graceMs = options.graceMs ?? 3_600_000;
  removed.push(...(await pruneUnreferenced({ ...files, graceMs, gone, already })));
  removed.push(...(await pruneQuarantine(files)));
  return {
    root,
    dryRun,
    olderThanMs,
    projects: [...gone],
    busy,
    removed,
    bytes: removed.reduce((n, r) => n + r.bytes, 0),
  };
}
