/** `openmedlab info <id>`: everything about one project. */
import type { Command } from 'commander';
import { info } from '../../api/info.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

/** Register `info`. */
export function registerInfo(program: Command, rt: Runtime): void {
  program
    .command('info')
    .description('show a project: licence, paper, repository and code commits, checkpoints and their sources')
    .argument('<id>', 'project id or alias (case-insensitive)')
    .option('--json', 'print the full project record as JSON')
    .addHelpText('after', examples('openmedlab info stu-net', 'openmedlab info RETFound_MAE --json'))
    .action(async (id: string, flags: { json?: boolean }) => {
      const result = await info({ ctx: await rt.context(), id });
      if (flags.json) rt.json(result);
      else {
        // Renderers (chalk, cli-table3) load only for human output.
        const { renderProjectInfo } = await import('../output/render.js');
        rt.out(renderProjectInfo(result, rt.color));
      }
    });
}
