import { describe, expect, it } from 'vitest';
import { planSource } from '../../../src/fetch/hosts/index.js';
import type { Source } from '../../../src/registry/types.js';
import { ctxWith } from './helpers.js';

const SHARE =
  'https://mycuhk-my.sharepoint.com/:u:/g/personal/1155167044_link_cuhk_edu_hk/EZh5mWE5CL1BpaJ1bXuokfYBDM2VaMknqG7YpaQBRgAvdQ?e=e2rVYW';

describe('file adapters', () => {
  const cases: Array<[string, Source, Record<string, string>, object]> = [
    [
      'github release',
      { host: 'github-release', repo: 'MCG-NJU/SVT', tag: 'v1.0', asset: 'kinetics400_vitb_ssl.pth' },
      {},
      {
        url: 'https://github.com/MCG-NJU/SVT/releases/download/v1.0/kinetics400_vitb_ssl.pth',
        filename: 'kinetics400_vitb_ssl.pth',
      },
    ],
    [
      'github release through an endpoint',
      { host: 'github-release', repo: 'o/r', tag: 'v 1', asset: 'a.pth' },
      { OPENMEDLAB_GITHUB_ENDPOINT: 'http://127.0.0.1:1' },
      { url: 'http://127.0.0.1:1/o/r/releases/download/v%201/a.pth' },
    ],
    [
      'google drive file',
      { host: 'google-drive', id: '1HReH6dDrEuXgHPrsw7OrHSjvEUF3f4mv' },
      {},
      {
        url: 'https://drive.usercontent.google.com/download?id=1HReH6dDrEuXgHPrsw7OrHSjvEUF3f4mv&export=download',
      },
    ],
    ['onedrive share link', { host: 'onedrive', url: SHARE }, {}, { url: `${SHARE}&download=1` }],
    [
      'onedrive with download=0 replaced, origin overridden',
      { host: 'onedrive', url: 'https://x-my.sharepoint.com/:u:/g/personal/u/Tok?e=a&download=0' },
      { OPENMEDLAB_ONEDRIVE_ENDPOINT: 'http://127.0.0.1:5/' },
      { url: 'http://127.0.0.1:5/:u:/g/personal/u/Tok?e=a&download=1' },
    ],
    [
      'personal OneDrive link through the shares API',
      { host: 'onedrive', url: 'https://1drv.ms/u/s!AkZ3abc' },
      {},
      {
        url: `https://api.onedrive.com/v1.0/shares/u!${Buffer.from('https://1drv.ms/u/s!AkZ3abc').toString('base64url')}/root/content`,
      },
    ],
  ];
  it.each(cases)('%s', (_n, source, env, expected) => {
    expect(planSource(source, ctxWith(env))).toMatchObject({ kind: 'file', plan: expected });
  });
});

describe('manual and in-repo adapters', () => {
  const cases: Array<[string, Source, object]> = [
    [
      'baidu with a separate code',
      { host: 'baidu-pan', url: 'https://pan.baidu.com/s/1abc', code: 'x7k2' },
      { kind: 'manual', host: 'baidu-pan', url: 'https://pan.baidu.com/s/1abc', code: 'x7k2' },
    ],
    [
      'baidu with ?pwd=',
      { host: 'baidu-pan', url: 'https://pan.baidu.com/s/1abc?pwd=2023' },
      { kind: 'manual', code: '2023' },
    ],
    [
      'manual landing page',
      { host: 'manual', url: 'https://grand-challenge.org/x' },
      { kind: 'manual', host: 'manual' },
    ],
    ['in-repo', { host: 'in-repo', path: 'weights/a.pt' }, { kind: 'in-repo', path: 'weights/a.pt' }],
  ];
  it.each(cases)('%s', (_n, source, expected) => {
    const plan = planSource(source, ctxWith());
    expect(plan).toMatchObject(expected);
    if (plan.kind === 'manual') expect(plan.reason).toMatch(/\w/);
  });
});

describe('zenodo adapter', () => {
  const body = JSON.stringify({
    id: 6633721,
    files: [
      {
        key: 'SNOW_Image.zip',
        size: 1000,
        checksum: 'md5:0123456789abcdef0123456789abcdef',
        links: { self: 'https://zenodo.org/api/records/6633721/files/SNOW_Image.zip/content' },
      },
      { key: 'mask_0_5000.zip', size: 20, checksum: 'md5:ffffffffffffffffffffffffffffffff', links: {} },
    ],
  });

  it('lists a record, keeping sizes and md5', () => {
    const plan = planSource(
      { host: 'zenodo', record: '6633721' },
      ctxWith({ OPENMEDLAB_ZENODO_ENDPOINT: 'http://127.0.0.1:3' }),
    );
    if (plan.kind !== 'listing') throw new Error('expected a listing');
    expect(plan.listing.url).toBe('http://127.0.0.1:3/api/records/6633721');
    expect(
      plan.listing.parse(body, plan.listing.url).map((f) => [f.relPath, f.size, f.md5, f.plan.url]),
    ).toEqual([
      [
        'SNOW_Image.zip',
        1000,
        '0123456789abcdef0123456789abcdef',
        'https://zenodo.org/api/records/6633721/files/SNOW_Image.zip/content',
      ],
      [
        'mask_0_5000.zip',
        20,
        'ffffffffffffffffffffffffffffffff',
        'http://127.0.0.1:3/records/6633721/files/mask_0_5000.zip?download=1',
      ],
    ]);
  });

  it('picks one file, and names the record files when it is missing', () => {
    const one = planSource({ host: 'zenodo', record: '6633721', file: 'mask_0_5000.zip' }, ctxWith());
    if (one.kind !== 'listing') throw new Error('expected a listing');
    expect(one.listing.parse(body, one.listing.url).map((f) => f.relPath)).toEqual(['mask_0_5000.zip']);
    const none = planSource({ host: 'zenodo', record: '6633721', file: 'nope.zip' }, ctxWith());
    if (none.kind !== 'listing') throw new Error('expected a listing');
    expect(() => none.listing.parse(body, none.listing.url)).toThrow(
      expect.objectContaining({ code: 'E_HOST', hint: expect.stringContaining('SNOW_Image.zip') }),
    );
  });
});
