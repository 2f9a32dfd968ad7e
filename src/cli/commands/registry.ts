/** `openmedlab registry validate|info`. */
import type { Command } from 'commander';
import { registryInfo, validateRegistryFile } from '../../api/registry.js';
import { OmlError } from '../../errors.js';
import { formatProblem } from '../../registry/problem.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

/** Register `registry` and its subcommands. */
export function registerRegistry(program: Command, rt: Runtime): void {
  const registry = program.command('registry').description('check and describe the registry');
  registry
    .command('validate')
    .description('validate a registry file; every problem printed as file:line:col: path: message')
    .argument('[file]', 'registry YAML (default: the one in use)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      examples('openmedlab registry validate', 'openmedlab registry validate my-registry.yaml'),
    )
    .action(async (file: string | undefined, flags: { json?: boolean }) => {
      const report = await validateRegistryFile({ ctx: await rt.context(), file });
      if (flags.json) rt.json(report);
      else if (report.valid)
        rt.out(`${report.file}: valid (${report.projects} projects, data version ${report.version})`);
      for (const w of report.warnings) rt.warn(formatProblem(w));
      if (!report.valid) {
        if (!flags.json) for (const e of report.errors) rt.io.stderr.write(`${formatProblem(e)}\n`);
        throw new OmlError('E_REGISTRY', `${report.file}: ${report.errors.length} problem(s)`, {
          hint: 'fix the lines above; the format is described in docs/registry-format.md',
        });
      }
    });
  registry
    .command('info')
    .description('format version, data version, where the registry was read from, counts')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      examples('openmedlab registry info', 'OPENMEDLAB_REGISTRY=./r.yaml openmedlab registry info --json'),
    )
    .action(async (flags: { json?: boolean }) => {
      const result = await registryInfo({ ctx: await rt.context() });
      if (flags.json) rt.json(result);
      else {
        // Renderers (chalk, cli-table3) load only for human output.
        const { renderRegistryInfo } = await import('../output/render.js');
        rt.out(renderRegistryInfo(result));
      }
    });
}
