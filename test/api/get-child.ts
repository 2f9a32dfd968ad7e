/** A `get` run in its own process (spawned by get-process.test.ts with `node --import tsx`). */
import { get } from '../../src/api/get.js';
import { createContext } from '../../src/context.js';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  id: string;
  cwd: string;
  registryFile: string;
  cacheDir: string;
  dataDir: string;
  env: Record<string, string>;
};
const ctx = createContext(
  {
    cwd: args.cwd,
    registryFile: args.registryFile,
    cacheDir: args.cacheDir,
    dataDir: args.dataDir,
    configDir: args.cwd,
  },
  args.env,
);
const result = await get({ ctx, id: args.id, retries: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 } });
process.stdout.write(
  JSON.stringify(
    result.checkpoints.map((c) => ({ sha256: c.sha256, verifiedBy: c.verifiedBy, fromCache: c.fromCache })),
  ),
);
