/**
 * `config set` / `config unset`: change one key of config.yaml through yaml's Document API, so
 * comments, order and formatting of everything else survive, validate the result, and replace the
 * file atomically (temp file in the same directory, then rename).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Document, isMap, parseDocument } from 'yaml';
import { OmlError } from '../errors.js';
import { configError } from './load.js';
import { SETTINGS, type SettingInfo, settingInfo } from './settings.js';
import { validateConfigText } from './validate.js';

export interface EditConfigOptions {
  /** The config file (created with its directory when missing). */
  file: string;
  /** A documented key, e.g. `jobs` or `endpoints.huggingface`. */
  key: string;
  /** The value as typed on the command line (`set` only); paths are resolved against `cwd`. */
  value?: string;
  /** Base for relative paths given to `set` (default: process.cwd() of the caller, passed in). */
  cwd: string;
}

/** The setting for a key, or E_USAGE naming the keys. */
export function requireSetting(key: string): SettingInfo {
  const info = settingInfo(key);
  if (info) return info;
  const secret = /token|passw|secret/i.test(key);
  throw new OmlError('E_USAGE', `unknown config key "${key}"`, {
    hint: secret
      ? 'tokens stay in the environment (HF_TOKEN, GITHUB_TOKEN); the config file does not hold secrets'
      : `keys: ${SETTINGS.map((s) => s.key).join(', ')}`,
  });
}

/** Parse a command-line value for a setting by its type. */
export function parseSettingValue(info: SettingInfo, raw: string, cwd: string): string | number | boolean {
  switch (info.type) {
    case 'integer': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(n))
        throw new OmlError('E_USAGE', `${info.key} must be an integer, not "${raw}"`);
      return n;
    }
    case 'boolean':
      if (/^(true|yes|on|1)$/i.test(raw)) return true;
      if (/^(false|no|off|0)$/i.test(raw)) return false;
      throw new OmlError('E_USAGE', `${info.key} must be true or false, not "${raw}"`);
    case 'path':
      // Typed relative to where the user stands; stored absolute so the file means the same anywhere.
      return raw === '~' || raw.startsWith('~/') ? raw : path.resolve(cwd, raw);
    default:
      return raw;
  }
}

/** Set (value given) or remove (value undefined) one key; returns the new file text. */
export async function editConfig(options: EditConfigOptions): Promise<string> {
  const info = requireSetting(options.key);
  const keyPath = info.key.split('.');
  const before = await readExisting(options.file);
  const doc = parseDocument(before, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const { errors, secret } = validateConfigText(before, options.file);
    throw configError(options.file, errors, secret);
  }
  try {
    if (options.value === undefined) unset(doc, keyPath);
    else doc.setIn(keyPath, parseSettingValue(info, options.value, options.cwd));
  } catch (error) {
    if (error instanceof OmlError) throw error;
    // yaml throws when a parent on the path is not a mapping (`proxy: 3`): report the file's problem.
    const { errors, secret } = validateConfigText(before, options.file);
    throw configError(options.file, errors, secret);
  }
  const after = doc.contents === null ? '' : doc.toString();
  const result = validateConfigText(after, options.file);
  if (!result.value) throw configError(options.file, result.errors, result.secret);
  await writeAtomic(options.file, after);
  return after;
}

/** Remove a key, and its parent mapping when that is left empty (`proxy: {}`). */
function unset(doc: Document, keyPath: string[]): void {
  if (!doc.hasIn(keyPath)) return;
  doc.deleteIn(keyPath);
  const parent = keyPath.slice(0, -1);
  const rest = parent.length > 0 ? doc.getIn(parent, true) : undefined;
  if (isMap(rest) && rest.items.length === 0) doc.deleteIn(parent);
}

async function readExisting(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new OmlError('E_CONFIG', `cannot read config file ${file}`, { cause: error, details: { file } });
  }
}

/** Write via a temp file and rename, keeping the old file's mode. */
async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const mode = await stat(file).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { mode });
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}
