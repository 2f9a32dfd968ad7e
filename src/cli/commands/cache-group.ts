/** Shared pieces of the `cache` commands: the command group and byte formatting. */
import type { Command } from 'commander';

/** The `cache` command group (created here unless another module registered it first). */
export function cacheGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'cache') ??
    program.command('cache').description('inspect and manage the download cache')
  );
}

/** Bytes for people: 0 B, 1.5 KiB, 12.0 MiB, 3.20 GiB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
