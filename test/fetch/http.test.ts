import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/fetch/dispatcher.js';
import { fetchText, redactUrl } from '../../src/fetch/http.js';
import { type LoopbackServer, useLoopbackServer } from '../helpers/loopback-server.js';

let server: LoopbackServer;
useLoopbackServer((s) => {
  server = s;
});

const ctx = { offline: false, userAgent: 'openmedlab/test' };
const noSleep = async () => {};

describe('fetchText', () => {
  it('retries a 500 and returns the body, the final URL and headers', async () => {
    server.file('/list.json', Buffer.from('[1,2]'), { faults: [{ kind: 'status', status: 500 }] });
    server.redirect('/start', '/list.json');
    const dispatcher = createDispatcher();
    try {
      const res = await fetchText({ url: `${server.url}/start`, ctx, dispatcher, sleep: noSleep });
      expect(res).toMatchObject({ text: '[1,2]', status: 200, finalUrl: `${server.url}/list.json` });
      expect(server.requestsTo('/list.json')).toHaveLength(2);
    } finally {
      await dispatcher.close();
    }
  });

  it('fails a 404 at once with E_HTTP and a bounded body with E_HOST', async () => {
    server.file('/big', Buffer.alloc(1000));
    const dispatcher = createDispatcher();
    try {
      await expect(
        fetchText({ url: `${server.url}/missing`, ctx, dispatcher, sleep: noSleep }),
      ).rejects.toMatchObject({
        code: 'E_HTTP',
        details: { status: 404 },
      });
      await expect(
        fetchText({ url: `${server.url}/big`, ctx, dispatcher, maxBytes: 100 }),
      ).rejects.toMatchObject({
        code: 'E_HOST',
      });
      expect(server.requests).toHaveLength(2);
    } finally {
      await dispatcher.close();
    }
  });

  it('never connects offline', async () => {
    const dispatcher = createDispatcher();
    await expect(
      fetchText({ url: `${server.url}/x`, ctx: { ...ctx, offline: true }, dispatcher }),
    ).rejects.toMatchObject({ code: 'E_OFFLINE' });
    expect(server.requests).toHaveLength(0);
    await dispatcher.close();
  });
});

describe('createDispatcher with a proxy', () => {
  let proxy: http.Server;
  let proxyUrl: string;
  const tunnels: string[] = [];
  beforeEach(async () => {
    tunnels.length = 0;
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('tunnels through HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    server.file('/f', Buffer.from('via'));
    const port = new URL(server.url).port;
    const proxied = createDispatcher({ proxy: { http: proxyUrl, https: undefined, noProxy: undefined } });
    const direct = createDispatcher({ proxy: { http: proxyUrl, https: undefined, noProxy: '127.0.0.1' } });
    try {
      expect((await fetchText({ url: `${server.url}/f`, ctx, dispatcher: proxied })).text).toBe('via');
      expect(tunnels).toEqual([`127.0.0.1:${port}`]);
      expect((await fetchText({ url: `${server.url}/f`, ctx, dispatcher: direct })).text).toBe('via');
      expect(tunnels).toHaveLength(1);
    } finally {
      await Promise.all([proxied.close(), direct.close()]);
    }
  });
});

describe('redactUrl', () => {
  it('hides userinfo and credential-like query parameters', () => {
    expect(redactUrl('https://u:p@host/x?X-Amz-Signature=abc&ok=1&token=t')).toBe(
      'https://***@host/x?X-Amz-Signature=***&ok=1&token=***',
    );
  });
});
