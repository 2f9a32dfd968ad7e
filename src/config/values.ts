/** The effective value of each setting, read back from a Context (for `config get|list` and doctor). */
import type { Context } from '../context.js';
import { SETTINGS, type SettingKey, type SettingSource } from './settings.js';

/** One setting as `config list --json` prints it. */
export interface SettingRow {
  key: SettingKey;
  /** The effective value; proxy passwords shown as ***; null when unset. */
  value: string | number | boolean | null;
  source: SettingSource;
}

/** A URL with its password (and user name) replaced by ***, for display. */
export function redactUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

/** The effective value of one setting in a Context. */
export function settingValue(ctx: Context, key: SettingKey): string | number | boolean | undefined {
  if (key.startsWith('endpoints.')) return ctx.endpoints[key.slice(10) as keyof Context['endpoints']];
  switch (key) {
    case 'cacheDir':
      return ctx.cacheDir;
    case 'jobs':
      return ctx.jobs;
    case 'registry':
      return ctx.registryFile;
    case 'offline':
      return ctx.offline;
    case 'proxy.https':
      return ctx.proxy.https === undefined ? undefined : redactUserinfo(ctx.proxy.https);
    case 'proxy.http':
      return ctx.proxy.http === undefined ? undefined : redactUserinfo(ctx.proxy.http);
    case 'proxy.noProxy':
      return ctx.proxy.noProxy;
    default:
      return undefined;
  }
}

/** Every documented setting with its effective value and source, in documentation order. */
export function settingRows(ctx: Context): SettingRow[] {
  return SETTINGS.map(({ key }) => ({
    key,
    value: settingValue(ctx, key) ?? null,
    source: ctx.sources[key],
  }));
}
