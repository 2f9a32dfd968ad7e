/**
 * Trust on first use, like SSH's known_hosts. No upstream project publishes a checksum, so the first
 * verified download of a file on this machine is recorded (sha256, size, source) and every later
 * download of that file is checked against the record. One JSON file per file key under
 * `<dataDir>/trust-v1/` (created exclusively: two processes racing record the first one), so a
 * record is never half-written and resetting one file is deleting one file.
 *
 * The key is project/artifact/relPath, not the source: every source of a checkpoint must serve the
 * same bytes, so a mirror that disagrees with the first download is an integrity failure too.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { IntegrityError } from '../errors.js';
import { createFileExclusive, readJson } from './atomic.js';
import { safeKey } from './paths.js';

/** One trusted file. */
export interface TrustRecord {
  /** project/artifact/relPath */
  key: string;
  sha256: string;
  size: number;
  /** The source that served the first download (host and its fields, as text). */
  source: string;
  /** ISO time of the first download. */
  firstSeen: string;
}

/** The trust key of one file of an artifact. */
export function trustKey(project: string, artifact: string, relPath: string): string {
  return `${project}/${artifact}/${relPath}`;
}

/** The folder of the trust store. */
export function trustDir(dataDir: string): string {
  return path.join(dataDir, 'trust-v1');
}

/** The record file of one key (readable names for the common case, hashed otherwise). */
export function trustPath(dataDir: string, key: string): string {
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, '__');
  const name = readable.length <= 120 ? `${readable}-${safeKey(key).slice(0, 8)}` : safeKey(key);
  return path.join(trustDir(dataDir), `${name}.json`);
}

/** The record of a key, or undefined. */
export async function readTrust(dataDir: string, key: string): Promise<TrustRecord | undefined> {
  const rec = await readJson<TrustRecord>(trustPath(dataDir, key));
  return rec && rec.key === key ? rec : undefined;
}

/**
 * Record a first download; returns the record now in force and whether it is new (when another
 * process recorded the same key first, its record wins and the caller must check against it).
 */
export async function recordTrust(
  dataDir: string,
  record: Omit<TrustRecord, 'firstSeen'> & { firstSeen?: string },
): Promise<{ record: TrustRecord; created: boolean }> {
  const full: TrustRecord = { ...record, firstSeen: record.firstSeen ?? new Date().toISOString() };
  const created = await createFileExclusive(
    trustPath(dataDir, record.key),
    `${JSON.stringify(full, null, 2)}\n`,
  );
  if (created) return { record: full, created };
  return { record: (await readTrust(dataDir, record.key)) ?? full, created: false };
}

/** Throw E_INTEGRITY (Wanted/Found) when a file differs from its trust record. */
export function checkTrust(
  dataDir: string,
  record: TrustRecord,
  found: { sha256: string; size: number },
): void {
  if (found.sha256 === record.sha256 && found.size === record.size) return;
  const file = trustPath(dataDir, record.key);
  throw new IntegrityError(
    `${record.key} (trusted on first use ${record.firstSeen} from ${record.source})`,
    `sha256:${record.sha256} (${record.size} bytes)`,
    `sha256:${found.sha256} (${found.size} bytes)`,
    {
      hint: `the file changed since it was first downloaded on this machine; if the new file is legitimate, delete the trust record ${file} and run the command again`,
      details: { trustRecord: file, kind: 'tofu' },
    },
  );
}

/** Delete a trust record (a reset); true when there was one. */
export async function forgetTrust(dataDir: string, key: string): Promise<boolean> {
  try {
    await fs.rm(trustPath(dataDir, key));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
