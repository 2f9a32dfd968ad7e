/**
 * `openmedlab cache verify [id...]`: re-hash every blob (or the named projects' blobs), files in
 * parallel on worker threads, against its name (sha256) and the size its index records give. A corrupt
 * blob is quarantined (never served again), its index records and view links removed, so the next
 * `get` downloads it afresh. Optionally (`git`) each mirror gets `git fsck --connectivity-only`.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import type { ArtifactEntry } from '../cache/entries.js';
import { writeEntry } from '../cache/entries.js';
import { hashFiles } from '../cache/hash-pool.js';
import { acquireLock } from '../cache/lock.js';
import { blobPath, gitDir } from '../cache/paths.js';
import { blobReferences, listBlobs } from '../cache/scan.js';
import { quarantineBlob } from '../cache/verify.js';
import type { Context } from '../context.js';
import { type EventSink, silentSink } from '../events.js';
import { gitMessage, runGit } from '../git/run.js';
import { removeRecord, removeViewLinks } from './cache-forget.js';
import { registryProjects, resolveIds } from './cache-projects.js';

/** A blob that failed verification. */
export interface CorruptBlob {
  sha256: string;
  /** What was read: its digest and size, or the read error. */
  found: { sha256: string; size: number } | { error: string };
  /** The size its index records give, if any. */
  expectedSize: number | undefined;
  /** Where it was moved. */
  quarantined: string | undefined;
  /** Checkpoints that used it ("project/checkpoint"); their records were removed. */
  usedBy: string[];
  /** View files (hardlinks of it) removed. */
  removedViews: string[];
}

/** What cache verify returns. */
export interface CacheVerifyResult {
  root: string;
  checked: number;
  bytes: number;
  ok: number;
  corrupt: CorruptBlob[];
  /** Blobs index records name that are not in the store (the next get downloads them). */
  missing: Array<{ sha256: string; usedBy: string[] }>;
  /** With `git`: each mirror's fsck. */
  mirrors?: Array<{ path: string; ok: boolean; message?: string }>;
  seconds: number;
}

/** Options of cacheVerify. */
export interface CacheVerifyOptions {
  ctx: Context;
  /** Only these projects' blobs (default: every blob in the store). */
  ids?: string[];
  /** Files hashed in parallel (default: available parallelism). */
  jobs?: number;
  /** Also run `git fsck --connectivity-only` on each mirror. */
  git?: boolean;
  events?: EventSink;
}

/** The blobs to check: every blob, or those the named projects' records reference. */
async function targets(ctx: Context, ids: string[] | undefined, refs: Map<string, ArtifactEntry[]>) {
  const all = await listBlobs(ctx.cacheDir);
  if (!ids || ids.length === 0)
    return { blobs: all, missing: [...refs.keys()].filter((s) => !all.some((b) => b.sha256 === s)) };
  const wanted = new Set(await resolveIds(ctx, ids, await registryProjects(ctx)));
  const shas = new Set([...refs].filter(([, es]) => es.some((e) => wanted.has(e.project))).map(([s]) => s));
  return {
    blobs: all.filter((b) => shas.has(b.sha256)),
    missing: [...shas].filter((s) => !all.some((b) => b.sha256 === s)),
  };
}

const label = (e: ArtifactEntry) => `${e.project}/${e.artifact}`;

/** Quarantine a corrupt blob and forget it; returns its report. */
async function forget(
  root: string,
  sha256: string,
  stat: Stats,
  found: CorruptBlob['found'],
  refs: ArtifactEntry[],
) {
  const quarantined = await quarantineBlob(root, sha256);
  for (const e of refs) await removeRecord(root, e);
  const expectedSize = refs.flatMap((e) => e.files).find((f) => f.sha256 === sha256)?.size;
  const removedViews = await removeViewLinks(root, [stat]);
  return {
    sha256,
    found,
    expectedSize,
    quarantined,
    usedBy: [...new Set(refs.map(label))].sort(),
    removedViews,
  };
}

/** Mark the records whose every file verified (under get's lock; a busy one is left as is). */
async function stampVerified(root: string, refs: Map<string, ArtifactEntry[]>, good: Set<string>) {
  const entries = new Map<string, ArtifactEntry>();
  for (const list of refs.values()) for (const e of list) entries.set(label(e), e);
  const now = new Date().toISOString();
  for (const e of entries.values()) {
    if (!e.files.every((f) => good.has(f.sha256))) continue;
    const lock = await acquireLock(root, `get-${e.project}-${e.artifact}`, { waitMs: 0 });
    if (!lock) continue;
    try {
      await writeEntry(root, { ...e, verifiedAt: now, verifiedHow: 'cache-verify' });
    } finally {
      await lock.release();
    }
  }
}

/** `git fsck --connectivity-only` on every mirror. */
async function fsckMirrors(ctx: Context): Promise<NonNullable<CacheVerifyResult['mirrors']>> {
  const names = (await fs.readdir(gitDir(ctx.cacheDir)).catch(() => [] as string[])).filter((n) =>
    n.endsWith('.git'),
  );
  const out: NonNullable<CacheVerifyResult['mirrors']> = [];
  for (const name of names.sort()) {
    const dir = `${gitDir(ctx.cacheDir)}/${name}`;
    const r = await runGit({
      ctx,
      cwd: dir,
      args: ['fsck', '--connectivity-only', '--no-dangling', '--no-progress'],
      env: { GIT_NO_LAZY_FETCH: '1' },
    });
    out.push(
      r.code === 0 ? { path: dir, ok: true } : { path: dir, ok: false, message: gitMessage(r.stderr) },
    );
  }
  return out;
}

/** Verify the store; see the module comment. Corruption is reported in the result, not thrown. */
export async function cacheVerify(options: CacheVerifyOptions): Promise<CacheVerifyResult> {
  const started = performance.now();
  const { ctx } = options;
  const root = ctx.cacheDir;
  const events = options.events ?? silentSink;
  const refs = await blobReferences(root);
  const { blobs, missing } = await targets(ctx, options.ids, refs);
  const total = blobs.reduce((n, b) => n + b.stat.size, 0);
  events({ type: 'info', message: `verifying ${blobs.length} blobs (${total} bytes)` });
  const outcomes = await hashFiles(
    blobs.map((b) => b.path),
    { ...(options.jobs ? { jobs: options.jobs } : {}), inline: total < 32 * 1024 * 1024 },
  );
  const corrupt: CorruptBlob[] = [];
  const good = new Set<string>();
  for (const [i, o] of outcomes.entries()) {
    const blob = blobs[i]!;
    const list = refs.get(blob.sha256) ?? [];
    const size = list.flatMap((e) => e.files).find((f) => f.sha256 === blob.sha256)?.size;
    if ('sha256' in o && o.sha256 === blob.sha256 && (size === undefined || size === o.size)) {
      good.add(blob.sha256);
      continue;
    }
    const found = 'sha256' in o ? { sha256: o.sha256, size: o.size } : { error: o.error };
    corrupt.push(await forget(root, blob.sha256, blob.stat, found, list));
    events({
      type: 'warn',
      code: 'W_CORRUPT',
      message: `corrupt blob ${blobPath(root, blob.sha256)} quarantined`,
    });
  }
  await stampVerified(root, refs, good);
  return {
    root,
    checked: blobs.length,
    bytes: total,
    ok: good.size,
    corrupt,
    missing: missing.map((sha256) => ({
      sha256,
      usedBy: [...new Set((refs.get(sha256) ?? []).map(label))].sort(),
    })),
    ...(options.git ? { mirrors: await fsckMirrors(ctx) } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}
