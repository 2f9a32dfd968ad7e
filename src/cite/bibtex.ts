/**
 * A strict reader for BibTeX text as projects publish it: entries, @string/@preamble blocks and
 * comments, with errors that name the line and column. Used to validate the registry and to cite.
 */
import { OmlError } from '../errors.js';

export interface Field {
  name: string;
  /** The value's source text, delimiters and `#` concatenations included. */
  value: string;
}
export interface Entry {
  type: string;
  key: string;
  fields: Field[];
}
/** A regular entry, or an @string/@preamble block kept as written. */
export type Block = { entry: Entry } | { raw: string };

export const BIBTEX_HINT =
  'the BibTeX text in the registry is malformed; fix the entry in registry/openmedlab.yaml';

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
        hint: BIBTEX_HINT,
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
export function parseBlocks(text: string, source = ''): Block[] {
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
