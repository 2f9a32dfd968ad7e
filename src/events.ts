/**
 * Typed events the library emits. The library never prints: the CLI subscribes and decides what a
 * terminal, a pipe or `--progress json` shows.
 */

export type OmlEvent =
  | { type: 'info'; message: string }
  | { type: 'warn'; message: string; code?: string }
  | { type: 'debug'; message: string }
  | {
      type: 'download-start';
      key: string;
      label: string;
      url: string;
      total: number | undefined;
      resumeFrom: number;
    }
  | { type: 'download-progress'; key: string; received: number; total: number | undefined }
  | { type: 'download-end'; key: string; bytes: number; sha256: string; fromCache: boolean }
  | { type: 'download-retry'; key: string; attempt: number; delayMs: number; reason: string }
  | { type: 'source-failed'; key: string; host: string; reason: string }
  | { type: 'git'; step: string; repo: string; detail?: string };

export type OmlEventType = OmlEvent['type'];

/** A callback that receives library events; it must not throw. */
export type EventSink = (event: OmlEvent) => void;

/** A sink that drops everything (the default for library callers). */
export const silentSink: EventSink = () => {};
