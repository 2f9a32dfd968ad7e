/** The --json output of the registry commands (list, search, info, cite, registry) and errors against schemas/. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { compileSchema, expectInvalid, expectValid, schemaFile, schemaNames } from '../helpers/schemas.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'oml-schemas-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run a command that must succeed; its stdout parsed. */
async function json(argv: string[]): Promise<unknown> {
  const r = await runCli(argv);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Run a command that must fail with --json: the single stderr line parsed. */
async function failure(argv: string[], exit: number): Promise<{ error: { code: string } }> {
  const r = await runCli(argv);
  expect(r.code).toBe(exit);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

describe('schemas/', () => {
  it('every file declares draft 2020-12 and compiles under ajv strict mode', () => {
    expect(schemaNames()).toEqual(
      expect.arrayContaining(['cite-csl', 'error', 'get', 'info', 'list', 'lock', 'progress-event']),
    );
    for (const name of schemaNames()) {
      expect(schemaFile(name).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof compileSchema(name)).toBe('function');
    }
  });

  it('error.json lists exactly the error codes and exit codes of src/errors.ts', () => {
    const error = schemaFile('error') as {
      properties: { error: { properties: { code: { enum: string[] }; exitCode: { enum: number[] } } } };
    };
    const { code, exitCode } = error.properties.error.properties;
    expect([...code.enum].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect([...exitCode.enum].sort()).toEqual([...new Set(Object.values(ERROR_CODES))].sort());
  });
});

describe('--json output of the registry commands matches its schema', () => {
  it('list and search', async () => {
    const all = (await json(['list', '--json'])) as Array<Record<string, unknown>>;
    expect(all.length).toBeGreaterThan(10);
    expectValid('list', all);
    expectValid('list', await json(['list', '--modality', 'ct', '--has-weights', '--json']));
    expectInvalid('list', [{ ...all[0], extra: 1 }]);
    const hits = await json(['search', 'segmentation', 'ct', '--json']);
    expect(hits).not.toEqual([]);
    expectValid('search', hits);
    expectValid('search', await json(['search', 'no-such-word-anywhere', '--json']));
  });

  it('info for every project in the bundled registry', async () => {
    const ids = ((await json(['list', '--json'])) as Array<{ id: string }>).map((p) => p.id);
    for (const id of ids) expectValid('info', await json(['info', id, '--json']));
    const one = (await json(['info', ids[0]!, '--json'])) as Record<string, unknown>;
    expectInvalid('info', { ...one, nonCommercial: 'no' });
  });

  it('cite --json (CSL-JSON), one project and --all', async () => {
    expectValid('cite-csl', await json(['cite', 'medfmc', '--json']));
    expectValid('cite-csl', await json(['cite', '--all', '--format', 'csl-json']));
  });

  it('registry info and registry validate (valid, and invalid with the error on stderr)', async () => {
    expectValid('registry-info', await json(['registry', 'info', '--json']));
    expectValid('registry-validate', await json(['registry', 'validate', '--json']));
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, 'schemaVersion: 1\nversion: "1"\nprojects:\n  - id: Not_Kebab\n');
    const r = await runCli(['registry', 'validate', bad, '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { valid: boolean; errors: unknown[] };
    expect(report).toMatchObject({ valid: false });
    expect(report.errors.length).toBeGreaterThan(0);
    expectValid('registry-validate', report);
    expectValid('error', JSON.parse(r.stderr.trim().split('\n').at(-1)!));
  });

  it('errors with --json are one error.json object on stderr', async () => {
    const unknown = await failure(['info', 'endo-fmm', '--json'], 2);
    expect(unknown.error).toMatchObject({ code: 'E_UNKNOWN_PROJECT', exitCode: 2 });
    expectValid('error', unknown);
    const usage = await failure(['cite', '--json'], 2);
    expectValid('error', usage);
    expectInvalid('error', { error: { code: 'E_NOPE', exitCode: 2, message: 'x' } });
  });
});
