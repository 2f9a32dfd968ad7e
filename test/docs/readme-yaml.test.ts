/** The README's YAML snippets (CI examples) parse, and say what the CI section promises. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/cli.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

/** `bash -n` on a script: its syntax errors, or '' (nothing is executed). */
function bashSyntaxErrors(script: string): string {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

/** Parse one block strictly: any YAML error or warning fails. */
function parse(text: string): Record<string, unknown> {
  const docs = parseAllDocuments(text, { prettyErrors: true, strict: true, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new Error('no YAML document');
  expect(docs).toHaveLength(1);
  const doc = docs[0]!;
  expect([...doc.errors, ...doc.warnings].map((e) => e.message)).toEqual([]);
  return doc.toJS() as Record<string, unknown>;
}

describe('README YAML', () => {
  it('every yaml block parses', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) parse(block);
  });

  it('GitHub Actions: cache keyed on openmedlab.lock, OPENMEDLAB_CACHE in the workspace, get --frozen --json', () => {
    const gha = blocks.map(parse).find((d) => typeof d.jobs === 'object') as {
      jobs: Record<string, { env: Record<string, string>; steps: Array<Record<string, unknown>> }>;
    };
    expect(gha).toBeDefined();
    const job = Object.values(gha.jobs)[0]!;
    const cacheDir = String(job.env.OPENMEDLAB_CACHE);
    expect(cacheDir).toContain('github.workspace');
    const cache = job.steps.find((s) => String(s.uses).startsWith('actions/cache@')) as {
      with: { key: string; path: string };
    };
    expect(cache.with.key).toContain("hashFiles('openmedlab.lock')");
    expect(cacheDir.endsWith(cache.with.path)).toBe(true);
    const script = job.steps.map((s) => String(s.run ?? '')).join('\n');
    expect(script).toMatch(/openmedlab get \S+ --frozen .*--json/);
    for (const code of ['3)', '4)', '5)', '6)']) expect(script).toContain(code);
    expect(bashSyntaxErrors(script)).toBe('');
  });

  it('GitLab CI: cache:key:files is the lockfile, and the script branches on exit codes', () => {
    const gl = blocks.map(parse).find((d) => !('jobs' in d)) as Record<
      string,
      {
        variables: Record<string, string>;
        cache: { key: { files: string[] }; paths: string[] };
        script: string[];
      }
    >;
    const job = Object.values(gl)[0]!;
    expect(job.cache.key.files).toEqual(['openmedlab.lock']);
    expect(job.variables.OPENMEDLAB_CACHE).toBe('$CI_PROJECT_DIR/.openmedlab-cache');
    expect(job.cache.paths).toEqual(['.openmedlab-cache/']);
    const script = job.script.join('\n');
    expect(script).toMatch(/openmedlab get \S+ --frozen .*--json/);
    for (const code of ['3)', '4)', '5)', '6)']) expect(script).toContain(code);
    expect(bashSyntaxErrors(script)).toBe('');
  });
});
