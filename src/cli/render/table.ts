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
  // Characters, not display cells: close enough to share the width out; the drawing measures when it cuts.
  const length = (cell: TableCell): number => [...(typeof cell === 'string' ? cell : cell.content)].length;
  const natural = head.map((title, i) => Math.max(length(title), ...rows.map((row) => length(row[i]!))));
  const widths = fitColumns(natural, flexible, outputWidth(ctx));
  const bold = ctx.out.style.bold;
  const table = drawableAlike(head, rows)
    ? drawTable(head, rows, widths, bold)
    : await drawWithCliTable3(head, rows, widths, bold);
  return table
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/**
 * The table as cli-table3 draws it (it did all tables until its start-up cost, ~15 ms of every `search`,
 * outweighed the rest of the command): for text that has emoji, East Asian wide characters or line breaks,
 * whose measuring needs its string-width (and that package's 10 KB emoji pattern).
 */
export async function drawWithCliTable3(
  head: string[],
  rows: TableCell[][],
  widths: number[],
  bold: (text: string) => string,
): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: head.map((title) => bold(title)),
    colWidths: widths,
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  table.push(...rows);
  return table.toString();
}

/**
 * Characters cli-table3 measures one cell wide each (none, for controls and combining marks), without
 * consulting an emoji list or the East Asian widths: Latin, Greek, Cyrillic, Hebrew, Arabic … and the
 * general punctuation and currency signs (– — … € ’). Tested against cli-table3 in test/unit/table.test.ts.
 */
const MEASURED_ALIKE = /^[\u0020-\u007e\u00a0-\u10ff\u2000-\u20cf]*$/;

/** Whether drawTable draws these cells exactly as drawWithCliTable3 would. */
export function drawableAlike(head: string[], rows: TableCell[][]): boolean {
  return [...head, ...rows.flat()].every((cell) =>
    typeof cell === 'string'
      ? MEASURED_ALIKE.test(cell)
      : MEASURED_ALIKE.test(cell.content) && MEASURED_ALIKE.test(cell.href ?? ''),
  );
}

/** What string-width (and so cli-table3) removes before measuring: ansi-regex 5's pattern. */
const ANSI_SEQUENCE =
  /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g;

/** OSC 8: the terminal hyperlink cli-table3 wraps a cell with an `href` in (its `hyperlink` helper). */
const LINK_END = '\u001b]8;;\u0007';
const hyperlink = (href: string, text: string): string => `\u001b]8;;${href}\u0007${text}${LINK_END}`;

/** Display width of MEASURED_ALIKE text, counted as string-width counts it. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text.replace(ANSI_SEQUENCE, '')) {
    const code = char.charCodeAt(0);
    if (code > 0x1f && (code < 0x7f || code > 0x9f) && (code < 0x300 || code > 0x36f)) width++;
  }
  return width;
}

/** The longest start of `text` at most `width` wide (cli-table3's truncateWidth). */
function cutToWidth(text: string, width: number): string {
  if (text.length === displayWidth(text)) return text.slice(0, width);
  let cut = text;
  while (displayWidth(cut) > width) cut = cut.slice(0, -1);
  return cut;
}

/**
 * cli-table3's `truncate` for text without colour codes: cut to leave room for the ellipsis, which is one
 * cell wide, and close a hyperlink the cut left open.
 */
function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const cut = `${width > 1 ? cutToWidth(text, width - 1) : ''}…`;
  return text.includes(LINK_END) && !cut.includes(LINK_END) ? cut + LINK_END : cut;
}

/** Padded with spaces to `width` on the right (cli-table3's `pad`, left-aligned). */
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * drawWithCliTable3's output, drawn directly for cells that are drawableAlike: one line per row, the cells
 * cut with an ellipsis and padded to their column, one space apart. A heading cut short keeps its style
 * around the text only (cli-table3 closes the style before the ellipsis).
 */
export function drawTable(
  head: string[],
  rows: TableCell[][],
  widths: number[],
  bold: (text: string) => string,
): string {
  const heading = head.map((title, i) => {
    const width = widths[i]!;
    if (displayWidth(title) <= width) return pad(bold(title), width);
    return pad(width > 1 ? `${bold(cutToWidth(title, width - 1))}…` : '…', width);
  });
  const lines = rows.map((row) =>
    row.map((cell, i) => {
      const text =
        typeof cell === 'string' ? cell : cell.href ? hyperlink(cell.href, cell.content) : cell.content;
      return pad(truncate(text, widths[i]!), widths[i]!);
    }),
  );
  return [heading, ...lines].map((cells) => cells.join(' ')).join('\n');
}
