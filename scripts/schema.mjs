// Regenerate registry/schema.json from the code's schema (run `npm run schema` after changing
// src/registry/schema.ts; test/registry/schema.test.ts fails while the file is stale).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { registryJsonSchemaText } = await import(path.join(root, 'dist', 'index.js'));
await writeFile(path.join(root, 'registry', 'schema.json'), registryJsonSchemaText());
