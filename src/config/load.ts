/**
 * Read config.yaml: a missing file costs one failed open and no YAML parser; the parser and the
 * validator are imported only when the file exists. Thin I/O around validate.ts.
 */
import { readFile } from 'node:fs/promises';
import { OmlError } from '../errors.js';
import type { RegistryProblem } from '../registry/problem.js';
import type { ConfigValues } from './settings.js';

/** A config file as read: where, whether it exists, and its validated values. */
export interface LoadedConfig {
  file: string;
  exists: boolean;
  values: ConfigValues;
}

export interface LoadConfigOptions {
  /** The file (from context.ts `configLocation`). */
  file: string;
  /** True when named by --config / OPENMEDLAB_CONFIG: then a missing file is an error. */
  explicit?: boolean;
}

/** The hint for a config problem: secrets go to the environment, everything else to `config set`. */
export function configHint(file: string, secret: boolean): string {
  return secret
    ? 'put tokens and proxy passwords in the environment (HF_TOKEN, GITHUB_TOKEN, HTTPS_PROXY), not in the config file, which is often readable by others'
    : `fix ${file}, or change it with \`openmedlab config set <key> <value>\` (keys: README, section Config)`;
}

/** The E_CONFIG error for located problems. */
export function configError(file: string, errors: RegistryProblem[], secret: boolean): OmlError {
  const first = errors[0];
  const where = first
    ? `${first.file}:${first.line}:${first.column}${first.path ? `: ${first.path}` : ''}`
    : file;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new OmlError('E_CONFIG', `${where}: ${first?.message ?? 'invalid config'}${more}`, {
    hint: configHint(file, secret),
    details: { file, problems: errors },
  });
}

/** Read and validate the config file; throws E_CONFIG when it is invalid (or explicit and missing). */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { file } = options;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !options.explicit) return { file, exists: false, values: {} };
    throw new OmlError('E_CONFIG', `cannot read config file ${file}${code ? ` (${code})` : ''}`, {
      hint:
        code === 'ENOENT'
          ? 'check the path given by --config or OPENMEDLAB_CONFIG (`openmedlab config set` creates it)'
          : 'check the file and its permissions',
      cause: error,
      details: { file },
    });
  }
  const { validateConfigText } = await import('./validate.js');
  const result = validateConfigText(text, file);
  if (!result.value) throw configError(file, result.errors, result.secret);
  return { file, exists: true, values: result.value };
}
