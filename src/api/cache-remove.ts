/**
 * Removing a project from the cache, shared by `cache rm` and `cache prune`: its index records (under
 * the locks get takes for them), its view folder (with the code checkout), then the blobs no remaining
 * record references, and its git mirrors when no other cached project uses the same URL.
 */
import fs from 'node:fs/promises';
import { acquireLock, type LockHandle } from '../cache/lock.js';
import { blobPath, indexDir, mirrorPath, projectDir } from '../cache/paths.js';
import { blobReferences, cachedProjects, listEntries, walkFiles } from '../cache/scan.js';
import type { Project } from '../registry/types.js';
import { exists, repoUrls } from './cache-projects.js';

/** One thing removed (or, with dryRun, that would be). */
export interface RemovedItem {
  kind: 'record' | 'view' | 'blob' | 'mirror' | 'partial' | 'temp' | 'lock' | 'quarantine';
  path: string;
  /** Bytes freed (files with other hardlinks free nothing and count 0). */
  bytes: number;
  project?: string;
}

/** Bytes a folder frees when removed: files with no other hardlink. */
export async function freedBytes(dir: string): Promise<number> {
  return (await walkFiles(dir)).reduce((n, f) => n + (f.stat.nlink <= 1 ? f.stat.size : 0), 0);
}

/** Take get's lock on every checkpoint of a project (none wait); undefined when one is busy. */
async function lockProject(root: string, id: string): Promise<LockHandle[] | undefined> {
  const held: LockHandle[] = [];
  for (const e of await listEntries(root, id)) {
    const lock = await acquireLock(root, `get-${id}-${e.artifact}`, { waitMs: 0 });
    if (!lock) {
      await Promise.all(held.map((l) => l.release()));
      return undefined;
    }
    held.push(lock);
  }
  return held;
}

/** Options of removeProjects. */
export interface RemoveOptions {
  root: string;
  ids: string[];
  /** Registry projects by id (for their mirror URLs). */
  registry: Map<string, Project>;
  dryRun?: boolean;
}

/** Remove projects; returns what went and the ids skipped because a get was using them. */
export async function removeProjects(
  options: RemoveOptions,
): Promise<{ removed: RemovedItem[]; busy: string[] }> {
  const { root, ids } = options;
  const removed: RemovedItem[] = [];
  const busy: string[] = [];
  const before = await blobReferences(root);
  const gone = new Set<string>();
  for (const id of ids) {
    const locks = options.dryRun ? [] : await lockProject(root, id);
    if (!locks) {
      busy.push(id);
      continue;
    }
    try {
      for (const e of await listEntries(root, id))
        removed.push({
          kind: 'record',
          path: `${indexDir(root, id)}/${e.artifact}.json`,
          bytes: 0,
          project: id,
        });
      const view = projectDir(root, id);
      if (await exists(view))
        removed.push({ kind: 'view', path: view, bytes: await freedBytes(view), project: id });
      if (!options.dryRun) {
        await fs.rm(view, { recursive: true, force: true });
        await fs.rm(indexDir(root, id), { recursive: true, force: true });
      }
      gone.add(id);
    } finally {
      await Promise.all(locks.map((l) => l.release()));
    }
  }
  removed.push(...(await orphanBlobs(root, before, gone, options.dryRun === true)));
  removed.push(...(await orphanMirrors(options, gone)));
  return { removed, busy };
}

/** Blobs only the removed projects referenced. */
async function orphanBlobs(
  root: string,
  before: Awaited<ReturnType<typeof blobReferences>>,
  gone: Set<string>,
  dryRun: boolean,
) {
  const out: RemovedItem[] = [];
  for (const [sha, entries] of before) {
    if (!entries.every((e) => gone.has(e.project))) continue;
    const file = blobPath(root, sha);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) continue;
    out.push({ kind: 'blob', path: file, bytes: stat.size });
    if (!dryRun) await fs.rm(file, { force: true });
  }
  return out;
}

/** Mirrors of removed projects that no other cached project uses (skipped while a fetch holds them). */
async function orphanMirrors(options: RemoveOptions, gone: Set<string>): Promise<RemovedItem[]> {
  const { root, registry } = options;
  const remaining = (await cachedProjects(root)).filter((id) => !gone.has(id));
  const kept = new Set(remaining.flatMap((id) => repoUrls(registry.get(id)).map((r) => r.url)));
  const out: RemovedItem[] = [];
  for (const id of gone) {
    for (const { url } of repoUrls(registry.get(id))) {
      const dir = mirrorPath(root, url);
      if (kept.has(url) || !(await exists(dir)) || out.some((o) => o.path === dir)) continue;
      const lock = options.dryRun ? undefined : await acquireLock(root, `git-${url}`, { waitMs: 0 });
      if (!options.dryRun && !lock) continue;
      try {
        out.push({ kind: 'mirror', path: dir, bytes: await freedBytes(dir), project: id });
        if (!options.dryRun) await fs.rm(dir, { recursive: true, force: true });
      } finally {
        await lock?.release();
      }
    }
  }
  return out;
}
