import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { get } from '../../src/api/get.js';
import { spaceMargin, statfsFree } from '../../src/api/get-space.js';
import { fastRetries, machine, useWorld } from './get-setup.js';

const world = useWorld();

const tiny = async () => 1000;

describe('get: disk-space preflight', () => {
  it('stops before any request with E_NO_SPACE when the known size does not fit', async () => {
    const m = await machine(world, 'space');
    const before = world.emu.server.requests.length;
    await expect(
      get({ ctx: m.ctx, id: 'pinned', checkpoints: ['good'], freeSpace: tiny, retries: fastRetries }),
    ).rejects.toMatchObject({
      code: 'E_NO_SPACE',
      exitCode: 6,
      hint: expect.stringContaining('openmedlab cache prune'),
      details: { needed: 2000, free: 1000, margin: spaceMargin(2000), dir: m.ctx.cacheDir },
    });
    expect(world.emu.server.requests.length).toBe(before);
    const plan = await get({
      ctx: m.ctx,
      id: 'pinned',
      checkpoints: ['good'],
      dryRun: true,
      freeSpace: tiny,
    });
    expect(plan.space).toEqual({
      needed: 2000,
      unknown: [],
      free: 1000,
      margin: spaceMargin(2000),
      dir: m.ctx.cacheDir,
    });
  });

  it('counts only what is missing (a cache hit needs no room) and unknown sizes are listed, not guessed', async () => {
    const m = await machine(world, 'space2');
    await get({ ctx: m.ctx, id: 'pinned', checkpoints: ['good'], retries: fastRetries });
    const hit = await get({ ctx: m.ctx, id: 'pinned', checkpoints: ['good'], freeSpace: async () => 0 });
    expect(hit.space).toMatchObject({ needed: 0, free: 0 });
    const plan = await get({ ctx: m.ctx, id: 'lab', dryRun: true, freeSpace: tiny });
    expect(plan.space).toMatchObject({ needed: 0, unknown: ['w'] });
    // the trust record of the first download gives the size next time
    await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    const { blobPath } = await import('../../src/cache/paths.js');
    const { sha256 } = await import('./host-emulator.js');
    await fs.rm(blobPath(m.ctx.cacheDir, sha256(world.emu.data.lab!)));
    await expect(get({ ctx: m.ctx, id: 'lab', freeSpace: tiny })).rejects.toMatchObject({
      code: 'E_NO_SPACE',
    });
    expect(await statfsFree(path.join(m.dir, 'does/not/exist'))).toBeGreaterThan(0);
  });
});
