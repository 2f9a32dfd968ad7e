/**
 * The code step over file:// (which supports --depth, --filter and fetch-by-sha with no server):
 * pinned non-tip commits, the warm mirror, --offline, subfolder projects, LFS pointers, rewritten
 * history, hostile input and token hygiene. Server transports are covered in test/git/servers.test.ts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clone, codeStep } from '../../src/api/clone.js';
import { mirrorPath } from '../../src/cache/paths.js';
import type { OmlEvent } from '../../src/events.js';
import {
  type GitSandbox,
  gitSandbox,
  makeRepo,
  noise,
  objectsIn,
  publish,
  type TestRepo,
} from '../helpers/git-repos.js';
import { testProject } from '../helpers/projects.js';

const NO_RETRY = { retries: 0, baseDelayMs: 1 };
const LFS_POINTER =
  'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';

let box: GitSandbox;
let serve: string;
let plain: TestRepo;
let mono: TestRepo;
const fileUrl = (repo: TestRepo) => `file://${repo.bare}`;

beforeAll(() => {
  box = gitSandbox();
  serve = path.join(box.root, 'serve');
  plain = makeRepo(box, serve, 'plain', [
    { 'README.md': 'v1\n', 'src/model.py': 'print(1)\n' },
    { 'README.md': 'v2\n', 'weights/model.pt': LFS_POINTER },
    { 'README.md': 'v3\n' },
  ]);
  mono = makeRepo(box, serve, 'mono', [
    { 'README.md': 'mono\n', 'Axon Segmentation/seg.py': 'a\n', 'big/blob.bin': noise(300_000, 1) },
    { 'Axon Segmentation/seg.py': 'b\n', 'big/blob.bin': noise(300_000, 2), 'other/x.txt': 'x\n' },
    { 'Axon Segmentation/seg.py': 'c\n' },
  ]);
});
afterAll(() => box.cleanup());

describe('clone at a pinned commit', () => {
  it('checks out a non-tip commit, detached, then reuses the warm mirror with no fetch', async () => {
    const ctx = box.context();
    const project = testProject('plain', fileUrl(plain), plain.commits[1]!);
    const events: OmlEvent[] = [];
    const first = await clone({ ctx, project, dest: 'one', events: (e) => events.push(e) });
    expect(first).toMatchObject({
      commit: plain.commits[1],
      fromMirror: false,
      strategy: 'by-sha',
      reused: false,
    });
    expect(readFileSync(path.join(first.path, 'README.md'), 'utf8')).toBe('v2\n');
    expect(box.git(first.path, 'rev-parse', 'HEAD')).toBe(plain.commits[1]);
    expect(box.git(first.path, 'remote', 'get-url', 'origin')).toBe(fileUrl(plain));
    // The LFS pointer is reported (git-lfs is not installed here, or cannot reach a file:// LFS server).
    expect(first.lfs.pointers).toEqual(['weights/model.pt']);
    expect(events.find((e) => e.type === 'warn')).toMatchObject({ code: 'lfs-pointers' });
    expect(events.find((e) => e.type === 'warn' && e.message.includes('weights/model.pt'))).toBeDefined();

    const second = await clone({ ctx, project, dest: 'two' });
    expect(second).toMatchObject({ commit: plain.commits[1], fromMirror: true, strategy: 'cached' });
    const again = await clone({ ctx, project, dest: 'two' });
    expect(again.reused).toBe(true);
  });

  it('lets two clones fill one cold mirror at the same time (the mirror is locked)', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-race') });
    const project = testProject('plain', fileUrl(plain), plain.commits[1]!);
    const [a, b] = await Promise.all([
      clone({ ctx, project, dest: 'race-a' }),
      clone({ ctx, project, dest: 'race-b' }),
    ]);
    expect([a.commit, b.commit]).toEqual([plain.commits[1], plain.commits[1]]);
    expect([a.fromMirror, b.fromMirror].sort()).toEqual([false, true]);
  });

  it('works --offline from the mirror, and fails E_OFFLINE on a cold cache', async () => {
    const project = testProject('plain', fileUrl(plain), plain.commits[0]!);
    await clone({ ctx: box.context(), project, dest: 'warm' });
    const offline = await clone({ ctx: box.context({ offline: true }), project, dest: 'offline' });
    expect(offline).toMatchObject({ fromMirror: true, commit: plain.commits[0] });
    const cold = box.context({ offline: true, cacheDir: path.join(box.root, 'cold-cache') });
    await expect(clone({ ctx: cold, project, dest: 'cold' })).rejects.toMatchObject({ code: 'E_OFFLINE' });
  });

  it('accepts --ref as a branch name or a commit, and uses the repo for --which repo', async () => {
    const ctx = box.context();
    const project = testProject('plain', fileUrl(plain), plain.commits[0]!, {
      url: fileUrl(mono),
      commit: mono.commits[0]!,
    });
    const byName = await clone({ ctx, project, which: 'repo', ref: 'main', dest: 'by-name' });
    expect(byName).toMatchObject({ commit: plain.commits[2], url: fileUrl(plain) });
    const code = await clone({ ctx, project, dest: 'code-default' });
    expect(code).toMatchObject({ commit: mono.commits[0], url: fileUrl(mono), which: 'code' });
  });

  it('refuses a non-empty destination at another commit with E_USAGE and a hint', async () => {
    const ctx = box.context();
    const dest = path.join(box.root, 'busy');
    mkdirSync(dest);
    writeFileSync(path.join(dest, 'file'), 'x');
    const project = testProject('plain', fileUrl(plain), plain.commits[0]!);
    await expect(clone({ ctx, project, dest })).rejects.toMatchObject({
      code: 'E_USAGE',
      hint: expect.stringContaining('another destination'),
    });
  });
});

describe('subfolder projects', () => {
  it('fetches only the folder (and root files): blobs outside it never reach the mirror', async () => {
    const ctx = box.context();
    const project = testProject('axon-seg', fileUrl(plain), plain.commits[0]!, {
      url: fileUrl(mono),
      commit: mono.commits[1]!,
      subfolder: 'Axon Segmentation',
    });
    const result = await clone({ ctx, project, dest: 'axon' });
    expect(result).toMatchObject({ subfolder: 'Axon Segmentation', commit: mono.commits[1] });
    expect(readFileSync(path.join(result.codePath, 'seg.py'), 'utf8')).toBe('b\n');
    expect(existsSync(path.join(result.path, 'README.md'))).toBe(true);
    expect(existsSync(path.join(result.path, 'big'))).toBe(false);
    const bigBlob = box.git(mono.work, 'rev-parse', `${mono.commits[1]}:big/blob.bin`);
    const segBlob = box.git(mono.work, 'rev-parse', `${mono.commits[1]}:Axon Segmentation/seg.py`);
    const objects = objectsIn(box, mirrorPath(ctx.cacheDir, fileUrl(mono)));
    expect(objects.has(segBlob)).toBe(true);
    expect(objects.has(bigBlob)).toBe(false);

    const step = await codeStep({ ctx: box.context({ offline: true }), project });
    expect(step).toMatchObject({
      fromMirror: true,
      path: path.join(ctx.cacheDir, 'projects-v1', 'axon-seg', 'code'),
    });
    expect(existsSync(path.join(step.codePath, 'seg.py'))).toBe(true);
  });
});

describe('failures', () => {
  it('names commit and repository when the pinned commit is gone (rewritten history), exit 4', async () => {
    const repo = makeRepo(box, serve, 'rewritten', [{ a: '1' }, { a: '2' }, { a: '3' }]);
    const gone = repo.commits[1]!;
    box.git(repo.work, 'reset', '--quiet', '--hard', repo.commits[0]!);
    box.git(repo.work, 'commit', '--quiet', '--allow-empty', '-m', 'rewritten');
    box.git(repo.work, 'reflog', 'expire', '--expire=now', '--all');
    box.git(repo.work, 'gc', '--quiet', '--prune=now');
    publish(box, serve, 'rewritten', repo.work);
    const project = testProject('rw', `file://${repo.bare}`, gone);
    const error = await clone({ ctx: box.context(), project, dest: 'rw', retry: NO_RETRY }).catch((e) => e);
    expect(error).toMatchObject({ code: 'E_GIT', exitCode: 4 });
    expect(error.message).toContain(gone);
    expect(error.message).toContain(repo.bare);
  });

  it('refuses hostile refs and URLs before git runs', async () => {
    const logged = fakeGit(box);
    const marker = path.join(box.root, 'pwned');
    const ctx = box.context({}, { PATH: `${logged.bin}:${box.env.PATH}` });
    const project = testProject('plain', fileUrl(plain), plain.commits[0]!);
    await expect(
      clone({ ctx, project, ref: `--upload-pack=touch ${marker}`, dest: 'h1' }),
    ).rejects.toMatchObject({
      code: 'E_USAGE',
    });
    const bad = testProject('bad', `-u${marker}`, plain.commits[0]!);
    await expect(clone({ ctx, project: bad, dest: 'h2' })).rejects.toMatchObject({ code: 'E_USAGE' });
    const helper = testProject('bad', `ext::sh -c touch% ${marker}`, plain.commits[0]!);
    await expect(clone({ ctx, project: helper, dest: 'h3' })).rejects.toMatchObject({ code: 'E_USAGE' });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(logged.log)).toBe(false);
  });

  it('keeps the token off argv (the header travels in GIT_CONFIG_* variables)', async () => {
    const token = 'ghp_TESTSECRET0123456789';
    const logged = fakeGit(box);
    const ctx = box.context({ githubToken: token }, { PATH: `${logged.bin}:${box.env.PATH}` });
    const project = testProject('plain', fileUrl(plain), plain.commits[1]!);
    await clone({ ctx, project, dest: 'token-ok' });
    const argv = readFileSync(logged.log, 'utf8');
    expect(argv).toContain('fetch');
    expect(argv).not.toContain(token);
    expect(argv).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
  });

  it('says git is needed when it is missing', async () => {
    const ctx = box.context({}, { PATH: path.join(box.root, 'no-bin') });
    const project = testProject('plain', fileUrl(plain), plain.commits[0]!);
    await expect(clone({ ctx, project, dest: 'nogit' })).rejects.toMatchObject({
      code: 'E_GIT_MISSING',
      message: 'git is needed for the code step',
      hint: 'install git, or pass --no-code',
    });
  });
});

/** A `git` on PATH that logs its argv (one line per run) and runs the real git. */
function fakeGit(sandbox: GitSandbox): { bin: string; log: string } {
  const bin = path.join(sandbox.root, `fake-bin-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bin);
  const log = path.join(bin, 'argv.log');
  const real = sandbox.git(sandbox.root, '--exec-path').replace(/\/[^/]*$/, '');
  const gitPath = existsSync(`${real}/bin/git`) ? `${real}/bin/git` : '/usr/bin/git';
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec ${gitPath} "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  return { bin, log };
}
