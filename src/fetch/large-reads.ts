/**
 * A connector for plain-HTTP sockets that read up to 1 MiB per syscall into memory they reuse.
 * Node allocates a fresh 64 KiB buffer for every socket read; a 1 GiB body is then 16k reads and
 * 16k dead buffers (fresh memory to fault in, garbage to collect). With net.connect's `onread` each
 * read lands in a per-socket slab and is pushed into the socket's Readable like a normal read, so
 * undici sees ordinary chunks. (Node 20 calls the `buffer` function without `this`, right after
 * the `callback` of the read before, which it calls with the socket: see lastSocket.)
 *
 * A slab's bytes must stay valid as long as anything references them, so by default every read
 * gets memory no read touched before. A body consumer that copies every chunk before returning
 * (fetch/body.ts, once piped into a DigestSink) calls recycleReads(chunk): from then on the slab's
 * two halves take turns, as long as everything read before the last read has been consumed (the
 * socket's Readable holds no more than that read, so undici parsed the rest and handed its body
 * bytes to the consumer, which copied them). One 2 MiB slab then serves the whole body: it stays
 * in cache and leaves nothing for the GC. TLS sockets keep undici's connector (their reads are
 * bounded by TLS records anyway).
 */
import type net from 'node:net';
import { buildConnector } from 'undici';

/**
 * Slab per socket, read into at most HALF at a time. Without recycling a read gets the slab's
 * untouched tail, and a new slab once less than MIN_READ is left. With recycling, reads alternate
 * between the two halves. Larger reads mean fewer trips through the socket's stream and undici's
 * parser per byte: 1 GiB over loopback, 5 interleaved runs vs curl -o, slab 512 KiB / 1 MiB /
 * 2 MiB / 4 MiB: 1.36x / 1.28x / 1.08x / - unsettled, 1.15x / - / 1.12x / 1.17x settled; main
 * thread 1.9 -> 0.7 s busy. A recycled slab stays for the whole body, so only its size counts
 * (+1.5 MB peak RSS per socket against 512 KiB).
 */
const SLAB_BYTES = 2 * 1024 * 1024;
const HALF = SLAB_BYTES / 2;
const MIN_READ = 64 * 1024;
/** The most one socket read delivers (TLS reads bring less: Node reads TLS in 64 KiB at most). */
export const MAX_READ_BYTES = Math.max(HALF, 64 * 1024);

/** One per socket; `slab` changes as the socket moves to a new slab. */
interface SlabState {
  socket: net.Socket;
  slab: Buffer;
  /** Where the last read went in `slab`, and how many bytes it brought. */
  start: number;
  length: number;
  /** The end of the highest read into `slab`: bytes past it were never read into. */
  high: number;
  /** True when the last read went into a buffer of its own, beside the slab. */
  aside: boolean;
  /** True while the socket's consumer copies every chunk synchronously (recycleReads). */
  recycle: boolean;
}

const slabState = Symbol('slab');
type SlabSocket = net.Socket & { [slabState]?: SlabState };
/** The socket state of each slab, so a consumer holding a chunk can find its socket. */
const bySlab = new WeakMap<ArrayBufferLike, SlabState>();
/** Reads into slabs so far, and how many of them went into a recycled half (for tests). */
export const slabReads = { total: 0, recycled: 0 };
/** The socket whose read was just handled: Node asks for the next buffer right after, without `this`. */
let lastSocket: SlabSocket | undefined;

function freshSlab(state: SlabState): number {
  state.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  state.high = 0;
  bySlab.set(state.slab.buffer, state);
  return 0;
}

/**
 * The region of the socket's slab the next read fills. Node calls this right after onRead returned
 * (and once when the handle is set up, before any read: that read gets a buffer of its own). The
 * chunk just read is still queued in the socket then; undici consumes it (on the next tick) before
 * the next read lands. So when the socket's queue holds only that chunk and the consumer copies,
 * the other half of the slab holds nothing anyone still needs.
 */
function nextBuffer(): Buffer {
  const socket = lastSocket;
  lastSocket = undefined;
  const state = socket?.[slabState];
  if (!socket || !state) return Buffer.allocUnsafeSlow(MIN_READ);
  let at: number;
  if (state.recycle) {
    if (socket.readableLength > state.length) {
      // Bytes wait in the socket (the parser is paused): read beside the slab, into a small
      // buffer of its own, until they are consumed. Reading soon stops (the socket's buffer is
      // full); a fresh slab here would cost 2 MiB per pause.
      state.aside = true;
      return Buffer.allocUnsafeSlow(MIN_READ);
    }
    const end = state.start + state.length;
    if (state.aside)
      at = 0; // everything in the slab is older than the last read: consumed
    else if (end <= HALF) at = HALF;
    else if (state.start >= HALF) at = 0;
    else at = freshSlab(state); // the last read straddled both halves (only when recycling starts)
    if (state.high > 0) slabReads.recycled++;
    state.start = at;
    return state.slab.subarray(at, at + HALF);
  }
  // Not recycling: only memory no read has touched (a recycled half may still be referenced).
  at = SLAB_BYTES - state.high >= MIN_READ ? state.high : freshSlab(state);
  state.start = at;
  return state.slab.subarray(at, Math.min(SLAB_BYTES, at + HALF));
}

/** Called by Node with the socket as `this` after a read of `nread` bytes into the last buffer. */
function onRead(this: SlabSocket, nread: number, buf: Buffer): boolean {
  let state = this[slabState];
  if (!state) {
    // the first read (into the set-up buffer): later reads go to this socket's slab
    const slab = Buffer.alloc(0);
    state = { socket: this, slab, start: 0, length: nread, high: 0, recycle: false, aside: true };
    this[slabState] = state;
    freshSlab(state);
  } else if (buf.buffer === state.slab.buffer) {
    state.length = nread;
    state.high = Math.max(state.high, state.start + nread);
    state.aside = false;
  } else {
    state.length = nread; // a read beside the slab (see nextBuffer)
    state.aside = true;
  }
  lastSocket = this;
  slabReads.total++;
  // false (the Readable is full) stops reading until undici calls read() again, as Node does.
  return this.push(buf.subarray(0, nread));
}

/**
 * Declare that the consumer of the socket `chunk` was read from copies every chunk before it
 * returns, until the returned function is called (at the end of its response, or when it stops
 * copying). Returns undefined when the chunk does not come from a slab (TLS, a proxy).
 */
export function recycleReads(chunk: Buffer): (() => void) | undefined {
  const state = bySlab.get(chunk.buffer);
  if (!state) return undefined;
  state.recycle = true;
  return () => {
    state.recycle = false;
    // Everything read so far was consumed and copied, and the read to come lands in the region
    // already chosen for it, which raises `high` past itself: the next response on this kept-alive
    // socket may use the rest of the slab instead of a fresh one.
    if (state.socket.readableLength === 0) state.high = 0;
  };
}

/** undici's connector, with large reads on plain-HTTP sockets. */
export function largeReadConnector(options: { timeout: number }): buildConnector.connector {
  const tls = buildConnector({ timeout: options.timeout });
  const plain = buildConnector({
    timeout: options.timeout,
    onread: { buffer: nextBuffer, callback: onRead },
  } as buildConnector.BuildOptions);
  return (opts, callback) => (opts.protocol === 'https:' ? tls : plain)(opts, callback);
}
