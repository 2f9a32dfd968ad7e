/**
 * The hot loop of a download: the main thread receives and copies each chunk into a pooled block
 * (fetch/digest-sink.ts); the digest worker writes the blocks in order and hashes them, so parsing,
 * hashing and disk writes overlap with one pass over the bytes. On a resume the worker hashes the
 * prefix already on disk first (the only time a partial is read).
 */
import { createSha256, hashFileInto } from '../cache/digest.js';
import type { EventSink } from '../events.js';
import type { ResponseBody } from './body.js';
import { type ChunkSink, DigestSink, shrankError } from './digest-sink.js';
import { noteReceived } from './v8-tuning.js';

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
  if (!options.source) {
    const hash = createSha256();
    if ((await hashFileInto(hash, options.file, options.offset)) !== options.offset) throw shrankError();
    return { sha256: hash.digest('hex'), size: options.offset };
  }
  const sink = new DigestSink(options.file, options.offset);
  const counted = countingSink(sink, options);
  try {
    if ((await sink.opened) !== options.offset) throw shrankError();
    for (const chunk of options.source.first) if (!counted.write(chunk)) await counted.ready();
    await options.source.body.pipe(counted);
  } catch (error) {
    // Keep what arrived (it is a valid prefix) so the next attempt or run resumes from it.
    await sink.finish().catch(() => undefined);
    throw error;
  }
  const result = await sink.finish();
  counted.report();
  return result;
}

/** A sink that counts bytes, sends throttled progress events and feeds the periodic young GC. */
function countingSink(sink: ChunkSink, options: StreamOptions): ChunkSink & { report(): void } {
  let received = 0;
  let lastEvent = Date.now();
  const report = (): void =>
    options.events({
      type: 'download-progress',
      key: options.key,
      received: options.offset + received,
      total: options.total,
    });
  return {
    write(chunk) {
      received += chunk.length;
      options.onBytes(chunk.length);
      noteReceived(chunk.length);
      const now = Date.now();
      if (now - lastEvent >= PROGRESS_INTERVAL_MS) {
        lastEvent = now;
        report();
      }
      return sink.write(chunk);
    },
    ready: () => sink.ready(),
    report,
  };
}
