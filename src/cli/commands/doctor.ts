/** `openmedlab doctor`: ok/warn/fail lines about this machine, the settings, the registry and each host. */
import type { Command } from 'commander';
import type { CheckResult, ConfigStatus } from '../../api/doctor.js';
import type { ConfigValues } from '../../config/settings.js';
import { isOmlError, OmlError } from '../../errors.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

interface DoctorFlags {
  json?: boolean;
  offline?: boolean;
  timeout?: string;
}

/** The report as aligned lines: `ok    node      v20.20.2`. Pure. */
export function renderDoctor(checks: readonly CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.check.length)) + 2;
  return checks.map((c) => `${c.status.padEnd(6)}${c.check.padEnd(width)}${c.detail}`).join('\n');
}

/** Settings in a config file (leaf keys). */
const countKeys = (values: object): number =>
  Object.values(values).reduce<number>((n, v) => n + (v && typeof v === 'object' ? countKeys(v) : 1), 0);

/** Parse --timeout (seconds, 0.1 to 120). */
function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 120)
    throw new OmlError('E_USAGE', `--timeout must be a number of seconds from 0.1 to 120, not "${value}"`);
  return Math.round(seconds * 1000);
}

/** Register `doctor`. */
export function registerDoctor(program: Command, rt: Runtime): void {
  program
    .command('doctor')
    .description('check node, git, git-lfs, the cache dir, proxy, config, registry and every host')
    .option('--json', 'print {ok, exitCode, checks: [{status, check, detail, kind?}]} as JSON')
    .option('--offline', 'skip the network checks')
    .option('--timeout <seconds>', 'per-host timeout (default 5)')
    .addHelpText(
      'after',
      `${examples('openmedlab doctor', 'openmedlab doctor --offline', 'openmedlab doctor --json | jq \'.checks[] | select(.status == "fail")\'')}
Exit status: 0 when nothing failed (warnings do not count); otherwise 2 if a usage-type check failed
(node, git, config, registry, proxy), else 6 if the cache dir is unusable, else 4 (a host unreachable).
`,
    )
    .action(async (flags: DoctorFlags) => {
      const timeoutMs = parseTimeout(flags.timeout);
      const [{ configLocation, createContext }, { loadConfig }, { doctor }] = await Promise.all([
        import('../../context.js'),
        import('../../config/load.js'),
        import('../../api/doctor.js'),
      ]);
      const overrides = rt.overrides(flags.offline ? { offline: true } : {});
      const location = configLocation(overrides, rt.io.env);
      let values: ConfigValues = {};
      let config: ConfigStatus;
      try {
        const loaded = await loadConfig(location);
        values = loaded.values;
        config = { file: loaded.file, exists: loaded.exists, keys: countKeys(values) };
      } catch (error) {
        // An invalid config is a failed check, and the other checks still run (on the defaults).
        if (!isOmlError(error)) throw error;
        config = { file: location.file, exists: true, error: error.message };
      }
      const ctx = createContext(overrides, rt.io.env, values);
      const report = await doctor({ ctx, config, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      rt.exitCode = report.exitCode;
      if (flags.json) return rt.json(report);
      rt.out(renderDoctor(report.checks));
      const failed = report.checks.filter((c) => c.status === 'fail').length;
      const warned = report.checks.filter((c) => c.status === 'warn').length;
      const warnings = `${warned} warning${warned === 1 ? '' : 's'}`;
      rt.info(
        failed > 0 ? `${failed} failed, ${warnings} (exit ${report.exitCode})` : `no failures, ${warnings}`,
      );
    });
}
