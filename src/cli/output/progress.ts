/**
 * Download progress for `get`, `lock` and `clone`, on stderr, chosen per run:
 * - bars: on a terminal (stderr is a TTY, CI unset, a real width): live bars per file and a total;
 * - plain: elsewhere: a line per file as it starts and ends, a percentage line at most every 5 s;
 * - json: `--progress json`: every library event as one NDJSON line with a timestamp, for tools;
 * - none: `-q` or `--progress none`: nothing but errors (and warnings, unless -q).
 */
import { OmlError } from '../../errors.js';
import type { EventSink, OmlEvent } from '../../events.js';
import type { Runtime } from '../runtime.js';
import { createBars } from './progress-bars.js';
import { createLines } from './progress-lines.js';

export const PROGRESS_MODES = ['auto', 'bars', 'plain', 'json', 'none'] as const;
/** What `--progress` accepts. */
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** An event sink that also erases live output when the command ends. */
export type ProgressSink = EventSink & { close(): void };

/** Seams for tests: clock, redraw interval, plain-line interval, the redraw timer. */
export interface ProgressOptions {
  mode?: ProgressMode;
  now?: () => number;
  redrawMs?: number;
  percentEveryMs?: number;
  timer?: boolean;
}

/** Parse `--progress` (undefined = auto). */
export function parseProgressMode(value: string | undefined): ProgressMode {
  if (value === undefined) return 'auto';
  if ((PROGRESS_MODES as readonly string[]).includes(value)) return value as ProgressMode;
  throw new OmlError('E_USAGE', `--progress must be one of ${PROGRESS_MODES.join(', ')}, not "${value}"`);
}

/** True when the environment says CI (CI=true/1/anything but false/0/empty). */
export function isCI(env: Record<string, string | undefined>): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

/** The renderer a run gets: explicit json wins over -q (tools asked for it); bars need a real terminal. */
export function resolveMode(rt: Runtime, mode: ProgressMode): Exclude<ProgressMode, 'auto'> {
  if (mode === 'json') return 'json';
  if (rt.globals().quiet || mode === 'none') return 'none';
  const err = rt.io.stderr;
  // A terminal that reports 0 columns cannot be redrawn in place (ora spins forever on one).
  const terminal = err.isTTY === true && err.columns !== 0;
  if (mode === 'bars') return terminal ? 'bars' : 'plain';
  if (mode === 'plain') return 'plain';
  return terminal && !isCI(rt.io.env) ? 'bars' : 'plain';
}

/** One warning line for the events every renderer but json shows as text. */
function warningFor(event: OmlEvent): string | undefined {
  if (event.type === 'download-retry')
    return `${event.key}: retry ${event.attempt} in ${Math.round(event.delayMs / 100) / 10}s (${event.reason})`;
  if (event.type === 'source-failed')
    return `${event.key}: source ${event.host} failed: ${event.reason}; trying the next source`;
  return undefined;
}

/** NDJSON: the event plus an ISO timestamp, one line each. */
function jsonSink(rt: Runtime, now: () => number): ProgressSink {
  const sink = (event: OmlEvent): void => {
    rt.io.stderr.write(`${JSON.stringify({ ...event, time: new Date(now()).toISOString() })}\n`);
  };
  return Object.assign(sink, { close() {} });
}

/** An event sink rendering download events for this runtime and forwarding the rest to it. */
export function progressSink(rt: Runtime, options: ProgressOptions = {}): ProgressSink {
  const now = options.now ?? Date.now;
  const mode = resolveMode(rt, options.mode ?? 'auto');
  if (mode === 'json') return jsonSink(rt, now);
  const lines =
    mode === 'plain'
      ? createLines({ line: (t) => rt.info(t), now, everyMs: options.percentEveryMs ?? 5000 })
      : undefined;
  const bars =
    mode === 'bars'
      ? createBars({
          write: (t) => rt.io.stderr.write(t),
          columns: () => rt.io.stderr.columns ?? 80,
          now,
          redrawMs: options.redrawMs ?? 100,
          timer: options.timer ?? true,
        })
      : undefined;
  // With bars, messages are printed above them (the Runtime's own formats; quiet never has bars).
  const message = (event: OmlEvent, warning: string | undefined): void => {
    if (!bars) {
      if (warning) rt.warn(warning);
      else rt.events(event);
    } else if (warning) bars.message(`warning: ${warning}`);
    else if (event.type === 'info') bars.message(event.message);
    else if (event.type === 'warn') bars.message(`warning: ${event.message}`);
    else if (event.type === 'debug' && rt.globals().verbose) bars.message(`debug: ${event.message}`);
  };
  const sink = (event: OmlEvent): void => {
    if (
      event.type === 'download-start' ||
      event.type === 'download-progress' ||
      event.type === 'download-end'
    ) {
      bars?.event(event);
      lines?.(event);
      return;
    }
    message(event, warningFor(event));
  };
  return Object.assign(sink, { close: () => bars?.close() });
}
