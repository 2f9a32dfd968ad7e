/**
 * `openmedlab cache import <id> <checkpoint> <path>`: bring what a person downloaded by hand (Baidu
 * Pan, a landing page) into the cache with the same checks as a download: each file hashed while
 * copied, checked against the registry pin, the lockfile or the trust record, committed atomically,
 * then placed in the project's view. A single-file checkpoint takes a file; a folder checkpoint
 * (Drive folder, whole HF repo) takes the downloaded folder. Unpinned files are trusted on first use.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeEntry } from '../cache/entries.js';
import { findLockfile, readLockfile, sourceIdentity, withEntries, writeLockfile } from '../cache/lockfile.js';
import { importFile } from '../cache/store.js';
import { checkTrust, recordTrust, trustDir, trustPath } from '../cache/trust.js';
import type { Context } from '../context.js';
import { IntegrityError, OmlError } from '../errors.js';
import { type EventSink, silentSink } from '../events.js';
import { loadRegistry } from '../registry/load.js';
import { findProject } from '../registry/query.js';
import type { Artifact } from '../registry/types.js';
import type { FetchedFile } from './get-file.js';
import { fileTrustKey, type PinContext, pinFor } from './get-pins.js';
import { checkpointsDir, placeCheckpoint } from './get-place.js';
import { isSingleFile } from './get-sources.js';
import type { CheckpointResult, VerifiedBy } from './get-types.js';

/** Options of cacheImport. */
export interface CacheImportOptions {
  ctx: Context;
  id: string;
  checkpoint: string;
  /** The file (or, for a folder checkpoint, the folder) downloaded by hand, relative to ctx.cwd. */
  file: string;
  /** Lockfile (--lock); default: the nearest openmedlab.lock, if any (updated, never created). */
  lockFile?: string;
  events?: EventSink;
}

/** Regular files under a folder, as POSIX relative paths (links are not followed). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Import one file against its pin; an unpinned file is recorded in the trust store. */
async function importOne(
  ctx: Context,
  pc: PinContext,
  artifact: Artifact,
  file: string,
  relPath: string | undefined,
): Promise<FetchedFile> {
  const pin = await pinFor(pc, artifact, relPath);
  const expected = pin
    ? { ...(pin.sha256 ? { sha256: pin.sha256 } : {}), ...(pin.size === undefined ? {} : { size: pin.size }) }
    : {};
  let imported: Awaited<ReturnType<typeof importFile>>;
  try {
    imported = await importFile(ctx.cacheDir, file, expected);
  } catch (error) {
    if (pin?.by !== 'tofu' || !pin.trust || !(error instanceof IntegrityError)) throw error;
    throw new IntegrityError(`${file} (trust record ${pin.trust.key})`, error.expected, error.found, {
      hint: `the file differs from the one first seen on this machine; if it is legitimate, delete ${trustPath(ctx.dataDir, pin.trust.key)} and import again`,
    });
  }
  const found = { sha256: imported.sha256, size: imported.size };
  let verifiedBy: VerifiedBy = pin ? pin.by : 'first-use';
  if (!pin) {
    const key = fileTrustKey(pc.project, artifact.name, relPath);
    const { record, created } = await recordTrust(ctx.dataDir, {
      key,
      ...found,
      source: `import ${path.basename(file)}`,
    });
    checkTrust(ctx.dataDir, record, found);
    if (!created) verifiedBy = 'tofu';
  }
  const name = relPath ?? artifact.filename ?? path.basename(file);
  return { relPath: name, ...found, blobPath: imported.blobPath, verifiedBy, fromCache: false };
}

/** The checkpoint named on the command line. */
function findCheckpoint(project: ReturnType<typeof findProject>, name: string): Artifact {
  const artifact = project.checkpoints.find((c) => c.name === name.toLowerCase());
  if (artifact) return artifact;
  throw new OmlError('E_UNKNOWN_ARTIFACT', `${project.id} has no checkpoint "${name}"`, {
    hint: `its checkpoints: ${project.checkpoints.map((c) => c.name).join(', ') || '(none)'}`,
  });
}

/** Import hand-downloaded files as a checkpoint; see the module comment. */
export async function cacheImport(options: CacheImportOptions): Promise<CheckpointResult> {
  const { ctx } = options;
  const events = options.events ?? silentSink;
  const { registry } = await loadRegistry(ctx);
  const project = findProject(registry, options.id);
  const artifact = findCheckpoint(project, options.checkpoint);
  const single = isSingleFile(artifact);
  const source = path.resolve(ctx.cwd, options.file);
  const stat = await fs.stat(source).catch(() => undefined);
  if (!stat || (single ? !stat.isFile() : !stat.isDirectory())) {
    throw new OmlError('E_USAGE', `${source} is not a ${single ? 'file' : 'folder'}`, {
      hint: single
        ? undefined
        : `${project.id} ${artifact.name} is a folder of files: pass the downloaded folder`,
    });
  }
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
  const rels = single ? [undefined] : await filesUnder(source);
  if (rels.length === 0) throw new OmlError('E_USAGE', `${source} holds no files`);
  const files: FetchedFile[] = [];
  for (const rel of rels)
    files.push(await importOne(ctx, pc, artifact, rel === undefined ? source : path.join(source, rel), rel));
  const fresh = files.filter((f) => f.verifiedBy === 'first-use');
  if (fresh.length > 0) {
    events({
      type: 'warn',
      code: 'W_TOFU',
      message: `${project.id}/${artifact.name}: no checksum is published; trusting ${fresh.length} imported file(s) and recording them in ${trustDir(ctx.dataDir)}`,
    });
  }
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
    files: files.map((f) => ({
      relPath: f.relPath,
      sha256: f.sha256,
      size: f.size,
      verifiedBy: f.verifiedBy,
    })),
    fetchedAt: new Date().toISOString(),
  });
  const placed = await placeCheckpoint(
    checkpointsDir(ctx.cacheDir, project.id, undefined),
    artifact,
    files,
    single,
  );
  const src = artifact.sources[sourceIndex];
  if (lockFile && lock && src) {
    const entries = files.map((f) => ({
      project: project.id,
      checkpoint: artifact.name,
      relPath: f.relPath,
      source: sourceIdentity(src),
      sha256: f.sha256,
      size: f.size,
    }));
    const next = withEntries(lock, entries, registry.version);
    if (next !== lock) await writeLockfile(lockFile, next);
  }
  return {
    project: project.id,
    checkpoint: artifact.name,
    path: placed.path,
    size: files.reduce((n, f) => n + f.size, 0),
    sha256: single ? files[0]?.sha256 : undefined,
    verifiedBy: files.some((f) => f.verifiedBy === 'first-use')
      ? 'first-use'
      : (files[0]?.verifiedBy ?? 'first-use'),
    source: src ? { index: sourceIndex, host: src.host } : undefined,
    fromCache: false,
    files: placed.files,
  };
}
