/**
 * A small zip reader (stored and deflate, zip64), so zip checkpoints need neither a dependency nor
 * an `unzip` binary the user may lack. The central directory is read first and every entry checked
 * before anything is written; bodies stream through zlib with their CRC-32 and size checked.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { isSafeLink, isSafeRelative } from './archive-paths.js';

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compSize: number;
  size: number;
  offset: number;
  /** Unix file type bits (S_IFMT) when the archive was made on Unix, else 0. */
  unixType: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Read `length` bytes at `position`. */
async function readAt(fh: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** Locate the central directory (zip64 aware): offset, size and entry count. */
async function centralDirectory(
  fh: fs.FileHandle,
  fileSize: number,
): Promise<{ offset: number; size: number }> {
  const tailLen = Math.min(fileSize, 65557);
  const tail = await readAt(fh, fileSize - tailLen, tailLen);
  const at = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (at < 0) throw new Error('not a zip file (no end of central directory)');
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (offset === 0xffffffff || size === 0xffffffff) {
    const loc = at - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new Error('zip64 locator missing');
    const eocd64 = await readAt(fh, Number(tail.readBigUInt64LE(loc + 8)), 56);
    if (eocd64.readUInt32LE(0) !== 0x06064b50) throw new Error('zip64 end of central directory missing');
    size = Number(eocd64.readBigUInt64LE(40));
    offset = Number(eocd64.readBigUInt64LE(48));
  }
  return { offset, size };
}

/** Apply the zip64 extra field to the fields saturated at 0xffffffff. */
function applyZip64(entry: ZipEntry, extra: Buffer): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const v = Number(extra.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compSize === 0xffffffff) entry.compSize = next();
      if (entry.offset === 0xffffffff) entry.offset = next();
    }
    p += 4 + len;
  }
}

/** Parse every central directory record. */
function parseEntries(cd: Buffer): ZipEntry[] {
  const out: ZipEntry[] = [];
  for (let p = 0; p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50; ) {
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const madeOnUnix = cd.readUInt16LE(p + 4) >> 8 === 3;
    const entry: ZipEntry = {
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      offset: cd.readUInt32LE(p + 42),
      name: cd.toString('utf8', p + 46, p + 46 + nameLen),
      unixType: madeOnUnix ? (cd.readUInt32LE(p + 38) >>> 16) & S_IFMT : 0,
    };
    applyZip64(entry, cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
    out.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Why an entry is refused, or undefined when it is safe. */
function refusal(e: ZipEntry, linkTarget: string | undefined): string | undefined {
  if (!isSafeRelative(e.name)) return `${e.name} (path outside the folder)`;
  if (e.unixType !== 0 && ![S_IFREG, S_IFDIR, S_IFLNK].includes(e.unixType))
    return `${e.name} (device or FIFO)`;
  if (e.flags & 1) return `${e.name} (encrypted)`;
  if (e.method !== 0 && e.method !== 8) return `${e.name} (compression method ${e.method})`;
  if (linkTarget !== undefined && !isSafeLink(e.name, linkTarget, false))
    return `${e.name} -> ${linkTarget} (link outside)`;
  return undefined;
}

/** Stream one entry's body (inflated, CRC and size checked) into `target`. */
async function writeEntry(file: string, fh: fs.FileHandle, e: ZipEntry, target: string): Promise<void> {
  const local = await readAt(fh, e.offset, 30);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${e.name}: bad local header`);
  const start = e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  let crc = 0;
  let size = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = zlib.crc32(chunk, crc);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const body =
    e.compSize === 0 ? Readable.from([]) : createReadStream(file, { start, end: start + e.compSize - 1 });
  const stages = e.method === 8 ? [zlib.createInflateRaw()] : [];
  await pipeline([body, ...stages, check, createWriteStream(target, { flags: 'wx' })]);
  if (size !== e.size || crc !== e.crc) throw new Error(`${e.name}: corrupt entry (CRC or size mismatch)`);
}

/** Extract a zip into `dir`; returns refused entries (nothing is written when there are any). */
export async function extractZip(file: string, dir: string): Promise<string[]> {
  const fh = await fs.open(file, 'r');
  try {
    const { offset, size } = await centralDirectory(fh, (await fh.stat()).size);
    const entries = parseEntries(await readAt(fh, offset, size));
    const links = new Map<ZipEntry, string>();
    for (const e of entries) {
      if (e.unixType === S_IFLNK) links.set(e, await readLinkTarget(fh, e));
    }
    const refused = entries.map((e) => refusal(e, links.get(e))).filter((r): r is string => r !== undefined);
    if (refused.length > 0) return refused;
    for (const e of entries.filter((x) => !links.has(x))) {
      const target = path.join(dir, e.name);
      if (e.name.endsWith('/') || e.unixType === S_IFDIR) await fs.mkdir(target, { recursive: true });
      else {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await writeEntry(file, fh, e, target);
      }
    }
    // Links last, so no file is ever written through one.
    for (const [e, linkTarget] of links) {
      await fs.mkdir(path.dirname(path.join(dir, e.name)), { recursive: true });
      await fs.symlink(linkTarget, path.join(dir, e.name));
    }
    return [];
  } finally {
    await fh.close();
  }
}

/** A symlink entry's body is its target path. */
async function readLinkTarget(fh: fs.FileHandle, e: ZipEntry): Promise<string> {
  if (e.size > 4096) return '/'; // absurd; refused as absolute
  const local = await readAt(fh, e.offset, 30);
  const start = e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = await readAt(fh, start, e.compSize);
  return (e.method === 8 ? zlib.inflateRawSync(raw) : raw).toString('utf8');
}
