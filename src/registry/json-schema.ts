/** The registry's JSON Schema document (registry/schema.json), generated from schema.ts. */

import { registrySchema, SCHEMA_VERSION } from './schema.js';
import { toJsonSchema } from './schema-dsl.js';

/** The full JSON Schema document for registry format v1, as written to registry/schema.json. */
export function registryJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `OpenMEDLab registry, format ${SCHEMA_VERSION}`,
    ...toJsonSchema(registrySchema),
  };
}

/** The schema file's exact text (stable key order, trailing newline). */
export function registryJsonSchemaText(): string {
  return `${JSON.stringify(registryJsonSchema(), null, 2)}\n`;
}
