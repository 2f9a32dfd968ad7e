/**
 * The file sweeps of `cache prune` (api/cache-prune.ts): partial downloads, locks, unreferenced blobs
 * and quarantine files. Each returns what it removed, or with dryRun what it would remove.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { acquireLock, isStale, type LockInfo } from '../cache/lock.js';
import { locksDir, quarantineDir, tmpDir } from '../cache/paths.js';
import { blobReferences, listBlobs } from '../cache/scan.js';
import type { RemovedItem } from './cache-remove.js';

/** What every sweep needs. */
export interface Sweep {
  root: string;
  /** Files last modified before this (ms since epoch) are old. */
  cutoff: number;
  now: number;
  dryRun: boolean;
}

/** Files of a folder with their stats. */
async function filesIn(dir: string) {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const out = [];
  for (const name of names.sort()) {
    const stat = await fs.lstat(path.join(dir, name)).catch(() => undefined);
    if (stat?.isFile()) out.push({ name, file: path.join(dir, name), stat });
  }
  return out;
}

/** True when a process with this pid runs on this host. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove (unless dryRun) and report. */
async function drop(
  sweep: Sweep,
  kind: RemovedItem['kind'],
  file: string,
  bytes: number,
): Promise<RemovedItem> {
  if (!sweep.dryRun) await fs.rm(file, { force: true });
  return { kind, path: file, bytes };
}

/** True when a partial's sidecar cannot be read as JSON (so the partial cannot be resumed). */
async function sidecarBad(file: string): Promise<boolean> {
  try {
    JSON.parse(await fs.readFile(`${file}.json`, 'utf8'));
    return false;
  } catch {
    return true;
  }
}

/**
 * Partial downloads: a shared `<key>.partial` older than the window or with an unreadable sidecar
 * (taken under the download's own lock, so a live download is never touched); a per-process
 * `<key>.<pid>-<hex>.partial` or `.tmp` whose process is gone or that is older than the window.
 */
export async function prunePartials(sweep: Sweep): Promise<RemovedItem[]> {
  const out: RemovedItem[] = [];
  const files = await filesIn(tmpDir(sweep.root));
  for (const { name, file, stat } of files) {
    const old = stat.mtimeMs < sweep.cutoff;
    const own = /\.(\d+)-[0-9a-f]{8}\.(partial|tmp)$/.exec(name);
    if (own) {
      if (old || !alive(Number(own[1]))) {
        out.push(await drop(sweep, own[2] === 'tmp' ? 'temp' : 'partial', file, stat.size));
        if (own[2] === 'partial') await drop(sweep, 'partial', `${file}.json`, 0);
      }
      continue;
    }
    if (name.endsWith('.partial.json')) {
      const partialGone = !files.some((f) => f.file === file.slice(0, -'.json'.length));
      if (partialGone && old) out.push(await drop(sweep, 'partial', file, stat.size));
      continue;
    }
    if (!name.endsWith('.partial') || !(old || (await sidecarBad(file)))) continue;
    const lock = sweep.dryRun
      ? undefined
      : await acquireLock(sweep.root, `dl-${name.slice(0, -'.partial'.length)}`, { waitMs: 0 });
    if (!sweep.dryRun && !lock) continue; // a download is using it
    try {
      out.push(await drop(sweep, 'partial', file, stat.size));
      if (!sweep.dryRun) await fs.rm(`${file}.json`, { force: true });
    } finally {
      await lock?.release();
    }
  }
  return out;
}

/** Locks whose holder is gone (dead pid on this host, or not refreshed for a minute), and leftovers of broken ones. */
export async function pruneLocks(sweep: Sweep): Promise<RemovedItem[]> {
  const out: RemovedItem[] = [];
  for (const { name, file, stat } of await filesIn(locksDir(sweep.root))) {
    if (/\.lock\.stale-[0-9a-f]+$/.test(name)) {
      if (sweep.now - stat.mtimeMs > 60_000) out.push(await drop(sweep, 'lock', file, stat.size));
      continue;
    }
    if (!name.endsWith('.lock')) continue;
    let info: LockInfo | undefined;
    try {
      info = JSON.parse(await fs.readFile(file, 'utf8')) as LockInfo;
    } catch {
      info = undefined; // torn: judged by age alone
    }
    if (!isStale(info, stat.mtimeMs, 60_000, sweep.now)) continue;
    if (sweep.dryRun) {
      out.push({ kind: 'lock', path: file, bytes: stat.size });
      continue;
    }
    // Move it aside first: a fresh lock created in between must survive (same as cache/lock.ts).
    const aside = `${file}.stale-${process.pid}`;
    if (
      !(await fs.rename(file, aside).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const moved = await fs.readFile(aside, 'utf8').catch(() => '');
    if (info && !moved.includes(info.token)) await fs.link(aside, file).catch(() => {});
    else out.push({ kind: 'lock', path: file, bytes: stat.size });
    await fs.rm(aside, { force: true });
  }
  return out;
}

/** Blobs no remaining index record references, once older than the grace period. */
export async function pruneUnreferenced(
  sweep: Sweep & { graceMs: number; gone: Set<string>; already: Set<string> },
): Promise<RemovedItem[]> {
  const refs = await blobReferences(sweep.root);
  const out: RemovedItem[] = [];
  for (const blob of await listBlobs(sweep.root)) {
    if (sweep.already.has(blob.path)) continue;
    const users = (refs.get(blob.sha256) ?? []).filter((e) => !sweep.gone.has(e.project));
    if (users.length > 0) continue;
    // ctime is when the blob was renamed into the store: a get writes its record right after that.
    if (sweep.now - Math.max(blob.stat.ctimeMs, blob.stat.mtimeMs) < sweep.graceMs) continue;
    out.push(await drop(sweep, 'blob', blob.path, blob.stat.size));
  }
  return out;
}

/** Quarantined blobs moved there before the window (kept until then for inspection). */
export async function pruneQuarantine(sweep: Sweep): Promise<RemovedItem[]> {
  const out: RemovedItem[] = [];
  for (const { name, file, stat } of await filesIn(quarantineDir(sweep.root))) {
    // The name ends in the time it was quarantined (a rename keeps the blob's old mtime).
    const at = Number(/\.(\d{10,})$/.exec(name)?.[1] ?? stat.mtimeMs);
    if (at < sweep.cutoff) out.push(await drop(sweep, 'quarantine', file, stat.size));
  }
  return out;
}
