/** Pure checks that an archive entry stays inside its destination folder. */
import path from 'node:path';

/** True when `rel` (a path inside the archive, POSIX or Windows separators) stays inside its root. */
export function isSafeRelative(rel: string): boolean {
  if (rel === '' || path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel) || /^[A-Za-z]:/.test(rel))
    return false;
  return !rel.split(/[/\\]+/).includes('..');
}

/** True when a link at `entryPath` with target `linkpath` resolves inside the root. */
export function isSafeLink(entryPath: string, linkpath: string, hard: boolean): boolean {
  if (path.posix.isAbsolute(linkpath) || path.win32.isAbsolute(linkpath)) return false;
  const base = hard ? '' : path.posix.dirname(entryPath.replace(/\\/g, '/'));
  const resolved = path.posix.normalize(path.posix.join(base, linkpath.replace(/\\/g, '/')));
  return resolved !== '..' && !resolved.startsWith('../') && !path.posix.isAbsolute(resolved);
}
