/**
 * Put a checkpoint's verified blobs where the user reads them: the per-project view in the cache
 * (`projects-v1/<project>/checkpoints/`) or --dest. Single files go by filename; files of a
 * listing and extracted archives go in a folder named after the checkpoint.
 */
import path from 'node:path';
import { extractArchive } from '../cache/archive.js';
import { isSafeRelative } from '../cache/archive-paths.js';
import { materialize } from '../cache/materialize.js';
import { projectDir } from '../cache/paths.js';
import { OmlError } from '../errors.js';
import type { Artifact } from '../registry/types.js';
import type { FetchedFile } from './get-file.js';
import type { FileResult } from './get-types.js';

/** The folder checkpoints are placed in. */
export function checkpointsDir(root: string, project: string, dest: string | undefined): string {
  return dest ?? path.join(projectDir(root, project), 'checkpoints');
}

/** Place a checkpoint; returns its path and each file's path. */
export async function placeCheckpoint(
  base: string,
  artifact: Artifact,
  files: FetchedFile[],
  single: boolean,
): Promise<{ path: string; files: FileResult[] }> {
  const archive = artifact.archive && artifact.archive !== 'none' ? artifact.archive : undefined;
  const first = files[0];
  if (single && archive && first) {
    const dir = path.join(base, artifact.name);
    await extractArchive({ file: first.blobPath, kind: archive, dest: dir, sha256: first.sha256 });
    return { path: dir, files: files.map((f) => ({ ...strip(f), path: dir })) };
  }
  const root = single ? base : path.join(base, artifact.name);
  const out: FileResult[] = [];
  for (const f of files) {
    if (!isSafeRelative(f.relPath))
      throw new OmlError('E_HOST', `refusing a file path outside the folder: ${f.relPath}`);
    const target = path.join(root, f.relPath);
    await materialize({ blob: f.blobPath, dest: target });
    out.push({ ...strip(f), path: target });
  }
  return { path: single && out[0] ? out[0].path : root, files: out };
}

/** A fetched file without its blob path (results name the placed file). */
function strip(f: FetchedFile): Omit<FileResult, 'path'> {
  return {
    relPath: f.relPath,
    size: f.size,
    sha256: f.sha256,
    verifiedBy: f.verifiedBy,
    fromCache: f.fromCache,
  };
}
