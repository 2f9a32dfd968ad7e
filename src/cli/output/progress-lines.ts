/**
 * Progress where nobody watches a terminal (pipes, CI logs): a line when a file starts and when it
 * ends, and a percentage line per file at most every `everyMs` (default 5 s), so a log shows a long
 * download is alive without being flooded.
 */
import type { OmlEvent } from '../../events.js';
import { endLine, percentLine, startLine, startTransfer, type Transfer } from './progress-format.js';

/** Options of the plain-line renderer. */
export interface LinesOptions {
  line(text: string): void;
  now(): number;
  /** Minimum ms between two percentage lines of one file (default 5000). */
  everyMs?: number;
}

/** Create the plain-line renderer; returns the event handler. */
export function createLines(options: LinesOptions): (event: OmlEvent) => void {
  const everyMs = options.everyMs ?? 5000;
  const active = new Map<string, Transfer & { printed: number }>();
  return (event) => {
    if (event.type === 'download-start') {
      const now = options.now();
      active.set(event.key, { ...startTransfer(event, now), printed: now });
      options.line(startLine(event.label, event.total, event.resumeFrom));
    } else if (event.type === 'download-progress') {
      const t = active.get(event.key);
      if (!t) return;
      t.received = event.received;
      const now = options.now();
      // The last progress event of a file (received === total) is left to the end line.
      if (now - t.printed >= everyMs && t.received !== t.total) {
        t.printed = now;
        options.line(percentLine(t, now));
      }
    } else if (event.type === 'download-end') {
      const t = active.get(event.key);
      active.delete(event.key);
      options.line(endLine(t?.label ?? event.key, event.bytes, event.sha256, event.fromCache));
    }
  };
}
