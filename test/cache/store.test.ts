import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAnnouncedSha256, sha256File } from '../../src/cache/digest.js';
import { blobPath, quarantineDir } from '../../src/cache/paths.js';
import { hasBlob, importFile } from '../../src/cache/store.js';
import { readVerified, verifyBlob } from '../../src/cache/verify.js';

let root: string;
let work: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-store-'));
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-work-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
  await fs.rm(work, { recursive: true, force: true });
});

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function localFile(data: Buffer): Promise<string> {
  const file = path.join(work, 'model.pth');
  await fs.writeFile(file, data);
  return file;
}

describe('importFile', () => {
  it('copies a file into the store, hashed in one pass, and reports it', async () => {
    const data = Buffer.alloc(5 * 1024 * 1024 + 3, 7);
    const result = await importFile(root, await localFile(data), { size: data.length });
    expect(result).toEqual({ sha256: sha(data), size: data.length, blobPath: blobPath(root, sha(data)) });
    expect(await hasBlob(root, sha(data))).toBe(true);
    expect(await sha256File(result.blobPath)).toEqual({ sha256: sha(data), size: data.length });
    expect(await fs.readdir(path.join(root, 'tmp-v1'))).toEqual([]);
  });

  it('refuses a file whose digest differs, keeping nothing', async () => {
    const data = Buffer.from('not the model');
    await expect(importFile(root, await localFile(data), { sha256: 'b'.repeat(64) })).rejects.toMatchObject({
      code: 'E_INTEGRITY',
      expected: `sha256:${'b'.repeat(64)}`,
      found: `sha256:${sha(data)}`,
    });
    expect(await hasBlob(root, sha(data))).toBe(false);
    expect(await fs.readdir(path.join(root, 'tmp-v1'))).toEqual([]);
  });

  it('importing the same content twice is success', async () => {
    const file = await localFile(Buffer.from('same'));
    const a = await importFile(root, file);
    const b = await importFile(root, file);
    expect(b.blobPath).toBe(a.blobPath);
  });
});

describe('verifyBlob', () => {
  it('hands out an intact blob', async () => {
    const data = Buffer.from('weights');
    await importFile(root, await localFile(data));
    expect(await readVerified(root, sha(data), data.length)).toBe(blobPath(root, sha(data)));
  });

  it('quarantines a corrupt blob and throws E_INTEGRITY', async () => {
    const data = Buffer.from('weights');
    const { blobPath: file } = await importFile(root, await localFile(data));
    await fs.chmod(file, 0o644);
    await fs.writeFile(file, 'weightz');
    await expect(verifyBlob(root, sha(data))).rejects.toMatchObject({ code: 'E_INTEGRITY' });
    expect(await hasBlob(root, sha(data))).toBe(false);
    expect(await fs.readdir(quarantineDir(root))).toHaveLength(1);
  });

  it('throws a size mismatch even when the digest would be checked next', async () => {
    const data = Buffer.from('weights');
    await importFile(root, await localFile(data));
    await expect(verifyBlob(root, sha(data), 3)).rejects.toMatchObject({
      code: 'E_INTEGRITY',
      expected: '3 bytes',
    });
  });
});

describe('parseAnnouncedSha256', () => {
  const hex = 'ab'.repeat(32);
  it.each([
    [`"${hex}"`, hex],
    [`W/"${hex}"`, hex],
    [hex.toUpperCase(), hex],
    [`sha256:${hex}`, hex],
    [`sha-256=${Buffer.from(hex, 'hex').toString('base64')}`, hex],
    ['"5d41402abc4b2a76b9719d911017c592"', undefined],
    [undefined, undefined],
  ])('%s -> %s', (value, expected) => {
    expect(parseAnnouncedSha256(value)).toBe(expected);
  });
});
