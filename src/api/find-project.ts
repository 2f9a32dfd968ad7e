/** `findProject` for library users: load the registry and look a project up by id or alias. */
import type { Context } from '../context.js';
import { loadRegistry } from '../registry/load.js';
import { findProject as lookupProject } from '../registry/query.js';
import type { Project } from '../registry/types.js';

/** Options of findProject. */
export interface FindProjectOptions {
  /** Where the registry comes from (`registryFile`; the bundled registry when unset). */
  ctx: Pick<Context, 'registryFile'>;
  /** Project id or alias, case-insensitive. */
  id: string;
}

/** The registry record of one project; unknown ids reject with E_UNKNOWN_PROJECT (and suggestions). */
export async function findProject({ ctx, id }: FindProjectOptions): Promise<Project> {
  const { registry } = await loadRegistry(ctx);
  return lookupProject(registry, id);
}
