/**
 * Read-only walks over the cache (layout in cache/paths.ts) for the `cache` commands: blobs, index
 * records, cached projects, and file trees sized by inode so hardlinks are counted once.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type ArtifactEntry, readEntry } from './entries.js';
import { contentRoot, indexDir, indexRoot, projectsRoot } from './paths.js';

/** A file found by a walk (symlinks are reported, never followed). */
export interface WalkedFile {
  path: string;
  stat: Stats;
}

/** Every regular file under `dir` (none when it does not exist). */
export async function walkFiles(dir: string): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat) continue; // removed meanwhile
    if (stat.isDirectory()) out.push(...(await walkFiles(file)));
    else if (stat.isFile()) out.push({ path: file, stat });
  }
  return out;
}

/** Tracks inodes already counted, so hardlinked files add their bytes once. */
export class InodeSet {
  private readonly seen = new Set<string>();

  /** True the first time this file's inode is offered. */
  add(stat: Stats): boolean {
    const key = `${stat.dev}:${stat.ino}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  /** True when the inode was counted already. */
  has(stat: Stats): boolean {
    return this.seen.has(`${stat.dev}:${stat.ino}`);
  }
}

/** Bytes and files under `dir`, each inode counted once across calls sharing `seen`. */
export async function sizeOf(dir: string, seen: InodeSet): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const f of await walkFiles(dir)) {
    files++;
    if (seen.add(f.stat)) bytes += f.stat.size;
  }
  return { bytes, files };
}

/** A blob of the store. */
export interface BlobInfo {
  sha256: string;
  path: string;
  stat: Stats;
}

/** Every blob in content-v1 (files whose name is not a sha256 are skipped). */
export async function listBlobs(root: string): Promise<BlobInfo[]> {
  const files = await walkFiles(contentRoot(root));
  return files
    .filter((f) => /^[0-9a-f]{64}$/.test(path.basename(f.path)))
    .map((f) => ({ sha256: path.basename(f.path), path: f.path, stat: f.stat }));
}

/** Sub-folder names of a folder (none when it does not exist). */
async function subdirs(dir: string): Promise<string[]> {
  const list = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return list.filter((d) => d.isDirectory()).map((d) => d.name);
}

/** Ids of the projects the cache holds anything for (index records or a view folder), sorted. */
export async function cachedProjects(root: string): Promise<string[]> {
  const ids = new Set([...(await subdirs(indexRoot(root))), ...(await subdirs(projectsRoot(root)))]);
  return [...ids].sort();
}

/** The index records of one project, by artifact name. */
export async function listEntries(root: string, project: string): Promise<ArtifactEntry[]> {
  const names = await fs.readdir(indexDir(root, project)).catch(() => [] as string[]);
  const out: ArtifactEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const entry = await readEntry(root, project, name.slice(0, -'.json'.length)).catch(() => undefined);
    if (entry) out.push(entry);
  }
  return out;
}

/** sha256 -> the records referencing it, over every project in the cache. */
export async function blobReferences(root: string): Promise<Map<string, ArtifactEntry[]>> {
  const refs = new Map<string, ArtifactEntry[]>();
  for (const project of await cachedProjects(root)) {
    for (const entry of await listEntries(root, project)) {
      for (const f of entry.files) refs.set(f.sha256, [...(refs.get(f.sha256) ?? []), entry]);
    }
  }
  return refs;
}
