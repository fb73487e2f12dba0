import { stringify } from 'csv-stringify/sync';
import { stripControl } from '../../core/sanitize.js';

export type CsvValue = string | number | null;

/**
 * A text field as it may go into a spreadsheet: controls removed, and a leading apostrophe on a field that
 * a spreadsheet would run as a formula (starting with = + - @, also after spaces).
 */
function defusedText(value: string): string {
  const text = stripControl(value);
  return /^\s*[=+\-@]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 (csv-stringify): CRLF line ends, a field quoted when it holds a comma, quote or line break. */
const RFC_4180 = { record_delimiter: 'windows', cast: { string: defusedText } } as const;

/** A CSV document: the header line, then one line per row, every line ending in CRLF. */
export function csvDocument(columns: string[], rows: CsvValue[][]): string {
  return stringify([columns, ...rows], RFC_4180);
}

/** One field as csvDocument writes it. */
export function csvField(value: CsvValue): string {
  return stringify([[value]], RFC_4180).slice(0, -2);
}
