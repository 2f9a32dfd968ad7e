/** `openmedlab list`: project summaries, filtered. */
import type { Context } from '../context.js';
import { loadRegistry } from '../registry/load.js';
import { filterProjects, type ListFilter, type ProjectSummary, summarize } from '../registry/query.js';

export interface ListOptions {
  /** Where the registry comes from (registryFile). */
  ctx: Pick<Context, 'registryFile'>;
  /** Filters; several values of one filter mean OR, different filters AND. */
  filter?: ListFilter;
}

/** List project summaries matching the filter, in registry order. */
export async function listProjects({ ctx, filter = {} }: ListOptions): Promise<ProjectSummary[]> {
  const { registry } = await loadRegistry(ctx);
  return filterProjects(registry, filter).map(summarize);
}
