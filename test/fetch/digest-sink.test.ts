import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DigestSink } from '../../src/fetch/digest-sink.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-sink-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

it('writes and hashes every byte in order through two tiny blocks (overflow and backpressure)', async () => {
  const file = path.join(dir, 'f.partial');
  const data = randomBytes(10_000);
  const sink = new DigestSink(file, 0, 64, 2);
  expect(await sink.opened).toBe(0);
  let waits = 0;
  for (let at = 0; at < data.length; at += 300) {
    if (!sink.write(data.subarray(at, at + 300))) {
      waits++;
      await sink.ready();
    }
  }
  expect(waits).toBeGreaterThan(0);
  expect(await sink.finish()).toEqual({ sha256: sha256(data), size: data.length });
  expect(await fs.readFile(file)).toEqual(data);
});

it('hashes the prefix on disk, then appends after it', async () => {
  const file = path.join(dir, 'f.partial');
  const data = randomBytes(5000);
  await fs.writeFile(file, data.subarray(0, 2000));
  const sink = new DigestSink(file, 2000, 1024, 2);
  expect(await sink.opened).toBe(2000);
  if (!sink.write(data.subarray(2000))) await sink.ready();
  expect(await sink.finish()).toEqual({ sha256: sha256(data), size: data.length });
  expect(await fs.readFile(file)).toEqual(data);
});

it('reports a prefix shorter than the offset, and a file it cannot open, with the fs error code', async () => {
  const short = path.join(dir, 'short.partial');
  await fs.writeFile(short, Buffer.alloc(10));
  const sink = new DigestSink(short, 100);
  expect(await sink.opened).toBe(10);
  await sink.finish();
  const missing = new DigestSink(path.join(dir, 'no', 'such', 'dir'), 0);
  await expect(missing.opened).rejects.toMatchObject({ code: 'ENOENT' });
  await expect(missing.finish()).rejects.toMatchObject({ code: 'ENOENT' });
});
