// Helper of bench/download.mjs: the real `openmedlab get` (src/cli/run.ts bundled as the package
// builds it) against a throw-away registry whose checkpoints are files served by nginx on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** One registry project per entry of `projects` ({ id: [file names] }), as YAML. */
function registryYaml(base, projects) {
  const project = ([id, files]) => `  - id: ${id}
    aliases: []
    name: ${id}
    summary: bench files served by nginx on 127.0.0.1
    kind: model
    modalities: []
    tasks: []
    organs: []
    license: { spdx: unknown }
    repo: { url: "https://github.com/example/${id}", commit: "${'a'.repeat(40)}" }
    datasets: []
    notes: []
    checkpoints:
${files
  .map(
    (f) => `      - name: ${f.replace(/\.bin$/, '')}
        filename: ${f}
        sources: [{ host: https, url: "${base}/${f}" }]`,
  )
  .join('\n')}`;
  return `schemaVersion: 1\nversion: "bench"\nprojects:\n${Object.entries(projects).map(project).join('\n')}\n`;
}

/** Bundle `entry` (relative to the repo) into one ESM file for Node 20, as the package builds it. */
export function bundleEsm(repo, entry, outfile, extra = []) {
  execFileSync(path.join(repo, 'node_modules/.bin/esbuild'), [
    path.join(repo, entry),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    ...extra,
    `--outfile=${outfile}`,
    "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    '--log-level=warning',
  ]);
}

/** Bundle the CLI into `dir`, write the registry; returns a command builder and the state dirs. */
export function prepareCli({ repo, dir, base, projects }) {
  const bundle = path.join(dir, 'cli', 'cli.mjs');
  bundleEsm(repo, 'src/cli/run.ts', bundle, ['--minify']);
  const shim = path.join(dir, 'cli', 'openmedlab.mjs');
  fs.writeFileSync(shim, "import { run } from './cli.mjs';\nawait run();\n");
  const registry = path.join(dir, 'cli', 'registry.yaml');
  fs.writeFileSync(registry, registryYaml(base, projects));
  const state = path.join(dir, 'cli-state');
  const env = [
    `OPENMEDLAB_REGISTRY=${registry}`,
    `OPENMEDLAB_DATA=${state}/data`,
    `OPENMEDLAB_CONFIG_DIR=${state}/config`,
    `OPENMEDLAB_CACHE=${state}/cache`,
  ].join(' ');
  return {
    /** `openmedlab get <id> --no-code --jobs N -q`, with its own cache, trust store and config. */
    get: (id, jobs) =>
      `env ${env} ${process.execPath} ${shim} get ${id} --no-code --jobs ${jobs} -q >/dev/null`,
    /** Forget every download (cache and trust store), so each run downloads again. */
    clean: () => fs.rmSync(state, { recursive: true, force: true }),
  };
}
