/** Shared setup of the cache commands' tests: real caches filled by the real get against the emulator. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { get } from '../../src/api/get.js';
import { mirrorPath } from '../../src/cache/paths.js';
import type { GitSandbox } from '../helpers/git-repos.js';
import { fastRetries, machine, type World } from './get-setup.js';

export type Machine = Awaited<ReturnType<typeof machine>>;

/** A machine whose cache holds these projects (each fetched by get). */
export async function filled(world: World, name: string, ids: string[]): Promise<Machine> {
  const m = await machine(world, name);
  for (const id of ids) await get({ ctx: m.ctx, id, retries: fastRetries });
  return m;
}

/** Overwrite a read-only blob in place with other bytes of the same length (bit rot). */
export async function corrupt(file: string): Promise<void> {
  const bytes = await fs.readFile(file);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  await fs.chmod(file, 0o644);
  await fs.writeFile(file, bytes);
}

/** Set a file's mtime (and atime) to `daysAgo` days ago. */
export async function age(file: string, daysAgo: number): Promise<void> {
  const t = new Date(Date.now() - daysAgo * 86_400_000);
  await fs.utimes(file, t, t);
}

/** A bare mirror for `url` in the cache holding one pinned commit (as the code step leaves it). */
export function fakeMirror(box: GitSandbox, root: string, url: string): string {
  const work = path.join(box.root, `work-${Math.random().toString(16).slice(2)}`);
  box.git(box.root, 'init', '-q', work);
  box.git(work, 'commit', '-q', '--allow-empty', '-m', 'init');
  const sha = box.git(work, 'rev-parse', 'HEAD');
  const dir = mirrorPath(root, url);
  box.git(box.root, 'init', '-q', '--bare', dir);
  box.git(work, 'push', '-q', dir, `HEAD:refs/heads/openmedlab-pin/${sha}`);
  return sha;
}
