/** `openmedlab clone` and the code step of `get`: a project's code at its pinned commit, from a local mirror. */
import path from 'node:path';
import { projectDir } from '../cache/paths.js';
import type { Context } from '../context.js';
import { OmlError } from '../errors.js';
import { type EventSink, silentSink } from '../events.js';
import type { RetryPolicy } from '../fetch/retry.js';
import { rewriteGithubUrl } from '../git/endpoint.js';
import type { LfsReport } from '../git/lfs.js';
import { materializeRepo, type SubmoduleResult } from '../git/materialize.js';
import type { MirrorStrategy } from '../git/mirror.js';
import { gitMessage, runGit } from '../git/run.js';
import { isFullCommit, validateRef, validateRepoUrl } from '../git/validate.js';
import { loadRegistry } from '../registry/load.js';
import { findProject } from '../registry/query.js';
import type { Project } from '../registry/types.js';

/** Which repository of a project: its code repository (default) or the openmedlab README repository. */
export type CloneWhich = 'code' | 'repo';

/** Options of clone(). */
export interface CloneOptions {
  ctx: Context;
  /** Project id or alias (ignored when `project` is given). */
  projectId?: string;
  project?: Project;
  /** Destination folder; default `<cwd>/<project id>`. */
  dest?: string;
  /** `code` (the project's code ref, else its repo) or `repo`. */
  which?: CloneWhich;
  /** A full commit or a branch/tag name to check out instead of the registry's pin. */
  ref?: string;
  events?: EventSink;
  /** Retry policy for network failures (tests shrink it). */
  retry?: Partial<RetryPolicy>;
  /** Replace an existing checkout at another commit (folders the cache owns). */
  replace?: boolean;
  /** Aborting stops git (E_INTERRUPTED). */
  signal?: AbortSignal;
}

/** What clone() did. */
export interface CloneResult {
  project: string;
  which: CloneWhich;
  /** The repository URL from the registry. */
  url: string;
  /** The URL fetched from (after OPENMEDLAB_GITHUB_ENDPOINT). */
  fetchUrl: string;
  commit: string;
  /** The checkout (the repository root). */
  path: string;
  /** The project's folder inside the repository, for subfolder projects. */
  subfolder?: string;
  /** Where the project's code is: `path`, or `path/subfolder`. */
  codePath: string;
  /** True when no network was used: every commit came from the local mirror. */
  fromMirror: boolean;
  /** The destination already held this checkout. */
  reused: boolean;
  strategy: MirrorStrategy;
  submodules: SubmoduleResult[];
  lfs: LfsReport;
}

/** The repository and pin a project uses for `which`. */
export function repoFor(
  project: Project,
  which: CloneWhich,
): { url: string; commit: string; subfolder?: string } {
  if (which === 'code' && project.code) {
    const { url, commit, subfolder } = project.code;
    return subfolder === undefined ? { url, commit } : { url, commit, subfolder };
  }
  return { url: project.repo.url, commit: project.repo.commit };
}

/** Resolve --ref: a full commit as is, a branch or tag name through `git ls-remote` (peeled tags win). */
export async function resolveRef(ctx: Context, url: string, ref: string): Promise<string> {
  const name = validateRef(ref);
  if (isFullCommit(name)) return name;
  if (ctx.offline) {
    throw new OmlError('E_OFFLINE', `resolving "${name}" needs the network, and --offline is set`, {
      hint: 'pass a full 40-hex commit with --ref, or drop --offline',
    });
  }
  const fetchUrl = validateRepoUrl(rewriteGithubUrl(url, ctx.endpoints.github));
  const result = await runGit({ ctx, args: ['ls-remote', '--', fetchUrl] });
  if (result.code !== 0) {
    throw new OmlError('E_GIT', `could not list the refs of ${fetchUrl}: ${gitMessage(result.stderr)}`);
  }
  const refs = new Map(
    result.stdout.split('\n').map((line) => line.split('\t').reverse() as [string, string]),
  );
  const wanted = [`refs/tags/${name}^{}`, `refs/tags/${name}`, `refs/heads/${name}`, name];
  const commit = wanted.map((r) => refs.get(r)).find((oid) => oid !== undefined);
  if (commit === undefined || !isFullCommit(commit)) {
    throw new OmlError('E_USAGE', `no branch or tag "${name}" in ${fetchUrl}`, {
      hint: 'pass a full 40-hex commit or an existing branch/tag name with --ref',
    });
  }
  return commit.toLowerCase();
}

async function projectOf(options: CloneOptions): Promise<Project> {
  if (options.project) return options.project;
  if (options.projectId === undefined) throw new OmlError('E_USAGE', 'clone needs a project id');
  const { registry } = await loadRegistry(options.ctx);
  return findProject(registry, options.projectId);
}

/** Check a project's repository out at its pinned commit (or --ref), through the mirror cache. */
export async function clone(options: CloneOptions): Promise<CloneResult> {
  const { ctx } = options;
  const events = options.events ?? silentSink;
  const project = await projectOf(options);
  const which = options.which ?? 'code';
  const pin = repoFor(project, which);
  const commit = options.ref === undefined ? pin.commit : await resolveRef(ctx, pin.url, options.ref);
  const dest = path.resolve(ctx.cwd, options.dest ?? project.id);
  const done = await materializeRepo({
    ctx,
    url: pin.url,
    commit,
    dest,
    subfolder: pin.subfolder,
    replace: options.replace,
    events,
    retry: options.retry,
    signal: options.signal,
  });
  const fromMirror = done.strategy === 'cached' && done.submodules.every((s) => s.strategy === 'cached');
  return {
    project: project.id,
    which,
    url: pin.url,
    fetchUrl: done.fetchUrl,
    commit: done.commit,
    path: done.path,
    ...(pin.subfolder === undefined ? {} : { subfolder: pin.subfolder }),
    codePath: pin.subfolder === undefined ? done.path : path.join(done.path, pin.subfolder),
    fromMirror,
    reused: done.reused,
    strategy: done.strategy,
    submodules: done.submodules,
    lfs: done.lfs,
  };
}

/** Options of codeStep (the `get` command's code step). */
export interface CodeStepOptions {
  ctx: Context;
  project: Project;
  /** `get --dest`: the code goes to `<dest>/code`; else to `<cache>/projects-v1/<id>/code`. */
  dest?: string;
  events?: EventSink;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
}

/** The code step of `get`: the project's code (or repo) at its pin, in the project's folder. */
export function codeStep(options: CodeStepOptions): Promise<CloneResult> {
  const { ctx, project } = options;
  const inCache = options.dest === undefined;
  const dest = inCache
    ? path.join(projectDir(ctx.cacheDir, project.id), 'code')
    : path.join(path.resolve(ctx.cwd, options.dest as string), 'code');
  return clone({
    ctx,
    project,
    dest,
    which: 'code',
    replace: inCache, // the cache owns that folder: a newer registry pin replaces the old checkout
    ...(options.events ? { events: options.events } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
