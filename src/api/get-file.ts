/**
 * Fetch one file of a checkpoint: pin lookup, --frozen check, the download (verified against the
 * pin, or the digest a listing announced), then trust on first use when nothing pinned it.
 */

import { safeKey } from '../cache/paths.js';
import { checkTrust, recordTrust, trustPath } from '../cache/trust.js';
import { IntegrityError, OmlError } from '../errors.js';
import { downloadToStore } from '../fetch/download.js';
import type { DownloadPlan, ListedFile } from '../fetch/plan.js';
import type { Artifact, Source } from '../registry/types.js';
import { fileTrustKey, type Pin, pinFor } from './get-pins.js';
import type { Run } from './get-run.js';
import type { VerifiedBy } from './get-types.js';

/** A file fetched into the store. */
export interface FetchedFile {
  relPath: string;
  sha256: string;
  size: number;
  blobPath: string;
  verifiedBy: VerifiedBy;
  fromCache: boolean;
  md5?: string;
}

/** A short text naming a source (trust records, messages). */
export function describeSource(source: Source): string {
  const { host, note: _n, ...fields } = source;
  return `${host} ${Object.values(fields).join(' ')}`.trim();
}

/** A file name from a server, reduced to one safe path segment. */
export function safeFilename(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[/\\]/).pop()?.trim() ?? '';
  return base === '' || base === '.' || base === '..' ? fallback : base;
}

/** Rethrow an integrity failure against a TOFU record with the record named and how to reset it. */
function asTrustError(run: Run, pin: Pin, error: unknown): unknown {
  if (pin.by !== 'tofu' || !pin.trust || !(error instanceof IntegrityError)) return error;
  return new IntegrityError(
    `${pin.trust.key} (trusted on first use ${pin.trust.firstSeen} from ${pin.trust.source})`,
    error.expected,
    error.found,
    {
      hint: `the file differs from the one first downloaded on this machine; if the new one is legitimate, delete ${trustPath(run.pc.dataDir, pin.trust.key)} and run again`,
      details: { trustRecord: trustPath(run.pc.dataDir, pin.trust.key), kind: 'tofu' },
    },
  );
}

/** Download one file; `relPath` undefined = the checkpoint's single file. */
export async function fetchFile(
  run: Run,
  artifact: Artifact,
  source: Source,
  plan: DownloadPlan,
  relPath: string | undefined,
  listed?: ListedFile,
): Promise<FetchedFile> {
  const { project } = run.pc;
  const pin = await pinFor(run.pc, artifact, relPath);
  if (run.frozen && (!pin || pin.by === 'tofu')) {
    throw new OmlError(
      'E_FROZEN',
      `--frozen: ${project} ${artifact.name}${relPath ? ` ${relPath}` : ''} is pinned neither by the registry nor by the lockfile`,
      {
        hint: `run \`openmedlab lock ${project}\` (without --frozen) and commit openmedlab.lock`,
      },
    );
  }
  const announced = listed?.sha256 ? { sha256: listed.sha256 } : {};
  const expected = pin
    ? { ...(pin.sha256 ? { sha256: pin.sha256 } : {}), ...(pin.size === undefined ? {} : { size: pin.size }) }
    : { ...announced, ...(listed?.size === undefined ? {} : { size: listed.size }) };
  const key = `${project}.${artifact.name}.${safeKey(plan.url).slice(0, 16)}`;
  const label = `${project}/${artifact.name}${relPath ? `/${relPath}` : ''}`;
  let dl: Awaited<ReturnType<typeof downloadToStore>>;
  try {
    dl = await run.limit(() =>
      downloadToStore({
        plan,
        ctx: run.ctx,
        cacheRoot: run.root,
        key,
        label,
        expected,
        dispatcher: run.dispatcher,
        events: run.events,
        ...(run.signal ? { signal: run.signal } : {}),
        ...(run.retries ? { retries: run.retries } : {}),
      }),
    );
  } catch (error) {
    throw pin ? asTrustError(run, pin, error) : error;
  }
  const name = relPath ?? artifact.filename ?? safeFilename(plan.filename ?? dl.filename, artifact.name);
  const found = { sha256: dl.sha256, size: dl.size };
  let verifiedBy: VerifiedBy = pin
    ? pin.by
    : listed?.sha256 || dl.serverDigestVerified
      ? 'server-digest'
      : 'first-use';
  if (!pin) verifiedBy = await trustFirstUse(run, artifact, source, relPath, found, verifiedBy);
  return {
    relPath: name,
    ...found,
    blobPath: dl.blobPath,
    verifiedBy,
    fromCache: false,
    ...(listed?.md5 ? { md5: listed.md5 } : {}),
  };
}

/**
 * Record a file nothing pinned; when another process recorded it first, check against that.
 * The W_TOFU warning is emitted once per checkpoint by get-artifact.ts.
 */
async function trustFirstUse(
  run: Run,
  artifact: Artifact,
  source: Source,
  relPath: string | undefined,
  found: { sha256: string; size: number },
  verifiedBy: VerifiedBy,
): Promise<VerifiedBy> {
  const key = fileTrustKey(run.pc.project, artifact.name, relPath);
  const { record, created } = await recordTrust(run.pc.dataDir, {
    key,
    ...found,
    source: describeSource(source),
  });
  if (!created) {
    checkTrust(run.pc.dataDir, record, found);
    return verifiedBy === 'server-digest' ? verifiedBy : 'tofu';
  }
  return verifiedBy;
}
