import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobPath } from '../../src/cache/paths.js';
import type { LoopbackServer } from '../helpers/loopback-server.js';
import { content, exists, harness, plan, sha256, useServerAndCache } from './download-helpers.js';

let server: LoopbackServer;
let root: string;
useServerAndCache((s, r) => {
  server = s;
  root = r;
});

const partial = (key = 'k1') => path.join(root, 'tmp-v1', `${key}.partial`);

describe('downloadToStore: the happy path', () => {
  it('streams into content-v1 by sha256, read-only, with no temp file left', async () => {
    const data = content(300_000);
    server.file('/m.bin', data, { etag: '"v1"' });
    const { run, events } = harness(root);
    const result = await run({ plan: plan(`${server.url}/m.bin`) });
    expect(result).toMatchObject({
      sha256: sha256(data),
      size: data.length,
      blobPath: blobPath(root, sha256(data)),
      filename: 'm.bin',
      finalUrl: `${server.url}/m.bin`,
      serverDigestVerified: false,
      resumedFrom: 0,
      bytesReceived: data.length,
    });
    expect(await fs.readFile(result.blobPath)).toEqual(data);
    expect((await fs.stat(result.blobPath)).mode & 0o222).toBe(0);
    expect(await fs.readdir(path.join(root, 'tmp-v1'))).toEqual([]);
    expect(server.requests[0]?.headers['user-agent']).toBe('openmedlab/test');
    expect(events.map((e) => e.type)).toContain('download-start');
    expect(events.at(-1)).toMatchObject({ type: 'download-end', sha256: sha256(data), bytes: data.length });
  });

  it('names the file from plan.filename, then Content-Disposition, then the URL', async () => {
    const data = content(10);
    server.file('/x', data, { headers: { 'content-disposition': `attachment; filename*=UTF-8''a%20b.pth` } });
    const { run } = harness(root);
    expect((await run({ plan: plan(`${server.url}/x`) })).filename).toBe('a b.pth');
    expect((await run({ plan: plan(`${server.url}/x`, { filename: 'given.pt' }) })).filename).toBe(
      'given.pt',
    );
  });

  it('treats a blob that already exists as success', async () => {
    const data = content(1000);
    server.file('/m.bin', data);
    const { run } = harness(root);
    const first = await run({ plan: plan(`${server.url}/m.bin`) });
    const second = await run({ plan: plan(`${server.url}/m.bin`), key: 'k2' });
    expect(second.blobPath).toBe(first.blobPath);
    expect(await fs.readdir(path.join(root, 'tmp-v1'))).toEqual([]);
  });

  it('accepts a key that is not a plain file name (it is hashed, never used as a path)', async () => {
    server.file('/m.bin', content(10));
    const result = await harness(root).run({ plan: plan(`${server.url}/m.bin`), key: '../proj/ckpt name' });
    expect(result.size).toBe(10);
    expect(await fs.readdir(root)).not.toContain('proj');
  });

  it('never opens a connection offline', async () => {
    const { run } = harness(root);
    await expect(
      run({ plan: plan(`${server.url}/m.bin`), ctx: { offline: true, userAgent: 'x', proxy: {} as never } }),
    ).rejects.toMatchObject({ code: 'E_OFFLINE' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('downloadToStore: integrity', () => {
  it('rejects a digest mismatch with Wanted/Found, deletes the partial, retries a bounded number of times', async () => {
    const data = content(5000);
    server.file('/m.bin', data);
    const { run } = harness(root);
    const wanted = 'a'.repeat(64);
    const error = await run({
      plan: plan(`${server.url}/m.bin`),
      expected: { sha256: wanted },
      retries: { integrityRetries: 1, baseDelayMs: 1 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_INTEGRITY',
      expected: `sha256:${wanted}`,
      found: `sha256:${sha256(data)}`,
    });
    expect(String((error as Error).message)).toMatch(/Wanted: sha256:a+\n\s+Found:/);
    expect(server.requestsTo('/m.bin')).toHaveLength(2);
    expect(await exists(partial())).toBe(false);
    expect(await exists(blobPath(root, sha256(data)))).toBe(false);
  });

  it('retries wrong bytes of the right length and keeps the good copy', async () => {
    const data = content(5000);
    server.file('/m.bin', data, { faults: [{ kind: 'corrupt' }] });
    const { run, events } = harness(root);
    const result = await run({
      plan: plan(`${server.url}/m.bin`),
      expected: { sha256: sha256(data), size: data.length },
    });
    expect(result.sha256).toBe(sha256(data));
    expect(events.filter((e) => e.type === 'download-retry')).toHaveLength(1);
  });

  it('rejects a size mismatch', async () => {
    server.file('/m.bin', content(100));
    const { run } = harness(root);
    await expect(
      run({ plan: plan(`${server.url}/m.bin`), expected: { size: 99 }, retries: { integrityRetries: 0 } }),
    ).rejects.toMatchObject({ code: 'E_INTEGRITY', expected: '99 bytes', found: '100 bytes' });
  });

  it('checks the digest a server announces on a redirect hop (HF X-Linked-ETag)', async () => {
    const data = content(4000);
    server.file('/cdn/m.bin', data);
    server.redirect('/resolve/main/m.bin', '/cdn/m.bin', 302, { 'x-linked-etag': `"${sha256(data)}"` });
    server.redirect('/resolve/main/bad.bin', '/cdn/m.bin', 302, { 'x-linked-etag': `"${'0'.repeat(64)}"` });
    const { run } = harness(root);
    const ok = await run({
      plan: plan(`${server.url}/resolve/main/m.bin`, { digestHeader: 'x-linked-etag' }),
    });
    expect(ok).toMatchObject({ serverDigestVerified: true, finalUrl: `${server.url}/cdn/m.bin` });
    await expect(
      run({
        plan: plan(`${server.url}/resolve/main/bad.bin`, { digestHeader: 'X-Linked-ETag' }),
        key: 'k2',
        retries: { integrityRetries: 0 },
      }),
    ).rejects.toMatchObject({ code: 'E_INTEGRITY', expected: `sha256:${'0'.repeat(64)}` });
  });
});
