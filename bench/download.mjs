#!/usr/bin/env node
// Benchmark of the download engine (fetch/download.ts) and of the real `openmedlab get` against curl,
// sha256sum and aria2c, in one run, against nginx on 127.0.0.1 serving generated files from a temp
// dir. Single files go through the engine (bench/download-driver.mjs, tuned as the CLI entry tunes
// V8) and through `get`; the 8-file case through `get --jobs 4` only.
//
//   node bench/download.mjs [--quick] [--runs N] [--settle SECONDS]
//
// Every timed command starts after its predecessor's files are deleted, `sync` has run and the
// machine has settled for --settle seconds (default 10). The settling matters on VMs that report
// free memory to their host (virtio-balloon free page reporting, as on the machines this was
// written on): pages freed less than ~2 s before are reused cheaply, older ones must be faulted
// back in from the host, and writing 1 GiB into the page cache then costs 0.3 s or 3 s of kernel
// time depending only on how soon after the previous run a command starts. After a pause every
// command meets the same (slow) state; --settle 0 shows the unsettled spread.
//
// Needs nginx, curl, aria2c and GNU time; when one is missing it runs (as root)
//   apt-get update && apt-get install -y nginx-light curl aria2 time
// Everything (files, nginx config, logs, caches) lives in a temp dir under /tmp, removed at the end.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEsm, prepareCli } from './download-cli.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 1 : 3;
const settleArg = process.argv.indexOf('--settle');
const SETTLE_SECONDS = settleArg > 0 ? Number(process.argv[settleArg + 1]) : 10;
const MiB = 1024 * 1024;

function ensureTools() {
  const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (['nginx', 'curl', 'aria2c', 'sha256sum'].every(have) && fs.existsSync('/usr/bin/time')) return;
  console.error('installing nginx-light curl aria2 time with apt-get');
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', 'nginx-light', 'curl', 'aria2', 'time'], { stdio: 'inherit' });
}

function makeFile(file, bytes) {
  execFileSync('sh', ['-c', `head -c ${bytes} /dev/urandom > '${file}'`]);
}

async function startNginx(dir, www) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 2; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  log_format bench '$request_uri $status $bytes_sent';
  access_log ${dir}/access.log bench;
  client_body_temp_path ${dir}/tmp-body; proxy_temp_path ${dir}/tmp-proxy; fastcgi_temp_path ${dir}/tmp-fcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi; scgi_temp_path ${dir}/tmp-scgi;
  sendfile on; tcp_nopush on; types { } default_type application/octet-stream;
  server { listen 127.0.0.1:${port}; root ${www}; etag on; }
}
`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'inherit' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('curl', ['-sf', '-o', '/dev/null', `http://127.0.0.1:${port}/probe`]).status === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Run a shell command under GNU time; wall seconds and peak RSS in MB. */
function timed(command) {
  const r = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', command], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`failed: ${command}\n${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, rssMB: Number(rss[1]) / 1024, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label, commands, cleanup) {
  const results = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const names = Object.keys(commands);
  for (let run = 0; run < RUNS; run++) {
    // A different command goes first in each run, so none always meets the same machine state.
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + run) % names.length];
      cleanup();
      results[name].push(timed(commands[name]));
    }
  }
  cleanup();
  const out = {};
  for (const [name, list] of Object.entries(results)) {
    out[name] = { seconds: median(list.map((r) => r.seconds)), rssMB: Math.max(...list.map((r) => r.rssMB)) };
  }
  console.error(`${label}: ${JSON.stringify(out)}`);
  return out;
}

/** Bytes nginx sent for one URI, from the access log. */
function bytesSent(dir, uri) {
  const log = fs.existsSync(`${dir}/access.log`) ? fs.readFileSync(`${dir}/access.log`, 'utf8') : '';
  return log
    .split('\n')
    .filter((line) => line.startsWith(`/${uri} `))
    .reduce((sum, line) => sum + Number(line.split(' ')[2] ?? 0), 0);
}

async function interruptAt50(dir, base, node, file, bytes) {
  const cache = path.join(dir, 'cache-resume');
  fs.rmSync(cache, { recursive: true, force: true });
  const partial = path.join(cache, 'tmp-v1', 'bench-0.partial');
  const before = bytesSent(dir, file);
  const child = spawn('sh', ['-c', `exec ${node} ${base}/${file}`], { stdio: 'ignore' });
  for (;;) {
    const size = fs.existsSync(partial) ? fs.statSync(partial).size : 0;
    if (size >= bytes / 2) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const keptBytes = fs.statSync(partial).size;
  await new Promise((r) => setTimeout(r, 200)); // let nginx log the aborted request
  const first = bytesSent(dir, file) - before;
  const rerun = timed(`${node} ${base}/${file}`);
  const line = JSON.parse(rerun.stdout.trim().split('\n').at(-1));
  await new Promise((r) => setTimeout(r, 200));
  const second = bytesSent(dir, file) - before - first;
  fs.rmSync(cache, { recursive: true, force: true });
  return { keptBytes, first, second, resumedFrom: line.resumedFrom };
}

async function main() {
  ensureTools();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oml-bench-'));
  fs.chmodSync(dir, 0o755); // nginx workers run as an unprivileged user
  const www = path.join(dir, 'www');
  fs.mkdirSync(www, { mode: 0o755 });
  fs.writeFileSync(path.join(www, 'probe'), 'ok');
  const sizes = quick
    ? { small: 64 * MiB, big: 256 * MiB, part: 32 * MiB }
    : { small: 64 * MiB, big: 1024 * MiB, part: 128 * MiB };
  console.error(`generating files in ${www}`);
  makeFile(path.join(www, 'small.bin'), sizes.small);
  makeFile(path.join(www, 'big.bin'), sizes.big);
  for (let i = 0; i < 8; i++) makeFile(path.join(www, `part${i}.bin`), sizes.part);
  const bundle = path.join(dir, 'engine.mjs');
  bundleEsm(repo, 'bench/engine-entry.ts', bundle);
  const { child: nginx, base } = await startNginx(dir, www);
  const partNames = Array.from({ length: 8 }, (_, i) => `part${i}.bin`);
  const cli = prepareCli({
    repo,
    dir,
    base,
    projects: { 'bench-big': ['big.bin'], 'bench-parts': partNames },
  });
  const out = path.join(dir, 'out');
  const cache = path.join(dir, 'cache');
  const clean = () => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
    fs.mkdirSync(out);
    cli.clean();
    spawnSync('sync'); // every run starts with no dirty pages waiting for writeback
    if (SETTLE_SECONDS > 0) spawnSync('sleep', [String(SETTLE_SECONDS)]); // see the header
  };
  const driver = `${process.execPath} ${path.join(repo, 'bench/download-driver.mjs')} ${bundle}`;
  const rows = [];
  try {
    for (const [name, bytes] of [
      ['small.bin', sizes.small],
      ['big.bin', sizes.big],
    ]) {
      const r = measure(
        name,
        {
          curl: `curl -sf -o ${out}/f ${base}/${name}`,
          curlSha: `curl -sf -o ${out}/f ${base}/${name} && sha256sum ${out}/f >/dev/null`,
          ours: `${driver} ${cache} 1 ${base}/${name}`,
          ...(name === 'big.bin' ? { get: cli.get('bench-big', 1) } : {}),
        },
        clean,
      );
      const mb = (bytes / MiB).toFixed(0);
      rows.push([`${mb} MiB: engine / curl -o`, r.ours.seconds / r.curl.seconds, '<= 1.1']);
      rows.push([`${mb} MiB: engine / (curl -o + sha256sum)`, r.ours.seconds / r.curlSha.seconds, '< 0.7']);
      rows.push([`${mb} MiB: engine peak RSS (MB)`, r.ours.rssMB, '<= 100']);
      rows.push([`${mb} MiB: curl peak RSS (MB)`, r.curl.rssMB, '']);
      if (r.get) {
        rows.push([`${mb} MiB: openmedlab get (CLI) / curl -o`, r.get.seconds / r.curl.seconds, '']);
        rows.push([`${mb} MiB: openmedlab get (CLI) peak RSS (MB)`, r.get.rssMB, '']);
      }
      rows.push([
        `${mb} MiB: seconds engine / curl / curl+sha256sum`,
        `${r.ours.seconds.toFixed(2)} / ${r.curl.seconds.toFixed(2)} / ${r.curlSha.seconds.toFixed(2)}`,
        '',
      ]);
    }
    const parts = partNames.map((name) => `${base}/${name}`);
    fs.writeFileSync(path.join(dir, 'list.txt'), `${parts.join('\n')}\n`);
    const p = measure(
      '8 files, 4 at a time',
      {
        aria2: `aria2c -q -j4 -d ${out} -i ${dir}/list.txt`,
        ours: cli.get('bench-parts', 4),
      },
      clean,
    );
    rows.push([
      `8 x ${(sizes.part / MiB).toFixed(0)} MiB: get --jobs 4 / aria2c -j4`,
      p.ours.seconds / p.aria2.seconds,
      '<= 1.1',
    ]);
    rows.push([
      '  get --jobs 4 peak RSS / aria2c (MB)',
      `${p.ours.rssMB.toFixed(0)} / ${p.aria2.rssMB.toFixed(0)}`,
      '',
    ]);
    const cut = await interruptAt50(
      dir,
      base,
      `${driver} ${path.join(dir, 'cache-resume')} 1`,
      'big.bin',
      sizes.big,
    );
    rows.push(['kill -9 at 50%: partial kept / file', cut.keptBytes / sizes.big, '']);
    rows.push(['kill -9 at 50%: bytes sent by nginx on rerun / file', cut.second / sizes.big, '<= 0.55']);
    rows.push(['kill -9 at 50%: total sent / file', (cut.first + cut.second) / sizes.big, '']);
  } finally {
    nginx.kill('SIGTERM');
    await new Promise((r) => nginx.on('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (v) => (typeof v === 'number' ? v.toFixed(2) : v);
  console.log(
    `runs per measurement: ${RUNS} (median wall time, max RSS), ${SETTLE_SECONDS} s settle before each; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.availableParallelism()} cores`,
  );
  for (const [what, value, target] of rows)
    console.log(`${what.padEnd(58)} ${String(fmt(value)).padStart(22)}  ${target ? `target ${target}` : ''}`);
}

await main();
