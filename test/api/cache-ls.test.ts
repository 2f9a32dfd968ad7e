import fs from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheLs } from '../../src/api/cache-ls.js';
import { mirrorPath, usedMarkerPath } from '../../src/cache/paths.js';
import { gitSandbox } from '../helpers/git-repos.js';
import { fakeMirror, filled } from './cache-setup.js';
import { useWorld } from './get-setup.js';
import { sha256 } from './host-emulator.js';

const world = useWorld();
const box = gitSandbox();
afterAll(() => box.cleanup());

describe('cache ls', () => {
  it('lists checkpoints with files, sizes, sha256, source, verification and last use; totals count a shared blob once', async () => {
    const m = await filled(world, 'ls', ['lab', 'fallback', 'hf-repo']);
    const r = await cacheLs({ ctx: m.ctx });
    expect(r.projects.map((p) => p.id)).toEqual(['fallback', 'hf-repo', 'lab']);
    const lab = r.projects.find((p) => p.id === 'lab')!;
    expect(lab.checkpoints).toEqual([
      expect.objectContaining({
        name: 'w',
        source: 'https',
        size: 2000,
        complete: true,
        files: [
          {
            relPath: 'lab.pt',
            size: 2000,
            sha256: sha256(world.emu.data.lab!),
            verifiedBy: 'first-use',
            present: true,
          },
        ],
        verified: { at: expect.any(String), how: 'download' },
      }),
    ]);
    expect(Date.parse(lab.lastUsed!)).toBe(
      Math.floor((await fs.stat(usedMarkerPath(m.ctx.cacheDir, 'lab'))).mtimeMs),
    );
    const repo = r.projects.find((p) => p.id === 'hf-repo')!;
    expect(repo.checkpoints[0]!.files.map((f) => f.relPath)).toEqual([
      'config.json',
      'weights/model.safetensors',
    ]);
    // lab and fallback share one blob: 2000 + 7 + 5000 bytes in three blobs
    expect(r.totals).toMatchObject({ projects: 3, checkpoints: 3, files: 3, bytes: 2000 + 7 + 5000 });
  });

  it('filters by id or alias, reports a missing blob, and lists code mirrors with their pinned commits', async () => {
    const m = await filled(world, 'ls2', ['lab', 'hf-model']);
    const sha = fakeMirror(box, m.ctx.cacheDir, 'https://github.com/openmedlab/lab');
    const { blobPath } = await import('../../src/cache/paths.js');
    await fs.rm(blobPath(m.ctx.cacheDir, sha256(world.emu.data.hf!)), { force: true });
    const r = await cacheLs({ ctx: m.ctx, ids: ['lab', 'hf-model'] });
    const lab = r.projects.find((p) => p.id === 'lab')!;
    expect(lab.mirrors).toEqual([
      {
        url: 'https://github.com/openmedlab/lab',
        path: mirrorPath(m.ctx.cacheDir, 'https://github.com/openmedlab/lab'),
        bytes: expect.any(Number),
        pinned: { commit: 'a'.repeat(40), present: false },
        commits: [sha],
      },
    ]);
    expect(r.projects.find((p) => p.id === 'hf-model')!.checkpoints[0]).toMatchObject({ complete: false });
    await expect(cacheLs({ ctx: m.ctx, ids: ['nope'] })).rejects.toMatchObject({ code: 'E_UNKNOWN_PROJECT' });
  });
});
