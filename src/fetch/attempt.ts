/**
 * One attempt of downloadToStore: decide where to start (resume or 0), send the request, interpret
 * the status (206 append, 200 restart, 416 finished-or-restart, HTML page -> onHtml), then stream.
 */
import fs from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { parseAnnouncedSha256 } from '../cache/digest.js';
import { commitBlob } from '../cache/store.js';
import { checkIntegrity } from '../cache/verify.js';
import { OmlError } from '../errors.js';
import type { EventSink } from '../events.js';
import type { ResponseBody } from './body.js';
import type { DownloadOptions, DownloadResult } from './download.js';
import { isHtmlResponse, MAX_HTML_BYTES } from './html.js';
import { header, type OpenResponse, openResponse, redactUrl, statusError } from './http.js';
import { dropPartial, type PartialPaths, readResume, writeSidecar } from './partial.js';
import { streamToPartial } from './stream.js';

/** What survives between attempts of one download. */
export interface AttemptState {
  options: DownloadOptions & { events: EventSink };
  dispatcher: Dispatcher;
  paths: PartialPaths;
  /** URL to request (changes after an HTML 'follow' verdict). */
  url: string;
  /** Headers added by an HTML 'follow' verdict (a cookie for Drive's confirmation). */
  extraHeaders: Record<string, string>;
  htmlHops: number;
  bytesReceived: number;
}

/** Start and total of a `Content-Range: bytes a-b/total` header. */
export function parseContentRange(value: string | undefined): { start?: number; total?: number } {
  const m = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!m) return {};
  return {
    ...(m[1] === undefined ? {} : { start: Number(m[1]) }),
    ...(m[2] === undefined || m[2] === '*' ? {} : { total: Number(m[2]) }),
  };
}

/** The file name from Content-Disposition (RFC 6266 filename* first), without any directory part. */
export function dispositionFilename(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const star = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(value)?.[1];
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(value);
  let name = star ? safeDecode(star.trim()) : (plain?.[1] ?? plain?.[2]?.trim());
  name = name?.split(/[\\/]/).pop();
  return name && name !== '.' && name !== '..' ? name : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** plan.filename, else Content-Disposition, else the last URL segment. */
function pickFilename(state: AttemptState, res: OpenResponse): string {
  const fromUrl = safeDecode(new URL(res.finalUrl).pathname.split('/').filter(Boolean).pop() ?? '');
  return (
    state.options.plan.filename ??
    dispositionFilename(header(res.headers, 'content-disposition')) ??
    (fromUrl || 'download')
  );
}

/** The sha256 the server announced in plan.digestHeader, on any hop or the final answer. */
function announcedSha256(state: AttemptState, res: OpenResponse): string | undefined {
  const name = state.options.plan.digestHeader;
  if (!name) return undefined;
  for (const hop of [...res.hops, res]) {
    const value = parseAnnouncedSha256(header(hop.headers, name));
    if (value) return value;
  }
  return undefined;
}

/** Run one attempt; throws on failure (the caller's retry loop decides what happens next). */
export async function runAttempt(state: AttemptState): Promise<DownloadResult> {
  const { plan } = state.options;
  const resume = await readResume(state.paths, plan.url);
  const headers: Record<string, string> = {
    'accept-encoding': 'identity',
    ...plan.headers,
    ...state.extraHeaders,
  };
  if (resume) Object.assign(headers, { range: `bytes=${resume.offset}-`, 'if-range': resume.validator });
  const res = await openResponse({
    url: state.url,
    headers,
    ctx: state.options.ctx,
    dispatcher: state.dispatcher,
    ...(state.options.signal ? { signal: state.options.signal } : {}),
    ...(state.options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: state.options.stallTimeoutMs }),
    ...(state.options.maxRedirects === undefined ? {} : { maxRedirects: state.options.maxRedirects }),
  });
  const range = parseContentRange(header(res.headers, 'content-range'));
  if (res.status === 206 && resume && range.start === resume.offset) {
    return stream(state, res, resume.offset, undefined);
  }
  if (res.status === 416 && resume && range.total === resume.offset) {
    await res.body.dump(); // the partial already holds the whole file
    return stream(state, res, resume.offset, undefined, true);
  }
  if (res.status === 200) return fromScratch(state, res);
  await res.body.dump();
  if (res.status === 206 || res.status === 416) {
    await dropPartial(state.paths); // a range we did not ask for, or one the file no longer has
    throw new OmlError(
      'E_NETWORK',
      `unusable range answer (${res.status}) from ${redactUrl(res.finalUrl)}; restarting`,
      {
        details: { status: res.status, retryable: true, retryAfterMs: 0 },
      },
    );
  }
  throw statusError(res.status, res.finalUrl, res, plan.authHint);
}

/** A 200: the whole file from byte 0 (a resume the server declined restarts cleanly), HTML checked first. */
async function fromScratch(state: AttemptState, res: OpenResponse): Promise<DownloadResult> {
  const first = await res.body.nextBatch();
  const head = Buffer.concat(first.slice(0, 8)).subarray(0, 512);
  if (!state.options.allowHtml && isHtmlResponse(header(res.headers, 'content-type'), head)) {
    return onHtmlPage(state, res, res.body, first);
  }
  await dropPartial(state.paths);
  return stream(state, res, 0, { body: res.body, first });
}

/** Read at most MAX_HTML_BYTES of an HTML answer and let the plan decide: follow a new URL or fail. */
async function onHtmlPage(
  state: AttemptState,
  res: OpenResponse,
  body: ResponseBody,
  first: Buffer[],
): Promise<DownloadResult> {
  const chunks = [...first];
  let size = chunks.reduce((sum, c) => sum + c.length, 0);
  while (size < MAX_HTML_BYTES && chunks.length > 0) {
    const batch = await body.nextBatch();
    if (batch.length === 0) break;
    chunks.push(...batch);
    size += batch.reduce((sum, c) => sum + c.length, 0);
  }
  res.body.destroy();
  await dropPartial(state.paths);
  const html = Buffer.concat(chunks).subarray(0, MAX_HTML_BYTES).toString('utf8');
  const verdict = state.options.plan.onHtml?.(html, res.finalUrl) ?? {
    kind: 'fail' as const,
    reason: `${redactUrl(res.finalUrl)} answered with an HTML page instead of the file`,
  };
  if (verdict.kind === 'fail') {
    throw new OmlError('E_HOST', verdict.reason, {
      hint: verdict.hint ?? 'the link may need a sign-in or have expired; trying the next source, if any',
      details: { url: redactUrl(res.finalUrl), host: state.options.plan.host, retryable: false },
    });
  }
  state.htmlHops += 1;
  if (state.htmlHops > (state.options.maxHtmlHops ?? 5)) {
    throw new OmlError('E_HOST', `too many HTML pages in a row from ${redactUrl(state.options.plan.url)}`, {
      details: { url: redactUrl(res.finalUrl), host: state.options.plan.host, retryable: false },
    });
  }
  state.url = verdict.url;
  state.extraHeaders = verdict.headers ?? {};
  return runAttempt(state);
}

/** Stream (or, for a complete partial, just hash) into the partial file, check it, commit it. */
async function stream(
  state: AttemptState,
  res: OpenResponse,
  offset: number,
  body: { body: ResponseBody; first: Buffer[] } | undefined,
  complete = false,
): Promise<DownloadResult> {
  const { options } = state;
  const range = parseContentRange(header(res.headers, 'content-range'));
  const length = header(res.headers, 'content-length');
  const total = range.total ?? (length === undefined || complete ? undefined : offset + Number(length));
  if (offset === 0) {
    const etag = header(res.headers, 'etag');
    const lastModified = header(res.headers, 'last-modified');
    await writeSidecar(state.paths, {
      url: options.plan.url,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
      ...(total === undefined ? {} : { total }),
    });
  }
  options.events({
    type: 'download-start',
    key: options.key,
    label: options.label ?? options.plan.filename ?? redactUrl(options.plan.url),
    url: redactUrl(options.plan.url),
    total,
    resumeFrom: offset,
  });
  const result = await streamToPartial({
    file: state.paths.file,
    offset,
    source: complete ? undefined : (body ?? { body: res.body, first: [] }),
    total,
    key: options.key,
    events: options.events,
    onBytes: (n) => {
      state.bytesReceived += n;
    },
  });
  const announced = announcedSha256(state, res);
  await checkOrDrop(state, result, total, announced);
  const blobPath = await commitBlob(options.cacheRoot, state.paths.file, result.sha256);
  await fs.rm(state.paths.sidecar, { force: true });
  options.events({
    type: 'download-end',
    key: options.key,
    bytes: result.size,
    sha256: result.sha256,
    fromCache: false,
  });
  return {
    sha256: result.sha256,
    size: result.size,
    blobPath,
    filename: pickFilename(state, res),
    finalUrl: redactUrl(res.finalUrl),
    serverDigestVerified: announced !== undefined,
    resumedFrom: offset,
    bytesReceived: state.bytesReceived,
  };
}

/** Size and digest checks; a failure deletes the partial (its bytes are wrong, resuming would keep them). */
async function checkOrDrop(
  state: AttemptState,
  found: { sha256: string; size: number },
  total: number | undefined,
  announced: string | undefined,
): Promise<void> {
  const what = state.options.label ?? state.options.plan.filename ?? redactUrl(state.options.plan.url);
  if (total !== undefined && found.size < total) {
    // Fewer bytes than announced and no socket error: keep them, the next attempt resumes.
    throw new OmlError('E_NETWORK', `${what}: received ${found.size} of ${total} bytes`, {
      details: { retryable: true, size: found.size, total },
    });
  }
  try {
    if (total !== undefined) checkIntegrity(`${what} (size announced by the server)`, found, { size: total });
    checkIntegrity(what, found, state.options.expected ?? {});
    if (announced !== undefined)
      checkIntegrity(`${what} (digest announced by the server)`, found, { sha256: announced });
  } catch (error) {
    await dropPartial(state.paths);
    throw error;
  }
}
