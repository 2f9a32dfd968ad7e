import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  emptyLockfile,
  findLockfile,
  type LockEntry,
  readLockfile,
  withEntries,
  writeLockfile,
} from '../../src/cache/lockfile.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-lock-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const entry: LockEntry = {
  project: 'p',
  checkpoint: 'c',
  relPath: 'w.pt',
  source: { host: 'https', url: 'https://example.org/w.pt' },
  sha256: 'a'.repeat(64),
  size: 3,
};

describe('lockfile', () => {
  it('is found in cwd or a parent, or named explicitly', async () => {
    const deep = path.join(dir, 'a', 'b');
    await fs.mkdir(deep, { recursive: true });
    expect(await findLockfile(deep)).toBeUndefined();
    await writeLockfile(path.join(dir, 'openmedlab.lock'), emptyLockfile('2026.1.0'));
    expect(await findLockfile(deep)).toBe(path.join(dir, 'openmedlab.lock'));
    expect(await findLockfile(deep, '../x.lock')).toBe(path.join(dir, 'a', 'x.lock'));
  });

  it('round-trips with sorted keys and reports unchanged updates as the same object', async () => {
    const file = path.join(dir, 'openmedlab.lock');
    const lock = withEntries(emptyLockfile('1'), [{ ...entry, relPath: 'z.pt' }, entry]);
    await writeLockfile(file, lock);
    const text = await fs.readFile(file, 'utf8');
    expect(text.indexOf('p/c/w.pt')).toBeLessThan(text.indexOf('p/c/z.pt'));
    const back = await readLockfile(file);
    expect(back).toEqual(lock);
    expect(withEntries(back, [entry])).toBe(back);
    expect(withEntries(back, [{ ...entry, sha256: 'b'.repeat(64) }])).not.toBe(back);
  });

  it('rejects a malformed file with E_CONFIG', async () => {
    const file = path.join(dir, 'openmedlab.lock');
    await fs.writeFile(file, '{"lockfileVersion": 9, "files": {}}');
    await expect(readLockfile(file)).rejects.toMatchObject({ code: 'E_CONFIG' });
    await fs.writeFile(file, 'nope');
    await expect(readLockfile(file)).rejects.toMatchObject({ code: 'E_CONFIG' });
  });
});
