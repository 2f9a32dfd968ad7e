/**
 * Archive extraction that cannot escape its destination. The archive is extracted into a temp dir
 * beside the destination, then renamed into place, so the destination is either absent, the old
 * complete extraction, or the new complete one. Entries are refused (and the whole archive with
 * them) when they are absolute, contain `..`, are links pointing outside, or are devices/FIFOs;
 * tar runs with `strict` and an `onwarn` that records its own refusals, never `preservePaths`.
 * A marker file inside the destination records the archive's sha256: extracting twice is a no-op.
 * tar is imported lazily (start-up time); zip is read by cache/zip.ts (no dependency, no `unzip`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { OmlError } from '../errors.js';
import type { ArchiveKind } from '../registry/types.js';
import { isSafeLink, isSafeRelative } from './archive-paths.js';
import { readJson, siblingTemp } from './atomic.js';
import { extractZip } from './zip.js';

export const EXTRACT_MARKER = '.openmedlab-extracted.json';

/** Options of extractArchive. */
export interface ExtractOptions {
  /** The (verified) archive file. */
  file: string;
  kind: Exclude<ArchiveKind, 'none'>;
  /** The folder the content must end up in. */
  dest: string;
  /** The archive's sha256 (recorded in the marker). */
  sha256: string;
}

const TAR_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** Extract a tar/tar.gz into `dir`, collecting refusals instead of silently dropping entries. */
async function extractTar(file: string, dir: string): Promise<string[]> {
  const tar = await import('tar');
  const refused: string[] = [];
  await tar.x({
    file,
    cwd: dir,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    filter: (p, entry) => {
      const e = entry as { type?: string; linkpath?: string };
      const type = e.type ?? 'File';
      if (!TAR_TYPES.has(type)) refused.push(`${p} (${type})`);
      else if (!isSafeRelative(p)) refused.push(`${p} (path outside the folder)`);
      else if (
        (type === 'SymbolicLink' || type === 'Link') &&
        !isSafeLink(p, e.linkpath ?? '', type === 'Link')
      ) {
        refused.push(`${p} -> ${e.linkpath} (link outside the folder)`);
      } else return true;
      return false;
    },
    onwarn: (code, message) => {
      refused.push(`${code}: ${message}`);
    },
  });
  return refused;
}

/** Extract an archive into `dest` (see the module comment); returns false when it was already there. */
export async function extractArchive(options: ExtractOptions): Promise<boolean> {
  const { dest, sha256 } = options;
  const marker = await readJson<{ sha256?: string }>(path.join(dest, EXTRACT_MARKER)).catch(() => undefined);
  if (marker?.sha256 === sha256) return false;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const tmp = siblingTemp(dest);
  await fs.mkdir(tmp);
  try {
    let refused: string[];
    try {
      refused =
        options.kind === 'zip' ? await extractZip(options.file, tmp) : await extractTar(options.file, tmp);
    } catch (cause) {
      throw new OmlError('E_HOST', `cannot extract ${options.file}: ${(cause as Error).message}`, { cause });
    }
    if (refused.length > 0) {
      throw new OmlError(
        'E_HOST',
        `refusing archive ${path.basename(options.file)}: unsafe entries: ${refused.slice(0, 5).join('; ')}`,
        {
          hint: 'the archive tries to write outside its folder or contains devices; report it to the project',
          details: { refused },
        },
      );
    }
    await fs.writeFile(path.join(tmp, EXTRACT_MARKER), `${JSON.stringify({ sha256, kind: options.kind })}\n`);
    await swapInto(tmp, dest);
    return true;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** Rename `tmp` to `dest`, moving an older `dest` aside first and deleting it afterwards. */
async function swapInto(tmp: string, dest: string): Promise<void> {
  const old = siblingTemp(dest);
  let moved = false;
  try {
    await fs.rename(dest, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.rename(tmp, dest);
  if (moved) await fs.rm(old, { recursive: true, force: true });
}
