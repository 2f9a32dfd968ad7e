/** `openmedlab cache verify [id...]`: re-hash the cache; corrupt blobs are quarantined and the exit status is 3. */
import type { Command } from 'commander';
import type { CacheVerifyResult } from '../../api/cache-verify.js';
import { OmlError } from '../../errors.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';
import { cacheGroup, formatSize } from './cache-group.js';
import { parseJobs } from './get.js';

/** Human summary of a verification (pure). */
export function renderCacheVerify(r: CacheVerifyResult): string {
  const rate = r.seconds > 0 ? `, ${formatSize(r.bytes / r.seconds)}/s` : '';
  const lines = [
    `checked ${r.checked} blobs (${formatSize(r.bytes)}) in ${r.seconds.toFixed(2)} s${rate}: ${r.ok} ok, ${r.corrupt.length} corrupt, ${r.missing.length} missing`,
  ];
  for (const c of r.corrupt) {
    const found = 'sha256' in c.found ? `sha256:${c.found.sha256}, ${c.found.size} bytes` : c.found.error;
    lines.push(
      `corrupt sha256:${c.sha256}`,
      `  Wanted: sha256:${c.sha256}${c.expectedSize === undefined ? '' : `, ${c.expectedSize} bytes`}`,
      `  Found:  ${found}`,
    );
    lines.push(
      `  quarantined: ${c.quarantined ?? '(already gone)'}; forgotten by: ${c.usedBy.join(', ') || '(no record)'}`,
    );
  }
  for (const m of r.missing)
    lines.push(`missing sha256:${m.sha256} (${m.usedBy.join(', ')}): the next get downloads it`);
  for (const m of r.mirrors ?? [])
    lines.push(`git ${m.ok ? 'ok  ' : 'FAIL'} ${m.path}${m.message ? `: ${m.message}` : ''}`);
  return lines.join('\n');
}

/** Register `cache verify`. */
export function registerCacheVerify(program: Command, rt: Runtime): void {
  cacheGroup(program)
    .command('verify')
    .description('re-hash cached blobs in parallel; corrupt ones are quarantined and forgotten (exit 3)')
    .argument('[id...]', "only these projects' blobs (default: every blob)")
    .option('--jobs <n>', 'files hashed in parallel (default: the number of CPUs)')
    .option('--git', 'also run `git fsck --connectivity-only` on each code mirror')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      examples('openmedlab cache verify', 'openmedlab cache verify endo-fm --json || echo "re-run get"'),
    )
    .action(async (ids: string[], flags: { jobs?: string; git?: boolean; json?: boolean }) => {
      const { cacheVerify } = await import('../../api/cache-verify.js');
      const result = await cacheVerify({
        ctx: await rt.context(),
        ids,
        ...(flags.jobs === undefined ? {} : { jobs: parseJobs(flags.jobs) }),
        git: flags.git === true,
        ...(flags.json ? {} : { events: rt.events }), // with --json stderr carries only the error object
      });
      if (flags.json) rt.json(result);
      else rt.info(renderCacheVerify(result));
      const badMirrors = (result.mirrors ?? []).filter((m) => !m.ok);
      if (result.corrupt.length === 0 && badMirrors.length === 0) return;
      const users = [...new Set(result.corrupt.flatMap((c) => c.usedBy.map((u) => u.split('/')[0])))];
      throw new OmlError(
        'E_INTEGRITY',
        `${result.corrupt.length} corrupt blob(s) quarantined${badMirrors.length ? `, ${badMirrors.length} broken mirror(s)` : ''}`,
        {
          hint: users.length
            ? `run \`openmedlab get ${users.join(' ')}\` to download them again`
            : 'run `openmedlab cache rm <id>` for a broken mirror, then get it again',
          details: { corrupt: result.corrupt.map((c) => c.sha256), mirrors: badMirrors.map((m) => m.path) },
        },
      );
    });
}
