/**
 * Git servers on 127.0.0.1 for tests: `git daemon` (git://) and smart HTTP through a node:http bridge
 * to git-http-backend. Both count what they served, so a test can assert that no request was made.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (git daemon needs a concrete one). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running git daemon. */
export interface GitDaemon {
  /** e.g. git://127.0.0.1:9418 */
  url: string;
  /** upload-pack requests served so far. */
  connections(): number;
  stop(): Promise<void>;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** Start `git daemon` serving every repository under `base`. */
export async function startGitDaemon(base: string, env: Record<string, string>): Promise<GitDaemon> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--verbose',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${base}`,
      '--export-all',
      base,
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  await waitForPort(port);
  return {
    url: `git://127.0.0.1:${port}`,
    connections: () => (log.match(/Request upload-pack/g) ?? []).length,
    stop: async () => {
      if (child.exitCode !== null) return;
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await closed;
    },
  };
}

/** A running smart-HTTP server. */
export interface HttpGitServer {
  /** e.g. http://127.0.0.1:43210 */
  url: string;
  /** Every request: method, path and the headers git sent. */
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  stop(): Promise<void>;
}

/** Options of the HTTP bridge. */
export interface HttpGitOptions {
  /** Drop the Git-Protocol header, so git-http-backend speaks protocol v0 (and refuses fetching by sha). */
  protocolV0?: boolean;
}

/** Serve the repositories under `root` over smart HTTP (git-http-backend behind node:http). */
export async function startHttpGit(
  root: string,
  env: Record<string, string>,
  options: HttpGitOptions = {},
): Promise<HttpGitServer> {
  const requests: HttpGitServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://x');
    const protocol = req.headers['git-protocol'];
    const cgi = spawn('/usr/lib/git-core/git-http-backend', [], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        ...(typeof protocol === 'string' && !options.protocolV0 ? { GIT_PROTOCOL: protocol } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.stdout.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
