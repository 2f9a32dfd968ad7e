/**
 * The hot loop of a download: each chunk is hashed on the main thread and handed to a BlockWriter
 * whose writes run on the thread pool, so hashing, parsing and disk writes overlap with one pass over
 * the bytes. On a resume the existing prefix is hashed first (the only time a partial is read).
 */
import fs from 'node:fs/promises';
import { createSha256, hashFileInto } from '../cache/digest.js';
import { OmlError } from '../errors.js';
import type { EventSink } from '../events.js';
import type { ResponseBody } from './body.js';
import { collectYoung, GC_EVERY_BYTES } from './v8-tuning.js';
import { BlockWriter } from './writer.js';

/** Progress events are sent at most this often. */
const PROGRESS_INTERVAL_MS = 250;

export interface StreamOptions {
  /** The partial file; bytes [0, offset) are already in it. */
  file: string;
  offset: number;
  /** The body (with its first chunk when already read); undefined when the partial is complete. */
  source: { body: ResponseBody; first: Buffer[] } | undefined;
  total: number | undefined;
  key: string;
  events: EventSink;
  /** Called with each chunk's size (bytes received over the network). */
  onBytes: (bytes: number) => void;
}

/** Hash the existing prefix, then append the body; returns the whole file's sha256 and size. */
export async function streamToPartial(options: StreamOptions): Promise<{ sha256: string; size: number }> {
  const hash = createSha256();
  if (options.offset > 0) {
    const read = await hashFileInto(hash, options.file, options.offset);
    if (read !== options.offset) {
      throw new OmlError('E_NETWORK', 'the partial file shrank while resuming; restarting', {
        details: { retryable: true, retryAfterMs: 0 },
      });
    }
  }
  if (!options.source) return { sha256: hash.digest('hex'), size: options.offset };
  const handle = await fs.open(options.file, options.offset > 0 ? 'r+' : 'w');
  const writer = new BlockWriter(handle, options.offset);
  let received = 0;
  let lastEvent = Date.now();
  let nextGc = GC_EVERY_BYTES;
  const take = (chunk: Buffer): Promise<void> | undefined => {
    hash.update(chunk);
    received += chunk.length;
    if (received >= nextGc) {
      nextGc += GC_EVERY_BYTES;
      collectYoung();
    }
    options.onBytes(chunk.length);
    const now = Date.now();
    if (now - lastEvent >= PROGRESS_INTERVAL_MS) {
      lastEvent = now;
      options.events({
        type: 'download-progress',
        key: options.key,
        received: options.offset + received,
        total: options.total,
      });
    }
    return writer.push(chunk);
  };
  try {
    for (let batch = options.source.first; ; batch = await options.source.body.nextBatch()) {
      if (batch.length === 0 && batch !== options.source.first) break;
      for (const chunk of batch) {
        const wait = take(chunk);
        if (wait) await wait;
      }
    }
    await writer.finish();
  } catch (error) {
    // Keep what arrived (it is a valid prefix) so the next attempt or run resumes from it.
    await writer.finish().catch(() => writer.settle());
    throw error;
  } finally {
    await handle.close();
  }
  options.events({
    type: 'download-progress',
    key: options.key,
    received: options.offset + received,
    total: options.total,
  });
  return { sha256: hash.digest('hex'), size: options.offset + received };
}
