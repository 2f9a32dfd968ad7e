/**
 * Citations for registry projects. `bibtex` is the project's own entry, only re-laid-out; every other
 * format is rendered by Citation.js, loaded on first use so commands that never cite do not pay for it.
 */
import type { Cite, CslItem, RisRecord } from '@citation-js/core';
import { OmlError } from '../errors.js';
import { type Block, type Entry, type Field, BIBTEX_HINT as HINT, parseBlocks } from './bibtex.js';

export type CiteFormat = 'bibtex' | 'biblatex' | 'apa' | 'ris' | 'csl-json';

/** Every supported output format, in the order help text lists them. */
export const CITE_FORMATS: readonly CiteFormat[] = ['bibtex', 'biblatex', 'apa', 'ris', 'csl-json'];

/** One project's citation: its registry id and its BibTeX text as published by its authors. */
export interface CiteInput {
  id: string;
  bibtex: string;
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
