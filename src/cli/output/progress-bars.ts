/**
 * Live progress on a terminal: one bar per active file and a total line, redrawn in place (cursor up
 * + erase line) at most every `redrawMs`, and erased when the last transfer ends or on close().
 * Finished files and messages are printed above the bars as permanent lines.
 */
import type { OmlEvent } from '../../events.js';
import { barLine, clip, endLine, startTransfer, type Transfer, totalLine } from './progress-format.js';

/** Where and how the bars draw. */
export interface BarsOptions {
  write(text: string): void;
  /** Terminal width now (it can change while drawing). */
  columns(): number;
  now(): number;
  /** Minimum ms between redraws (default 100: at most 10 a second). */
  redrawMs?: number;
  /** Redraw on a timer too, so rate and ETA move during a stall (default true). */
  timer?: boolean;
  /** Most file bars shown at once; the rest are counted in one line. */
  maxBars?: number;
}

/** The bar renderer: feed it download events and messages; close() erases what is drawn. */
export interface Bars {
  event(event: OmlEvent): void;
  /** Print a permanent line above the bars. */
  message(line: string): void;
  close(): void;
}

const ERASE_LINE = '\r\x1b[2K';
const UP = '\x1b[1A';

/** Create the bar renderer. */
export function createBars(options: BarsOptions): Bars {
  const redrawMs = options.redrawMs ?? 100;
  const maxBars = options.maxBars ?? 8;
  const active = new Map<string, Transfer>();
  const done = { count: 0, bytes: 0 };
  let drawn = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;

  const erase = (): string => {
    if (drawn === 0) return '';
    const s = ERASE_LINE + `${UP}${ERASE_LINE}`.repeat(drawn - 1);
    drawn = 0;
    return s;
  };
  const frame = (now: number): string[] => {
    const cols = options.columns();
    const list = [...active.values()];
    const lines = list.slice(0, maxBars).map((t) => barLine(t, now, cols, tick));
    if (list.length > maxBars) lines.push(clip(`… and ${list.length - maxBars} more`, cols));
    lines.push(totalLine(list, done, now, cols));
    return lines;
  };
  const draw = (force = false): void => {
    const now = options.now();
    if (active.size === 0 || (!force && now - lastDraw < redrawMs)) return;
    lastDraw = now;
    tick++;
    const lines = frame(now);
    options.write(erase() + lines.join('\n'));
    drawn = lines.length;
  };
  const stopTimer = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const startTimer = (): void => {
    if (timer || options.timer === false) return;
    timer = setInterval(() => draw(), redrawMs);
    timer.unref();
  };
  const message = (line: string): void => {
    options.write(`${erase()}${line}\n`);
    draw(true);
  };

  return {
    message,
    event(event) {
      if (event.type === 'download-start') {
        active.set(event.key, startTransfer(event, options.now()));
        startTimer();
        draw(true);
      } else if (event.type === 'download-progress') {
        const t = active.get(event.key);
        if (t) t.received = event.received;
        draw();
      } else if (event.type === 'download-end') {
        const t = active.get(event.key);
        active.delete(event.key);
        done.count++;
        done.bytes += event.bytes;
        if (active.size === 0) stopTimer();
        message(endLine(t?.label ?? event.key, event.bytes, event.sha256, event.fromCache));
      }
    },
    close() {
      stopTimer();
      active.clear();
      const s = erase();
      if (s) options.write(s);
    },
  };
}
