import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT, runCli } from '../helpers/cli.js';

const registry = parseYaml(readFileSync(path.join(ROOT, 'registry', 'openmedlab.yaml'), 'utf8')) as {
  projects: Array<{ id: string; bibtex?: string }>;
};
const citable = registry.projects.filter((p) => p.bibtex).map((p) => p.id);
const entriesIn = (bibtex: string): number => (bibtex.match(/^\s*@\w+\s*\{/gm) ?? []).length;

describe('cite', () => {
  it('covers the projects that publish BibTeX', () => {
    expect(citable.length).toBeGreaterThanOrEqual(20);
  });

  it.each(['bibtex', 'biblatex'])(
    '%s output of every project parses with a real BibTeX parser',
    async (format) => {
      for (const id of citable) {
        const r = await runCli(['cite', id, '--format', format]);
        expect(r.code, id).toBe(0);
        const lib = parse(r.stdout, { sentenceCase: false });
        expect(lib.errors, `${id}: ${r.stdout}`).toEqual([]);
        const project = registry.projects.find((p) => p.id === id)!;
        expect(lib.entries, id).toHaveLength(entriesIn(project.bibtex!));
        for (const entry of lib.entries) {
          expect(entry.fields.title?.length, id).toBeGreaterThan(0);
          expect(entry.fields.author?.length, id).toBeGreaterThan(0);
        }
      }
    },
    60_000,
  );

  it('gives every entry a unique key with --all', async () => {
    const r = await runCli(['cite', '--all']);
    expect(r.code).toBe(0);
    const lib = parse(r.stdout, { sentenceCase: false });
    expect(lib.errors).toEqual([]);
    const keys = lib.entries.map((e) => e.key.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(registry.projects.reduce((n, p) => n + (p.bibtex ? entriesIn(p.bibtex) : 0), 0));
  });

  it('keeps the Endo-FM entry exact, key on the @ line', async () => {
    const r = await runCli(['cite', 'endo-fm']);
    expect(r.stdout).toMatchInlineSnapshot(`
      "@inproceedings{wang2023foundation,
        title = {Foundation Model for Endoscopy Video Analysis via Large-scale Self-supervised Pre-train},
        author = {Zhao Wang and Chang Liu and Shaoting Zhang and Qi Dou},
        booktitle = {International Conference on Medical Image Computing and Computer-Assisted Intervention},
        pages = {101--111},
        year = {2023},
        organization = {Springer}
      }
      "
    `);
  });

  it('renders APA, RIS and CSL-JSON', async () => {
    const apa = await runCli(['cite', 'medfmc', '--format', 'apa']);
    expect(apa.code).toBe(0);
    expect(apa.stdout).toMatch(/\(20\d\d\)\./);
    const ris = await runCli(['cite', 'medfmc', '--format', 'ris']);
    expect(ris.stdout).toMatch(/^TY {2}- /);
    expect(ris.stdout).toMatch(/\nER {2}- /);
    const csl = await runCli(['cite', 'medfmc', 'stu-net', '--json']);
    expect((JSON.parse(csl.stdout) as unknown[]).length).toBe(2);
  }, 30_000);

  it('warns about a project without a citation and cites the rest', async () => {
    const none = registry.projects.find((p) => !p.bibtex)!.id;
    const r = await runCli(['cite', none, 'medfmc']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${none} publishes no citation`);
    const only = await runCli(['cite', none]);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('no citation recorded');
  });

  it('rejects an unknown format with exit 2', async () => {
    const r = await runCli(['cite', 'medfmc', '--format', 'mla']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'mla' is invalid");
  });
});
