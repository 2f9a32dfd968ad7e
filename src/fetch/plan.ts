/**
 * The contract between host adapters (pure: registry source -> plan) and the HTTP engine (I/O).
 * An adapter never touches the network; the engine never knows about hosts.
 */
import type { HostName } from '../registry/types.js';

/** What to do with an HTML page received where a binary was expected. */
export type HtmlVerdict =
  | { kind: 'follow'; url: string; headers?: Record<string, string> }
  | { kind: 'fail'; reason: string; hint?: string };

/** One file to download over HTTP(S). */
export interface DownloadPlan {
  host: HostName;
  /** The first URL to request (redirects are followed by the engine). */
  url: string;
  /** Extra request headers (Authorization for HF, ...). Never logged. */
  headers: Record<string, string>;
  /** The file name, when the source says it (else the engine reads Content-Disposition). */
  filename?: string;
  /** Interprets an HTML answer (Drive confirmation form, quota page, SharePoint sign-in page). */
  onHtml?: (html: string, finalUrl: string) => HtmlVerdict;
  /** The hint for a 401/403 answer (e.g. the page where gated access is requested). */
  authHint?: string;
  /** Header whose value is the sha256 the server announces for the content (HF: x-linked-etag). */
  digestHeader?: string;
}

/** A listing request whose body an adapter turns into several file plans (HF repo, Drive folder, Zenodo). */
export interface ListingPlan {
  host: HostName;
  url: string;
  headers: Record<string, string>;
  authHint?: string;
  /** Turn the listing body into files; `relPath` is the file's path inside the artifact's folder. */
  parse: (body: string, finalUrl: string) => ListedFile[];
  /** Sub-folders found in the same body (Drive folders); the orchestrator lists them in turn. */
  folders?: (body: string, finalUrl: string) => Array<{ relPath: string; listing: ListingPlan }>;
}

/** One file found by a listing; digests the host announces are recorded (sha256 also checked). */
export interface ListedFile {
  relPath: string;
  size?: number;
  /** sha256 the host announces (HF LFS oid); the orchestrator verifies the stream against it. */
  sha256?: string;
  /** md5 the host announces (Zenodo); recorded, not verified (we verify sha256). */
  md5?: string;
  plan: DownloadPlan;
}

/** What a host adapter returns for one registry source. */
export type SourcePlan =
  | { kind: 'file'; plan: DownloadPlan }
  | { kind: 'listing'; listing: ListingPlan }
  | { kind: 'manual'; host: HostName; url: string; code?: string; reason: string }
  | { kind: 'in-repo'; path: string };
