/**
 * Two V8 settings that keep a download process small, measured with bench/download.mjs:
 * - undici parses HTTP with llhttp compiled to WebAssembly; V8's optimising tier-up of that module
 *   costs ~35 MB of RSS and ~150-300 ms at exit, for no throughput gain on large bodies (the parser
 *   skips over body bytes). `--liftoff-only` keeps the baseline compiler only. It must be set before
 *   undici's first request compiles the module, hence tuneV8() in createDispatcher().
 * - Each socket read allocates a fresh 64 KiB buffer outside the JS heap, and V8 collects them only
 *   after ~64 MB of such garbage. A young-generation collection every 16 MiB (~0.1 ms) keeps RSS flat.
 * Both go through v8.setFlagsFromString at run time; if that is refused, nothing happens.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type GcFunction = (options?: { type?: 'minor' | 'major' }) => void;
let gc: GcFunction | undefined | null = null;
let tuned = false;

/** Bytes received between two young-generation collections. */
export const GC_EVERY_BYTES = 16 * 1024 * 1024;

/** Apply the V8 flags above once per process (before the first request). */
export function tuneV8(): void {
  if (tuned) return;
  tuned = true;
  try {
    v8.setFlagsFromString('--liftoff-only');
  } catch {
    // an embedder that refuses run-time flags: only memory is at stake
  }
}

/** Collect short-lived garbage (dead socket buffers) now. */
export function collectYoung(): void {
  if (gc === null) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as GcFunction;
    } catch {
      gc = undefined;
    }
  }
  gc?.({ type: 'minor' });
}
