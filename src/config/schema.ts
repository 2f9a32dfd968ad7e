/** The shape of config.yaml in the registry's schema language (one description for validation and docs). */
import type { ObjectSchema, Schema } from '../registry/schema-dsl.js';
import { ENDPOINT_NAMES } from './settings.js';

const URL_PATTERN = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const url = (description: string): Schema => ({
  type: 'string',
  pattern: URL_PATTERN,
  patternHint: 'an http(s) URL',
  description,
});
const text = (description: string): Schema => ({ type: 'string', minLength: 1, description });

/** config.yaml: every key optional, unknown keys refused. */
export const configSchema: ObjectSchema = {
  type: 'object',
  description: 'openmedlab configuration (config.yaml)',
  fields: {
    cacheDir: { schema: text('cache directory; relative to this file, ~/ is home'), optional: true },
    jobs: {
      schema: { type: 'integer', minimum: 1, description: 'files downloaded in parallel (1-64)' },
      optional: true,
    },
    registry: { schema: text('registry file instead of the bundled one'), optional: true },
    offline: { schema: { type: 'boolean', description: 'never open a network connection' }, optional: true },
    proxy: {
      optional: true,
      schema: {
        type: 'object',
        description: 'proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY override them)',
        fields: {
          https: { schema: url('proxy for https URLs'), optional: true },
          http: { schema: url('proxy for http URLs'), optional: true },
          noProxy: { schema: text('hosts reached directly, comma-separated'), optional: true },
        },
      },
    },
    endpoints: {
      optional: true,
      schema: {
        type: 'object',
        description: 'host base URLs (mirrors)',
        fields: Object.fromEntries(
          ENDPOINT_NAMES.map((name) => [name, { schema: url(`base URL of ${name}`), optional: true }]),
        ),
      },
    },
  },
};

/** Upper bound of `jobs` (the schema language has minimums only). */
export const MAX_JOBS = 64;
