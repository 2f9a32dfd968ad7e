/**
 * `openmedlab cache import <id> <checkpoint> <file>`: bring a file downloaded by hand (Baidu Pan,
 * a landing page) into the cache with the same checks as a download: hashed while copied, checked
 * against the registry pin, the lockfile or the trust record, committed atomically, then placed in
 * the project's view; an unpinned file is trusted on first use, with a warning.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeEntry } from '../cache/entries.js';
import { findLockfile, readLockfile, sourceIdentity, withEntries, writeLockfile } from '../cache/lockfile.js';
import { importFile } from '../cache/store.js';
import { checkTrust, recordTrust, trustPath } from '../cache/trust.js';
import type { Context } from '../context.js';
import { IntegrityError, OmlError } from '../errors.js';
import { type EventSink, silentSink } from '../events.js';
import { loadRegistry } from '../registry/load.js';
import { findProject } from '../registry/query.js';
import { fileTrustKey, type PinContext, pinFor } from './get-pins.js';
import { checkpointsDir, placeCheckpoint } from './get-place.js';
import { isSingleFile } from './get-sources.js';
import type { CheckpointResult, VerifiedBy } from './get-types.js';

/** Options of cacheImport. */
export interface CacheImportOptions {
  ctx: Context;
  id: string;
  checkpoint: string;
  /** The file downloaded by hand (relative to ctx.cwd). */
  file: string;
  /** Lockfile (--lock); default: the nearest openmedlab.lock, if any (updated, never created). */
  lockFile?: string;
  events?: EventSink;
}

/** Import a hand-downloaded file as a checkpoint; see the module comment. */
export async function cacheImport(options: CacheImportOptions): Promise<CheckpointResult> {
  const { ctx } = options;
  const events = options.events ?? silentSink;
  const { registry } = await loadRegistry(ctx);
  const project = findProject(registry, options.id);
  const artifact = project.checkpoints.find((c) => c.name === options.checkpoint.toLowerCase());
  if (!artifact) {
    throw new OmlError('E_UNKNOWN_ARTIFACT', `${project.id} has no checkpoint "${options.checkpoint}"`, {
      hint: `its checkpoints: ${project.checkpoints.map((c) => c.name).join(', ') || '(none)'}`,
    });
  }
  if (!isSingleFile(artifact)) {
    throw new OmlError(
      'E_USAGE',
      `${project.id} ${artifact.name} is a folder of files; import works on single-file checkpoints`,
    );
  }
  const source = path.resolve(ctx.cwd, options.file);
  if (
    !(await fs.stat(source).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    throw new OmlError('E_USAGE', `no such file: ${source}`);
  const lockFile = await findLockfile(ctx.cwd, options.lockFile);
  const lock =
    lockFile &&
    (await fs.stat(lockFile).then(
      () => true,
      () => false,
    ))
      ? await readLockfile(lockFile)
      : undefined;
  const pc: PinContext = { project: project.id, dataDir: ctx.dataDir, lock };
  const pin = await pinFor(pc, artifact, undefined);
  let imported: Awaited<ReturnType<typeof importFile>>;
  try {
    imported = await importFile(
      ctx.cacheDir,
      source,
      pin
        ? {
            ...(pin.sha256 ? { sha256: pin.sha256 } : {}),
            ...(pin.size === undefined ? {} : { size: pin.size }),
          }
        : {},
    );
  } catch (error) {
    if (pin?.by === 'tofu' && pin.trust && error instanceof IntegrityError) {
      throw new IntegrityError(`${source} (trusted record ${pin.trust.key})`, error.expected, error.found, {
        hint: `the file differs from the one first seen on this machine; if it is legitimate, delete ${trustPath(ctx.dataDir, pin.trust.key)} and import again`,
      });
    }
    throw error;
  }
  const found = { sha256: imported.sha256, size: imported.size };
  let verifiedBy: VerifiedBy = pin ? pin.by : 'first-use';
  if (!pin) {
    const key = fileTrustKey(project.id, artifact.name, undefined);
    const { record, created } = await recordTrust(ctx.dataDir, {
      key,
      ...found,
      source: `import ${path.basename(source)}`,
    });
    if (!created) {
      checkTrust(ctx.dataDir, record, found);
      verifiedBy = 'tofu';
    } else {
      events({
        type: 'warn',
        code: 'W_TOFU',
        message: `${project.id}/${artifact.name}: no checksum is published; trusting this file (sha256:${found.sha256}) and recording it in ${trustPath(ctx.dataDir, key)}`,
      });
    }
  }
  const relPath = artifact.filename ?? path.basename(source);
  const sourceIndex = Math.max(
    0,
    artifact.sources.findIndex((s) => s.host === 'baidu-pan' || s.host === 'manual'),
  );
  await writeEntry(ctx.cacheDir, {
    formatVersion: 1,
    project: project.id,
    artifact: artifact.name,
    section: 'checkpoints',
    source: 'import',
    sourceIndex,
    files: [{ relPath, ...found, verifiedBy }],
    fetchedAt: new Date().toISOString(),
  });
  const file = { relPath, ...found, blobPath: imported.blobPath, verifiedBy, fromCache: false };
  const placed = await placeCheckpoint(
    checkpointsDir(ctx.cacheDir, project.id, undefined),
    artifact,
    [file],
    true,
  );
  const src = artifact.sources[sourceIndex];
  if (lockFile && lock && src) {
    const next = withEntries(
      lock,
      [{ project: project.id, checkpoint: artifact.name, relPath, source: sourceIdentity(src), ...found }],
      registry.version,
    );
    if (next !== lock) await writeLockfile(lockFile, next);
  }
  return {
    project: project.id,
    checkpoint: artifact.name,
    path: placed.path,
    ...found,
    verifiedBy,
    source: src ? { index: sourceIndex, host: src.host } : undefined,
    fromCache: false,
    files: placed.files,
  };
}
