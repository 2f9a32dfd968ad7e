/**
 * A tiny schema language: one description of the registry's shape serves both validation (with
 * precise dot-paths) and the generated JSON Schema that editors use (registry/schema.json).
 */

export type Schema =
  | { type: 'string'; pattern?: RegExp; patternHint?: string; minLength?: number; description?: string }
  | { type: 'integer'; minimum?: number; description?: string }
  | { type: 'boolean'; description?: string }
  | { type: 'const'; value: number | string; description?: string }
  | { type: 'enum'; values: readonly string[]; description?: string }
  | { type: 'array'; items: Schema; description?: string }
  | ObjectSchema
  | { type: 'tagged'; tag: string; variants: Record<string, ObjectSchema>; description?: string };

export interface Field {
  schema: Schema;
  optional?: boolean;
}

export interface ObjectSchema {
  type: 'object';
  fields: Record<string, Field>;
  description?: string;
}

/** One problem found by `check`: where (path segments) and what. */
export interface SchemaIssue {
  path: Array<string | number>;
  message: string;
}

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const quote = (value: unknown): string => JSON.stringify(value);

/** Check a value against a schema; returns every issue found (empty when valid). */
export function check(schema: Schema, value: unknown, path: Array<string | number> = []): SchemaIssue[] {
  const issue = (message: string): SchemaIssue[] => [{ path, message }];
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return issue(`expected a string, found ${kindOf(value)}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return issue('must not be empty');
      if (schema.pattern && !schema.pattern.test(value))
        return issue(`${quote(value)} is not ${schema.patternHint ?? `matching ${schema.pattern}`}`);
      return [];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        return issue(`expected an integer, found ${kindOf(value)}`);
      if (schema.minimum !== undefined && value < schema.minimum)
        return issue(`must be >= ${schema.minimum}`);
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : issue(`expected true or false, found ${kindOf(value)}`);
    case 'const':
      return value === schema.value ? [] : issue(`expected ${quote(schema.value)}, found ${quote(value)}`);
    case 'enum':
      return typeof value === 'string' && schema.values.includes(value)
        ? []
        : issue(`unknown value ${quote(value)}; expected one of ${schema.values.join(', ')}`);
    case 'array':
      if (!Array.isArray(value)) return issue(`expected a list, found ${kindOf(value)}`);
      return value.flatMap((item, index) => check(schema.items, item, [...path, index]));
    case 'object':
      return checkObject(schema, value, path);
    case 'tagged':
      return checkTagged(schema, value, path);
  }
}

function checkObject(schema: ObjectSchema, value: unknown, path: Array<string | number>): SchemaIssue[] {
  if (kindOf(value) !== 'object') return [{ path, message: `expected a mapping, found ${kindOf(value)}` }];
  const record = value as Record<string, unknown>;
  const issues: SchemaIssue[] = [];
  for (const [name, field] of Object.entries(schema.fields)) {
    if (record[name] === undefined) {
      if (!field.optional) issues.push({ path, message: `missing required field "${name}"` });
    } else issues.push(...check(field.schema, record[name], [...path, name]));
  }
  for (const name of Object.keys(record)) {
    if (!(name in schema.fields))
      issues.push({
        path: [...path, name],
        message: `unknown field "${name}"; expected one of ${Object.keys(schema.fields).join(', ')}`,
      });
  }
  return issues;
}

function checkTagged(
  schema: Extract<Schema, { type: 'tagged' }>,
  value: unknown,
  path: Array<string | number>,
): SchemaIssue[] {
  if (kindOf(value) !== 'object') return [{ path, message: `expected a mapping, found ${kindOf(value)}` }];
  const tag = (value as Record<string, unknown>)[schema.tag];
  const variant = typeof tag === 'string' ? schema.variants[tag] : undefined;
  if (!variant) {
    const message =
      tag === undefined
        ? `missing required field "${schema.tag}"`
        : `unknown ${schema.tag} ${quote(tag)}; expected one of ${Object.keys(schema.variants).join(', ')}`;
    return [{ path: tag === undefined ? path : [...path, schema.tag], message }];
  }
  return checkObject(variant, value, path);
}

/** Render a schema as JSON Schema (draft 2020-12). */
export function toJsonSchema(schema: Schema): Record<string, unknown> {
  const described = (body: Record<string, unknown>): Record<string, unknown> =>
    schema.description ? { description: schema.description, ...body } : body;
  switch (schema.type) {
    case 'string':
      return described({
        type: 'string',
        ...(schema.minLength !== undefined ? { minLength: schema.minLength } : {}),
        ...(schema.pattern ? { pattern: schema.pattern.source } : {}),
      });
    case 'integer':
      return described({
        type: 'integer',
        ...(schema.minimum !== undefined ? { minimum: schema.minimum } : {}),
      });
    case 'boolean':
      return described({ type: 'boolean' });
    case 'const':
      return described({ const: schema.value });
    case 'enum':
      return described({ enum: [...schema.values] });
    case 'array':
      return described({ type: 'array', items: toJsonSchema(schema.items) });
    case 'object':
      return objectToJson(schema);
    case 'tagged':
      return described({ oneOf: Object.values(schema.variants).map(objectToJson) });
  }
}

function objectToJson(schema: ObjectSchema): Record<string, unknown> {
  const entries = Object.entries(schema.fields);
  return {
    ...(schema.description ? { description: schema.description } : {}),
    type: 'object',
    additionalProperties: false,
    required: entries.filter(([, field]) => !field.optional).map(([name]) => name),
    properties: Object.fromEntries(entries.map(([name, field]) => [name, toJsonSchema(field.schema)])),
  };
}
