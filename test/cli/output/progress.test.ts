import { describe, expect, it } from 'vitest';
import { isCI, parseProgressMode, progressSink, resolveMode } from '../../../src/cli/output/progress.js';
import { createBars } from '../../../src/cli/output/progress-bars.js';
import {
  bar,
  barLine,
  clip,
  formatBytes,
  formatDuration,
  totalLine,
} from '../../../src/cli/output/progress-format.js';
import { createLines } from '../../../src/cli/output/progress-lines.js';
import { createRuntime, type GlobalOptions } from '../../../src/cli/runtime.js';

const MiB = 1024 * 1024;
const t = { key: 'k', label: 'p/w', total: 10 * MiB, received: 4 * MiB, base: 2 * MiB, started: 0 };

/** A runtime over captured stderr. */
function runtime(stderr: { isTTY?: boolean; columns?: number }, env = {}, globals: GlobalOptions = {}) {
  const out = { text: '' };
  const io = {
    stdout: { write: () => true },
    stderr: { ...stderr, write: (s: string) => (out.text += s) },
    env,
    cwd: '/',
  };
  return { rt: createRuntime(io, () => globals, false), out };
}

describe('progress format (pure)', () => {
  it('formats sizes, durations, bars, lines that clip the terminal', () => {
    expect([formatBytes(undefined), formatBytes(512), formatBytes(1536), formatBytes(3 * 1024 ** 3)]).toEqual(
      ['?', '512 B', '1.5 KiB', '3.0 GiB'],
    );
    expect([formatDuration(3), formatDuration(65), formatDuration(7800)]).toEqual(['3s', '1m05s', '2h10m']);
    expect(bar(40, 10)).toBe('[####------]');
    expect(bar(undefined, 5, 2)).toBe('[--#--]');
    expect(clip('abcdef', 5)).toBe('abc…');
    expect(barLine(t, 1000, 100)).toBe(
      'p/w [############------------------]  40% 4.0 MiB/10.0 MiB, 2.0 MiB/s, ETA 3s',
    );
    expect(barLine(t, 1000, 40)).toBe('p/w  40% 4.0 MiB/10.0 MiB, 2.0 MiB/s, …');
    expect(totalLine([t, { ...t, key: 'j' }], { count: 1, bytes: MiB }, 1000, 100)).toBe(
      'total (2 active, 1 done) 42% 9.0 MiB/21.0 MiB, 4.0 MiB/s, ETA 3s',
    );
    expect(totalLine([{ ...t, total: undefined }], { count: 0, bytes: 0 }, 1000, 100)).toBe(
      'total (1 active) 4.0 MiB/?, 2.0 MiB/s',
    );
  });
});

describe('progress renderers', () => {
  it('bars redraw in place (erase + cursor up), throttled, print finished files above, clear at the end', () => {
    let out = '';
    let now = 0;
    const bars = createBars({ write: (s) => (out += s), columns: () => 100, now: () => now, timer: false });
    bars.event({ type: 'download-start', key: 'a', label: 'p/a', url: 'u', total: 1000, resumeFrom: 0 });
    bars.event({ type: 'download-start', key: 'b', label: 'p/b', url: 'u', total: 1000, resumeFrom: 0 });
    now = 50;
    bars.event({ type: 'download-progress', key: 'a', received: 500, total: 1000 }); // throttled: < 100 ms
    expect(out).not.toContain(' 50%');
    now = 150;
    bars.event({ type: 'download-progress', key: 'a', received: 600, total: 1000 });
    expect(out).toContain('p/a [');
    expect(out).toContain(' 60%');
    expect(out).toContain('\r\x1b[2K\x1b[1A\r\x1b[2K\x1b[1A\r\x1b[2K'); // three lines erased: two bars + total
    out = '';
    now = 300;
    bars.event({ type: 'download-end', key: 'a', bytes: 1000, sha256: 'ab'.repeat(32), fromCache: false });
    expect(out).toMatch(
      /^\r\x1b\[2K\x1b\[1A\r\x1b\[2K\x1b\[1A\r\x1b\[2Kdone p\/a \(1000 B, sha256:abababababab\)\np\/b \[/,
    );
    out = '';
    bars.close();
    expect(out).toBe('\r\x1b[2K\x1b[1A\r\x1b[2K'); // one bar + total erased
  });

  it('plain lines: start and end lines, a percentage line at most every interval', () => {
    const lines: string[] = [];
    let now = 0;
    const sink = createLines({ line: (l) => lines.push(l), now: () => now, everyMs: 5000 });
    sink({ type: 'download-start', key: 'k', label: 'p/w', url: 'u', total: 2048, resumeFrom: 1024 });
    for (const [at, received] of [
      [1000, 1200],
      [5000, 1400],
      [6000, 1500],
      [10_000, 1800],
      [10_500, 2048],
    ] as const) {
      now = at;
      sink({ type: 'download-progress', key: 'k', received, total: 2048 });
    }
    sink({ type: 'download-end', key: 'k', bytes: 2048, sha256: 'abcdef0123456789', fromCache: false });
    expect(lines).toEqual([
      'downloading p/w (2.0 KiB, resuming at 1.0 KiB)',
      'p/w: 68% (1.4 KiB/2.0 KiB, 75 B/s, ETA 9s)',
      'p/w: 87% (1.8 KiB/2.0 KiB, 78 B/s, ETA 4s)',
      'done p/w (2.0 KiB, sha256:abcdef012345)',
    ]);
  });
});

describe('progressSink', () => {
  it('chooses bars only on a real terminal outside CI; -q means none; json wins', () => {
    expect(parseProgressMode(undefined)).toBe('auto');
    expect(() => parseProgressMode('fancy')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect([isCI({ CI: 'true' }), isCI({ CI: '1' }), isCI({ CI: 'false' }), isCI({})]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const tty = { isTTY: true, columns: 80 };
    expect(resolveMode(runtime(tty).rt, 'auto')).toBe('bars');
    expect(resolveMode(runtime(tty, { CI: 'true' }).rt, 'auto')).toBe('plain');
    expect(resolveMode(runtime({ isTTY: true, columns: 0 }).rt, 'auto')).toBe('plain');
    expect(resolveMode(runtime({ isTTY: false }).rt, 'bars')).toBe('plain');
    expect(resolveMode(runtime(tty, {}, { quiet: true }).rt, 'auto')).toBe('none');
    expect(resolveMode(runtime(tty, {}, { quiet: true }).rt, 'json')).toBe('json');
  });

  it('off a terminal: a line per file, source failures as warnings; -q prints nothing', () => {
    const { rt, out } = runtime({ isTTY: false });
    const sink = progressSink(rt);
    sink({ type: 'download-start', key: 'k', label: 'p/w', url: 'u', total: 2048, resumeFrom: 1024 });
    sink({ type: 'download-progress', key: 'k', received: 1500, total: 2048 });
    sink({ type: 'source-failed', key: 'p/w', host: 'google-drive', reason: 'quota' });
    sink({ type: 'download-end', key: 'k', bytes: 2048, sha256: 'abcdef0123456789', fromCache: false });
    sink.close();
    expect(out.text).toBe(
      'downloading p/w (2.0 KiB, resuming at 1.0 KiB)\nwarning: p/w: source google-drive failed: quota; trying the next source\ndone p/w (2.0 KiB, sha256:abcdef012345)\n',
    );
    const quiet = runtime({ isTTY: true, columns: 80 }, {}, { quiet: true });
    const q = progressSink(quiet.rt);
    q({ type: 'download-start', key: 'k', label: 'p/w', url: 'u', total: 1, resumeFrom: 0 });
    q({ type: 'warn', message: 'x' });
    q.close();
    expect(quiet.out.text).toBe('');
  });

  it('--progress json: one event per line with an ISO timestamp', () => {
    const { rt, out } = runtime({ isTTY: true, columns: 80 });
    const sink = progressSink(rt, { mode: 'json', now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    sink({ type: 'download-progress', key: 'k', received: 5, total: undefined });
    sink({ type: 'warn', message: 'w' });
    expect(
      out.text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { type: 'download-progress', key: 'k', received: 5, time: '2026-01-02T03:04:05.000Z' },
      { type: 'warn', message: 'w', time: '2026-01-02T03:04:05.000Z' },
    ]);
  });
});
