/** `openmedlab cache path [id]`: the cache root, or a project's folder in it (for scripts). */
import type { Command } from 'commander';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';
import { cacheGroup } from './cache-group.js';

/** Register `cache path`. */
export function registerCachePath(program: Command, rt: Runtime): void {
  cacheGroup(program)
    .command('path')
    .description("print the cache root, or a project's folder in the cache")
    .argument('[id]', 'project id or alias')
    .addHelpText(
      'after',
      examples('openmedlab cache path', 'ls "$(openmedlab cache path endo-fm)/checkpoints"'),
    )
    .action(async (id: string | undefined) => {
      const { cachePath } = await import('../../api/cache-path.js');
      rt.out(await cachePath({ ctx: await rt.context(), ...(id ? { id } : {}) }));
    });
}
