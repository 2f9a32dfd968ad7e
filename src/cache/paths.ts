/**
 * The cache layout, in one place. Folder names carry a format version so a future layout can live
 * beside this one (cacache's content-v2). Everything below <root> is owned by openmedlab:
 *
 *   <root>/content-v1/sha256/<aa>/<bb>/<hex>     verified blobs, named by their sha256 (read-only files)
 *   <root>/tmp-v1/<key>.partial                   a download in progress (resumable), never handed out
 *   <root>/tmp-v1/<key>.partial.json              what the partial file is: url, ETag, Last-Modified
 *   <root>/index-v1/<project>/<artifact>.json     which blob(s) an artifact resolved to, from which source
 *   <root>/index-v1/<project>/.used               empty marker; its mtime is when the project was last used
 *   <root>/projects-v1/<project>/checkpoints/...  the per-project view: files by their registry filename
 *   <root>/projects-v1/<project>/datasets/...     (hardlinks into content-v1, copies as fallback)
 *   <root>/projects-v1/<project>/code/            the code checkout at the pinned commit
 *   <root>/git-v1/<sha256(url)[0:16]>.git         one bare mirror per repository URL
 *   <root>/locks-v1/<key>.lock                    inter-process locks (pid + host + time inside; e.g.
 *                                                 get-<project>-<checkpoint>.lock, dl-<key>.lock, git-<url>)
 *   <root>/quarantine-v1/<sha256>.<time>          blobs that failed verify-on-read (never handed out)
 *
 * Outside the cache, in the data dir (it must survive `cache prune`):
 *   <data>/trust-v1/<key>.json                    trust-on-first-use records: sha256, size, source, firstSeen
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** Path of a blob in the content-addressed store. */
export function blobPath(root: string, sha256: string): string {
  return path.join(root, 'content-v1', 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Folder for partial downloads. */
export function tmpDir(root: string): string {
  return path.join(root, 'tmp-v1');
}

/** Folder for index records of one project. */
export function indexDir(root: string, projectId: string): string {
  return path.join(root, 'index-v1', projectId);
}

/** The per-project view folder. */
export function projectDir(root: string, projectId: string): string {
  return path.join(root, 'projects-v1', projectId);
}

/** Folder of bare git mirrors. */
export function gitDir(root: string): string {
  return path.join(root, 'git-v1');
}

/** The bare mirror for one repository URL. */
export function mirrorPath(root: string, url: string): string {
  return path.join(gitDir(root), `${createHash('sha256').update(url).digest('hex').slice(0, 16)}.git`);
}

/** Folder for lock files. */
export function locksDir(root: string): string {
  return path.join(root, 'locks-v1');
}

/** A filesystem-safe key for a string (URL, project/artifact pair). */
export function safeKey(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

/** Folder where corrupt blobs found on read are moved (kept for inspection, never handed out). */
export function quarantineDir(root: string): string {
  return path.join(root, 'quarantine-v1');
}

/** Marker whose mtime records when a project was last used (get, cache hit); see api/cache-usage.ts. */
export function usedMarkerPath(root: string, projectId: string): string {
  return path.join(indexDir(root, projectId), '.used');
}

/** Folder of all index records (one subfolder per project). */
export function indexRoot(root: string): string {
  return path.join(root, 'index-v1');
}

/** Folder of all per-project views. */
export function projectsRoot(root: string): string {
  return path.join(root, 'projects-v1');
}

/** Folder of the content-addressed blobs. */
export function contentRoot(root: string): string {
  return path.join(root, 'content-v1', 'sha256');
}
