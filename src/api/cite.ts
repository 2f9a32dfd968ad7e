/** `openmedlab cite`: citations rendered offline from the registry's BibTeX. */
import type { CiteFormat } from '../cite/format.js';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import type { EventSink } from '../events.js';
import { loadRegistry } from '../registry/load.js';
import { findProject } from '../registry/query.js';
import type { Project } from '../registry/types.js';

export interface CiteOptions {
  ctx: Pick<Context, 'registryFile'>;
  /** Project ids or aliases. */
  ids?: string[];
  /** Cite every project that has a BibTeX entry. */
  all?: boolean;
  /** Output format; default bibtex. */
  format?: CiteFormat;
  /** Receives a warning for each project without a citation. */
  events?: EventSink;
}

/** Render the citations of the given projects as one string. */
export async function cite({
  ctx,
  ids = [],
  all = false,
  format = 'bibtex',
  events,
}: CiteOptions): Promise<string> {
  if (!all && ids.length === 0)
    throw new OmlError('E_USAGE', 'name at least one project, or pass --all', {
      hint: 'openmedlab cite medfmc',
    });
  const { registry } = await loadRegistry(ctx);
  const projects = all ? registry.projects : [...new Set(ids.map((id) => findProject(registry, id)))];
  const citable = projects.filter((p): p is Project & { bibtex: string } => p.bibtex !== undefined);
  for (const p of projects) {
    if (p.bibtex === undefined && !all)
      events?.({ type: 'warn', message: `${p.id} publishes no citation; cite its repository ${p.repo.url}` });
  }
  if (citable.length === 0)
    throw new OmlError('E_USAGE', `no citation recorded for ${projects.map((p) => p.id).join(', ')}`, {
      hint: `the project's README has no BibTeX; cite the repository URL instead (openmedlab info ${projects[0]?.id ?? '<id>'})`,
    });
  const { formatCitations } = await import('../cite/format.js');
  return formatCitations(
    citable.map((p) => ({ id: p.id, bibtex: p.bibtex })),
    format,
  );
}
