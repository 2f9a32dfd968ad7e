import { describe, expect, it } from 'vitest';
import { OmlError } from '../../src/errors.js';
import { isHtmlResponse } from '../../src/fetch/html.js';
import { classifyError, parseRetryAfter, retryDelay, retryPolicy } from '../../src/fetch/retry.js';

describe('retryDelay', () => {
  const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 });
  it('grows exponentially within the jitter band and is capped', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, policy, undefined, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, policy, undefined, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });
  it("uses the server's Retry-After, bounded", () => {
    expect(retryDelay(1, policy, 7000)).toBe(7000);
    expect(retryDelay(1, retryPolicy({ maxRetryAfterMs: 5000 }), 7000)).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['7', 7000],
    ['0', 0],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s -> %s', (value, ms) => {
    expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(ms);
  });
});

describe('classifyError', () => {
  const http = (status: number) => new OmlError('E_HTTP', 'x', { details: { status } });
  it.each([
    [http(500), 'network'],
    [http(503), 'network'],
    [http(429), 'network'],
    [http(408), 'network'],
    [http(401), 'fatal'],
    [http(403), 'fatal'],
    [http(404), 'fatal'],
    [http(501), 'fatal'],
    [new OmlError('E_INTEGRITY', 'x'), 'integrity'],
    [new OmlError('E_HOST', 'x', { details: { retryable: false } }), 'fatal'],
    [new OmlError('E_NETWORK', 'x'), 'network'],
    [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'network'],
    [Object.assign(new Error('stall'), { code: 'UND_ERR_BODY_TIMEOUT' }), 'network'],
    [Object.assign(new Error('connect'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), 'network'],
    [Object.assign(new Error('disk'), { code: 'ENOSPC' }), 'fatal'],
  ])('%s -> %s', (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });
});

describe('isHtmlResponse', () => {
  it.each([
    ['text/html; charset=utf-8', '', true],
    ['application/octet-stream', '\ufeff  <!DOCTYPE html><html>', true],
    ['application/octet-stream', '<html lang="en">', true],
    ['application/octet-stream', 'PK\u0003\u0004', false],
    [undefined, '\u0080\u0002}q\u0000(X', false],
  ])('%s + %j -> %s', (type, bytes, html) => {
    expect(isHtmlResponse(type, Buffer.from(bytes))).toBe(html);
  });
});
