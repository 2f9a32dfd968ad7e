/** The --json output of config and doctor against schemas/. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { expectInvalid, expectValid } from '../helpers/schemas.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'oml-schemas-operate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(path.join(tmp, 'config.yaml'), 'jobs: 3\nendpoints:\n  onedrive: http://127.0.0.1:9\n');
const env = cleanEnv({ OPENMEDLAB_CONFIG_DIR: tmp, OPENMEDLAB_CACHE: path.join(tmp, 'cache') });

async function json(argv: string[]): Promise<{ code: number; value: unknown }> {
  const r = await runCli(argv, { env });
  return { code: r.code, value: JSON.parse(r.stdout) };
}

describe('config and doctor --json match their schemas', () => {
  it('config list, get, path', async () => {
    const list = await json(['config', 'list', '--json']);
    expect(list.code).toBe(0);
    expectValid('config-list', list.value);
    expectValid('config-get', (await json(['config', 'get', 'jobs', '--json'])).value);
    expectValid('config-get', (await json(['config', 'get', 'proxy.https', '--json'])).value);
    expectValid('config-path', (await json(['config', 'path', '--json'])).value);
    expectInvalid('config-get', { key: 'hfToken', value: 'x', source: 'config' });
  });

  it('doctor (offline: no connection), with a failing check', async () => {
    const ok = await json(['doctor', '--offline', '--json']);
    expectValid('doctor', ok.value);
    const failing = await runCli(['doctor', '--offline', '--json'], {
      env: { ...env, OPENMEDLAB_CACHE: path.join(tmp, 'config.yaml', 'below-a-file') },
    });
    expect(failing.code).toBe(6);
    expectValid('doctor', JSON.parse(failing.stdout));
    expectInvalid('doctor', {
      ok: true,
      exitCode: 0,
      checks: [{ status: 'fine', check: 'node', detail: '' }],
    });
  });
});
