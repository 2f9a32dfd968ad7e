import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { get } from '../../src/api/get.js';
import { fastRetries, listTree, machine, useWorld } from './get-setup.js';
import { bytes, sha256 } from './host-emulator.js';

const CHILD = fileURLToPath(new URL('./get-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

const world = useWorld();

/** Spawn a child `get`; resolves with its exit code and stdout. */
function spawnGet(args: object): {
  child: ChildProcess;
  done: Promise<{ code: number | null; out: string; err: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
  return { child, done };
}

/** Wait until `check` holds, polling (bounded; no timing assertion). */
async function until(check: () => Promise<boolean>, what: string, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('get across processes', () => {
  it('two concurrent get processes: one download, two verified results', async () => {
    const body = bytes(3 * 1024 * 1024, 11);
    let served = 0;
    world.emu.server.handle('/files/slow.bin', (_req, res, record) => {
      served++;
      record.status = 200;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(body.length),
      });
      res.write(body.subarray(0, 1024 * 1024));
      record.bytesSent += 1024 * 1024;
      setTimeout(() => {
        res.end(body.subarray(1024 * 1024));
        record.bytesSent += body.length - 1024 * 1024;
      }, 400);
    });
    const m = await machine(world, 'conc');
    const args = {
      id: 'slow',
      cwd: m.dir,
      registryFile: world.registryFile,
      cacheDir: m.ctx.cacheDir,
      dataDir: m.ctx.dataDir,
      env: world.emu.env,
    };
    const [a, b] = await Promise.all([spawnGet(args).done, spawnGet(args).done]);
    expect([a.code, b.code, a.err + b.err]).toEqual([0, 0, '']);
    const results = [JSON.parse(a.out)[0], JSON.parse(b.out)[0]];
    expect(results.map((r) => r.sha256)).toEqual([sha256(body), sha256(body)]);
    expect(results.map((r) => r.fromCache).sort()).toEqual([false, true]);
    expect(served).toBe(1);
  });

  it('kill -9 during a download, then a re-run resumes from the partial file', async () => {
    const m = await machine(world, 'kill');
    const args = {
      id: 'big',
      cwd: m.dir,
      registryFile: world.registryFile,
      cacheDir: m.ctx.cacheDir,
      dataDir: m.ctx.dataDir,
      env: world.emu.env,
    };
    const { child, done } = spawnGet(args);
    const tmp = path.join(m.ctx.cacheDir, 'tmp-v1');
    const partialSize = async () => {
      let max = 0;
      for (const f of (await listTree(tmp)).filter((x) => x.endsWith('.partial')))
        max = Math.max(max, (await fs.stat(path.join(tmp, f))).size);
      return max;
    };
    await until(async () => (await partialSize()) >= 3 * 1024 * 1024, 'the partial file to reach 3 MiB');
    child.kill('SIGKILL');
    await done;
    const kept = await partialSize();
    const r = await get({ ctx: m.ctx, id: 'big', retries: fastRetries });
    expect(r.checkpoints[0]).toMatchObject({ sha256: sha256(world.big), size: world.big.length });
    const reqs = world.emu.server.requestsTo('/files/big.bin');
    const last = reqs.at(-1)!;
    expect(last.headers.range).toBe(`bytes=${kept}-`);
    expect(last.status).toBe(206);
    expect(last.bytesSent).toBe(world.big.length - kept);
    expect(reqs.reduce((n, q) => n + q.bytesSent, 0)).toBeLessThan(world.big.length * 1.55);
  });
});
