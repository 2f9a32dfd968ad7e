/**
 * The code of the digest worker (fetch/digest-worker.ts), as plain JavaScript run with
 * `new Worker(code, { eval: true })`: a string survives every bundler and needs no path to a file
 * next to the bundle. Per stream it opens the partial file, hashes the prefix already on disk, then
 * for each block: hashes it, writes it at its position with writeSync and hands the buffer back.
 * Writes run one at a time and in order, so the file on disk is always a prefix of the body, even
 * after kill -9 (two concurrent writes could leave a hole). Synchronous writes from this thread, not
 * the thread pool: on 2 cores the hand-offs to a pool thread (and its wake-ups) cost more than the
 * overlap of hash and write saved (1 GiB: 2.91 -> 2.23 s, 4.11 -> 3.33 s CPU).
 *
 * Messages in:  {op:'open', id, file, offset} | {op:'data', id, buf, len} | {op:'close', id}
 * Messages out: {op:'opened', id, read} | {op:'free', id, buf} | {op:'closed', id, sha256, size}
 *               | {op:'error', id, message, code}
 */
export const DIGEST_WORKER_SOURCE = `
'use strict';
// getBuiltinModule, not require: eval code is ESM when the parent runs with --input-type=module.
const { parentPort } = process.getBuiltinModule('node:worker_threads');
const fs = process.getBuiltinModule('node:fs');
const { createHash } = process.getBuiltinModule('node:crypto');
const streams = new Map();

function fail(id, error) {
  const s = streams.get(id);
  if (s) s.failed = true;
  parentPort.postMessage({ op: 'error', id, message: String(error && error.message), code: error && error.code });
}

function open(m) {
  const s = { fd: -1, hash: createHash('sha256'), position: m.offset, failed: false };
  streams.set(m.id, s);
  s.fd = fs.openSync(m.file, m.offset > 0 ? 'r+' : 'w');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  let read = 0;
  while (read < m.offset) {
    const n = fs.readSync(s.fd, buf, 0, Math.min(buf.length, m.offset - read), read);
    if (n === 0) break;
    s.hash.update(buf.subarray(0, n));
    read += n;
  }
  parentPort.postMessage({ op: 'opened', id: m.id, read });
}

function data(s, m) {
  const view = new Uint8Array(m.buf, 0, m.len);
  let done = 0;
  s.hash.update(view); // first: hashing pulls the block into this core's cache for the write's copy
  while (done < view.length) done += fs.writeSync(s.fd, view, done, view.length - done, s.position + done);
  s.position += m.len;
  parentPort.postMessage({ op: 'free', id: m.id, buf: m.buf }, [m.buf]);
}

function close(m, s) {
  streams.delete(m.id);
  if (s.fd >= 0) fs.closeSync(s.fd);
  if (!s.failed) parentPort.postMessage({ op: 'closed', id: m.id, sha256: s.hash.digest('hex'), size: s.position });
}

parentPort.on('message', (m) => {
  const s = streams.get(m.id);
  try {
    if (m.op === 'open') open(m);
    else if (m.op === 'data' && s && !s.failed) data(s, m);
    else if (m.op === 'data') parentPort.postMessage({ op: 'free', id: m.id, buf: m.buf }, [m.buf]);
    else if (m.op === 'close' && s) close(m, s);
  } catch (error) {
    fail(m.id, error);
  }
});
`;
