import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXTRACT_MARKER, extractArchive } from '../../src/cache/archive.js';
import { makeTar, makeZip, type TarEntry } from './archive-builders.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-archive-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Everything under root, relative, sorted (to prove nothing landed outside `dest`). */
async function tree(dir = root): Promise<string[]> {
  const out = await fs.readdir(dir, { recursive: true });
  return out.map(String).sort();
}

describe('extractArchive (tar)', () => {
  it('extracts into place, writes a marker, and is a no-op the second time', async () => {
    const file = path.join(root, 'a.tar.gz');
    await fs.writeFile(
      file,
      makeTar(
        [
          { name: 'model/', type: '5' },
          { name: 'model/w.pt', data: 'weights' },
          { name: 'model/latest', type: '2', linkname: 'w.pt' },
        ],
        true,
      ),
    );
    const dest = path.join(root, 'out');
    expect(await extractArchive({ file, kind: 'tar.gz', dest, sha256: 'abc' })).toBe(true);
    expect(await fs.readFile(path.join(dest, 'model/latest'), 'utf8')).toBe('weights');
    expect(JSON.parse(await fs.readFile(path.join(dest, EXTRACT_MARKER), 'utf8'))).toMatchObject({
      sha256: 'abc',
    });
    expect(await extractArchive({ file, kind: 'tar.gz', dest, sha256: 'abc' })).toBe(false);
  });

  const hostile: Array<[string, TarEntry[]]> = [
    [
      '../ escape',
      [
        { name: 'ok.txt', data: 'x' },
        { name: '../x', data: 'pwned' },
      ],
    ],
    ['absolute path', [{ name: `${'/tmp'}/oml-abs-${process.pid}`, data: 'pwned' }]],
    ['symlink escaping', [{ name: 'evil', type: '2', linkname: '../../outside' }]],
    ['absolute symlink', [{ name: 'evil', type: '2', linkname: '/etc' }]],
    ['hardlink escaping', [{ name: 'evil', type: '1', linkname: '../outside.txt' }]],
    ['character device', [{ name: 'dev', type: '3' }]],
    ['FIFO', [{ name: 'fifo', type: '6' }]],
  ];
  it.each(hostile)('refuses a %s and leaves nothing anywhere', async (_n, entries) => {
    const file = path.join(root, 'h.tar');
    await fs.writeFile(file, makeTar(entries));
    await fs.writeFile(path.join(root, 'outside.txt'), 'secret');
    const dest = path.join(root, 'sub', 'out');
    await expect(extractArchive({ file, kind: 'tar', dest, sha256: 'h' })).rejects.toMatchObject({
      code: 'E_HOST',
    });
    expect(await tree()).toEqual(['h.tar', 'outside.txt', 'sub']);
    await expect(fs.stat(`/tmp/oml-abs-${process.pid}`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces an older extraction atomically when the archive changes', async () => {
    const dest = path.join(root, 'out');
    const file = path.join(root, 'a.tar');
    await fs.writeFile(file, makeTar([{ name: 'v1.txt', data: '1' }]));
    await extractArchive({ file, kind: 'tar', dest, sha256: 'one' });
    await fs.writeFile(file, makeTar([{ name: 'v2.txt', data: '2' }]));
    await extractArchive({ file, kind: 'tar', dest, sha256: 'two' });
    expect((await fs.readdir(dest)).sort()).toEqual([EXTRACT_MARKER, 'v2.txt']);
  });
});

describe('extractArchive (zip)', () => {
  it('extracts stored and deflated entries, directories and inside symlinks', async () => {
    const file = path.join(root, 'a.zip');
    await fs.writeFile(
      file,
      makeZip([
        { name: 'd/', mode: 0o040755 },
        { name: 'd/a.txt', data: 'alpha' },
        { name: 'd/b.bin', data: 'b'.repeat(10000), deflate: true },
        { name: 'd/link', data: 'a.txt', mode: 0o120777 },
      ]),
    );
    const dest = path.join(root, 'out');
    await extractArchive({ file, kind: 'zip', dest, sha256: 'z' });
    expect(await fs.readFile(path.join(dest, 'd/b.bin'), 'utf8')).toBe('b'.repeat(10000));
    expect(await fs.readFile(path.join(dest, 'd/link'), 'utf8')).toBe('alpha');
  });

  const hostile: Array<[string, Parameters<typeof makeZip>[0]]> = [
    [
      '../ escape',
      [
        { name: 'ok', data: 'x' },
        { name: '../x', data: 'p' },
      ],
    ],
    ['absolute path', [{ name: '/tmp/x', data: 'p' }]],
    ['Windows drive path', [{ name: 'C:\\x', data: 'p' }]],
    ['symlink escaping', [{ name: 'l', data: '../../etc', mode: 0o120777 }]],
    ['device', [{ name: 'dev', mode: 0o020644 }]],
  ];
  it.each(hostile)('refuses a %s', async (_n, entries) => {
    const file = path.join(root, 'h.zip');
    await fs.writeFile(file, makeZip(entries));
    await expect(
      extractArchive({ file, kind: 'zip', dest: path.join(root, 'out'), sha256: 'h' }),
    ).rejects.toMatchObject({
      code: 'E_HOST',
    });
    expect(await tree()).toEqual(['h.zip']);
  });

  it('fails a corrupt entry (CRC mismatch) and keeps nothing', async () => {
    const file = path.join(root, 'c.zip');
    const zip = makeZip([{ name: 'a.txt', data: 'hello' }]);
    zip.write('jello', 30 + 'a.txt'.length);
    await fs.writeFile(file, zip);
    await expect(
      extractArchive({ file, kind: 'zip', dest: path.join(root, 'out'), sha256: 'c' }),
    ).rejects.toMatchObject({
      code: 'E_HOST',
    });
    expect(await tree()).toEqual(['c.zip']);
  });
});
