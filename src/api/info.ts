/** `openmedlab info`: everything about one project, with what each source will need. */
import type { Context } from '../context.js';
import { loadRegistry } from '../registry/load.js';
import { sourceNeeds, sourceUrl } from '../registry/needs.js';
import { findProject } from '../registry/query.js';
import { type Artifact, isNonCommercial, type Project, type Source } from '../registry/types.js';

export interface InfoOptions {
  ctx: Pick<Context, 'registryFile'>;
  /** Project id or alias (case-insensitive). */
  id: string;
}

/** A source as `info` reports it: the registry fields plus a URL and what it needs. */
export type SourceInfo = Source & { openUrl: string; needs: string };

/** An artifact with its sources in try order. */
export type ArtifactInfo = Omit<Artifact, 'sources'> & { sources: SourceInfo[] };

/** The full project record, with derived facts. */
export interface ProjectInfo extends Omit<Project, 'checkpoints' | 'datasets'> {
  nonCommercial: boolean;
  checkpoints: ArtifactInfo[];
  datasets: ArtifactInfo[];
}

const describeArtifact = (artifact: Artifact): ArtifactInfo => ({
  ...artifact,
  sources: artifact.sources.map((source) => ({
    ...source,
    openUrl: sourceUrl(source),
    needs: sourceNeeds(source),
  })),
});

/** Describe one project. */
export function describeProject(project: Project): ProjectInfo {
  return {
    ...project,
    nonCommercial: isNonCommercial(project.license),
    checkpoints: project.checkpoints.map(describeArtifact),
    datasets: project.datasets.map(describeArtifact),
  };
}

/** Load the registry and describe the project with that id or alias. */
export async function info({ ctx, id }: InfoOptions): Promise<ProjectInfo> {
  const { registry } = await loadRegistry(ctx);
  return describeProject(findProject(registry, id));
}
