/** The options and results of `get` (api/get.ts), shared by its helper modules. */
import type { Dispatcher } from 'undici';
import type { Context } from '../context.js';
import type { EventSink } from '../events.js';
import type { RetryPolicy } from '../fetch/retry.js';
import type { Project } from '../registry/types.js';
import type { FreeSpace, SpaceCheck } from './get-space.js';

/**
 * How a file was verified: pinned by the registry or the lockfile, checked against this machine's
 * trust-on-first-use record, trusted on first use now (recorded), or matched a digest the host
 * announced (Hugging Face X-Linked-ETag or its LFS listing), or came from the code checkout at the
 * registry's pinned commit (git checks its objects by hash).
 */
export type VerifiedBy = 'registry' | 'lock' | 'tofu' | 'first-use' | 'server-digest' | 'commit';

/** The optional code step (clone at the pinned commit); wired by the CLI from api/clone.ts. */
export type CodeStep = (args: {
  ctx: Context;
  project: Project;
  events: EventSink;
  signal?: AbortSignal;
}) => Promise<{ dir: string } | undefined>;

/** Options of get(). */
export interface GetOptions {
  ctx: Context;
  /** Project id or alias. */
  id: string;
  /** Checkpoint names; default every checkpoint that is not third-party. */
  checkpoints?: string[];
  /** Place the checkpoints in this folder (by registry filename) instead of only the cache view. */
  dest?: string;
  /** Print the plan only: files, sizes, sources, cache hits; no network. */
  dryRun?: boolean;
  /** Refuse files pinned neither by the registry nor the lockfile (exit 6); never rewrite the lockfile. */
  frozen?: boolean;
  /** Files downloaded in parallel (default 4). */
  jobs?: number;
  /** Lockfile path (--lock); default: openmedlab.lock in cwd or a parent, if any. */
  lockFile?: string;
  /** The code step; skipped when undefined (--no-code). */
  codeStep?: CodeStep;
  events?: EventSink;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  /** Retry policy overrides for downloads (tests shrink delays). */
  retries?: Partial<RetryPolicy>;
  /** How long to wait for another process fetching the same checkpoint (default 30 min). */
  lockWaitMs?: number;
  /** Free bytes where the cache lives (disk-space preflight; default fs.statfs). */
  freeSpace?: FreeSpace;
}

/** One file of a checkpoint. */
export interface FileResult {
  /** Path inside the checkpoint (its filename for a single file). */
  relPath: string;
  /** Where it is now (the cache view, or --dest). */
  path: string;
  size: number;
  sha256: string;
  verifiedBy: VerifiedBy;
  fromCache: boolean;
}

/** The source that served a checkpoint. */
export interface SourceUsed {
  index: number;
  host: string;
  /** The URL asked first (credentials redacted), or the listing URL. */
  url?: string;
}

/** What get() did for one checkpoint. */
export interface CheckpointResult {
  project: string;
  checkpoint: string;
  /** The file, or the folder (listings, extracted archives). */
  path: string;
  /** Total bytes. */
  size: number;
  /** sha256 of the single file (or archive); undefined for multi-file checkpoints. */
  sha256: string | undefined;
  /** The weakest verification among its files. */
  verifiedBy: VerifiedBy;
  source: SourceUsed | undefined;
  fromCache: boolean;
  files: FileResult[];
}

/** One checkpoint in a --dry-run plan. */
export interface PlannedCheckpoint {
  checkpoint: string;
  filename: string | undefined;
  size: number | undefined;
  pinnedBy: 'registry' | 'lock' | 'tofu' | undefined;
  cached: boolean;
  sources: Array<{ host: string; url: string; kind: string }>;
}

/** What get() returns. */
export interface GetResult {
  project: string;
  /** The project's folder in the cache view, or --dest. */
  dir: string;
  checkpoints: CheckpointResult[];
  /** Set with dryRun. */
  plan?: PlannedCheckpoint[];
  /** The disk-space preflight: known bytes to download and free space (always set before downloading). */
  space?: SpaceCheck;
  /** The code step's result, when it ran. */
  code?: { dir: string };
  /** The lockfile updated, if any. */
  lockFile?: string;
}
