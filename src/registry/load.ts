/**
 * Load the registry: the bundled one (compiled to JSON at build time, so start-up skips the YAML
 * parser) or a file named by --registry / OPENMEDLAB_REGISTRY. Thin I/O around validate.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import type { Registry } from './types.js';
import type { RegistryProblem } from './validate.js';

/** A loaded registry and where it came from. */
export interface LoadedRegistry {
  registry: Registry;
  /** Absolute path of the YAML file the data came from. */
  file: string;
  /** True when this is the registry shipped with the package. */
  bundled: boolean;
  /** sha256 of the YAML text. */
  sha256: string;
  warnings: RegistryProblem[];
}

/** The package root: the nearest ancestor of this module holding registry/openmedlab.yaml. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'registry', 'openmedlab.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new OmlError('E_INTERNAL', 'the bundled registry is missing from the package');
    dir = parent;
  }
}

/** Path of the registry shipped with the package. */
export function bundledRegistryFile(): string {
  return path.join(packageRoot(), 'registry', 'openmedlab.yaml');
}

/** Load and validate the registry the context names (or the bundled one). */
export async function loadRegistry(ctx: Pick<Context, 'registryFile'>): Promise<LoadedRegistry> {
  const bundled = ctx.registryFile === undefined;
  const file = ctx.registryFile ?? bundledRegistryFile();
  // Fast path: the build's JSON copy, when the YAML still has the size and mtime it was built from
  // (start-up then reads no YAML, loads no parser and computes no hash).
  const compiled = bundled ? readCompiled() : undefined;
  if (compiled && sameStat(file, compiled))
    return { registry: compiled.registry, file, bundled, sha256: compiled.sha256, warnings: [] };
  const text = readText(file);
  const { createHash } = await import('node:crypto');
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (compiled?.sha256 === sha256)
    return { registry: compiled.registry, file, bundled, sha256, warnings: [] };
  return { ...(await parseRegistry(text, file)), file, bundled, sha256 };
}

/** Validate registry text, throwing E_REGISTRY / E_REGISTRY_VERSION with every located problem. */
export async function parseRegistry(
  text: string,
  file: string,
): Promise<{ registry: Registry; warnings: RegistryProblem[] }> {
  const { validateRegistryText, formatProblem } = await import('./validate.js');
  const result = validateRegistryText(text, file);
  if (result.newerFormat !== undefined)
    throw new OmlError(
      'E_REGISTRY_VERSION',
      `${file} uses registry format ${result.newerFormat}, newer than this openmedlab reads`,
      {
        hint: 'upgrade openmedlab (npm install -g openmedlab@latest), or use an older registry with --registry',
        details: { problems: result.errors },
      },
    );
  if (!result.value) {
    const count = result.errors.length;
    throw new OmlError(
      'E_REGISTRY',
      `${formatProblem(result.errors[0]!)}${count > 1 ? ` (and ${count - 1} more)` : ''}`,
      {
        hint: `run \`openmedlab registry validate ${file}\` to list every problem`,
        details: { problems: result.errors },
      },
    );
  }
  return { registry: result.value, warnings: result.warnings };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OmlError('E_REGISTRY', `cannot read registry ${file}${code ? ` (${code})` : ''}`, {
      hint: 'check the path given by --registry or OPENMEDLAB_REGISTRY',
      cause: error,
    });
  }
}

/** The build's JSON copy of the bundled registry (dist/registry.json), if present. */
interface CompiledRegistry {
  sha256: string;
  size: number;
  mtimeMs: number;
  registry: Registry;
}

function readCompiled(): CompiledRegistry | undefined {
  try {
    return JSON.parse(
      readFileSync(path.join(packageRoot(), 'dist', 'registry.json'), 'utf8'),
    ) as CompiledRegistry;
  } catch {
    return undefined;
  }
}

/** True when the file still has the size and mtime recorded at build time. */
function sameStat(file: string, compiled: CompiledRegistry): boolean {
  try {
    const st = statSync(file);
    return st.size === compiled.size && st.mtimeMs === compiled.mtimeMs;
  } catch {
    return false;
  }
}
