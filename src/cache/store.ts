/**
 * The content-addressed store (layout in cache/paths.ts). Blobs are named by their sha256, written
 * to a temp file in the cache first, checked, then renamed atomically; "already exists" is success
 * (cacache lib/content/write.js, pnpm writeBufferToCafs). Downloads go through fetch/download.ts;
 * this module holds the commit step and the import of local files.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createSha256 } from './digest.js';
import { blobPath, tmpDir } from './paths.js';
import { checkIntegrity, type Expected } from './verify.js';

export type { Expected } from './verify.js';

/** True when the store holds a blob with this sha256 (no content check; see verifyBlob). */
export async function hasBlob(cacheRoot: string, sha256: string): Promise<boolean> {
  try {
    return (await fs.stat(blobPath(cacheRoot, sha256))).isFile();
  } catch {
    return false;
  }
}

/** A unique temp file name inside the cache (same filesystem as content-v1, so rename is atomic). */
export async function tempPath(cacheRoot: string, prefix: string): Promise<string> {
  const dir = tmpDir(cacheRoot);
  await fs.mkdir(dir, { recursive: true });
  return path.join(dir, `${prefix}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Move a checked temp file into the store under `sha256`, read-only. When the blob already exists the
 * temp file is deleted and that is success: both have the same content by construction.
 */
export async function commitBlob(cacheRoot: string, tmpFile: string, sha256: string): Promise<string> {
  const target = blobPath(cacheRoot, sha256);
  if (await hasBlob(cacheRoot, sha256)) {
    await fs.rm(tmpFile, { force: true });
    return target;
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.chmod(tmpFile, 0o444);
  try {
    await fs.rename(tmpFile, target);
  } catch (error) {
    // Windows refuses to replace a file another process just committed; same content, so fine.
    if (!(await hasBlob(cacheRoot, sha256))) throw error;
    await fs.rm(tmpFile, { force: true });
  }
  return target;
}

/** Copy a file into `tmpFile` while hashing it, in one pass; returns its sha256 and size. */
async function copyHashing(source: string, tmpFile: string): Promise<{ sha256: string; size: number }> {
  const input = await fs.open(source, 'r');
  const output = await fs.open(tmpFile, 'w');
  try {
    const hash = createSha256();
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    let size = 0;
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, buffer.length, size);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      await output.write(chunk, 0, bytesRead, size);
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await Promise.all([input.close(), output.close()]);
  }
}

/**
 * Bring a local file into the store (`openmedlab cache import`) with the same checks as a download:
 * hashed while copied, size and sha256 checked against `expected`, committed atomically.
 */
export async function importFile(
  cacheRoot: string,
  filePath: string,
  expected: Expected = {},
): Promise<{ sha256: string; size: number; blobPath: string }> {
  const tmp = await tempPath(cacheRoot, 'import');
  try {
    const found = await copyHashing(filePath, tmp);
    checkIntegrity(filePath, found, expected);
    return { ...found, blobPath: await commitBlob(cacheRoot, tmp, found.sha256) };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
