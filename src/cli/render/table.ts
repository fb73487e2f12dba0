import type { Context } from '../context.js';
import { setting } from '../../core/settings.js';

export type TableCell = string | { content: string; href?: string };

/** The width tables are fitted to: the terminal's, else $COLUMNS, else 100. */
export function outputWidth(ctx: Context): number {
  const columns = ctx.io.stdout.isTTY ? ctx.io.stdout.columns : setting(ctx.env, 'COLUMNS');
  return columns && Number.isFinite(columns) && columns >= 40 ? Math.floor(columns) : 100;
}

/**
 * Column widths for a table `width` characters wide (1 space between columns): fixed columns keep their
 * size, flexible ones share the rest fairly (a column that needs less than its share gets what it needs).
 */
export function fitColumns(natural: number[], flexible: boolean[], width: number, minimum = 6): number[] {
  const widths = [...natural];
  let available =
    width - (natural.length - 1) - natural.reduce((sum, w, i) => sum + (flexible[i] ? 0 : w), 0);
  let open = natural.map((_, i) => i).filter((i) => flexible[i]);
  while (open.length > 0) {
    const share = Math.floor(available / open.length);
    const fits = open.filter((i) => natural[i]! <= share);
    if (fits.length === 0) {
      open.forEach(
        (i, k) => (widths[i] = Math.max(minimum, share + (k < available - share * open.length ? 1 : 0))),
      );
      break;
    }
    for (const i of fits) {
      widths[i] = natural[i]!;
      available -= natural[i]!;
    }
    open = open.filter((i) => !fits.includes(i));
  }
  return widths;
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' ',
};

/** A borderless table fitted to the output width: the `flexible` columns are cut to share what is left. */
export async function renderTable(
  ctx: Context,
  head: string[],
  rows: TableCell[][],
  flexible: boolean[],
): Promise<string> {
  const { default: Table } = await import('cli-table3');
  // Characters, not display cells: close enough to share the width out; cli-table3 measures when it cuts.
  const length = (cell: TableCell): number => [...(typeof cell === 'string' ? cell : cell.content)].length;
  const natural = head.map((title, i) => Math.max(length(title), ...rows.map((row) => length(row[i]!))));
  const table = new Table({
    head: head.map((title) => ctx.out.style.bold(title)),
    colWidths: fitColumns(natural, flexible, outputWidth(ctx)),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  table.push(...rows);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
