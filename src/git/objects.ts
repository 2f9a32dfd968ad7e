/** Questions about what a (possibly shallow, possibly partial) repository holds, asked without any network. */
import { type GitContext, runGit } from './run.js';

// Asking a partial clone about a missing object makes git fetch it from the promisor remote; these
// questions must stay local (GIT_NO_LAZY_FETCH, git >= 2.39.4; GIT_ALLOW_PROTOCOL for older ones).
const LOCAL_ONLY = { GIT_NO_LAZY_FETCH: '1', GIT_ALLOW_PROTOCOL: 'none' };

/** True when the repository at `gitDir` holds `commit` as a commit object. */
export async function hasCommit(ctx: GitContext, gitDir: string, commit: string): Promise<boolean> {
  const result = await runGit({
    ctx,
    cwd: gitDir,
    args: ['cat-file', '-e', `${commit}^{commit}`],
    env: LOCAL_ONLY,
  });
  return result.code === 0;
}

/** One entry of `git ls-tree -r`. */
export interface TreeEntry {
  mode: string;
  type: 'blob' | 'commit' | 'tree';
  oid: string;
  size: number | undefined;
  path: string;
}

/** Every blob and gitlink of `commit`, under `folder` when given (trees are always present). */
export async function listTree(
  ctx: GitContext,
  gitDir: string,
  commit: string,
  folder?: string,
): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', commit];
  if (folder !== undefined) args.push('--', `${folder}/`);
  const result = await runGit({ ctx, cwd: gitDir, args, env: LOCAL_ONLY });
  if (result.code !== 0) return [];
  return result.stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', oid = ''] = line.slice(0, tab).split(' ');
      return { mode, type: type as TreeEntry['type'], oid, size: undefined, path: line.slice(tab + 1) };
    });
}

/** Object ids reachable from `commit`'s tree that the repository lacks (a partial clone's filtered blobs). */
export async function missingObjects(ctx: GitContext, gitDir: string, commit: string): Promise<Set<string>> {
  const result = await runGit({
    ctx,
    cwd: gitDir,
    args: ['rev-list', '--objects', '--no-walk', '--missing=print', commit],
    env: LOCAL_ONLY,
  });
  const missing = new Set<string>();
  for (const line of result.stdout.split('\n')) if (line.startsWith('?')) missing.add(line.slice(1, 41));
  return missing;
}

/**
 * True when a cone-mode sparse checkout of `folder` contains `file`: everything under the folder plus
 * the files directly inside each of its ancestors (the root's README, LICENSE, .gitmodules...).
 */
export function inCone(file: string, folder: string | undefined): boolean {
  if (folder === undefined) return true;
  if (file.startsWith(`${folder}/`)) return true;
  const parent = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  return parent === '' || folder.startsWith(`${parent}/`);
}

/** Blobs of `commit` inside the cone of `folder` that must be fetched before an offline checkout. */
export async function missingBlobs(
  ctx: GitContext,
  gitDir: string,
  commit: string,
  folder?: string,
): Promise<string[]> {
  const missing = await missingObjects(ctx, gitDir, commit);
  if (missing.size === 0) return [];
  const entries = await listTree(ctx, gitDir, commit);
  const wanted = entries.filter((e) => e.type === 'blob' && missing.has(e.oid) && inCone(e.path, folder));
  return [...new Set(wanted.map((e) => e.oid))];
}

/** True when the repository is shallow. */
export async function isShallow(ctx: GitContext, gitDir: string): Promise<boolean> {
  const result = await runGit({ ctx, cwd: gitDir, args: ['rev-parse', '--is-shallow-repository'] });
  return result.stdout.trim() === 'true';
}
