/**
 * sha256 helpers. Downloads hash while streaming (see fetch/download.ts); these cover files already on
 * disk (resume prefixes, imports, verify-on-read) and the shapes servers announce digests in.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs/promises';

/** Read size used when hashing files: large reads keep syscalls and JS overhead low. */
const READ_CHUNK = 4 * 1024 * 1024;

/** A fresh incremental sha256. */
export function createSha256(): Hash {
  return createHash('sha256');
}

/** Feed the first `length` bytes of a file (all of it when omitted) into `hash`; returns bytes read. */
export async function hashFileInto(hash: Hash, filePath: string, length?: number): Promise<number> {
  const handle = await fs.open(filePath, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let total = 0;
    for (;;) {
      const want = length === undefined ? READ_CHUNK : Math.min(READ_CHUNK, length - total);
      if (want <= 0) break;
      const { bytesRead } = await handle.read(buffer, 0, want, total);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return total;
  } finally {
    await handle.close();
  }
}

/** The sha256 (lowercase hex) and size of a file, read once in large chunks. */
export async function sha256File(filePath: string): Promise<{ sha256: string; size: number }> {
  const hash = createSha256();
  const size = await hashFileInto(hash, filePath);
  return { sha256: hash.digest('hex'), size };
}

/** True for a 64-character hex string. */
export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/i.test(value);
}

/**
 * The sha256 a server announces in a header, as lowercase hex, or undefined when the value is not a
 * sha256. Accepts `"<hex>"` (HF's X-Linked-ETag), `W/"<hex>"`, `sha256:<hex>` and `sha-256=<base64>`.
 */
export function parseAnnouncedSha256(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .trim();
  const hex = text.replace(/^sha256[:=]/i, '');
  if (isSha256Hex(hex)) return hex.toLowerCase();
  const b64 = /^sha-256=([A-Za-z0-9+/=_-]+)/i.exec(text)?.[1];
  if (b64 === undefined) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}
