import { describe, expect, it } from 'vitest';
import { formatBytes, progressSink, statusLine } from '../../src/cli/commands/get-progress.js';
import { createRuntime } from '../../src/cli/runtime.js';

describe('get progress', () => {
  it('formats sizes and the terminal status line (bytes, rate, ETA)', () => {
    expect([formatBytes(undefined), formatBytes(512), formatBytes(1536), formatBytes(3 * 1024 ** 3)]).toEqual(
      ['?', '512 B', '1.5 KiB', '3.0 GiB'],
    );
    const a = {
      label: 'p/w',
      total: 10 * 1024 * 1024,
      received: 4 * 1024 * 1024,
      started: 0,
      base: 2 * 1024 * 1024,
    };
    expect(statusLine([a], 1000)).toBe('p/w: 4.0 MiB/10.0 MiB, 2.0 MiB/s, ETA 3s');
    expect(statusLine([a, { ...a, total: undefined }], 1000)).toBe('2 files: 8.0 MiB/?, 4.0 MiB/s');
  });

  it('off a terminal prints one line per file as it starts and ends, and source failures as warnings', () => {
    let err = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s), isTTY: false },
      env: {},
      cwd: '/',
    };
    const sink = progressSink(createRuntime(io, () => ({}), false));
    sink({ type: 'download-start', key: 'k', label: 'p/w', url: 'u', total: 2048, resumeFrom: 1024 });
    sink({ type: 'download-progress', key: 'k', received: 1500, total: 2048 });
    sink({ type: 'source-failed', key: 'p/w', host: 'google-drive', reason: 'quota' });
    sink({ type: 'download-end', key: 'k', bytes: 2048, sha256: 'abcdef0123456789', fromCache: false });
    expect(err).toBe(
      'downloading p/w (2.0 KiB, resuming at 1.0 KiB)\nwarning: p/w: source google-drive failed: quota; trying the next source\ndone p/w (2.0 KiB, sha256:abcdef012345)\n',
    );
  });
});
