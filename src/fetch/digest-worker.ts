/**
 * One worker thread per process that writes and hashes the bodies of every download in flight
 * (code in digest-worker-source.ts). The main thread only receives and copies into pooled blocks,
 * so sha256 (~1 s of CPU per GiB) and the write syscalls overlap with parsing on another core.
 * The worker is created on first use, keeps the process alive only while a stream is open, and is
 * stopped after a short idle time.
 */
import { Worker } from 'node:worker_threads';
import { DIGEST_WORKER_SOURCE } from './digest-worker-source.js';

/** A message from the worker about one stream. */
export type WorkerReply =
  | { op: 'opened'; id: number; read: number }
  | { op: 'free'; id: number; buf: ArrayBuffer }
  | { op: 'closed'; id: number; sha256: string; size: number }
  | { op: 'error'; id: number; message: string; code?: string };

/** A stream's line to the worker. */
export interface WorkerChannel {
  send(message: object, transfer?: ArrayBuffer[]): void;
  /** Forget the stream (after its close or on failure). */
  release(): void;
}

/** Stop an idle worker after this long (a --jobs queue reuses it between files). */
const IDLE_MS = 2000;

let worker: Worker | undefined;
let nextId = 1;
let idleTimer: NodeJS.Timeout | undefined;
const listeners = new Map<number, (reply: WorkerReply) => void>();

function failAll(error: Error): void {
  worker = undefined;
  for (const [id, listener] of listeners) listener({ op: 'error', id, message: error.message });
  listeners.clear();
}

function start(): Worker {
  const w = new Worker(DIGEST_WORKER_SOURCE, { eval: true });
  w.on('message', (reply: WorkerReply) => listeners.get(reply.id)?.(reply));
  w.on('error', failAll);
  w.on('exit', (code) => {
    if (worker === w) failAll(new Error(`digest worker exited (${code})`));
  });
  return w;
}

/** Open a channel to the worker; `onReply` receives every message about this stream. */
export function openChannel(onReply: (reply: WorkerReply) => void): WorkerChannel {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  worker ??= start();
  const w = worker;
  if (listeners.size === 0) w.ref();
  const id = nextId++;
  listeners.set(id, onReply);
  return {
    send: (message, transfer) => w.postMessage({ ...message, id }, transfer ?? []),
    release: () => {
      if (!listeners.delete(id) || listeners.size > 0 || worker !== w) return;
      w.unref();
      idleTimer = setTimeout(() => {
        if (listeners.size > 0 || worker !== w) return;
        worker = undefined;
        void w.terminate();
      }, IDLE_MS).unref();
    },
  };
}
