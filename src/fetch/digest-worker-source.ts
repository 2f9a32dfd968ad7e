/**
 * The code of the digest worker (fetch/digest-worker.ts), as plain JavaScript run with
 * `new Worker(code, { eval: true })`: a string survives every bundler and needs no path to a file
 * next to the bundle. Per stream it opens the partial file, hashes the prefix already on disk, then
 * for each block: hashes it here while the thread pool writes it at its position, and hands the
 * buffer back once both are done. Writes run one at a time and in order, so the file on disk is
 * always a prefix of the body, even after kill -9 (two concurrent writes could leave a hole).
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
  const s = { fd: -1, hash: createHash('sha256'), position: m.offset, failed: false, writes: [], closing: false };
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
  const block = { view: new Uint8Array(m.buf, 0, m.len), position: s.position, done: 0, pending: 2, m };
  s.position += m.len;
  s.writes.push(block);
  if (s.writes.length === 1) writeNext(s);
  s.hash.update(block.view);
  release(block);
}

// Writes run on the thread pool while this thread hashes, one at a time and in order.
function writeNext(s) {
  const b = s.writes[0];
  fs.write(s.fd, b.view, b.done, b.view.length - b.done, b.position + b.done, (error, n) => {
    if (error) {
      s.writes.length = 0;
      fail(b.m.id, error);
      release(b);
      return;
    }
    b.done += n;
    if (b.done < b.view.length) return writeNext(s);
    s.writes.shift();
    release(b);
    if (s.writes.length > 0) writeNext(s);
    else if (s.closing) close(b.m, s);
  });
}

function release(b) {
  if (--b.pending === 0) parentPort.postMessage({ op: 'free', id: b.m.id, buf: b.m.buf }, [b.m.buf]);
}

function close(m, s) {
  s.closing = true;
  if (s.writes.length > 0 && !s.failed) return;
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
