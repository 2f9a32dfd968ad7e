/** `openmedlab clone` through the CLI: registry file, OPENMEDLAB_GITHUB_ENDPOINT pointing at a git daemon. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { type GitSandbox, gitSandbox, makeRepo, type TestRepo } from '../helpers/git-repos.js';
import { type GitDaemon, startGitDaemon } from '../helpers/git-servers.js';
import { testProject } from '../helpers/projects.js';

let box: GitSandbox;
let repo: TestRepo;
let daemon: GitDaemon;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  box = gitSandbox();
  const serve = path.join(box.root, 'serve');
  repo = makeRepo(box, serve, 'openmedlab/demo', [{ 'a.txt': '1\n' }, { 'a.txt': '2\n' }]);
  daemon = await startGitDaemon(serve, box.env);
  const project = testProject('demo', 'https://github.com/openmedlab/demo', repo.commits[0]!);
  const registryFile = path.join(box.root, 'registry.yaml');
  writeFileSync(
    registryFile,
    stringify({ schemaVersion: 1, version: '2026.1.0', projects: [{ ...project, tasks: ['segmentation'] }] }),
  );
  env = cleanEnv({
    ...box.env,
    OPENMEDLAB_REGISTRY: registryFile,
    OPENMEDLAB_CACHE: path.join(box.root, 'cache'),
    OPENMEDLAB_GITHUB_ENDPOINT: daemon.url,
  });
});
afterAll(async () => {
  await daemon.stop();
  box.cleanup();
});

describe('openmedlab clone', () => {
  it('prints the checkout path on stdout and a summary on stderr; --json gives the result', async () => {
    const r = await runCli(['clone', 'demo', 'out'], { env, cwd: box.root });
    expect(r).toMatchObject({ code: 0, stdout: `${path.join(box.root, 'out')}\n` });
    expect(r.stderr).toContain(`at ${repo.commits[0]}`);
    const json = await runCli(['clone', 'demo', 'out', '--json'], { env, cwd: box.root });
    expect(JSON.parse(json.stdout)).toMatchObject({
      commit: repo.commits[0],
      reused: true,
      fromMirror: true,
    });
  });

  it('exits 2 on a hostile --ref and on a bad --which', async () => {
    const hostile = await runCli(['clone', 'demo', 'x', '--ref', '--upload-pack=touch /tmp/x'], {
      env,
      cwd: box.root,
    });
    expect(hostile.code).toBe(2);
    const which = await runCli(['clone', 'demo', 'y', '--which', 'both'], { env, cwd: box.root });
    expect(which.code).toBe(2);
  });

  it('exits 6 offline on a cold cache', async () => {
    const cold = { ...env, OPENMEDLAB_CACHE: path.join(box.root, 'cold') };
    const r = await runCli(['--offline', 'clone', 'demo', 'z'], { env: cold, cwd: box.root });
    expect(r.code).toBe(6);
  });
});
