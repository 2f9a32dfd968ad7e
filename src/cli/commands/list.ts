/** `openmedlab list`: a filtered table (or JSON) of projects. */
import type { Command } from 'commander';
import { listProjects } from '../../api/list.js';
import type { ListFilter } from '../../registry/query.js';
import { collect, examples } from '../options.js';
import type { Runtime } from '../runtime.js';

type ListFlags = ListFilter & { json?: boolean };

/** Register `list`. */
export function registerList(program: Command, rt: Runtime): void {
  program
    .command('list')
    .alias('ls')
    .description('list projects; several values of one flag mean OR, different flags mean AND')
    .option(
      '--modality <m>',
      'ct, mri, xray, pathology, endoscopy, ultrasound, fundus, dermatology, microscopy, text, protein, multimodal',
      collect,
    )
    .option('--task <t>', 'e.g. segmentation, classification, detection', collect)
    .option('--kind <k>', 'model, dataset, benchmark, toolkit, list', collect)
    .option('--license <spdx>', 'SPDX id, e.g. Apache-2.0, CC-BY-NC-4.0, unknown', collect)
    .option('--host <h>', 'projects with checkpoints on this host, e.g. huggingface, google-drive', collect)
    .option('--has-weights', 'only projects that publish their own checkpoints')
    .option('--json', 'print a JSON array of project summaries')
    .addHelpText(
      'after',
      examples(
        'openmedlab list --modality ct',
        'openmedlab list --modality pathology,ultrasound --has-weights --json',
      ),
    )
    .action(async (flags: ListFlags) => {
      const { json, hasWeights, ...values } = flags;
      const rows = await listProjects({
        ctx: await rt.context(),
        filter: { ...values, hasWeights: hasWeights === true },
      });
      if (json) rt.json(rows);
      else {
        // Renderers (chalk, cli-table3) load only for human output.
        const { renderProjectTable } = await import('../output/render.js');
        rt.out(await renderProjectTable(rows, { width: rt.width, color: rt.color }));
      }
    });
}
