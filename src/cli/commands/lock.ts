/** `openmedlab lock <id...>`: pin the projects' checkpoints (sha256, size, source) in openmedlab.lock. */
import type { Command } from 'commander';
import { collect, examples, PROGRESS_HELP } from '../options.js';
import type { Runtime } from '../runtime.js';
import { parseJobs } from './get.js';

/** Register `lock`. */
export function registerLock(program: Command, rt: Runtime): void {
  program
    .command('lock')
    .description(
      "fetch (or find in the cache) the projects' checkpoints and pin them in openmedlab.lock (commit it)",
    )
    .argument('<id...>', 'project ids or aliases')
    .option('--checkpoint <name...>', 'only these checkpoints (repeatable, comma-separated)', collect)
    .option(
      '--lock <file>',
      'lockfile to write (default: the nearest openmedlab.lock, else ./openmedlab.lock)',
    )
    .option(
      '--jobs <n>',
      'files downloaded in parallel (default: `jobs` in the config, OPENMEDLAB_JOBS, else 4)',
    )
    .option('--json', 'print what was pinned as JSON')
    .option('--progress <mode>', PROGRESS_HELP)
    .addHelpText(
      'after',
      examples(
        'openmedlab lock endo-fm stu-net',
        'openmedlab get endo-fm --frozen   # in CI, after committing openmedlab.lock',
      ),
    )
    .action(
      async (
        ids: string[],
        flags: {
          checkpoint?: string[];
          lock?: string;
          jobs?: string;
          json?: boolean;
          progress?: string;
        },
      ) => {
        const { lock } = await import('../../api/lock.js');
        const { parseProgressMode, progressSink } = await import('../output/progress.js');
        const progress = progressSink(rt, { mode: parseProgressMode(flags.progress) });
        const ctx = await rt.context();
        const result = await lock({
          ctx,
          ids,
          ...(flags.checkpoint ? { checkpoints: flags.checkpoint } : {}),
          ...(flags.lock ? { lockFile: flags.lock } : {}),
          jobs: parseJobs(flags.jobs, ctx.jobs),
          events: progress,
        }).finally(() => progress.close());
        if (flags.json) return rt.json(result);
        rt.info(
          `${result.created ? 'created' : 'updated'} ${result.file} (${result.entries.length} files pinned)`,
        );
        rt.out(result.file);
      },
    );
}
