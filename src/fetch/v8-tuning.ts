/**
 * Two process-wide V8 settings that keep a download process small, measured with
 * bench/download.mjs. They change the whole process, so the library never applies them itself: the
 * CLI entry (src/cli/run.ts) calls tuneV8() first thing, and a program embedding the library may do
 * the same. Without them downloads work the same, with a larger RSS.
 * - undici parses HTTP with llhttp compiled to WebAssembly; V8's optimising tier-up of that module
 *   costs ~35 MB of RSS (64 MiB download: 134 -> 100 MB) and no measurable time on large bodies (the
 *   parser skips over body bytes). `--liftoff-only` keeps the baseline compiler only; it must be set
 *   before undici's first request compiles the module.
 * - A download still leaves small garbage per socket read (views, stream bookkeeping; the reads
 *   themselves reuse one slab per socket, fetch/large-reads.ts), and V8 lets its young generation
 *   grow to tens of MB before collecting. With `--expose-gc` available, fetch/stream.ts runs a
 *   young-generation collection every 16 MiB received: 1 GiB peaks at 91 MB RSS (98 MB without;
 *   every 4 MiB cost ~150 ms of main thread per GiB for no lower peak).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type GcFunction = (options?: { type?: 'minor' | 'major' }) => void;
let gc: GcFunction | undefined;

/** Bytes received between two young-generation collections. */
export const GC_EVERY_BYTES = 16 * 1024 * 1024;

/** Apply the V8 flags above (call before the first request; a refused flag only costs memory). */
export function tuneV8(): void {
  if (gc) return;
  try {
    v8.setFlagsFromString('--liftoff-only');
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as GcFunction;
  } catch {
    // an embedder that refuses run-time flags: only memory is at stake
  }
}

let sinceGc = 0;

/**
 * Count received bytes across all downloads in flight; every GC_EVERY_BYTES, collect short-lived
 * garbage (dead socket buffers) when tuneV8() ran or the host exposed gc. One process-wide count:
 * per-download counts made parallel downloads collect (and promote survivors) N times as often.
 */
export function noteReceived(bytes: number): void {
  sinceGc += bytes;
  if (sinceGc < GC_EVERY_BYTES) return;
  sinceGc = 0;
  (gc ?? (globalThis as { gc?: GcFunction }).gc)?.({ type: 'minor' });
}
