/** The --json output of cache ls, du, verify, prune and rm against schemas/, on caches filled by a real get. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/cache/lock.js';
import { blobPath, tmpDir, usedMarkerPath } from '../../src/cache/paths.js';
import { age, corrupt, fakeMirror, filled } from '../api/cache-setup.js';
import { useWorld } from '../api/get-setup.js';
import { sha256 } from '../api/host-emulator.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { gitSandbox } from '../helpers/git-repos.js';
import { expectInvalid, expectValid } from '../helpers/schemas.js';

const world = useWorld();
const box = gitSandbox();
afterAll(() => box.cleanup());

/** Run the CLI in a machine dir (cache at <dir>/cache), every host pointed at the emulator. */
function cli(dir: string, ...argv: string[]) {
  const env = cleanEnv({
    ...world.emu.env,
    ...box.env,
    OPENMEDLAB_CACHE: path.join(dir, 'cache'),
    OPENMEDLAB_DATA: path.join(dir, 'data'),
    OPENMEDLAB_REGISTRY: world.registryFile,
  });
  return runCli(argv, { env, cwd: dir });
}

/** Run a --json command expecting `exit`; its stdout validated against `schema` and returned. */
async function json(schema: string, exit: number, dir: string, ...argv: string[]) {
  const r = await cli(dir, ...argv);
  expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(exit);
  const value = JSON.parse(r.stdout);
  expectValid(schema, value);
  return { value, stderr: r.stderr };
}

describe('cache ls, du and verify --json match their schemas', () => {
  it('a mirror, a missing blob, a verified record, then a corrupt blob (exit 3, output still valid)', async () => {
    const m = await filled(world, 'schema-cache', ['lab', 'fallback', 'hf-repo', 'hf-model']);
    const root = m.ctx.cacheDir;
    fakeMirror(box, root, 'https://github.com/openmedlab/lab');
    const clean = await json('cache-verify', 0, m.dir, 'cache', 'verify', '--git', '--json');
    expect(clean.value).toMatchObject({ checked: 4, ok: 4, corrupt: [], mirrors: [{ ok: true }] });
    await fs.rm(blobPath(root, sha256(world.emu.data.hf!)));
    const ls = await json('cache-ls', 0, m.dir, 'cache', 'ls', '--json');
    expect(ls.value.projects.map((p: { id: string }) => p.id)).toEqual([
      'fallback',
      'hf-model',
      'hf-repo',
      'lab',
    ]);
    expect(ls.value.projects[3]).toMatchObject({
      lastUsed: expect.any(String),
      mirrors: [{ commits: [expect.any(String)] }],
    });
    expect(ls.value.projects[0].checkpoints[0].verified.how).toBe('cache-verify');
    expect(ls.value.projects[1].checkpoints[0]).toMatchObject({ complete: false });
    await json('cache-ls', 0, m.dir, 'cache', 'ls', 'lab', '--json');

    await corrupt(blobPath(root, sha256(world.emu.data.lab!)));
    const bad = await json('cache-verify', 3, m.dir, 'cache', 'verify', '--json', '--jobs', '2');
    expect(bad.value.corrupt).toHaveLength(1);
    expect(bad.value.missing).toEqual([{ sha256: sha256(world.emu.data.hf!), usedBy: ['hf-model/main'] }]);
    expectValid('error', JSON.parse(bad.stderr.trim()));
    const du = await json('cache-du', 0, m.dir, 'cache', 'du', '--json');
    expect(du.value.areas.quarantine).toEqual({ bytes: 2000, files: 1 });
    expect(du.value.areas.git.files).toBeGreaterThan(0);
  });

  it('are tight: drift in a field, a key or a shape is rejected', () => {
    const sha = 'a'.repeat(64);
    const verify = { root: '/c', checked: 1, bytes: 9, ok: 0, missing: [], seconds: 0.1 };
    const corruptBlob = { sha256: sha, usedBy: ['lab/w'], removedViews: [] };
    expectValid('cache-verify', { ...verify, corrupt: [{ ...corruptBlob, found: { error: 'EIO' } }] });
    expectInvalid('cache-verify', {
      ...verify,
      corrupt: [{ ...corruptBlob, found: { error: 'x', size: 1 } }],
    });
    expectInvalid('cache-verify', { ...verify, corrupt: [], extra: true });
    expectInvalid('cache-du', { root: '/c', areas: {}, projects: [], total: { bytes: 0, files: 0 } });
    const file = { relPath: 'w.pt', size: 1, sha256: sha, present: true, verifiedBy: 'trusted' };
    const checkpoint = {
      name: 'w',
      section: 'checkpoints',
      source: 'https',
      size: 1,
      files: [file],
      fetchedAt: '2026-01-01T00:00:00.000Z',
      verified: { at: '2026-01-01T00:00:00.000Z', how: 'download' },
      complete: true,
    };
    const project = {
      id: 'lab',
      dir: '/c/p',
      inRegistry: true,
      checkpoints: [checkpoint],
      mirrors: [],
      bytes: 1,
    };
    const totals = { projects: 1, checkpoints: 1, files: 1, bytes: 1, mirrors: 0, mirrorBytes: 0 };
    expectInvalid('cache-ls', { root: '/c', projects: [project], totals });
    expectInvalid('cache-prune', { root: '/c', dryRun: true, projects: [], busy: [], removed: [], bytes: 0 });
    expectInvalid('cache-rm', {
      root: '/c',
      projects: ['lab'],
      removed: [{ kind: 'folder', path: '/c/p', bytes: 0 }],
      bytes: 0,
      dryRun: false,
    });
  });
});

describe('cache prune and rm --json match their schemas', () => {
  it('prune --dry-run, then prune with a project a get holds (busy)', async () => {
    const m = await filled(world, 'schema-prune', ['lab', 'zen', 'hf-model']);
    const root = m.ctx.cacheDir;
    for (const id of ['lab', 'zen']) await age(usedMarkerPath(root, id), 40);
    const partial = path.join(tmpDir(root), 'old.w.1.partial');
    await fs.writeFile(partial, 'xx');
    await age(partial, 40);
    const dry = await json('cache-prune', 0, m.dir, 'cache', 'prune', '--dry-run', '--json');
    expect(dry.value).toMatchObject({ dryRun: true, projects: ['lab', 'zen'], busy: [] });
    const held = await acquireLock(root, 'get-zen-rec', { waitMs: 0 });
    try {
      const wet = await json('cache-prune', 0, m.dir, 'cache', 'prune', '--older-than', '2w', '--json');
      expect(wet.value).toMatchObject({ dryRun: false, projects: ['lab'], busy: ['zen'] });
      expect(wet.value.removed.map((i: { kind: string }) => i.kind)).toEqual([
        'record',
        'view',
        'blob',
        'partial',
      ]);
    } finally {
      await held?.release();
    }
  });

  it('rm --dry-run and rm (records, view, mirror, blob); a held project is E_LOCKED as error.json', async () => {
    const m = await filled(world, 'schema-rm', ['lab', 'fallback', 'zen']);
    fakeMirror(box, m.ctx.cacheDir, 'https://github.com/openmedlab/lab');
    const dry = await json('cache-rm', 0, m.dir, 'cache', 'rm', 'lab', '--dry-run', '--json');
    expect(dry.value.removed.map((i: { kind: string }) => i.kind)).toEqual(['record', 'view', 'mirror']);
    const rm = await json('cache-rm', 0, m.dir, 'cache', 'rm', 'lab', 'fallback', '--json');
    expect(rm.value).toMatchObject({ dryRun: false, projects: ['lab', 'fallback'] });
    expect(rm.value.removed.map((i: { kind: string }) => i.kind)).toContain('blob');
    const held = await acquireLock(m.ctx.cacheDir, 'get-zen-rec', { waitMs: 0 });
    try {
      const locked = await cli(m.dir, 'cache', 'rm', 'zen', '--json');
      expect(locked.code).toBe(6);
      expect(locked.stdout).toBe('');
      const error = JSON.parse(locked.stderr.trim());
      expectValid('error', error);
      expect(error).toMatchObject({ error: { code: 'E_LOCKED', exitCode: 6 } });
    } finally {
      await held?.release();
    }
  });
});
