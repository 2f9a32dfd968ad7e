import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { materialize } from '../../src/cache/materialize.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-mat-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('materialize', () => {
  it('hardlinks, then reports an existing link, and copies on request; no temp file remains', async () => {
    const blob = path.join(dir, 'blob');
    await fs.writeFile(blob, 'content');
    const dest = path.join(dir, 'out', 'w.pt');
    expect(await materialize({ blob, dest })).toBe('hardlink');
    expect(await materialize({ blob, dest })).toBe('existing');
    const copy = path.join(dir, 'out', 'c.pt');
    expect(await materialize({ blob, dest: copy, copy: true })).toBe('copy');
    expect(await fs.readFile(copy, 'utf8')).toBe('content');
    expect((await fs.readdir(path.join(dir, 'out'))).sort()).toEqual(['c.pt', 'w.pt']);
  });

  it('replaces a stale file at the destination', async () => {
    const blob = path.join(dir, 'blob');
    await fs.writeFile(blob, 'new');
    const dest = path.join(dir, 'w.pt');
    await fs.writeFile(dest, 'old');
    await materialize({ blob, dest });
    expect(await fs.readFile(dest, 'utf8')).toBe('new');
  });
});
