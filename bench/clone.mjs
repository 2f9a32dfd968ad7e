#!/usr/bin/env node
// Benchmark of the code step (src/git/materialize.ts) against plain git, in one run, against
// `git daemon` on 127.0.0.1 serving a generated repository with ~50 MB of history.
//
//   node bench/clone.mjs [--runs N]
//
// Compares, at a pinned commit that is not the tip:
//   peer:  git clone --depth 1 + git fetch --depth 1 origin <sha> + git checkout --detach <sha>
//   lean:  git init + git fetch --depth 1 <url> <sha> + checkout (the least plain git can do, no cache)
//   ours:  the code step with a cold mirror cache (first get), and again from the warm mirror (second get).
// Needs only git (apt-get install -y git). Everything lives in a temp dir, removed at the end.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { noise } from './noise.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oml-bench-clone-'));
const home = path.join(tmp, 'home');
fs.mkdirSync(home);
fs.writeFileSync(
  path.join(home, '.gitconfig'),
  '[user]\n\tname = b\n\temail = b@b\n[init]\n\tdefaultBranch = main\n',
);
const env = {
  ...process.env,
  HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
};
const git = (cwd, ...args) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

/** 40 files of 256 KiB (10 MiB tree), then 20 commits each rewriting 8 of them: ~50 MiB of history. */
function makeRepository() {
  const work = path.join(tmp, 'work');
  fs.mkdirSync(work);
  git(work, 'init', '-q');
  const commits = [];
  for (let c = 0; c <= 20; c++) {
    const files = c === 0 ? [...Array(40).keys()] : [...Array(8).keys()].map((k) => (c * 8 + k) % 40);
    for (const f of files) {
      const file = path.join(work, `data/part-${String(f % 5)}/blob-${f}.bin`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, noise(256 * 1024, c * 1000 + f + 1));
    }
    fs.writeFileSync(path.join(work, 'README.md'), `commit ${c}\n`);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', `commit ${c}`);
    commits.push(git(work, 'rev-parse', 'HEAD'));
  }
  const serve = path.join(tmp, 'serve');
  fs.mkdirSync(serve);
  git(serve, 'clone', '-q', '--bare', work, 'repo.git');
  git(path.join(serve, 'repo.git'), 'gc', '-q');
  const size =
    Number(git(path.join(serve, 'repo.git'), 'count-objects', '-v').match(/size-pack: (\d+)/)[1]) * 1024;
  return { serve, commits, size };
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startDaemon(base) {
  const port = await freePort();
  const child = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${base}`,
      '--export-all',
      base,
    ],
    { env, stdio: 'ignore' },
  );
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url: `git://127.0.0.1:${port}/repo.git`, child };
}

async function bundle() {
  const outfile = path.join(tmp, 'materialize.mjs');
  await build({
    entryPoints: [path.join(repoRoot, 'src/git/materialize.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return import(outfile);
}

const time = async (fn) => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const { materializeRepo } = await bundle();
  const { serve, commits, size } = makeRepository();
  const pinned = commits[10]; // not the tip
  const daemon = await startDaemon(serve);
  const results = { peer: [], lean: [], first: [], warm: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      const dir = path.join(tmp, `run-${run}`);
      fs.mkdirSync(dir);
      results.peer.push(
        await time(async () => {
          const dest = path.join(dir, 'peer');
          git(dir, 'clone', '-q', '--depth', '1', daemon.url, dest);
          git(dest, 'fetch', '-q', '--depth', '1', 'origin', pinned);
          git(dest, 'checkout', '-q', '--detach', pinned);
        }),
      );
      results.lean.push(
        await time(async () => {
          const dest = path.join(dir, 'lean');
          git(dir, 'init', '-q', dest);
          git(dest, 'fetch', '-q', '--depth', '1', daemon.url, pinned);
          git(dest, 'checkout', '-q', '--detach', pinned);
        }),
      );
      const ctx = {
        env,
        githubToken: undefined,
        endpoints: { github: 'https://github.com' },
        offline: false,
        cacheDir: path.join(dir, 'cache'),
      };
      results.first.push(
        await time(() =>
          materializeRepo({ ctx, url: daemon.url, commit: pinned, dest: path.join(dir, 'ours') }),
        ),
      );
      results.warm.push(
        await time(() =>
          materializeRepo({ ctx, url: daemon.url, commit: pinned, dest: path.join(dir, 'ours-2') }),
        ),
      );
      const head = git(path.join(dir, 'ours-2'), 'rev-parse', 'HEAD');
      if (head !== pinned) throw new Error(`wrong HEAD ${head}`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    daemon.child.kill('SIGTERM');
  }
  const [peer, lean, first, warm] = ['peer', 'lean', 'first', 'warm'].map((k) => median(results[k]));
  console.log(
    `repository: ${(size / 2 ** 20).toFixed(1)} MiB packed history, 21 commits, pinned commit 11 of 21`,
  );
  console.log(`runs: ${RUNS} (medians)`);
  console.log(`peer  git clone --depth 1 + fetch --depth 1 <sha> + checkout: ${peer.toFixed(0)} ms`);
  console.log(`lean  git init + fetch --depth 1 <sha> + checkout (no mirror):  ${lean.toFixed(0)} ms`);
  console.log(`ours  code step, cold mirror:                               ${first.toFixed(0)} ms`);
  console.log(`ours  code step, warm mirror (second get):                  ${warm.toFixed(0)} ms`);
  console.log(`ratio ours(cold) / peer: ${(first / peer).toFixed(2)}x (target <= 1.2x)`);
  console.log(`ratio ours(cold) / lean: ${(first / lean).toFixed(2)}x (the cost of the mirror layer)`);
  console.log(`ratio ours(warm) / ours(cold): ${(warm / first).toFixed(2)}x`);
}

try {
  await main();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
