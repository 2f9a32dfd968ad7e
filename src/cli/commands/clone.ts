/** `openmedlab clone <id> [DIR]`: a project's code at its pinned commit, through the local mirror cache. */
import type { Command } from 'commander';
import type { CloneResult, CloneWhich } from '../../api/clone.js';
import { OmlError } from '../../errors.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

interface CloneFlags {
  which?: string;
  ref?: string;
  json?: boolean;
  progress?: string;
}

/** Parse --which. */
export function parseWhich(value: string | undefined): CloneWhich {
  if (value === undefined || value === 'code' || value === 'repo') return value ?? 'code';
  throw new OmlError('E_USAGE', `--which must be code or repo, not "${value}"`);
}

/** One human line (stderr) for a clone result. */
export function renderClone(r: CloneResult): string {
  const source = r.reused
    ? 'already there'
    : r.fromMirror
      ? 'from the local mirror'
      : `fetched (${r.strategy})`;
  const lines = [`${r.project}: ${r.fetchUrl} at ${r.commit} -> ${r.path} (${source})`];
  if (r.subfolder) lines.push(`  project folder: ${r.subfolder} (sparse checkout)`);
  for (const s of r.submodules) lines.push(`  submodule ${s.path} at ${s.commit}`);
  return lines.join('\n');
}

/** Register `clone`. */
export function registerClone(program: Command, rt: Runtime): void {
  program
    .command('clone')
    .description(
      "check out a project's code at the registry's pinned commit (HEAD verified), via a local mirror",
    )
    .argument('<id>', 'project id or alias')
    .argument(
      '[dir]',
      'destination folder (default: ./<id>); must be absent, empty, or this checkout already',
    )
    .option(
      '--which <code|repo>',
      'code: the code repository (default; the openmedlab repo when none); repo: the openmedlab repo',
    )
    .option(
      '--ref <commit|branch|tag>',
      "check out this commit (40 hex) or branch/tag instead of the registry's pin",
    )
    .option('--json', 'print the result as JSON')
    .option('--progress <mode>', 'auto, plain, json (NDJSON events on stderr) or none')
    .addHelpText(
      'after',
      examples(
        'openmedlab clone endo-fm',
        'openmedlab clone axon-seg ./axon      # only the "Axon Segmentation" folder (sparse, partial clone)',
        'openmedlab clone stu-net --which repo --json',
        'OPENMEDLAB_GITHUB_ENDPOINT=https://git.example.org openmedlab clone stu-net',
      ),
    )
    .action(async (id: string, dir: string | undefined, flags: CloneFlags) => {
      const which = parseWhich(flags.which);
      const { clone } = await import('../../api/clone.js');
      const { parseProgressMode, progressSink } = await import('../output/progress.js');
      const progress = progressSink(rt, { mode: parseProgressMode(flags.progress) });
      const result = await clone({
        ctx: await rt.context(),
        projectId: id,
        which,
        events: progress,
        ...(dir === undefined ? {} : { dest: dir }),
        ...(flags.ref === undefined ? {} : { ref: flags.ref }),
      }).finally(() => progress.close());
      if (flags.json) rt.json(result);
      else {
        rt.info(renderClone(result));
        rt.out(result.codePath);
      }
    });
}
