/**
 * The published library: the built entry (dist/index.js, its declarations, the package.json exports
 * map) runs listProjects, findProject, cite and a get against the loopback emulator, emits events,
 * and prints nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorld, type World } from './api/get-setup.js';
import { ROOT } from './helpers/cli.js';

type Lib = typeof import('../src/index.js');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

let world: World;
let lib: Lib;
beforeAll(async () => {
  world = await startWorld();
  lib = (await import(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href)) as Lib;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await world.emu.server.close();
  await fs.rm(world.root, { recursive: true, force: true });
});

describe('the built package', () => {
  it('declares its entry and types, and both exist after the build', () => {
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.types).toBe('./dist/index.d.ts');
    const dts = readFileSync(path.join(ROOT, 'dist', 'index.d.ts'), 'utf8');
    for (const name of ['listProjects', 'findProject', 'get', 'cite', 'clone', 'lock', 'cacheImport'])
      expect(dts).toMatch(new RegExp(`\\b${name}\\b`));
    for (const file of ['api/get-types.d.ts', 'events.d.ts', 'api/find-project.d.ts'])
      expect(existsSync(path.join(ROOT, 'dist', file)), file).toBe(true);
  });

  it("resolves as 'openmedlab' through the exports map from another project", async () => {
    const project = await fs.mkdtemp(path.join(world.root, 'consumer-'));
    await fs.mkdir(path.join(project, 'node_modules'));
    await fs.symlink(ROOT, path.join(project, 'node_modules', 'openmedlab'), 'dir');
    await fs.writeFile(path.join(project, 'package.json'), '{"type":"module"}');
    const script = `import * as oml from 'openmedlab';
const ctx = oml.createContext({ cwd: process.cwd() }, {});
const p = await oml.findProject({ ctx, id: 'STU-Net' });
console.log(JSON.stringify({ resolved: import.meta.resolve('openmedlab'), id: p.id,
  fns: ['listProjects', 'findProject', 'get', 'cite', 'clone', 'lock', 'cacheImport'].map((n) => typeof oml[n]) }));`;
    await fs.writeFile(path.join(project, 'use.mjs'), script);
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: project });
    const out = JSON.parse(stdout);
    expect(out.resolved).toMatch(/\/dist\/index\.js$/);
    expect(out.id).toBe('stu-net');
    expect(new Set(out.fns)).toEqual(new Set(['function']));
  });

  it('listProjects, findProject, cite and get: results and events, nothing printed', async () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    const dir = await fs.mkdtemp(path.join(world.root, 'lib-'));
    const ctx = lib.createContext(
      {
        cwd: dir,
        registryFile: world.registryFile,
        cacheDir: path.join(dir, 'cache'),
        dataDir: path.join(dir, 'data'),
        configDir: path.join(dir, 'config'),
      },
      world.emu.env,
    );
    const bundled = lib.createContext({ cwd: dir, configDir: path.join(dir, 'config') }, {});
    const ct = await lib.listProjects({ ctx: bundled, filter: { modality: ['ct'], hasWeights: true } });
    expect(ct.length).toBeGreaterThan(0);
    expect((await lib.findProject({ ctx: bundled, id: ct[0]!.id })).id).toBe(ct[0]!.id);
    await expect(lib.findProject({ ctx: bundled, id: 'stu-nett' })).rejects.toMatchObject({
      code: 'E_UNKNOWN_PROJECT',
      exitCode: 2,
    });
    expect(await lib.cite({ ctx: bundled, ids: ['medfmc'] })).toMatch(/^@\w+\{/);
    const events: Array<{ type: string }> = [];
    const result = await lib.get({ ctx, id: 'hf-model', events: (e) => events.push(e) });
    expect(result.checkpoints[0]).toMatchObject({ checkpoint: 'main', verifiedBy: 'server-digest' });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['download-start', 'download-progress', 'download-end']),
    );
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
  });
});
