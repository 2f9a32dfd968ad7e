/**
 * The code of the two digest threads (fetch/digest-worker.ts), as plain JavaScript run with
 * `new Worker(code, { eval: true })`: a string survives every bundler and needs no path to a file
 * next to the bundle. Blocks travel main -> hasher -> writer -> main, each hop a transfer (no copy):
 * - the hasher hashes the prefix already on disk when a stream opens (the only time a partial is
 *   read), then every block, and passes it on;
 * - the writer writes each block at its position with writeSync and hands the buffer back.
 * Hashing and writing run on different cores: writing into the page cache costs 0.3 to 3 s per GiB
 * here (the VM has to fetch fresh memory from its host), hashing ~0.7 s, and in one thread they
 * add up. 1 GiB, settled machine, medians of 5 interleaved runs: hasher + writer 2.17 s; one
 * thread hashing then writing 2.35 s; one thread hashing with writes on the libuv thread pool
 * 2.48 s (the hand-offs cost more than the overlap gains); curl -o 1.91 s. Writes run one at a
 * time and in order, so the file on disk is always a prefix of the body, even after
 * kill -9 (two concurrent writes could leave a hole).
 *
 * Hasher in:  {op:'open', id, file, offset} | {op:'data', id, buf, len} | {op:'close', id}
 * Writer in:  the same, from the hasher, with `read` on open and `sha256` on close
 * Out (both): {op:'opened', id, read} | {op:'free', id, buf} | {op:'closed', id, sha256, size}
 *             | {op:'error', id, message, code}
 */
export const DIGEST_WORKER_SOURCE = `
'use strict';
// getBuiltinModule, not require: eval code is ESM when the parent runs with --input-type=module.
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const fs = process.getBuiltinModule('node:fs');
const { createHash } = process.getBuiltinModule('node:crypto');
const streams = new Map();
const { role, port } = workerData; // the hasher's port leads to the writer's

function fail(id, error) {
  const s = streams.get(id);
  if (s) s.failed = true;
  parentPort.postMessage({ op: 'error', id, message: String(error && error.message), code: error && error.code });
}

// The hasher: hashes the prefix on disk, then each block, and passes it on to the writer.
function hasher(m) {
  const s = streams.get(m.id);
  if (m.op === 'open') {
    const h = { hash: createHash('sha256'), failed: false };
    streams.set(m.id, h);
    let read = 0;
    if (m.offset > 0) {
      const fd = fs.openSync(m.file, 'r');
      try {
        const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
        while (read < m.offset) {
          const n = fs.readSync(fd, buf, 0, Math.min(buf.length, m.offset - read), read);
          if (n === 0) break;
          h.hash.update(buf.subarray(0, n));
          read += n;
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    port.postMessage({ op: 'open', id: m.id, file: m.file, offset: m.offset, read });
  } else if (m.op === 'data') {
    if (s && !s.failed) s.hash.update(new Uint8Array(m.buf, 0, m.len));
    port.postMessage(m, [m.buf]);
  } else if (m.op === 'close' && s) {
    streams.delete(m.id);
    port.postMessage({ op: 'close', id: m.id, sha256: s.failed ? '' : s.hash.digest('hex') });
  }
}

// The writer: writes each block at its position and hands the buffer back to the main thread.
function writer(m) {
  const s = streams.get(m.id);
  if (m.op === 'open') {
    const w = { fd: -1, position: m.offset, failed: false };
    streams.set(m.id, w);
    w.fd = fs.openSync(m.file, m.offset > 0 ? 'r+' : 'w');
    parentPort.postMessage({ op: 'opened', id: m.id, read: m.read });
  } else if (m.op === 'data') {
    if (s && !s.failed) {
      const view = new Uint8Array(m.buf, 0, m.len);
      let done = 0;
      while (done < view.length) done += fs.writeSync(s.fd, view, done, view.length - done, s.position + done);
      s.position += m.len;
    }
    parentPort.postMessage({ op: 'free', id: m.id, buf: m.buf }, [m.buf]);
  } else if (m.op === 'close' && s) {
    streams.delete(m.id);
    if (s.fd >= 0) fs.closeSync(s.fd);
    if (!s.failed && m.sha256) parentPort.postMessage({ op: 'closed', id: m.id, sha256: m.sha256, size: s.position });
  }
}

const handle = role === 'hasher' ? hasher : writer;
(role === 'hasher' ? parentPort : port).on('message', (m) => {
  try {
    handle(m);
  } catch (error) {
    fail(m.id, error);
  }
});
`;
