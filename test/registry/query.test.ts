import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registryJsonSchemaText } from '../../src/registry/json-schema.js';
import { filterProjects, findProject, summarize } from '../../src/registry/query.js';
import { searchProjects } from '../../src/registry/search.js';
import { editDistance, suggest } from '../../src/registry/suggest.js';
import type { Registry } from '../../src/registry/types.js';
import { validateRegistryText } from '../../src/registry/validate.js';
import { ROOT } from '../helpers/cli.js';

const registry = validateRegistryText(
  readFileSync(path.join(ROOT, 'registry', 'openmedlab.yaml'), 'utf8'),
  'openmedlab.yaml',
).value as Registry;
const ids = (projects: Array<{ id: string }>): string[] => projects.map((p) => p.id);

describe('findProject', () => {
  it('matches ids and aliases case-insensitively', () => {
    expect(findProject(registry, 'STU-NET').id).toBe('stu-net');
    expect(findProject(registry, 'retfound_mae').id).toBe('retfound');
    expect(findProject(registry, 'RETFound_MAE').id).toBe('retfound');
  });

  it('suggests the closest id for a typo', () => {
    expect(() => findProject(registry, 'endofm')).toThrow(
      expect.objectContaining({
        code: 'E_UNKNOWN_PROJECT',
        exitCode: 2,
        hint: expect.stringContaining('`endo-fm`'),
      }),
    );
    expect(() => findProject(registry, 'stunet')).toThrow(
      expect.objectContaining({ details: { suggestions: ['stu-net'] } }),
    );
  });

  it('gives a plain hint when nothing is close', () => {
    expect(() => findProject(registry, 'zzzzzzzzzzzz')).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('openmedlab search') }),
    );
  });
});

describe('filterProjects', () => {
  it('ORs the values of one filter and ANDs different filters', () => {
    const ctOrMri = ids(filterProjects(registry, { modality: ['ct', 'mri'] }));
    const ct = ids(filterProjects(registry, { modality: ['ct'] }));
    const mri = ids(filterProjects(registry, { modality: ['mri'] }));
    expect(new Set(ctOrMri)).toEqual(new Set([...ct, ...mri]));
    const ctModels = ids(filterProjects(registry, { modality: ['ct'], kind: ['model'] }));
    expect(ctModels).toEqual(ct.filter((id) => findProject(registry, id).kind === 'model'));
    expect(ctModels).toEqual(['medlsam', 'mis-fm', 'miu-vl', 'sam-med3d', 'stu-net']);
  });

  it('filters by licence, host and published weights', () => {
    const nc = filterProjects(registry, { license: ['cc-by-nc-4.0'] });
    expect(nc.length).toBeGreaterThan(0);
    expect(nc.every((p) => summarize(p).nonCommercial)).toBe(true);
    expect(ids(filterProjects(registry, { host: ['onedrive'] }))).toEqual(['endo-fm']);
    const withWeights = filterProjects(registry, { hasWeights: true });
    expect(ids(withWeights)).not.toContain('medfmc');
    expect(withWeights.every((p) => summarize(p).checkpoints > 0)).toBe(true);
  });

  it('rejects a value outside a closed vocabulary with a suggestion', () => {
    expect(() => filterProjects(registry, { modality: ['ctt'] })).toThrow(
      expect.objectContaining({ code: 'E_USAGE', hint: expect.stringContaining('did you mean ct') }),
    );
  });
});

describe('searchProjects', () => {
  it('ranks an id match above summary mentions', () => {
    const hits = searchProjects(registry, ['pathoduet']);
    expect(hits[0]?.project.id).toBe('pathoduet');
  });

  it('requires every word to match', () => {
    const hits = searchProjects(registry, ['segmentation', 'ct']);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(JSON.stringify(hit.project).toLowerCase()).toContain('segment');
    expect(searchProjects(registry, ['pathology', 'zzzz'])).toEqual([]);
  });

  it('finds the pathology projects', () => {
    expect(ids(searchProjects(registry, ['pathology']).map((h) => h.project))).toEqual(
      expect.arrayContaining(['pathoduet', 'brow']),
    );
  });
});

describe('suggest', () => {
  it('measures transpositions as one edit', () => {
    expect(editDistance('stunet', 'sutnet')).toBe(1);
    expect(suggest('mifs-fm', ['mis-fm', 'medfm', 'pulse'])).toEqual(['mis-fm']);
    expect(suggest('medfmm', ['mis-fm', 'medfm', 'medfmc'])).toEqual(['medfm', 'medfmc']);
  });
});

describe('registry/schema.json', () => {
  it('is current with the code schema (run `npm run schema` to regenerate)', () => {
    expect(readFileSync(path.join(ROOT, 'registry', 'schema.json'), 'utf8')).toBe(registryJsonSchemaText());
  });

  it('is the schema the YAML points editors at', () => {
    const head = readFileSync(path.join(ROOT, 'registry', 'openmedlab.yaml'), 'utf8').split('\n')[0];
    expect(head).toBe('# yaml-language-server: $schema=./schema.json');
  });
});
