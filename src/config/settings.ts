/**
 * The documented settings: their keys (dot-paths into config.yaml), value types and the flag and
 * environment variables that override them. Data only, so context.ts and the CLI can share it cheaply.
 */

/** Where an effective value came from, highest precedence first. */
export type SettingSource = 'flag' | 'env' | 'config' | 'default';

/** The value type of a setting (decides how `config set` parses its argument). */
export type SettingType = 'path' | 'integer' | 'boolean' | 'url' | 'string';

/** One documented setting. */
export interface SettingInfo {
  key: SettingKey;
  type: SettingType;
  /** Global flag that overrides it, if any. */
  flag?: string;
  /** Environment variables that override it, first match wins. */
  env: readonly string[];
  description: string;
}

/** Endpoint names, the same as Context.endpoints. */
export const ENDPOINT_NAMES = [
  'huggingface',
  'googleDrive',
  'googleDriveDownload',
  'github',
  'zenodo',
  'onedrive',
] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** Every key `config get|set` accepts. */
export type SettingKey =
  | 'cacheDir'
  | 'jobs'
  | 'registry'
  | 'offline'
  | 'proxy.https'
  | 'proxy.http'
  | 'proxy.noProxy'
  | `endpoints.${EndpointName}`;

/** Environment variables naming each endpoint, first match wins (read by context.ts only). */
export const ENDPOINT_ENV: Record<EndpointName, string[]> = {
  huggingface: ['OPENMEDLAB_HF_ENDPOINT', 'HF_ENDPOINT'],
  googleDrive: ['OPENMEDLAB_GDRIVE_ENDPOINT'],
  googleDriveDownload: ['OPENMEDLAB_GDRIVE_DOWNLOAD_ENDPOINT'],
  github: ['OPENMEDLAB_GITHUB_ENDPOINT'],
  zenodo: ['OPENMEDLAB_ZENODO_ENDPOINT'],
  onedrive: ['OPENMEDLAB_ONEDRIVE_ENDPOINT'],
};

/** The closed set of settings, in the order `config list` prints them. */
export const SETTINGS: readonly SettingInfo[] = [
  {
    key: 'cacheDir',
    type: 'path',
    flag: '--cache-dir',
    env: ['OPENMEDLAB_CACHE'],
    description: 'cache directory',
  },
  {
    key: 'jobs',
    type: 'integer',
    flag: '--jobs',
    env: ['OPENMEDLAB_JOBS'],
    description: 'files downloaded in parallel (1-64)',
  },
  {
    key: 'registry',
    type: 'path',
    flag: '--registry',
    env: ['OPENMEDLAB_REGISTRY'],
    description: 'registry file instead of the bundled one',
  },
  {
    key: 'offline',
    type: 'boolean',
    flag: '--offline',
    env: ['OPENMEDLAB_OFFLINE', 'HF_HUB_OFFLINE'],
    description: 'never open a network connection',
  },
  {
    key: 'proxy.https',
    type: 'url',
    env: ['HTTPS_PROXY', 'https_proxy'],
    description: 'proxy for https URLs',
  },
  { key: 'proxy.http', type: 'url', env: ['HTTP_PROXY', 'http_proxy'], description: 'proxy for http URLs' },
  {
    key: 'proxy.noProxy',
    type: 'string',
    env: ['NO_PROXY', 'no_proxy'],
    description: 'hosts reached without the proxy (comma-separated)',
  },
  ...Object.entries(ENDPOINT_ENV).map(
    ([name, env]): SettingInfo => ({
      key: `endpoints.${name as EndpointName}`,
      type: 'url',
      env,
      description: `base URL of ${name} (a mirror, or a test server)`,
    }),
  ),
];

/** The setting with this key, or undefined. */
export function settingInfo(key: string): SettingInfo | undefined {
  return SETTINGS.find((s) => s.key === key);
}

/** The contents of config.yaml once validated: every key optional. */
export interface ConfigValues {
  cacheDir?: string;
  jobs?: number;
  registry?: string;
  offline?: boolean;
  proxy?: { https?: string; http?: string; noProxy?: string };
  endpoints?: Partial<Record<EndpointName, string>>;
}
