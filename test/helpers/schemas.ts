/** Validate values against the schemas/ files with a real JSON Schema 2020-12 validator (ajv). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import { ROOT } from './cli.js';

// ajv-formats is CommonJS: under NodeNext types its default import is the module object.
const addFormats = addFormatsModule.default;

export const SCHEMA_DIR = path.join(ROOT, 'schemas');

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);

/** The parsed schema file `schemas/<name>.json`. */
export function schemaFile(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCHEMA_DIR, `${name}.json`), 'utf8'));
}

/** Every schema name under schemas/. */
export function schemaNames(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/** The compiled validator of `schemas/<name>.json` (throws when the schema itself is invalid). */
export function compileSchema(name: string): ReturnType<typeof ajv.compile> {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(schemaFile(name));
    compiled.set(name, validate);
  }
  return validate;
}

/** Assert `value` is valid against `schemas/<name>.json` (the failure message lists ajv's errors). */
export function expectValid(name: string, value: unknown): void {
  const validate = compileSchema(name);
  const ok = validate(value);
  expect(ok ? [] : ajv.errorsText(validate.errors, { separator: '\n' }).split('\n'), name).toEqual([]);
}

/** Assert `value` is NOT valid against the schema (the schemas must be tight enough to catch drift). */
export function expectInvalid(name: string, value: unknown): void {
  expect(compileSchema(name)(value), `${name} accepted ${JSON.stringify(value).slice(0, 200)}`).toBe(false);
}
