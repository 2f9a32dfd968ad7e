import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobPath, usedMarkerPath } from '../../src/cache/paths.js';
import { age, corrupt } from '../api/cache-setup.js';
import { machine, useWorld, worldCli } from '../api/get-setup.js';
import { sha256 } from '../api/host-emulator.js';

const world = useWorld();

/** Run the CLI in a machine dir, every host pointed at the emulator. */
const cli = (dir: string, ...argv: string[]) => worldCli(world, dir, argv);

describe('openmedlab cache (CLI)', () => {
  it('path, ls and du, as text and --json', async () => {
    const m = await machine(world, 'clicache');
    const cache = path.join(m.dir, 'cache');
    expect(await cli(m.dir, 'get', 'lab', '--no-code', '-q')).toMatchObject({ code: 0 });
    expect(await cli(m.dir, 'cache', 'path')).toEqual({ code: 0, stdout: `${cache}\n`, stderr: '' });
    expect((await cli(m.dir, 'cache', 'path', 'lab')).stdout).toBe(
      `${path.join(cache, 'projects-v1/lab')}\n`,
    );
    const ls = await cli(m.dir, 'cache', 'ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/^lab {2}1\.95 KiB {2}last used \d{4}-/m);
    expect(ls.stdout).toContain(`    lab.pt  1.95 KiB  sha256:${sha256(world.emu.data.lab!)}`);
    expect(ls.stdout).toMatch(/^1 project, 1 checkpoints, 1 blobs 1\.95 KiB, 0 mirrors 0 B/m);
    const json = JSON.parse((await cli(m.dir, 'cache', 'ls', 'lab', '--json')).stdout);
    expect(json.projects[0]).toMatchObject({ id: 'lab', checkpoints: [{ name: 'w', size: 2000 }] });
    const du = await cli(m.dir, 'cache', 'du');
    expect(du.stdout).toContain('  1.95 KiB  blobs (content-v1)');
    expect(JSON.parse((await cli(m.dir, 'cache', 'du', '--json')).stdout).areas.content).toEqual({
      bytes: 2000,
      files: 1,
    });
  });

  it('verify exits 3 with Wanted/Found after quarantining; --json still prints the result; get re-downloads', async () => {
    const m = await machine(world, 'cliverify');
    await cli(m.dir, 'get', 'lab', '--no-code', '-q');
    const ok = await cli(m.dir, 'cache', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/checked 1 blobs .*: 1 ok, 0 corrupt, 0 missing/);
    const labSha = sha256(world.emu.data.lab!);
    await corrupt(blobPath(path.join(m.dir, 'cache'), labSha));
    const bad = await cli(m.dir, 'cache', 'verify', '--jobs', '2');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain(`  Wanted: sha256:${labSha}, 2000 bytes`);
    expect(bad.stderr).toMatch(/error: 1 corrupt blob\(s\) quarantined/);
    expect(bad.stderr).toContain('hint: run `openmedlab get lab` to download them again');
    const again = await cli(m.dir, 'get', 'lab', '--no-code', '--json');
    expect(JSON.parse(again.stdout).checkpoints[0]).toMatchObject({ fromCache: false });
    await corrupt(blobPath(path.join(m.dir, 'cache'), labSha));
    const asJson = await cli(m.dir, 'cache', 'verify', '--json');
    expect(asJson.code).toBe(3);
    expect(JSON.parse(asJson.stdout).corrupt[0].sha256).toBe(labSha);
    expect(JSON.parse(asJson.stderr)).toMatchObject({ error: { code: 'E_INTEGRITY', exitCode: 3 } });
  });

  it('prune --dry-run lists with sizes, prune and rm remove; bad --older-than is a usage error', async () => {
    const m = await machine(world, 'cliprune');
    await cli(m.dir, 'get', 'lab', '--no-code', '-q');
    await cli(m.dir, 'get', 'hf-model', '--no-code', '-q');
    await age(usedMarkerPath(path.join(m.dir, 'cache'), 'lab'), 10);
    const dry = await cli(m.dir, 'cache', 'prune', '--older-than', '7d', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would remove record .*index-v1\/lab\/w\.json$/m);
    expect(dry.stdout).toMatch(/^would free 1\.95 KiB \(3 items\)$/m); // its blob went with it
    const pruned = JSON.parse((await cli(m.dir, 'cache', 'prune', '--older-than', '7d', '--json')).stdout);
    expect(pruned).toMatchObject({ dryRun: false, projects: ['lab'] });
    expect((await cli(m.dir, 'cache', 'prune', '--older-than', 'soon')).code).toBe(2);
    const rm = await cli(m.dir, 'cache', 'rm', 'hf-model');
    expect(rm.stdout).toMatch(/^removed blob {9}2\.93 KiB {2}/m);
    expect((await cli(m.dir, 'cache', 'ls', '--json')).stdout).toContain('"projects": []');
    expect((await cli(m.dir, 'cache', 'rm', 'nope')).code).toBe(2);
  });
});

describe('openmedlab get --dry-run (disk space)', () => {
  it('shows the known bytes to download and the free space', async () => {
    const m = await machine(world, 'clispace');
    const plan = await cli(m.dir, 'get', 'pinned', '--checkpoint', 'good', '--dry-run');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^to download: 2\.0 KiB; free in the cache: .+$/m);
    const json = JSON.parse((await cli(m.dir, 'get', 'lab', '--dry-run', '--json')).stdout);
    expect(json.space).toMatchObject({ needed: 0, unknown: ['w'], free: expect.any(Number) });
  });
});
