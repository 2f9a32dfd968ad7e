/**
 * Download progress for `get` and `lock`, on stderr: on a terminal one status line with bytes, rate
 * and ETA redrawn at most 5 times a second; elsewhere (pipes, CI logs) one line per file as it
 * starts and ends. -q keeps only warnings' absence and errors (the Runtime handles that).
 */
import type { OmlEvent } from '../../events.js';
import type { Runtime } from '../runtime.js';

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

interface Active {
  label: string;
  total: number | undefined;
  received: number;
  started: number;
  base: number;
}

/** The status line for the active downloads (pure; `now` in ms). */
export function statusLine(active: Active[], now: number): string {
  const received = active.reduce((n, a) => n + a.received, 0);
  const known = active.every((a) => a.total !== undefined);
  const total = known ? active.reduce((n, a) => n + (a.total ?? 0), 0) : undefined;
  const fresh = active.reduce((n, a) => n + (a.received - a.base), 0);
  const secs = Math.max(0.001, (now - Math.min(...active.map((a) => a.started))) / 1000);
  const rate = fresh / secs;
  const eta = total !== undefined && rate > 0 ? `, ETA ${Math.ceil((total - received) / rate)}s` : '';
  const what = active.length === 1 ? active[0]!.label : `${active.length} files`;
  return `${what}: ${formatBytes(received)}/${formatBytes(total)}, ${formatBytes(rate)}/s${eta}`;
}

/** An event sink that renders download events for this runtime (and forwards the rest). */
export function progressSink(rt: Runtime, now: () => number = Date.now): (event: OmlEvent) => void {
  const tty = rt.io.stderr.isTTY === true && !rt.globals().quiet;
  const active = new Map<string, Active>();
  let last = 0;
  const clear = () => tty && rt.io.stderr.write('\r\x1b[K');
  return (event) => {
    switch (event.type) {
      case 'download-start':
        active.set(event.key, {
          label: event.label,
          total: event.total,
          received: event.resumeFrom,
          started: now(),
          base: event.resumeFrom,
        });
        if (!tty)
          rt.info(
            `downloading ${event.label} (${formatBytes(event.total)}${event.resumeFrom ? `, resuming at ${formatBytes(event.resumeFrom)}` : ''})`,
          );
        return;
      case 'download-progress': {
        const a = active.get(event.key);
        if (a) a.received = event.received;
        if (tty && now() - last > 200 && active.size > 0) {
          last = now();
          rt.io.stderr.write(`\r\x1b[K${statusLine([...active.values()], last)}`);
        }
        return;
      }
      case 'download-end': {
        const a = active.get(event.key);
        active.delete(event.key);
        clear();
        rt.info(
          `${event.fromCache ? 'cached' : 'done'} ${a?.label ?? event.key} (${formatBytes(event.bytes)}, sha256:${event.sha256.slice(0, 12)})`,
        );
        return;
      }
      case 'download-retry':
        clear();
        rt.warn(
          `${event.key}: retry ${event.attempt} in ${Math.round(event.delayMs / 100) / 10}s (${event.reason})`,
        );
        return;
      case 'source-failed':
        clear();
        rt.warn(`${event.key}: source ${event.host} failed: ${event.reason}; trying the next source`);
        return;
      default:
        if (event.type === 'warn' || event.type === 'info') clear();
        rt.events(event);
    }
  };
}
