/** Submodules of a checkout: found from .gitmodules and the tree's gitlinks, each checked out at its recorded commit. */
import type { EventSink } from '../events.js';
import { inCone, listTree } from './objects.js';
import { type GitContext, git, runGit } from './run.js';
import { validateRepoUrl } from './validate.js';

/** One submodule to materialise. */
export interface SubmoduleRef {
  name: string;
  path: string;
  url: string;
  commit: string;
}

/** Resolve a submodule URL that is relative (`../x.git`) against the superproject's URL, as git does. */
export function resolveSubmoduleUrl(url: string, parentUrl: string): string {
  if (!url.startsWith('./') && !url.startsWith('../')) return url;
  return new URL(url, `${parentUrl.replace(/\/+$/, '')}/`).toString();
}

/** Parse `git config --null --get-regexp` output of .gitmodules into name -> {path, url}. */
export function parseGitmodules(text: string): Map<string, { path?: string; url?: string }> {
  const out = new Map<string, { path?: string; url?: string }>();
  for (const record of text.split('\0')) {
    const nl = record.indexOf('\n');
    if (nl < 0) continue;
    const key = record.slice(0, nl);
    const match = /^submodule\.(.+)\.(path|url)$/.exec(key);
    if (!match) continue;
    const [, name = '', field] = match;
    const entry = out.get(name) ?? {};
    entry[field as 'path' | 'url'] = record.slice(nl + 1);
    out.set(name, entry);
  }
  return out;
}

/** The submodules of the checkout at `dir` inside the cone of `subfolder`, URLs resolved and validated. */
export async function listSubmodules(
  ctx: GitContext,
  dir: string,
  commit: string,
  parentUrl: string,
  subfolder?: string,
): Promise<SubmoduleRef[]> {
  const links = (await listTree(ctx, dir, commit)).filter(
    (e) => e.type === 'commit' && inCone(e.path, subfolder),
  );
  if (links.length === 0) return [];
  const config = await runGit({
    ctx,
    cwd: dir,
    args: ['config', '--file', '.gitmodules', '--null', '--get-regexp', '^submodule\\.'],
  });
  const modules = parseGitmodules(config.stdout);
  const refs: SubmoduleRef[] = [];
  for (const link of links) {
    const found = [...modules].find(([, m]) => m.path === link.path);
    if (!found?.[1].url) continue; // a gitlink with no URL cannot be fetched; git skips it too
    const url = validateRepoUrl(resolveSubmoduleUrl(found[1].url, parentUrl));
    refs.push({ name: found[0], path: link.path, url, commit: link.oid });
  }
  return refs;
}

/** Record the checked-out submodules in the superproject and move their .git into .git/modules (git's layout). */
export async function registerSubmodules(
  ctx: GitContext,
  dir: string,
  subs: SubmoduleRef[],
  events?: EventSink,
): Promise<void> {
  if (subs.length === 0) return;
  for (const sub of subs) {
    await git({ ctx, cwd: dir, args: ['config', '--', `submodule.${sub.name}.url`, sub.url] });
    await git({ ctx, cwd: dir, args: ['config', '--', `submodule.${sub.name}.active`, 'true'] });
  }
  await git({ ctx, cwd: dir, args: ['submodule', 'absorbgitdirs'], events });
}
