import { describe, expect, it } from 'vitest';
import { type CheckResult, doctorExitCode } from '../../src/doctor/check.js';
import { checkNode, checkProxy, formatSize } from '../../src/doctor/local.js';

const fail = (kind: CheckResult['kind']): CheckResult => ({ status: 'fail', check: 'x', detail: '', kind });

describe('doctorExitCode', () => {
  it('is 0 with warnings and skips only', () => {
    expect(
      doctorExitCode([
        { status: 'ok', check: 'a', detail: '' },
        { status: 'warn', check: 'b', detail: '' },
        { status: 'skip', check: 'c', detail: '' },
      ]),
    ).toBe(0);
  });
  it('prefers usage (2) over unavailable (6) over network (4)', () => {
    expect(doctorExitCode([fail('network')])).toBe(4);
    expect(doctorExitCode([fail('network'), fail('unavailable')])).toBe(6);
    expect(doctorExitCode([fail('network'), fail('unavailable'), fail('usage')])).toBe(2);
  });
});

describe('local checks', () => {
  it('checkNode compares against 20.19.0', () => {
    expect(checkNode('20.19.0').status).toBe('ok');
    expect(checkNode('22.1.0').status).toBe('ok');
    expect(checkNode('20.18.3')).toEqual({
      status: 'fail',
      check: 'node',
      detail: 'v20.18.3 is older than the supported 20.19.0',
      kind: 'usage',
    });
    expect(checkNode('18.20.0').status).toBe('fail');
  });

  it('checkProxy shows the settings with their source and never a password', () => {
    const sources = { 'proxy.https': 'env', 'proxy.http': 'default', 'proxy.noProxy': 'config' } as const;
    const r = checkProxy({
      proxy: { https: 'http://alice:pw@proxy.corp:3128', http: undefined, noProxy: 'localhost' },
      sources: sources as never,
    });
    expect(r).toEqual({
      status: 'ok',
      check: 'proxy',
      detail: 'https http://***@proxy.corp:3128 (env), http -, no_proxy localhost (config)',
    });
    expect(
      checkProxy({
        proxy: { https: 'proxy:3128', http: undefined, noProxy: undefined },
        sources: sources as never,
      }),
    ).toMatchObject({ status: 'fail', kind: 'usage' });
    expect(
      checkProxy({
        proxy: { https: undefined, http: undefined, noProxy: undefined },
        sources: sources as never,
      }).detail,
    ).toBe('none');
  });

  it('formatSize', () => {
    expect([formatSize(512), formatSize(1_500_000), formatSize(82_800_000_000)]).toEqual([
      '512 B',
      '1.5 MB',
      '82.8 GB',
    ]);
  });
});
