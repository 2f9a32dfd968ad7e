/**
 * Parse and validate registry text. Pure: text in, {value, errors, warnings} out, each problem with
 * the file, line, column and dot-path (changesets' config parse is the model).
 */
import { offsetOf, parseLocatedYaml } from './located-yaml.js';
import type { RegistryProblem } from './problem.js';
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
  const yaml = parseLocatedYaml(text, file);
  if (yaml.syntaxErrors.length > 0) return { value: undefined, errors: yaml.syntaxErrors, warnings: [] };
  const { warnings } = yaml;
  const value: unknown = yaml.doc.toJS({ maxAliasCount: 100 });
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    const problem = yaml.at(
      offsetOf(yaml.doc, ['schemaVersion']),
      'schemaVersion',
      `format ${version} is newer than this openmedlab reads (${SCHEMA_VERSION})`,
    );
    return { value: undefined, errors: [problem], warnings, newerFormat: version };
  }
  const locate = (issue: SchemaIssue): RegistryProblem =>
    yaml.locate(issue, issue.message.startsWith('unknown field'));
  const shapeIssues = check(registrySchema, value);
  if (shapeIssues.length > 0) return { value: undefined, errors: shapeIssues.map(locate), warnings };
  const ruleIssues = checkRules(value as Registry);
  if (ruleIssues.length > 0) return { value: undefined, errors: ruleIssues.map(locate), warnings };
  return { value: value as Registry, errors: [], warnings };
}
