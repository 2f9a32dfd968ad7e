/** Rules beyond the shape: uniqueness, URL schemes, BibTeX that parses. Pure. */
import { parseBlocks } from '../cite/bibtex.js';
import type { SchemaIssue } from './schema-dsl.js';
import type { Artifact, Project, Registry } from './types.js';

const LOOPBACK = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/** True for https URLs, and plain http only on loopback. */
export function isAllowedDownloadUrl(url: string): boolean {
  return url.startsWith('https://') || LOOPBACK.test(url);
}

/** True for a git remote we are willing to clone: https, git, ssh, file, and http on loopback. */
export function isAllowedGitUrl(url: string): boolean {
  return /^(https|git|ssh|file):\/\//.test(url) || LOOPBACK.test(url);
}

/** Check every cross-field rule of a shape-valid registry. */
export function checkRules(registry: Registry): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Map<string, string>();
  registry.projects.forEach((project, p) => {
    const base = ['projects', p];
    for (const [field, name, i] of [
      ['id', project.id, -1] as const,
      ...project.aliases.map((a, i) => ['aliases', a, i] as const),
    ]) {
      const key = name.toLowerCase();
      const owner = seen.get(key);
      const where = i < 0 ? [...base, field] : [...base, field, i];
      if (owner !== undefined)
        issues.push({ path: where, message: `"${name}" is already used by project "${owner}"` });
      else seen.set(key, project.id);
    }
    issues.push(...checkProject(project, base));
  });
  return issues;
}

function checkProject(project: Project, base: Array<string | number>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const ref of ['repo', 'code'] as const) {
    const url = project[ref]?.url;
    if (url !== undefined && !isAllowedGitUrl(url))
      issues.push({
        path: [...base, ref, 'url'],
        message: `"${url}" must be https (plain http only for loopback)`,
      });
  }
  if (project.bibtex !== undefined) {
    try {
      parseBlocks(project.bibtex);
    } catch (error) {
      issues.push({
        path: [...base, 'bibtex'],
        message: `BibTeX does not parse: ${(error as Error).message}`,
      });
    }
  }
  issues.push(...checkArtifacts(project.checkpoints, [...base, 'checkpoints']));
  issues.push(...checkArtifacts(project.datasets, [...base, 'datasets']));
  return issues;
}

function checkArtifacts(artifacts: Artifact[], base: Array<string | number>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const names = new Set<string>();
  artifacts.forEach((artifact, a) => {
    if (names.has(artifact.name))
      issues.push({ path: [...base, a, 'name'], message: `duplicate name "${artifact.name}"` });
    names.add(artifact.name);
    if (artifact.sources.length === 0)
      issues.push({ path: [...base, a, 'sources'], message: 'needs at least one source' });
    artifact.sources.forEach((source, s) => {
      if ('url' in source && source.host !== 'manual' && !isAllowedDownloadUrl(source.url))
        issues.push({
          path: [...base, a, 'sources', s, 'url'],
          message: `"${source.url}" must be https (plain http only for loopback)`,
        });
    });
  });
  return issues;
}
