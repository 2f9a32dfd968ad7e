/**
 * What a file must be before it is fetched: the registry's pin (single-file checkpoints), the
 * lockfile's, or this machine's trust-on-first-use record, in that order of authority.
 * Single-file checkpoints are keyed by project/checkpoint alone (the filename may only be known from
 * Content-Disposition after the download); files of a listing by project/checkpoint/relPath.
 */
import { type LockEntry, type Lockfile, lockKey } from '../cache/lockfile.js';
import { readTrust, type TrustRecord, trustKey } from '../cache/trust.js';
import type { Artifact } from '../registry/types.js';

/** A pin: what the file must be and who says so. */
export interface Pin {
  sha256?: string;
  size?: number;
  by: 'registry' | 'lock' | 'tofu';
  lockEntry?: LockEntry;
  trust?: TrustRecord;
}

/** Where pins come from, for one run. */
export interface PinContext {
  project: string;
  dataDir: string;
  lock: Lockfile | undefined;
}

/** Lock entries of one checkpoint. */
export function lockEntriesOf(lock: Lockfile | undefined, project: string, checkpoint: string): LockEntry[] {
  if (!lock) return [];
  return Object.values(lock.files).filter((e) => e.project === project && e.checkpoint === checkpoint);
}

/** The trust key of a file: project/checkpoint for single files, plus relPath for listed ones. */
export function fileTrustKey(project: string, checkpoint: string, relPath: string | undefined): string {
  return relPath === undefined ? `${project}/${checkpoint}` : trustKey(project, checkpoint, relPath);
}

/** The registry or lockfile pin of a file (no I/O); `relPath` undefined = the single file. */
export function staticPin(pc: PinContext, artifact: Artifact, relPath: string | undefined): Pin | undefined {
  if (relPath === undefined && artifact.sha256) {
    return {
      sha256: artifact.sha256.toLowerCase(),
      ...(artifact.size === undefined ? {} : { size: artifact.size }),
      by: 'registry',
    };
  }
  const entries = lockEntriesOf(pc.lock, pc.project, artifact.name);
  const entry =
    relPath === undefined
      ? entries.length === 1
        ? entries[0]
        : undefined
      : pc.lock?.files[lockKey(pc.project, artifact.name, relPath)];
  if (entry) return { sha256: entry.sha256, size: entry.size, by: 'lock', lockEntry: entry };
  return undefined;
}

/** The pin of a file, from the registry, the lockfile, or the trust store. */
export async function pinFor(
  pc: PinContext,
  artifact: Artifact,
  relPath: string | undefined,
): Promise<Pin | undefined> {
  const pin = staticPin(pc, artifact, relPath);
  if (pin) return pin;
  const trust = await readTrust(pc.dataDir, fileTrustKey(pc.project, artifact.name, relPath));
  return trust ? { sha256: trust.sha256, size: trust.size, by: 'tofu', trust } : undefined;
}

/** The order of verification strength, weakest first (a checkpoint reports its weakest file). */
export const VERIFY_ORDER = ['first-use', 'tofu', 'server-digest', 'commit', 'lock', 'registry'] as const;
