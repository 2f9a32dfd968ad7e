/** Hosts a program cannot fetch from: Baidu Pan, landing pages; and files inside the code repository. */
import type { BaiduPanSource, InRepoSource, ManualSource } from '../../registry/types.js';
import type { HostAdapter } from './adapter.js';

/** Baidu Pan share pages need a browser and often the Baidu client; the code may sit in `?pwd=`. */
export const baiduPanAdapter: HostAdapter<BaiduPanSource> = (source) => {
  let code = source.code;
  try {
    code ??= new URL(source.url).searchParams.get('pwd') ?? undefined;
  } catch {
    // an unparsable URL is still shown verbatim to the person who downloads by hand
  }
  return {
    kind: 'manual',
    host: 'baidu-pan',
    url: source.url,
    ...(code ? { code } : {}),
    reason: 'Baidu Pan shares can only be downloaded in a browser or the Baidu client',
  };
};

/** A landing page where a person must obtain the file (registration, data-use agreement). */
export const manualAdapter: HostAdapter<ManualSource> = (source) => ({
  kind: 'manual',
  host: 'manual',
  url: source.url,
  reason: source.note ?? 'this file must be obtained by a person (registration or data-use agreement)',
});

/** A file committed in the project's code repository (fetched by the code step, not over HTTP). */
export const inRepoAdapter: HostAdapter<InRepoSource> = (source) => ({ kind: 'in-repo', path: source.path });
