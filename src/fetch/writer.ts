/**
 * Writes a response to a file while it is hashed, with bounded memory. Chunks are gathered into
 * blocks and written with positional writev calls that run on libuv's thread pool while the main
 * thread parses and hashes the next chunks; at most `maxPending` blocks are queued, and waiting for
 * the oldest is what applies backpressure to the socket. Writes run strictly one after another: two
 * concurrent writes could land out of order, and a kill between them would leave a hole of zeros
 * inside a partial file that the next run would resume from.
 */
import type { FileHandle } from 'node:fs/promises';

/** Default block size and writes in flight: 4 x 1 MiB keeps RSS low and the disk busy. */
export const BLOCK_BYTES = 1024 * 1024;
export const MAX_PENDING = 4;

/** Write every byte of `buffers` at `position` (writev may write less than asked). */
async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest, at);
    at += bytesWritten;
    let skip = bytesWritten;
    const next: Buffer[] = [];
    for (const buffer of rest) {
      if (skip >= buffer.length) skip -= buffer.length;
      else {
        next.push(skip > 0 ? buffer.subarray(skip) : buffer);
        skip = 0;
      }
    }
    rest = next;
  }
}

/** A positional block writer; `push` returns a promise only when the caller must wait. */
export class BlockWriter {
  private blocks: Buffer[] = [];
  private blockBytes = 0;
  private pending: Promise<void>[] = [];
  private failure: unknown;

  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private readonly blockSize = BLOCK_BYTES,
    private readonly maxPending = MAX_PENDING,
  ) {}

  /** Queue a chunk; await the result when it is a promise (the writer is full). */
  push(chunk: Buffer): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    this.blocks.push(chunk);
    this.blockBytes += chunk.length;
    if (this.blockBytes < this.blockSize) return undefined;
    this.flush();
    return this.pending.length >= this.maxPending ? this.drainOne() : undefined;
  }

  /** Write everything queued and wait for all writes. */
  async finish(): Promise<void> {
    this.flush();
    while (this.pending.length > 0) await this.drainOne();
  }

  /** Wait for writes in flight without writing the queued tail (used on errors). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.pending);
    this.pending = [];
  }

  private flush(): void {
    if (this.blockBytes === 0) return;
    const blocks = this.blocks;
    const position = this.position;
    const previous = this.pending.at(-1) ?? Promise.resolve();
    const write = previous.then(() => writeAll(this.handle, blocks, position));
    write.catch((error: unknown) => {
      this.failure ??= error;
    });
    this.pending.push(write);
    this.position += this.blockBytes;
    this.blocks = [];
    this.blockBytes = 0;
  }

  private async drainOne(): Promise<void> {
    await this.pending.shift();
  }
}
