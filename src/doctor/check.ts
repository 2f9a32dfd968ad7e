/** One doctor check's result, and the rule that turns a set of results into an exit status. */
import { ExitCode } from '../errors.js';

/** ok: fine; warn: works, with a caveat; fail: something will not work; skip: not run (offline). */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** What kind of problem a failure is, which decides the exit status. */
export type FailureKind = 'usage' | 'unavailable' | 'network';

/** One line of `openmedlab doctor`. */
export interface CheckResult {
  status: CheckStatus;
  /** Short name: node, git, git-lfs, cache, proxy, registry, config, host:<endpoint>. */
  check: string;
  /** One line saying what was found. */
  detail: string;
  /** Set on failures. */
  kind?: FailureKind;
}

const PRIORITY: readonly FailureKind[] = ['usage', 'unavailable', 'network'];
const EXIT: Record<FailureKind, number> = {
  usage: ExitCode.usage,
  unavailable: ExitCode.unavailable,
  network: ExitCode.network,
};

/**
 * The exit status of a doctor run: 0 when nothing failed (warnings do not count), else the code of
 * the most fundamental failure: config/registry/tools (2) before local resources (6) before the
 * network (4), since fixing the first often fixes the rest.
 */
export function doctorExitCode(results: readonly CheckResult[]): number {
  const kinds = new Set(results.filter((r) => r.status === 'fail').map((r) => r.kind ?? 'usage'));
  const worst = PRIORITY.find((kind) => kinds.has(kind));
  return worst === undefined ? ExitCode.ok : EXIT[worst];
}

/** Build a result (keeps the call sites one line each). */
export function result(status: CheckStatus, check: string, detail: string, kind?: FailureKind): CheckResult {
  return kind === undefined ? { status, check, detail } : { status, check, detail, kind };
}
