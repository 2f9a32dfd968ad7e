/** `openmedlab cache ls [id...]`: what the cache holds, per project. */
import type { Command } from 'commander';
import type { CacheLsResult } from '../../api/cache-ls.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';
import { cacheGroup, formatSize } from './cache-group.js';

/** Human text for a listing (pure). */
export function renderCacheLs(r: CacheLsResult): string {
  const lines: string[] = [];
  for (const p of r.projects) {
    lines.push(
      `${p.id}  ${formatSize(p.bytes)}  last used ${p.lastUsed ?? 'never'}${p.inRegistry ? '' : '  (not in the registry)'}`,
    );
    for (const c of p.checkpoints) {
      lines.push(
        `  ${c.name}  ${c.files.length} file${c.files.length === 1 ? '' : 's'}  ${formatSize(c.size)}  from ${c.source}  verified ${c.verified.at} (${c.verified.how})${c.complete ? '' : '  INCOMPLETE'}`,
      );
      for (const f of c.files)
        lines.push(
          `    ${f.relPath}  ${formatSize(f.size)}  sha256:${f.sha256}${f.present ? '' : '  (missing)'}`,
        );
    }
    for (const m of p.mirrors)
      lines.push(
        `  code ${m.url}  ${formatSize(m.bytes)}  pinned ${m.pinned.commit.slice(0, 12)} ${m.pinned.present ? 'present' : 'missing'}`,
      );
    if (p.code) lines.push(`  checkout ${p.code}`);
  }
  const t = r.totals;
  lines.push(
    `${t.projects} project${t.projects === 1 ? '' : 's'}, ${t.checkpoints} checkpoints, ${t.files} blobs ${formatSize(t.bytes)}, ${t.mirrors} mirrors ${formatSize(t.mirrorBytes)}  (${r.root})`,
  );
  return lines.join('\n');
}

/** Register `cache ls`. */
export function registerCacheLs(program: Command, rt: Runtime): void {
  cacheGroup(program)
    .command('ls')
    .description('list cached projects: checkpoints, sizes, sha256, code mirrors, last use, verification')
    .argument('[id...]', 'project ids or aliases (default: every cached project)')
    .option('--json', 'print the listing as JSON')
    .addHelpText('after', examples('openmedlab cache ls', 'openmedlab cache ls endo-fm --json'))
    .action(async (ids: string[], flags: { json?: boolean }) => {
      const { cacheLs } = await import('../../api/cache-ls.js');
      const result = await cacheLs({ ctx: await rt.context(), ids });
      if (flags.json) return rt.json(result);
      rt.out(renderCacheLs(result));
    });
}
