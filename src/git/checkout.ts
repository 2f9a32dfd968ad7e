/**
 * A standalone working copy at a pinned commit, made from the mirror without any network: the
 * mirror's packs are hardlinked (copied across filesystems) into a fresh repository, a cone-mode
 * sparse checkout limits a subfolder project to its folder, and the result is renamed into place
 * only once HEAD is verified, so an interrupted run never leaves a half checkout at the destination.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { OmlError } from '../errors.js';
import type { EventSink } from '../events.js';
import { type GitContext, git, runGit } from './run.js';

/** Options of checkoutFromMirror. */
export interface CheckoutOptions {
  ctx: GitContext;
  /** The bare mirror holding the commit and the blobs the checkout needs. */
  mirror: string;
  commit: string;
  /** Destination folder (absolute); it must not exist, be empty, or already be this checkout. */
  dest: string;
  /** URL recorded as the checkout's origin, so `git fetch` there reaches upstream, not the cache. */
  originUrl: string;
  subfolder?: string | undefined;
  /** Replace an existing destination at another commit (folders the cache owns) instead of refusing. */
  replace?: boolean | undefined;
  /** Runs inside the temp checkout before it is renamed into place (submodules, LFS). */
  finish?: ((dir: string) => Promise<void>) | undefined;
  events?: EventSink | undefined;
}

/** The outcome of a checkout. */
export interface Checkout {
  path: string;
  commit: string;
  /** True when the destination already was this checkout. */
  reused: boolean;
}

/** HEAD of the repository whose top level is exactly `dir`, or undefined. */
export async function headOf(ctx: GitContext, dir: string): Promise<string | undefined> {
  const top = await runGit({ ctx, cwd: dir, args: ['rev-parse', '--show-toplevel', 'HEAD'] }).catch(
    () => undefined,
  );
  if (top?.code !== 0) return undefined;
  const [root, head] = top.stdout.trim().split('\n');
  return root && path.resolve(root) === path.resolve(dir) ? head : undefined;
}

/** 'absent', 'empty', or 'used' for a destination path. */
async function destState(dest: string): Promise<'absent' | 'empty' | 'used'> {
  const info = await stat(dest).catch(() => undefined);
  if (!info) return 'absent';
  if (!info.isDirectory()) return 'used';
  return (await readdir(dest)).length === 0 ? 'empty' : 'used';
}

/** Hardlink (or copy) one file; packs are immutable, so sharing their inode with the mirror is safe. */
async function linkOrCopy(from: string, to: string, copyOnly: boolean): Promise<void> {
  if (!copyOnly) {
    try {
      await link(from, to);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    }
  }
  await copyFile(from, to);
}

/** Give the fresh repository at `repo` the mirror's objects and shallow boundary. */
async function importObjects(mirror: string, repo: string): Promise<void> {
  const src = path.join(mirror, 'objects');
  const dst = path.join(repo, '.git', 'objects');
  for (const name of await readdir(src)) {
    if (/^[0-9a-f]{2}$/.test(name)) {
      await mkdir(path.join(dst, name), { recursive: true });
      for (const file of await readdir(path.join(src, name))) {
        await linkOrCopy(path.join(src, name, file), path.join(dst, name, file), false);
      }
    }
  }
  const packs = path.join(src, 'pack');
  for (const file of await readdir(packs).catch(() => [] as string[])) {
    if (/\.(pack|idx|rev)$/.test(file))
      await linkOrCopy(path.join(packs, file), path.join(dst, 'pack', file), false);
    if (file.endsWith('.promisor')) await copyFile(path.join(packs, file), path.join(dst, 'pack', file));
  }
  await copyFile(path.join(mirror, 'shallow'), path.join(repo, '.git', 'shallow')).catch(() => {});
}

/** Configure origin; a partial mirror makes a partial checkout whose missing blobs come from upstream. */
async function configure(ctx: GitContext, mirror: string, dir: string, originUrl: string): Promise<void> {
  const set = (key: string, value: string) => git({ ctx, cwd: dir, args: ['config', '--', key, value] });
  await set('remote.origin.url', originUrl);
  await set('remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*');
  const promisor = await runGit({ ctx, cwd: mirror, args: ['config', '--get', 'remote.origin.promisor'] });
  if (promisor.stdout.trim() === 'true') {
    await set('core.repositoryformatversion', '1');
    await set('remote.origin.promisor', 'true');
    await set('remote.origin.partialclonefilter', 'blob:none');
  }
}

/** Check out `commit` (detached) into a new repository at `dir`, limited to `subfolder` when given. */
async function build(options: CheckoutOptions, dir: string): Promise<void> {
  const { ctx, commit } = options;
  await git({ ctx, args: ['init', '--quiet', '--', dir] });
  await importObjects(options.mirror, dir);
  await configure(ctx, options.mirror, dir, options.originUrl);
  if (options.subfolder !== undefined) {
    await git({
      ctx,
      cwd: dir,
      args: ['sparse-checkout', 'set', '--cone', '--stdin'],
      input: `${options.subfolder}\n`,
    });
  }
  // Every blob the checkout needs is already local: a lazy fetch here would be a bug, not a fallback.
  await git({
    ctx,
    cwd: dir,
    args: ['checkout', '--quiet', '--detach', commit, '--'],
    env: { GIT_NO_LAZY_FETCH: '1', GIT_LFS_SKIP_SMUDGE: '1' },
  });
  const head = await headOf(ctx, dir);
  if (head !== commit) {
    throw new OmlError('E_GIT', `checkout ended at ${head ?? 'no commit'} instead of ${commit}`, {
      details: { expected: commit, found: head },
    });
  }
  await options.finish?.(dir);
}

/** Check the mirror's `commit` out at `dest`, atomically; an existing checkout of that commit is kept. */
export async function checkoutFromMirror(options: CheckoutOptions): Promise<Checkout> {
  const { ctx, commit, dest } = options;
  const state = await destState(dest);
  if (state === 'used') {
    const head = await headOf(ctx, dest);
    if (head === commit) return { path: dest, commit, reused: true };
    if (!options.replace)
      throw new OmlError('E_USAGE', `${dest} already exists and is not a checkout of ${commit}`, {
        hint: 'choose another destination folder, or remove that one first',
        details: { dest, commit, found: head },
      });
  }
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    options.events?.({ type: 'git', step: 'checkout', repo: options.originUrl, detail: commit });
    await build(options, tmp);
    if (state === 'empty') await rmdir(dest);
    if (state === 'used') await rename(dest, `${tmp}.old`);
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(`${tmp}.old`, { recursive: true, force: true });
  }
  return { path: dest, commit, reused: false };
}
