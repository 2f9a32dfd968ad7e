/**
 * Google Drive folders, listed like gdown through `embeddedfolderview?id=<id>`, a plain HTML page
 * with one `<div class="flip-entry" id="entry-<id>">` per child: a link to `/file/d/<id>/...` for a
 * file or `/drive/folders/<id>` for a sub-folder, and the name in `flip-entry-title`. It lists every
 * child on one page (the folder app's page stops at 50). Sub-folders are listed by the orchestrator.
 */
import { OmlError } from '../../errors.js';
import type { GoogleDriveFolderSource } from '../../registry/types.js';
import type { ListedFile, ListingPlan } from '../plan.js';
import type { AdapterContext, HostAdapter } from './adapter.js';
import { decodeEntities } from './adapter.js';
import { driveDownloadUrl } from './google-drive.js';
import { parseDriveHtml } from './google-drive-html.js';

/** One child of a Drive folder. */
export interface DriveEntry {
  id: string;
  name: string;
  folder: boolean;
}

const ENTRY =
  /<div[^>]*class="flip-entry"[^>]*id="entry-([\w-]+)"[\s\S]*?<a[^>]*href="([^"]*)"[\s\S]*?class="flip-entry-title"[^>]*>([^<]*)</g;

/** Names become one path segment: no separators, no `.`/`..` (a hostile name must not climb). */
function safeName(name: string, id: string): string {
  const cleaned = name.replace(/[/\\]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? id : cleaned;
}

/** Parse an embeddedfolderview page into its children; throws E_HOST for a sign-in or error page. */
export function parseDriveFolder(html: string, finalUrl: string): DriveEntry[] {
  const entries: DriveEntry[] = [];
  for (const m of html.matchAll(ENTRY)) {
    const [, id = '', href = '', title = ''] = m;
    entries.push({ id, name: safeName(decodeEntities(title), id), folder: /\/folders\//.test(href) });
  }
  if (entries.length === 0 && !/class="flip-entries"|class="folder-view"/.test(html)) {
    const verdict = parseDriveHtml(html, finalUrl);
    const reason = verdict.kind === 'fail' ? verdict.reason : 'Google Drive sent an unexpected page';
    throw new OmlError('E_HOST', `cannot list the Google Drive folder: ${reason}`);
  }
  return entries;
}

/** The listing plan of one folder id (also used for sub-folders). */
export function driveFolderListing(id: string, ctx: AdapterContext): ListingPlan {
  const toFile = (e: DriveEntry): ListedFile => ({
    relPath: e.name,
    plan: {
      host: 'google-drive',
      url: driveDownloadUrl(ctx.endpoints.googleDriveDownload, e.id),
      headers: {},
      filename: e.name,
      onHtml: parseDriveHtml,
    },
  });
  return {
    host: 'google-drive-folder',
    url: `${ctx.endpoints.googleDrive}/embeddedfolderview?id=${encodeURIComponent(id)}`,
    headers: {},
    parse: (body, finalUrl) =>
      parseDriveFolder(body, finalUrl)
        .filter((e) => !e.folder)
        .map(toFile),
    folders: (body, finalUrl) =>
      parseDriveFolder(body, finalUrl)
        .filter((e) => e.folder)
        .map((e) => ({ relPath: e.name, listing: driveFolderListing(e.id, ctx) })),
  };
}

/** A whole folder: listed, then every file fetched. */
export const googleDriveFolderAdapter: HostAdapter<GoogleDriveFolderSource> = (source, ctx) => ({
  kind: 'listing',
  listing: driveFolderListing(source.id, ctx),
});
