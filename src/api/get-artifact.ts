/**
 * One checkpoint, start to end: cache lookup (a hit is verified on read and opens no connection),
 * else an inter-process lock, a second lookup (another process may just have fetched it), the
 * sources in order, the index record, and placement.
 */
import { readEntry, writeEntry } from '../cache/entries.js';
import { acquireLock } from '../cache/lock.js';
import { trustDir } from '../cache/trust.js';
import { OmlError } from '../errors.js';
import type { Artifact } from '../registry/types.js';
import { lookupCache } from './get-cache.js';
import type { FetchedFile } from './get-file.js';
import { VERIFY_ORDER } from './get-pins.js';
import { placeCheckpoint } from './get-place.js';
import type { Run } from './get-run.js';
import { fetchArtifact, isSingleFile } from './get-sources.js';
import type { CheckpointResult, SourceUsed, VerifiedBy } from './get-types.js';

/** The cached files of a checkpoint as fetched files. */
async function fromCache(run: Run, artifact: Artifact, single: boolean): Promise<FetchedFile[] | undefined> {
  const hit = await lookupCache(run.root, run.pc, artifact, single);
  return hit?.map((f) => ({ ...f, fromCache: true }));
}

/** Fetch under the checkpoint's lock; the lock only avoids duplicate work (see cache/lock.ts). */
async function fetchLocked(run: Run, artifact: Artifact, single: boolean) {
  const key = `get-${run.pc.project}-${artifact.name}`;
  const signal = run.signal ? { signal: run.signal } : {};
  let lock = await acquireLock(run.root, key, { waitMs: 0, ...signal });
  if (!lock) {
    run.events({
      type: 'info',
      message: `${run.pc.project}/${artifact.name}: waiting for another openmedlab process fetching it`,
    });
    lock = await acquireLock(run.root, key, { waitMs: run.lockWaitMs, ...signal });
    if (!lock)
      run.events({
        type: 'warn',
        message: `${run.pc.project}/${artifact.name}: still locked; fetching it anyway (the store stays consistent)`,
      });
  }
  try {
    const again = await fromCache(run, artifact, single);
    if (again) return { files: again, source: undefined };
    const got = await fetchArtifact(run, artifact, single);
    await writeEntry(run.root, {
      formatVersion: 1,
      project: run.pc.project,
      artifact: artifact.name,
      section: 'checkpoints',
      source: artifact.sources[got.source.index]?.host ?? got.source.host,
      sourceIndex: got.source.index,
      files: got.files.map((f) => ({
        relPath: f.relPath,
        sha256: f.sha256,
        size: f.size,
        verifiedBy: f.verifiedBy,
        ...(f.md5 ? { md5: f.md5 } : {}),
      })),
      fetchedAt: new Date().toISOString(),
    });
    return got;
  } finally {
    await lock?.release();
  }
}

/** One W_TOFU warning per checkpoint for the files trusted on first use in this run. */
function warnFirstUse(run: Run, artifact: Artifact, files: FetchedFile[]): void {
  const fresh = files.filter((f) => !f.fromCache && f.verifiedBy === 'first-use');
  if (fresh.length === 0) return;
  const label = `${run.pc.project}/${artifact.name}`;
  const what =
    fresh.length === 1
      ? `this first download (sha256:${fresh[0]!.sha256}, ${fresh[0]!.size} bytes)`
      : `the ${fresh.length} files of this first download`;
  run.events({
    type: 'warn',
    code: 'W_TOFU',
    message: `${label}: no checksum is published; trusting ${what} and recording it in ${trustDir(run.pc.dataDir)}; later downloads on this machine are checked against it`,
  });
}

/** The source an earlier run recorded in the index (cache hits report it too). */
async function recordedSource(run: Run, artifact: Artifact): Promise<SourceUsed | undefined> {
  const entry = await readEntry(run.root, run.pc.project, artifact.name);
  const src = entry ? artifact.sources[entry.sourceIndex] : undefined;
  return entry && src ? { index: entry.sourceIndex, host: src.host } : undefined;
}

/** Get one checkpoint into `base` (see the module comment). */
export async function getArtifact(run: Run, artifact: Artifact, base: string): Promise<CheckpointResult> {
  const single = isSingleFile(artifact);
  let files = await fromCache(run, artifact, single);
  let source: SourceUsed | undefined;
  if (!files) {
    if (run.ctx.offline) {
      throw new OmlError('E_OFFLINE', `offline: ${run.pc.project} ${artifact.name} is not in the cache`, {
        hint: `run \`openmedlab get ${run.pc.project} --checkpoint ${artifact.name}\` once with network access`,
      });
    }
    const got = await fetchLocked(run, artifact, single);
    files = got.files;
    source = got.source;
  }
  source ??= await recordedSource(run, artifact);
  warnFirstUse(run, artifact, files);
  for (const f of files.filter((x) => x.fromCache)) {
    run.events({
      type: 'download-end',
      key: `${run.pc.project}/${artifact.name}/${f.relPath}`,
      bytes: f.size,
      sha256: f.sha256,
      fromCache: true,
    });
  }
  const placed = await placeCheckpoint(base, artifact, files, single);
  const weakest = VERIFY_ORDER.find((v) => files.some((f) => f.verifiedBy === v)) as VerifiedBy;
  return {
    project: run.pc.project,
    checkpoint: artifact.name,
    path: placed.path,
    size: files.reduce((n, f) => n + f.size, 0),
    sha256: single ? files[0]?.sha256 : undefined,
    verifiedBy: weakest,
    source,
    fromCache: files.every((f) => f.fromCache),
    files: placed.files,
  };
}
