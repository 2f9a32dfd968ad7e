/**
 * Place a blob at a destination path: a hardlink (no copy, no extra disk), a copy (reflink where the
 * filesystem can) when links are impossible (another device, FAT, some network filesystems). Either
 * way the file is built under a temp name beside the destination and renamed, so the final name
 * never holds a partial file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { siblingTemp } from './atomic.js';

/** How a file was placed. */
export type Placement = 'existing' | 'hardlink' | 'copy';

/** Options of materialize. */
export interface MaterializeOptions {
  /** The verified blob. */
  blob: string;
  /** Where the file must appear. */
  dest: string;
  /** Never hardlink (a destination the user may edit in place should not share the blob's inode). */
  copy?: boolean;
}

/** True when both paths are the same file (already linked). */
async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false;
  }
}

/** Place `blob` at `dest` (see the module comment); returns how. */
export async function materialize(options: MaterializeOptions): Promise<Placement> {
  const { blob, dest } = options;
  if (await sameFile(blob, dest)) return 'existing';
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const tmp = siblingTemp(dest);
  try {
    let how: Placement = 'hardlink';
    try {
      if (options.copy) throw new Error('copy requested');
      await fs.link(blob, tmp);
    } catch {
      how = 'copy';
      await fs.copyFile(blob, tmp, fs.constants.COPYFILE_FICLONE);
    }
    await fs.rename(tmp, dest);
    return how;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
