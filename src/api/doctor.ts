/** `openmedlab doctor`: check this machine, the settings, the registry and each host; never throws for a failed check. */
import type { Context } from '../context.js';
import { type CheckResult, doctorExitCode } from '../doctor/check.js';
import {
  type ConfigStatus,
  checkCache,
  checkConfig,
  checkGit,
  checkNode,
  checkProxy,
  checkRegistry,
} from '../doctor/local.js';

export type { CheckResult, CheckStatus } from '../doctor/check.js';
export type { ConfigStatus } from '../doctor/local.js';

export interface DoctorOptions {
  ctx: Context;
  /** What reading the config file found (the CLI reads it; an invalid file is a failed check here). */
  config: ConfigStatus;
  /** Per-host timeout in ms (default 5 s). */
  timeoutMs?: number;
  /** Node version to judge (default: this process's). */
  nodeVersion?: string;
}

/** The doctor's report: every check, and the exit status the rule in doctor/check.ts gives. */
export interface DoctorReport {
  ok: boolean;
  exitCode: number;
  checks: CheckResult[];
}

/** Run every check; network checks are skipped when ctx.offline. */
export async function doctor(options: DoctorOptions): Promise<DoctorReport> {
  const { ctx } = options;
  const proxy = checkProxy(ctx);
  const [git, cache, registry, hosts] = await Promise.all([
    checkGit(ctx),
    checkCache(ctx.cacheDir),
    checkRegistry(ctx),
    networkChecks(ctx, proxy, options.timeoutMs),
  ]);
  const checks = [
    checkNode(options.nodeVersion ?? process.versions.node),
    ...git,
    cache,
    checkConfig(options.config),
    registry,
    proxy,
    ...hosts,
  ];
  const exitCode = doctorExitCode(checks);
  return { ok: exitCode === 0, exitCode, checks };
}

async function networkChecks(
  ctx: Context,
  proxy: CheckResult,
  timeoutMs: number | undefined,
): Promise<CheckResult[]> {
  const { checkHosts, skippedHosts } = await import('../doctor/hosts.js');
  if (ctx.offline) return skippedHosts(ctx.endpoints, 'offline: not checked');
  if (proxy.status === 'fail') return skippedHosts(ctx.endpoints, 'proxy setting invalid: not checked');
  return checkHosts({ ctx, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
}
