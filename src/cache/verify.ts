/**
 * Verify on read as well as on write (cacache lib/content/read.js): a blob is re-hashed before it is
 * handed out, and a corrupt one is moved aside to quarantine-v1 so it is never served again.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { IntegrityError } from '../errors.js';
import { sha256File } from './digest.js';
import { blobPath, quarantineDir } from './paths.js';

/** What a blob is expected to be. */
export interface Expected {
  /** sha256, lowercase hex. */
  sha256?: string;
  /** Size in bytes. */
  size?: number;
}

/** Throw an IntegrityError when a measured size or digest differs from what was expected. */
export function checkIntegrity(
  what: string,
  found: { sha256: string; size: number },
  expected: Expected,
): void {
  if (expected.size !== undefined && found.size !== expected.size) {
    throw new IntegrityError(what, `${expected.size} bytes`, `${found.size} bytes`, {
      details: { kind: 'size', sha256: found.sha256 },
    });
  }
  if (expected.sha256 !== undefined && found.sha256 !== expected.sha256.toLowerCase()) {
    throw new IntegrityError(what, `sha256:${expected.sha256.toLowerCase()}`, `sha256:${found.sha256}`, {
      details: { kind: 'sha256', size: found.size },
    });
  }
}

/** Move a blob to quarantine-v1 (best effort: a concurrent reader may already have moved it). */
export async function quarantineBlob(cacheRoot: string, sha256: string): Promise<string | undefined> {
  const dir = quarantineDir(cacheRoot);
  await fs.mkdir(dir, { recursive: true });
  const target = path.join(dir, `${sha256}.${Date.now()}`);
  try {
    await fs.rename(blobPath(cacheRoot, sha256), target);
    return target;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Re-hash the blob `sha256` (and check its size when given); returns its path and size. A blob whose
 * content no longer matches its name is quarantined and an IntegrityError is thrown; a missing blob
 * throws ENOENT as a plain Node error (the caller re-downloads).
 */
export async function verifyBlob(
  cacheRoot: string,
  sha256: string,
  size?: number,
): Promise<{ blobPath: string; size: number }> {
  const file = blobPath(cacheRoot, sha256);
  const found = await sha256File(file);
  try {
    checkIntegrity(`cached blob ${file}`, found, { sha256, ...(size === undefined ? {} : { size }) });
  } catch (error) {
    const moved = await quarantineBlob(cacheRoot, sha256);
    if (error instanceof IntegrityError && moved) error.details.quarantined = moved;
    throw error;
  }
  return { blobPath: file, size: found.size };
}

/** Verify-on-read: the path of a blob whose content has just been checked against its name. */
export async function readVerified(cacheRoot: string, sha256: string, size?: number): Promise<string> {
  return (await verifyBlob(cacheRoot, sha256, size)).blobPath;
}
