import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';

let dir: string;
const servers: http.Server[] = [];
let closedPort: number;
const origins: string[] = [];
const seen: string[] = [];

/** A loopback server standing in for one host; records method and path. */
async function server(status: number): Promise<string> {
  const s = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  servers.push(s);
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oml-doctor-'));
  for (const status of [200, 404, 301, 200, 503]) origins.push(await server(status));
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

/** Every endpoint on loopback: four from the environment, Zenodo from the config file. */
async function setup(name: string, config = ''): Promise<Record<string, string | undefined>> {
  const configDir = path.join(dir, name);
  await (await import('node:fs/promises')).mkdir(configDir, { recursive: true });
  await writeFile(path.join(configDir, 'config.yaml'), `endpoints:\n  zenodo: ${origins[4]}\n${config}`);
  return cleanEnv({
    OPENMEDLAB_CONFIG_DIR: configDir,
    OPENMEDLAB_CACHE: path.join(dir, name, 'cache'),
    OPENMEDLAB_HF_ENDPOINT: origins[0],
    OPENMEDLAB_GDRIVE_ENDPOINT: origins[1],
    OPENMEDLAB_GDRIVE_DOWNLOAD_ENDPOINT: origins[2],
    OPENMEDLAB_GITHUB_ENDPOINT: origins[3],
    HF_ENDPOINT: undefined,
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
    HTTP_PROXY: undefined,
    http_proxy: undefined,
  });
}

const lines = (stdout: string): string[][] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/ {2,}/));

describe('openmedlab doctor', () => {
  it('all hosts answering: ok lines, exit 0 (any answer is ok, a 5xx a warning)', async () => {
    const env = await setup('all-ok');
    const r = await runCli(['doctor'], { env });
    expect(r.stderr).toMatch(/^no failures, \d warnings?\n$/);
    expect(r.code).toBe(0);
    const rows = lines(r.stdout);
    expect(rows.map((row) => row[1])).toEqual([
      'node',
      'git',
      'git-lfs',
      'cache',
      'config',
      'registry',
      'proxy',
      'host:huggingface',
      'host:googleDrive',
      'host:googleDriveDownload',
      'host:github',
      'host:zenodo',
    ]);
    const byCheck = Object.fromEntries(rows.map(([status, check, detail]) => [check, [status, detail]]));
    expect(byCheck['host:huggingface']).toEqual(['ok', `${origins[0]}/ HTTP 200`]);
    expect(byCheck['host:googleDrive']).toEqual(['ok', `${origins[1]}/ HTTP 404`]);
    expect(byCheck['host:zenodo']).toEqual(['warn', `${origins[4]}/ answered HTTP 503`]);
    expect(byCheck.cache?.[0]).toBe('ok');
    expect(byCheck.cache?.[1]).toMatch(/writable, [\d.]+ [kMGT]?B free/);
    expect(byCheck.config).toEqual(['ok', `${path.join(dir, 'all-ok', 'config.yaml')}, 1 settings, valid`]);
    expect(byCheck.registry?.[1]).toMatch(/^bundled, format 1, data \S+, \d+ projects, valid$/);
    expect(seen).toContain('HEAD /');
  });

  it('a host refusing connections fails with exit 4; --json carries the same report', async () => {
    const env = { ...(await setup('refused')), OPENMEDLAB_GITHUB_ENDPOINT: `http://127.0.0.1:${closedPort}` };
    const r = await runCli(['doctor', '--json'], { env });
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: false, exitCode: 4 });
    expect(report.checks).toContainEqual({
      status: 'fail',
      check: 'host:github',
      detail: `http://127.0.0.1:${closedPort}/ unreachable: connection refused (ECONNREFUSED)`,
      kind: 'network',
    });
    expect(report.checks.filter((c: { status: string }) => c.status === 'fail')).toHaveLength(1);
  });

  it('--offline skips the network: no request is made', async () => {
    const env = { ...(await setup('offline')), OPENMEDLAB_GITHUB_ENDPOINT: `http://127.0.0.1:${closedPort}` };
    const before = seen.length;
    const r = await runCli(['doctor', '--offline', '--json'], { env });
    expect(r.code).toBe(0);
    const hosts = JSON.parse(r.stdout).checks.filter((c: { check: string }) => c.check.startsWith('host:'));
    expect(hosts).toHaveLength(5);
    expect(
      hosts.every(
        (c: { status: string; detail: string }) =>
          c.status === 'skip' && c.detail.endsWith('(offline: not checked)'),
      ),
    ).toBe(true);
    expect(seen.length).toBe(before);
    // offline from the config file works the same way
    const fromConfig = await runCli(['doctor'], { env: await setup('offline-config', 'offline: true\n') });
    expect(fromConfig.stdout).toMatch(/^skip {2}host:huggingface/m);
  });

  it('an invalid config file fails (exit 2) and the other checks still run', async () => {
    const env = await setup('bad-config', 'hfToken: hf_secret\n');
    const r = await runCli(['doctor', '--offline'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /^fail {2}config +\S+config\.yaml:3:1: hfToken: secret: "hfToken" is not read from the config file$/m,
    );
    expect(r.stdout).toMatch(/^ok {4}registry/m);
    expect(r.stdout).not.toContain('hf_secret');
  });

  it('an unusable cache dir fails with exit 6; a missing git with exit 2', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const env = { ...(await setup('no-cache')), OPENMEDLAB_CACHE: path.join(blocker, 'cache') };
    const r = await runCli(['doctor', '--offline'], { env });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/^fail {2}cache +\S+a-file\/cache is not writable \((ENOTDIR|EEXIST)\)$/m);
    const noGit = await runCli(['doctor', '--offline'], {
      env: { ...env, PATH: path.join(dir, 'empty-path') },
    });
    expect(noGit.code).toBe(2);
    expect(noGit.stdout).toMatch(/^fail {2}git +not found on PATH/m);
    expect(noGit.stdout).toMatch(/^skip {2}git-lfs/m);
  });

  it('reaches hosts through the proxy in effect and redacts its credentials', async () => {
    // A minimal CONNECT proxy on loopback (undici tunnels http:// targets too), recording what it saw.
    const tunnels: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: net.Socket, head: Buffer) => {
      tunnels.push(`${req.url} ${req.headers['proxy-authorization'] ?? ''}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    servers.push(proxy);
    const port = (proxy.address() as AddressInfo).port;
    const env = { ...(await setup('proxy')), HTTP_PROXY: `http://user:pa55@127.0.0.1:${port}` };
    const r = await runCli(['doctor'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ok {4}proxy +https -, http http:\/\/\*\*\*@127\.0\.0\.1:\d+ \(env\), no_proxy -$/m,
    );
    expect(r.stdout).not.toContain('pa55');
    const basic = `Basic ${Buffer.from('user:pa55').toString('base64')}`;
    expect(tunnels.sort()).toEqual(origins.map((o) => `${o.replace('http://', '')} ${basic}`).sort());
  });
});
