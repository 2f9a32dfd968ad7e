/** `openmedlab registry validate|info`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import { bundledRegistryFile, loadRegistry } from '../registry/load.js';
import { SCHEMA_VERSION } from '../registry/schema.js';
import type { Registry } from '../registry/types.js';
import type { RegistryProblem } from '../registry/validate.js';

export interface ValidateReport {
  file: string;
  valid: boolean;
  errors: RegistryProblem[];
  warnings: RegistryProblem[];
  projects: number;
  version: string | undefined;
}

/** Validate a registry file and report every problem (never throws for an invalid file). */
export async function validateRegistryFile(options: {
  ctx: Pick<Context, 'registryFile' | 'cwd'>;
  file?: string;
}): Promise<ValidateReport> {
  const file = options.file
    ? path.resolve(options.ctx.cwd, options.file)
    : (options.ctx.registryFile ?? bundledRegistryFile());
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new OmlError('E_REGISTRY', `cannot read registry ${file}`, {
      hint: 'check the file path',
      cause: error,
    });
  }
  const { validateRegistryText } = await import('../registry/validate.js');
  const result = validateRegistryText(text, file);
  return {
    file,
    valid: result.value !== undefined,
    errors: result.errors,
    warnings: result.warnings,
    projects: result.value?.projects.length ?? 0,
    version: result.value?.version,
  };
}

/** Facts about the registry in use. */
export interface RegistryInfo {
  schemaVersion: number;
  supportedSchemaVersion: number;
  version: string;
  file: string;
  bundled: boolean;
  sha256: string;
  counts: {
    projects: number;
    checkpoints: number;
    datasets: number;
    byKind: Record<string, number>;
    byHost: Record<string, number>;
  };
}

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Count what a registry holds. */
export function registryCounts(registry: Registry): RegistryInfo['counts'] {
  const checkpoints = registry.projects.flatMap((p) => p.checkpoints);
  return {
    projects: registry.projects.length,
    checkpoints: checkpoints.length,
    datasets: registry.projects.reduce((n, p) => n + p.datasets.length, 0),
    byKind: tally(registry.projects.map((p) => p.kind)),
    byHost: tally(checkpoints.flatMap((c) => c.sources.map((s) => s.host))),
  };
}

/** Describe the registry the context uses. */
export async function registryInfo({ ctx }: { ctx: Pick<Context, 'registryFile'> }): Promise<RegistryInfo> {
  const loaded = await loadRegistry(ctx);
  return {
    schemaVersion: loaded.registry.schemaVersion,
    supportedSchemaVersion: SCHEMA_VERSION,
    version: loaded.registry.version,
    file: loaded.file,
    bundled: loaded.bundled,
    sha256: loaded.sha256,
    counts: registryCounts(loaded.registry),
  };
}
