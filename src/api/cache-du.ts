/**
 * `openmedlab cache du`: bytes on disk by area of the cache layout (cache/paths.ts) and by project.
 * Views hardlink blobs and checkouts hardlink mirror packs, so every inode is counted once, in the
 * first area that holds it (content, then git mirrors, then the rest); a project's `own` bytes are
 * those no other area already holds (copies, its code checkout's working files).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { projectDir } from '../cache/paths.js';
import { cachedProjects, InodeSet, sizeOf, walkFiles } from '../cache/scan.js';
import type { Context } from '../context.js';

/** Bytes and file count. */
export interface Usage {
  bytes: number;
  files: number;
}

/** The areas of the layout, in counting order. */
export const AREAS = {
  content: 'content-v1',
  git: 'git-v1',
  quarantine: 'quarantine-v1',
  partial: 'tmp-v1',
  index: 'index-v1',
  locks: 'locks-v1',
  projects: 'projects-v1',
} as const;

/** What cache du returns. */
export interface CacheDuResult {
  root: string;
  areas: Record<keyof typeof AREAS | 'other', Usage>;
  /** Per project view: `bytes` as the folder appears (each inode once), `own` not held elsewhere. */
  projects: Array<{ id: string; bytes: number; own: number; files: number }>;
  total: Usage;
}

/** Options of cacheDu. */
export interface CacheDuOptions {
  ctx: Context;
}

/** Usage of files outside the known areas. */
async function otherUsage(root: string, seen: InodeSet): Promise<Usage> {
  const known = new Set<string>(Object.values(AREAS));
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const usage: Usage = { bytes: 0, files: 0 };
  for (const name of names.filter((n) => !known.has(n))) {
    const full = path.join(root, name);
    const stat = await fs.lstat(full).catch(() => undefined);
    const files = stat?.isDirectory() ? await walkFiles(full) : stat?.isFile() ? [{ path: full, stat }] : [];
    for (const f of files) {
      usage.files++;
      if (seen.add(f.stat)) usage.bytes += f.stat.size;
    }
  }
  return usage;
}

/** Measure the cache; see the module comment. */
export async function cacheDu(options: CacheDuOptions): Promise<CacheDuResult> {
  const root = options.ctx.cacheDir;
  const seen = new InodeSet();
  const areas = {} as CacheDuResult['areas'];
  const projects: CacheDuResult['projects'] = [];
  for (const [area, folder] of Object.entries(AREAS) as Array<[keyof typeof AREAS, string]>) {
    if (area !== 'projects') {
      areas[area] = await sizeOf(path.join(root, folder), seen);
      continue;
    }
    const usage: Usage = { bytes: 0, files: 0 };
    for (const id of await cachedProjects(root)) {
      const own = await sizeOf(projectDir(root, id), seen);
      const apparent = await sizeOf(projectDir(root, id), new InodeSet());
      if (apparent.files === 0) continue;
      projects.push({ id, bytes: apparent.bytes, own: own.bytes, files: apparent.files });
      usage.bytes += own.bytes;
      usage.files += own.files;
    }
    areas.projects = usage;
  }
  areas.other = await otherUsage(root, seen);
  const all = Object.values(areas);
  return {
    root,
    areas,
    projects,
    total: { bytes: all.reduce((n, u) => n + u.bytes, 0), files: all.reduce((n, u) => n + u.files, 0) },
  };
}
