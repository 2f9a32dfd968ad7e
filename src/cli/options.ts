/** Shared option parsers for commander. */

/** Collect a repeatable, comma-separated flag into one list (`--modality ct,mri --modality xray`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** Format the "Examples:" block shown after a command's help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Help text of --progress on the downloading commands (get, lock). */
export const PROGRESS_HELP =
  'auto (bars on a terminal, lines elsewhere), bars, plain, json (NDJSON events on stderr), none';
