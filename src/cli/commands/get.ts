/** `openmedlab get <id>`: checkpoints into the verified cache (and --dest), plus the code step. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CodeStep, GetResult } from '../../api/get-types.js';
import { OmlError } from '../../errors.js';
import { collect, examples, PROGRESS_HELP } from '../options.js';
import { formatBytes } from '../output/progress-format.js';
import type { Runtime } from '../runtime.js';

interface GetFlags {
  checkpoint?: string[];
  dest?: string;
  code: boolean;
  dryRun?: boolean;
  offline?: boolean;
  frozen?: boolean;
  jobs?: string;
  lock?: string;
  json?: boolean;
  progress?: string;
}

/** Parse --jobs (a positive integer); unset, the context's `jobs` (config file, OPENMEDLAB_JOBS, 4). */
export function parseJobs(value: string | undefined, fallback = 4): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new OmlError('E_USAGE', `--jobs must be an integer from 1 to 64, not "${value}"`);
  return n;
}

/** The code step from api/clone.ts, adapted to get's seam (loaded lazily: git is not always needed). */
function cloneStep(dest: string | undefined): CodeStep {
  return async ({ ctx, project, events }) => {
    const { codeStep } = await import('../../api/clone.js');
    const r = await codeStep({ ctx, project, events, ...(dest ? { dest } : {}) });
    return { dir: r.path };
  };
}

/** Human lines for a result (stderr), one per checkpoint. */
export function renderGet(result: GetResult): string {
  if (result.plan) {
    const plan = result.plan
      .map((p) => {
        const where = p.sources
          .map((s) => `${s.host}${s.kind === 'manual' ? ' (manual)' : ''} ${s.url}`)
          .join('\n    or ');
        return `${p.checkpoint}  ${p.filename ?? '(name from the server)'}  ${formatBytes(p.size)}  ${p.cached ? 'cached' : 'to fetch'}${p.pinnedBy ? `  pinned by ${p.pinnedBy}` : ''}\n    ${where}`;
      })
      .join('\n');
    const s = result.space; // the disk-space preflight (api/get-space.ts)
    if (!s) return plan;
    const unknown = s.unknown.length ? ` + unknown sizes (${s.unknown.join(', ')})` : '';
    return `${plan}\nto download: ${formatBytes(s.needed)}${unknown}; free in the cache: ${formatBytes(s.free)}`;
  }
  return result.checkpoints
    .map(
      (c) =>
        `${c.checkpoint}  ${c.path}  ${formatBytes(c.size)}  verified: ${c.verifiedBy}${c.source ? `  source: ${c.source.host}` : ''}${c.fromCache ? '  (cache)' : ''}`,
    )
    .join('\n');
}

/** Register `get`. */
export function registerGet(program: Command, rt: Runtime): void {
  program
    .command('get')
    .description("fetch a project's checkpoints into the verified cache (and its code at the pinned commit)")
    .argument('<id>', 'project id or alias')
    .option(
      '--checkpoint <name...>',
      'only these checkpoints (repeatable, comma-separated; default: all own checkpoints)',
      collect,
    )
    .option('--dest <dir>', 'also place the checkpoints in DIR by their registry filename')
    .option('--no-code', 'skip the code step (git clone at the pinned commit)')
    .option('--dry-run', 'show files, sizes, sources and cache hits; no network')
    .option('--offline', 'never open a connection; fail (exit 6) when something is not cached')
    .option(
      '--frozen',
      'CI: refuse files pinned neither by the registry nor by openmedlab.lock (exit 6); never rewrite it',
    )
    .option(
      '--jobs <n>',
      'files downloaded in parallel (default: `jobs` in the config, OPENMEDLAB_JOBS, else 4)',
    )
    .option(
      '--lock <file>',
      'lockfile to verify against and keep current (default: openmedlab.lock in . or a parent)',
    )
    .option('--json', 'print the result as JSON')
    .option('--progress <mode>', PROGRESS_HELP)
    .addHelpText(
      'after',
      examples(
        'openmedlab get endo-fm',
        'DIR=$(openmedlab get endo-fm -q --no-code)',
        'openmedlab get retfound --checkpoint cfp --dest ./weights',
        'openmedlab get stu-net --frozen --json',
      ),
    )
    .action(async (id: string, flags: GetFlags) => {
      const ctx = await rt.context(flags.offline ? { offline: true } : {});
      if (flags.lock && !existsSync(path.resolve(ctx.cwd, flags.lock))) {
        throw new OmlError('E_USAGE', `--lock ${flags.lock}: no such file`, {
          hint: `create it with \`openmedlab lock ${id} --lock ${flags.lock}\``,
        });
      }
      const { get } = await import('../../api/get.js');
      const { parseProgressMode, progressSink } = await import('../output/progress.js');
      const progress = progressSink(rt, { mode: parseProgressMode(flags.progress) });
      const result = await get({
        ctx,
        id,
        ...(flags.checkpoint ? { checkpoints: flags.checkpoint } : {}),
        ...(flags.dest ? { dest: flags.dest } : {}),
        dryRun: flags.dryRun === true,
        frozen: flags.frozen === true,
        jobs: parseJobs(flags.jobs, ctx.jobs),
        ...(flags.lock ? { lockFile: flags.lock } : {}),
        ...(flags.code && !flags.dryRun ? { codeStep: cloneStep(flags.dest) } : {}),
        events: progress,
      }).finally(() => progress.close());
      if (flags.json) return rt.json(result);
      const text = renderGet(result);
      if (result.plan) return rt.out(text);
      if (text) rt.info(text);
      if (result.lockFile) rt.info(`updated ${result.lockFile}`);
      rt.out(result.dir);
    });
}
