/**
 * YAML parsed with positions: syntax errors, and schema issues placed at file:line:col with their
 * dot-path. Shared by the registry and the config file, so both report problems the same way.
 */
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { formatPath, type RegistryProblem } from './problem.js';
import type { SchemaIssue } from './schema-dsl.js';

/** A parsed document and the ways to place problems in it. */
export interface LocatedYaml {
  doc: Document;
  /** YAML syntax errors (the document is unusable when there are any). */
  syntaxErrors: RegistryProblem[];
  warnings: RegistryProblem[];
  /** A problem at a character offset. */
  at(offset: number, path: string, message: string): RegistryProblem;
  /** Place a schema issue: at the key for `atKey` issues, else at the deepest node along its path. */
  locate(issue: SchemaIssue, atKey?: boolean): RegistryProblem;
}

const firstLine = (message: string): string => message.split('\n')[0] ?? message;

/** Parse YAML text read from `file`, keeping positions. */
export function parseLocatedYaml(text: string, file: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: string, message: string): RegistryProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, path, message };
  };
  return {
    doc,
    syntaxErrors: doc.errors.map((e) => at(e.pos[0], '', firstLine(e.message))),
    warnings: doc.warnings.map((w) => at(w.pos[0], '', firstLine(w.message))),
    at,
    locate: (issue, atKey = false) => {
      const offset = atKey ? keyOffset(doc, issue.path) : undefined;
      return at(offset ?? offsetOf(doc, issue.path), formatPath(issue.path), issue.message);
    },
  };
}

/** Offset of the deepest node that exists along a path (the parent of a missing field). */
export function offsetOf(doc: Document, path: ReadonlyArray<string | number>): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** Offset of the key of the last path segment (for an unknown or misplaced key, the key is what is wrong). */
function keyOffset(doc: Document, path: ReadonlyArray<string | number>): number | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}
