/** Google Drive files: the usercontent download URL, with the confirmation form handled in onHtml. */
import type { GoogleDriveSource } from '../../registry/types.js';
import type { HostAdapter } from './adapter.js';
import { parseDriveHtml } from './google-drive-html.js';

/** The direct download URL of a Drive file id. */
export function driveDownloadUrl(base: string, id: string): string {
  return `${base}/download?id=${encodeURIComponent(id)}&export=download`;
}

/** `<googleDriveDownload>/download?id=<id>&export=download`; the filename comes from Content-Disposition. */
export const googleDriveAdapter: HostAdapter<GoogleDriveSource> = (source, ctx) => ({
  kind: 'file',
  plan: {
    host: 'google-drive',
    url: driveDownloadUrl(ctx.endpoints.googleDriveDownload, source.id),
    headers: {},
    onHtml: parseDriveHtml,
  },
});
