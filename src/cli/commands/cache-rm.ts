/** `openmedlab cache rm <id...>`: a project's cached files, its unshared blobs and mirror. */
import type { Command } from 'commander';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';
import { cacheGroup } from './cache-group.js';
import { renderRemoved } from './cache-prune.js';

/** Register `cache rm`. */
export function registerCacheRm(program: Command, rt: Runtime): void {
  cacheGroup(program)
    .command('rm')
    .description(
      'remove projects from the cache: records, view, code checkout, blobs and mirrors no other project uses',
    )
    .argument('<id...>', 'project ids or aliases')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      examples('openmedlab cache rm endo-fm', 'openmedlab cache rm stu-net retfound --dry-run'),
    )
    .action(async (ids: string[], flags: { dryRun?: boolean; json?: boolean }) => {
      const { cacheRm } = await import('../../api/cache-rm.js');
      const result = await cacheRm({ ctx: await rt.context(), ids, dryRun: flags.dryRun === true });
      if (flags.json) return rt.json(result);
      rt.out(renderRemoved(result.removed, result.dryRun, result.bytes));
    });
}
