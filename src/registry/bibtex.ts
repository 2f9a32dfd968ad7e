/** A small, strict reader for one BibTeX entry: enough to reject entries standard tools would choke on. */

export interface BibEntry {
  type: string;
  key: string;
  /** Field names lower-cased; values without their outer delimiters, inner braces kept. */
  fields: Record<string, string>;
}

/** Parse exactly one `@type{key, field = value, ...}` entry; throws an Error naming the problem. */
export function parseBibEntry(text: string): BibEntry {
  const src = text.trim();
  const head = /^@([A-Za-z]+)\s*\{\s*([^\s,{}]+)\s*,/.exec(src);
  if (!head) throw new Error('BibTeX must start with @type{key,');
  const fields: Record<string, string> = {};
  let pos = head[0].length;
  for (;;) {
    pos = skipSpace(src, pos);
    if (src[pos] === '}') break;
    const name = /^([A-Za-z][\w:-]*)\s*=\s*/.exec(src.slice(pos));
    if (!name?.[1]) throw new Error(`expected a field name at character ${pos}`);
    pos += name[0].length;
    const [value, next] = readValue(src, pos);
    fields[name[1].toLowerCase()] = value;
    pos = skipSpace(src, next);
    if (src[pos] === ',') pos += 1;
    else if (src[pos] !== '}') throw new Error(`expected "," or "}" after field "${name[1]}"`);
  }
  if (skipSpace(src, pos + 1) !== src.length) throw new Error('text after the end of the entry');
  return { type: head[1]!.toLowerCase(), key: head[2]!, fields };
}

function skipSpace(src: string, pos: number): number {
  while (pos < src.length && /\s/.test(src[pos]!)) pos += 1;
  return pos;
}

/** Read a braced, quoted or bare value (with `#` concatenation); returns [value, end]. */
function readValue(src: string, pos: number): [string, number] {
  const parts: string[] = [];
  for (;;) {
    const ch = src[pos];
    let end: number;
    if (ch === '{') end = matchBrace(src, pos, '{', '}');
    else if (ch === '"') end = matchQuote(src, pos);
    else {
      const bare = /^[\w.:-]+/.exec(src.slice(pos));
      if (!bare) throw new Error(`expected a value at character ${pos}`);
      parts.push(bare[0]);
      end = pos + bare[0].length;
    }
    if (ch === '{' || ch === '"') parts.push(src.slice(pos + 1, end - 1));
    pos = skipSpace(src, end);
    if (src[pos] !== '#') return [parts.join(''), end];
    pos = skipSpace(src, pos + 1);
  }
}

function matchBrace(src: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < src.length; i += 1) {
    if (src[i] === '\\') i += 1;
    else if (src[i] === open) depth += 1;
    else if (src[i] === close && --depth === 0) return i + 1;
  }
  throw new Error('unbalanced braces');
}

function matchQuote(src: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < src.length; i += 1) {
    if (src[i] === '\\') i += 1;
    else if (src[i] === '{') depth += 1;
    else if (src[i] === '}') depth -= 1;
    else if (src[i] === '"' && depth === 0) return i + 1;
  }
  throw new Error('unterminated quoted value');
}

/** Split text holding one or more entries (a README citing several papers) into entry texts. */
export function splitBibEntries(text: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') i += 1;
    else if (ch === '@' && depth === 0) start = i;
    else if (ch === '{') depth += 1;
    else if (ch === '}' && --depth === 0 && start >= 0) {
      entries.push(text.slice(start, i + 1));
      start = -1;
    }
  }
  if (depth !== 0 || start >= 0) throw new Error('unbalanced braces');
  if (entries.length === 0) throw new Error('no @type{key, ...} entry found');
  return entries;
}
