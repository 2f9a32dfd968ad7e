/** `openmedlab cache du`: disk usage by area and by project (hardlinks counted once). */
import type { Command } from 'commander';
import type { CacheDuResult } from '../../api/cache-du.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';
import { cacheGroup, formatSize } from './cache-group.js';

const LABELS: Record<keyof CacheDuResult['areas'], string> = {
  content: 'blobs (content-v1)',
  git: 'git mirrors (git-v1)',
  quarantine: 'quarantine (quarantine-v1)',
  partial: 'partial downloads (tmp-v1)',
  index: 'index records (index-v1)',
  locks: 'locks (locks-v1)',
  projects: 'project views, own bytes (projects-v1)',
  other: 'other',
};

/** Human text for disk usage (pure). */
export function renderCacheDu(r: CacheDuResult): string {
  const rows = (Object.keys(LABELS) as Array<keyof CacheDuResult['areas']>).map(
    (k) => `${formatSize(r.areas[k].bytes).padStart(10)}  ${LABELS[k]}`,
  );
  rows.push(`${formatSize(r.total.bytes).padStart(10)}  total  (${r.root})`);
  if (r.projects.length) rows.push('', 'per project (view size; own = not shared with blobs or mirrors):');
  for (const p of r.projects)
    rows.push(`${formatSize(p.bytes).padStart(10)}  ${p.id}  (own ${formatSize(p.own)})`);
  return rows.join('\n');
}

/** Register `cache du`. */
export function registerCacheDu(program: Command, rt: Runtime): void {
  cacheGroup(program)
    .command('du')
    .description('disk usage of the cache by area and by project (hardlinked files counted once)')
    .option('--json', 'print the usage as JSON')
    .addHelpText('after', examples('openmedlab cache du', 'openmedlab cache du --json'))
    .action(async (flags: { json?: boolean }) => {
      const { cacheDu } = await import('../../api/cache-du.js');
      const result = await cacheDu({ ctx: await rt.context() });
      if (flags.json) return rt.json(result);
      rt.out(renderCacheDu(result));
    });
}
