import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'oml-cli-'));
afterAll(async () => (await import('node:fs/promises')).rm(tmp, { recursive: true, force: true }));
const CT = [
  'a-eval',
  'awesome-medical-dataset',
  'dataset',
  'medlsam',
  'mis-fm',
  'miu-vl',
  'sam-med3d',
  'stu-net',
];
const ids = (stdout: string): string[] => (JSON.parse(stdout) as Array<{ id: string }>).map((p) => p.id);

describe('list', () => {
  it('returns exactly the CT projects as JSON', async () => {
    const r = await runCli(['list', '--modality', 'ct', '--json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(ids(r.stdout)).toEqual(CT);
    expect(JSON.parse(r.stdout)[0]).toEqual({
      id: 'a-eval',
      name: 'A-Eval',
      kind: 'benchmark',
      modalities: ['ct', 'mri'],
      tasks: expect.any(Array),
      license: 'Apache-2.0',
      nonCommercial: false,
      checkpoints: 0,
      datasets: expect.any(Number),
      hosts: [],
      summary: expect.any(String),
    });
  });

  it('treats repeated and comma-separated values as OR, different flags as AND', async () => {
    const a = await runCli(['list', '--modality', 'ct,pathology', '--json']);
    const b = await runCli(['list', '--modality', 'ct', '--modality', 'pathology', '--json']);
    expect(a.stdout).toBe(b.stdout);
    const both = await runCli([
      'list',
      '--modality',
      'ct,pathology',
      '--has-weights',
      '--kind',
      'model',
      '--json',
    ]);
    expect(ids(both.stdout)).toEqual([
      'brow',
      'medlsam',
      'mis-fm',
      'miu-vl',
      'pathoduet',
      'sam-med3d',
      'stu-net',
    ]);
  });

  it('renders a table that fits the width, without colour codes under NO_COLOR', async () => {
    const wide = await runCli(['list', '--modality', 'ct'], { env: cleanEnv({ COLUMNS: '160' }) });
    expect(wide.stdout.split('\n')[1]).toMatch(
      /│ id\s+│ name\s+│ modalities\s+│ tasks\s+│ kind\s+│ licence\s+│ ckpts │/,
    );
    const r = await runCli(['list', '--modality', 'ct'], { env: cleanEnv({ COLUMNS: '80' }) });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // Narrow: name and kind are left out, ids are never cut.
    expect(lines[1]).toMatch(/│ id\s+│ modalities\s+│ tasks\s+│ licence\s+│ ckpts │/);
    for (const id of CT) expect(r.stdout).toContain(`│ ${id} `);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('rejects an unknown modality with exit 2 and a suggestion', async () => {
    const r = await runCli(['list', '--modality', 'cta']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: unknown modality "cta"\nhint: did you mean ct? one of: ct, mri, xray, pathology, endoscopy, ultrasound, fundus, dermatology, microscopy, text, protein, multimodal\n',
    );
  });
});

describe('search and info', () => {
  it('ranks matches for a word', async () => {
    const r = await runCli(['search', 'pathology', '--json']);
    const hits = JSON.parse(r.stdout) as Array<{ id: string; score: number; matched: string[] }>;
    expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining(['pathoduet', 'brow', 'cite']));
    expect([...hits].sort((x, y) => y.score - x.score)).toEqual(hits);
  });

  it('describes a project with licence first, commits and sources in try order', async () => {
    const r = await runCli(['info', 'RETFound_MAE']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toBe('licence:    CC-BY-NC-4.0  NON-COMMERCIAL USE ONLY');
    expect(r.stdout).toMatch(/repository: https:\/\/github\.com\/openmedlab\/RETFound_MAE @ [0-9a-f]{40}/);
    expect(r.stdout).toContain('HF_TOKEN with access granted on the Hub page');
    const stu = await runCli(['info', 'stu-net', '--json']);
    const info = JSON.parse(stu.stdout);
    expect(info.code).toMatchObject({
      url: 'https://github.com/uni-medical/STU-Net',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const small = info.checkpoints.find((c: { name: string }) => c.name === 'stu-net-s');
    expect(small.sources.map((s: { host: string }) => s.host)).toEqual(['google-drive', 'baidu-pan']);
    expect(small.sources[1].needs).toContain('extraction code soz7');
  });

  it('suggests the right id for a typo, exit 2, no stack trace', async () => {
    const r = await runCli(['info', 'endofm']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: unknown project "endofm"\nhint: did you mean `endo-fm`? (`openmedlab list` shows every project)\n',
    });
  });

  it('prints errors as JSON on stderr with --json', async () => {
    const r = await runCli(['info', 'endofm', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'E_UNKNOWN_PROJECT',
        exitCode: 2,
        message: 'unknown project "endofm"',
        hint: 'did you mean `endo-fm`? (`openmedlab list` shows every project)',
        details: { suggestions: ['endo-fm'] },
      },
    });
  });
});

describe('registries given by flag or environment', () => {
  const bad = path.join(tmp, 'bad.yaml');
  const good = readFileSync(path.join(ROOT, 'registry', 'openmedlab.yaml'), 'utf8');
  writeFileSync(bad, good.replaceAll('      - host: onedrive\n', '      - host: gdrive\n'));

  it('reports a malformed registry as file:line:col and dot-path, exit 2, no stack', async () => {
    const r = await runCli(['--registry', bad, 'list']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: .*bad\.yaml:\d+:\d+: projects\[\d+\]\.checkpoints\[\d+\]\.sources\[0\]\.host: unknown host "gdrive"; expected one of https, /,
    );
    expect(r.stderr).toContain('hint: run `openmedlab registry validate');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists every problem with registry validate', async () => {
    const r = await runCli(['registry', 'validate', bad], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(
      r.stderr.split('\n').filter((l) => l.includes('unknown host "gdrive"')).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('reads OPENMEDLAB_REGISTRY and refuses a newer format', async () => {
    const newer = path.join(tmp, 'newer.yaml');
    writeFileSync(newer, 'schemaVersion: 2\nversion: "x"\nprojects: []\n');
    const r = await runCli(['list'], { env: cleanEnv({ OPENMEDLAB_REGISTRY: newer }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('newer than this openmedlab reads');
    expect(r.stderr).toContain('hint: upgrade openmedlab');
  });

  it('describes the registry in use', async () => {
    const r = await runCli(['registry', 'info', '--json']);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({
      schemaVersion: 1,
      supportedSchemaVersion: 1,
      bundled: true,
      counts: { projects: 32 },
    });
    expect(info.file).toBe(path.join(ROOT, 'registry', 'openmedlab.yaml'));
    const v = await runCli(['registry', 'validate']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/openmedlab\.yaml: valid \(32 projects, data version /);
  });
});

describe('help and usage', () => {
  it('shows an example for every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    const commands = ['list', 'search', 'info', 'cite', 'registry validate', 'registry info'];
    for (const command of commands) {
      const r = await runCli([...command.split(' '), '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(/Examples:\n {2}\$ openmedlab /);
    }
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect((await runCli(['--version'])).stdout).toBe(`${pkg.version}\n`);
  });

  it('exits 2 for an unknown command or flag', async () => {
    expect((await runCli(['lst'])).code).toBe(2);
    expect((await runCli(['list', '--modalty', 'ct'])).code).toBe(2);
  });
});
