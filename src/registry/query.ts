/** Queries over a loaded registry: find, filter, search, summarise. Pure. */
import { OmlError } from '../errors.js';
import { suggest } from './suggest.js';
import {
  type Artifact,
  HOSTS,
  type HostName,
  isNonCommercial,
  KINDS,
  MODALITIES,
  type Project,
  type Registry,
} from './types.js';

/** What `list` shows for one project (also the --json shape). */
export interface ProjectSummary {
  id: string;
  name: string;
  kind: string;
  modalities: string[];
  tasks: string[];
  license: string;
  nonCommercial: boolean;
  checkpoints: number;
  datasets: number;
  hosts: HostName[];
  summary: string;
}

/** Filters of `list`: several values of one filter mean OR, different filters mean AND. */
export interface ListFilter {
  modality?: string[];
  task?: string[];
  kind?: string[];
  license?: string[];
  host?: string[];
  hasWeights?: boolean;
}

/** The project's own checkpoints (third-party base models excluded). */
export function ownCheckpoints(project: Project): Artifact[] {
  return project.checkpoints.filter((c) => !c.thirdParty);
}

/** Every host the project's own checkpoints can be fetched from. */
export function projectHosts(project: Project): HostName[] {
  const hosts = new Set(ownCheckpoints(project).flatMap((c) => c.sources.map((s) => s.host)));
  return HOSTS.filter((h) => hosts.has(h));
}

/** Summarise one project for tables and JSON. */
export function summarize(project: Project): ProjectSummary {
  return {
    id: project.id,
    name: project.name,
    kind: project.kind,
    modalities: [...project.modalities],
    tasks: [...project.tasks],
    license: project.license.spdx,
    nonCommercial: isNonCommercial(project.license),
    checkpoints: ownCheckpoints(project).length,
    datasets: project.datasets.length,
    hosts: projectHosts(project),
    summary: project.summary,
  };
}

/** Find a project by id or alias, case-insensitively; unknown -> E_UNKNOWN_PROJECT with suggestions. */
export function findProject(registry: Registry, idOrAlias: string): Project {
  const key = idOrAlias.toLowerCase();
  const found = registry.projects.find((p) => p.id === key || p.aliases.some((a) => a.toLowerCase() === key));
  if (found) return found;
  const names = registry.projects.flatMap((p) => [p.id, ...p.aliases]);
  const ids = suggest(idOrAlias, names).map((name) => findProject(registry, name).id);
  const unique = [...new Set(ids)];
  throw new OmlError('E_UNKNOWN_PROJECT', `unknown project "${idOrAlias}"`, {
    hint: unique.length
      ? `did you mean ${unique.map((id) => `\`${id}\``).join(' or ')}? (\`openmedlab list\` shows every project)`
      : 'run `openmedlab list` or `openmedlab search <words>` to find a project id',
    details: { suggestions: unique },
  });
}

/** Check filter values against closed vocabularies, so a typo is an error rather than an empty list. */
export function checkFilter(filter: ListFilter): void {
  const closed: Array<[keyof ListFilter, readonly string[]]> = [
    ['modality', MODALITIES],
    ['kind', KINDS],
    ['host', HOSTS],
  ];
  for (const [name, vocabulary] of closed) {
    for (const value of (filter[name] as string[] | undefined) ?? []) {
      if (vocabulary.includes(value.toLowerCase())) continue;
      const close = suggest(value, vocabulary);
      throw new OmlError('E_USAGE', `unknown ${name} "${value}"`, {
        hint: `${close.length ? `did you mean ${close.join(' or ')}? ` : ''}one of: ${vocabulary.join(', ')}`,
      });
    }
  }
}

const anyOf = (wanted: string[] | undefined, have: readonly string[]): boolean => {
  if (!wanted || wanted.length === 0) return true;
  const lower = new Set(have.map((h) => h.toLowerCase()));
  return wanted.some((w) => lower.has(w.toLowerCase()));
};

/** Projects matching every given filter, in registry order. */
export function filterProjects(registry: Registry, filter: ListFilter): Project[] {
  checkFilter(filter);
  return registry.projects.filter(
    (p) =>
      anyOf(filter.modality, p.modalities) &&
      anyOf(filter.task, p.tasks) &&
      anyOf(filter.kind, [p.kind]) &&
      anyOf(filter.license, [p.license.spdx]) &&
      anyOf(filter.host, projectHosts(p)) &&
      (!filter.hasWeights || ownCheckpoints(p).length > 0),
  );
}
