import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachePath } from '../../src/api/cache-path.js';
import { cacheRm } from '../../src/api/cache-rm.js';
import { get } from '../../src/api/get.js';
import { acquireLock } from '../../src/cache/lock.js';
import { blobPath, mirrorPath, projectDir } from '../../src/cache/paths.js';
import { gitSandbox } from '../helpers/git-repos.js';
import { fakeMirror, filled } from './cache-setup.js';
import { fastRetries, useWorld } from './get-setup.js';
import { sha256 } from './host-emulator.js';

const world = useWorld();
const box = gitSandbox();
afterAll(() => box.cleanup());

describe('cache rm and cache path', () => {
  it('removes records, view and mirror, keeps a blob another project shares; the other stays a cache hit', async () => {
    const m = await filled(world, 'rm', ['lab', 'fallback', 'hf-model']);
    const root = m.ctx.cacheDir;
    fakeMirror(box, root, 'https://github.com/openmedlab/lab');
    const labBlob = blobPath(root, sha256(world.emu.data.lab!));
    const dry = await cacheRm({ ctx: m.ctx, ids: ['lab'], dryRun: true });
    expect(dry.removed.map((i) => i.kind)).toEqual(['record', 'view', 'mirror']);
    expect(await fs.stat(projectDir(root, 'lab'))).toBeDefined();
    const r = await cacheRm({ ctx: m.ctx, ids: ['lab'] });
    expect(r.removed).toEqual([
      { kind: 'record', path: path.join(root, 'index-v1/lab/w.json'), bytes: 0, project: 'lab' },
      { kind: 'view', path: projectDir(root, 'lab'), bytes: 0, project: 'lab' },
      {
        kind: 'mirror',
        path: mirrorPath(root, 'https://github.com/openmedlab/lab'),
        bytes: expect.any(Number),
        project: 'lab',
      },
    ]);
    await expect(fs.stat(projectDir(root, 'lab'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await fs.stat(labBlob)).size).toBe(2000);
    const before = world.emu.server.requests.length;
    expect((await get({ ctx: m.ctx, id: 'fallback', retries: fastRetries })).checkpoints[0]!.fromCache).toBe(
      true,
    );
    expect(world.emu.server.requests.length).toBe(before);
    const last = await cacheRm({ ctx: m.ctx, ids: ['fallback'] });
    expect(last.removed).toContainEqual({ kind: 'blob', path: labBlob, bytes: 2000 });
    await expect(fs.stat(labBlob)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.stat(blobPath(root, sha256(world.emu.data.hf!)))).toBeDefined();
  });

  it('refuses while a get holds the project (E_LOCKED); unknown ids get did-you-mean; path prints folders', async () => {
    const m = await filled(world, 'rm2', ['lab']);
    const lock = await acquireLock(m.ctx.cacheDir, 'get-lab-w', { waitMs: 0 });
    await expect(cacheRm({ ctx: m.ctx, ids: ['lab'] })).rejects.toMatchObject({
      code: 'E_LOCKED',
      details: { busy: ['lab'] },
    });
    await lock!.release();
    await expect(cacheRm({ ctx: m.ctx, ids: ['lbb'] })).rejects.toMatchObject({ code: 'E_UNKNOWN_PROJECT' });
    await expect(cacheRm({ ctx: m.ctx, ids: [] })).rejects.toMatchObject({ code: 'E_USAGE' });
    expect(await cachePath({ ctx: m.ctx })).toBe(m.ctx.cacheDir);
    expect(await cachePath({ ctx: m.ctx, id: 'lab' })).toBe(projectDir(m.ctx.cacheDir, 'lab'));
  });
});
