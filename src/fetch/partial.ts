/**
 * The partial file an interrupted download leaves, and its sidecar: `<key>.partial` holds the bytes
 * received so far, `<key>.partial.json` says what they are (the plan's URL and the validator the
 * server gave). A later run resumes with Range + If-Range only when both agree; its offset is the
 * file's size on disk, never a counter (a crash can lose buffered writes).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { safeKey, tmpDir } from '../cache/paths.js';

/** What the sidecar records. */
export interface PartialInfo {
  url: string;
  etag?: string;
  lastModified?: string;
  total?: number;
}

/** Paths of a partial download. */
export interface PartialPaths {
  file: string;
  sidecar: string;
}

/** Paths for a key; `unique` adds a per-process suffix (used when another process owns the key). */
export function partialPaths(cacheRoot: string, key: string, unique?: string): PartialPaths {
  // Keys come from registry names; anything outside a plain file name is hashed, never a path.
  const name = /^[A-Za-z0-9._-]{1,150}$/.test(key) && !/^\.+$/.test(key) ? key : safeKey(key);
  const base = path.join(tmpDir(cacheRoot), unique ? `${name}.${unique}.partial` : `${name}.partial`);
  return { file: base, sidecar: `${base}.json` };
}

/** The validator to send in If-Range: a strong ETag, else Last-Modified; undefined when neither. */
export function ifRangeValue(info: Pick<PartialInfo, 'etag' | 'lastModified'>): string | undefined {
  if (info.etag && !info.etag.startsWith('W/')) return info.etag;
  return info.lastModified;
}

/** Delete a partial file and its sidecar. */
export async function dropPartial(paths: PartialPaths): Promise<void> {
  await Promise.all([fs.rm(paths.file, { force: true }), fs.rm(paths.sidecar, { force: true })]);
}

/**
 * Where a download of `url` can resume: the partial's size and its validator. A partial without a
 * matching sidecar (other URL, no validator, unreadable) is deleted and the download starts at 0.
 */
export async function readResume(
  paths: PartialPaths,
  url: string,
): Promise<{ offset: number; validator: string; info: PartialInfo } | undefined> {
  let size: number;
  try {
    size = (await fs.stat(paths.file)).size;
  } catch {
    await fs.rm(paths.sidecar, { force: true });
    return undefined;
  }
  try {
    const info = JSON.parse(await fs.readFile(paths.sidecar, 'utf8')) as PartialInfo;
    const validator = ifRangeValue(info);
    if (size > 0 && info.url === url && validator !== undefined) return { offset: size, validator, info };
  } catch {
    // no sidecar or a torn one: the bytes cannot be trusted to belong to this URL
  }
  await dropPartial(paths);
  return undefined;
}

/** Record what the partial file holds (written before the first byte, so a kill leaves it resumable). */
export async function writeSidecar(paths: PartialPaths, info: PartialInfo): Promise<void> {
  if (ifRangeValue(info) === undefined) {
    await fs.rm(paths.sidecar, { force: true });
    return;
  }
  await fs.writeFile(paths.sidecar, JSON.stringify(info));
}
