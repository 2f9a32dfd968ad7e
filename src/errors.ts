/**
 * One error base for the whole library. Every failure the user can act on is an OmlError with a code
 * from the closed set below; the code decides the process exit status, so CI scripts can branch on it.
 */

/** Exit statuses, stable across releases (documented in README.md). */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  integrity: 3,
  network: 4,
  manual: 5,
  unavailable: 6,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The closed set of error codes and the exit status each maps to. */
export const ERROR_CODES = {
  E_USAGE: ExitCode.usage, // bad flag or argument
  E_UNKNOWN_PROJECT: ExitCode.usage, // no project with that id or alias
  E_UNKNOWN_ARTIFACT: ExitCode.usage, // no checkpoint/dataset with that name
  E_REGISTRY: ExitCode.usage, // registry file unreadable, malformed or invalid
  E_REGISTRY_VERSION: ExitCode.usage, // registry format newer than this openmedlab
  E_CONFIG: ExitCode.usage, // config file malformed or unknown key
  E_INTEGRITY: ExitCode.integrity, // sha256 or size mismatch
  E_NETWORK: ExitCode.network, // connection, timeout, 5xx after retries
  E_HTTP: ExitCode.network, // a definitive HTTP failure (401/403/404/...)
  E_HOST: ExitCode.network, // the host answered with something unusable (HTML page, quota page)
  E_GIT: ExitCode.network, // git failed (missing commit, unreachable remote)
  E_GIT_MISSING: ExitCode.usage, // git is not installed
  E_MANUAL: ExitCode.manual, // a person must fetch the file (Baidu Pan, landing page)
  E_OFFLINE: ExitCode.unavailable, // --offline and the thing is not cached
  E_FROZEN: ExitCode.unavailable, // --frozen and the file is not pinned
  E_NO_SPACE: ExitCode.unavailable, // not enough disk space
  E_LOCKED: ExitCode.unavailable, // another process holds the lock past the wait bound
  E_INTERRUPTED: ExitCode.interrupted, // SIGINT/SIGTERM
  E_INTERNAL: ExitCode.internal, // a bug
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface OmlErrorOptions {
  /** One line naming the fix, ideally a command to run. */
  hint?: string;
  /** The underlying error. */
  cause?: unknown;
  /** Extra machine-readable facts (expected/found digests, URL, status...). */
  details?: Record<string, unknown>;
}

/** An error the user can act on: a code, a one-line message and a hint. */
export class OmlError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: OmlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OmlError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  /** The process exit status for this error. */
  get exitCode(): ExitCodeValue {
    return ERROR_CODES[this.code];
  }

  /** A plain object for --json error output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      exitCode: this.exitCode,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

/** An integrity failure; prints Wanted/Found like cacache and pnpm. */
export class IntegrityError extends OmlError {
  readonly expected: string;
  readonly found: string;

  constructor(what: string, expected: string, found: string, options: OmlErrorOptions = {}) {
    super('E_INTEGRITY', `integrity check failed for ${what}\n  Wanted: ${expected}\n  Found:  ${found}`, {
      hint:
        options.hint ??
        'the download or the cache is corrupt; run the command again (a retry re-downloads), or `openmedlab cache verify`',
      ...options,
      details: { expected, found, ...(options.details ?? {}) },
    });
    this.expected = expected;
    this.found = found;
  }
}

/** True when a value is an OmlError (also across duplicated module instances). */
export function isOmlError(value: unknown): value is OmlError {
  return (
    value instanceof OmlError || (value instanceof Error && value.name === 'OmlError' && 'code' in value)
  );
}
