// The bundled registry against the facts it was written from (../shared/registry-facts, read off
// each project's public repository). The CT list is pinned here too, so the check runs without them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { filterProjects } from '../../src/registry/query.js';
import type { Registry } from '../../src/registry/types.js';
import { validateRegistryText } from '../../src/registry/validate.js';
import { ROOT } from '../helpers/cli.js';

const registry = validateRegistryText(
  readFileSync(path.join(ROOT, 'registry', 'openmedlab.yaml'), 'utf8'),
  'openmedlab.yaml',
).value as Registry;

const FACTS = [process.env.OPENMEDLAB_FACTS_DIR, path.join(ROOT, '..', 'shared', 'registry-facts')].find(
  (dir): dir is string => dir !== undefined && existsSync(path.join(dir, 'INDEX.md')),
);

// From registry-facts/INDEX.md: the openmedlab repositories whose modalities include ct
// (the organisation profile .github excluded).
const CT_FROM_FACTS = [
  'a-eval',
  'awesome-medical-dataset',
  'dataset',
  'medlsam',
  'mis-fm',
  'miu-vl',
  'sam-med3d',
  'stu-net',
];

interface Fact {
  repo: string;
  head_commit: string | null;
  modalities: string[] | null;
  license: string | null;
  kind: string;
  bibtex?: string | null;
  upstream_of?: string;
}

function readFacts(dir: string, upstream: boolean): Fact[] {
  return readdirSync(dir)
    .filter(
      (f) =>
        f.endsWith('.yaml') &&
        !['code-repos.yaml', 'dot-github.yaml', 'medllmspracticalguide.yaml'].includes(f),
    )
    .filter((f) => f.startsWith('upstream-') === upstream)
    .map((f) => parse(readFileSync(path.join(dir, f), 'utf8')) as Fact);
}

describe('registry data', () => {
  it('has the 32 OpenMEDLab projects', () => {
    expect(registry.projects).toHaveLength(32);
    expect(registry.projects.map((p) => p.id)).not.toContain('medllmspracticalguide');
  });

  it('lists exactly the CT projects of the facts', () => {
    expect(filterProjects(registry, { modality: ['ct'] }).map((p) => p.id)).toEqual(CT_FROM_FACTS);
  });

  it.skipIf(!FACTS)('matches every fact file: repository, commit, kind, licence, modalities, BibTeX', () => {
    const facts = readFacts(FACTS!, false);
    const upstreams = readFacts(FACTS!, true);
    expect(facts).toHaveLength(32);
    for (const fact of facts) {
      const project = registry.projects.find((p) => p.repo.url === `https://github.com/${fact.repo}`);
      expect(project, fact.repo).toBeDefined();
      expect(project!.repo.commit).toBe(fact.head_commit);
      expect(project!.kind).toBe(fact.kind);
      expect(project!.license.spdx).toBe(fact.license ?? 'unknown');
      const known = (fact.modalities ?? []).filter((m) => !m.startsWith('('));
      if (known.length) expect(project!.modalities).toEqual(known);
      // A copy without a citation takes its newer upstream's (SAM-Med3D).
      const bibtex = fact.bibtex ?? upstreams.find((u) => u.upstream_of === fact.repo)?.bibtex;
      if (bibtex) expect(project!.bibtex?.trim()).toBe(bibtex.trim());
      else expect(project!.bibtex).toBeUndefined();
    }
    const ctFromFacts = facts.filter((f) => f.modalities?.includes('ct'));
    expect(ctFromFacts.map((f) => f.repo.split('/')[1]!.toLowerCase()).sort()).toEqual(CT_FROM_FACTS);
  });

  it('records no checksum or size the facts do not give', () => {
    const pinned = registry.projects
      .flatMap((p) => p.checkpoints.concat(p.datasets))
      .filter((a) => a.sha256 || a.size);
    expect(pinned).toEqual([]);
  });
});
