/** `get --dry-run`: what would be fetched, from where, and what the cache already holds; no network. */
import type { Context } from '../context.js';
import { planSource } from '../fetch/hosts/index.js';
import type { Artifact } from '../registry/types.js';
import { lookupCache } from './get-cache.js';
import { type PinContext, pinFor } from './get-pins.js';
import { isSingleFile } from './get-sources.js';
import type { PlannedCheckpoint } from './get-types.js';

/** One source as the plan shows it. */
function describe(
  ctx: Context,
  source: Artifact['sources'][number],
): { host: string; url: string; kind: string } {
  try {
    const plan = planSource(source, ctx);
    if (plan.kind === 'file') return { host: source.host, url: plan.plan.url, kind: 'file' };
    if (plan.kind === 'listing') return { host: source.host, url: plan.listing.url, kind: 'listing' };
    if (plan.kind === 'manual') return { host: source.host, url: plan.url, kind: 'manual' };
    return { host: source.host, url: plan.path, kind: 'in-repo' };
  } catch (error) {
    return { host: source.host, url: (error as Error).message, kind: 'invalid' };
  }
}

/** The plan of each checkpoint (cache hits are checked by presence, not re-hashed). */
export async function planCheckpoints(
  ctx: Context,
  pc: PinContext,
  artifacts: Artifact[],
): Promise<PlannedCheckpoint[]> {
  const out: PlannedCheckpoint[] = [];
  for (const a of artifacts) {
    const single = isSingleFile(a);
    const pin = single ? await pinFor(pc, a, undefined) : undefined;
    const hit = await lookupCache(ctx.cacheDir, pc, a, single, false);
    out.push({
      checkpoint: a.name,
      filename: a.filename ?? hit?.[0]?.relPath,
      size: a.size ?? pin?.size ?? hit?.reduce((n, f) => n + f.size, 0),
      pinnedBy: pin?.by,
      cached: hit !== undefined,
      sources: a.sources.map((s) => describe(ctx, s)),
    });
  }
  return out;
}
