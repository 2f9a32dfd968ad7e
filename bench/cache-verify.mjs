#!/usr/bin/env node
/**
 * `cache verify` throughput vs `sha256sum` and `openssl dgst -sha256` on the same blobs, in one run.
 * Setup (Debian): apt-get update && apt-get install -y coreutils openssl
 * Usage: node bench/cache-verify.mjs [--files 8] [--mib 128] [--runs 5]
 *
 * Writes FILES blobs of MIB MiB into a temp cache (content-v1 layout), then times, interleaved and
 * with the page cache warm for all three: a child `node` running cacheVerify (worker threads, default
 * jobs = CPUs), `sha256sum` on the files and `openssl dgst -sha256` on the files. Prints medians and
 * throughput ratios. Everything lives in a temp dir, removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { noise } from './noise.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FILES = arg('files', 8);
const MIB = arg('mib', 128);
const RUNS = arg('runs', 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oml-bench-verify-'));

/** The blobs, named by their sha256 in the cache layout. */
function makeCache(root) {
  const files = [];
  for (let i = 0; i < FILES; i++) {
    const data = noise(MIB * 1024 * 1024, i + 1);
    const sha = createHash('sha256').update(data).digest('hex');
    const dir = path.join(root, 'content-v1', 'sha256', sha.slice(0, 2), sha.slice(2, 4));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, sha), data);
    files.push(path.join(dir, sha));
  }
  return files;
}

/** A bundle that runs cacheVerify on a cache dir and fails unless every blob is ok. */
async function bundle() {
  const out = path.join(tmp, 'verify.mjs');
  await build({
    stdin: {
      contents: `
        import { cacheVerify } from './src/api/cache-verify.ts';
        import { createContext } from './src/context.ts';
        const ctx = createContext({ cacheDir: process.argv[2], dataDir: process.argv[2] + '-data', cwd: process.cwd() }, {});
        const jobs = process.argv[3] ? { jobs: Number(process.argv[3]) } : {};
        const r = await cacheVerify({ ctx, ...jobs });
        if (r.ok !== r.checked || r.corrupt.length) { console.error(JSON.stringify(r)); process.exit(3); }`,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return out;
}

/** Wall time of a command in seconds; throws when it fails. */
function time(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return s;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  for (const tool of ['sha256sum', 'openssl']) execFileSync('which', [tool], { stdio: 'ignore' });
  const root = path.join(tmp, 'cache');
  const files = makeCache(root);
  const script = await bundle();
  const peers = {
    'openmedlab cache verify': () => time(process.execPath, [script, root]),
    'openmedlab cache verify --jobs 1': () => time(process.execPath, [script, root, '1']),
    sha256sum: () => time('sha256sum', files),
    'openssl dgst -sha256': () => time('openssl', ['dgst', '-sha256', ...files]),
  };
  const times = Object.fromEntries(Object.keys(peers).map((k) => [k, []]));
  for (const f of files) fs.readFileSync(f);
  for (let i = 0; i < RUNS; i++) for (const [name, fn] of Object.entries(peers)) times[name].push(fn());
  const bytes = FILES * MIB * 1024 * 1024;
  console.log(
    `${FILES} x ${MIB} MiB blobs, ${RUNS} interleaved runs, ${os.availableParallelism()} CPUs, warm page cache`,
  );
  const med = {};
  for (const [name, xs] of Object.entries(times)) {
    med[name] = median(xs);
    console.log(
      `${name.padEnd(34)} median ${med[name].toFixed(3)} s  ${(bytes / med[name] / 1e6).toFixed(0)} MB/s`,
    );
  }
  const ours = med['openmedlab cache verify'];
  console.log(`throughput vs sha256sum: ${(med.sha256sum / ours).toFixed(2)}x (target >= 3x)`);
  console.log(
    `throughput vs openssl:   ${(med['openssl dgst -sha256'] / ours).toFixed(2)}x (target >= 0.9x)`,
  );
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
