/**
 * `openmedlab.lock`: pins a team's or a pipeline's files, meant to be committed. JSON (no extra
 * dependency, stable key order, one entry per file, diff-friendly):
 *
 *   { "lockfileVersion": 1, "registryVersion": "2026.12.0",
 *     "files": { "<project>/<checkpoint>/<relPath>": { project, checkpoint, relPath, source, sha256, size } } }
 *
 * It is found in the working directory or a parent (or named with --lock). `get` updates an
 * existing one and never creates one; only `openmedlab lock <id...>` does.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { OmlError } from '../errors.js';
import type { Source } from '../registry/types.js';
import { writeFileAtomic } from './atomic.js';

/** A registry source without its note (distributes over the union, so host fields stay typed). */
export type SourceIdentity = Source extends infer S ? (S extends Source ? Omit<S, 'note'> : never) : never;

export const LOCKFILE_NAME = 'openmedlab.lock';
export const LOCKFILE_VERSION = 1;

/** One pinned file. */
export interface LockEntry {
  project: string;
  checkpoint: string;
  /** Path inside the checkpoint (its filename for single-file checkpoints). */
  relPath: string;
  /** The registry source that served it (without notes). */
  source: SourceIdentity;
  sha256: string;
  size: number;
}

/** The whole lockfile. */
export interface Lockfile {
  lockfileVersion: number;
  registryVersion: string;
  files: Record<string, LockEntry>;
}

/** The key of an entry in `files`. */
export function lockKey(project: string, checkpoint: string, relPath: string): string {
  return `${project}/${checkpoint}/${relPath}`;
}

/** A new, empty lockfile. */
export function emptyLockfile(registryVersion: string): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, registryVersion, files: {} };
}

/** The lockfile to use: `explicit` (resolved against cwd), else the nearest in cwd or a parent. */
export async function findLockfile(cwd: string, explicit?: string): Promise<string | undefined> {
  if (explicit !== undefined) return path.resolve(cwd, explicit);
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, LOCKFILE_NAME);
    try {
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      // not here; try the parent
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Read and check a lockfile; E_CONFIG names the file when it is malformed. */
export async function readLockfile(file: string): Promise<Lockfile> {
  let json: Partial<Lockfile>;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (cause) {
    throw new OmlError('E_CONFIG', `cannot read the lockfile ${file}`, {
      cause,
      hint: 'fix the JSON, or delete it and run `openmedlab lock <id...>` again',
    });
  }
  if (json.lockfileVersion !== LOCKFILE_VERSION || typeof json.files !== 'object' || json.files === null) {
    throw new OmlError('E_CONFIG', `${file} is not an openmedlab lockfile v${LOCKFILE_VERSION}`, {
      hint: 'upgrade openmedlab, or regenerate it with `openmedlab lock <id...>`',
    });
  }
  return {
    lockfileVersion: LOCKFILE_VERSION,
    registryVersion: String(json.registryVersion ?? ''),
    files: json.files,
  };
}

/** Serialise with sorted keys so the file diffs cleanly. */
export function formatLockfile(lock: Lockfile): string {
  const files: Record<string, LockEntry> = {};
  for (const key of Object.keys(lock.files).sort()) {
    const e = lock.files[key]!;
    files[key] = {
      project: e.project,
      checkpoint: e.checkpoint,
      relPath: e.relPath,
      source: e.source,
      sha256: e.sha256,
      size: e.size,
    };
  }
  return `${JSON.stringify({ lockfileVersion: lock.lockfileVersion, registryVersion: lock.registryVersion, files }, null, 2)}\n`;
}

/** Write a lockfile atomically. */
export async function writeLockfile(file: string, lock: Lockfile): Promise<void> {
  await writeFileAtomic(file, formatLockfile(lock));
}

/** A copy of `lock` with `entries` added or replaced; the same object when nothing changed. */
export function withEntries(lock: Lockfile, entries: LockEntry[], registryVersion?: string): Lockfile {
  const files = { ...lock.files };
  let changed = registryVersion !== undefined && registryVersion !== lock.registryVersion;
  for (const e of entries) {
    const key = lockKey(e.project, e.checkpoint, e.relPath);
    const old = files[key];
    if (
      old &&
      old.sha256 === e.sha256 &&
      old.size === e.size &&
      JSON.stringify(old.source) === JSON.stringify(e.source)
    ) {
      continue;
    }
    files[key] = e;
    changed = true;
  }
  return changed ? { ...lock, registryVersion: registryVersion ?? lock.registryVersion, files } : lock;
}

/** The registry source without its note (what the lockfile records). */
export function sourceIdentity(source: Source): SourceIdentity {
  const { note: _note, ...rest } = source;
  return rest as SourceIdentity;
}
