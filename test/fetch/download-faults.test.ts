import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LoopbackServer, startLoopbackServer } from '../helpers/loopback-server.js';
import { content, exists, harness, plan, sha256, useServerAndCache } from './download-helpers.js';

let server: LoopbackServer;
let root: string;
useServerAndCache((s, r) => {
  server = s;
  root = r;
});

const SIZE = 256 * 1024;
const partial = path.join('tmp-v1', 'k1.partial');

describe('downloadToStore: resume', () => {
  it.each([
    ['drop', { kind: 'drop', after: 100_000 }],
    ['truncate', { kind: 'truncate', after: 100_000 }],
    ['stall', { kind: 'stall', after: 100_000 }],
  ] as const)('resumes after a %s with Range + If-Range, re-sending no byte', async (_name, fault) => {
    const data = content(SIZE);
    server.file('/m.bin', data, { etag: '"e1"', faults: [fault] });
    const { run, events } = harness(root);
    const result = await run({ plan: plan(`${server.url}/m.bin`), stallTimeoutMs: 300 });
    expect(result).toMatchObject({ sha256: sha256(data), resumedFrom: 100_000 });
    const [, second] = server.requestsTo('/m.bin');
    expect(second?.headers).toMatchObject({ range: 'bytes=100000-', 'if-range': '"e1"' });
    expect(second?.status).toBe(206);
    expect(server.bytesSent('/m.bin')).toBe(SIZE);
    expect(events.filter((e) => e.type === 'download-retry')).toHaveLength(1);
  });

  it('resumes across runs from the partial file an interrupted run left', async () => {
    const data = content(SIZE);
    server.file('/m.bin', data, {
      lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
      faults: [{ kind: 'drop', after: 150_000 }],
    });
    const { run } = harness(root);
    await expect(run({ plan: plan(`${server.url}/m.bin`), retries: { retries: 0 } })).rejects.toMatchObject({
      code: 'E_NETWORK',
    });
    expect((await fs.stat(path.join(root, partial))).size).toBe(150_000);
    const result = await run({ plan: plan(`${server.url}/m.bin`) });
    expect(result).toMatchObject({
      sha256: sha256(data),
      resumedFrom: 150_000,
      bytesReceived: SIZE - 150_000,
    });
    expect(server.requestsTo('/m.bin')[1]?.headers['if-range']).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(server.bytesSent('/m.bin')).toBe(SIZE);
  });

  it('restarts cleanly from zero when the server ignores Range', async () => {
    const data = content(SIZE);
    server.file('/m.bin', data, {
      etag: '"e1"',
      faults: [{ kind: 'drop', after: 100_000 }, { kind: 'ignore-range' }],
    });
    const { run } = harness(root);
    const result = await run({ plan: plan(`${server.url}/m.bin`), expected: { sha256: sha256(data) } });
    expect(result).toMatchObject({ sha256: sha256(data), resumedFrom: 0 });
    expect(server.requestsTo('/m.bin')[1]?.status).toBe(200);
  });

  it('restarts when the file changed (If-Range validator no longer matches)', async () => {
    const data = content(SIZE);
    await fs.mkdir(path.join(root, 'tmp-v1'), { recursive: true });
    await fs.writeFile(path.join(root, partial), content(1000));
    await fs.writeFile(
      path.join(root, `${partial}.json`),
      JSON.stringify({ url: `${server.url}/m.bin`, etag: '"old"' }),
    );
    server.file('/m.bin', data, { etag: '"new"' });
    const result = await harness(root).run({ plan: plan(`${server.url}/m.bin`) });
    expect(result).toMatchObject({ sha256: sha256(data), resumedFrom: 0 });
    expect(server.requests[0]?.headers['if-range']).toBe('"old"');
  });

  it('finishes from a complete partial on 416 without receiving a byte', async () => {
    const data = content(5000);
    await fs.mkdir(path.join(root, 'tmp-v1'), { recursive: true });
    await fs.writeFile(path.join(root, partial), data);
    await fs.writeFile(
      path.join(root, `${partial}.json`),
      JSON.stringify({ url: `${server.url}/m.bin`, etag: '"e"' }),
    );
    server.file('/m.bin', data, { etag: '"e"' });
    const result = await harness(root).run({ plan: plan(`${server.url}/m.bin`) });
    expect(result).toMatchObject({ sha256: sha256(data), resumedFrom: 5000, bytesReceived: 0 });
    expect(server.requests[0]?.status).toBe(416);
  });

  it('ignores a partial whose sidecar names another URL', async () => {
    const data = content(5000);
    await fs.mkdir(path.join(root, 'tmp-v1'), { recursive: true });
    await fs.writeFile(path.join(root, partial), content(100));
    await fs.writeFile(
      path.join(root, `${partial}.json`),
      JSON.stringify({ url: 'http://elsewhere/x', etag: '"e"' }),
    );
    server.file('/m.bin', data, { etag: '"e"' });
    const result = await harness(root).run({ plan: plan(`${server.url}/m.bin`) });
    expect(result.sha256).toBe(sha256(data));
    expect(server.requests[0]?.headers.range).toBeUndefined();
  });
});

describe('downloadToStore: interruption', () => {
  it('stops with E_INTERRUPTED on abort and keeps the partial for a later run', async () => {
    const data = content(3 * 1024 * 1024);
    server.file('/m.bin', data, { etag: '"e"', faults: [{ kind: 'stall', after: 2 * 1024 * 1024 }] });
    const controller = new AbortController();
    const { run } = harness(root);
    const pending = run({
      plan: plan(`${server.url}/m.bin`),
      signal: controller.signal,
      stallTimeoutMs: 60_000,
      events: (e) => {
        if (e.type === 'download-start') setTimeout(() => controller.abort(), 100);
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect((await fs.stat(path.join(root, partial))).size).toBeGreaterThan(0);
    expect(JSON.parse(await fs.readFile(path.join(root, `${partial}.json`), 'utf8'))).toMatchObject({
      etag: '"e"',
    });
  });
});

describe('downloadToStore: statuses and retries', () => {
  it('retries a 500, then succeeds', async () => {
    const data = content(1000);
    server.file('/m.bin', data, {
      faults: [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 503 },
      ],
    });
    const { run, delays } = harness(root);
    expect((await run({ plan: plan(`${server.url}/m.bin`) })).sha256).toBe(sha256(data));
    expect(delays).toHaveLength(2);
  });

  it('honours Retry-After on a 429 (the delay is recorded, not slept)', async () => {
    const data = content(1000);
    server.file('/m.bin', data, {
      faults: [{ kind: 'status', status: 429, headers: { 'retry-after': '7' } }],
    });
    const { run, delays } = harness(root);
    await run({ plan: plan(`${server.url}/m.bin`) });
    expect(delays).toEqual([7000]);
  });

  it('gives up with E_HTTP after the retries are used', async () => {
    server.file('/m.bin', content(10), { faults: Array(5).fill({ kind: 'status', status: 502 }) });
    await expect(
      harness(root).run({ plan: plan(`${server.url}/m.bin`), retries: { retries: 2 } }),
    ).rejects.toMatchObject({
      code: 'E_HTTP',
      details: { status: 502 },
    });
    expect(server.requestsTo('/m.bin')).toHaveLength(3);
  });

  it.each([401, 403])(
    'fails a %i at once with the plan auth hint and no token in the message',
    async (status) => {
      server.file('/m.bin', content(10), { faults: [{ kind: 'status', status }] });
      const error = await harness(root)
        .run({
          plan: plan(`${server.url}/m.bin`, {
            headers: { authorization: 'Bearer hf_SECRET' },
            authHint: 'request access at X',
          }),
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'E_HTTP', hint: 'request access at X', details: { status } });
      expect(JSON.stringify(error) + String(error)).not.toContain('hf_SECRET');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer hf_SECRET');
    },
  );

  it('fails a 404 at once', async () => {
    await expect(harness(root).run({ plan: plan(`${server.url}/nope`) })).rejects.toMatchObject({
      code: 'E_HTTP',
      details: { status: 404 },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('turns a refused connection into E_NETWORK after retries', async () => {
    const url = server.url;
    await server.close();
    await expect(
      harness(root).run({ plan: plan(`${url}/m.bin`), retries: { retries: 1 } }),
    ).rejects.toMatchObject({
      code: 'E_NETWORK',
    });
    server = await startLoopbackServer();
  });
});

describe('downloadToStore: redirects and HTML', () => {
  it('follows redirects and fails a loop with E_NETWORK', async () => {
    server.redirect('/a', '/b');
    server.redirect('/b', '/a');
    const error = await harness(root)
      .run({ plan: plan(`${server.url}/a`) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_NETWORK' });
    expect((error as Error).message).toMatch(/redirect loop/);
    expect(server.requests).toHaveLength(2);
  });

  it('drops Authorization on a redirect to another origin', async () => {
    const other = await startLoopbackServer();
    try {
      const data = content(100);
      other.file('/f', data);
      server.redirect('/r', `${other.url}/f`);
      const result = await harness(root).run({
        plan: plan(`${server.url}/r`, { headers: { authorization: 'Bearer t' } }),
      });
      expect(result.finalUrl).toBe(`${other.url}/f`);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer t');
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('fails an HTML page with E_HOST when the plan has no onHtml', async () => {
    server.html('/m.bin', '<!DOCTYPE html><html><body>Sign in</body></html>');
    await expect(harness(root).run({ plan: plan(`${server.url}/m.bin`) })).rejects.toMatchObject({
      code: 'E_HOST',
    });
    expect(await exists(path.join(root, partial))).toBe(false);
  });

  it('sniffs HTML sent as octet-stream and asks onHtml, which can follow a new URL', async () => {
    const data = content(1000);
    server.file('/m.bin', Buffer.from('  <html><form action="/real">quota</form></html>'));
    server.file('/real', data);
    const seen: string[] = [];
    const result = await harness(root).run({
      plan: plan(`${server.url}/m.bin`, {
        onHtml: (html, finalUrl) => {
          seen.push(finalUrl);
          return html.includes('/real')
            ? { kind: 'follow', url: `${server.url}/real` }
            : { kind: 'fail', reason: 'no' };
        },
      }),
    });
    expect(result.sha256).toBe(sha256(data));
    expect(seen).toEqual([`${server.url}/m.bin`]);
  });

  it("fails with the adapter's reason on a 'fail' verdict, without retrying", async () => {
    server.html('/m.bin', '<html>Too many users have viewed or downloaded this file recently</html>');
    await expect(
      harness(root).run({
        plan: plan(`${server.url}/m.bin`, {
          onHtml: () => ({ kind: 'fail', reason: 'Drive quota exceeded', hint: 'try later' }),
        }),
      }),
    ).rejects.toMatchObject({ code: 'E_HOST', message: 'Drive quota exceeded', hint: 'try later' });
    expect(server.requests).toHaveLength(1);
  });

  it('bounds HTML follow hops', async () => {
    server.html('/m.bin', '<html>again</html>');
    await expect(
      harness(root).run({
        plan: plan(`${server.url}/m.bin`, { onHtml: () => ({ kind: 'follow', url: `${server.url}/m.bin` }) }),
        maxHtmlHops: 3,
      }),
    ).rejects.toMatchObject({ code: 'E_HOST' });
    expect(server.requests).toHaveLength(4);
  });
});
