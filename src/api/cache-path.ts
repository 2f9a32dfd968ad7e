/** `openmedlab cache path [id]`: the cache root, or a project's view folder (an alias resolves to its id). */
import { projectDir } from '../cache/paths.js';
import type { Context } from '../context.js';
import { registryProjects, resolveIds } from './cache-projects.js';

/** Options of cachePath. */
export interface CachePathOptions {
  ctx: Context;
  /** Project id or alias; the root when omitted. */
  id?: string;
}

/** The path asked for (it need not exist yet). */
export async function cachePath(options: CachePathOptions): Promise<string> {
  const { ctx } = options;
  if (options.id === undefined) return ctx.cacheDir;
  const [id] = await resolveIds(ctx, [options.id], await registryProjects(ctx));
  return projectDir(ctx.cacheDir, id as string);
}
