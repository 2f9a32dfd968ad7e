/** Render rows as a terminal table that fits the width. Pure: rows in, string out. */

export interface TableOptions {
  head: string[];
  rows: string[][];
  /** Terminal width; columns wrap to fit it. */
  width: number;
  color: boolean;
  /** Relative priority of each column's share of the spare width. */
  flex?: number[];
  /** Columns that may be left out, first first, when the table cannot fit otherwise. */
  droppable?: number[];
}

/** A flexible column's floor: its longest word (so words rarely break), within [8, 16]. */
function floorOf(head: string, rows: string[][], i: number): number {
  const longest = Math.max(
    head.length,
    ...rows.flatMap((r) => (r[i] ?? '').split(/\s+/).map((w) => w.length)),
  );
  return Math.min(16, Math.max(8, longest + 2));
}

/**
 * Column widths that fit `width`: fixed columns (flex 0) keep their natural width, flexible ones start
 * at a floor and share the spare width by weight, never beyond their natural width.
 */
export function fitColumns(head: string[], rows: string[][], width: number, flex?: number[]): number[] {
  const natural = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)) + 2);
  const budget = width - (head.length + 1);
  if (natural.reduce((a, b) => a + b, 0) <= budget) return natural;
  const weights = flex ?? head.map(() => 1);
  const widths = natural.map((n, i) =>
    (weights[i] ?? 0) > 0 ? Math.min(n, Math.max(head[i]!.length + 2, 8)) : n,
  );
  let spare = budget - widths.reduce((a, b) => a + b, 0);
  while (spare > 0) {
    const open = widths.map((_w, i) => i).filter((i) => (weights[i] ?? 0) > 0 && widths[i]! < natural[i]!);
    if (open.length === 0) break;
    const total = open.reduce((a, i) => a + (weights[i] ?? 0), 0);
    let given = 0;
    for (const i of open) {
      const share = Math.max(1, Math.floor((spare * (weights[i] ?? 0)) / total));
      const add = Math.min(share, natural[i]! - widths[i]!, spare - given);
      widths[i] = widths[i]! + add;
      given += add;
    }
    if (given === 0) break;
    spare -= given;
  }
  // Still too wide (a narrow terminal): shave the widest flexible columns, then the fixed ones.
  for (let excess = widths.reduce((a, b) => a + b, 0) - budget; excess > 0; excess -= 1) {
    const candidates = widths.map((w, i) => ((weights[i] ?? 0) > 0 ? w : 0));
    const pool = Math.max(...candidates) > 6 ? candidates : widths;
    const widest = pool.indexOf(Math.max(...pool));
    if (widths[widest]! <= 6) break;
    widths[widest] = widths[widest]! - 1;
  }
  return widths;
}

/** Wrap a cell to `width` characters: at spaces when a word fits, else inside the word (nothing is cut). */
export function wrapCell(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    if (line && line.length + 1 + rest.length <= width) {
      line += ` ${rest}`;
      continue;
    }
    if (line) out.push(line);
    while (rest.length > width) {
      out.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line = rest;
  }
  if (line) out.push(line);
  return out.join('\n');
}

/** Render a table (cli-table3 is loaded on first use: `list --json` never pays for it). */
export async function renderTable(options: TableOptions): Promise<string> {
  const { head, rows, width, color, flex } = dropColumns(options);
  const { default: Table } = await import('cli-table3');
  const widths = fitColumns(head, rows, width, flex);
  const table = new Table({
    head,
    colWidths: widths,
    style: color ? { head: ['bold'], border: ['grey'] } : { head: [], border: [] },
  });
  // Cell padding takes one character on each side.
  table.push(...rows.map((row) => row.map((cell, i) => wrapCell(cell, Math.max(1, (widths[i] ?? 3) - 2)))));
  return table.toString();
}

/** Leave out droppable columns while the table's floors do not fit the width. */
function dropColumns(options: TableOptions): TableOptions {
  let current = options;
  for (const column of options.droppable ?? []) {
    const weights = current.flex ?? current.head.map(() => 1);
    const floors = current.head.map((h, i) =>
      (weights[i] ?? 0) > 0
        ? floorOf(h, current.rows, i)
        : Math.max(h.length, ...current.rows.map((r) => (r[i] ?? '').length)) + 2,
    );
    if (floors.reduce((a, b) => a + b, 0) + current.head.length + 1 <= current.width) break;
    const i = current.head.indexOf(options.head[column]!);
    const keep = <T>(list: T[]): T[] => list.filter((_, j) => j !== i);
    current = {
      ...current,
      head: keep(current.head),
      rows: current.rows.map(keep),
      flex: current.flex && keep(current.flex),
    };
  }
  return current;
}
