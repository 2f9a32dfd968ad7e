/** The --json output of get, lock, cache import and clone, errors, and --progress json, against schemas/. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { machine, useWorld, worldCli } from '../api/get-setup.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { gitSandbox, makeRepo } from '../helpers/git-repos.js';
import { startGitDaemon } from '../helpers/git-servers.js';
import { testProject } from '../helpers/projects.js';
import { expectValid } from '../helpers/schemas.js';

const world = useWorld();

/** Run the CLI in a machine dir, every host pointed at the emulator. */
const cli = (dir: string, ...argv: string[]) => worldCli(world, dir, argv);

/** Every stderr line, parsed and checked against progress-event.json. */
function progressEvents(stderr: string): Array<{ type: string }> {
  const lines = stderr.split('\n').filter(Boolean);
  return lines.map((line) => {
    const event = JSON.parse(line) as { type: string };
    expectValid('progress-event', event);
    return event;
  });
}

describe('--json output of get, lock and cache import matches its schema', () => {
  it('get (download, cache hit, Hugging Face folder, --dry-run) and --progress json', async () => {
    const m = await machine(world, 'schema-get');
    const first = await cli(m.dir, 'get', 'hf-model', '--no-code', '--json', '--progress', 'json');
    expect(first.code, first.stderr).toBe(0);
    expectValid('get', JSON.parse(first.stdout));
    const types = progressEvents(first.stderr).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['download-start', 'download-progress', 'download-end']));
    for (const argv of [
      ['get', 'hf-model', '--no-code', '--json'],
      ['get', 'hf-repo', '--no-code', '--json'],
      ['get', 'zen', '--no-code', '--json', '--dest', 'out'],
      ['get', 'fallback', '--dry-run', '--json'],
    ]) {
      const r = await cli(m.dir, ...argv);
      expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(0);
      expectValid('get', JSON.parse(r.stdout));
    }
  });

  it('source fallback and warnings as NDJSON; failures as error.json (frozen, manual)', async () => {
    const m = await machine(world, 'schema-fail');
    const fallback = await cli(m.dir, 'get', 'fallback', '--no-code', '--json', '--progress', 'json');
    expect(fallback.code, fallback.stderr).toBe(0);
    const types = progressEvents(fallback.stderr).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['source-failed', 'warn', 'download-end']));
    const frozen = await cli(m.dir, 'get', 'lab', '--no-code', '--frozen', '--json');
    expect(frozen.code).toBe(6);
    expectValid('error', JSON.parse(frozen.stderr.trim()));
    const manual = await cli(m.dir, 'get', 'baidu', '--no-code', '--json', '--progress', 'json');
    expect(manual.code).toBe(5);
    const lines = manual.stderr.trim().split('\n');
    expectValid('error', JSON.parse(lines.pop()!));
    progressEvents(lines.join('\n'));
  });

  it('lock and cache import', async () => {
    const m = await machine(world, 'schema-lock');
    const lock = await cli(m.dir, 'lock', 'lab', 'hf-repo', '--json');
    expect(lock.code, lock.stderr).toBe(0);
    expectValid('lock', JSON.parse(lock.stdout));
    await fs.writeFile(path.join(m.dir, 'w.pth'), 'by hand');
    const imp = await cli(m.dir, 'cache', 'import', 'baidu', 'w', 'w.pth', '--json');
    expect(imp.code, imp.stderr).toBe(0);
    expectValid('cache-import', JSON.parse(imp.stdout));
  });
});

describe('clone --json matches its schema', () => {
  it('a fresh clone and a reuse, with --progress json git events', async () => {
    const box = gitSandbox();
    const serve = path.join(box.root, 'serve');
    const repo = makeRepo(box, serve, 'openmedlab/demo', [{ 'a.txt': '1\n' }, { 'a.txt': '2\n' }]);
    const daemon = await startGitDaemon(serve, box.env);
    try {
      const registryFile = path.join(box.root, 'registry.yaml');
      const project = testProject('demo', 'https://github.com/openmedlab/demo', repo.commits[0]!);
      await fs.writeFile(registryFile, stringify({ schemaVersion: 1, version: '1', projects: [project] }));
      const env = cleanEnv({
        ...box.env,
        OPENMEDLAB_REGISTRY: registryFile,
        OPENMEDLAB_CACHE: path.join(box.root, 'cache'),
        OPENMEDLAB_GITHUB_ENDPOINT: daemon.url,
      });
      const first = await runCli(['clone', 'demo', 'out', '--json', '--progress', 'json'], {
        env,
        cwd: box.root,
      });
      expect(first.code, first.stderr).toBe(0);
      expectValid('clone', JSON.parse(first.stdout));
      expect(progressEvents(first.stderr).map((e) => e.type)).toContain('git');
      const again = await runCli(['clone', 'demo', 'out', '--json'], { env, cwd: box.root });
      expect(JSON.parse(again.stdout)).toMatchObject({ reused: true });
      expectValid('clone', JSON.parse(again.stdout));
    } finally {
      await daemon.stop();
      box.cleanup();
    }
  });
});
