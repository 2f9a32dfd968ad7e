/** Render rows as a terminal table that fits the width. Pure: rows in, string out. */

export interface TableOptions {
  head: string[];
  rows: string[][];
  /** Terminal width; columns wrap to fit it. */
  width: number;
  color: boolean;
  /** Relative priority of each column's share of the spare width. */
  flex?: number[];
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
    const open = widths.map((w, i) => i).filter((i) => (weights[i] ?? 0) > 0 && widths[i]! < natural[i]!);
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
  return widths;
}

/** Render a table (cli-table3 is loaded on first use: `list --json` never pays for it). */
export async function renderTable({ head, rows, width, color, flex }: TableOptions): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head,
    colWidths: fitColumns(head, rows, width, flex),
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: color ? { head: ['bold'], border: ['grey'] } : { head: [], border: [] },
  });
  table.push(...rows);
  return table.toString();
}
