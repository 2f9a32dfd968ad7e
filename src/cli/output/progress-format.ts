/**
 * Pure pieces of download progress: the state of each transfer and the text of bars, plain lines and
 * the total line. Rendering never touches a stream, so every shape is pinned by unit tests.
 */
import type { OmlEvent } from '../../events.js';

/** One transfer as the renderers see it. */
export interface Transfer {
  key: string;
  label: string;
  total: number | undefined;
  received: number;
  /** Bytes already on disk when it started (resumed): not counted in the rate. */
  base: number;
  /** ms timestamp of download-start. */
  started: number;
}

/** A transfer as its download-start event describes it, started at `now`. */
export function startTransfer(event: Extract<OmlEvent, { type: 'download-start' }>, now: number): Transfer {
  const { key, label, total, resumeFrom } = event;
  return { key, label, total, received: resumeFrom, base: resumeFrom, started: now };
}

/** Bytes as a short human figure. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Seconds as `42s`, `3m05s` or `2h10m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Bytes per second over the transfer's life (resumed bytes excluded). */
export function rateOf(t: Pick<Transfer, 'received' | 'base' | 'started'>, now: number): number {
  const secs = (now - t.started) / 1000;
  return secs > 0 ? (t.received - t.base) / secs : 0;
}

/** Whole percent done, or undefined when the size is unknown. */
export function percentOf(received: number, total: number | undefined): number | undefined {
  if (total === undefined || total <= 0) return undefined;
  return Math.min(100, Math.floor((received / total) * 100));
}

/** `4.0 MiB/10.0 MiB, 2.0 MiB/s, ETA 3s` (figures shared by bars, lines and the total). */
export function figures(received: number, total: number | undefined, rate: number): string {
  const eta = total !== undefined && rate > 0 ? `, ETA ${formatDuration((total - received) / rate)}` : '';
  return `${formatBytes(received)}/${formatBytes(total)}, ${formatBytes(Math.round(rate))}/s${eta}`;
}

/** Cut a line to the terminal width so it never wraps (wrapping breaks redraw-in-place). */
export function clip(line: string, columns: number): string {
  const max = Math.max(1, columns - 1);
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1))}…`;
}

/** A `[#####-----]` bar of `width` cells (a bouncing block when the size is unknown). */
export function bar(percent: number | undefined, width: number, tick = 0): string {
  if (width <= 0) return '';
  if (percent === undefined) {
    const pos = tick % width;
    return `[${'-'.repeat(pos)}#${'-'.repeat(width - pos - 1)}]`;
  }
  const full = Math.round((percent / 100) * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** One terminal line for a file: label, bar, percent, bytes, rate, ETA. */
export function barLine(t: Transfer, now: number, columns: number, tick = 0): string {
  const pct = percentOf(t.received, t.total);
  const text = `${pct === undefined ? ' ?? ' : `${String(pct).padStart(3)}%`} ${figures(t.received, t.total, rateOf(t, now))}`;
  const label = t.label.length > 32 ? `…${t.label.slice(-31)}` : t.label;
  const room = columns - label.length - text.length - 4;
  const cells = Math.min(30, room);
  return clip(cells >= 5 ? `${label} ${bar(pct, cells, tick)} ${text}` : `${label} ${text}`, columns);
}

/** The total line over every active transfer plus the finished ones. */
export function totalLine(
  active: Transfer[],
  done: { count: number; bytes: number },
  now: number,
  columns: number,
): string {
  const received = active.reduce((n, a) => n + a.received, done.bytes);
  const known = active.every((a) => a.total !== undefined);
  const total = known ? active.reduce((n, a) => n + (a.total ?? 0), done.bytes) : undefined;
  const started = Math.min(...active.map((a) => a.started));
  const fresh = active.reduce((n, a) => n + a.received - a.base, 0);
  const rate = Number.isFinite(started) && now > started ? fresh / ((now - started) / 1000) : 0;
  const pct = percentOf(received, total);
  const files = `${active.length} active${done.count ? `, ${done.count} done` : ''}`;
  return clip(
    `total (${files}) ${pct === undefined ? '' : `${pct}% `}${figures(received, total, rate)}`,
    columns,
  );
}

/** The plain (non-terminal) percentage line for one file. */
export function percentLine(t: Transfer, now: number): string {
  const pct = percentOf(t.received, t.total);
  return `${t.label}: ${pct === undefined ? '' : `${pct}% `}(${figures(t.received, t.total, rateOf(t, now))})`;
}

/** The line printed when a file starts. */
export function startLine(label: string, total: number | undefined, resumeFrom: number): string {
  return `downloading ${label} (${formatBytes(total)}${resumeFrom ? `, resuming at ${formatBytes(resumeFrom)}` : ''})`;
}

/** The line printed when a file ends. */
export function endLine(label: string, bytes: number, sha256: string, fromCache: boolean): string {
  return `${fromCache ? 'cached' : 'done'} ${label} (${formatBytes(bytes)}, sha256:${sha256.slice(0, 12)})`;
}
