/** A small registry for get's tests, written as YAML in a temp dir (its URLs point at the emulator). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Artifact } from '../../src/registry/types.js';

/** One test project with the given checkpoints. */
function project(id: string, checkpoints: Artifact[]) {
  return {
    id,
    aliases: [],
    name: id,
    summary: `test project ${id}`,
    kind: 'model',
    modalities: ['ct'],
    tasks: ['segmentation'],
    organs: [],
    license: { spdx: 'Apache-2.0' },
    repo: { url: `https://github.com/openmedlab/${id}`, commit: 'a'.repeat(40) },
    checkpoints,
    datasets: [],
    notes: [],
  };
}

/** Write the registry YAML with these projects; returns its path. */
export async function writeRegistry(dir: string, projects: Record<string, Artifact[]>): Promise<string> {
  const file = path.join(dir, 'registry.yaml');
  const doc = {
    schemaVersion: 1,
    version: '2026.1.0',
    projects: Object.entries(projects).map(([id, c]) => project(id, c)),
  };
  await fs.writeFile(file, stringify(doc));
  return file;
}
