/**
 * The ONLY module that reads process.env and the platform's directories. Everything else receives a
 * typed Context, so tests and library callers can inject their own.
 */
import path from 'node:path';
import envPaths from 'env-paths';
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
}

/** What the CLI's flags can override; anything unset falls back to env, then defaults. */
export interface ContextOverrides {
  cwd?: string;
  registryFile?: string;
  cacheDir?: string;
  dataDir?: string;
  configDir?: string;
  offline?: boolean;
}

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

/** Host endpoints from the environment, with the public defaults. */
export function endpointsFromEnv(env: Record<string, string | undefined>): Endpoints {
  const onedrive = read(env, 'OPENMEDLAB_ONEDRIVE_ENDPOINT');
  return {
    huggingface: trimSlash(read(env, 'OPENMEDLAB_HF_ENDPOINT', 'HF_ENDPOINT') ?? 'https://huggingface.co'),
    googleDrive: trimSlash(read(env, 'OPENMEDLAB_GDRIVE_ENDPOINT') ?? 'https://drive.google.com'),
    googleDriveDownload: trimSlash(
      read(env, 'OPENMEDLAB_GDRIVE_DOWNLOAD_ENDPOINT') ?? 'https://drive.usercontent.google.com',
    ),
    github: trimSlash(read(env, 'OPENMEDLAB_GITHUB_ENDPOINT') ?? 'https://github.com'),
    zenodo: trimSlash(read(env, 'OPENMEDLAB_ZENODO_ENDPOINT') ?? 'https://zenodo.org'),
    onedrive: onedrive === undefined ? undefined : trimSlash(onedrive),
  };
}

/** Build the Context from overrides, the environment and the platform's directories. */
export function createContext(
  overrides: ContextOverrides = {},
  env: Record<string, string | undefined> = process.env,
): Context {
  const cwd = overrides.cwd ?? process.cwd();
  const resolve = (p: string): string => path.resolve(cwd, p);
  // env-paths reads XDG_* itself and accepts relative values: resolve them against cwd.
  const dirs = envPaths('openmedlab', { suffix: '' });
  const fileOrEnv = (flag: string | undefined, name: string, fallback: string): string =>
    resolve(flag ?? read(env, name) ?? fallback);
  const registry = overrides.registryFile ?? read(env, 'OPENMEDLAB_REGISTRY');
  return {
    cwd,
    env: { ...env },
    registryFile: registry === undefined ? undefined : resolve(registry),
    cacheDir: fileOrEnv(overrides.cacheDir, 'OPENMEDLAB_CACHE', dirs.cache),
    dataDir: fileOrEnv(overrides.dataDir, 'OPENMEDLAB_DATA', dirs.data),
    configDir: fileOrEnv(overrides.configDir, 'OPENMEDLAB_CONFIG_DIR', dirs.config),
    offline: overrides.offline ?? truthy(read(env, 'OPENMEDLAB_OFFLINE', 'HF_HUB_OFFLINE')),
    endpoints: endpointsFromEnv(env),
    hfToken: read(env, 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'),
    githubToken: read(env, 'GITHUB_TOKEN', 'GH_TOKEN'),
    proxy: {
      https: read(env, 'HTTPS_PROXY', 'https_proxy'),
      http: read(env, 'HTTP_PROXY', 'http_proxy'),
      noProxy: read(env, 'NO_PROXY', 'no_proxy'),
    },
    userAgent: `openmedlab/${VERSION} (+https://github.com/openmedlab) node/${process.versions.node}`,
    ci: truthy(read(env, 'CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'GITLAB_CI')),
  };
}
