// Start-up benchmark: median wall time of `openmedlab list --json` against a bare `node -e ""`,
// measured in the same run, interleaved, so machine load affects both alike. Target: <= 1.5x.
// Usage: npm run build && node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 40);
const commands = {
  'node -e ""': [process.execPath, ['-e', '']],
  'openmedlab list --json': [process.execPath, [path.join(root, 'bin', 'openmedlab.js'), 'list', '--json']],
  'openmedlab info stu-net --json': [
    process.execPath,
    [path.join(root, 'bin', 'openmedlab.js'), 'info', 'stu-net', '--json'],
  ],
  'openmedlab list (table)': [process.execPath, [path.join(root, 'bin', 'openmedlab.js'), 'list']],
};

const env = { ...process.env, NO_COLOR: '1' };
const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let i = 0; i < runs + 3; i++) {
  for (const [name, [cmd, args]] of Object.entries(commands)) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
    if (i >= 3) times[name].push(ms); // first rounds warm the page cache
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times['node -e ""']);
console.log(`start-up, median of ${runs} interleaved runs (node ${process.version})`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`${name.padEnd(32)} ${m.toFixed(1).padStart(7)} ms   ${(m / base).toFixed(2)}x`);
}
const ratio = median(times['openmedlab list --json']) / base;
console.log(
  `list --json / node -e "": ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? 'OK' : 'OVER'}`,
);
