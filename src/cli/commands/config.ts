/** `openmedlab config path|get|set|unset|list`: the config file (config.yaml) and the effective settings. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { SettingRow } from '../../config/values.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

/** A value as `config get` prints it (empty for unset; registry unset is the bundled one). */
function show(row: SettingRow): string {
  if (row.value === null) return row.key === 'registry' ? '(bundled)' : '';
  return String(row.value);
}

/** The `config list` table: key, value, source. Pure. */
export function renderSettings(rows: SettingRow[]): string {
  const width = Math.max(...rows.map((r) => r.key.length)) + 2;
  const valueWidth = Math.min(60, Math.max(...rows.map((r) => show(r).length))) + 2;
  return rows
    .map((r) => `${r.key.padEnd(width)}${(show(r) || '-').padEnd(valueWidth)}${r.source}`)
    .join('\n');
}

/** The config file the global flags and environment name, without reading it. */
async function location(rt: Runtime): Promise<{ file: string; explicit: boolean }> {
  const { configLocation } = await import('../../context.js');
  return configLocation(rt.overrides(), rt.io.env);
}

/** Register `config` and its subcommands. */
export function registerConfig(program: Command, rt: Runtime): void {
  const config = program
    .command('config')
    .description('show and change settings: flag > environment > config file > default')
    .addHelpText(
      'after',
      examples(
        'openmedlab config list',
        'openmedlab config set jobs 8',
        'openmedlab config set endpoints.huggingface https://hf-mirror.com',
        'openmedlab config get cacheDir',
        'openmedlab --config ./ci-config.yaml config list --json',
      ),
    );
  config
    .command('path')
    .description('print the config file in effect (it may not exist yet)')
    .option('--json', 'print {file, exists} as JSON')
    .addHelpText(
      'after',
      examples('openmedlab config path', 'openmedlab --config ./ci.yaml config path --json'),
    )
    .action(async (flags: { json?: boolean }) => {
      const { file } = await location(rt);
      if (flags.json) rt.json({ file, exists: existsSync(file) });
      else rt.out(file);
    });
  config
    .command('get')
    .description('print the effective value of a setting')
    .argument('<key>', 'a key from `openmedlab config list`, e.g. jobs, proxy.https, endpoints.huggingface')
    .option('--json', 'print {key, value, source} as JSON')
    .addHelpText(
      'after',
      examples('openmedlab config get jobs', 'openmedlab config get endpoints.huggingface --json'),
    )
    .action(async (key: string, flags: { json?: boolean }) => {
      const [{ requireSetting }, { settingRows }] = await Promise.all([
        import('../../config/edit.js'),
        import('../../config/values.js'),
      ]);
      requireSetting(key);
      const row = settingRows(await rt.context()).find((r) => r.key === key) as SettingRow;
      if (flags.json) rt.json(row);
      else rt.out(show(row));
    });
  config
    .command('set')
    .description('write a setting to the config file (comments and layout are kept)')
    .argument('<key>', 'a key from `openmedlab config list`')
    .argument('<value>', 'the value; relative paths are resolved against the current directory')
    .addHelpText(
      'after',
      examples('openmedlab config set jobs 8', 'openmedlab config set cacheDir /data/openmedlab-cache'),
    )
    .action(async (key: string, value: string) => {
      const { file } = await location(rt);
      const { editConfig } = await import('../../config/edit.js');
      await editConfig({ file, key, value, cwd: rt.io.cwd });
      rt.info(`${key} set in ${file}`);
    });
  config
    .command('unset')
    .description('remove a setting from the config file (back to the environment or the default)')
    .argument('<key>', 'a key from `openmedlab config list`')
    .addHelpText('after', examples('openmedlab config unset jobs'))
    .action(async (key: string) => {
      const { file } = await location(rt);
      const { editConfig } = await import('../../config/edit.js');
      await editConfig({ file, key, cwd: rt.io.cwd });
      rt.info(`${key} removed from ${file}`);
    });
  config
    .command('list')
    .description('every setting with its effective value and where it came from (flag, env, config, default)')
    .option('--json', 'print {file, exists, settings: [{key, value, source}]} as JSON')
    .addHelpText('after', examples('openmedlab config list', 'CI=true openmedlab config list --json'))
    .action(async (flags: { json?: boolean }) => {
      const ctx = await rt.context();
      const { settingRows } = await import('../../config/values.js');
      const rows = settingRows(ctx);
      const exists = existsSync(ctx.configFile);
      if (flags.json) return rt.json({ file: ctx.configFile, exists, settings: rows });
      rt.info(`config file: ${ctx.configFile}${exists ? '' : ' (not found)'}`);
      rt.out(renderSettings(rows));
    });
}
