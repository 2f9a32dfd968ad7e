/**
 * The ONLY module that reads process.env and the platform's directories. Everything else receives a
 * typed Context, so tests and library callers can inject their own.
 */
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import {
  type ConfigValues,
  ENDPOINT_ENV,
  type EndpointName,
  type SettingKey,
  type SettingSource,
} from './config/settings.js';
import { OmlError } from './errors.js';
import { VERSION } from './version.js';

/** Base URLs of every host, overridable for mirrors and for tests on 127.0.0.1. */
export interface Endpoints {
  /** Hugging Face Hub (HF_ENDPOINT, e.g. a mirror in mainland China). */
  huggingface: string;
  /** Google Drive pages and folder listings (OPENMEDLAB_GDRIVE_ENDPOINT). */
  googleDrive: string;
  /** Google Drive's download host (OPENMEDLAB_GDRIVE_DOWNLOAD_ENDPOINT). */
  googleDriveDownload: string;
  /** GitHub web host for release assets and clones (OPENMEDLAB_GITHUB_ENDPOINT). */
  github: string;
  /** Zenodo (OPENMEDLAB_ZENODO_ENDPOINT). */
  zenodo: string;
  /** Replaces the origin of OneDrive/SharePoint share links when set (OPENMEDLAB_ONEDRIVE_ENDPOINT). */
  onedrive: string | undefined;
}

/** Everything the library needs to know about its environment. */
export interface Context {
  /** Working directory (lockfile discovery, relative paths). */
  cwd: string;
  /** A snapshot of the environment, passed to child processes (git). */
  env: Readonly<Record<string, string | undefined>>;
  /** Registry file to use instead of the bundled one. */
  registryFile: string | undefined;
  /** Root of the cache (content-addressed blobs, git mirrors). */
  cacheDir: string;
  /** Data dir: the trust-on-first-use store lives here. */
  dataDir: string;
  /** Config dir: config.yaml lives here. */
  configDir: string;
  /** Never open a network connection. */
  offline: boolean;
  /** Host base URLs. */
  endpoints: Endpoints;
  /** Hugging Face token for gated repositories (HF_TOKEN). */
  hfToken: string | undefined;
  /** GitHub token for private mirrors (GITHUB_TOKEN); never put on argv. */
  githubToken: string | undefined;
  /** Proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, either case). */
  proxy: { https: string | undefined; http: string | undefined; noProxy: string | undefined };
  /** User-Agent for every HTTP request. */
  userAgent: string;
  /** Running under CI (CI=true or similar). */
  ci: boolean;
  /** The config file in effect (it may not exist). */
  configFile: string;
  /** Default number of files downloaded in parallel (`jobs`). */
  jobs: number;
  /** Where each documented setting's effective value came from (flag > env > config > default). */
  sources: Readonly<Record<SettingKey, SettingSource>>;
}

/** What the CLI's flags can override; anything unset falls back to env, then defaults. */
export interface ContextOverrides {
  cwd?: string;
  registryFile?: string;
  cacheDir?: string;
  dataDir?: string;
  configDir?: string;
  /** Config file (--config); default: config.yaml in the config dir. */
  configFile?: string;
  offline?: boolean;
  jobs?: number;
}

/** The default of `jobs`: files downloaded in parallel. */
export const DEFAULT_JOBS = 4;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** Read one variable, treating the empty string as unset. */
function read(env: Record<string, string | undefined>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** True for the usual spellings of "yes" in environment variables. */
function truthy(value: string | undefined): boolean {
  return value !== undefined && !/^(0|false|no|off)$/i.test(value);
}

const ENDPOINT_DEFAULTS: Record<EndpointName, string | undefined> = {
  huggingface: 'https://huggingface.co',
  googleDrive: 'https://drive.google.com',
  googleDriveDownload: 'https://drive.usercontent.google.com',
  github: 'https://github.com',
  zenodo: 'https://zenodo.org',
  onedrive: undefined,
};

type Sources = Record<SettingKey, SettingSource>;

/**
 * THE precedence rule, used for every setting: flag > environment > config file > default. Records
 * where the value came from, for `config list` and `doctor`.
 */
function settle<T>(
  sources: Partial<Sources>,
  key: SettingKey,
  layers: { flag?: T | undefined; env?: T | undefined; config?: T | undefined },
  fallback: T,
): T {
  for (const origin of ['flag', 'env', 'config'] as const) {
    const value = layers[origin];
    if (value !== undefined) {
      sources[key] = origin;
      return value;
    }
  }
  sources[key] = 'default';
  return fallback;
}

/** Host endpoints from the environment and the config file, with the public defaults. */
export function endpointsFromEnv(
  env: Record<string, string | undefined>,
  config: ConfigValues['endpoints'] = {},
  sources: Partial<Sources> = {},
): Endpoints {
  const one = (name: EndpointName): string | undefined => {
    const value = settle(
      sources,
      `endpoints.${name}`,
      { env: read(env, ...ENDPOINT_ENV[name]), config: config[name] },
      ENDPOINT_DEFAULTS[name],
    );
    return value === undefined ? undefined : trimSlash(value);
  };
  return {
    huggingface: one('huggingface') as string,
    googleDrive: one('googleDrive') as string,
    googleDriveDownload: one('googleDriveDownload') as string,
    github: one('github') as string,
    zenodo: one('zenodo') as string,
    onedrive: one('onedrive'),
  };
}

/** Where the config file is: --config, else OPENMEDLAB_CONFIG, else config.yaml in the config dir. */
export function configLocation(
  overrides: Pick<ContextOverrides, 'cwd' | 'configFile' | 'configDir'> = {},
  env: Record<string, string | undefined> = process.env,
): { file: string; explicit: boolean } {
  const cwd = overrides.cwd ?? process.cwd();
  const explicit = overrides.configFile ?? read(env, 'OPENMEDLAB_CONFIG');
  if (explicit !== undefined) return { file: path.resolve(cwd, explicit), explicit: true };
  const dir = overrides.configDir ?? read(env, 'OPENMEDLAB_CONFIG_DIR') ?? platformDirs().config;
  return { file: path.join(path.resolve(cwd, dir), 'config.yaml'), explicit: false };
}

function platformDirs(): { cache: string; data: string; config: string } {
  return envPaths('openmedlab', { suffix: '' });
}

/** OPENMEDLAB_JOBS as a number (a bad value is a usage error, not silently 4). */
function jobsFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = read(env, 'OPENMEDLAB_JOBS');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new OmlError('E_USAGE', `OPENMEDLAB_JOBS must be an integer from 1 to 64, not "${raw}"`);
  return n;
}

/** A path from the config file: `~/` is the home dir, a relative path is relative to the file. */
function configPath(
  value: string | undefined,
  file: string,
  env: Record<string, string | undefined>,
): string | undefined {
  if (value === undefined) return undefined;
  if (value === '~' || value.startsWith('~/'))
    return path.join(read(env, 'HOME', 'USERPROFILE') ?? os.homedir(), value.slice(1));
  return path.resolve(path.dirname(file), value);
}

/** Proxy settings: environment (either case) > config file. */
function proxyFrom(
  env: Record<string, string | undefined>,
  config: ConfigValues['proxy'] = {},
  sources: Partial<Sources>,
): Context['proxy'] {
  const one = (key: SettingKey, names: string[], value: string | undefined): string | undefined =>
    settle(sources, key, { env: read(env, ...names), config: value }, undefined);
  return {
    https: one('proxy.https', ['HTTPS_PROXY', 'https_proxy'], config.https),
    http: one('proxy.http', ['HTTP_PROXY', 'http_proxy'], config.http),
    noProxy: one('proxy.noProxy', ['NO_PROXY', 'no_proxy'], config.noProxy),
  };
}

/**
 * Build the Context from overrides (flags), the environment, the config file's values (read by
 * config/load.ts) and the platform's directories: flag > environment > config file > default.
 */
export function createContext(
  overrides: ContextOverrides = {},
  env: Record<string, string | undefined> = process.env,
  config: ConfigValues = {},
): Context {
  const cwd = overrides.cwd ?? process.cwd();
  const resolve = (p: string): string => path.resolve(cwd, p);
  // env-paths reads XDG_* itself and accepts relative values: resolve them against cwd.
  const dirs = platformDirs();
  const { file: configFile } = configLocation({ ...overrides, cwd }, env);
  const fromConfig = (value: string | undefined): string | undefined => configPath(value, configFile, env);
  const sources: Partial<Sources> = {};
  const registry = settle(
    sources,
    'registry',
    {
      flag: overrides.registryFile,
      env: read(env, 'OPENMEDLAB_REGISTRY'),
      config: fromConfig(config.registry),
    },
    undefined,
  );
  const offlineEnv = read(env, 'OPENMEDLAB_OFFLINE', 'HF_HUB_OFFLINE');
  return {
    cwd,
    env: { ...env },
    registryFile: registry === undefined ? undefined : resolve(registry),
    cacheDir: resolve(
      settle(
        sources,
        'cacheDir',
        { flag: overrides.cacheDir, env: read(env, 'OPENMEDLAB_CACHE'), config: fromConfig(config.cacheDir) },
        dirs.cache,
      ),
    ),
    dataDir: resolve(overrides.dataDir ?? read(env, 'OPENMEDLAB_DATA') ?? dirs.data),
    configDir: resolve(overrides.configDir ?? read(env, 'OPENMEDLAB_CONFIG_DIR') ?? dirs.config),
    offline: settle(
      sources,
      'offline',
      {
        flag: overrides.offline,
        env: offlineEnv === undefined ? undefined : truthy(offlineEnv),
        config: config.offline,
      },
      false,
    ),
    endpoints: endpointsFromEnv(env, config.endpoints, sources),
    hfToken: read(env, 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'),
    githubToken: read(env, 'GITHUB_TOKEN', 'GH_TOKEN'),
    proxy: proxyFrom(env, config.proxy, sources),
    userAgent: `openmedlab/${VERSION} (+https://github.com/openmedlab) node/${process.versions.node}`,
    ci: truthy(read(env, 'CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'GITLAB_CI')),
    configFile,
    jobs: settle(
      sources,
      'jobs',
      { flag: overrides.jobs, env: jobsFromEnv(env), config: config.jobs },
      DEFAULT_JOBS,
    ),
    sources: sources as Sources,
  };
}
