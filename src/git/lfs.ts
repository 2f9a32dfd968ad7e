/**
 * Git LFS: files stored as small pointer texts in git. With git-lfs installed the real content is
 * pulled (only the sparse folder's); without it the pointers are reported, since a model loader fed
 * a 130-byte pointer fails far from the cause.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { EventSink } from '../events.js';
import { inCone } from './objects.js';
import { type GitContext, runGit } from './run.js';

/** The first line of every LFS pointer file. */
export const LFS_POINTER_PREFIX = 'version https://git-lfs.github.com/spec/v1';

/** What happened to LFS files in a checkout. */
export interface LfsReport {
  /** `git lfs` is installed. */
  installed: boolean;
  /** `git lfs pull` ran and succeeded. */
  pulled: boolean;
  /** Paths still holding pointer text (relative to the checkout). */
  pointers: string[];
}

/** Paths in the checkout at `dir` (inside the cone of `subfolder`) whose content is an LFS pointer. */
export async function findLfsPointers(ctx: GitContext, dir: string, subfolder?: string): Promise<string[]> {
  const listing = await runGit({ ctx, cwd: dir, args: ['ls-tree', '-r', '-l', '-z', 'HEAD'] });
  const found: string[] = [];
  for (const line of listing.stdout.split('\0')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [, type, , size] = line.slice(0, tab).split(/ +/);
    const file = line.slice(tab + 1);
    if (type !== 'blob' || Number(size) > 1024 || !inCone(file, subfolder)) continue;
    if (await startsWithPointer(path.join(dir, file))) found.push(file);
  }
  return found;
}

async function startsWithPointer(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const buffer = Buffer.alloc(LFS_POINTER_PREFIX.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8') === LFS_POINTER_PREFIX;
  } finally {
    await handle.close();
  }
}

/** True when `git lfs` runs. */
export async function lfsInstalled(ctx: GitContext): Promise<boolean> {
  const result = await runGit({ ctx, args: ['lfs', 'version'] }).catch(() => undefined);
  return result?.code === 0;
}

/** Pull LFS content when possible; warn about the pointer files left either way. */
export async function handleLfs(options: {
  ctx: GitContext;
  dir: string;
  subfolder?: string | undefined;
  events?: EventSink | undefined;
}): Promise<LfsReport> {
  const { ctx, dir, subfolder, events } = options;
  let pointers = await findLfsPointers(ctx, dir, subfolder);
  if (pointers.length === 0) return { installed: false, pulled: false, pointers };
  const installed = await lfsInstalled(ctx);
  let pulled = false;
  if (installed && !ctx.offline) {
    const include = subfolder === undefined ? [] : [`--include=${subfolder}/**`];
    const result = await runGit({ ctx, cwd: dir, args: ['lfs', 'pull', ...include] });
    pulled = result.code === 0;
    pointers = await findLfsPointers(ctx, dir, subfolder);
  }
  if (pointers.length > 0) {
    const hint = installed
      ? 'run `git lfs pull` in the checkout when online'
      : 'install git-lfs (https://git-lfs.com), then run `git lfs pull` in the checkout';
    events?.({
      type: 'warn',
      code: 'lfs-pointers',
      message: `${pointers.length} Git LFS file(s) hold only pointer text: ${pointers.join(', ')}; ${hint}`,
    });
  }
  return { installed, pulled, pointers };
}
