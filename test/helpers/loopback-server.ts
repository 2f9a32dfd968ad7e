/**
 * A loopback HTTP server for tests (node:http on 127.0.0.1:0) that serves files with Range/If-Range
 * and injects faults per request: dropped connection mid-body, stall, status codes (500, 429 with
 * Retry-After), Range ignored, wrong bytes of the right length, truncated body, HTML pages. Every
 * request is recorded with the body bytes sent, so tests can assert on resume.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';

/** One injected fault, applied to one request. */
export type Fault =
  | { kind: 'drop'; after: number } // send `after` body bytes, then reset the connection
  | { kind: 'stall'; after: number } // send `after` body bytes, then nothing
  | { kind: 'truncate'; after: number } // send `after` body bytes, then end the socket cleanly
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'ignore-range' } // answer 200 with the whole file even to a Range request
  | { kind: 'corrupt' } // the right length, wrong bytes
  | { kind: 'html'; body: string; status?: number };

/** What the server saw and did for one request. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  status: number;
  /** The client's port: requests with the same one came over the same (kept-alive) connection. */
  remotePort: number | undefined;
  /** Body bytes written to the socket for this request. */
  bytesSent: number;
}

export interface FileOptions {
  etag?: string;
  lastModified?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Faults for the 1st, 2nd... request to this path; `undefined` entries behave normally. */
  faults?: Array<Fault | undefined>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest) => void;

export interface LoopbackServer {
  /** Origin, e.g. http://127.0.0.1:43210. */
  url: string;
  requests: RecordedRequest[];
  /** Serve `data` at `path` with Range support and the given faults. */
  file(path: string, data: Buffer, options?: FileOptions): void;
  /** Redirect `path` to `location` (absolute or relative) with optional extra headers. */
  redirect(path: string, location: string, status?: number, headers?: Record<string, string>): void;
  /** Serve an HTML page. */
  html(path: string, body: string, status?: number): void;
  /** A custom handler. */
  handle(path: string, handler: Handler): void;
  /** Requests to one path. */
  requestsTo(path: string): RecordedRequest[];
  /** Total body bytes sent for one path. */
  bytesSent(path: string): number;
  close(): Promise<void>;
}

/** Write `data` and count it in the record. */
function send(res: http.ServerResponse, record: RecordedRequest, data: Buffer): void {
  record.bytesSent += data.length;
  res.write(data);
}

/** Serve a file (or a range of it) applying `fault`. */
function serveFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  record: RecordedRequest,
  data: Buffer,
  options: FileOptions,
  fault: Fault | undefined,
): void {
  if (fault?.kind === 'status') {
    record.status = fault.status;
    res.writeHead(fault.status, fault.headers ?? {});
    res.end(fault.body ?? '');
    return;
  }
  if (fault?.kind === 'html') {
    record.status = fault.status ?? 200;
    res.writeHead(record.status, { 'content-type': 'text/html; charset=utf-8' });
    send(res, record, Buffer.from(fault.body));
    res.end();
    return;
  }
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/octet-stream',
    ...(options.etag ? { etag: options.etag } : {}),
    ...(options.lastModified ? { 'last-modified': options.lastModified } : {}),
    'accept-ranges': 'bytes',
    ...options.headers,
  };
  let start = 0;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  const validatorOk = ifRange === undefined || ifRange === options.etag || ifRange === options.lastModified;
  if (range && validatorOk && fault?.kind !== 'ignore-range') {
    start = Number(range[1]);
    if (start >= data.length) {
      record.status = 416;
      res.writeHead(416, { 'content-range': `bytes */${data.length}` });
      res.end();
      return;
    }
    record.status = 206;
    headers['content-range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
  } else record.status = 200;
  headers['content-length'] = String(data.length - start);
  res.writeHead(record.status, headers);
  let body = data.subarray(start);
  if (fault?.kind === 'corrupt') body = Buffer.from(body.map((b) => b ^ 0xff));
  if (fault?.kind === 'drop' || fault?.kind === 'stall' || fault?.kind === 'truncate') {
    send(res, record, body.subarray(0, fault.after));
    if (fault.kind === 'drop') setTimeout(() => res.socket?.resetAndDestroy(), 20);
    if (fault.kind === 'truncate') setTimeout(() => res.socket?.end(), 20);
    return;
  }
  send(res, record, body);
  res.end();
}

/** Start a loopback server on 127.0.0.1 with an ephemeral port. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const handlers = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      remotePort: req.socket.remotePort,
      status: 0,
      bytesSent: 0,
    };
    requests.push(record);
    const handler = handlers.get(path);
    if (!handler) {
      record.status = 404;
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res, record);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const countFor = new Map<string, number>();
  return {
    url,
    requests,
    file(path, data, options = {}) {
      handlers.set(path, (req, res, record) => {
        const n = countFor.get(path) ?? 0;
        countFor.set(path, n + 1);
        serveFile(req, res, record, data, options, options.faults?.[n]);
      });
    },
    redirect(path, location, status = 302, headers = {}) {
      handlers.set(path, (_req, res, record) => {
        record.status = status;
        res.writeHead(status, { location, ...headers }).end();
      });
    },
    html(path, body, status = 200) {
      handlers.set(path, (_req, res, record) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
        send(res, record, Buffer.from(body));
        res.end();
      });
    },
    handle(path, handler) {
      handlers.set(path, handler);
    },
    requestsTo: (path) => requests.filter((r) => r.path === path),
    bytesSent: (path) => requests.filter((r) => r.path === path).reduce((sum, r) => sum + r.bytesSent, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Before each test, a fresh loopback server handed to `use`; closed after the test. */
export function useLoopbackServer(use: (server: LoopbackServer) => void): void {
  let server: LoopbackServer | undefined;
  beforeEach(async () => {
    server = await startLoopbackServer();
    use(server);
  });
  afterEach(async () => {
    await server?.close();
  });
}
