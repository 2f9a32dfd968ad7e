/** The per-run state shared by get's helpers (one dispatcher, one limiter, one pin context). */
import type { Dispatcher } from 'undici';
import type { Context } from '../context.js';
import type { EventSink } from '../events.js';
import type { RetryPolicy } from '../fetch/retry.js';
import type { PinContext } from './get-pins.js';

/** Everything a checkpoint fetch needs from the run. */
export interface Run {
  ctx: Context;
  root: string;
  events: EventSink;
  dispatcher: Dispatcher;
  signal: AbortSignal | undefined;
  retries: Partial<RetryPolicy> | undefined;
  /** Bounds the number of files downloading at once (--jobs). */
  limit: <T>(task: () => Promise<T>) => Promise<T>;
  pc: PinContext;
  frozen: boolean;
  /** The code checkout, when the code step ran (in-repo sources read from it). */
  codeDir: string | undefined;
  lockWaitMs: number;
}
