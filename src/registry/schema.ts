/** The registry's format v1, described once: validate.ts checks it, scripts/build.mjs emits schema.json. */
import type { Field, ObjectSchema, Schema } from './schema-dsl.js';
import { ARCHIVES, KINDS, MODALITIES } from './types.js';

/** The newest registry format this build understands. */
export const SCHEMA_VERSION = 1;

const str = (description?: string): Schema => ({ type: 'string', minLength: 1, description });
const opt = (schema: Schema): Field => ({ schema, optional: true });
const req = (schema: Schema): Field => ({ schema });
const list = (items: Schema, description?: string): Schema => ({ type: 'array', items, description });

const SLUG = /^[a-z0-9][a-z0-9._-]*$/;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HEX40 = /^[0-9a-f]{40}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const URLISH = /^(https?|git|ssh|file):\/\/\S+$/;
const OWNER_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

const url: Schema = { type: 'string', pattern: URLISH, patternHint: 'a URL' };
const commit: Schema = { type: 'string', pattern: HEX40, patternHint: 'a full 40-hex commit id' };
const ownerName: Schema = { type: 'string', pattern: OWNER_NAME, patternHint: 'of the form owner/name' };

/** Build one source variant: its fields plus the shared `host` tag and optional `note`. */
function source(host: string, description: string, fields: Record<string, Field>): ObjectSchema {
  return {
    type: 'object',
    description,
    fields: { host: req({ type: 'const', value: host }), ...fields, note: opt(str('Free-text remark')) },
  };
}

const sourceSchema: Schema = {
  type: 'tagged',
  tag: 'host',
  description: 'Where a file can be fetched; sources are tried in the order given',
  variants: {
    https: source('https', 'A direct file URL', { url: req(url) }),
    'github-release': source('github-release', 'A GitHub release asset', {
      repo: req(ownerName),
      tag: req(str()),
      asset: req(str()),
    }),
    huggingface: source('huggingface', 'A Hugging Face repository, or one file in it', {
      repo: req(ownerName),
      path: opt(str('File path inside the repository; absent = the whole repository')),
      revision: opt(str('Branch, tag or commit; default main')),
      repoType: opt({ type: 'enum', values: ['model', 'dataset', 'space'] }),
      gated: opt({ type: 'boolean', description: 'Access must be requested on the Hub; HF_TOKEN needed' }),
    }),
    'google-drive': source('google-drive', 'A Google Drive file', { id: req(str('Drive file id')) }),
    'google-drive-folder': source('google-drive-folder', 'A Google Drive folder', {
      id: req(str('Drive folder id')),
    }),
    onedrive: source('onedrive', 'A OneDrive/SharePoint share link', { url: req(url) }),
    zenodo: source('zenodo', 'A Zenodo record', {
      record: req({ type: 'string', pattern: /^\d+$/, patternHint: 'a Zenodo record number' }),
      file: opt(str('File name within the record')),
    }),
    'baidu-pan': source('baidu-pan', 'A Baidu Netdisk share (manual download)', {
      url: req(url),
      code: opt(str('Extraction code')),
    }),
    'in-repo': source('in-repo', 'A file committed in the code repository', {
      path: req(str('Path inside the repository')),
    }),
    manual: source('manual', 'A page where a person must obtain the file', { url: req(url) }),
  },
};

const artifactSchema: ObjectSchema = {
  type: 'object',
  description: 'A checkpoint or dataset',
  fields: {
    name: req({ type: 'string', pattern: SLUG, patternHint: 'a lower-case slug ([a-z0-9._-])' }),
    description: opt(str()),
    filename: opt(str('File name to place it under')),
    size: opt({ type: 'integer', minimum: 0, description: 'Size in bytes' }),
    sha256: opt({ type: 'string', pattern: HEX64, patternHint: 'a 64-hex sha256' }),
    archive: opt({ type: 'enum', values: ARCHIVES }),
    thirdParty: opt({ type: 'boolean', description: 'A base model from another project' }),
    sources: req(list(sourceSchema)),
    notes: opt(list(str())),
  },
};

const projectSchema: ObjectSchema = {
  type: 'object',
  fields: {
    id: req({ type: 'string', pattern: KEBAB, patternHint: 'a kebab-case id' }),
    aliases: req(list(str())),
    name: req(str()),
    summary: req(str()),
    kind: req({ type: 'enum', values: KINDS }),
    modalities: req(list({ type: 'enum', values: MODALITIES })),
    tasks: req(list({ type: 'string', pattern: KEBAB, patternHint: 'a kebab-case task' })),
    organs: req(list(str())),
    license: req({
      type: 'object',
      fields: { spdx: req(str('SPDX id or "unknown"')), note: opt(str()) },
    }),
    repo: req({ type: 'object', fields: { url: req(url), commit: req(commit) } }),
    code: opt({
      type: 'object',
      fields: { url: req(url), commit: req(commit), subfolder: opt(str()), note: opt(str()) },
    }),
    paper: opt({
      type: 'object',
      fields: {
        title: req(str()),
        venue: opt(str()),
        year: opt({ type: 'integer', minimum: 1900 }),
        arxiv: opt(str()),
        doi: opt(str()),
        url: opt(url),
      },
    }),
    bibtex: opt(str('Verbatim BibTeX entry')),
    checkpoints: req(list(artifactSchema)),
    datasets: req(list(artifactSchema)),
    notes: req(list(str())),
  },
};

/** The whole registry file. */
export const registrySchema: ObjectSchema = {
  type: 'object',
  description: 'OpenMEDLab registry',
  fields: {
    schemaVersion: req({ type: 'const', value: SCHEMA_VERSION, description: 'Registry format version' }),
    version: req(str('Version of the data')),
    projects: req(list(projectSchema)),
  },
};
