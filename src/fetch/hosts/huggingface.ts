/**
 * Hugging Face Hub: one file by `resolve` URL, or a whole repository listed through the tree API.
 * HF_ENDPOINT (ctx.endpoints.huggingface) points everything at a mirror; HF_TOKEN opens gated repos.
 * The Hub announces an LFS file's sha256 in X-Linked-ETag, which the engine checks against the stream.
 */
import { OmlError } from '../../errors.js';
import type { HuggingfaceSource } from '../../registry/types.js';
import type { DownloadPlan, ListedFile, SourcePlan } from '../plan.js';
import type { AdapterContext, HostAdapter } from './adapter.js';
import { encodePath } from './adapter.js';

type RepoType = NonNullable<HuggingfaceSource['repoType']>;

const URL_PREFIX: Record<RepoType, string> = { model: '', dataset: 'datasets/', space: 'spaces/' };
const API_KIND: Record<RepoType, string> = { model: 'models', dataset: 'datasets', space: 'spaces' };
/** Hosts whose URLs we rewrite through the configured endpoint. */
const HF_HOSTS = new Set(['huggingface.co', 'www.huggingface.co', 'hf-mirror.com', 'hf.co']);

/** The public page of a repo, where a gated repo's access is requested (never the mirror). */
export function hfRepoPage(repo: string, repoType: RepoType = 'model'): string {
  return `https://huggingface.co/${URL_PREFIX[repoType]}${repo}`;
}

/** Authorization header and 401/403 hint shared by file and listing requests. */
function hfAuth(repo: string, repoType: RepoType, ctx: AdapterContext) {
  const page = hfRepoPage(repo, repoType);
  const headers: Record<string, string> = ctx.hfToken ? { authorization: `Bearer ${ctx.hfToken}` } : {};
  const authHint = ctx.hfToken
    ? `the token in HF_TOKEN has no access to this repository: request access at ${page} with that account`
    : `this repository is gated: request access at ${page}, then set HF_TOKEN to a token of that account`;
  return { headers, authHint };
}

/** The download plan of one file of a repo at a revision. */
export function hfFilePlan(
  repo: string,
  filePath: string,
  revision: string,
  repoType: RepoType,
  ctx: AdapterContext,
): DownloadPlan {
  const { headers, authHint } = hfAuth(repo, repoType, ctx);
  const url = `${ctx.endpoints.huggingface}/${URL_PREFIX[repoType]}${encodePath(repo)}/resolve/${encodeURIComponent(revision)}/${encodePath(filePath)}`;
  return {
    host: 'huggingface',
    url,
    headers,
    filename: filePath.split('/').at(-1),
    authHint,
    digestHeader: 'x-linked-etag',
  };
}

interface TreeEntry {
  type?: string;
  path?: string;
  size?: number;
  lfs?: { oid?: string; size?: number };
}

/** Parse the tree API's JSON into files (directories are implied by paths with recursive=true). */
export function parseHfTree(
  body: string,
  repo: string,
  revision: string,
  repoType: RepoType,
  ctx: AdapterContext,
): ListedFile[] {
  let entries: unknown;
  try {
    entries = JSON.parse(body);
  } catch (cause) {
    throw new OmlError('E_HOST', `Hugging Face listing of ${repo} is not JSON`, { cause });
  }
  if (!Array.isArray(entries)) throw new OmlError('E_HOST', `Hugging Face listing of ${repo} is not a list`);
  return (entries as TreeEntry[])
    .filter((e) => e.type === 'file' && typeof e.path === 'string')
    .map((e) => {
      const relPath = e.path as string;
      const sha = e.lfs?.oid && /^[0-9a-f]{64}$/.test(e.lfs.oid) ? e.lfs.oid : undefined;
      const size = e.lfs?.size ?? e.size;
      return {
        relPath,
        ...(size === undefined ? {} : { size }),
        ...(sha ? { sha256: sha } : {}),
        plan: hfFilePlan(repo, relPath, revision, repoType, ctx),
      };
    });
}

/** One file (`path`) or the whole repo (a listing). */
export const huggingfaceAdapter: HostAdapter<HuggingfaceSource> = (source, ctx) => {
  const repoType = source.repoType ?? 'model';
  const revision = source.revision ?? 'main';
  if (source.path !== undefined && source.path !== '') {
    return { kind: 'file', plan: hfFilePlan(source.repo, source.path, revision, repoType, ctx) };
  }
  const { headers, authHint } = hfAuth(source.repo, repoType, ctx);
  return {
    kind: 'listing',
    listing: {
      host: 'huggingface',
      url: `${ctx.endpoints.huggingface}/api/${API_KIND[repoType]}/${encodePath(source.repo)}/tree/${encodeURIComponent(revision)}?recursive=true`,
      headers,
      authHint,
      parse: (body) => parseHfTree(body, source.repo, revision, repoType, ctx),
    },
  };
};

/**
 * A Hub URL found in an https source (`/blob/` viewer links included, as READMEs copy them) turned
 * into a resolve plan through the configured endpoint; undefined when the URL is not a Hub file URL.
 */
export function hfUrlPlan(url: URL, ctx: AdapterContext): SourcePlan | undefined {
  const endpointHost = new URL(ctx.endpoints.huggingface).host;
  if (!HF_HOSTS.has(url.hostname) && url.host !== endpointHost) return undefined;
  const segs = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let repoType: RepoType = 'model';
  if (segs[0] === 'datasets' || segs[0] === 'spaces') {
    repoType = segs[0] === 'datasets' ? 'dataset' : 'space';
    segs.shift();
  }
  const [owner, name, verb, revision, ...rest] = segs;
  if (!owner || !name || (verb !== 'blob' && verb !== 'resolve') || !revision || rest.length === 0) {
    return undefined;
  }
  return { kind: 'file', plan: hfFilePlan(`${owner}/${name}`, rest.join('/'), revision, repoType, ctx) };
}
