import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachePrune, parseDuration } from '../../src/api/cache-prune.js';
import { acquireLock } from '../../src/cache/lock.js';
import {
  blobPath,
  locksDir,
  projectDir,
  quarantineDir,
  tmpDir,
  usedMarkerPath,
} from '../../src/cache/paths.js';
import { importFile } from '../../src/cache/store.js';
import { age, filled } from './cache-setup.js';
import { useWorld } from './get-setup.js';
import { sha256 } from './host-emulator.js';

const world = useWorld();

describe('cache prune', () => {
  it('removes projects not used within the window (dry run first), keeps --keep and recent ones', async () => {
    const m = await filled(world, 'prune', ['lab', 'hf-model', 'zen']);
    const root = m.ctx.cacheDir;
    await age(usedMarkerPath(root, 'lab'), 40);
    await age(usedMarkerPath(root, 'zen'), 40);
    const dry = await cachePrune({ ctx: m.ctx, keep: ['zen'], dryRun: true, graceMs: 0 });
    expect(dry.projects).toEqual(['lab']);
    expect(dry.removed).toEqual([
      { kind: 'record', path: path.join(root, 'index-v1/lab/w.json'), bytes: 0, project: 'lab' },
      { kind: 'view', path: projectDir(root, 'lab'), bytes: 0, project: 'lab' },
      { kind: 'blob', path: blobPath(root, sha256(world.emu.data.lab!)), bytes: 2000 },
    ]);
    expect(dry.bytes).toBe(2000);
    expect(await fs.stat(projectDir(root, 'lab'))).toBeDefined();
    const r = await cachePrune({ ctx: m.ctx, keep: ['zen'], graceMs: 0 });
    expect(r.removed).toEqual(dry.removed);
    await expect(fs.stat(blobPath(root, sha256(world.emu.data.lab!)))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await fs.stat(projectDir(root, 'zen'))).toBeDefined();
    expect((await cachePrune({ ctx: m.ctx, olderThanMs: parseDuration('45d') })).projects).toEqual([]);
  });

  it('removes stale partials, stale locks, unreferenced blobs and old quarantine files; nothing in use', async () => {
    const m = await filled(world, 'prune2', ['hf-model']);
    const root = m.ctx.cacheDir;
    const tmp = tmpDir(root);
    const put = async (name: string, data: string, days = 0) => {
      await fs.writeFile(path.join(tmp, name), data);
      if (days) await age(path.join(tmp, name), days);
    };
    await put('old.w.1.partial', 'xx', 40);
    await put('old.w.1.partial.json', '{"url":"u","etag":"\\"e\\""}', 40);
    await put('torn.w.2.partial', 'yyy');
    await put('torn.w.2.partial.json', '{"url":');
    await put('live.w.3.partial', 'zzzz');
    await put('live.w.3.partial.json', '{"url":"u","etag":"\\"e\\""}');
    await put('busy.w.4.partial', 'held');
    const held = await acquireLock(root, 'dl-busy.w.4', { waitMs: 0 });
    await put('x.999999999-0123abcd.partial', 'dead pid');
    await fs.mkdir(locksDir(root), { recursive: true });
    const dead = JSON.stringify({ pid: 999_999_999, hostname: os.hostname(), createdAt: '', token: 't' });
    await fs.writeFile(path.join(locksDir(root), 'get-gone-w.lock'), dead);
    const live = await acquireLock(root, 'get-live-w', { waitMs: 0 });
    const stray = await fs.mkdtemp(path.join(world.root, 'stray-'));
    await fs.writeFile(path.join(stray, 'f'), 'nobody references me');
    const orphan = await importFile(root, path.join(stray, 'f'));
    await fs.mkdir(quarantineDir(root), { recursive: true });
    const oldQ = path.join(quarantineDir(root), `${'1'.repeat(64)}.${Date.now() - 40 * 86_400_000}`);
    const newQ = path.join(quarantineDir(root), `${'2'.repeat(64)}.${Date.now()}`);
    await fs.writeFile(oldQ, 'q1');
    await fs.writeFile(newQ, 'q2');
    const young = await cachePrune({ ctx: m.ctx, dryRun: true });
    expect(young.removed.map((i) => path.basename(i.path))).not.toContain(orphan.sha256); // grace period
    const r = await cachePrune({ ctx: m.ctx, graceMs: 0 });
    expect(r.removed.map((i) => [i.kind, path.basename(i.path)])).toEqual([
      ['partial', 'old.w.1.partial'],
      ['partial', 'torn.w.2.partial'],
      ['partial', 'x.999999999-0123abcd.partial'],
      ['lock', 'get-gone-w.lock'],
      ['blob', orphan.sha256],
      ['quarantine', path.basename(oldQ)],
    ]);
    expect((await fs.readdir(tmp)).sort()).toEqual([
      'busy.w.4.partial',
      'live.w.3.partial',
      'live.w.3.partial.json',
    ]);
    expect(await fs.readdir(locksDir(root))).toEqual(
      expect.arrayContaining(['get-live-w.lock', 'dl-busy.w.4.lock']),
    );
    expect(await fs.readdir(quarantineDir(root))).toEqual([path.basename(newQ)]);
    expect(r.projects).toEqual([]);
    await held!.release();
    await live!.release();
    expect(() => parseDuration('soon')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});
