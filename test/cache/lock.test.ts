import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, lockPath, withLock } from '../../src/cache/lock.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-lock-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A pid that existed and is now gone. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

async function writeLock(key: string, info: object, ageMs = 0): Promise<void> {
  const file = lockPath(root, key);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(info));
  const when = new Date(Date.now() - ageMs);
  await fs.utimes(file, when, when);
}

describe('withLock', () => {
  it('runs callers one after another and removes the lock file', async () => {
    const order: string[] = [];
    const job = (name: string) =>
      withLock(
        root,
        'same',
        async () => {
          order.push(`${name}:in`);
          await new Promise((r) => setTimeout(r, 30));
          order.push(`${name}:out`);
        },
        { pollMs: 5 },
      );
    await Promise.all([job('a'), job('b')]);
    // Either may win the race for the lock; what matters is that they never overlap.
    const first = order[0]?.startsWith('a') ? 'a' : 'b';
    const second = first === 'a' ? 'b' : 'a';
    expect(order).toEqual([`${first}:in`, `${first}:out`, `${second}:in`, `${second}:out`]);
    await expect(fs.stat(lockPath(root, 'same'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives up with E_LOCKED after the wait bound, naming the holder', async () => {
    await writeLock('busy', { pid: process.pid, hostname: os.hostname(), createdAt: '', token: 't' });
    await expect(withLock(root, 'busy', async () => 1, { waitMs: 50, pollMs: 10 })).rejects.toMatchObject({
      code: 'E_LOCKED',
      details: { pid: process.pid },
    });
  });

  it('takes over a lock whose holder is a dead pid on this host', async () => {
    await writeLock('dead', { pid: deadPid(), hostname: os.hostname(), createdAt: '', token: 't' });
    expect(await withLock(root, 'dead', async () => 'ran', { waitMs: 0 })).toBe('ran');
  });

  it('takes over a lock from another host that has not been refreshed for staleMs', async () => {
    await writeLock('old', { pid: 1, hostname: 'elsewhere', createdAt: '', token: 't' }, 10_000);
    expect(await withLock(root, 'old', async () => 'ran', { waitMs: 0, staleMs: 5000 })).toBe('ran');
  });

  it('does not take over a fresh lock from another host', async () => {
    await writeLock('fresh', { pid: 1, hostname: 'elsewhere', createdAt: '', token: 't' });
    expect(await acquireLock(root, 'fresh', { waitMs: 0 })).toBeUndefined();
  });

  it('keeps a held lock fresh while the work lasts longer than staleMs', async () => {
    const held = await acquireLock(root, 'long', { staleMs: 60 });
    await new Promise((r) => setTimeout(r, 150));
    expect(await acquireLock(root, 'long', { waitMs: 0, staleMs: 60 })).toBeUndefined();
    await held?.release();
  });
});
