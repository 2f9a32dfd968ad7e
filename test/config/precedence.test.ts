import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configLocation, createContext } from '../../src/context.js';

const base = { OPENMEDLAB_CONFIG_DIR: '/etc/oml', HOME: '/home/ada' };

describe('createContext precedence: flag > environment > config file > default', () => {
  it('takes the config file over the defaults, and records the source of each setting', () => {
    const ctx = createContext({ cwd: '/work' }, base, {
      cacheDir: '/data/oml-cache',
      jobs: 12,
      offline: true,
      proxy: { https: 'http://proxy.corp:3128' },
      endpoints: { huggingface: 'https://hf-mirror.com/' },
    });
    expect(ctx.configFile).toBe('/etc/oml/config.yaml');
    expect(ctx.cacheDir).toBe('/data/oml-cache');
    expect(ctx.jobs).toBe(12);
    expect(ctx.offline).toBe(true);
    expect(ctx.proxy.https).toBe('http://proxy.corp:3128');
    expect(ctx.endpoints.huggingface).toBe('https://hf-mirror.com');
    expect(ctx.endpoints.github).toBe('https://github.com');
    expect(ctx.sources).toMatchObject({
      cacheDir: 'config',
      jobs: 'config',
      registry: 'default',
      offline: 'config',
      'proxy.https': 'config',
      'proxy.http': 'default',
      'endpoints.huggingface': 'config',
      'endpoints.github': 'default',
    });
  });

  it('lets the environment beat the config file, and flags beat both', () => {
    const env = {
      ...base,
      OPENMEDLAB_CACHE: '/env/cache',
      OPENMEDLAB_JOBS: '2',
      OPENMEDLAB_OFFLINE: '0',
      HF_ENDPOINT: 'http://127.0.0.1:1',
      https_proxy: 'http://env-proxy:8080',
    };
    const config = {
      cacheDir: '/cfg/cache',
      jobs: 12,
      offline: true,
      endpoints: { huggingface: 'https://x.org' },
    };
    const fromEnv = createContext({ cwd: '/work' }, env, config);
    expect([fromEnv.cacheDir, fromEnv.jobs, fromEnv.offline, fromEnv.endpoints.huggingface]).toEqual([
      '/env/cache',
      2,
      false,
      'http://127.0.0.1:1',
    ]);
    expect(fromEnv.proxy.https).toBe('http://env-proxy:8080');
    expect(fromEnv.sources).toMatchObject({
      cacheDir: 'env',
      jobs: 'env',
      offline: 'env',
      'proxy.https': 'env',
    });
    const fromFlags = createContext(
      { cwd: '/work', cacheDir: 'flag-cache', jobs: 7, offline: true },
      env,
      config,
    );
    expect([fromFlags.cacheDir, fromFlags.jobs, fromFlags.offline]).toEqual(['/work/flag-cache', 7, true]);
    expect(fromFlags.sources).toMatchObject({ cacheDir: 'flag', jobs: 'flag', offline: 'flag' });
  });

  it('falls back to the defaults with no config', () => {
    const ctx = createContext({ cwd: '/work' }, base);
    expect(ctx.jobs).toBe(4);
    expect(ctx.registryFile).toBeUndefined();
    expect(Object.values(ctx.sources).every((s) => s === 'default')).toBe(true);
  });

  it('resolves config paths against the config file, ~/ against HOME', () => {
    const ctx = createContext({ cwd: '/work', configFile: 'team/oml.yaml' }, base, {
      registry: '../registry.yaml',
      cacheDir: '~/models',
    });
    expect(ctx.configFile).toBe('/work/team/oml.yaml');
    expect(ctx.registryFile).toBe('/work/registry.yaml');
    expect(ctx.cacheDir).toBe('/home/ada/models');
  });

  it('refuses a bad OPENMEDLAB_JOBS', () => {
    expect(() => createContext({ cwd: '/w' }, { ...base, OPENMEDLAB_JOBS: 'x' })).toThrow(
      expect.objectContaining({ code: 'E_USAGE' }),
    );
  });
});

describe('configLocation', () => {
  it('is --config, else OPENMEDLAB_CONFIG, else config.yaml in the config dir', () => {
    expect(configLocation({ cwd: '/w', configFile: 'a.yaml' }, { OPENMEDLAB_CONFIG: '/b.yaml' })).toEqual({
      file: '/w/a.yaml',
      explicit: true,
    });
    expect(configLocation({ cwd: '/w' }, { OPENMEDLAB_CONFIG: '/b.yaml' })).toEqual({
      file: '/b.yaml',
      explicit: true,
    });
    expect(configLocation({ cwd: '/w' }, { OPENMEDLAB_CONFIG_DIR: 'cfg' })).toEqual({
      file: path.join('/w', 'cfg', 'config.yaml'),
      explicit: false,
    });
  });
});
