import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDu } from '../../src/api/cache-du.js';
import { tmpDir } from '../../src/cache/paths.js';
import { filled } from './cache-setup.js';
import { useWorld } from './get-setup.js';

const world = useWorld();

describe('cache du', () => {
  it('counts hardlinked view files once (in content-v1), copies as the project own bytes, partials apart', async () => {
    const m = await filled(world, 'du', ['lab', 'fallback', 'hf-model']);
    const root = m.ctx.cacheDir;
    await fs.writeFile(path.join(tmpDir(root), 'x.partial'), Buffer.alloc(1234));
    // a view file that is a copy (no hardlink possible) is the project's own bytes
    const copy = path.join(root, 'projects-v1/hf-model/checkpoints/model.bin');
    const bytes = await fs.readFile(copy);
    await fs.rm(copy);
    await fs.writeFile(copy, bytes);
    const r = await cacheDu({ ctx: m.ctx });
    expect(r.areas.content).toEqual({ bytes: 2000 + 3000, files: 2 });
    expect(r.areas.partial).toEqual({ bytes: 1234, files: 1 });
    expect(r.projects).toEqual([
      { id: 'fallback', bytes: 2000, own: 0, files: 1 },
      { id: 'hf-model', bytes: 3000, own: 3000, files: 1 },
      { id: 'lab', bytes: 2000, own: 0, files: 1 },
    ]);
    expect(r.areas.projects.bytes).toBe(3000);
    const sum = Object.values(r.areas).reduce((n, a) => n + a.bytes, 0);
    expect(r.total.bytes).toBe(sum);
    expect(r.total.bytes).toBe(
      5000 + 1234 + 3000 + r.areas.index.bytes + r.areas.locks.bytes + r.areas.other.bytes,
    );
  });
});
