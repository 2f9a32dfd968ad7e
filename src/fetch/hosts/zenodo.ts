/**
 * Zenodo records, listed through `<zenodo>/api/records/<record>`: `files[]` with `key`, `size`,
 * `checksum` ("md5:<hex>", recorded; we verify sha256 ourselves) and `links.self` (the file URL).
 */
import { OmlError } from '../../errors.js';
import type { ZenodoSource } from '../../registry/types.js';
import type { ListedFile } from '../plan.js';
import type { AdapterContext, HostAdapter } from './adapter.js';
import { encodePath } from './adapter.js';

interface ZenodoFile {
  key?: string;
  filename?: string;
  size?: number;
  filesize?: number;
  checksum?: string;
  links?: { self?: string; content?: string; download?: string };
}

/** The URL of one file: the record's own link, else built from the endpoint. */
function fileUrl(f: ZenodoFile, key: string, record: string, ctx: AdapterContext): string {
  const link = f.links?.content ?? f.links?.self ?? f.links?.download;
  return (
    link ??
    `${ctx.endpoints.zenodo}/records/${encodeURIComponent(record)}/files/${encodePath(key)}?download=1`
  );
}

/** Parse a record's JSON into files; `only` keeps one file (E_HOST when the record has no such file). */
export function parseZenodoRecord(
  body: string,
  record: string,
  only: string | undefined,
  ctx: AdapterContext,
): ListedFile[] {
  let json: { files?: ZenodoFile[] | { entries?: ZenodoFile[] } };
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new OmlError('E_HOST', `Zenodo record ${record} is not JSON`, { cause });
  }
  const raw = Array.isArray(json.files) ? json.files : (json.files?.entries ?? []);
  const files = raw
    .map((f) => ({ f, key: f.key ?? f.filename }))
    .filter((x): x is { f: ZenodoFile; key: string } => typeof x.key === 'string' && x.key !== '');
  const picked = only === undefined ? files : files.filter((x) => x.key === only);
  if (picked.length === 0) {
    const what = only === undefined ? 'no files' : `no file named ${only}`;
    throw new OmlError('E_HOST', `Zenodo record ${record} has ${what}`, {
      hint: `the record's files: ${files.map((x) => x.key).join(', ') || '(none; it may be restricted)'}`,
    });
  }
  return picked.map(({ f, key }) => {
    const md5 = /^md5:([0-9a-f]{32})$/.exec(f.checksum ?? '')?.[1];
    const size = f.size ?? f.filesize;
    return {
      relPath: key.split('/').at(-1) ?? key,
      ...(size === undefined ? {} : { size }),
      ...(md5 ? { md5 } : {}),
      plan: {
        host: 'zenodo',
        url: fileUrl(f, key, record, ctx),
        headers: {},
        filename: key.split('/').at(-1),
      },
    };
  });
}

/** A record listing; an explicit `file` picks one. */
export const zenodoAdapter: HostAdapter<ZenodoSource> = (source, ctx) => ({
  kind: 'listing',
  listing: {
    host: 'zenodo',
    url: `${ctx.endpoints.zenodo}/api/records/${encodeURIComponent(source.record)}`,
    headers: { accept: 'application/json' },
    parse: (body) => parseZenodoRecord(body, source.record, source.file, ctx),
  },
});
