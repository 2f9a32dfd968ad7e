import { readdirSync, readFileSync } from 'node:fs';
import { type Creator, type Library, parse } from '@retorquere/bibtex-parser';
import { describe, expect, it, vi } from 'vitest';
import { CITE_FORMATS, type CiteInput, formatCitations, normalizeBibtex } from '../../src/cite/format.js';

// One file per registry project with BibTeX, copied verbatim from the registry facts.
const dir = new URL('../fixtures/bibtex/', import.meta.url);
const fixtures: CiteInput[] = readdirSync(dir)
  .filter((f) => f.endsWith('.bib'))
  .sort()
  .map((f) => ({ id: f.slice(0, -4), bibtex: readFileSync(new URL(f, dir), 'utf8') }));
const fixture = (id: string): CiteInput =>
  fixtures.find((f) => f.id === id) ?? expect.fail(`no fixture ${id}`);

// Published entries with two papers; every other fixture has exactly one.
const TWO_ENTRIES = ['mis-fm', 'osteoarthritis-benchmark'];
// Published author lists separated by commas: BibTeX itself misreads them ("too many commas"), so
// every output, `bibtex` included, writes them as the `and`-separated lists they plainly are.
const COMMA_AUTHORS: Record<string, string[][]> = {
  medlsam: [['Wenhui Lei', 'Xu Wei', 'Xiaofan Zhang', 'Kang Li', 'Shaoting Zhang']],
  'mis-fm': [
    ['Guotai Wang', 'Jianghao Wu', 'Xiangde Luo', 'Xinglong Liu', 'Kang Li', 'Shaoting Zhang'],
    ['Guotai Wang', 'Jia Fu', 'Jianghao Wu', 'Xiangde Luo', 'Yubo Zhou', 'Xinglong Liu', 'Kang Li'].concat([
      'Jingsheng Lin',
      'Baiyong Sheng',
      'Shaoting Zhang',
    ]),
  ],
  pulse: [['Xiaofan Zhang', 'Kui Xue', 'Shaoting Zhang']],
  usfm: [['Jing Jiao', 'Jin Zhou', 'Xiaokang Li', '...', 'Yuanyuan Wang', 'Yi Guo']],
};
// Of those, the ones the reference parser reports as errors in the published text.
const PUBLISHED_NAME_ERRORS = ['medlsam', 'mis-fm', 'usfm'];

const read = (text: string): Library => parse(text, { sentenceCase: false });
const person = (c: Creator): string =>
  c.name ?? [c.firstName, c.prefix, c.lastName, c.suffix].filter(Boolean).join(' ');
/** What matters in a parsed library: per entry, the author names, the title and the year. */
const facts = (lib: Library) =>
  lib.entries.map((e) => ({
    authors: (e.fields.author ?? []).map(person),
    title: e.fields.title,
    year: e.fields.year ?? e.fields.date,
  }));
const keysOf = (text: string): string[] => read(text).entries.map((e) => e.key);

/** The source text of a braced field value in verbatim BibTeX (first occurrence). */
function rawField(text: string, name: string): string | undefined {
  const start = text.search(new RegExp(`\\b${name}\\s*=\\s*\\{`, 'i'));
  if (start < 0) return undefined;
  let i = text.indexOf('{', start);
  const from = i;
  for (let depth = 0; i < text.length; i++) {
    depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    if (depth === 0) return text.slice(from, i + 1);
  }
  return undefined;
}

describe('fixtures', () => {
  it('cover the registry facts, with the known quirks', () => {
    expect(fixtures).toHaveLength(25);
    const withErrors = fixtures.filter((f) => read(f.bibtex).errors.length > 0).map((f) => f.id);
    expect(withErrors).toEqual(PUBLISHED_NAME_ERRORS);
  });
});

describe('normalizeBibtex', () => {
  it.each(fixtures)('$id: parses with no error, same authors, title and year', ({ id, bibtex }) => {
    const original = read(bibtex);
    const normal = read(normalizeBibtex(bibtex));
    expect(normal.errors).toEqual([]);
    expect(normal.entries).toHaveLength(TWO_ENTRIES.includes(id) ? 2 : 1);
    // Comma-separated author lists become `and`-separated lists of the same names, in order.
    const expected = facts(original).map((f, i) => ({ ...f, authors: COMMA_AUTHORS[id]?.[i] ?? f.authors }));
    expect(facts(normal)).toEqual(expected);
    expect(normal.entries.map((e) => e.key)).toEqual(original.entries.map((e) => e.key));
  });

  it.each(fixtures)(
    '$id: keeps title and year byte-exact, authors exact up to separators, and is tidy',
    ({ id, bibtex }) => {
      const out = normalizeBibtex(bibtex);
      for (const name of ['title', 'year']) expect(out).toContain(rawField(bibtex, name));
      const squash = (v: string | undefined) => v?.replace(/\s+/g, ' ');
      if (!COMMA_AUTHORS[id])
        expect(squash(rawField(out, 'author'))).toBe(squash(rawField(bibtex, 'author')));
      expect(out).toMatch(/^@\w+\{[^\s,]+,\n/);
      expect(out).toMatch(/[^\n]\n$/);
      expect(out).not.toMatch(/[ \t]$/m);
      expect(normalizeBibtex(out)).toBe(out);
    },
  );

  it('puts the Endo-FM key on the @ line and indents fields by two spaces', () => {
    expect(normalizeBibtex(fixture('endo-fm').bibtex)).toMatchInlineSnapshot(`
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

  it('keeps quoted, numeric and concatenated values, @string and parenthesised entries', () => {
    const text =
      '@string{ mi = "Med. Image" }\r\n@Article ( k1 , journal = mi # " Anal.", year = 2024,\tnote = "a {"} b", )';
    expect(normalizeBibtex(text)).toBe(
      '@string{mi = "Med. Image"}\n\n@Article{k1,\n  journal = mi # " Anal.",\n  year = 2024,\n  note = "a {"} b"\n}\n',
    );
  });

  it.each([
    ['an unbalanced brace', '\n@article{k,\n  title = {Foo {Bar},\n  year = {2023}\n}\n', 2, 'never closes'],
    ['a stray closing brace', '@article{k, title = {Foo}}}\n', 1, 'text outside an entry'],
    ['a missing "="', '@article{k,\n  title {Foo}\n}', 2, 'expected "="'],
    ['no entry at all', 'see the paper', 1, 'text outside an entry'],
    ['an unclosed quote', '@misc{k, note = "open}', 1, '"}" without "{"'],
  ])('rejects %s with E_REGISTRY and the line', (_label, text, line, message) => {
    expect(() => normalizeBibtex(text)).toThrow(
      expect.objectContaining({
        name: 'OmlError',
        code: 'E_REGISTRY',
        message: expect.stringContaining(message),
        details: expect.objectContaining({ line }),
      }),
    );
  });
});

const collide: CiteInput[] = [
  fixture('retfound_mae'),
  fixture('endo-fm'),
  fixture('upstream-rmaphoh-retfound_mae'),
  { id: 'other/proj', bibtex: '@misc{WANG2023foundation, title={Other}, author={Ann Lee}, year={2024}}' },
];
const collideKeys = [
  'zhou2023foundation-retfound_mae',
  'wang2023foundation-endo-fm',
  'zhou2023foundation-upstream-rmaphoh-retfound_mae',
  'WANG2023foundation-other-proj',
];

describe('formatCitations: keys', () => {
  it('suffixes colliding keys with the project id, and the result still parses', async () => {
    const out = await formatCitations(collide, 'bibtex');
    const lib = read(out);
    expect(lib.errors).toEqual([]);
    expect(lib.entries.map((e) => e.key)).toEqual(collideKeys);
    expect(out).toMatch(/\n}\n\n@inproceedings\{wang2023foundation-endo-fm,\n {2}title = /);
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('gives each project the same key whatever the order', async () => {
    const reversed = keysOf(await formatCitations([...collide].reverse(), 'bibtex'));
    expect(reversed).toEqual([...collideKeys].reverse());
  });

  it('keeps unique keys, numbers repeats within a project and cites a repeated project once', async () => {
    const twice = { id: 'dup', bibtex: '@misc{a, title={1}}\n@misc{A, title={2}}\n@misc{a-dup, title={3}}' };
    const out = await formatCitations([fixture('cite'), twice, fixture('cite')], 'bibtex');
    expect(keysOf(out)).toEqual(['zhang2023text', 'a-dup-2', 'A-dup-3', 'a-dup']);
  });

  it('makes every key unique across all fixtures', async () => {
    const lib = read(await formatCitations(fixtures, 'bibtex'));
    const keys = lib.entries.map((e) => e.key.toLowerCase());
    expect(keys).toHaveLength(27);
    expect(new Set(keys).size).toBe(27);
  });

  it('uses the unique keys as biblatex keys, RIS IDs and CSL ids', async () => {
    expect(keysOf(await formatCitations(collide, 'biblatex'))).toEqual(collideKeys);
    const ris = await formatCitations(collide, 'ris');
    expect(ris.match(/^ID {2}- .*$/gm)).toEqual(collideKeys.map((k) => `ID  - ${k}`));
    const csl = JSON.parse(await formatCitations(collide, 'csl-json')) as { id: string }[];
    expect(csl.map((c) => c.id)).toEqual(collideKeys);
  });
});

describe('formatCitations: rendered formats', () => {
  it.each(fixtures)('$id: biblatex parses, with the same authors, title and year', async ({ id, bibtex }) => {
    const lib = read(await formatCitations([{ id, bibtex }], 'biblatex'));
    expect(lib.errors).toEqual([]);
    const expected = facts(read(bibtex)).map((f, i) => ({
      ...f,
      authors: COMMA_AUTHORS[id]?.[i] ?? f.authors,
    }));
    expect(facts(lib)).toEqual(expected);
  });

  it('renders APA for Endo-FM', async () => {
    expect(await formatCitations([fixture('endo-fm')], 'apa')).toMatchInlineSnapshot(`
      "Wang, Z., Liu, C., Zhang, S., & Dou, Q. (2023). Foundation Model for Endoscopy Video Analysis via Large-scale Self-supervised Pre-train. International Conference on Medical Image Computing and Computer-Assisted Intervention, 101–111.
      "
    `);
  });

  it('repairs the quirky entries in APA: comma author lists, URL DOIs, arXiv eprints, stray TABs', async () => {
    const apa = await formatCitations(['medlsam', 'usfm', 'pathoduet', 'mis-fm'].map(fixture), 'apa');
    expect(apa).toContain('Lei, W., Wei, X., Zhang, X., Li, K., & Zhang, S. (2023). MedLSAM:');
    expect(apa).toContain('Jiao, J., Zhou, J., Li, X., ..., Wang, Y., & Guo, Y. (2024).');
    expect(apa).toContain(' https://doi.org/10.1016/j.media.2024.103202\n');
    expect(apa).toContain('IHC Stains (arXiv:2312.09894). arXiv. https://arxiv.org/abs/2312.09894\n');
    expect(apa).toContain('(2024). Volume Fusion-based');
    expect(apa.split('\n')).toHaveLength(6);
  });

  it('writes RIS records with TY, AU, TI, a year, ID and ER, one line per value', async () => {
    const ris = await formatCitations(fixtures, 'ris');
    const records = ris.slice(0, -1).split(/\n(?=TY {2}- )/);
    expect(records).toHaveLength(27);
    for (const record of records) {
      expect(record).toMatch(/^TY {2}- [A-Z]+\n/);
      expect(record).toMatch(/^AU {2}- .+$/m);
      expect(record).toMatch(/^TI {2}- .+$/m);
      expect(record).toMatch(/^(PY|C2) {2}- \d{4}$/m); // conference papers carry the year in C2
      expect(record).toMatch(/\nER {2}- $/);
      for (const line of record.split('\n')) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- /);
    }
    const medfm = await formatCitations([fixture('medfm')], 'ris');
    expect(medfm).toMatch(/^TY {2}- JOUR\nAU {2}- Wang, Dequan\n/);
    expect(medfm).toContain('\nPY  - 2023\n');
    expect(medfm).toContain(
      '\nTI  - A real-world dataset and benchmark for foundation model adaptation in medical image classification\n',
    );
    expect(medfm.endsWith('ER  - \n')).toBe(true);
  });

  it('writes CSL-JSON as a pretty array', async () => {
    const out = await formatCitations([fixture('endo-fm'), fixture('prosst')], 'csl-json');
    expect(out).toMatch(/^\[\n {2}\{\n {4}"/);
    const items = JSON.parse(out) as Record<string, unknown>[];
    expect(items.map((i) => [i.id, i['citation-key'], i.type])).toEqual([
      ['wang2023foundation', 'wang2023foundation', 'paper-conference'],
      ['Li2024.04.15.589672', 'Li2024.04.15.589672', 'article-journal'],
    ]);
    expect(items[1]).toMatchObject({ DOI: '10.1101/2024.04.15.589672', issued: { 'date-parts': [[2024]] } });
  });

  it('prints nothing while rendering the quirky entries in every format', async () => {
    const spies = [
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
      ...(['log', 'warn', 'error', 'info', 'debug'] as const).map((m) => vi.spyOn(console, m)),
    ];
    try {
      const quirky = ['endo-fm', 'medlsam', 'mis-fm', 'pathoduet', 'prosst', 'pulse', 'sam-med2d', 'usfm'];
      for (const format of CITE_FORMATS) await formatCitations(quirky.map(fixture), format);
      (await import('citeproc')).default.debug('a style warning'); // its console.log channel is off
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('returns empty output for no projects, and rejects bad input and unknown formats', async () => {
    expect(await formatCitations([], 'apa')).toBe('');
    expect(await formatCitations([], 'csl-json')).toBe('[]\n');
    await expect(formatCitations([{ id: 'x', bibtex: '@misc{k, title={a}' }], 'apa')).rejects.toMatchObject({
      name: 'OmlError',
      code: 'E_REGISTRY',
      message: expect.stringContaining('in the citation of "x"'),
    });
    await expect(formatCitations([fixture('cite')], 'mla' as never)).rejects.toMatchObject({
      code: 'E_USAGE',
    });
  });
});
