/**
 * The code step against real servers on 127.0.0.1: `git daemon` (git://) and smart HTTP
 * (git-http-backend), protocol v2 (fetch by sha) and v0 (the server refuses it: fallback), a
 * submodule served by the same server, mirror endpoints (OPENMEDLAB_GITHUB_ENDPOINT and insteadOf),
 * the token header and its redaction, and a warm mirror used with the server stopped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clone } from '../../src/api/clone.js';
import { type GitSandbox, gitSandbox, makeRepo, type TestRepo } from '../helpers/git-repos.js';
import { type GitDaemon, type HttpGitServer, startGitDaemon, startHttpGit } from '../helpers/git-servers.js';
import { testProject } from '../helpers/projects.js';

const NO_RETRY = { retries: 0, baseDelayMs: 1 };
/** Make our side speak protocol v0, where a server without allowReachableSHA1InWant refuses fetching by sha. */
const V0 = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'protocol.version', GIT_CONFIG_VALUE_0: '0' };

let box: GitSandbox;
let serve: string;
let repo: TestRepo;
let lib: TestRepo;
let superRepo: TestRepo;
let daemon: GitDaemon;
let web: HttpGitServer;
let webV0: HttpGitServer;

beforeAll(async () => {
  box = gitSandbox();
  serve = path.join(box.root, 'serve');
  repo = makeRepo(box, serve, 'owner/repo', [{ 'a.txt': '1\n' }, { 'a.txt': '2\n' }, { 'a.txt': '3\n' }]);
  lib = makeRepo(box, serve, 'owner/lib', [{ 'lib.py': 'one\n' }, { 'lib.py': 'two\n' }]);
  // The superproject records lib at its first (non-tip) commit, by a relative URL that any server resolves.
  superRepo = makeRepo(box, serve, 'owner/super', [{ 'main.py': 'x\n' }]);
  box.git(superRepo.work, 'submodule', '--quiet', 'add', `file://${lib.bare}`, 'vendor/lib');
  box.git(path.join(superRepo.work, 'vendor/lib'), 'checkout', '--quiet', lib.commits[0]!);
  box.git(superRepo.work, 'config', '--file', '.gitmodules', 'submodule.vendor/lib.url', '../lib.git');
  box.git(superRepo.work, 'add', '-A');
  box.git(superRepo.work, 'commit', '--quiet', '-m', 'add lib');
  superRepo.commits.push(box.git(superRepo.work, 'rev-parse', 'HEAD'));
  box.git(superRepo.work, 'push', '--quiet', superRepo.bare, 'HEAD:main');
  daemon = await startGitDaemon(serve, box.env);
  web = await startHttpGit(serve, box.env);
  webV0 = await startHttpGit(serve, box.env, { protocolV0: true });
});
afterAll(async () => {
  await Promise.all([daemon.stop(), web.stop(), webV0.stop()]);
  box.cleanup();
});

describe('git daemon', () => {
  it('fetches a non-tip commit by sha, then clones from the warm mirror with the daemon stopped', async () => {
    const own = await startGitDaemon(serve, box.env);
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-daemon') });
    const project = testProject('p', `${own.url}/owner/repo.git`, repo.commits[1]!);
    const first = await clone({ ctx, project, dest: 'daemon-1' });
    expect(first).toMatchObject({ strategy: 'by-sha', commit: repo.commits[1], fromMirror: false });
    expect(own.connections()).toBeGreaterThan(0);
    await own.stop();
    const second = await clone({ ctx, project, dest: 'daemon-2', retry: NO_RETRY });
    expect(second).toMatchObject({ strategy: 'cached', fromMirror: true, commit: repo.commits[1] });
    expect(readFileSync(path.join(second.path, 'a.txt'), 'utf8')).toBe('2\n');
  });

  it('falls back to a full fetch when the server refuses fetching by sha (protocol v0)', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-daemon-v0') }, V0);
    const project = testProject('p', `${daemon.url}/owner/repo.git`, repo.commits[0]!);
    const events: string[] = [];
    const result = await clone({ ctx, project, dest: 'daemon-v0', events: (e) => events.push(e.type) });
    expect(result).toMatchObject({ strategy: 'full', commit: repo.commits[0] });
    expect(box.git(result.path, 'rev-parse', 'HEAD')).toBe(repo.commits[0]);
    expect(events).toContain('git');
  });

  it('still fetches an advertised tip by sha over v0 (no full history needed)', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-daemon-tip') }, V0);
    const project = testProject('p', `${daemon.url}/owner/repo.git`, repo.commits[2]!);
    const result = await clone({ ctx, project, dest: 'daemon-tip' });
    expect(result).toMatchObject({ strategy: 'by-sha' });
    expect(box.git(result.path, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });

  it('fails with E_GIT naming the commit when the server does not have it', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-daemon-gone') });
    const gone = 'deadbeef'.repeat(5);
    const project = testProject('p', `${daemon.url}/owner/repo.git`, gone);
    const error = await clone({ ctx, project, dest: 'daemon-gone', retry: NO_RETRY }).catch((e) => e);
    expect(error).toMatchObject({ code: 'E_GIT', exitCode: 4 });
    expect(error.message).toContain(gone);
    expect(error.message).toContain('/owner/repo.git');
  });

  it('initialises a submodule at its recorded commit, from the same server', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-daemon-sub') });
    const project = testProject('s', `${daemon.url}/owner/super.git`, superRepo.commits.at(-1)!);
    const result = await clone({ ctx, project, dest: 'daemon-sub' });
    expect(result.submodules).toEqual([
      { path: 'vendor/lib', url: `${daemon.url}/owner/lib.git`, commit: lib.commits[0], strategy: 'by-sha' },
    ]);
    expect(readFileSync(path.join(result.path, 'vendor/lib/lib.py'), 'utf8')).toBe('one\n');
    // No '-' (not initialised) nor '+' (another commit) in front of the recorded commit.
    expect(box.git(result.path, 'submodule', 'status')).toMatch(new RegExp(`^${lib.commits[0]} vendor/lib `));
    expect(box.git(path.join(result.path, 'vendor/lib'), 'rev-parse', '--absolute-git-dir')).toBe(
      path.join(result.path, '.git/modules/vendor/lib'),
    );
  });
});

describe('smart HTTP', () => {
  it('fetches a non-tip commit by sha over protocol v2', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-http') });
    const project = testProject('p', `${web.url}/owner/repo.git`, repo.commits[1]!);
    expect(await clone({ ctx, project, dest: 'http-1' })).toMatchObject({ strategy: 'by-sha' });
  });

  it('falls back when the server speaks only v0', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-http-v0') });
    const project = testProject('p', `${webV0.url}/owner/repo.git`, repo.commits[0]!);
    const result = await clone({ ctx, project, dest: 'http-v0' });
    expect(result).toMatchObject({ strategy: 'full', commit: repo.commits[0] });
  });

  it('initialises a submodule over HTTP', async () => {
    const ctx = box.context({ cacheDir: path.join(box.root, 'cache-http-sub') });
    const project = testProject('s', `${web.url}/owner/super.git`, superRepo.commits.at(-1)!);
    const result = await clone({ ctx, project, dest: 'http-sub' });
    expect(result.submodules[0]).toMatchObject({ path: 'vendor/lib', commit: lib.commits[0] });
  });

  it('rewrites github.com to OPENMEDLAB_GITHUB_ENDPOINT and sends the token there only as a header', async () => {
    const token = 'ghp_HTTPSECRET987654321';
    const base = box.context({ cacheDir: path.join(box.root, 'cache-endpoint'), githubToken: token });
    const ctx = { ...base, endpoints: { ...base.endpoints, github: web.url } };
    const project = testProject('p', 'https://github.com/owner/repo.git', repo.commits[1]!);
    const seen = web.requests.length;
    const result = await clone({ ctx, project, dest: 'endpoint' });
    expect(result).toMatchObject({ fetchUrl: `${web.url}/owner/repo.git`, commit: repo.commits[1] });
    const auth = web.requests.slice(seen).map((r) => r.headers.authorization);
    expect(auth).toContain(`basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`);
  });

  it('redacts the token from error details even when git traces its headers', async () => {
    const token = 'ghp_TRACESECRET55555';
    const base = box.context(
      { cacheDir: path.join(box.root, 'cache-redact'), githubToken: token },
      { GIT_TRACE_CURL: '1', GIT_TRACE_REDACT: '0' },
    );
    const ctx = { ...base, endpoints: { ...base.endpoints, github: web.url } };
    const project = testProject('p', 'https://github.com/owner/missing.git', repo.commits[1]!);
    const error = await clone({ ctx, project, dest: 'redact', retry: NO_RETRY }).catch((e) => e);
    expect(error).toMatchObject({ code: 'E_GIT' });
    const text = JSON.stringify({ message: error.message, details: error.details });
    expect(text).toContain('***');
    expect(text).not.toContain(token);
    expect(text).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
  });

  it("honours the user's url.<base>.insteadOf (the system git reads their config)", async () => {
    const gitconfig = path.join(box.root, 'insteadof.gitconfig');
    writeFileSync(
      gitconfig,
      `${readFileSync(box.env.GIT_CONFIG_GLOBAL!, 'utf8')}[url "${web.url}/"]\n\tinsteadOf = https://github.com/\n`,
    );
    const ctx = box.context(
      { cacheDir: path.join(box.root, 'cache-insteadof') },
      { GIT_CONFIG_GLOBAL: gitconfig },
    );
    const project = testProject('p', 'https://github.com/owner/repo.git', repo.commits[0]!);
    const seen = web.requests.length;
    const result = await clone({ ctx, project, dest: 'insteadof' });
    expect(result).toMatchObject({ fetchUrl: 'https://github.com/owner/repo.git', commit: repo.commits[0] });
    expect(web.requests.length).toBeGreaterThan(seen);
  });
});
