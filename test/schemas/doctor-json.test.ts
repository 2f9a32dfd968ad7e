/** doctor --json against schemas/doctor.json with every host endpoint on loopback (answering, failing, refusing). */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { expectValid } from '../helpers/schemas.js';

let dir: string;
let server: http.Server;
let origin: string;
let refused: string;
let heads = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oml-schemas-doctor-'));
  // One server stands in for every host: HEAD /status/503 answers 503, anything else 200.
  server = http.createServer((req, res) => {
    if (req.method === 'HEAD') heads++;
    res.writeHead(req.url === '/status/503/' ? 503 : 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** The environment with every endpoint at `origin`, overrides on top; no proxy. */
function env(over: Record<string, string> = {}) {
  return cleanEnv({
    OPENMEDLAB_CACHE: path.join(dir, 'cache'),
    HF_ENDPOINT: origin,
    OPENMEDLAB_GDRIVE_ENDPOINT: origin,
    OPENMEDLAB_GDRIVE_DOWNLOAD_ENDPOINT: origin,
    OPENMEDLAB_GITHUB_ENDPOINT: origin,
    OPENMEDLAB_ZENODO_ENDPOINT: origin,
    OPENMEDLAB_ONEDRIVE_ENDPOINT: origin,
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
    HTTP_PROXY: undefined,
    http_proxy: undefined,
    ...over,
  });
}

/** doctor --json with this environment: the exit code and the validated report. */
async function doctor(e: Record<string, string | undefined>, exit: number) {
  const r = await runCli(['doctor', '--json'], { env: e });
  expect(r.code, r.stderr).toBe(exit);
  const report = JSON.parse(r.stdout);
  expectValid('doctor', report);
  expect(report.exitCode).toBe(exit);
  return report as { checks: Array<{ check: string; status: string; kind?: string }> };
}

describe('doctor --json matches its schema against loopback hosts', () => {
  it('every host answering (a 5xx is a warning): exit 0', async () => {
    const before = heads;
    const report = await doctor(env({ OPENMEDLAB_ZENODO_ENDPOINT: `${origin}/status/503` }), 0);
    const hosts = report.checks.filter((c) => c.check.startsWith('host:'));
    expect(hosts.length).toBeGreaterThanOrEqual(5);
    expect(hosts.find((c) => c.check === 'host:zenodo')).toMatchObject({ status: 'warn' });
    expect(heads - before).toBe(hosts.length);
  });

  it('a host refusing connections: exit 4, the failure carries its kind', async () => {
    const report = await doctor(env({ OPENMEDLAB_GITHUB_ENDPOINT: refused }), 4);
    expect(report.checks.find((c) => c.check === 'host:github')).toMatchObject({
      status: 'fail',
      kind: 'network',
    });
  });
});
