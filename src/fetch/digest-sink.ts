/**
 * The main thread's side of a download's disk path: each received chunk is copied once into a
 * pooled block; full blocks are transferred (not copied) to the digest threads, which hash and
 * write them in order and transfer them back. Copying at once is what lets the socket read into
 * the same memory again (fetch/large-reads.ts); at most `blocks` blocks exist per stream, and
 * running short of them is the backpressure that pauses the socket.
 */
import { OmlError } from '../errors.js';
import { openChannel, openStreams, type WorkerChannel, type WorkerReply } from './digest-worker.js';
import { MAX_READ_BYTES } from './large-reads.js';

/**
 * Block size and blocks per stream: 16 x 256 KiB (4 MiB in flight). Many blocks let each thread
 * work through a backlog per wake-up instead of stalling on the next: 1 GiB, settled machine,
 * medians of 5 interleaved runs, vs curl -o: 4 x 512 KiB 1.03x / 1.16x (two sessions), 8 x 512
 * KiB 0.94x / 1.17x, 16 x 512 KiB 0.89x / 1.07x (+6 MB RSS), 8 x 256 KiB 1.14x, 16 x 256 KiB
 * 1.07x (+2 MB RSS), with 10-15% less CPU than 4 blocks.
 */
export const BLOCK_BYTES = 256 * 1024;
export const BLOCKS = 16;

/**
 * Blocks for a new stream: all of BLOCKS when it is alone, a share when others are in flight
 * (at least 4), so `--jobs 4` holds about as much memory as one download (8 x 128 MiB with
 * 16 blocks each: 130 MB peak RSS).
 */
function shareOfBlocks(): number {
  return Math.max(4, Math.ceil(BLOCKS / (openStreams() + 1)));
}

/**
 * Where received chunks go: `write` returns false when the caller should wait for `ready()`. A sink
 * never keeps a reference to a chunk after `write` returns: the socket may read into that memory
 * again (fetch/large-reads.ts).
 */
export interface ChunkSink {
  write(chunk: Buffer): boolean;
  ready(): Promise<void>;
}

/** Writes and hashes one partial file through the digest worker; see the module comment. */
export class DigestSink implements ChunkSink {
  private readonly channel: WorkerChannel;
  private readonly free: ArrayBuffer[] = [];
  private allocated = 0;
  private current: Buffer | undefined;
  private fill = 0;
  private overflow: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;
  private readonly onOpen = deferred<number>();
  private readonly onClose = deferred<{ sha256: string; size: number }>();
  /** Room that must be left for write() to return true: a whole socket read, where blocks allow. */
  private readonly headroom: number;
  /** Resolves with the bytes of the prefix hashed (the caller checks it equals `offset`). */
  readonly opened = this.onOpen.promise;

  constructor(
    file: string,
    offset: number,
    private readonly blockSize = BLOCK_BYTES,
    private readonly blocks = shareOfBlocks(),
  ) {
    this.headroom = Math.max(1, Math.min(MAX_READ_BYTES, (blocks - 1) * blockSize));
    this.channel = openChannel((reply) => this.onReply(reply));
    this.channel.send({ op: 'open', file, offset });
  }

  private onReply(reply: WorkerReply): void {
    if (reply.op === 'opened') this.onOpen.resolve(reply.read);
    else if (reply.op === 'free') this.reuse(reply.buf);
    else if (reply.op === 'closed') {
      this.channel.release();
      this.onClose.resolve({ sha256: reply.sha256, size: reply.size });
    } else {
      const error = Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {});
      this.failure ??= error;
      this.channel.release();
      this.onOpen.reject(error);
      this.onClose.reject(error);
      this.wakeAll();
    }
  }

  /** Copy `chunk` into blocks; false when no block is left for more (wait for `ready()`). */
  write(chunk: Buffer): boolean {
    if (this.failure) throw this.failure;
    if (this.overflow.length > 0) {
      this.overflow.push(Buffer.from(chunk)); // a copy: the chunk's memory may be read into again
      return false;
    }
    let at = 0;
    while (at < chunk.length) {
      this.current ??= this.take();
      if (!this.current) {
        this.overflow.push(Buffer.from(chunk.subarray(at))); // a copy, as above
        return false;
      }
      const n = chunk.copy(this.current, this.fill, at);
      this.fill += n;
      at += n;
      if (this.fill === this.blockSize) this.send();
    }
    return this.hasRoom();
  }

  /**
   * True while the next chunk surely fits in the blocks at hand: signalling "full" one read early
   * means chunks almost never wait in `overflow` (which has to copy them).
   */
  private hasRoom(): boolean {
    let room = (this.blocks - this.allocated + this.free.length) * this.blockSize;
    if (this.current) room += this.blockSize - this.fill;
    return room >= this.headroom;
  }

  /** Resolves once a block is free again (or the sink failed). */
  ready(): Promise<void> {
    if (this.failure || (this.overflow.length === 0 && this.hasRoom())) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Send the last partial block, close the file; resolves with the whole file's sha256 and size. */
  async finish(): Promise<{ sha256: string; size: number }> {
    while (this.overflow.length > 0 && !this.failure) await this.ready();
    if (this.failure) throw this.failure;
    if (this.fill > 0) this.send();
    this.channel.send({ op: 'close' });
    return this.onClose.promise;
  }

  private take(): Buffer | undefined {
    const reused = this.free.pop();
    if (reused) return Buffer.from(reused);
    if (this.allocated >= this.blocks) return undefined;
    this.allocated++;
    return Buffer.from(new ArrayBuffer(this.blockSize));
  }

  private send(): void {
    const block = this.current;
    if (!block) return;
    this.channel.send({ op: 'data', buf: block.buffer, len: this.fill }, [block.buffer as ArrayBuffer]);
    this.current = undefined;
    this.fill = 0;
  }

  private reuse(buf: ArrayBuffer): void {
    this.free.push(buf);
    const pending = this.overflow;
    this.overflow = [];
    for (const [i, chunk] of pending.entries()) {
      if (!this.write(chunk)) {
        this.overflow.push(...pending.slice(i + 1));
        break;
      }
    }
    if (this.overflow.length === 0 && this.hasRoom()) this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A promise with its settle functions; a rejection nobody awaits is not reported as unhandled. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** The error when the partial file is shorter than the offset being resumed from. */
export function shrankError(): OmlError {
  return new OmlError('E_NETWORK', 'the partial file shrank while resuming; restarting', {
    details: { retryable: true, retryAfterMs: 0 },
  });
}
