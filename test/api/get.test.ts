import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { get } from '../../src/api/get.js';
import { blobPath } from '../../src/cache/paths.js';
import { fastRetries, listTree, machine, useWorld } from './get-setup.js';
import { sha256 } from './host-emulator.js';

const world = useWorld();

describe('get: hosts', () => {
  it('Hugging Face: follows the CDN redirect, checks X-Linked-ETag; a second get is a cache hit with no request', async () => {
    const m = await machine(world, 'hf');
    const r = await get({ ctx: m.ctx, id: 'hf-model', events: m.sink, retries: fastRetries });
    const [c] = r.checkpoints;
    expect(c).toMatchObject({
      checkpoint: 'main',
      sha256: sha256(world.emu.data.hf!),
      verifiedBy: 'server-digest',
      fromCache: false,
      source: { host: 'huggingface' },
    });
    expect(c!.path).toBe(path.join(m.dir, 'cache/projects-v1/hf-model/checkpoints/model.bin'));
    expect(await fs.readFile(c!.path)).toEqual(world.emu.data.hf);
    const before = world.emu.server.requests.length;
    const again = await get({ ctx: m.ctx, id: 'hf-model', retries: fastRetries });
    expect(again.checkpoints[0]).toMatchObject({
      fromCache: true,
      verifiedBy: 'tofu',
      source: { host: 'huggingface' },
    });
    expect(world.emu.server.requests.length).toBe(before);
  });

  it('Hugging Face: a whole repo is listed and every file fetched, LFS sha256 checked', async () => {
    const m = await machine(world, 'hfrepo');
    const r = await get({ ctx: m.ctx, id: 'hf-repo', retries: fastRetries });
    const c = r.checkpoints[0]!;
    expect(c.files.map((f) => [f.relPath, f.verifiedBy])).toEqual([
      ['config.json', 'first-use'],
      ['weights/model.safetensors', 'server-digest'],
    ]);
    expect(c.verifiedBy).toBe('first-use');
    expect(await fs.readFile(path.join(c.path, 'weights/model.safetensors'))).toEqual(world.emu.data.lfs);
  });

  it('follows Link rel="next" pages of a listing; one TOFU warning per checkpoint', async () => {
    const m = await machine(world, 'paged');
    const r = await get({ ctx: m.ctx, id: 'hf-paged', events: m.sink, retries: fastRetries });
    expect(r.checkpoints[0]!.files.map((f) => f.relPath)).toEqual(['one.json', 'two.json']);
    expect(m.events.filter((e) => e.type === 'warn')).toEqual([
      expect.objectContaining({ code: 'W_TOFU', message: expect.stringContaining('the 2 files') }),
    ]);
  });

  it('Hugging Face gated: HF_TOKEN is sent; without it the error names the access page', async () => {
    const ok = await machine(world, 'gated', { HF_TOKEN: 'hf_test' });
    await expect(get({ ctx: ok.ctx, id: 'gated', retries: fastRetries })).resolves.toBeDefined();
    const anon = await machine(world, 'anon');
    await expect(get({ ctx: anon.ctx, id: 'gated', retries: fastRetries })).rejects.toMatchObject({
      code: 'E_HTTP',
      hint: expect.stringContaining('https://huggingface.co/OpenMEDLab/Gated'),
    });
  });

  it('Google Drive: passes the virus-scan form, names the file from Content-Disposition, trusts on first use with a warning', async () => {
    const m = await machine(world, 'drive');
    const r = await get({ ctx: m.ctx, id: 'drive', events: m.sink, retries: fastRetries });
    expect(r.checkpoints[0]).toMatchObject({
      verifiedBy: 'first-use',
      path: expect.stringMatching(/checkpoints\/drive_weights\.pth$/),
    });
    expect(await fs.readFile(r.checkpoints[0]!.path)).toEqual(world.emu.data.drive);
    expect(m.events.find((e) => e.type === 'warn')).toMatchObject({
      code: 'W_TOFU',
      message: expect.stringContaining('trust-v1'),
    });
    expect(await listTree(path.join(m.dir, 'data/trust-v1'))).toHaveLength(1);
  });

  it('falls back to the next source after a Drive quota page', async () => {
    const m = await machine(world, 'fallback');
    const r = await get({ ctx: m.ctx, id: 'fallback', events: m.sink, retries: fastRetries });
    expect(r.checkpoints[0]).toMatchObject({ source: { index: 1, host: 'https' } });
    expect(m.events.find((e) => e.type === 'source-failed')).toMatchObject({
      host: 'google-drive',
      reason: expect.stringMatching(/too many users/i),
    });
  });

  it('Google Drive folder: lists, recurses into the sub-folder, fetches every file', async () => {
    const m = await machine(world, 'folder');
    const r = await get({ ctx: m.ctx, id: 'folder', retries: fastRetries });
    expect(r.checkpoints[0]!.files.map((f) => f.relPath)).toEqual(['a.pt', 'sub/b.pt']);
    expect(await fs.readFile(path.join(r.checkpoints[0]!.path, 'sub/b.pt'))).toEqual(world.emu.data.f2);
  });

  it('SharePoint and Zenodo', async () => {
    const m = await machine(world, 'spzen');
    const sp = await get({ ctx: m.ctx, id: 'sp', retries: fastRetries });
    expect(path.basename(sp.checkpoints[0]!.path)).toBe('endo_fm.pth');
    expect(await fs.readFile(sp.checkpoints[0]!.path)).toEqual(world.emu.data.sp);
    const zen = await get({ ctx: m.ctx, id: 'zen', retries: fastRetries });
    expect(await fs.readFile(zen.checkpoints[0]!.path)).toEqual(world.emu.data.zen);
  });

  it('Baidu Pan only: E_MANUAL (exit 5) with the URL, the code and the import command', async () => {
    const m = await machine(world, 'baidu');
    const error = await get({ ctx: m.ctx, id: 'baidu' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_MANUAL',
      exitCode: 5,
      hint: 'openmedlab cache import baidu w w.pth',
    });
    expect((error as Error).message).toContain('https://pan.baidu.com/s/1abc');
    expect((error as Error).message).toContain('x7k2');
  });

  it('merges several manual checkpoints into one E_MANUAL, after fetching the others', async () => {
    const m = await machine(world, 'mixed');
    await fs.writeFile(
      path.join(m.dir, 'openmedlab.lock'),
      JSON.stringify({ lockfileVersion: 1, registryVersion: '0', files: {} }),
    );
    const error = (await get({ ctx: m.ctx, id: 'mixed', retries: fastRetries }).catch(
      (e: unknown) => e,
    )) as Error & { hint: string };
    expect(error).toMatchObject({ code: 'E_MANUAL', details: { fetched: ['ok'] } });
    expect(error.hint).toBe(
      'openmedlab cache import mixed pan p.pth; openmedlab cache import mixed form <downloaded-file>',
    );
    expect(error.message).toContain('extraction code: abcd');
    expect(await listTree(path.join(m.dir, 'cache/projects-v1/mixed/checkpoints'))).toEqual(['lab.pt']);
    const lock = JSON.parse(await fs.readFile(path.join(m.dir, 'openmedlab.lock'), 'utf8'));
    expect(Object.keys(lock.files)).toEqual(['mixed/ok/lab.pt']);
  });

  it('in-repo checkpoints come from the code step (the seam the CLI wires to api/clone.ts)', async () => {
    const m = await machine(world, 'inrepo');
    const codeDir = path.join(m.dir, 'code');
    await fs.mkdir(path.join(codeDir, 'weights'), { recursive: true });
    await fs.writeFile(path.join(codeDir, 'weights/w.pt'), 'committed weights');
    const calls: string[] = [];
    const codeStep = async ({ project }: { project: { id: string } }) => {
      calls.push(project.id);
      return { dir: codeDir };
    };
    const r = await get({ ctx: m.ctx, id: 'inrepo', codeStep });
    expect(calls).toEqual(['inrepo']);
    expect(r.code).toEqual({ dir: codeDir });
    expect(await fs.readFile(r.checkpoints[0]!.path, 'utf8')).toBe('committed weights');
    expect(r.checkpoints[0]).toMatchObject({ verifiedBy: 'commit' });
    await expect(
      get({ ctx: m.ctxFor({ cacheDir: path.join(m.dir, 'c2') }), id: 'inrepo' }),
    ).rejects.toMatchObject({
      code: 'E_HOST',
      hint: 'run without --no-code',
    });
  });

  it('refuses a hostile archive: nothing lands outside, nothing half-extracted', async () => {
    const m = await machine(world, 'evil');
    const dest = path.join(m.dir, 'a', 'b');
    await expect(get({ ctx: m.ctx, id: 'evil', dest, retries: fastRetries })).rejects.toMatchObject({
      code: 'E_HOST',
      message: expect.stringContaining('../../escaped.txt'),
    });
    expect(await listTree(path.join(m.dir, 'a'))).toEqual(['b']);
    expect(await listTree(dest)).toEqual([]);
    await expect(fs.stat(path.join(m.dir, 'escaped.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('extracts an archive checkpoint into a folder', async () => {
    const m = await machine(world, 'arch');
    const r = await get({ ctx: m.ctx, id: 'arch', retries: fastRetries });
    expect(await fs.readFile(path.join(r.checkpoints[0]!.path, 'w/x.pt'), 'utf8')).toBe('x-weights');
  });
});

describe('get: integrity, trust, lockfile, modes', () => {
  it('a registry pin that does not match is E_INTEGRITY and nothing is kept', async () => {
    const m = await machine(world, 'pinbad');
    await expect(
      get({ ctx: m.ctx, id: 'pinned', checkpoints: ['bad'], retries: fastRetries }),
    ).rejects.toMatchObject({
      code: 'E_INTEGRITY',
      exitCode: 3,
    });
    expect(await listTree(path.join(m.dir, 'cache/content-v1'))).toEqual([]);
    expect((await listTree(path.join(m.dir, 'cache/tmp-v1'))).filter((f) => f.includes('partial'))).toEqual(
      [],
    );
    expect(await listTree(path.join(m.dir, 'cache/projects-v1'))).toEqual([]);
    const ok = await get({ ctx: m.ctx, id: 'pinned', checkpoints: ['good'], retries: fastRetries });
    expect(ok.checkpoints[0]).toMatchObject({ verifiedBy: 'registry' });
  });

  it('TOFU: recorded on first use; a different file later (new cache, same data dir) is E_INTEGRITY naming the record', async () => {
    const m = await machine(world, 'tofu');
    await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    const lab = world.emu.data.lab!;
    world.emu.server.file('/files/lab.pt', Buffer.from(lab.map((b) => b ^ 1)));
    try {
      const second = m.ctxFor({ cacheDir: path.join(m.dir, 'cache2') });
      await expect(get({ ctx: second, id: 'lab', retries: fastRetries })).rejects.toMatchObject({
        code: 'E_INTEGRITY',
        hint: expect.stringContaining(path.join(m.dir, 'data', 'trust-v1')),
      });
      expect(await listTree(path.join(m.dir, 'cache2/content-v1'))).toEqual([]);
    } finally {
      world.emu.server.file('/files/lab.pt', lab);
    }
  });

  it('updates a lockfile only when one exists; --frozen refuses unpinned files and never rewrites it', async () => {
    const m = await machine(world, 'lock');
    await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    expect(await listTree(m.dir)).not.toContain('openmedlab.lock');
    await expect(get({ ctx: m.ctx, id: 'lab', frozen: true })).rejects.toMatchObject({
      code: 'E_FROZEN',
      exitCode: 6,
    });
    const lockFile = path.join(m.dir, 'openmedlab.lock');
    await fs.writeFile(lockFile, JSON.stringify({ lockfileVersion: 1, registryVersion: '0', files: {} }));
    const r = await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    expect(r.lockFile).toBe(lockFile);
    const lock = JSON.parse(await fs.readFile(lockFile, 'utf8'));
    expect(lock).toMatchObject({
      registryVersion: '2026.1.0',
      files: { 'lab/w/lab.pt': { sha256: sha256(world.emu.data.lab!), source: { host: 'https' } } },
    });
    const text = await fs.readFile(lockFile, 'utf8');
    const frozen = await get({
      ctx: m.ctxFor({ cacheDir: path.join(m.dir, 'c3') }),
      id: 'lab',
      frozen: true,
      retries: fastRetries,
    });
    expect(frozen.checkpoints[0]).toMatchObject({ verifiedBy: 'lock', fromCache: false });
    expect(await fs.readFile(lockFile, 'utf8')).toBe(text);
  });

  it('--offline: a cache hit opens no connection; a miss is E_OFFLINE (exit 6)', async () => {
    const m = await machine(world, 'offline');
    await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    const before = world.emu.server.requests.length;
    const hit = await get({ ctx: m.ctxFor({ offline: true }), id: 'lab' });
    expect(hit.checkpoints[0]).toMatchObject({ fromCache: true });
    await expect(get({ ctx: m.ctxFor({ offline: true }), id: 'drive' })).rejects.toMatchObject({
      code: 'E_OFFLINE',
      exitCode: 6,
    });
    expect(world.emu.server.requests.length).toBe(before);
  });

  it('--dry-run shows sources, sizes and cache hits without the network', async () => {
    const m = await machine(world, 'dry');
    const before = world.emu.server.requests.length;
    const r = await get({ ctx: m.ctx, id: 'fallback', dryRun: true });
    expect(r.plan).toEqual([
      {
        checkpoint: 'weights',
        filename: 'lab.pt',
        size: undefined,
        pinnedBy: undefined,
        cached: false,
        sources: [
          {
            host: 'google-drive',
            kind: 'file',
            url: `${world.emu.origin}/download?id=QUOTA&export=download`,
          },
          { host: 'https', kind: 'file', url: `${world.emu.origin}/files/lab.pt` },
        ],
      },
    ]);
    expect(world.emu.server.requests.length).toBe(before);
  });

  it('--dest places files by filename with no temp files left, sharing the blob', async () => {
    const m = await machine(world, 'dest');
    const dest = path.join(m.dir, 'out');
    const r = await get({ ctx: m.ctx, id: 'pinned', checkpoints: ['good'], dest, retries: fastRetries });
    expect(r.dir).toBe(dest);
    expect(await listTree(dest)).toEqual(['lab.pt']);
    const [a, b] = await Promise.all([
      fs.stat(path.join(dest, 'lab.pt')),
      fs.stat(blobPath(m.ctx.cacheDir, sha256(world.emu.data.lab!))),
    ]);
    expect(a.ino).toBe(b.ino);
  });

  it('a corrupted blob is never handed out: quarantined and fetched again', async () => {
    const m = await machine(world, 'corrupt');
    const first = await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    const blob = blobPath(m.ctx.cacheDir, sha256(world.emu.data.lab!));
    await fs.chmod(blob, 0o644);
    await fs.writeFile(blob, Buffer.alloc(world.emu.data.lab!.length));
    const again = await get({ ctx: m.ctx, id: 'lab', retries: fastRetries });
    expect(again.checkpoints[0]).toMatchObject({ fromCache: false, verifiedBy: 'tofu' });
    expect(await fs.readFile(first.checkpoints[0]!.path)).toEqual(world.emu.data.lab);
    expect(await listTree(path.join(m.dir, 'cache/quarantine-v1'))).toHaveLength(1);
  });

  it('--jobs bounds the files in flight', async () => {
    let inflight = 0;
    let peak = 0;
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    world.emu.server.handle('/api/models/OpenMEDLab/Many/tree/main', (_req, res, record) => {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(names.map((n) => ({ type: 'file', oid: n, size: 3, path: `${n}.bin` }))));
    });
    for (const n of names) {
      world.emu.server.handle(`/OpenMEDLab/Many/resolve/main/${n}.bin`, (_req, res, record) => {
        inflight++;
        peak = Math.max(peak, inflight);
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '3' });
        setTimeout(() => {
          inflight--;
          res.end(n.repeat(3));
        }, 50);
      });
    }
    const m = await machine(world, 'jobs');
    const r = await get({ ctx: m.ctx, id: 'hf-many', jobs: 2, retries: fastRetries });
    expect(r.checkpoints[0]!.files).toHaveLength(6);
    expect(peak).toBe(2);
  });

  it('unknown checkpoint is E_UNKNOWN_ARTIFACT', async () => {
    const m = await machine(world, 'unknown');
    await expect(get({ ctx: m.ctx, id: 'lab', checkpoints: ['nope'] })).rejects.toMatchObject({
      code: 'E_UNKNOWN_ARTIFACT',
    });
  });
});
