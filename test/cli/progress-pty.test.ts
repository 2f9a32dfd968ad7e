/**
 * Progress on a real terminal: the built CLI runs under util-linux `script` (a pty) and in a pipe,
 * downloading a file the loopback server sends slowly. On the pty the output must hold bar redraws
 * (carriage return + erase line, a percentage); in a pipe and under CI=true only plain lines.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes } from '../api/host-emulator.js';
import { writeRegistry } from '../api/registry-fixture.js';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { type LoopbackServer, startLoopbackServer } from '../helpers/loopback-server.js';

const run = promisify(execFile);
const SIZE = 384 * 1024;
const CHUNKS = 12;
const body = bytes(SIZE, 11);
const hasScript = existsSync('/usr/bin/script') || existsSync('/bin/script');

let server: LoopbackServer;
let root: string;
let registryFile: string;

beforeAll(async () => {
  server = await startLoopbackServer();
  // 12 chunks 150 ms apart: ~1.8 s, several 250 ms progress events and 100 ms redraws.
  server.handle('/slow.bin', (_req, res, record) => {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(SIZE) });
    let i = 0;
    const next = (): void => {
      const chunk = body.subarray((i * SIZE) / CHUNKS, ((i + 1) * SIZE) / CHUNKS);
      record.bytesSent += chunk.length;
      res.write(chunk);
      if (++i < CHUNKS) setTimeout(next, 150);
      else res.end();
    };
    next();
  });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-pty-'));
  registryFile = await writeRegistry(root, {
    slow: [{ name: 'w', filename: 'slow.bin', sources: [{ host: 'https', url: `${server.url}/slow.bin` }] }],
  });
});
afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

/** The environment of one run: its own cache, no CI unless asked, no undefined values. */
function env(name: string, extra: Record<string, string> = {}): Record<string, string> {
  const base = cleanEnv({ OPENMEDLAB_REGISTRY: registryFile, OPENMEDLAB_CACHE: path.join(root, name) });
  delete base.CI;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...base, ...extra })) if (v !== undefined) out[k] = v;
  return out;
}

const getCommand = `'${process.execPath}' '${BIN}' get slow --no-code`;

/** Run the CLI under a pty of 100 columns; returns everything the terminal received. */
async function onPty(name: string, extra: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(
    'script',
    ['-q', '-e', '-c', `stty cols 100 rows 40; ${getCommand}`, '/dev/null'],
    {
      env: env(name, extra),
      cwd: root,
      timeout: 30_000,
    },
  );
  return stdout;
}

describe.skipIf(!hasScript)('progress on a real terminal (script) and in a pipe', () => {
  it('a pty shows bars redrawn in place with a percentage, then erases them', async () => {
    const out = await onPty('tty');
    expect(out).toMatch(/\r\x1b\[2K/); // erase line
    expect(out).toContain('\x1b[1A'); // cursor up: bar + total redrawn in place
    expect(out).toMatch(/slow\/w \[[#-]+\] +\d+% /);
    expect(out).toMatch(/total \(1 active\) \d+% /);
    const redraws = out.match(/slow\/w \[/g) ?? [];
    expect(redraws.length).toBeGreaterThanOrEqual(3);
    expect(out).toMatch(/done slow\/w \(384\.0 KiB, sha256:[0-9a-f]{12}\)/);
  });

  it('a pipe gets plain lines only: no carriage returns, no escape sequences', async () => {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'get', 'slow', '--no-code'], {
      env: env('pipe'),
      cwd: root,
      timeout: 30_000,
    });
    expect(stdout.trim()).toBe(path.join(root, 'pipe', 'projects-v1', 'slow'));
    expect(stderr).not.toMatch(/[\r\x1b]/);
    expect(stderr).toMatch(/^downloading slow\/w \(384\.0 KiB\)$/m);
    expect(stderr).toMatch(/^done slow\/w \(384\.0 KiB, sha256:[0-9a-f]{12}\)$/m);
  });

  it('CI=true on a pty: plain lines, no bars', async () => {
    const out = await onPty('ci', { CI: 'true' });
    expect(out).not.toContain('\x1b[');
    expect(out).not.toMatch(/\[[#-]{5,}\]/);
    expect(out).toMatch(/downloading slow\/w \(384\.0 KiB\)\r?\n/);
    expect(out).toMatch(/done slow\/w/);
  });
});
