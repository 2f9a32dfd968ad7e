/**
 * Parse and validate config.yaml text. Pure: text in, {value, errors} out, each problem with file,
 * line, column and dot-path, like the registry's validation (the same problem type and printer).
 */
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { formatPath, type RegistryProblem } from '../registry/problem.js';
import { check, type SchemaIssue } from '../registry/schema-dsl.js';
import { configSchema, MAX_JOBS } from './schema.js';
import type { ConfigValues } from './settings.js';

/** The result of validating a config file. */
export interface ConfigValidation {
  value: ConfigValues | undefined;
  errors: RegistryProblem[];
  /** True when at least one error is a secret (token, password) that must live in the environment. */
  secret: boolean;
}

const SECRET_KEY = /token|passw|secret|api[-_]?key|credential|auth/i;

/** Validate config text read from `file`. An empty file is an empty config. */
export function validateConfigText(text: string, file: string): ConfigValidation {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: string, message: string): RegistryProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, path, message };
  };
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => at(e.pos[0], '', e.message.split('\n')[0] ?? e.message));
    return { value: undefined, errors, secret: false };
  }
  const value: unknown = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  const secrets = findSecrets(value);
  const issues = [
    ...secrets,
    ...check(configSchema, value).filter((i) => !isSecretPath(i.path)),
    ...rules(value),
  ];
  if (issues.length === 0) return { value: value as ConfigValues, errors: [], secret: false };
  const locate = (issue: SchemaIssue): RegistryProblem => {
    const offset = /^(unknown field|secret: ")/.test(issue.message) ? keyOffset(doc, issue.path) : undefined;
    return at(offset ?? offsetOf(doc, issue.path), formatPath(issue.path), issue.message);
  };
  const errors = issues.map(locate).sort((a, b) => a.line - b.line || a.column - b.column);
  return { value: undefined, errors, secret: secrets.length > 0 };
}

const isSecretPath = (path: ReadonlyArray<string | number>): boolean =>
  path.some((seg) => typeof seg === 'string' && SECRET_KEY.test(seg));

/** Keys that look like secrets, and proxy URLs with a password: config files are often world-readable. */
function findSecrets(value: unknown, path: Array<string | number> = []): SchemaIssue[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value))
      return [{ path, message: 'secret: a password in a URL is not read from the config file' }];
    return [];
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    SECRET_KEY.test(key)
      ? [{ path: [...path, key], message: `secret: "${key}" is not read from the config file` }]
      : findSecrets(child, [...path, key]),
  );
}

/** Checks the schema language cannot express. */
function rules(value: unknown): SchemaIssue[] {
  const jobs = (value as { jobs?: unknown } | null)?.jobs;
  return typeof jobs === 'number' && jobs > MAX_JOBS
    ? [{ path: ['jobs'], message: `must be <= ${MAX_JOBS}` }]
    : [];
}

/** Offset of the deepest node that exists along a path. */
function offsetOf(doc: Document, path: ReadonlyArray<string | number>): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** Offset of the key of the last path segment (for an unknown or secret key, the key is what is wrong). */
function keyOffset(doc: Document, path: ReadonlyArray<string | number>): number | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}
