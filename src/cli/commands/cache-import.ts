/** `openmedlab cache import <id> <checkpoint> <file>`: a hand-downloaded file into the cache, checked. */
import type { Command } from 'commander';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';
import { cacheGroup } from './cache-group.js';

/** Register `cache import`. */
export function registerCacheImport(program: Command, rt: Runtime): void {
  cacheGroup(program)
    .command('import')
    .description(
      'bring a file downloaded by hand (Baidu Pan, a landing page) into the cache, with the same checks as a download',
    )
    .argument('<id>', 'project id or alias')
    .argument('<checkpoint>', 'checkpoint name')
    .argument('<file>', 'the downloaded file')
    .option('--lock <file>', 'lockfile to verify against and keep current')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('openmedlab cache import stu-net base ~/Downloads/base_ep4k.model'))
    .action(
      async (id: string, checkpoint: string, file: string, flags: { lock?: string; json?: boolean }) => {
        const { cacheImport } = await import('../../api/cache-import.js');
        const result = await cacheImport({
          ctx: await rt.context(),
          id,
          checkpoint,
          file,
          ...(flags.lock ? { lockFile: flags.lock } : {}),
          events: rt.events,
        });
        if (flags.json) return rt.json(result);
        rt.info(`imported ${result.checkpoint} (sha256:${result.sha256}, verified: ${result.verifiedBy})`);
        rt.out(result.path);
      },
    );
}
