/**
 * `openmedlab cache ls [id...]`: per project, its checkpoints (files, sizes, sha256, source, when and
 * how they were last verified, whether each blob is present), its code mirrors (URL, size on disk,
 * pinned commits present) and when it was last used; totals count each blob once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { blobPath, mirrorPath, projectDir } from '../cache/paths.js';
import { InodeSet, listEntries, sizeOf } from '../cache/scan.js';
import type { Context } from '../context.js';
import { pinRef } from '../git/remote.js';
import { runGit } from '../git/run.js';
import { exists, lastUsed, registryProjects, repoUrls, resolveIds } from './cache-projects.js';

/** One file of a cached checkpoint. */
export interface CachedFileInfo {
  relPath: string;
  size: number;
  sha256: string;
  verifiedBy: string | undefined;
  /** The blob is in content-v1. */
  present: boolean;
}

/** A cached checkpoint (or dataset). */
export interface CachedCheckpointInfo {
  name: string;
  section: 'checkpoints' | 'datasets';
  /** The host that served it. */
  source: string;
  size: number;
  files: CachedFileInfo[];
  fetchedAt: string;
  /** Last verification: on download (verify on write), or by `cache verify`. Every get re-hashes on read too. */
  verified: { at: string; how: 'download' | 'cache-verify' };
  /** Every blob is present. */
  complete: boolean;
}

/** A git mirror a project uses. */
export interface CachedMirrorInfo {
  url: string;
  path: string;
  /** Bytes on disk (hardlinked pack files counted once). */
  bytes: number;
  /** The commit the registry pins for this URL, and whether the mirror holds it. */
  pinned: { commit: string; present: boolean };
  /** Every commit the mirror was asked to pin (refs/heads/openmedlab-pin/*). */
  commits: string[];
}

/** One cached project. */
export interface CachedProjectInfo {
  id: string;
  /** Its view folder (projects-v1/<id>). */
  dir: string;
  inRegistry: boolean;
  lastUsed: string | undefined;
  checkpoints: CachedCheckpointInfo[];
  /** The code checkout in the view, when present. */
  code: string | undefined;
  mirrors: CachedMirrorInfo[];
  /** Bytes of its checkpoints' blobs. */
  bytes: number;
}

/** What cache ls returns. */
export interface CacheLsResult {
  root: string;
  projects: CachedProjectInfo[];
  totals: {
    projects: number;
    checkpoints: number;
    files: number;
    bytes: number;
    mirrors: number;
    mirrorBytes: number;
  };
}

/** Options of cacheLs. */
export interface CacheLsOptions {
  ctx: Context;
  /** Project ids or aliases (default: every cached project). */
  ids?: string[];
}

/** Commits pinned in a mirror. */
async function pinnedCommits(ctx: Context, dir: string): Promise<string[]> {
  const prefix = pinRef('');
  const r = await runGit({ ctx, cwd: dir, args: ['for-each-ref', '--format=%(refname)', prefix] }).catch(
    () => undefined,
  );
  if (r?.code !== 0) return [];
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((ref) => ref.slice(prefix.length))
    .sort();
}

/** A project's mirrors that exist. */
async function mirrorsInfo(
  ctx: Context,
  urls: Array<{ url: string; commit: string }>,
): Promise<CachedMirrorInfo[]> {
  const out: CachedMirrorInfo[] = [];
  for (const { url, commit } of urls) {
    const dir = mirrorPath(ctx.cacheDir, url);
    if (!(await exists(dir))) continue;
    const commits = await pinnedCommits(ctx, dir);
    const present =
      commits.includes(commit) ||
      (await runGit({ ctx, cwd: dir, args: ['cat-file', '-e', `${commit}^{commit}`] }).catch(() => undefined))
        ?.code === 0;
    const { bytes } = await sizeOf(dir, new InodeSet());
    out.push({ url, path: dir, bytes, pinned: { commit, present }, commits });
  }
  return out;
}

/** A cached checkpoint's description from its index record. */
async function checkpointInfo(root: string, entry: Awaited<ReturnType<typeof listEntries>>[number]) {
  const files: CachedFileInfo[] = [];
  for (const f of entry.files) {
    files.push({
      relPath: f.relPath,
      size: f.size,
      sha256: f.sha256,
      verifiedBy: f.verifiedBy,
      present: await exists(blobPath(root, f.sha256)),
    });
  }
  const byVerify = entry.verifiedAt !== undefined && entry.verifiedAt > entry.fetchedAt;
  const info: CachedCheckpointInfo = {
    name: entry.artifact,
    section: entry.section,
    source: entry.source,
    size: files.reduce((n, f) => n + f.size, 0),
    files,
    fetchedAt: entry.fetchedAt,
    verified: byVerify
      ? { at: entry.verifiedAt as string, how: 'cache-verify' }
      : { at: entry.fetchedAt, how: 'download' },
    complete: files.every((f) => f.present),
  };
  return info;
}

/** List what the cache holds; see the module comment. */
export async function cacheLs(options: CacheLsOptions): Promise<CacheLsResult> {
  const { ctx } = options;
  const root = ctx.cacheDir;
  const registry = await registryProjects(ctx);
  const ids = await resolveIds(ctx, options.ids, registry);
  const projects: CachedProjectInfo[] = [];
  const blobs = new Map<string, number>();
  for (const id of ids) {
    const dir = projectDir(root, id);
    const checkpoints = await Promise.all((await listEntries(root, id)).map((e) => checkpointInfo(root, e)));
    for (const c of checkpoints) for (const f of c.files) if (f.present) blobs.set(f.sha256, f.size);
    const used = await lastUsed(root, id, dir);
    const code = path.join(dir, 'code');
    projects.push({
      id,
      dir,
      inRegistry: registry.has(id),
      lastUsed: used === undefined ? undefined : new Date(used).toISOString(),
      checkpoints,
      code: (await fs.stat(code).catch(() => undefined))?.isDirectory() ? code : undefined,
      mirrors: await mirrorsInfo(ctx, repoUrls(registry.get(id))),
      bytes: checkpoints.reduce((n, c) => n + c.size, 0),
    });
  }
  const mirrors = new Map(projects.flatMap((p) => p.mirrors.map((m) => [m.path, m.bytes] as const)));
  return {
    root,
    projects,
    totals: {
      projects: projects.length,
      checkpoints: projects.reduce((n, p) => n + p.checkpoints.length, 0),
      files: blobs.size,
      bytes: [...blobs.values()].reduce((a, b) => a + b, 0),
      mirrors: mirrors.size,
      mirrorBytes: [...mirrors.values()].reduce((a, b) => a + b, 0),
    },
  };
}
