/** Minimal registry projects for tests of the code step. */
import type { CodeRef, Project } from '../../src/registry/types.js';

/** A project whose openmedlab repo is `url@commit`, optionally with a separate code ref. */
export function testProject(id: string, url: string, commit: string, code?: CodeRef): Project {
  return {
    id,
    aliases: [],
    name: id,
    summary: 'test project',
    kind: 'model',
    modalities: ['ct'],
    tasks: [],
    organs: [],
    license: { spdx: 'MIT' },
    repo: { url, commit },
    ...(code ? { code } : {}),
    checkpoints: [],
    datasets: [],
    notes: [],
  };
}
