import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';

let dir: string;
let env: Record<string, string | undefined>;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oml-cli-config-'));
  env = cleanEnv({
    OPENMEDLAB_CONFIG_DIR: dir,
    OPENMEDLAB_CACHE: undefined,
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const file = (): string => path.join(dir, 'config.yaml');

describe('openmedlab config', () => {
  it('path prints the file in the config dir, --config overrides it', async () => {
    expect(await runCli(['config', 'path'], { env, cwd: dir })).toEqual({
      code: 0,
      stdout: `${file()}\n`,
      stderr: '',
    });
    const other = await runCli(['--config', 'ci.yaml', 'config', 'path', '--json'], { env, cwd: dir });
    expect(JSON.parse(other.stdout)).toEqual({ file: path.join(dir, 'ci.yaml'), exists: false });
  });

  it('set writes the file; get and list read it back with its source', async () => {
    expect((await runCli(['config', 'set', 'jobs', '8'], { env, cwd: dir })).code).toBe(0);
    expect(
      (await runCli(['config', 'set', 'endpoints.huggingface', 'https://hf-mirror.com'], { env })).code,
    ).toBe(0);
    expect(await readFile(file(), 'utf8')).toBe(
      'jobs: 8\nendpoints:\n  huggingface: https://hf-mirror.com\n',
    );
    expect((await runCli(['config', 'get', 'jobs'], { env })).stdout).toBe('8\n');
    const json = JSON.parse(
      (await runCli(['config', 'get', 'jobs', '--json'], { env: { ...env, OPENMEDLAB_JOBS: '3' } })).stdout,
    );
    expect(json).toEqual({ key: 'jobs', value: 3, source: 'env' });
    const list = JSON.parse(
      (await runCli(['config', 'list', '--json', '--cache-dir', '/tmp/x'], { env })).stdout,
    );
    expect(list.file).toBe(file());
    expect(list.exists).toBe(true);
    expect(list.settings).toContainEqual({ key: 'jobs', value: 8, source: 'config' });
    expect(list.settings).toContainEqual({ key: 'cacheDir', value: '/tmp/x', source: 'flag' });
    expect(list.settings).toContainEqual({
      key: 'endpoints.huggingface',
      value: 'https://hf-mirror.com',
      source: 'config',
    });
    expect(list.settings).toContainEqual({ key: 'endpoints.onedrive', value: null, source: 'default' });
    expect(list.settings.map((s: { key: string }) => s.key)).toEqual([
      'cacheDir',
      'jobs',
      'registry',
      'offline',
      'proxy.https',
      'proxy.http',
      'proxy.noProxy',
      'endpoints.huggingface',
      'endpoints.googleDrive',
      'endpoints.googleDriveDownload',
      'endpoints.github',
      'endpoints.zenodo',
      'endpoints.onedrive',
    ]);
  });

  it('list prints a table: key, value, source; proxy passwords redacted', async () => {
    await writeFile(file(), 'jobs: 2\n');
    const r = await runCli(['config', 'list'], {
      env: { ...env, HTTPS_PROXY: 'http://me:s3cret@proxy:3128' },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`config file: ${file()}\n`);
    expect(r.stdout).toMatch(/^jobs {2,}2 +config$/m);
    expect(r.stdout).toMatch(/^registry {2,}\(bundled\) +default$/m);
    expect(r.stdout).toMatch(/^proxy\.https {2,}http:\/\/\*\*\*@proxy:3128 +env$/m);
    expect(r.stdout).not.toContain('s3cret');
  });

  it('unset removes a key', async () => {
    await writeFile(file(), '# mine\njobs: 2\noffline: true\n');
    expect((await runCli(['config', 'unset', 'offline'], { env })).code).toBe(0);
    expect(await readFile(file(), 'utf8')).toBe('# mine\njobs: 2\n');
  });

  it('an invalid config file fails every command with E_CONFIG, exit 2, file:line:col', async () => {
    await writeFile(file(), 'jobs: 2\njbos: 3\n');
    const r = await runCli(['list', '--json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error).toMatchObject({
      code: 'E_CONFIG',
      exitCode: 2,
      message: `${file()}:2:1: jbos: unknown field "jbos"; expected one of cacheDir, jobs, registry, offline, proxy, endpoints`,
    });
  });

  it('refuses tokens with a hint to use the environment', async () => {
    const r = await runCli(['config', 'set', 'hfToken', 'hf_x'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: tokens stay in the environment (HF_TOKEN, GITHUB_TOKEN)');
    await writeFile(file(), 'huggingfaceToken: hf_secret\n');
    const listed = await runCli(['config', 'list'], { env });
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain(`${file()}:1:1: huggingfaceToken: secret`);
    expect(listed.stderr).not.toContain('hf_secret');
  });

  it('an explicit --config that does not exist is an error, except for set', async () => {
    const missing = path.join(dir, 'nope.yaml');
    const r = await runCli(['--config', missing, 'config', 'list'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: cannot read config file ${missing} (ENOENT)`);
    expect((await runCli(['--config', missing, 'config', 'set', 'offline', 'true'], { env })).code).toBe(0);
    expect(await readFile(missing, 'utf8')).toBe('offline: true\n');
  });

  it('the config file feeds the context: registry and offline from config.yaml', async () => {
    await writeFile(file(), 'registry: ./broken.yaml\n');
    await writeFile(path.join(dir, 'broken.yaml'), 'schemaVersion: 1\nprojects: 3\n');
    const r = await runCli(['list', '--json'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path.join(dir, 'broken.yaml'));
  });
});
