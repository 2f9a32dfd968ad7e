/** `openmedlab cache prune`: unused projects, stale partials and locks, unreferenced blobs. */
import type { Command } from 'commander';
import type { RemovedItem } from '../../api/cache-remove.js';
import { collect, examples } from '../options.js';
import type { Runtime } from '../runtime.js';
import { cacheGroup, formatSize } from './cache-group.js';

/** Human lines for removed items (pure). */
export function renderRemoved(items: RemovedItem[], dryRun: boolean, bytes: number): string {
  const verb = dryRun ? 'would remove' : 'removed';
  const lines = items.map(
    (i) => `${verb} ${i.kind.padEnd(10)} ${formatSize(i.bytes).padStart(10)}  ${i.path}`,
  );
  lines.push(`${dryRun ? 'would free' : 'freed'} ${formatSize(bytes)} (${items.length} items)`);
  return lines.join('\n');
}

/** Register `cache prune`. */
export function registerCachePrune(program: Command, rt: Runtime): void {
  cacheGroup(program)
    .command('prune')
    .description(
      'remove projects not used within a window, stale partial downloads and locks, unreferenced blobs',
    )
    .option('--older-than <age>', 'window: 30d, 12h, 2w... (default 30d)', '30d')
    .option('--keep <id...>', 'never remove these projects (repeatable, comma-separated)', collect)
    .option('--dry-run', 'list what would be removed, with sizes; remove nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      examples('openmedlab cache prune --dry-run', 'openmedlab cache prune --older-than 7d --keep endo-fm'),
    )
    .action(async (flags: { olderThan: string; keep?: string[]; dryRun?: boolean; json?: boolean }) => {
      const { cachePrune, parseDuration } = await import('../../api/cache-prune.js');
      const result = await cachePrune({
        ctx: await rt.context(),
        olderThanMs: parseDuration(flags.olderThan),
        ...(flags.keep ? { keep: flags.keep } : {}),
        dryRun: flags.dryRun === true,
      });
      if (flags.json) return rt.json(result);
      if (result.busy.length) rt.warn(`skipped (a get is using them): ${result.busy.join(', ')}`);
      rt.out(renderRemoved(result.removed, result.dryRun, result.bytes));
    });
}
