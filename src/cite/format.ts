/**
 * Citations for registry projects. `bibtex` is the project's own entry, only re-laid-out; every other
 * format is rendered by Citation.js, loaded on first use so commands that never cite do not pay for it.
 */
import type { Cite, CslItem, RisRecord } from '@citation-js/core';
import { OmlError } from '../errors.js';

export type CiteFormat = 'bibtex' | 'biblatex' | 'apa' | 'ris' | 'csl-json';

/** Every supported output format, in the order help text lists them. */
export const CITE_FORMATS: readonly CiteFormat[] = ['bibtex', 'biblatex', 'apa', 'ris', 'csl-json'];

/** One project's citation: its registry id and its BibTeX text as published by its authors. */
export interface CiteInput {
  id: string;
  bibtex: string;
}

interface Field {
  name: string;
  /** The value's source text, delimiters and `#` concatenations included. */
  value: string;
}
interface Entry {
  type: string;
  key: string;
  fields: Field[];
}
/** A regular entry, or an @string/@preamble block kept as written. */
type Block = { entry: Entry } | { raw: string };

const HINT = 'the BibTeX text in the registry is malformed; fix the entry in registry/openmedlab.yaml';

/** A cursor over BibTeX source that reports errors with line and column. */
class Scanner {
  pos = 0;
  /** Where the entry being read starts, to blame it when the text ends inside it. */
  entryStart = -1;
  constructor(
    readonly text: string,
    readonly source: string,
  ) {}

  fail(message: string, at = this.pos): never {
    if (at >= this.text.length && this.entryStart >= 0) {
      [message, at] = ['this entry never closes (unbalanced braces?)', this.entryStart];
    }
    const before = this.text.slice(0, at).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    throw new OmlError(
      'E_REGISTRY',
      `invalid BibTeX${this.source} at line ${line}, column ${column}: ${message}`,
      {
        hint: HINT,
        details: { line, column },
      },
    );
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpace(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }
  /** Consume and return a match of a sticky regex at the cursor, or undefined. */
  take(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m) this.pos += m[0].length;
    return m?.[0];
  }
  expect(char: string): void {
    if (this.peek() !== char)
      this.fail(`expected "${char}", found ${this.peek() ? `"${this.peek()}"` : 'end of text'}`);
    this.pos++;
  }
  /** Skip a `{...}` or `"..."` part; braces nest, and a quote only ends the part outside braces. */
  delimited(): void {
    const start = this.pos;
    const quoted = this.peek() === '"';
    let depth = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (depth < 0) this.fail('unbalanced braces: "}" without "{"');
      const closed = quoted ? c === '"' && depth === 0 && this.pos > start : depth === 0;
      if (closed) {
        this.pos++;
        return;
      }
    }
    this.fail(`unbalanced ${quoted ? 'quotes' : 'braces'}: this value never closes`, start);
  }
}

const NAME = /[^\s,={}()"#%'\\]+/y;
const BARE = /[^\s,={}()"#%']+/y;

/** Read one field value (parts joined by `#`) and return its source text. */
function readValue(s: Scanner): string {
  const start = s.pos;
  for (;;) {
    if (s.peek() === '{' || s.peek() === '"') s.delimited();
    else if (!s.take(BARE)) s.fail('expected a field value');
    const end = s.pos;
    s.skipSpace();
    if (s.peek() !== '#') {
      s.pos = end;
      return s.text.slice(start, end);
    }
    s.pos++;
    s.skipSpace();
  }
}

/** Read an entry's key and fields; the cursor is just past the opening delimiter. */
function readEntry(s: Scanner, type: string, close: string): Entry {
  s.skipSpace();
  const key = s.take(NAME) ?? s.fail('expected the citation key');
  const fields: Field[] = [];
  s.skipSpace();
  if (s.peek() !== close) s.expect(',');
  for (;;) {
    s.skipSpace();
    if (s.peek() === close) break;
    const name = s.take(NAME) ?? s.fail(`expected a field name or "${close}"`);
    s.skipSpace();
    s.expect('=');
    s.skipSpace();
    fields.push({ name, value: readValue(s) });
    s.skipSpace();
    if (s.peek() !== close) s.expect(',');
  }
  s.pos++;
  return { type, key, fields };
}

/** Split BibTeX text into blocks; @comment is dropped and anything else outside an entry is an error. */
function parseBlocks(text: string, source = ''): Block[] {
  const s = new Scanner(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), source);
  const blocks: Block[] = [];
  for (s.skipSpace(); s.pos < s.text.length; s.skipSpace()) {
    if (s.take(/%.*/y)) continue; // a TeX-style comment line, common in pasted READMEs
    if (s.peek() !== '@') s.fail('text outside an entry (unbalanced braces?)');
    s.entryStart = s.pos++;
    const type = s.take(/[A-Za-z][\w-]*/y) ?? s.fail('expected an entry type after "@"');
    s.skipSpace();
    const open = s.peek();
    if (open !== '{' && open !== '(') s.fail(`expected "{" after @${type}`);
    const close = open === '{' ? '}' : ')';
    const kind = type.toLowerCase();
    if (kind === 'comment' || kind === 'string' || kind === 'preamble') {
      const start = s.pos;
      if (close === '}') s.delimited();
      else s.pos = s.text.indexOf(')', start) + 1 || s.fail('unbalanced parentheses');
      if (kind !== 'comment') blocks.push({ raw: `@${type}{${s.text.slice(start + 1, s.pos - 1).trim()}}` });
    } else {
      s.pos++;
      blocks.push({ entry: readEntry(s, type, close) });
    }
    s.entryStart = -1;
  }
  if (!blocks.some((b) => 'entry' in b)) s.fail('no entry found');
  return blocks;
}

/**
 * Lay a block out: `@type{key,`, two-space indented `name = value` lines, `}`. Values are kept as
 * written, except spaces at the end of a line inside a multi-line value (BibTeX reads any run of
 * whitespace as one space, so nothing that matters changes).
 */
function printBlock(block: Block, key?: string, value = (f: Field) => f.value): string {
  if ('raw' in block) return block.raw;
  const { type, fields } = block.entry;
  const body = fields.map((f) => `  ${f.name} = ${value(f)}`).join(',\n');
  const text = `@${type}{${key ?? block.entry.key},${body ? `\n${body}` : ''}\n}`;
  return text.replace(/[ \t]+$/gm, '');
}

/** Normalise one verbatim BibTeX entry so standard BibTeX tools parse it; authors, title, year kept exact. */
export function normalizeBibtex(bibtex: string): string {
  return `${parseBlocks(bibtex)
    .map((b) => printBlock(b, undefined, repairNames))
    .join('\n\n')}\n`;
}

/**
 * Key scheme for several projects: a key used by one entry stays as written. A key shared by several
 * entries (compared case-insensitively, as BibTeX does) becomes `<key>-<project id>` on every entry
 * that uses it, so the result does not depend on the order of the projects. If that still clashes
 * (the same key twice in one project, or an existing key), `-2`, `-3`, ... follow in input order.
 * Project ids are cut down to [A-Za-z0-9_-], which keeps the key valid for BibTeX and biber.
 */
function uniqueKeys(entries: { id: string; key: string }[]): string[] {
  const count = new Map<string, number>();
  for (const { key } of entries) count.set(key.toLowerCase(), (count.get(key.toLowerCase()) ?? 0) + 1);
  const taken = new Set(
    entries.filter((e) => count.get(e.key.toLowerCase()) === 1).map((e) => e.key.toLowerCase()),
  );
  return entries.map(({ id, key }) => {
    if (count.get(key.toLowerCase()) === 1) return key;
    const base = `${key}-${id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

interface Keyed {
  block: Block;
  key?: string;
}

/** Parse every project's text (once per id) and give each entry its unique key. */
function collect(items: CiteInput[]): Keyed[] {
  const seen = new Set<string>();
  const blocks = items
    .filter(({ id }) => !seen.has(id) && seen.add(id))
    .flatMap(({ id, bibtex }) =>
      parseBlocks(bibtex, ` in the citation of "${id}"`).map((block) => ({ id, block })),
    );
  const entries = blocks.flatMap(({ id, block }) => ('entry' in block ? [{ id, key: block.entry.key }] : []));
  const keys = uniqueKeys(entries);
  let next = 0;
  return blocks.map(({ block }) => ('entry' in block ? { block, key: keys[next++] } : { block }));
}

/** Render several projects' citations in one format; keys are made unique across entries. */
export async function formatCitations(items: CiteInput[], format: CiteFormat): Promise<string> {
  if (!CITE_FORMATS.includes(format)) {
    throw new OmlError('E_USAGE', `unknown citation format "${String(format)}"`, {
      hint: `use one of: ${CITE_FORMATS.join(', ')}`,
    });
  }
  const keyed = collect(items);
  if (keyed.length === 0) return format === 'csl-json' ? '[]\n' : '';
  if (format === 'bibtex')
    return `${keyed.map(({ block, key }) => printBlock(block, key, repairNames)).join('\n\n')}\n`;
  const cite = await toCite(keyed);
  return render(cite, format);
}

/** Render through Citation.js; every string ends with one newline. */
function render(cite: Cite, format: Exclude<CiteFormat, 'bibtex'>): string {
  switch (format) {
    case 'apa': // citeproc sorts the list (author, then year) as APA requires
      return `${cite.format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }).trim()}\n`;
    case 'csl-json':
      return `${JSON.stringify(cite.format('data', { format: 'object' }), null, 2)}\n`;
    case 'ris': {
      // Citation.js cuts RIS IDs to 20 characters (an old RIS limit); keep the whole key instead.
      const records = cite.format('ris', { format: 'object' });
      return `${records.map((r, i) => printRis({ ...r, ID: cite.data[i]?.id ?? r.ID ?? '' })).join('\n')}\n`;
    }
    case 'biblatex':
      // Citation.js writes the BibTeX name `others` (= "et al.") as `{others}`, a person called "others".
      return `${cite
        .format('biblatex')
        .replace(/ and \{others\}\}/g, ' and others}')
        .trim()
        .replace(/\n\}\n@/g, '\n}\n\n@')}\n`;
  }
}

/**
 * Citation.js's own RIS text hard-wraps values every 70 characters, mid-word, and readers keep the
 * break; so the record objects are written out here in the same `TAG  - value` layout, unwrapped.
 */
function printRis(record: RisRecord): string {
  const line = (tag: string, value: string | number) =>
    `${tag}  - ${String(value).replace(/\s*\n\s*/g, ' ')}`;
  const body = Object.entries(record)
    .filter(([tag]) => tag !== 'TY')
    .flatMap(([tag, values]) => [values].flat().map((v) => line(tag, v)));
  return [line('TY', String(record.TY ?? 'GEN')), ...body, 'ER  - '].join('\n');
}

/** Build a Citation.js object from the keyed entries, after the input repairs described below. */
async function toCite(keyed: Keyed[]): Promise<Cite> {
  const { Cite } = await loadCitationJs();
  const text = keyed.map(({ block, key }) => printBlock(block, key, repairValue)).join('\n\n');
  let cite: Cite;
  try {
    cite = new Cite(text, { forceType: '@biblatex/text' });
  } catch (cause) {
    throw new OmlError('E_REGISTRY', 'Citation.js could not read the BibTeX', { hint: HINT, cause });
  }
  const byKey = new Map(
    keyed.flatMap(({ block, key }) => ('entry' in block ? [[key, block.entry] as const] : [])),
  );
  for (const item of cite.data) repairItem(item, byKey.get(item.id));
  return cite;
}

/** The inside of a value written as a single `{...}` or `"..."` part, else undefined. */
function inner(value: string): string | undefined {
  if (/^"[^"{}]*"$/.test(value)) return value.slice(1, -1);
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    depth += value[i] === '{' ? 1 : value[i] === '}' ? -1 : 0;
    if (depth === 0) return i > 0 && i === value.length - 1 ? value.slice(1, -1) : undefined;
  }
  return undefined;
}

/** Split `text` at `sep` (a sticky regex) wherever it is outside braces. */
function splitTopLevel(text: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    sep.lastIndex = i;
    const m = depth === 0 ? sep.exec(text) : null;
    if (m) {
      parts.push(text.slice(start, i));
      start = i + m[0].length;
      i = start - 1;
    }
  }
  return [...parts, text.slice(start)];
}

const SUFFIX = /^(jr|sr|[ivx]+|\d+(st|nd|rd|th))\.?$/i;

/**
 * Input repairs for the rendered formats (the `bibtex` format applies only the name-list repair):
 * whitespace in a value is collapsed as BibTeX itself does (MIS-FM has a title starting with a TAB),
 * and a name that BibTeX would reject for too many commas ("A B, C D, E F" in MedLSAM, MIS-FM, PULSE,
 * USFM) is read as the comma-separated author list it plainly is, instead of losing all but one name.
 */
function repairValue(field: Field): string {
  const value = field.value
    .replace(/\s+/g, ' ')
    .replace(/^([{"]) /, '$1')
    .replace(/ ([}"])$/, '$1');
  return repairNames({ ...field, value });
}

/**
 * Name lists only: "A B, C D, E F" becomes "A B and C D and E F", so BibTeX reads the authors the
 * entry plainly lists (each name kept exactly) instead of rejecting one name with too many commas.
 * This is the one repair the `bibtex` output applies.
 */
function repairNames(field: Field): string {
  const value = field.value;
  const list = /^(author|editor)$/i.test(field.name) ? inner(value) : undefined;
  if (list === undefined) return value;
  const names = splitTopLevel(list, /\s+and\s+/iy).flatMap((name) => {
    const parts = splitTopLevel(name, /,/y).map((p) => p.trim());
    const tooMany = parts.length > 3 || (parts.length === 3 && !SUFFIX.test(parts[1] ?? ''));
    return tooMany ? parts.filter(Boolean) : [name.trim()];
  });
  return `{${names.join(' and ')}}`;
}

/**
 * CSL-level repairs: a DOI written as a URL loses its resolver prefix (USFM), and an arXiv eprint,
 * which Citation.js 0.8 drops, becomes the preprint's number, publisher and URL (PathoDuet, PRIME,
 * SAM-Med2D would otherwise render with no venue at all).
 */
function repairItem(item: CslItem, entry: Entry | undefined): void {
  if (typeof item.DOI === 'string') item.DOI = item.DOI.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  const field = (name: string) => entry?.fields.find((f) => f.name.toLowerCase() === name)?.value;
  const eprint = inner(field('eprint') ?? '')?.trim() ?? '';
  const archive = inner(field('archiveprefix') ?? field('eprinttype') ?? '')?.trim() ?? '';
  if (!/^arxiv$/i.test(archive) || !/^[\w./-]+$/.test(eprint)) return;
  item.number ??= `arXiv:${eprint}`;
  item.publisher ??= 'arXiv';
  item.URL ??= `https://arxiv.org/abs/${eprint}`;
}

type CitationJs = Pick<typeof import('@citation-js/core'), 'Cite' | 'plugins' | 'logger'>;
let citationJs: Promise<CitationJs> | undefined;

/** Load Citation.js and its plugins once, set to keep our keys and never print. */
function loadCitationJs(): Promise<CitationJs> {
  citationJs ??= (async () => {
    // CommonJS packages: the bundled build (esbuild split chunks) offers only `default`, tsx only the
    // named exports, Node both; citeproc sets module.exports itself, so everyone offers its `default`.
    const mod = await import('@citation-js/core');
    const core: CitationJs = mod.default ?? mod;
    const [citeproc] = await Promise.all([
      import('citeproc'),
      import('@citation-js/plugin-bibtex'),
      import('@citation-js/plugin-csl'),
      import('@citation-js/plugin-ris'),
    ]);
    core.logger.level = 'silent'; // Citation.js's logger writes to stderr at other levels
    core.plugins.config.get('@bibtex').format.checkLabel = false; // it would rewrite keys with "-" or "."
    // citeproc-js, under the CSL plugin (same deduped copy), reports style oddities with console.log.
    citeproc.default.debug = () => {};
    return core;
  })().catch((error: unknown) => {
    citationJs = undefined;
    throw error;
  });
  return citationJs;
}
