import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { endpointsFromEnv } from '../../../src/context.js';
import type { AdapterContext } from '../../../src/fetch/hosts/index.js';

/** The public endpoints (no env), optionally with a token. */
export function ctxWith(env: Record<string, string> = {}, hfToken?: string): AdapterContext {
  return { endpoints: endpointsFromEnv(env), hfToken };
}

/** A fixture page under test/fixtures/html. */
export function page(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/html/${name}`, import.meta.url)), 'utf8');
}
