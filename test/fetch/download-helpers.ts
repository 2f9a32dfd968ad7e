/** Shared set-up for download tests: a temp cache, a context, recorded events and delays. */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { OmlEvent } from '../../src/events.js';
import { type DownloadOptions, downloadToStore } from '../../src/fetch/download.js';
import type { DownloadPlan } from '../../src/fetch/plan.js';
import { type LoopbackServer, startLoopbackServer } from '../helpers/loopback-server.js';

export const ctx = {
  offline: false,
  userAgent: 'openmedlab/test',
  proxy: { https: undefined, http: undefined, noProxy: undefined },
};

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Deterministic-size random content. */
export const content = (size: number): Buffer => randomBytes(size);

/** A temp cache root, removed by `cleanup`. */
export async function tempCache(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'oml-dl-'));
}

export function plan(url: string, extra: Partial<DownloadPlan> = {}): DownloadPlan {
  return { host: 'https', url, headers: {}, ...extra };
}

/** downloadToStore with test defaults: tiny delays recorded instead of slept, events captured. */
export function harness(cacheRoot: string) {
  const events: OmlEvent[] = [];
  const delays: number[] = [];
  const run = (options: Partial<DownloadOptions> & { plan: DownloadPlan }) =>
    downloadToStore({
      ctx,
      cacheRoot,
      key: 'k1',
      events: (e) => events.push(e),
      sleep: async (ms) => {
        delays.push(ms);
      },
      retries: { baseDelayMs: 1, maxDelayMs: 5 },
      stallTimeoutMs: 2000,
      ...options,
    });
  return { run, events, delays };
}

export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Before each test, a fresh loopback server and temp cache, handed to `use`; both removed after. */
export function useServerAndCache(use: (server: LoopbackServer, root: string) => void): void {
  let server: LoopbackServer | undefined;
  let root: string | undefined;
  beforeEach(async () => {
    server = await startLoopbackServer();
    root = await tempCache();
    use(server, root);
  });
  afterEach(async () => {
    await server?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });
}
