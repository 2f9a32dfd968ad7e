/** `openmedlab search`: ranked matches. */
import type { Context } from '../context.js';
import { loadRegistry } from '../registry/load.js';
import { type ProjectSummary, summarize } from '../registry/query.js';
import { searchProjects } from '../registry/search.js';

export interface SearchOptions {
  ctx: Pick<Context, 'registryFile'>;
  /** Words; every word must match somewhere. */
  words: string[];
}

/** A ranked search result. */
export interface SearchResult extends ProjectSummary {
  score: number;
  matched: string[];
}

/** Search projects by id, aliases, name, summary, tasks, modalities, organs and paper title. */
export async function search({ ctx, words }: SearchOptions): Promise<SearchResult[]> {
  const { registry } = await loadRegistry(ctx);
  return searchProjects(registry, words).map((hit) => ({
    ...summarize(hit.project),
    score: hit.score,
    matched: hit.matched,
  }));
}
