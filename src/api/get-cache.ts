/**
 * Cache lookup for one checkpoint, with no network: the files it resolved to last time (index
 * record, lockfile or registry pin), each blob present and verified on read. A blob that fails
 * verification is quarantined by verifyBlob and the lookup misses, so it is fetched again.
 */
import { readEntry } from '../cache/entries.js';
import { hasBlob } from '../cache/store.js';
import { verifyBlob } from '../cache/verify.js';
import { isOmlError } from '../errors.js';
import type { Artifact } from '../registry/types.js';
import { lockEntriesOf, type PinContext, pinFor } from './get-pins.js';
import type { VerifiedBy } from './get-types.js';

/** A file found in the cache. */
export interface CachedFile {
  relPath: string;
  sha256: string;
  size: number;
  blobPath: string;
  verifiedBy: VerifiedBy;
}

/** The files a checkpoint is expected to consist of, without the network (undefined = unknown). */
async function expectedFiles(
  root: string,
  pc: PinContext,
  artifact: Artifact,
  single: boolean,
): Promise<Array<{ relPath: string; sha256: string; size?: number; verifiedBy: VerifiedBy }> | undefined> {
  const entry = await readEntry(root, pc.project, artifact.name);
  const locked = lockEntriesOf(pc.lock, pc.project, artifact.name);
  if (single) {
    const pin = await pinFor(pc, artifact, undefined);
    const sha = pin?.sha256 ?? entry?.files[0]?.sha256;
    if (!sha) return undefined;
    const relPath = artifact.filename ?? pin?.lockEntry?.relPath ?? entry?.files[0]?.relPath ?? artifact.name;
    const by: VerifiedBy = pin
      ? pin.by
      : ((entry?.files[0]?.verifiedBy as VerifiedBy | undefined) ?? 'first-use');
    return [{ relPath, sha256: sha, ...(pin?.size === undefined ? {} : { size: pin.size }), verifiedBy: by }];
  }
  const list = locked.length > 0 ? locked.map((e) => ({ relPath: e.relPath })) : entry?.files;
  if (!list || list.length === 0) return undefined;
  const out = [];
  for (const f of list) {
    const pin = await pinFor(pc, artifact, f.relPath);
    const recorded = entry?.files.find((x) => x.relPath === f.relPath);
    const sha = pin?.sha256 ?? recorded?.sha256;
    if (!sha) return undefined;
    const by: VerifiedBy = pin ? pin.by : ((recorded?.verifiedBy as VerifiedBy | undefined) ?? 'first-use');
    out.push({
      relPath: f.relPath,
      sha256: sha,
      ...(pin?.size === undefined ? {} : { size: pin.size }),
      verifiedBy: by,
    });
  }
  return out;
}

/** The checkpoint's files when every one is in the cache and verifies; undefined otherwise. */
export async function lookupCache(
  root: string,
  pc: PinContext,
  artifact: Artifact,
  single: boolean,
  verify = true,
): Promise<CachedFile[] | undefined> {
  const files = await expectedFiles(root, pc, artifact, single);
  if (!files) return undefined;
  const out: CachedFile[] = [];
  for (const f of files) {
    if (!(await hasBlob(root, f.sha256))) return undefined;
    try {
      const { blobPath, size } = verify
        ? await verifyBlob(root, f.sha256, f.size)
        : { blobPath: '', size: f.size ?? 0 };
      out.push({ ...f, size, blobPath });
    } catch (error) {
      if (isOmlError(error) && error.code === 'E_INTEGRITY') return undefined;
      throw error;
    }
  }
  return out;
}
