import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { LoopbackServer } from '../helpers/loopback-server.js';
import { content, harness, plan, sha256, useServerAndCache } from './download-helpers.js';

let server: LoopbackServer;
let root: string;
useServerAndCache((s, r) => {
  server = s;
  root = r;
});

const MiB = 1024 * 1024;

it('resumes after kill -9 of a downloading process, re-sending only what never reached the disk', async () => {
  const data = content(3 * MiB);
  // The first request stalls after 2.5 MiB: the child has written at least 2 MiB of whole blocks by then.
  server.file('/m.bin', data, { etag: '"k"', faults: [{ kind: 'stall', after: 2.5 * MiB }] });
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, '../helpers/download-child.ts'),
      `${server.url}/m.bin`,
      root,
      'k1',
    ],
    { stdio: 'ignore' },
  );
  const partial = path.join(root, 'tmp-v1', 'k1.partial');
  for (let i = 0; i < 400; i++) {
    const size = await fs.stat(partial).then(
      (s) => s.size,
      () => 0,
    );
    if (size >= 2 * MiB) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const kept = (await fs.stat(partial)).size;
  expect(kept).toBeGreaterThanOrEqual(2 * MiB);
  expect(kept).toBeLessThanOrEqual(2.5 * MiB);
  const result = await harness(root).run({ plan: plan(`${server.url}/m.bin`) });
  expect(result).toMatchObject({
    sha256: sha256(data),
    resumedFrom: kept,
    bytesReceived: data.length - kept,
  });
  const second = server.requestsTo('/m.bin')[1];
  expect(second?.headers).toMatchObject({ range: `bytes=${kept}-`, 'if-range': '"k"' });
  expect(second?.bytesSent).toBe(data.length - kept);
}, 30_000);
