import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheLs } from '../../src/api/cache-ls.js';
import { cacheVerify } from '../../src/api/cache-verify.js';
import { get } from '../../src/api/get.js';
import { readEntry } from '../../src/cache/entries.js';
import { hashFiles } from '../../src/cache/hash-pool.js';
import { blobPath } from '../../src/cache/paths.js';
import { corrupt, filled } from './cache-setup.js';
import { fastRetries, useWorld } from './get-setup.js';
import { bytes, sha256 } from './host-emulator.js';

const world = useWorld();

describe('cache verify', () => {
  it('quarantines a corrupt blob, forgets its records and view links; the next get downloads it again', async () => {
    const m = await filled(world, 'verify', ['lab', 'fallback', 'hf-model']);
    const root = m.ctx.cacheDir;
    const labSha = sha256(world.emu.data.lab!);
    await corrupt(blobPath(root, labSha));
    const r = await cacheVerify({ ctx: m.ctx, jobs: 2 });
    expect(r).toMatchObject({ checked: 2, ok: 1, missing: [] });
    expect(r.corrupt).toEqual([
      {
        sha256: labSha,
        found: { sha256: expect.not.stringMatching(labSha), size: 2000 },
        expectedSize: 2000,
        quarantined: expect.stringContaining(path.join(root, 'quarantine-v1', `${labSha}.`)),
        usedBy: ['fallback/weights', 'lab/w'],
        removedViews: [
          path.join(root, 'projects-v1/fallback/checkpoints/lab.pt'),
          path.join(root, 'projects-v1/lab/checkpoints/lab.pt'),
        ],
      },
    ]);
    await expect(fs.stat(blobPath(root, labSha))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readEntry(root, 'lab', 'w')).toBeUndefined();
    // the good blob's record is stamped
    const ls = await cacheLs({ ctx: m.ctx, ids: ['hf-model'] });
    expect(ls.projects[0]!.checkpoints[0]!.verified.how).toBe('cache-verify');
    const before = world.emu.server.requests.length;
    const again = await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    expect(again.checkpoints[0]).toMatchObject({ fromCache: false, verifiedBy: 'tofu' });
    expect(world.emu.server.requests.length).toBeGreaterThan(before);
    expect(await fs.readFile(again.checkpoints[0]!.path)).toEqual(world.emu.data.lab);
    expect((await cacheVerify({ ctx: m.ctx })).corrupt).toEqual([]);
  });

  it('limits to named projects, reports missing blobs, and checks mirrors with git fsck', async () => {
    const m = await filled(world, 'verify2', ['lab', 'hf-model']);
    await fs.rm(blobPath(m.ctx.cacheDir, sha256(world.emu.data.hf!)));
    const r = await cacheVerify({ ctx: m.ctx, ids: ['hf-model'], git: true });
    expect(r).toMatchObject({
      checked: 0,
      corrupt: [],
      missing: [{ sha256: sha256(world.emu.data.hf!), usedBy: ['hf-model/main'] }],
      mirrors: [],
    });
    expect((await cacheVerify({ ctx: m.ctx, ids: ['lab'] })).checked).toBe(1);
  });

  it('hashFiles on worker threads matches the inline path, in input order, with read errors reported', async () => {
    const dir = await fs.mkdtemp(path.join(world.root, 'pool-'));
    const files = [];
    for (let i = 0; i < 5; i++) {
      const f = path.join(dir, `f${i}`);
      await fs.writeFile(f, bytes(100_000 * (i + 1), i));
      files.push(f);
    }
    files.push(path.join(dir, 'missing'));
    const pooled = await hashFiles(files, { jobs: 2 });
    const inline = await hashFiles(files, { inline: true });
    expect(pooled).toEqual(inline);
    expect(pooled[0]).toEqual({ file: files[0], sha256: sha256(bytes(100_000, 0)), size: 100_000 });
    expect(pooled[5]).toEqual({ file: files[5], error: 'ENOENT' });
  });
});
