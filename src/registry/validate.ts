/**
 * Parse and validate registry text. Pure: text in, {value, errors, warnings} out, each problem with
 * the file, line, column and dot-path (changesets' config parse is the model).
 */
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { formatPath, type RegistryProblem } from './problem.js';
import { checkRules } from './rules.js';
import { registrySchema, SCHEMA_VERSION } from './schema.js';
import { check, type SchemaIssue } from './schema-dsl.js';
import type { Registry } from './types.js';

export { formatPath, formatProblem, type RegistryProblem } from './problem.js';

export interface ValidationResult {
  value: Registry | undefined;
  errors: RegistryProblem[];
  warnings: RegistryProblem[];
  /** Set when the file declares a newer format than this build reads. */
  newerFormat?: number;
}

/** Validate registry YAML text read from `file`. */
export function validateRegistryText(text: string, file: string): ValidationResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: string, message: string): RegistryProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, path, message };
  };
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => at(e.pos[0], '', e.message.split('\n')[0] ?? e.message));
    return { value: undefined, errors, warnings: [] };
  }
  const warnings = doc.warnings.map((w) => at(w.pos[0], '', w.message.split('\n')[0] ?? w.message));
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    const problem = at(
      offsetOf(doc, ['schemaVersion']),
      'schemaVersion',
      `format ${version} is newer than this openmedlab reads (${SCHEMA_VERSION})`,
    );
    return { value: undefined, errors: [problem], warnings, newerFormat: version };
  }
  const locate = (issue: SchemaIssue): RegistryProblem => {
    const offset = issue.message.startsWith('unknown field') ? keyOffset(doc, issue.path) : undefined;
    return at(offset ?? offsetOf(doc, issue.path), formatPath(issue.path), issue.message);
  };
  const shapeIssues = check(registrySchema, value);
  if (shapeIssues.length > 0) return { value: undefined, errors: shapeIssues.map(locate), warnings };
  const ruleIssues = checkRules(value as Registry);
  if (ruleIssues.length > 0) return { value: undefined, errors: ruleIssues.map(locate), warnings };
  return { value: value as Registry, errors: [], warnings };
}

/** Offset of the deepest node that exists along a path (the parent of a missing field). */
function offsetOf(doc: Document, path: ReadonlyArray<string | number>): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** Offset of the key of the last path segment (for "unknown field", the key is what is wrong). */
function keyOffset(doc: Document, path: ReadonlyArray<string | number>): number | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}
