/**
 * `openmedlab get <id>`: a project's checkpoints into the verified, content-addressed cache (and
 * --dest), from the first source that works, pinned by the registry, the lockfile or trust on first
 * use. The code step (clone) is an optional seam, `codeStep`, wired by the CLI from api/clone.ts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { withLock } from '../cache/lock.js';
import {
  findLockfile,
  type LockEntry,
  type Lockfile,
  readLockfile,
  sourceIdentity,
  withEntries,
  writeLockfile,
} from '../cache/lockfile.js';
import { projectDir, safeKey } from '../cache/paths.js';
import { OmlError } from '../errors.js';
import { silentSink } from '../events.js';
import { createDispatcher } from '../fetch/dispatcher.js';
import { loadRegistry } from '../registry/load.js';
import { findProject } from '../registry/query.js';
import type { Artifact, Project } from '../registry/types.js';
import { markUsed } from './cache-projects.js';
import { getArtifact } from './get-artifact.js';
import { planCheckpoints } from './get-dry-run.js';
import { settleAll } from './get-errors.js';
import { lockEntriesOf, type PinContext, staticPin } from './get-pins.js';
import { checkpointsDir } from './get-place.js';
import type { Run } from './get-run.js';
import { isSingleFile } from './get-sources.js';
import { preflightSpace } from './get-space.js';
import type { CheckpointResult, GetOptions, GetResult } from './get-types.js';
import { createLimiter } from './limiter.js';

export type * from './get-types.js';

/** The checkpoints asked for (default: every one that is not third-party); unknown -> E_UNKNOWN_ARTIFACT. */
export function selectCheckpoints(project: Project, names: string[] | undefined): Artifact[] {
  if (!names || names.length === 0) return project.checkpoints.filter((c) => !c.thirdParty);
  return names.map((name) => {
    const found = project.checkpoints.find((c) => c.name === name.toLowerCase());
    if (!found) {
      throw new OmlError('E_UNKNOWN_ARTIFACT', `${project.id} has no checkpoint "${name}"`, {
        hint: `its checkpoints: ${project.checkpoints.map((c) => c.name).join(', ') || '(none)'}`,
      });
    }
    return found;
  });
}

/** The lockfile in force for this run, if one exists (get never creates one). */
async function openLock(
  cwd: string,
  explicit: string | undefined,
): Promise<{ file?: string; lock?: Lockfile }> {
  const file = await findLockfile(cwd, explicit);
  if (!file) return {};
  const exists = await fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  return exists ? { file, lock: await readLockfile(file) } : {};
}

/** --frozen: refuse, before any network, checkpoints pinned neither by the registry nor the lockfile. */
function checkFrozen(pc: PinContext, artifacts: Artifact[]): void {
  for (const a of artifacts) {
    const byCommit = a.sources.every((s) => s.host === 'in-repo'); // the registry pins the commit
    const byPin = isSingleFile(a)
      ? staticPin(pc, a, undefined) !== undefined
      : lockEntriesOf(pc.lock, pc.project, a.name).length > 0;
    const pinned = byCommit || byPin;
    if (!pinned) {
      throw new OmlError(
        'E_FROZEN',
        `--frozen: ${pc.project} ${a.name} is pinned neither by the registry nor by the lockfile`,
        {
          hint: `run \`openmedlab lock ${pc.project}\` (without --frozen) and commit openmedlab.lock`,
        },
      );
    }
  }
}

/** Fetch a project's checkpoints; see the module comment. */
export async function get(options: GetOptions): Promise<GetResult> {
  const { ctx } = options;
  const events = options.events ?? silentSink;
  const { registry } = await loadRegistry(ctx);
  const project = findProject(registry, options.id);
  const artifacts = selectCheckpoints(project, options.checkpoints);
  const { file: lockFile, lock } = await openLock(ctx.cwd, options.lockFile);
  const pc: PinContext = { project: project.id, dataDir: ctx.dataDir, lock };
  const dest = options.dest === undefined ? undefined : path.resolve(ctx.cwd, options.dest);
  const base = checkpointsDir(ctx.cacheDir, project.id, dest);
  const dir = dest ?? projectDir(ctx.cacheDir, project.id);
  if (options.frozen && !options.dryRun) checkFrozen(pc, artifacts);
  const space = await preflightSpace({
    ctx,
    pc,
    artifacts,
    dryRun: options.dryRun === true,
    freeSpace: options.freeSpace,
  });
  if (options.dryRun)
    return {
      project: project.id,
      dir,
      checkpoints: [],
      plan: await planCheckpoints(ctx, pc, artifacts),
      space,
    };
  // The code step runs beside the downloads, unless an in-repo checkpoint needs the checkout first.
  const codeTask = options.codeStep
    ? options.codeStep({ ctx, project, events, ...(options.signal ? { signal: options.signal } : {}) })
    : Promise.resolve(undefined);
  codeTask.catch(() => {}); // observed below; this only keeps it from being "unhandled" meanwhile
  const needsCode = artifacts.some((a) => a.sources.some((s) => s.host === 'in-repo'));
  const early = needsCode ? await codeTask : undefined;
  const dispatcher =
    options.dispatcher ?? createDispatcher({ proxy: ctx.proxy, connections: Math.max(4, options.jobs ?? 4) });
  const run: Run = {
    ctx,
    root: ctx.cacheDir,
    events,
    dispatcher,
    signal: options.signal,
    retries: options.retries,
    limit: createLimiter(options.jobs ?? 4),
    pc,
    frozen: options.frozen ?? false,
    codeDir: early?.dir,
    lockWaitMs: options.lockWaitMs ?? 30 * 60_000,
  };
  try {
    const { done: checkpoints, error } = await settleAll(artifacts.map((a) => getArtifact(run, a, base)));
    // What did succeed is pinned even when another checkpoint failed (e.g. one needs a person).
    const updated =
      lockFile && lock && !options.frozen
        ? await updateLockfile(run, lockFile, registry.version, artifacts, checkpoints)
        : false;
    if (error !== undefined) throw error;
    const code = await codeTask;
    await markUsed(ctx.cacheDir, project.id); // `cache prune --older-than` reads it
    return {
      project: project.id,
      dir,
      checkpoints,
      ...(code ? { code } : {}),
      ...(updated ? { lockFile } : {}),
      space,
    };
  } finally {
    await codeTask.catch(() => undefined); // never leave a clone running behind a failure
    if (!options.dispatcher) await dispatcher.close();
  }
}

/** Lockfile entries of a run's results. */
export function lockEntriesFor(
  project: Project | string,
  artifacts: Artifact[],
  results: CheckpointResult[],
): LockEntry[] {
  const id = typeof project === 'string' ? project : project.id;
  return results.flatMap((r) => {
    const artifact = artifacts.find((a) => a.name === r.checkpoint);
    const source = r.source ? artifact?.sources[r.source.index] : undefined;
    if (!artifact || !source) return [];
    return r.files.map((f) => ({
      project: id,
      checkpoint: r.checkpoint,
      relPath: f.relPath,
      source: sourceIdentity(source),
      sha256: f.sha256,
      size: f.size,
    }));
  });
}

/** Keep an existing lockfile current (re-read under a lock, written only when something changed). */
async function updateLockfile(
  run: Run,
  file: string,
  version: string,
  artifacts: Artifact[],
  results: CheckpointResult[],
): Promise<boolean> {
  const entries = lockEntriesFor(run.pc.project, artifacts, results);
  if (entries.length === 0) return false;
  return withLock(run.root, `lockfile-${safeKey(file)}`, async () => {
    const current = await readLockfile(file);
    const next = withEntries(current, entries, version);
    if (next === current) return false;
    await writeLockfile(file, next);
    return true;
  });
}
