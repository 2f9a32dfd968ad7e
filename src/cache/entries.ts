/**
 * Index records (`<root>/index-v1/<project>/<artifact>.json`): which blob(s) an artifact resolved to,
 * from which source, when. They make a cache hit possible without the network for files the
 * registry does not pin; the blobs themselves are still verified on read.
 */
import path from 'node:path';
import { readJson, writeFileAtomic } from './atomic.js';
import { indexDir } from './paths.js';

/** One file of an artifact. */
export interface EntryFile {
  /** Path inside the artifact's folder (its filename for a single file). */
  relPath: string;
  sha256: string;
  size: number;
  /** md5 announced by the host (Zenodo), recorded for reference. */
  md5?: string;
  /** How it was verified when it was fetched (registry, lock, tofu, first-use, server-digest). */
  verifiedBy?: string;
}

/** What an artifact resolved to. */
export interface ArtifactEntry {
  formatVersion: 1;
  project: string;
  artifact: string;
  /** checkpoints | datasets */
  section: 'checkpoints' | 'datasets';
  /** Source that served it (as text: host and its main field). */
  source: string;
  /** Index of that source in the artifact's list. */
  sourceIndex: number;
  files: EntryFile[];
  fetchedAt: string;
  /** When `cache verify` last re-hashed every file of it (fetchedAt is the verify-on-write time). */
  verifiedAt?: string;
  /** How it was last verified after the download: `cache-verify`. */
  verifiedHow?: 'cache-verify';
}

/** Path of an artifact's index record. */
export function entryPath(cacheRoot: string, project: string, artifact: string): string {
  return path.join(indexDir(cacheRoot, project), `${artifact}.json`);
}

/** Read an artifact's index record; undefined when there is none or it has another format. */
export async function readEntry(
  cacheRoot: string,
  project: string,
  artifact: string,
): Promise<ArtifactEntry | undefined> {
  const entry = await readJson<ArtifactEntry>(entryPath(cacheRoot, project, artifact));
  return entry?.formatVersion === 1 && Array.isArray(entry.files) ? entry : undefined;
}

/** Write an artifact's index record atomically. */
export async function writeEntry(cacheRoot: string, entry: ArtifactEntry): Promise<void> {
  await writeFileAtomic(
    entryPath(cacheRoot, entry.project, entry.artifact),
    `${JSON.stringify(entry, null, 2)}\n`,
  );
}
