import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheImport } from '../../src/api/cache-import.js';
import { get } from '../../src/api/get.js';
import { lock } from '../../src/api/lock.js';
import { fastRetries, machine, useWorld } from './get-setup.js';
import { sha256 } from './host-emulator.js';

const world = useWorld();

describe('openmedlab lock', () => {
  it('creates openmedlab.lock in the working directory; --frozen then passes on a fresh cache', async () => {
    const m = await machine(world, 'lock');
    const r = await lock({ ctx: m.ctx, ids: ['lab', 'zen'], retries: fastRetries });
    expect(r).toMatchObject({ file: path.join(m.dir, 'openmedlab.lock'), created: true });
    const json = JSON.parse(await fs.readFile(r.file, 'utf8'));
    expect(Object.keys(json.files)).toEqual(['lab/w/lab.pt', 'zen/rec/zen.bin']);
    expect(json.files['zen/rec/zen.bin']).toMatchObject({
      sha256: sha256(world.emu.data.zen!),
      source: { host: 'zenodo', record: '123' },
    });
    const fresh = m.ctxFor({
      cacheDir: path.join(m.dir, 'other-cache'),
      dataDir: path.join(m.dir, 'other-data'),
    });
    const frozen = await get({ ctx: fresh, id: 'zen', frozen: true, retries: fastRetries });
    expect(frozen.checkpoints[0]).toMatchObject({ verifiedBy: 'lock' });
  });
});

describe('openmedlab cache import', () => {
  it('imports a hand-downloaded Baidu file (trusted on first use); get then finds it in the cache', async () => {
    const m = await machine(world, 'imp');
    const file = path.join(m.dir, 'w.pth');
    await fs.writeFile(file, 'hand-downloaded weights');
    const r = await cacheImport({ ctx: m.ctx, id: 'baidu', checkpoint: 'w', file: 'w.pth', events: m.sink });
    expect(r).toMatchObject({
      verifiedBy: 'first-use',
      path: path.join(m.ctx.cacheDir, 'projects-v1/baidu/checkpoints/w.pth'),
    });
    expect(m.events.some((e) => e.type === 'warn' && e.code === 'W_TOFU')).toBe(true);
    const again = await get({ ctx: m.ctx, id: 'baidu' });
    expect(again.checkpoints[0]).toMatchObject({ fromCache: true, verifiedBy: 'tofu' });
    await fs.writeFile(file, 'a different file');
    await expect(
      cacheImport({
        ctx: m.ctxFor({ cacheDir: path.join(m.dir, 'c2') }),
        id: 'baidu',
        checkpoint: 'w',
        file,
      }),
    ).rejects.toMatchObject({
      code: 'E_INTEGRITY',
      hint: expect.stringContaining('trust-v1'),
    });
  });

  it('imports a downloaded folder for a folder checkpoint; get --offline then finds every file', async () => {
    const m = await machine(world, 'impdir');
    const dir = path.join(m.dir, 'dl');
    await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
    await fs.writeFile(path.join(dir, 'a.pt'), 'A');
    await fs.writeFile(path.join(dir, 'sub', 'b.pt'), 'B');
    const r = await cacheImport({ ctx: m.ctx, id: 'folder', checkpoint: 'all', file: 'dl' });
    expect(r.files.map((f) => f.relPath)).toEqual(['a.pt', 'sub/b.pt']);
    const hit = await get({ ctx: m.ctxFor({ offline: true }), id: 'folder' });
    expect(hit.checkpoints[0]).toMatchObject({ fromCache: true, size: 2 });
    await expect(
      cacheImport({ ctx: m.ctx, id: 'folder', checkpoint: 'all', file: 'dl/a.pt' }),
    ).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('checks a registry pin', async () => {
    const m = await machine(world, 'imppin');
    const file = path.join(m.dir, 'lab.pt');
    await fs.writeFile(file, world.emu.data.lab!);
    await expect(cacheImport({ ctx: m.ctx, id: 'pinned', checkpoint: 'bad', file })).rejects.toMatchObject({
      code: 'E_INTEGRITY',
    });
    await expect(cacheImport({ ctx: m.ctx, id: 'pinned', checkpoint: 'good', file })).resolves.toMatchObject({
      verifiedBy: 'registry',
    });
  });
});
