/** Every host adapter in one map (giget's providers style), and the one entry point the engine uses. */
import type { HostName, Source } from '../../registry/types.js';
import type { SourcePlan } from '../plan.js';
import type { AdapterContext, HostAdapter } from './adapter.js';
import { githubReleaseAdapter } from './github-release.js';
import { googleDriveAdapter } from './google-drive.js';
import { googleDriveFolderAdapter } from './google-drive-folder.js';
import { httpsAdapter } from './https.js';
import { huggingfaceAdapter } from './huggingface.js';
import { baiduPanAdapter, inRepoAdapter, manualAdapter } from './manual.js';
import { onedriveAdapter } from './onedrive.js';
import { zenodoAdapter } from './zenodo.js';

export type { AdapterContext, HostAdapter } from './adapter.js';

/** One adapter per registry host; the mapped type makes a missing host a compile error. */
export const adapters: { [H in HostName]: HostAdapter<Extract<Source, { host: H }>> } = {
  https: httpsAdapter,
  'github-release': githubReleaseAdapter,
  huggingface: huggingfaceAdapter,
  'google-drive': googleDriveAdapter,
  'google-drive-folder': googleDriveFolderAdapter,
  onedrive: onedriveAdapter,
  zenodo: zenodoAdapter,
  'baidu-pan': baiduPanAdapter,
  'in-repo': inRepoAdapter,
  manual: manualAdapter,
};

/** The plan for one registry source (pure: no network). */
export function planSource(source: Source, ctx: AdapterContext): SourcePlan {
  const adapter = adapters[source.host] as HostAdapter;
  return adapter(source, ctx);
}
