/**
 * The error `get` reports when every source of a checkpoint failed: an integrity failure first
 * (never hidden behind a fallback), then manual instructions (URL, extraction code and the exact
 * `openmedlab cache import` command), then auth, host, HTTP and network failures in that order.
 * Across checkpoints, settleAll picks the failure to report and merges every manual one.
 */
import { isOmlError, OmlError } from '../errors.js';
import type { Artifact } from '../registry/types.js';
import type { CheckpointResult } from './get-types.js';

/** A manual source left for a person. */
export interface ManualStep {
  host: string;
  url: string;
  code?: string;
  reason: string;
}

const RANK = ['E_INTEGRITY', 'E_HOST', 'E_HTTP', 'E_NETWORK'];

/** The error to report when every source failed (see the module comment). */
export function bestError(
  project: string,
  artifact: Artifact,
  failures: Array<{ host: string; error: unknown }>,
  manual: ManualStep[],
): unknown {
  const integrity = failures.find((f) => isOmlError(f.error) && f.error.code === 'E_INTEGRITY');
  if (integrity) return integrity.error;
  if (manual.length > 0) return manualError(project, artifact, manual, failures);
  const auth = failures.find(
    (f) => isOmlError(f.error) && f.error.code === 'E_HTTP' && /40[13]/.test(f.error.message),
  );
  const ranked = [...failures].sort((a, b) => rankOf(a.error) - rankOf(b.error));
  const best = (auth ?? ranked[0])?.error;
  if (failures.length <= 1 || !isOmlError(best))
    return best ?? new OmlError('E_INTERNAL', `${artifact.name} has no sources`);
  const lines = failures.map(
    (f) => `  ${f.host}: ${f.error instanceof Error ? f.error.message : String(f.error)}`,
  );
  return new OmlError(best.code, `every source of ${project} ${artifact.name} failed:\n${lines.join('\n')}`, {
    ...(best.hint ? { hint: best.hint } : {}),
    cause: best,
    details: {
      ...best.details,
      failures: failures.map((f) => ({ host: f.host, message: (f.error as Error).message })),
    },
  });
}

/** Rank of an error for reporting (lower is more informative). */
function rankOf(error: unknown): number {
  const i = isOmlError(error) ? RANK.indexOf(error.code) : -1;
  return i < 0 ? RANK.length : i;
}

/** E_MANUAL: where to download by hand, the extraction code, and the exact import command. */
function manualError(
  project: string,
  artifact: Artifact,
  manual: ManualStep[],
  failures: Array<{ host: string; error: unknown }>,
): OmlError {
  const file = artifact.filename ?? '<downloaded-file>';
  const command = `openmedlab cache import ${project} ${artifact.name} ${file}`;
  const where = manual.map(
    (m) => `  ${m.host}: ${m.url}${m.code ? `  (extraction code: ${m.code})` : ''}\n    ${m.reason}`,
  );
  const tried = failures.map((f) => `  ${f.host} failed: ${(f.error as Error).message}`);
  return new OmlError(
    'E_MANUAL',
    [
      `${project} ${artifact.name} must be downloaded by hand:`,
      ...where,
      ...(tried.length ? ['automatic sources:', ...tried] : []),
      'then run:',
      `  ${command}`,
    ].join('\n'),
    { hint: command, details: { manual, command } },
  );
}

/**
 * Wait for every checkpoint (no download is cut off half-way), then report: an interruption first,
 * then an integrity failure, then any other failure; checkpoints that need a person come last and
 * are merged into one E_MANUAL listing every download to make by hand.
 */
export async function settleAll(
  tasks: Array<Promise<CheckpointResult>>,
): Promise<{ done: CheckpointResult[]; error?: unknown }> {
  const settled = await Promise.allSettled(tasks);
  const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (errors.length === 0) return { done };
  const code = (e: unknown) => (isOmlError(e) ? e.code : 'E_INTERNAL');
  const first = (c: string) => errors.find((e) => code(e) === c);
  const other = errors.find((e) => code(e) !== 'E_MANUAL');
  const urgent = first('E_INTERRUPTED') ?? first('E_INTEGRITY') ?? other;
  if (urgent !== undefined) return { done, error: urgent };
  const manual = errors as OmlError[];
  if (manual.length === 1) return { done, error: manual[0] };
  const names = done.map((c) => c.checkpoint);
  const error = new OmlError(
    'E_MANUAL',
    `${manual.map((e) => e.message).join('\n\n')}${names.length ? `\n\nfetched: ${names.join(', ')}` : ''}`,
    {
      hint: manual.map((e) => e.hint).join('; '),
      details: { manual: manual.map((e) => e.details), fetched: names },
    },
  );
  return { done, error };
}
