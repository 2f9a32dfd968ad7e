/**
 * Parse and validate config.yaml text. Pure: text in, {value, errors} out, each problem with file,
 * line, column and dot-path, like the registry's validation (the same problem type and printer).
 */
import { parseLocatedYaml } from '../registry/located-yaml.js';
import type { RegistryProblem } from '../registry/problem.js';
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
  const yaml = parseLocatedYaml(text, file);
  if (yaml.syntaxErrors.length > 0) return { value: undefined, errors: yaml.syntaxErrors, secret: false };
  const value: unknown = yaml.doc.contents === null ? {} : yaml.doc.toJS({ maxAliasCount: 100 });
  const secrets = findSecrets(value);
  const issues = [
    ...secrets,
    ...check(configSchema, value).filter((i) => !isSecretPath(i.path)),
    ...rules(value),
  ];
  if (issues.length === 0) return { value: value as ConfigValues, errors: [], secret: false };
  const errors = issues
    .map((issue) => yaml.locate(issue, /^(unknown field|secret: ")/.test(issue.message)))
    .sort((a, b) => a.line - b.line || a.column - b.column);
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
