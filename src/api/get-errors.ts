/**
 * The error `get` reports when every source of a checkpoint failed: an integrity failure first
 * (never hidden behind a fallback), then manual instructions (URL, extraction code and the exact
 * `openmedlab cache import` command), then auth, host, HTTP and network failures in that order.
 */
import { isOmlError, OmlError } from '../errors.js';
import type { Artifact } from '../registry/types.js';

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
