/**
 * A loopback server that emulates every host `get` talks to (on test/helpers/loopback-server.ts):
 * Hugging Face (resolve -> 302 to a CDN path with X-Linked-ETag, tree API, 401 without a token),
 * Google Drive (virus-scan confirmation form, quota page, embeddedfolderview with a sub-folder),
 * SharePoint (download=1 -> redirect to download.aspx), Zenodo (records API), a lab HTTPS server.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LoopbackServer, startLoopbackServer } from '../helpers/loopback-server.js';

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const page = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/html/${name}`, import.meta.url)), 'utf8');

/** Deterministic bytes. */
export function bytes(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

export interface Emulator {
  server: LoopbackServer;
  origin: string;
  data: Record<string, Buffer>;
  /** The env pointing every host at the emulator. */
  env: Record<string, string>;
  /** Add a Drive file served behind the confirmation form. */
  driveFile(id: string, name: string, body: Buffer): void;
}

/** Start the emulator with its standard content. */
export async function startEmulator(): Promise<Emulator> {
  const server = await startLoopbackServer();
  const origin = server.url;
  const data: Record<string, Buffer> = {
    hf: bytes(3000, 1),
    cfg: Buffer.from('{"a":1}'),
    lfs: bytes(5000, 2),
    drive: bytes(4000, 3),
    sp: bytes(2500, 4),
    zen: bytes(1500, 5),
    lab: bytes(2000, 6),
    f1: bytes(700, 7),
    f2: bytes(800, 8),
  };
  const driveIds = new Map<string, { name: string; body: Buffer }>();
  const driveFile = (id: string, name: string, body: Buffer) => {
    driveIds.set(id, { name, body });
    server.file(`/drive-content/${id}`, body, {
      headers: { 'content-disposition': `attachment; filename="${name}"` },
    });
  };

  // Hugging Face: resolve -> 302 to the CDN with the LFS sha256 in X-Linked-ETag (as the Hub does).
  server.redirect('/OpenMEDLab/TestModel/resolve/main/model.bin', `${origin}/cdn/model.bin`, 302, {
    'x-linked-etag': `"${sha256(data.hf!)}"`,
  });
  server.file('/cdn/model.bin', data.hf!);
  server.handle('/OpenMEDLab/Gated/resolve/main/w.bin', (req, res, record) => {
    record.status = req.headers.authorization === 'Bearer hf_test' ? 200 : 401;
    res
      .writeHead(record.status, { 'content-type': 'application/octet-stream' })
      .end(record.status === 200 ? data.hf : 'unauthorized');
  });
  server.handle('/api/models/OpenMEDLab/TestRepo/tree/main', (_req, res, record) => {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify([
        { type: 'file', oid: 'x', size: data.cfg!.length, path: 'config.json' },
        { type: 'directory', oid: 'y', size: 0, path: 'weights' },
        {
          type: 'file',
          oid: 'z',
          size: 134,
          path: 'weights/model.safetensors',
          lfs: { oid: sha256(data.lfs!), size: data.lfs!.length },
        },
      ]),
    );
  });
  server.handle('/api/models/OpenMEDLab/Paged/tree/main', (req, res, record) => {
    const second = new URL(req.url ?? '/', origin).searchParams.get('cursor') === 'p2';
    record.status = 200;
    const next = `<${origin}/api/models/OpenMEDLab/Paged/tree/main?recursive=true&cursor=p2>; rel="next"`;
    res.writeHead(200, { 'content-type': 'application/json', ...(second ? {} : { link: next }) });
    res.end(
      JSON.stringify([
        {
          type: 'file',
          oid: second ? 'b' : 'a',
          size: data.cfg!.length,
          path: second ? 'two.json' : 'one.json',
        },
      ]),
    );
  });
  server.file('/OpenMEDLab/Paged/resolve/main/one.json', data.cfg!);
  server.file('/OpenMEDLab/Paged/resolve/main/two.json', data.cfg!);
  server.file('/OpenMEDLab/TestRepo/resolve/main/config.json', data.cfg!);
  server.file('/OpenMEDLab/TestRepo/resolve/main/weights/model.safetensors', data.lfs!);

  // Google Drive: /download without confirm -> the virus-scan form; with confirm+uuid -> the file.
  driveFile('DRIVE1', 'drive_weights.pth', data.drive!);
  driveFile('F1', 'a.pt', data.f1!);
  driveFile('F2', 'b.pt', data.f2!);
  const confirmPage = page('drive-confirm.html').replace(
    'https://drive.usercontent.google.com/download',
    `${origin}/download`,
  );
  server.handle('/download', (req, res, record) => {
    const q = new URL(req.url ?? '/', origin).searchParams;
    const id = q.get('id') ?? '';
    if (id === 'QUOTA') {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('drive-quota.html'));
    } else if (!driveIds.has(id)) {
      record.status = 404;
      res.writeHead(404).end();
    } else if (q.get('confirm') === 't' && q.get('uuid')) {
      record.status = 303;
      res.writeHead(303, { location: `/drive-content/${id}` }).end();
    } else {
      record.status = 200;
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(confirmPage.replace(/1HReH6dDrEuXgHPrsw7OrHSjvEUF3f4mv/g, id));
    }
  });
  server.handle('/embeddedfolderview', (req, res, record) => {
    const id = new URL(req.url ?? '/', origin).searchParams.get('id');
    const entry = (eid: string, name: string, folder: boolean) =>
      `<div class="flip-entry" id="entry-${eid}" tabindex="0" role="link"><div class="flip-entry-info"><a href="https://drive.google.com/${folder ? 'drive/folders' : 'file/d'}/${eid}${folder ? '' : '/view?usp=drive_web'}" target="_blank"><div class="flip-entry-title">${name}</div></a></div></div>`;
    const body =
      id === 'FOLDER'
        ? entry('F1', 'a.pt', false) + entry('SUB', 'sub', true)
        : id === 'SUB'
          ? entry('F2', 'b.pt', false)
          : '';
    record.status = 200;
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(`<html><body><div class="flip-entries">${body}</div></body></html>`);
  });

  // SharePoint: the share link with download=1 redirects to download.aspx, which serves the file.
  server.handle('/:u:/g/personal/user_cuhk_edu_hk/EZh5TOKEN', (req, res, record) => {
    const ok = new URL(req.url ?? '/', origin).searchParams.get('download') === '1';
    record.status = ok ? 302 : 200;
    if (ok)
      res
        .writeHead(302, { location: `/personal/user_cuhk_edu_hk/_layouts/15/download.aspx?UniqueId=abc` })
        .end();
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>viewer</html>');
  });
  server.file('/personal/user_cuhk_edu_hk/_layouts/15/download.aspx', data.sp!, {
    headers: { 'content-disposition': 'attachment; filename="endo_fm.pth"' },
  });

  // Zenodo
  server.handle('/api/records/123', (_req, res, record) => {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 123,
        files: [
          {
            key: 'zen.bin',
            size: data.zen!.length,
            checksum: `md5:${createHash('md5').update(data.zen!).digest('hex')}`,
            links: { self: `${origin}/api/records/123/files/zen.bin/content` },
          },
        ],
      }),
    );
  });
  server.file('/api/records/123/files/zen.bin/content', data.zen!);
  server.file('/files/lab.pt', data.lab!);

  return {
    server,
    origin,
    data,
    driveFile,
    env: {
      HF_ENDPOINT: origin,
      OPENMEDLAB_GDRIVE_ENDPOINT: origin,
      OPENMEDLAB_GDRIVE_DOWNLOAD_ENDPOINT: origin,
      OPENMEDLAB_ZENODO_ENDPOINT: origin,
      OPENMEDLAB_ONEDRIVE_ENDPOINT: origin,
      OPENMEDLAB_GITHUB_ENDPOINT: origin,
    },
  };
}
