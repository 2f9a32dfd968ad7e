// The real executable, as users and CI scripts run it (built by `npm run build`, which npm test runs first).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ROOT, runBin } from '../helpers/cli.js';

describe('bin/openmedlab.js', () => {
  it('is built', () => {
    expect(existsSync(path.join(ROOT, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'dist', 'registry.json'))).toBe(true);
  });

  it('lists the CT projects as JSON, exit 0, nothing on stderr', () => {
    const r = runBin(['list', '--modality', 'ct', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ id: string }>).map((p) => p.id)).toContain('stu-net');
  });

  it('exits 2 with a one-line message and hint for an unknown project', () => {
    const r = runBin(['info', 'endofm']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('prints no colour codes in a pipe, and colours when FORCE_COLOR is set', () => {
    const plain = runBin(['info', 'retfound'], { env: cleanEnv({ NO_COLOR: undefined }) });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    const forced = runBin(['info', 'retfound'], { env: cleanEnv({ NO_COLOR: undefined, FORCE_COLOR: '1' }) });
    expect(forced.stdout).toMatch(/\x1b\[/);
    const flag = runBin(['--no-color', 'info', 'retfound'], {
      env: cleanEnv({ NO_COLOR: undefined, FORCE_COLOR: '1' }),
    });
    expect(flag.stdout).not.toMatch(/\x1b\[/);
  });

  it('does not fail when the reader closes the pipe early', () => {
    const out = execFileSync(
      'bash',
      ['-c', `node ${JSON.stringify(BIN)} list --json | head -c 10; echo " rc=\${PIPESTATUS[0]}"`],
      {
        env: cleanEnv() as NodeJS.ProcessEnv,
        encoding: 'utf8',
      },
    );
    expect(out).toMatch(/ rc=0\n$/);
  });

  it('falls back to the YAML when the compiled registry is stale', () => {
    // OPENMEDLAB_REGISTRY pointing at the bundled file goes through the YAML path: same data.
    const viaYaml = runBin(['list', '--json'], {
      env: cleanEnv({ OPENMEDLAB_REGISTRY: path.join(ROOT, 'registry', 'openmedlab.yaml') }),
    });
    expect(viaYaml.stdout).toBe(runBin(['list', '--json']).stdout);
  });
});
