/**
 * Inter-process locks: an O_EXCL lock file holding pid, hostname and time. The wait is bounded, a
 * holder refreshes the file's mtime while it works, and a lock whose holder is a dead pid on this host
 * (or whose mtime is older than `staleMs`, for other hosts on NFS) is taken over. The lock only avoids
 * duplicate work: every write is still hashed, checked and renamed atomically, so a wrongly broken
 * lock costs a second download, never a corrupt blob.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OmlError } from '../errors.js';
import { locksDir, safeKey } from './paths.js';

export interface LockOptions {
  /** How long to wait for a busy lock before giving up, in ms (default 10 min; 0 = try once). */
  waitMs?: number;
  /** A lock not refreshed for this long is stale, in ms (default 60 s; holders refresh every third). */
  staleMs?: number;
  /** Poll interval while waiting, in ms (default 100, growing to 1 s). */
  pollMs?: number;
  /** Aborts the wait. */
  signal?: AbortSignal;
}

/** What a lock file contains. */
export interface LockInfo {
  pid: number;
  hostname: string;
  createdAt: string;
  token: string;
}

/** A held lock; `release()` is idempotent. */
export interface LockHandle {
  path: string;
  release(): Promise<void>;
}

/** Path of the lock file for a key (keys with unsafe characters are hashed). */
export function lockPath(cacheRoot: string, key: string): string {
  const name = /^[A-Za-z0-9._-]{1,100}$/.test(key) ? key : safeKey(key);
  return path.join(locksDir(cacheRoot), `${name}.lock`);
}

/** True when a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Read a lock file; undefined when it vanished. Half-written files yield an info with pid 0. */
async function readLock(file: string): Promise<{ info: LockInfo | undefined; mtimeMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    let info: LockInfo | undefined;
    try {
      info = JSON.parse(text) as LockInfo;
    } catch {
      info = undefined; // being written right now, or truncated by a crash: judge by age
    }
    return { info, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** True when the lock's holder is gone: a dead pid on this host, or no refresh for `staleMs`. */
export function isStale(
  info: LockInfo | undefined,
  mtimeMs: number,
  staleMs: number,
  now = Date.now(),
): boolean {
  if (now - mtimeMs > staleMs) return true;
  return info !== undefined && info.hostname === os.hostname() && info.pid > 0 && !pidAlive(info.pid);
}

/** Remove a stale lock without removing a fresh one that replaced it in between. */
async function breakStale(file: string, seen: LockInfo | undefined): Promise<void> {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(file, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = await readLock(aside);
  if (seen !== undefined && moved?.info !== undefined && moved.info.token !== seen.token) {
    await fs.link(aside, file).catch(() => {}); // we grabbed a fresh lock: put it back
  }
  await fs.rm(aside, { force: true });
}

/** Try once to create the lock file; true on success. */
async function tryCreate(file: string, info: LockInfo): Promise<boolean> {
  try {
    const handle = await fs.open(file, 'wx');
    try {
      await handle.writeFile(JSON.stringify(info));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A handle that refreshes the lock's mtime until released, and removes only its own lock. */
function holdLock(file: string, info: LockInfo, staleMs: number): LockHandle {
  const timer = setInterval(
    () => {
      const now = new Date();
      fs.utimes(file, now, now).catch(() => {});
    },
    Math.max(10, Math.floor(staleMs / 3)),
  );
  timer.unref();
  let released = false;
  return {
    path: file,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const current = await readLock(file);
      if (current?.info?.token === info.token) await fs.rm(file, { force: true });
    },
  };
}

/** Acquire a lock, waiting up to `waitMs`; undefined when it stayed busy (the caller decides). */
export async function acquireLock(
  cacheRoot: string,
  key: string,
  options: LockOptions = {},
): Promise<LockHandle | undefined> {
  const { waitMs = 600_000, staleMs = 60_000, signal } = options;
  const file = lockPath(cacheRoot, key);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const info: LockInfo = {
    pid: process.pid,
    hostname: os.hostname(),
    createdAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + waitMs;
  let poll = options.pollMs ?? 100;
  for (;;) {
    if (await tryCreate(file, info)) return holdLock(file, info, staleMs);
    const current = await readLock(file);
    if (current === undefined) continue;
    if (isStale(current.info, current.mtimeMs, staleMs)) {
      await breakStale(file, current.info);
      continue;
    }
    if (Date.now() >= deadline || signal?.aborted) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(poll, Math.max(1, deadline - Date.now()))));
    poll = Math.min(1000, poll * 1.5);
  }
}

/** Run `fn` while holding the lock `key`; throws E_LOCKED when it stays busy past `waitMs`. */
export async function withLock<T>(
  cacheRoot: string,
  key: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = await acquireLock(cacheRoot, key, options);
  if (lock === undefined) {
    const holder = await readLock(lockPath(cacheRoot, key));
    const who = holder?.info ? `pid ${holder.info.pid} on ${holder.info.hostname}` : 'another process';
    throw new OmlError('E_LOCKED', `${key} is locked by ${who}`, {
      hint: `wait for the other openmedlab process to finish, or remove ${lockPath(cacheRoot, key)} if it is gone`,
      details: { lock: lockPath(cacheRoot, key), ...(holder?.info ?? {}) },
    });
  }
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
