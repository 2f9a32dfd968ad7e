import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, validateRegistryText } from '../../src/registry/validate.js';
import { ROOT } from '../helpers/cli.js';

const bundled = readFileSync(path.join(ROOT, 'registry', 'openmedlab.yaml'), 'utf8');

const minimal = (project: string): string => `schemaVersion: 1
version: "t1"
projects:
${project}`;

const PROJECT = `  - id: demo
    aliases: [Demo_Repo]
    name: Demo
    summary: A demo project
    kind: model
    modalities: [ct]
    tasks: [segmentation]
    organs: []
    license: { spdx: Apache-2.0 }
    repo: { url: "https://github.com/openmedlab/Demo", commit: "${'a'.repeat(40)}" }
    bibtex: |
      @article{demo2024, title={Demo}, author={Doe, Jane}, year={2024}}
    checkpoints:
      - name: base
        sources:
          - host: google-drive
            id: abc
    datasets: []
    notes: []
`;

describe('validateRegistryText', () => {
  it('accepts the bundled registry with no problems', () => {
    const result = validateRegistryText(bundled, 'registry/openmedlab.yaml');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.value?.projects).toHaveLength(32);
  });

  it('accepts a minimal valid registry', () => {
    const result = validateRegistryText(minimal(PROJECT), 'r.yaml');
    expect(result.errors).toEqual([]);
    expect(result.value?.projects[0]?.id).toBe('demo');
  });

  it('locates an unknown host by line, column and dot-path', () => {
    const text = minimal(PROJECT.replace('host: google-drive', 'host: gdrive'));
    const [problem, ...rest] = validateRegistryText(text, 'r.yaml').errors;
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      file: 'r.yaml',
      line: 19,
      column: 19,
      path: 'projects[0].checkpoints[0].sources[0].host',
    });
    expect(formatProblem(problem!)).toBe(
      'r.yaml:19:19: projects[0].checkpoints[0].sources[0].host: unknown host "gdrive"; expected one of https, github-release, huggingface, google-drive, google-drive-folder, onedrive, zenodo, baidu-pan, in-repo, manual',
    );
  });

  it('reports YAML syntax errors with their position', () => {
    const result = validateRegistryText('schemaVersion: 1\nprojects: [\n  - id: x\n', 'bad.yaml');
    expect(result.value).toBeUndefined();
    expect(result.errors[0]).toMatchObject({
      file: 'bad.yaml',
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('names a missing field at its parent and an unknown field at itself', () => {
    const text = minimal(PROJECT.replace('    summary: A demo project\n', '    sumary: typo\n'));
    const messages = validateRegistryText(text, 'r.yaml').errors.map(formatProblem);
    expect(messages).toEqual([
      'r.yaml:4:5: projects[0]: missing required field "summary"',
      expect.stringMatching(
        /^r\.yaml:7:5: projects\[0\]\.sumary: unknown field "sumary"; expected one of id, aliases/,
      ),
    ]);
  });

  it.each([
    [
      'a short commit',
      PROJECT.replace(`commit: "${'a'.repeat(40)}"`, 'commit: "abc123"'),
      'projects[0].repo.commit',
      'a full 40-hex commit id',
    ],
    [
      'a bad sha256',
      PROJECT.replace('      - name: base\n', '      - name: base\n        sha256: "xyz"\n'),
      'projects[0].checkpoints[0].sha256',
      'a 64-hex sha256',
    ],
    [
      'plain http off loopback',
      PROJECT.replace(
        '- host: google-drive\n            id: abc',
        '- host: https\n            url: http://example.org/x.pt',
      ),
      'projects[0].checkpoints[0].sources[0].url',
      'must be https',
    ],
    [
      'an unknown modality',
      PROJECT.replace('modalities: [ct]', 'modalities: [cat]'),
      'projects[0].modalities[0]',
      'unknown value "cat"',
    ],
    [
      'broken BibTeX',
      PROJECT.replace('year={2024}}', 'year={2024}'),
      'projects[0].bibtex',
      'BibTeX does not parse',
    ],
    ['a non-kebab id', PROJECT.replace('id: demo', 'id: Demo_X'), 'projects[0].id', 'kebab-case'],
  ])('rejects %s', (_name, project, path, message) => {
    const errors = validateRegistryText(minimal(project), 'r.yaml').errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path });
    expect(errors[0]!.message).toContain(message);
  });

  it('rejects duplicate ids and aliases across projects, case-insensitively', () => {
    const second = PROJECT.replace('id: demo', 'id: other').replace('[Demo_Repo]', '[demo_repo]');
    const errors = validateRegistryText(minimal(PROJECT + second), 'r.yaml').errors;
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['projects[1].aliases[0]', '"demo_repo" is already used by project "demo"'],
    ]);
  });

  it('rejects duplicate checkpoint names within a project', () => {
    const project = PROJECT.replace(
      '    datasets: []',
      '      - name: base\n        sources: [{ host: manual, url: "https://example.org" }]\n    datasets: []',
    );
    const errors = validateRegistryText(minimal(project), 'r.yaml').errors;
    expect(errors.map((e) => e.path)).toEqual(['projects[0].checkpoints[1].name']);
  });

  it('flags a newer format instead of listing shape errors', () => {
    const result = validateRegistryText(
      'schemaVersion: 2\nversion: x\nprojects: []\nsomethingNew: true\n',
      'r.yaml',
    );
    expect(result.newerFormat).toBe(2);
    expect(result.errors[0]).toMatchObject({ line: 1, path: 'schemaVersion' });
  });
});
