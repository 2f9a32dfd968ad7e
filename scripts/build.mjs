// Build: bundle the CLI and the library with esbuild (one file each, so start-up resolves few
// modules), emit type declarations, and compile the bundled registry to JSON after validating it.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lazyChildProcess } from './lazy-builtins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  // Dependencies are bundled too: one file resolves faster than a tree of packages at start-up.
  // CommonJS dependencies need a real `require`, which ESM output lacks.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  minify: true,
  keepNames: false,
  legalComments: 'linked',
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [lazyChildProcess],
};
// Two builds, so the CLI's start-up path shares no chunks with the library entry.
await build({
  ...common,
  entryPoints: { cli: 'src/cli/run.ts' },
  absWorkingDir: root,
  chunkNames: 'chunks/cli-[name]-[hash]',
});
await build({ ...common, entryPoints: { index: 'src/index.ts' }, absWorkingDir: root });

// The bundled registry, validated, as JSON with the YAML's sha256, size and mtime (load.ts uses it
// only while the YAML is unchanged).
const { validateRegistryText, formatProblem } = await import(path.join(dist, 'index.js'));
const file = path.join(root, 'registry', 'openmedlab.yaml');
const text = await readFile(file, 'utf8');
const result = validateRegistryText(text, path.relative(root, file));
if (!result.value) {
  for (const problem of result.errors) console.error(formatProblem(problem));
  process.exit(2);
}
const sha256 = createHash('sha256').update(text).digest('hex');
const { size, mtimeMs } = await stat(file);
await writeFile(
  path.join(dist, 'registry.json'),
  JSON.stringify({ sha256, size, mtimeMs, registry: result.value }),
);

// Declarations for library users (tsc only emits .d.ts here; esbuild produced the JS).
if (process.env.OPENMEDLAB_BUILD_NO_DTS !== '1')
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
