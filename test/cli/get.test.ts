import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { machine, useWorld, worldCli } from '../api/get-setup.js';

const world = useWorld();

/** Run the CLI in a machine dir, every host pointed at the emulator. */
const cli = (dir: string, ...argv: string[]) => worldCli(world, dir, argv);

describe('openmedlab get (CLI)', () => {
  it('prints the project folder on stdout and progress lines on stderr', async () => {
    const m = await machine(world, 'cli');
    const r = await cli(m.dir, 'get', 'lab', '--no-code');
    expect(r).toMatchObject({ code: 0, stdout: `${path.join(m.dir, 'cache/projects-v1/lab')}\n` });
    expect(r.stderr).toMatch(/^downloading lab\/w/m);
    expect(r.stderr).toMatch(/warning: .*trusting this first download/);
    const quiet = await cli(m.dir, 'get', 'lab', '--no-code', '-q');
    expect(quiet).toEqual({ code: 0, stdout: `${path.join(m.dir, 'cache/projects-v1/lab')}\n`, stderr: '' });
    const json = JSON.parse((await cli(m.dir, 'get', 'lab', '--no-code', '--json')).stdout);
    expect(json.checkpoints[0]).toMatchObject({
      checkpoint: 'w',
      verifiedBy: 'tofu',
      fromCache: true,
      source: { host: 'https' },
    });
  });

  it('exit 5 with the import command for Baidu, and cache import brings the file in', async () => {
    const m = await machine(world, 'clibaidu');
    const r = await cli(m.dir, 'get', 'baidu', '--no-code');
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('extraction code: x7k2');
    expect(r.stderr).toContain('hint: openmedlab cache import baidu w w.pth');
    await fs.writeFile(path.join(m.dir, 'w.pth'), 'by hand');
    const imp = await cli(m.dir, 'cache', 'import', 'baidu', 'w', 'w.pth');
    expect(imp).toMatchObject({
      code: 0,
      stdout: `${path.join(m.dir, 'cache/projects-v1/baidu/checkpoints/w.pth')}\n`,
    });
    expect((await cli(m.dir, 'get', 'baidu', '--no-code')).code).toBe(0);
  });

  it('--dry-run prints the plan; --jobs is checked; lock writes openmedlab.lock; --frozen uses it', async () => {
    const m = await machine(world, 'cliplan');
    const plan = await cli(m.dir, 'get', 'fallback', '--dry-run');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('weights  lab.pt  ?  to fetch');
    expect((await cli(m.dir, 'get', 'lab', '--jobs', '0')).code).toBe(2);
    expect(await cli(m.dir, 'get', 'lab', '--lock', 'missing.lock')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no such file'),
    });
    expect((await cli(m.dir, 'get', 'lab', '--no-code', '--frozen')).code).toBe(6);
    const lock = await cli(m.dir, 'lock', 'lab');
    expect(lock).toMatchObject({ code: 0, stdout: `${path.join(m.dir, 'openmedlab.lock')}\n` });
    expect((await cli(m.dir, 'get', 'lab', '--no-code', '--frozen')).code).toBe(0);
    expect((await cli(m.dir, 'get', 'drive', '--no-code', '--offline')).code).toBe(6);
  });
});
