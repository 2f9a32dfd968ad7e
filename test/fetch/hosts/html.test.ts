import { describe, expect, it } from 'vitest';
import { parseDriveFolder } from '../../../src/fetch/hosts/google-drive-folder.js';
import { parseDriveHtml } from '../../../src/fetch/hosts/google-drive-html.js';
import { planSource } from '../../../src/fetch/hosts/index.js';
import { parseOnedriveHtml } from '../../../src/fetch/hosts/onedrive.js';
import { ctxWith, page } from './helpers.js';

const DL =
  'https://drive.usercontent.google.com/download?id=1HReH6dDrEuXgHPrsw7OrHSjvEUF3f4mv&export=download';

describe('Google Drive pages', () => {
  it('turns the virus-scan form into a follow URL with id, export, confirm and uuid', () => {
    expect(parseDriveHtml(page('drive-confirm.html'), DL)).toEqual({
      kind: 'follow',
      url: 'https://drive.usercontent.google.com/download?id=1HReH6dDrEuXgHPrsw7OrHSjvEUF3f4mv&export=download&confirm=t&uuid=0d5f3c2a-7b1e-4e8c-9a44-2f6b1c9d8e70',
    });
  });

  it('follows the legacy confirm link relative to the page URL', () => {
    expect(
      parseDriveHtml(page('drive-confirm-legacy.html'), 'https://drive.google.com/uc?id=1&export=download'),
    ).toEqual({
      kind: 'follow',
      url: 'https://drive.google.com/uc?export=download&confirm=Xy7Q&id=1AbCdEfGhIjKlMnOpQrStUvWxYz012345',
    });
  });

  const failures: Array<[string, string, string, RegExp]> = [
    ['quota page', 'drive-quota.html', DL, /too many users/i],
    ['sign-in page', 'drive-signin.html', 'https://accounts.google.com/v3/signin/identifier?x=1', /sign in/i],
    ['sign-in page served on the drive host', 'drive-signin.html', DL, /sign in/i],
    ['an unrelated page', 'drive-folder.html', DL, /HTML page instead of the file/],
  ];
  it.each(failures)('recognises the %s as a failure', (_n, file, url, reason) => {
    expect(parseDriveHtml(page(file), url)).toMatchObject({
      kind: 'fail',
      reason: expect.stringMatching(reason),
    });
  });

  it('hangs onHtml on the Drive file plan', () => {
    const plan = planSource({ host: 'google-drive', id: 'x' }, ctxWith());
    expect(plan.kind === 'file' && plan.plan.onHtml?.(page('drive-quota.html'), DL).kind).toBe('fail');
  });
});

describe('Google Drive folders', () => {
  it('parses files and sub-folders from embeddedfolderview', () => {
    expect(
      parseDriveFolder(page('drive-folder.html'), 'https://drive.google.com/embeddedfolderview?id=F'),
    ).toEqual([
      { id: '1q2W3e4R5t6Y7u8I9o0PaSdFgHjKlZxCv', name: 'fmunet_abk1k_volf.pt', folder: false },
      { id: '1ZzYyXxWwVvUuTtSsRrQqPpOoNnMmLlKk', name: 'README & notes.txt', folder: false },
      { id: '1FoLdErIdAbCdEfGhIjKlMnOpQrStUvWx', name: 'finetuned', folder: true },
    ]);
  });

  it('gives one download plan per file and one listing per sub-folder', () => {
    const plan = planSource(
      { host: 'google-drive-folder', id: 'ROOT' },
      ctxWith({
        OPENMEDLAB_GDRIVE_ENDPOINT: 'http://127.0.0.1:7',
        OPENMEDLAB_GDRIVE_DOWNLOAD_ENDPOINT: 'http://127.0.0.1:8',
      }),
    );
    if (plan.kind !== 'listing') throw new Error('expected a listing');
    expect(plan.listing.url).toBe('http://127.0.0.1:7/embeddedfolderview?id=ROOT');
    const html = page('drive-folder.html');
    const files = plan.listing.parse(html, plan.listing.url);
    expect(files.map((f) => [f.relPath, f.plan.url])).toEqual([
      [
        'fmunet_abk1k_volf.pt',
        'http://127.0.0.1:8/download?id=1q2W3e4R5t6Y7u8I9o0PaSdFgHjKlZxCv&export=download',
      ],
      [
        'README & notes.txt',
        'http://127.0.0.1:8/download?id=1ZzYyXxWwVvUuTtSsRrQqPpOoNnMmLlKk&export=download',
      ],
    ]);
    const folders = plan.listing.folders?.(html, plan.listing.url) ?? [];
    expect(folders.map((f) => [f.relPath, f.listing.url])).toEqual([
      ['finetuned', 'http://127.0.0.1:7/embeddedfolderview?id=1FoLdErIdAbCdEfGhIjKlMnOpQrStUvWx'],
    ]);
  });

  it('never lets an entry name climb out of the folder', () => {
    const html =
      '<div class="flip-entries"><div class="flip-entry" id="entry-abc"><a href="/file/d/abc/view"><div class="flip-entry-title">..</div></a></div><div class="flip-entry" id="entry-def"><a href="/file/d/def/view"><div class="flip-entry-title">../../etc/passwd</div></a></div></div>';
    expect(parseDriveFolder(html, 'https://drive.google.com/x').map((e) => e.name)).toEqual([
      'abc',
      '.._.._etc_passwd',
    ]);
  });

  it('fails a sign-in page with E_HOST', () => {
    expect(() =>
      parseDriveFolder(page('drive-signin.html'), 'https://drive.google.com/embeddedfolderview?id=F'),
    ).toThrow(expect.objectContaining({ code: 'E_HOST', message: expect.stringMatching(/sign in/i) }));
  });
});

describe('OneDrive pages', () => {
  it('recognises the Microsoft sign-in page', () => {
    expect(
      parseOnedriveHtml(page('onedrive-signin.html'), 'https://login.microsoftonline.com/x'),
    ).toMatchObject({
      kind: 'fail',
      reason: expect.stringMatching(/sign in/),
    });
    expect(parseOnedriveHtml('<html><body>gone</body></html>', 'https://x.sharepoint.com/y')).toMatchObject({
      kind: 'fail',
    });
  });
});
