/** `openmedlab search`: ranked matches. */
import type { Command } from 'commander';
import { search } from '../../api/search.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

/** Register `search`. */
export function registerSearch(program: Command, rt: Runtime): void {
  program
    .command('search')
    .description('search projects by id, aliases, name, summary, tasks, modalities, organs and paper title')
    .argument('<words...>', 'every word must match')
    .option('--json', 'print a JSON array of ranked results')
    .addHelpText('after', examples('openmedlab search pathology', 'openmedlab search segmentation ct --json'))
    .action(async (words: string[], flags: { json?: boolean }) => {
      const hits = await search({ ctx: await rt.context(), words });
      if (flags.json) rt.json(hits);
      else {
        // Renderers (chalk, cli-table3) load only for human output.
        const { renderSearchTable } = await import('../output/render.js');
        rt.out(await renderSearchTable(hits, { width: rt.width, color: rt.color }));
      }
    });
}
