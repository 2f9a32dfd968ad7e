// A child process for kill -9 tests: downloads argv[2] into cache root argv[3] under key argv[4].
import { downloadToStore } from '../../src/fetch/download.js';

const [url, cacheRoot, key] = process.argv.slice(2) as [string, string, string];
await downloadToStore({
  plan: { host: 'https', url, headers: {} },
  ctx: {
    offline: false,
    userAgent: 'openmedlab/child',
    proxy: { https: undefined, http: undefined, noProxy: undefined },
  },
  cacheRoot,
  key,
  stallTimeoutMs: 60_000,
});
