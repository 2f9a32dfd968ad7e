/**
 * `openmedlab lock <id...>`: fetch (or find in the cache) every default checkpoint of the projects
 * and write their sha256, size and source into openmedlab.lock: the nearest one, the one --lock
 * names, or a new one in the working directory. The only command that creates a lockfile.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  emptyLockfile,
  findLockfile,
  LOCKFILE_NAME,
  type LockEntry,
  readLockfile,
  withEntries,
  writeLockfile,
} from '../cache/lockfile.js';
import { loadRegistry } from '../registry/load.js';
import { findProject } from '../registry/query.js';
import { get, lockEntriesFor, selectCheckpoints } from './get.js';
import type { GetOptions } from './get-types.js';

/** Options of lock. */
export interface LockOptions extends Omit<GetOptions, 'id' | 'dest' | 'dryRun' | 'frozen' | 'codeStep'> {
  ids: string[];
}

/** What lock wrote. */
export interface LockResult {
  file: string;
  created: boolean;
  entries: LockEntry[];
}

/** Pin the projects' checkpoints in a lockfile; see the module comment. */
export async function lock(options: LockOptions): Promise<LockResult> {
  const { ctx, ids, ...rest } = options;
  const file = (await findLockfile(ctx.cwd, options.lockFile)) ?? path.join(ctx.cwd, LOCKFILE_NAME);
  const { registry } = await loadRegistry(ctx);
  const entries: LockEntry[] = [];
  for (const id of ids) {
    const project = findProject(registry, id);
    const result = await get({ ...rest, ctx, id, lockFile: file });
    entries.push(
      ...lockEntriesFor(project, selectCheckpoints(project, options.checkpoints), result.checkpoints),
    );
  }
  const exists = await fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  const current = exists ? await readLockfile(file) : emptyLockfile(registry.version);
  const next = withEntries(current, entries, registry.version);
  if (!exists || next !== current) await writeLockfile(file, next);
  return { file, created: !exists, entries };
}
