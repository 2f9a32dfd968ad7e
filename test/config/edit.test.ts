import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editConfig } from '../../src/config/edit.js';
import { loadConfig } from '../../src/config/load.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oml-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('editConfig', () => {
  it('creates the file and its directory', async () => {
    const file = path.join(dir, 'nested', 'config.yaml');
    await editConfig({ file, key: 'jobs', value: '8', cwd: dir });
    expect(await readFile(file, 'utf8')).toBe('jobs: 8\n');
    expect((await loadConfig({ file })).values).toEqual({ jobs: 8 });
  });

  it('keeps comments and the order of other keys', async () => {
    const file = path.join(dir, 'config.yaml');
    await writeFile(
      file,
      '# team settings\njobs: 2 # keep it low on the cluster\n\n# mirrors\noffline: false\n',
      {
        mode: 0o600,
      },
    );
    await editConfig({ file, key: 'endpoints.huggingface', value: 'https://hf-mirror.com', cwd: dir });
    await editConfig({ file, key: 'jobs', value: '3', cwd: dir });
    expect(await readFile(file, 'utf8')).toBe(
      '# team settings\njobs: 3 # keep it low on the cluster\n\n# mirrors\noffline: false\nendpoints:\n  huggingface: https://hf-mirror.com\n',
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const files = (await import('node:fs')).readdirSync(dir);
    expect(files).toEqual(['config.yaml']); // no temp file left behind
  });

  it('parses values by type and resolves relative paths against cwd', async () => {
    const file = path.join(dir, 'config.yaml');
    await editConfig({ file, key: 'offline', value: 'yes', cwd: dir });
    await editConfig({ file, key: 'cacheDir', value: 'cache', cwd: '/srv/work' });
    await editConfig({ file, key: 'registry', value: '~/reg.yaml', cwd: dir });
    expect((await loadConfig({ file })).values).toEqual({
      offline: true,
      cacheDir: '/srv/work/cache',
      registry: '~/reg.yaml',
    });
  });

  it('unsets a key and drops its emptied parent', async () => {
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, 'jobs: 2\nproxy:\n  https: http://p:3128\n');
    await editConfig({ file, key: 'proxy.https', cwd: dir });
    await editConfig({ file, key: 'proxy.http', cwd: dir }); // absent: nothing to do
    expect(await readFile(file, 'utf8')).toBe('jobs: 2\n');
  });

  it('refuses unknown keys, secrets and bad values without touching the file', async () => {
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, 'jobs: 2\n');
    await expect(editConfig({ file, key: 'hfToken', value: 'x', cwd: dir })).rejects.toMatchObject({
      code: 'E_USAGE',
      hint: expect.stringContaining('HF_TOKEN'),
    });
    await expect(editConfig({ file, key: 'jobs', value: 'lots', cwd: dir })).rejects.toMatchObject({
      code: 'E_USAGE',
    });
    await expect(editConfig({ file, key: 'jobs', value: '500', cwd: dir })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: `${file}:1:7: jobs: must be <= 64`,
    });
    await expect(
      editConfig({ file, key: 'proxy.https', value: 'http://u:secret@p:1', cwd: dir }),
    ).rejects.toMatchObject({ code: 'E_CONFIG', hint: expect.stringContaining('environment') });
    expect(await readFile(file, 'utf8')).toBe('jobs: 2\n');
  });

  it('reports a broken file instead of crashing', async () => {
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, 'proxy: 3\n');
    await expect(
      editConfig({ file, key: 'proxy.https', value: 'http://p:1', cwd: dir }),
    ).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: `${file}:1:8: proxy: expected a mapping, found number`,
    });
  });
});

describe('loadConfig', () => {
  it('a missing default file is an empty config; a missing explicit one is E_CONFIG', async () => {
    const file = path.join(dir, 'config.yaml');
    expect(await loadConfig({ file })).toEqual({ file, exists: false, values: {} });
    await expect(loadConfig({ file, explicit: true })).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: `cannot read config file ${file} (ENOENT)`,
    });
  });

  it('throws E_CONFIG with file:line:col and every problem in details', async () => {
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, 'jobs: 2\ncache_dir: /x\ngithubToken: ghp_x\n');
    const error = await loadConfig({ file }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_CONFIG',
      message: `${file}:2:1: cache_dir: unknown field "cache_dir"; expected one of cacheDir, jobs, registry, offline, proxy, endpoints (and 1 more)`,
      hint: expect.stringContaining('GITHUB_TOKEN'),
      details: { problems: [{ line: 2 }, { line: 3, path: 'githubToken' }] },
    });
    expect((error as { exitCode: number }).exitCode).toBe(2);
  });
});
