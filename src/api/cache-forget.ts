/**
 * Forgetting a blob everywhere it is referenced: the index records that point to it (so no cache hit
 * can name it again; the next `get` downloads that checkpoint afresh) and the project-view files that
 * are hardlinks of it (same inode: they hold the same corrupt bytes).
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import type { ArtifactEntry } from '../cache/entries.js';
import { entryPath } from '../cache/entries.js';
import { acquireLock } from '../cache/lock.js';
import { projectsRoot } from '../cache/paths.js';
import { walkFiles } from '../cache/scan.js';

/** Remove an index record under the lock get takes for that checkpoint (waits briefly, then removes anyway). */
export async function removeRecord(root: string, entry: ArtifactEntry, waitMs = 5_000): Promise<string> {
  const file = entryPath(root, entry.project, entry.artifact);
  // A get holding the lock is fetching this checkpoint and will write a fresh record: removing the
  // old one is harmless either way, so the lock only keeps us from racing its write.
  const lock = await acquireLock(root, `get-${entry.project}-${entry.artifact}`, { waitMs });
  try {
    await fs.rm(file, { force: true });
  } finally {
    await lock?.release();
  }
  return file;
}

/** Remove every file under projects-v1 that is a hardlink of one of these inodes; returns their paths. */
export async function removeViewLinks(root: string, inodes: Stats[]): Promise<string[]> {
  if (inodes.length === 0) return [];
  const keys = new Set(inodes.map((s) => `${s.dev}:${s.ino}`));
  const removed: string[] = [];
  for (const f of await walkFiles(projectsRoot(root))) {
    if (!keys.has(`${f.stat.dev}:${f.stat.ino}`)) continue;
    await fs.rm(f.path, { force: true });
    removed.push(f.path);
  }
  return removed.sort();
}
