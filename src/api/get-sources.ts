/**
 * Fetch one checkpoint by trying its sources in registry order. A failing source emits
 * `source-failed` and the next one is tried; when all fail, the most informative error wins
 * (an integrity failure first, then manual instructions, then auth/host/HTTP/network failures).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { importFile } from '../cache/store.js';
import { isOmlError, OmlError } from '../errors.js';
import { planSource } from '../fetch/hosts/index.js';
import { fetchText, redactUrl } from '../fetch/http.js';
import type { ListedFile, ListingPlan } from '../fetch/plan.js';
import type { Artifact, Source } from '../registry/types.js';
import { bestError, type ManualStep } from './get-errors.js';
import { type FetchedFile, fetchFile } from './get-file.js';
import { pinFor } from './get-pins.js';
import type { Run } from './get-run.js';
import type { SourceUsed } from './get-types.js';

/** Errors that stop the whole checkpoint instead of moving to the next source. */
const FATAL = new Set(['E_INTERRUPTED', 'E_OFFLINE', 'E_FROZEN', 'E_NO_SPACE', 'E_REGISTRY']);
const MAX_DEPTH = 8;
const MAX_PAGES = 1000;

/** True when a checkpoint is one file (no whole-repo, folder or whole-record source). */
export function isSingleFile(artifact: Artifact): boolean {
  return !artifact.sources.some(
    (s) =>
      (s.host === 'huggingface' && !s.path) ||
      s.host === 'google-drive-folder' ||
      (s.host === 'zenodo' && !s.file),
  );
}

/** Wait for every file (no download is left running behind a failure), then throw the first failure. */
async function settleAll<T>(tasks: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** The `rel="next"` target of a Link header (paginated listings: the Hub's tree API), if any. */
export function nextLink(link: string | string[] | undefined, base: string): string | undefined {
  const text = Array.isArray(link) ? link.join(',') : link;
  const m = text ? /<([^>]+)>\s*;\s*rel="?next"?/i.exec(text) : null;
  return m?.[1] ? new URL(m[1], base).href : undefined;
}

/** Fetch a listing and its sub-folders into files with paths relative to the checkpoint. */
async function listAll(run: Run, listing: ListingPlan, prefix: string, depth: number): Promise<ListedFile[]> {
  if (depth > MAX_DEPTH) throw new OmlError('E_HOST', `folder nesting deeper than ${MAX_DEPTH} at ${prefix}`);
  const files: ListedFile[] = [];
  let url: string | undefined = listing.url;
  for (let page = 0; url !== undefined && page < MAX_PAGES; page++) {
    const { text, finalUrl, headers } = await fetchText({
      url,
      headers: listing.headers,
      ctx: run.ctx,
      dispatcher: run.dispatcher,
      ...(run.signal ? { signal: run.signal } : {}),
      ...(listing.authHint ? { authHint: listing.authHint } : {}),
    });
    files.push(...listing.parse(text, finalUrl).map((f) => ({ ...f, relPath: prefix + f.relPath })));
    for (const sub of listing.folders?.(text, finalUrl) ?? []) {
      files.push(...(await listAll(run, sub.listing, `${prefix}${sub.relPath}/`, depth + 1)));
    }
    url = nextLink(headers.link, finalUrl);
  }
  return files;
}

/** A file committed in the code checkout (in-repo source). */
async function fromCode(run: Run, artifact: Artifact, relInRepo: string): Promise<FetchedFile> {
  if (!run.codeDir) {
    throw new OmlError(
      'E_HOST',
      `${artifact.name} is in the code repository, and the code step did not run`,
      {
        hint: 'run without --no-code',
      },
    );
  }
  const file = path.join(run.codeDir, relInRepo);
  await fs.access(file).catch((cause) => {
    throw new OmlError('E_HOST', `${relInRepo} is missing from the code checkout`, { cause });
  });
  const pin = await pinFor(run.pc, artifact, undefined);
  const expected = pin
    ? { ...(pin.sha256 ? { sha256: pin.sha256 } : {}), ...(pin.size === undefined ? {} : { size: pin.size }) }
    : {};
  const { sha256, size, blobPath } = await importFile(run.root, file, expected);
  return {
    relPath: artifact.filename ?? path.basename(file),
    sha256,
    size,
    blobPath,
    verifiedBy: pin?.by ?? 'commit',
    fromCache: false,
  };
}

/** Try one source; returns the files it produced. */
async function trySource(
  run: Run,
  artifact: Artifact,
  source: Source,
  single: boolean,
  manual: ManualStep[],
) {
  const plan = planSource(source, run.ctx);
  if (plan.kind === 'manual') {
    manual.push({
      host: plan.host,
      url: plan.url,
      ...(plan.code ? { code: plan.code } : {}),
      reason: plan.reason,
    });
    return undefined;
  }
  if (plan.kind === 'in-repo') return { files: [await fromCode(run, artifact, plan.path)], url: undefined };
  if (plan.kind === 'file') {
    return {
      files: [await fetchFile(run, artifact, source, plan.plan, single ? undefined : plan.plan.filename)],
      url: plan.plan.url,
    };
  }
  const listed = await listAll(run, plan.listing, '', 0);
  if (listed.length === 0)
    throw new OmlError('E_HOST', `the ${source.host} listing of ${artifact.name} is empty`);
  const one = single && listed.length === 1;
  const files = await settleAll(
    listed.map((f) => fetchFile(run, artifact, source, f.plan, one ? undefined : f.relPath, f)),
  );
  return { files, url: plan.listing.url };
}

/** Fetch a checkpoint from the first source that works. */
export async function fetchArtifact(
  run: Run,
  artifact: Artifact,
  single: boolean,
): Promise<{ files: FetchedFile[]; source: SourceUsed }> {
  const failures: Array<{ host: string; error: unknown }> = [];
  const manual: ManualStep[] = [];
  for (const [index, source] of artifact.sources.entries()) {
    try {
      const got = await trySource(run, artifact, source, single, manual);
      if (got)
        return {
          files: got.files,
          source: { index, host: source.host, ...(got.url ? { url: redactUrl(got.url) } : {}) },
        };
    } catch (error) {
      if (isOmlError(error) && FATAL.has(error.code)) throw error;
      if (!isOmlError(error) && (error as NodeJS.ErrnoException).code === 'ENOSPC') throw error;
      failures.push({ host: source.host, error });
      const reason = error instanceof Error ? error.message : String(error);
      run.events({
        type: 'source-failed',
        key: `${run.pc.project}/${artifact.name}`,
        host: source.host,
        reason,
      });
    }
  }
  throw bestError(run.pc.project, artifact, failures, manual);
}
