/**
 * sha256 of many files at once, on worker threads: node's sha256 is OpenSSL's, but one thread hashes
 * at one core's speed, so `cache verify` spreads files over `jobs` workers. Each worker reads with
 * large synchronous reads (no stream overhead; it is its own thread). The worker is plain JS
 * evaluated from a string, so it runs the same from the sources, the bundle and the tests.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { sha256File } from './digest.js';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
parentPort.on('message', ({ id, file }) => {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
      size += n;
    }
    parentPort.postMessage({ id, sha256: hash.digest('hex'), size });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.code) || error) });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
});
`;

/** The outcome for one file: its digest and size, or the error that stopped the read. */
export type HashOutcome = { file: string; sha256: string; size: number } | { file: string; error: string };

/** Options of hashFiles. */
export interface HashFilesOptions {
  /** Workers (default: the machine's available parallelism). */
  jobs?: number;
  /** Hash on this thread (small sets: starting workers costs more than it saves). */
  inline?: boolean;
  /** Called as each file finishes (progress). */
  onDone?: (outcome: HashOutcome) => void;
}

/** Hash on this thread, one file after another. */
async function hashInline(files: string[], onDone?: (o: HashOutcome) => void): Promise<HashOutcome[]> {
  const out: HashOutcome[] = [];
  for (const file of files) {
    const outcome: HashOutcome = await sha256File(file).then(
      (r) => ({ file, ...r }),
      (e: NodeJS.ErrnoException) => ({ file, error: e.code ?? String(e) }),
    );
    onDone?.(outcome);
    out.push(outcome);
  }
  return out;
}

/** One worker taking files from a shared queue until it is empty. */
function drain(
  queue: { next: number; files: string[] },
  results: HashOutcome[],
  onDone?: (o: HashOutcome) => void,
) {
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const give = () => {
      if (queue.next >= queue.files.length) {
        void worker.terminate().then(() => resolve());
        return;
      }
      const id = queue.next++;
      worker.postMessage({ id, file: queue.files[id] });
    };
    worker.on('message', (m: { id: number; sha256?: string; size?: number; error?: string }) => {
      const file = queue.files[m.id] as string;
      const outcome: HashOutcome =
        m.error === undefined
          ? { file, sha256: m.sha256 as string, size: m.size as number }
          : { file, error: m.error };
      results[m.id] = outcome;
      onDone?.(outcome);
      give();
    });
    worker.on('error', reject);
    give();
  });
}

/** The sha256 and size of every file, in the input order; see the module comment. */
export async function hashFiles(files: string[], options: HashFilesOptions = {}): Promise<HashOutcome[]> {
  const jobs = Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), files.length));
  if (options.inline || jobs <= 1) return hashInline(files, options.onDone);
  const results: HashOutcome[] = new Array(files.length);
  const queue = { next: 0, files };
  await Promise.all(Array.from({ length: jobs }, () => drain(queue, results, options.onDone)));
  return results;
}
