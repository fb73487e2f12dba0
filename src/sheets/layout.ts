import type { sheets_v4 } from '@googleapis/sheets';
import { stripControl } from '../core/sanitize.js';
import { isJobStatus, JOB_STATUSES, type JobStatus } from '../jobs/model.js';

/**
 * What the mirror looks like (SPEC §9): two tabs with the seed's columns, plus status, notes and the job id
 * on "Job Postings". Columns are found by their header name, so a person may move or add columns; only the
 * required ones must stay.
 */
export const RESULTS_TAB = 'Job Search Results';
export const POSTINGS_TAB = 'Job Postings';

export const RESULTS_COLUMNS = ['link', 'added_at', 'query', 'location'] as const;
/**
 * The seed's 13 columns first and unchanged, then what djs adds: status, notes and the job id (the sync
 * key), then where the job was first listed and its pay as numbers (issue 12).
 */
export const POSTINGS_COLUMNS = [
  'link',
  'job_title',
  'job_company',
  'job_location',
  'job_date',
  'job_applicants',
  'job_salary',
  'job_description',
  'job_seniority',
  'job_employment_type',
  'job_function',
  'job_industries',
  'added_at',
  'status',
  'notes',
  'job_id',
  'source',
  'salary_min',
  'salary_max',
  'salary_currency',
  'salary_period',
] as const;

export const REQUIRED_RESULTS_COLUMNS = ['link', 'query', 'location'] as const;
export const REQUIRED_POSTINGS_COLUMNS = ['job_id', 'status', 'notes'] as const;

export type TabKind = 'results' | 'postings';
export const TAB_TITLES: Record<TabKind, string> = { results: RESULTS_TAB, postings: POSTINGS_TAB };
export const TAB_COLUMNS: Record<TabKind, readonly string[]> = {
  results: RESULTS_COLUMNS,
  postings: POSTINGS_COLUMNS,
};
export const REQUIRED_COLUMNS: Record<TabKind, readonly string[]> = {
  results: REQUIRED_RESULTS_COLUMNS,
  postings: REQUIRED_POSTINGS_COLUMNS,
};

/** Google refuses a cell over 50,000 characters. */
export const MAX_CELL_CHARACTERS = 50_000;
/** Each request stays under 2 MB (SPEC §9); the margin covers the JSON around the rows. */
export const MAX_REQUEST_BYTES = 2_000_000;
export const REQUEST_BUDGET_BYTES = 1_900_000;

const WIDTHS: Record<string, number> = {
  link: 260,
  job_title: 240,
  job_company: 170,
  job_location: 170,
  job_date: 110,
  job_applicants: 120,
  job_salary: 140,
  job_description: 420,
  job_seniority: 130,
  job_employment_type: 130,
  job_function: 150,
  job_industries: 170,
  added_at: 170,
  status: 110,
  notes: 260,
  job_id: 110,
  source: 110,
  salary_min: 100,
  salary_max: 100,
  salary_currency: 110,
  salary_period: 100,
  query: 180,
  location: 170,
};

/** Short text wraps; long text (the description) and links are clipped so rows keep a sane height. */
const CLIPPED = new Set(['link', 'job_description']);

/** A header cell as a column name: trimmed, lower-case. */
export function columnKey(header: string): string {
  return header.trim().toLowerCase();
}

/** Column positions by name, from a tab's header row. The first occurrence of a name wins. */
export function columnMap(header: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  header.forEach((name, index) => {
    const key = columnKey(name);
    if (key && !map.has(key)) map.set(key, index);
  });
  return map;
}

export function missingColumns(kind: TabKind, header: readonly string[]): string[] {
  const map = columnMap(header);
  return REQUIRED_COLUMNS[kind].filter((name) => !map.has(name));
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A1 notation for a tab: the title is always quoted ('' escapes a quote), as Sheets expects for spaces. */
export function a1(tab: string, cells?: string): string {
  const quoted = `'${tab.replaceAll("'", "''")}'`;
  return cells ? `${quoted}!${cells}` : quoted;
}

/**
 * Text as it goes into a cell: control characters removed (tab and newline kept), at most 50,000 characters
 * (cut on a character boundary, marked with "…").
 */
export function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = stripControl(String(value), { keepNewlines: true });
  if (text.length > MAX_CELL_CHARACTERS) {
    let cut = MAX_CELL_CHARACTERS - 1;
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--; // never split a surrogate pair
    text = `${text.slice(0, cut)}…`;
  }
  return text;
}

/** A status typed in the sheet, normalised; null when empty, 'invalid' when it is not one of the statuses. */
export function sheetStatus(value: string | undefined): JobStatus | null | 'invalid' {
  const text = (value ?? '').trim().toLowerCase();
  if (!text) return null;
  return isJobStatus(text) ? text : 'invalid';
}

/** A row laid out for a tab's columns: `values` by column name; columns djs does not know stay empty. */
export function layoutRow(header: readonly string[], values: Record<string, string>): string[] {
  const map = columnMap(header);
  const width = Math.max(
    0,
    ...[...map.entries()].filter(([name]) => name in values).map(([, index]) => index + 1),
  );
  const row = Array.from({ length: width }, () => '');
  for (const [name, index] of map) if (name in values) row[index] = values[name]!;
  return row;
}

/** Bytes a row adds to a JSON request body. */
export function rowBytes(row: readonly string[]): number {
  return Buffer.byteLength(JSON.stringify(row)) + 1;
}

/**
 * The formatting of a tab made by djs: frozen bold header, column widths, wrapped short text, and on
 * "Job Postings" a dropdown of the statuses.
 */
export function formatRequests(
  kind: TabKind,
  sheetId: number,
  header: readonly string[],
): sheets_v4.Schema$Request[] {
  const requests: sheets_v4.Schema$Request[] = [
    {
      updateSheetProperties: {
        properties: { sheetId, gridProperties: { frozenRowCount: 1 } },
        fields: 'gridProperties.frozenRowCount',
      },
    },
    {
      repeatCell: {
        range: { sheetId, startRowIndex: 0, endRowIndex: 1 },
        cell: {
          userEnteredFormat: {
            textFormat: { bold: true },
            wrapStrategy: 'WRAP',
            verticalAlignment: 'MIDDLE',
          },
        },
        fields: 'userEnteredFormat(textFormat.bold,wrapStrategy,verticalAlignment)',
      },
    },
  ];
  header.forEach((name, index) => {
    const key = columnKey(name);
    requests.push({
      updateDimensionProperties: {
        range: { sheetId, dimension: 'COLUMNS', startIndex: index, endIndex: index + 1 },
        properties: { pixelSize: WIDTHS[key] ?? 150 },
        fields: 'pixelSize',
      },
    });
    requests.push({
      repeatCell: {
        range: { sheetId, startRowIndex: 1, startColumnIndex: index, endColumnIndex: index + 1 },
        cell: {
          userEnteredFormat: { wrapStrategy: CLIPPED.has(key) ? 'CLIP' : 'WRAP', verticalAlignment: 'TOP' },
        },
        fields: 'userEnteredFormat(wrapStrategy,verticalAlignment)',
      },
    });
  });
  const status = columnMap(header).get('status');
  if (kind === 'postings' && status !== undefined) requests.push(statusDropdown(sheetId, status));
  return requests;
}

/** The status column's dropdown (data validation) below the header: the statuses of SPEC §4. */
export function statusDropdown(sheetId: number, column: number): sheets_v4.Schema$Request {
  return {
    setDataValidation: {
      range: { sheetId, startRowIndex: 1, startColumnIndex: column, endColumnIndex: column + 1 },
      rule: {
        condition: {
          type: 'ONE_OF_LIST',
          values: JOB_STATUSES.map((value) => ({ userEnteredValue: value })),
        },
        strict: true,
        showCustomUi: true,
        inputMessage: `One of: ${JOB_STATUSES.join(', ')}`,
      },
    },
  };
}

/** Groups column indexes into contiguous runs, so a read asks for a few narrow ranges, never the descriptions. */
export function columnRuns(indexes: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const index of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === index - 1) last[1] = index;
    else runs.push([index, index]);
  }
  return runs;
}
