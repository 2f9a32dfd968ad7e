/**
 * Disk-space preflight of `get`: before any download, add up the sizes already known for the files
 * the cache lacks (registry size, lockfile or trust record, the index record of an earlier fetch)
 * and stop with E_NO_SPACE when the cache's filesystem has less room than that plus a margin.
 * Sizes learned only from the server (listings, Content-Length) come too late and are not counted.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readEntry } from '../cache/entries.js';
import { hasBlob } from '../cache/store.js';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import type { Artifact } from '../registry/types.js';
import { lockEntriesOf, type PinContext, pinFor } from './get-pins.js';
import { isSingleFile } from './get-sources.js';

/** Free bytes of the filesystem holding `dir` (seam: tests inject a tiny disk). */
export type FreeSpace = (dir: string) => Promise<number>;

/** What the preflight found. */
export interface SpaceCheck {
  /** Bytes still to download, as far as they are known. */
  needed: number;
  /** Checkpoints whose size is not known before downloading. */
  unknown: string[];
  /** Free bytes where the cache lives. */
  free: number;
  /** Room kept free on top of `needed`. */
  margin: number;
  dir: string;
}

/** fs.statfs on the nearest existing folder of `dir` (the cache may not exist yet). */
export const statfsFree: FreeSpace = async (dir) => {
  let at = path.resolve(dir);
  for (;;) {
    try {
      const s = await fs.statfs(at);
      return s.bavail * s.bsize;
    } catch (error) {
      const up = path.dirname(at);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || up === at) throw error;
      at = up;
    }
  }
};

/** Known sizes of an artifact's files the store lacks; undefined when the file list or a size is unknown. */
async function missingBytes(root: string, pc: PinContext, a: Artifact): Promise<number | undefined> {
  const entry = await readEntry(root, pc.project, a.name);
  if (isSingleFile(a)) {
    const pin = await pinFor(pc, a, undefined);
    const sha = pin?.sha256 ?? entry?.files[0]?.sha256;
    if (sha && (await hasBlob(root, sha))) return 0;
    return a.size ?? pin?.size ?? entry?.files[0]?.size;
  }
  const locked = lockEntriesOf(pc.lock, pc.project, a.name);
  const files = locked.length > 0 ? locked : entry?.files;
  if (!files || files.length === 0) return undefined;
  let sum = 0;
  for (const f of files) if (!(await hasBlob(root, f.sha256))) sum += f.size;
  return sum;
}

/** Bytes kept free beyond the download: 5% of it, at least 100 MiB (temp files, index, extraction). */
export function spaceMargin(needed: number): number {
  return Math.max(100 * 1024 * 1024, Math.ceil(needed * 0.05));
}

/** Measure, and unless `dryRun` throw E_NO_SPACE when the known download does not fit. */
export async function preflightSpace(options: {
  ctx: Context;
  pc: PinContext;
  artifacts: Artifact[];
  dryRun?: boolean;
  freeSpace?: FreeSpace;
}): Promise<SpaceCheck> {
  const { ctx, pc } = options;
  let needed = 0;
  const unknown: string[] = [];
  for (const a of options.artifacts.filter(
    (x) => !x.sources.every((s) => s.host === 'in-repo' || s.host === 'manual'),
  )) {
    const bytes = await missingBytes(ctx.cacheDir, pc, a);
    if (bytes === undefined) unknown.push(a.name);
    else needed += bytes;
  }
  const free = await (options.freeSpace ?? statfsFree)(ctx.cacheDir);
  const check: SpaceCheck = { needed, unknown, free, margin: spaceMargin(needed), dir: ctx.cacheDir };
  if (!options.dryRun && needed > 0 && free < needed + check.margin) throw noSpace(check);
  return check;
}

/** The E_NO_SPACE error: what is needed, what is free, and how to make room. */
function noSpace(c: SpaceCheck): OmlError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return new OmlError(
    'E_NO_SPACE',
    `not enough disk space for the download: ${mib(c.needed)} needed (+ ${mib(c.margin)} margin), ${mib(c.free)} free in ${c.dir}`,
    {
      hint: `free at least ${mib(c.needed + c.margin - c.free)}: \`openmedlab cache prune\` (or \`cache rm <id>\`), or use a cache on a larger disk (--cache-dir, OPENMEDLAB_CACHE)`,
      details: { needed: c.needed, free: c.free, margin: c.margin, dir: c.dir },
    },
  );
}
