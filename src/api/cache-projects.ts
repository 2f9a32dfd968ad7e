/**
 * What the `cache` commands need to know about projects: which ids the cache holds, which the user
 * means (ids or aliases through the registry; a cached id the registry no longer has still counts),
 * and which repository URLs (git mirrors) each project uses.
 */
import fs from 'node:fs/promises';
import { mirrorPath, usedMarkerPath } from '../cache/paths.js';
import { cachedProjects, listEntries } from '../cache/scan.js';
import type { Context } from '../context.js';
import { loadRegistry } from '../registry/load.js';
import { findProject } from '../registry/query.js';
import type { Project, Registry } from '../registry/types.js';

/** Registry projects by id; empty when the registry cannot be read (cache commands still work). */
export async function registryProjects(ctx: Context): Promise<Map<string, Project>> {
  try {
    const { registry } = await loadRegistry(ctx);
    return new Map(registry.projects.map((p) => [p.id, p]));
  } catch {
    return new Map();
  }
}

/** The cached project ids the user named (default: every cached project). */
export async function resolveIds(
  ctx: Context,
  ids: string[] | undefined,
  projects: Map<string, Project>,
): Promise<string[]> {
  const cached = await cachedProjects(ctx.cacheDir);
  if (!ids || ids.length === 0) return cached;
  const out = ids.map((id) => {
    if (cached.includes(id)) return id;
    // an alias, or a project not cached yet (an unknown name gets the registry's did-you-mean)
    const registry: Registry = { schemaVersion: 1, version: '', projects: [...projects.values()] };
    return findProject(registry, id).id;
  });
  return [...new Set(out)];
}

/** The repository URLs a project's mirrors are keyed by (its code repository, then its repo). */
export function repoUrls(project: Project | undefined): Array<{ url: string; commit: string }> {
  if (!project) return [];
  const list = [project.code, project.repo].filter((r) => r !== undefined);
  const seen = new Set<string>();
  return list
    .filter((r) => !seen.has(r.url) && seen.add(r.url))
    .map((r) => ({ url: r.url, commit: r.commit }));
}

/** True when the path exists. */
export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Mirror paths (that exist) used by any of these projects. */
export async function mirrorsOf(root: string, projects: Array<Project | undefined>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const p of projects)
    for (const r of repoUrls(p)) if (await exists(mirrorPath(root, r.url))) out.add(mirrorPath(root, r.url));
  return out;
}

/** When a project was last used: the last-used marker, else its newest record, else its folder's mtime. */
export async function lastUsed(root: string, project: string, viewDir: string): Promise<number | undefined> {
  const marker = await fs.stat(usedMarkerPath(root, project)).catch(() => undefined);
  if (marker) return marker.mtimeMs;
  const times = (await listEntries(root, project)).map((e) => Date.parse(e.fetchedAt)).filter((t) => t > 0);
  if (times.length) return Math.max(...times);
  return (await fs.stat(viewDir).catch(() => undefined))?.mtimeMs;
}

/** Record that a project was used now (get, cache hits): one utimes on an empty marker file. */
export async function markUsed(root: string, project: string): Promise<void> {
  const file = usedMarkerPath(root, project);
  const now = new Date();
  try {
    await fs.utimes(file, now, now);
  } catch {
    await fs.writeFile(file, '').catch(() => {}); // best effort: never fail a get over bookkeeping
  }
}
