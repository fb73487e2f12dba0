/**
 * The Sheets API v4 part of the Google fake (issue 6): in-memory spreadsheets behind the routes djs uses,
 * checked the way Google checks them.
 *
 *   POST /v4/spreadsheets                                   spreadsheets.create (properties, sheets, data)
 *   GET  /v4/spreadsheets/{id}                              spreadsheets.get (no grid data)
 *   POST /v4/spreadsheets/{id}:batchUpdate                  addSheet, deleteSheet, updateSheetProperties,
 *                                                           updateSpreadsheetProperties, repeatCell,
 *                                                           updateDimensionProperties, setDataValidation,
 *                                                           appendDimension
 *   GET  /v4/spreadsheets/{id}/values/{range}               values.get
 *   PUT  /v4/spreadsheets/{id}/values/{range}               values.update
 *   GET  /v4/spreadsheets/{id}/values:batchGet              values.batchGet (ranges=…&ranges=…)
 *   POST /v4/spreadsheets/{id}/values:batchUpdate           values.batchUpdate
 *   POST /v4/spreadsheets/{id}/values/{range}:append        values.append
 *
 * Google's checks: a valid Bearer token (401 UNAUTHENTICATED), a Sheets/Drive scope (403), a known and
 * reachable spreadsheet (404 NOT_FOUND; 403 PERMISSION_DENIED once access is revoked), parseable A1 ranges
 * inside the grid (400), at most 50,000 characters a cell (400), a valueInputOption on writes (400), and
 * RAW vs USER_ENTERED honoured: under USER_ENTERED a string starting with "=" becomes a formula, a number-like
 * string a number; under RAW every string stays text.
 *
 * Knobs and helpers for tests (see `fakeSheets(fake)`): latency, 429 RESOURCE_EXHAUSTED / 5xx on demand
 * (a count or a probability, optionally after applying the write), a per-minute write quota, deleting a
 * spreadsheet, revoking the app's permission, and editing or reading cells "as the user".
 *
 * Mutations happen when the request has fully arrived; latency delays only the answer. A client killed while
 * it waits has therefore had its write applied without hearing so — the case exactly-once sync must survive.
 * A client killed while still sending never completes its request, and Google (like this fake) ignores it.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  requireAccessToken,
  sendJson,
  type FakeGoogle,
  type FakeGoogleCore,
  type FakeRoute,
  type RouteContext,
} from './google-core.js';

export const MAX_CELL_CHARACTERS = 50_000;
const DEFAULT_ROWS = 1000;
const DEFAULT_COLUMNS = 26;
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const ALLOWED_SCOPES = [
  'https://www.googleapis.com/auth/drive.file',
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/spreadsheets',
];

export type CellValue = string | number | boolean;

export interface FakeCell {
  /** The value as entered (a formula's value is not computed). */
  value: CellValue | null;
  /** Set when the cell holds a formula (USER_ENTERED input starting with "="). */
  formula?: string;
}

export interface GridRange {
  sheetId?: number;
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}

export interface FakeSheet {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  rows: Array<Array<FakeCell | undefined> | undefined>;
  /** repeatCell requests as applied: the range and the userEnteredFormat. */
  formats: Array<{ range: GridRange; format: Record<string, unknown>; fields: string }>;
  validations: Array<{ range: GridRange; rule: Record<string, unknown> | null }>;
  columnWidths: Record<number, number>;
}

export interface FakeSpreadsheet {
  spreadsheetId: string;
  title: string;
  sheets: FakeSheet[];
  /** The app may not open it any more (drive.file access removed): 403. */
  permissionRevoked: boolean;
  /** Deleted for good: 404, as if it never existed. */
  deleted: boolean;
  /** Created by the app (true) or by the user outside it. */
  createdByApp: boolean;
}

interface Fault {
  status: number;
  remaining: number;
  probability: number;
  /** Apply a write first, then answer with the error: the client cannot tell whether it happened. */
  afterApply: boolean;
  only?: CallKind[];
}

export type CallKind =
  | 'create'
  | 'get'
  | 'batchUpdate'
  | 'values.get'
  | 'values.update'
  | 'values.batchGet'
  | 'values.batchUpdate'
  | 'values.append';

const WRITE_KINDS: ReadonlySet<CallKind> = new Set([
  'create',
  'batchUpdate',
  'values.update',
  'values.batchUpdate',
  'values.append',
]);

interface SheetsState {
  spreadsheets: Map<string, FakeSpreadsheet>;
  latencyMs: number;
  faults: Fault[];
  writesPerMinute: number;
  readsPerMinute: number;
  writeTimes: number[];
  readTimes: number[];
  maxRequestBytes: number;
  calls: Array<{ kind: CallKind; status: number; bytes: number }>;
  /** A hostile Google: the id every spreadsheet answer carries instead of the real one. */
  answeredId: string | null;
}

const states = new WeakMap<FakeGoogleCore, SheetsState>();

function stateOf(core: FakeGoogleCore): SheetsState {
  let state = states.get(core);
  if (!state) {
    state = {
      spreadsheets: new Map(),
      latencyMs: 0,
      faults: [],
      writesPerMinute: Infinity,
      readsPerMinute: Infinity,
      writeTimes: [],
      readTimes: [],
      maxRequestBytes: 0,
      calls: [],
      answeredId: null,
    };
    states.set(core, state);
  }
  return state;
}

/** An error a handler throws to answer in Google's shape. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string): ApiError => new ApiError(400, 'INVALID_ARGUMENT', message);

// ---------------------------------------------------------------------------------------------------------
// A1 notation

export interface ParsedRange {
  sheet: FakeSheet;
  startRow: number;
  /** Exclusive; undefined = to the end of the grid. */
  endRow: number | undefined;
  startCol: number;
  endCol: number | undefined;
  /** A single cell such as "A1" (append searches for the table from it). */
  singleCell: boolean;
}

export function columnIndex(letters: string): number {
  let index = 0;
  for (const char of letters.toUpperCase()) index = index * 26 + (char.charCodeAt(0) - 64);
  return index - 1;
}

export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function quoteSheetTitle(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title)
    ? title
    : `'${title.replaceAll("'", "''")}'`;
}

const CELL_PART = /^(?:([A-Za-z]{1,3})?(\d+)?)(?::(?:([A-Za-z]{1,3})?(\d+)?))?$/;

/** Parses A1 notation the way Sheets accepts it: `'Tab name'!A1:B2`, `Tab!A:A`, `Tab!2:2`, `Tab`, `A1:B2`. */
export function parseA1(range: string, spreadsheet: FakeSpreadsheet): ParsedRange {
  const fail = (): ApiError => invalid(`Unable to parse range: ${range}`);
  const text = range.trim();
  if (!text) throw fail();
  let sheetTitle: string | undefined;
  let cells: string | undefined;
  if (text.startsWith("'")) {
    let i = 1;
    let title = '';
    for (;;) {
      if (i >= text.length) throw fail();
      const char = text[i]!;
      if (char === "'") {
        if (text[i + 1] === "'") {
          title += "'";
          i += 2;
          continue;
        }
        i++;
        break;
      }
      title += char;
      i++;
    }
    sheetTitle = title;
    const rest = text.slice(i);
    if (rest === '') cells = undefined;
    else if (rest.startsWith('!')) cells = rest.slice(1);
    else throw fail();
  } else {
    const bang = text.lastIndexOf('!');
    if (bang >= 0) {
      sheetTitle = text.slice(0, bang);
      cells = text.slice(bang + 1);
      // Unquoted titles cannot hold spaces or quotes.
      if (!sheetTitle || /['\s!]/.test(sheetTitle)) throw fail();
    } else if (spreadsheet.sheets.some((s) => s.title === text)) {
      sheetTitle = text;
    } else {
      cells = text;
    }
  }
  const sheet =
    sheetTitle === undefined
      ? [...spreadsheet.sheets].sort((a, b) => a.index - b.index)[0]
      : spreadsheet.sheets.find((s) => s.title === sheetTitle);
  if (!sheet) throw fail();
  if (cells === undefined) {
    return { sheet, startRow: 0, endRow: undefined, startCol: 0, endCol: undefined, singleCell: false };
  }
  const match = CELL_PART.exec(cells);
  if (!match) throw fail();
  const [, c1, r1, c2, r2] = match;
  const rowOf = (r: string): number => {
    const n = Number(r);
    if (!Number.isInteger(n) || n < 1) throw fail();
    return n - 1;
  };
  if (!cells.includes(':')) {
    // A single cell: both a column and a row ("A" or "1" alone is not a range).
    if (!c1 || !r1) throw fail();
    const row = rowOf(r1);
    const col = columnIndex(c1);
    return { sheet, startRow: row, endRow: row + 1, startCol: col, endCol: col + 1, singleCell: true };
  }
  if ((!c1 && !r1) || (!c2 && !r2) || !c1 !== !c2) throw fail();
  let startRow: number;
  let endRow: number | undefined;
  let startCol: number;
  let endCol: number | undefined;
  if (!c1) {
    // Whole rows: "2:5".
    if (!r1 || !r2) throw fail();
    [startRow, endRow, startCol, endCol] = [rowOf(r1), rowOf(r2) + 1, 0, undefined];
  } else {
    // Columns, optionally bounded by rows: "A:B", "A2:B", "A2:B9".
    [startCol, endCol] = [columnIndex(c1), columnIndex(c2!) + 1];
    startRow = r1 ? rowOf(r1) : 0;
    endRow = r2 ? rowOf(r2) + 1 : undefined;
  }
  if (endCol !== undefined && endCol <= startCol) [startCol, endCol] = [endCol - 1, startCol + 1];
  if (endRow !== undefined && endRow <= startRow) [startRow, endRow] = [endRow - 1, startRow + 1];
  return { sheet, startRow, endRow, startCol, endCol, singleCell: false };
}

function a1Of(sheet: FakeSheet, startRow: number, endRow: number, startCol: number, endCol: number): string {
  const from = `${columnLetters(startCol)}${startRow + 1}`;
  const to = `${columnLetters(Math.max(startCol, endCol - 1))}${Math.max(startRow, endRow - 1) + 1}`;
  return `${quoteSheetTitle(sheet.title)}!${from === to ? from : `${from}:${to}`}`;
}

function checkInsideGrid(range: ParsedRange, original: string): void {
  const { sheet } = range;
  if ((range.endRow ?? range.startRow + 1) > sheet.rowCount || range.startRow >= sheet.rowCount) {
    throw invalid(
      `Range (${original}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  }
  if ((range.endCol ?? range.startCol + 1) > sheet.columnCount || range.startCol >= sheet.columnCount) {
    throw invalid(
      `Range (${original}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cells

function enteredCell(value: unknown, option: string): FakeCell | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return { value };
  if (typeof value !== 'string') throw invalid(`Invalid values[][]: ${JSON.stringify(value).slice(0, 80)}`);
  if (value.length > MAX_CELL_CHARACTERS) {
    throw invalid(
      `Your input contains more than the maximum of ${MAX_CELL_CHARACTERS} characters in a single cell.`,
    );
  }
  if (value === '') return undefined;
  if (option === 'RAW') return { value };
  if (value.startsWith('=')) return { value: null, formula: value };
  if (value.startsWith("'")) return { value: value.slice(1) };
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim())) return { value: Number(value) };
  if (/^(true|false)$/i.test(value.trim())) return { value: value.trim().toUpperCase() === 'TRUE' };
  return { value };
}

function renderCell(cell: FakeCell | undefined, render: string): CellValue | '' {
  if (!cell) return '';
  if (cell.formula !== undefined) {
    if (render === 'FORMULA') return cell.formula;
    return '#N/A';
  }
  if (cell.value === null) return '';
  if (render === 'UNFORMATTED_VALUE') return cell.value;
  if (typeof cell.value === 'boolean') return cell.value ? 'TRUE' : 'FALSE';
  return String(cell.value);
}

function readValues(range: ParsedRange, render: string): Array<Array<CellValue | ''>> {
  const { sheet } = range;
  const endRow = Math.min(range.endRow ?? sheet.rowCount, sheet.rowCount);
  const endCol = Math.min(range.endCol ?? sheet.columnCount, sheet.columnCount);
  const out: Array<Array<CellValue | ''>> = [];
  for (let r = range.startRow; r < endRow; r++) {
    const row: Array<CellValue | ''> = [];
    const source = sheet.rows[r];
    for (let c = range.startCol; c < endCol; c++) row.push(renderCell(source?.[c], render));
    while (row.length > 0 && row.at(-1) === '') row.pop();
    out.push(row);
  }
  while (out.length > 0 && out.at(-1)!.length === 0) out.pop();
  return out;
}

function validateValues(values: unknown, option: string): Array<Array<FakeCell | undefined>> {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw invalid("Invalid value at 'data.values': expected a list of rows.");
  return values.map((row) => {
    if (!Array.isArray(row)) throw invalid("Invalid value at 'data.values': expected a list of cells.");
    return row.map((value) => enteredCell(value, option));
  });
}

function writeCells(
  sheet: FakeSheet,
  startRow: number,
  startCol: number,
  cells: Array<Array<FakeCell | undefined>>,
): void {
  cells.forEach((row, i) => {
    const target = (sheet.rows[startRow + i] ??= []);
    row.forEach((cell, j) => {
      target[startCol + j] = cell;
    });
  });
}

function lastUsedRow(sheet: FakeSheet, startCol: number, endCol: number | undefined): number {
  for (let r = sheet.rows.length - 1; r >= 0; r--) {
    const row = sheet.rows[r];
    if (!row) continue;
    const stop = Math.min(endCol ?? row.length, row.length);
    for (let c = startCol; c < stop; c++) {
      const cell = row[c];
      if (cell && (cell.formula !== undefined || (cell.value !== null && cell.value !== ''))) return r;
    }
  }
  return -1;
}

function checkValueInputOption(option: string | undefined): string {
  if (!option) throw invalid("'valueInputOption' is required but not specified");
  if (option !== 'RAW' && option !== 'USER_ENTERED') throw invalid(`Invalid valueInputOption: ${option}`);
  return option;
}

// ---------------------------------------------------------------------------------------------------------
// Spreadsheets

function newId(): string {
  // Like Google's Drive ids for new files: 44 base64url characters, starting with "1" (never "-", which
  // a command line would take for an option).
  return `1${randomBytes(33).toString('base64url').slice(0, 43)}`;
}

function newSheet(properties: Record<string, unknown>, index: number, taken: Set<number>): FakeSheet {
  const grid = (properties.gridProperties ?? {}) as Record<string, number | undefined>;
  let sheetId =
    typeof properties.sheetId === 'number'
      ? properties.sheetId
      : index === 0 && !taken.has(0)
        ? 0
        : randomInt(1, 2_000_000_000);
  while (taken.has(sheetId)) sheetId = randomInt(1, 2_000_000_000);
  taken.add(sheetId);
  return {
    sheetId,
    title: typeof properties.title === 'string' && properties.title ? properties.title : `Sheet${index + 1}`,
    index,
    rowCount: grid.rowCount ?? DEFAULT_ROWS,
    columnCount: grid.columnCount ?? DEFAULT_COLUMNS,
    frozenRowCount: grid.frozenRowCount ?? 0,
    rows: [],
    formats: [],
    validations: [],
    columnWidths: {},
  };
}

function sheetResource(sheet: FakeSheet): Record<string, unknown> {
  return {
    properties: {
      sheetId: sheet.sheetId,
      title: sheet.title,
      index: sheet.index,
      sheetType: 'GRID',
      gridProperties: {
        rowCount: sheet.rowCount,
        columnCount: sheet.columnCount,
        ...(sheet.frozenRowCount ? { frozenRowCount: sheet.frozenRowCount } : {}),
      },
    },
  };
}

function spreadsheetResource(spreadsheet: FakeSpreadsheet, core: FakeGoogleCore): Record<string, unknown> {
  return {
    spreadsheetId: stateOf(core).answeredId ?? spreadsheet.spreadsheetId,
    properties: { title: spreadsheet.title, locale: 'en_US', autoRecalc: 'ON_CHANGE', timeZone: 'Etc/GMT' },
    sheets: [...spreadsheet.sheets].sort((a, b) => a.index - b.index).map(sheetResource),
    spreadsheetUrl: `${core.url}/spreadsheets/d/${spreadsheet.spreadsheetId}/edit`,
  };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function sheetById(spreadsheet: FakeSpreadsheet, sheetId: number | undefined, where: string): FakeSheet {
  const sheet = spreadsheet.sheets.find((s) => s.sheetId === (sheetId ?? 0));
  if (!sheet) throw invalid(`Invalid ${where}: No grid with id: ${sheetId ?? 0}`);
  return sheet;
}

function applyRequest(
  spreadsheet: FakeSpreadsheet,
  request: Record<string, unknown>,
  i: number,
): Record<string, unknown> {
  const kinds = Object.keys(request);
  if (kinds.length !== 1) throw invalid(`Invalid requests[${i}]: exactly one kind of request is required.`);
  const kind = kinds[0]!;
  const body = (request[kind] ?? {}) as Record<string, unknown>;
  const where = `requests[${i}].${kind}`;
  switch (kind) {
    case 'addSheet': {
      const properties = (body.properties ?? {}) as Record<string, unknown>;
      const title = properties.title;
      if (typeof title === 'string' && spreadsheet.sheets.some((s) => s.title === title)) {
        throw invalid(
          `Invalid ${where}: A sheet with the name "${title}" already exists. Please enter another name.`,
        );
      }
      const sheet = newSheet(
        properties,
        spreadsheet.sheets.length,
        new Set(spreadsheet.sheets.map((s) => s.sheetId)),
      );
      spreadsheet.sheets.push(sheet);
      return { addSheet: sheetResource(sheet) };
    }
    case 'deleteSheet': {
      const sheet = sheetById(spreadsheet, body.sheetId as number, where);
      if (spreadsheet.sheets.length === 1)
        throw invalid(`Invalid ${where}: You can't remove all the sheets in a document.`);
      spreadsheet.sheets = spreadsheet.sheets.filter((s) => s !== sheet);
      spreadsheet.sheets.sort((a, b) => a.index - b.index).forEach((s, index) => (s.index = index));
      return {};
    }
    case 'updateSpreadsheetProperties': {
      const properties = (body.properties ?? {}) as Record<string, unknown>;
      if (!body.fields) throw invalid(`Invalid ${where}: fields is required.`);
      if (typeof properties.title === 'string') spreadsheet.title = properties.title;
      return {};
    }
    case 'updateSheetProperties': {
      const properties = (body.properties ?? {}) as Record<string, unknown>;
      if (!body.fields) throw invalid(`Invalid ${where}: fields is required.`);
      const sheet = sheetById(spreadsheet, properties.sheetId as number | undefined, where);
      const fields = String(body.fields);
      const grid = (properties.gridProperties ?? {}) as Record<string, number | undefined>;
      if (fields.includes('title') && typeof properties.title === 'string') {
        if (spreadsheet.sheets.some((s) => s !== sheet && s.title === properties.title)) {
          throw invalid(`Invalid ${where}: A sheet with the name "${properties.title}" already exists.`);
        }
        sheet.title = properties.title;
      }
      if ((fields.includes('frozenRowCount') || fields === '*') && grid.frozenRowCount !== undefined) {
        sheet.frozenRowCount = grid.frozenRowCount;
      }
      if (fields.includes('rowCount') && grid.rowCount !== undefined) sheet.rowCount = grid.rowCount;
      if (fields.includes('columnCount') && grid.columnCount !== undefined)
        sheet.columnCount = grid.columnCount;
      return {};
    }
    case 'repeatCell': {
      const range = (body.range ?? {}) as GridRange;
      const sheet = sheetById(spreadsheet, range.sheetId, where);
      if (!body.fields) throw invalid(`Invalid ${where}: fields is required.`);
      const cell = (body.cell ?? {}) as Record<string, unknown>;
      sheet.formats.push({
        range,
        format: (cell.userEnteredFormat ?? {}) as Record<string, unknown>,
        fields: String(body.fields),
      });
      return {};
    }
    case 'updateDimensionProperties': {
      const range = (body.range ?? {}) as {
        sheetId?: number;
        dimension?: string;
        startIndex?: number;
        endIndex?: number;
      };
      const sheet = sheetById(spreadsheet, range.sheetId, where);
      if (range.dimension !== 'COLUMNS' && range.dimension !== 'ROWS')
        throw invalid(`Invalid ${where}: dimension is required.`);
      const properties = (body.properties ?? {}) as Record<string, unknown>;
      if (range.dimension === 'COLUMNS' && typeof properties.pixelSize === 'number') {
        const end = range.endIndex ?? sheet.columnCount;
        if (end > sheet.columnCount) throw invalid(`Invalid ${where}: Range exceeds grid limits.`);
        for (let c = range.startIndex ?? 0; c < end; c++) sheet.columnWidths[c] = properties.pixelSize;
      }
      return {};
    }
    case 'setDataValidation': {
      const range = (body.range ?? {}) as GridRange;
      const sheet = sheetById(spreadsheet, range.sheetId, where);
      const rule = (body.rule ?? null) as Record<string, unknown> | null;
      if (rule) {
        const condition = (rule.condition ?? {}) as { type?: string; values?: unknown[] };
        if (!condition.type) throw invalid(`Invalid ${where}: rule.condition.type is required.`);
        if (
          condition.type === 'ONE_OF_LIST' &&
          (!Array.isArray(condition.values) || condition.values.length === 0)
        ) {
          throw invalid(`Invalid ${where}: ONE_OF_LIST needs at least one value.`);
        }
      }
      sheet.validations.push({ range, rule });
      return {};
    }
    case 'appendDimension': {
      const sheet = sheetById(spreadsheet, body.sheetId as number | undefined, where);
      const length = Number(body.length);
      if (!Number.isInteger(length) || length < 1)
        throw invalid(`Invalid ${where}: length must be positive.`);
      if (body.dimension === 'ROWS') sheet.rowCount += length;
      else if (body.dimension === 'COLUMNS') sheet.columnCount += length;
      else throw invalid(`Invalid ${where}: dimension is required.`);
      return {};
    }
    default:
      throw invalid(
        `Invalid requests[${i}]: unknown request kind "${kind}" (this fake supports what djs sends).`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Routes

const ID = '(?<id>[^/:]+)';

export function sheetsRoutes(core: FakeGoogleCore): FakeRoute[] {
  const state = stateOf(core);
  const route = (
    method: string,
    path: RegExp,
    kind: CallKind,
    handler: (ctx: RouteContext) => unknown,
  ): FakeRoute => ({
    method,
    path,
    apiCall: true,
    handle: (ctx) => serve(ctx, kind, handler),
  });
  return [
    route('POST', /^\/v4\/spreadsheets$/, 'create', create),
    route('GET', new RegExp(`^/v4/spreadsheets/${ID}$`), 'get', (ctx) =>
      spreadsheetResource(open(ctx), core),
    ),
    route('POST', new RegExp(`^/v4/spreadsheets/${ID}:batchUpdate$`), 'batchUpdate', batchUpdate),
    route('GET', new RegExp(`^/v4/spreadsheets/${ID}/values:batchGet$`), 'values.batchGet', valuesBatchGet),
    route(
      'POST',
      new RegExp(`^/v4/spreadsheets/${ID}/values:batchUpdate$`),
      'values.batchUpdate',
      valuesBatchUpdate,
    ),
    route(
      'POST',
      new RegExp(`^/v4/spreadsheets/${ID}/values/(?<range>.+):append$`),
      'values.append',
      valuesAppend,
    ),
    route('GET', new RegExp(`^/v4/spreadsheets/${ID}/values/(?<range>[^/]+)$`), 'values.get', valuesGet),
    route(
      'PUT',
      new RegExp(`^/v4/spreadsheets/${ID}/values/(?<range>[^/]+)$`),
      'values.update',
      valuesUpdate,
    ),
  ];

  async function serve(
    ctx: RouteContext,
    kind: CallKind,
    handler: (ctx: RouteContext) => unknown,
  ): Promise<void> {
    const bytes = ctx.rawBody.length;
    state.maxRequestBytes = Math.max(state.maxRequestBytes, bytes);
    const record = { kind, status: 0, bytes };
    state.calls.push(record);
    const answer = async (status: number, body: unknown): Promise<void> => {
      record.status = status;
      if (state.latencyMs > 0) await delay(state.latencyMs);
      if (core.closed) return;
      sendJson(ctx.res, status, body);
    };
    if (!requireAccessToken(ctx)) {
      record.status = 401;
      return;
    }
    const token = ctx.core.accessTokens.get(
      /^Bearer\s+(\S+)/i.exec(ctx.req.headers.authorization ?? '')?.[1] ?? '',
    );
    if (token && !token.scope.split(/\s+/).some((scope) => ALLOWED_SCOPES.includes(scope))) {
      return answer(
        403,
        apiErrorBody(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.'),
      );
    }
    if (bytes > MAX_BODY_BYTES) {
      return answer(
        413,
        apiErrorBody(413, 'INVALID_ARGUMENT', 'Request payload size exceeds the limit: 10485760 bytes.'),
      );
    }
    const quota = quotaExceeded(kind);
    if (quota) return answer(429, quota);
    const fault = takeFault(kind);
    if (fault && !fault.afterApply) return answer(fault.status, faultBody(fault.status));
    let status = 200;
    let body: unknown;
    try {
      body = handler(ctx);
    } catch (error) {
      if (error instanceof ApiError) {
        status = error.code;
        body = apiErrorBody(error.code, error.status, error.message);
      } else {
        throw error;
      }
    }
    if (fault && status === 200) return answer(fault.status, faultBody(fault.status));
    return answer(status, body);
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        core.timers.delete(timer);
        resolve();
      }, ms);
      core.timers.add(timer);
    });
  }

  function quotaExceeded(kind: CallKind): unknown {
    const now = Date.now();
    const write = WRITE_KINDS.has(kind);
    const times = write ? state.writeTimes : state.readTimes;
    const limit = write ? state.writesPerMinute : state.readsPerMinute;
    while (times.length > 0 && times[0]! <= now - 60_000) times.shift();
    if (times.length >= limit) {
      return apiErrorBody(
        429,
        'RESOURCE_EXHAUSTED',
        `Quota exceeded for quota metric '${write ? 'Write' : 'Read'} requests' and limit '${write ? 'Write' : 'Read'} requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.`,
      );
    }
    times.push(now);
    return undefined;
  }

  function takeFault(kind: CallKind): Fault | undefined {
    for (const fault of state.faults) {
      if (fault.only && !fault.only.includes(kind)) continue;
      if (fault.afterApply && !WRITE_KINDS.has(kind)) continue;
      if (fault.remaining > 0) {
        fault.remaining--;
        return fault;
      }
      if (fault.probability > 0 && Math.random() < fault.probability) return fault;
    }
    return undefined;
  }

  function open(ctx: RouteContext): FakeSpreadsheet {
    const spreadsheet = state.spreadsheets.get(ctx.params.id ?? '');
    if (!spreadsheet || spreadsheet.deleted)
      throw new ApiError(404, 'NOT_FOUND', 'Requested entity was not found.');
    if (spreadsheet.permissionRevoked)
      throw new ApiError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    return spreadsheet;
  }

  function create(ctx: RouteContext): unknown {
    const body = (ctx.body ?? {}) as {
      properties?: { title?: string };
      sheets?: Array<Record<string, unknown>>;
    };
    if (typeof body !== 'object' || Array.isArray(body)) throw invalid('Invalid JSON payload received.');
    const spreadsheet: FakeSpreadsheet = {
      spreadsheetId: newId(),
      title: body.properties?.title || 'Untitled spreadsheet',
      sheets: [],
      permissionRevoked: false,
      deleted: false,
      createdByApp: true,
    };
    const taken = new Set<number>();
    const specs = body.sheets && body.sheets.length > 0 ? body.sheets : [{ properties: {} }];
    specs.forEach((spec, index) => {
      const properties = (spec.properties ?? {}) as Record<string, unknown>;
      if (spreadsheet.sheets.some((s) => s.title === properties.title)) {
        throw invalid(
          `Invalid sheets[${index}]: A sheet with the name "${String(properties.title)}" already exists.`,
        );
      }
      const sheet = newSheet(properties, index, taken);
      for (const grid of (spec.data ?? []) as Array<Record<string, unknown>>) {
        const startRow = Number(grid.startRow ?? 0);
        const startColumn = Number(grid.startColumn ?? 0);
        const rowData = (grid.rowData ?? []) as Array<{
          values?: Array<{ userEnteredValue?: Record<string, unknown> }>;
        }>;
        const cells = rowData.map((row) =>
          (row.values ?? []).map((cell) => {
            const entered = cell.userEnteredValue ?? {};
            if ('formulaValue' in entered) return { value: null, formula: String(entered.formulaValue) };
            const value = (entered.stringValue ??
              entered.numberValue ??
              entered.boolValue ??
              null) as CellValue | null;
            if (typeof value === 'string' && value.length > MAX_CELL_CHARACTERS) {
              throw invalid(
                `Your input contains more than the maximum of ${MAX_CELL_CHARACTERS} characters in a single cell.`,
              );
            }
            return value === null ? undefined : { value };
          }),
        );
        writeCells(sheet, startRow, startColumn, cells);
      }
      spreadsheet.sheets.push(sheet);
    });
    state.spreadsheets.set(spreadsheet.spreadsheetId, spreadsheet);
    return spreadsheetResource(spreadsheet, core);
  }

  function batchUpdate(ctx: RouteContext): unknown {
    const spreadsheet = open(ctx);
    const body = (ctx.body ?? {}) as { requests?: Array<Record<string, unknown>> };
    if (!Array.isArray(body.requests) || body.requests.length === 0)
      throw invalid('Must specify at least one request.');
    // All or nothing, like Google: apply to a copy and keep it only if every request succeeded.
    const copy = clone(spreadsheet);
    const replies = body.requests.map((request, i) => applyRequest(copy, request, i));
    Object.assign(spreadsheet, copy);
    return { spreadsheetId: spreadsheet.spreadsheetId, replies };
  }

  function valuesGet(ctx: RouteContext): unknown {
    const spreadsheet = open(ctx);
    const range = ctx.params.range ?? '';
    return valueRange(
      spreadsheet,
      range,
      ctx.query.valueRenderOption ?? 'FORMATTED_VALUE',
      ctx.query.majorDimension,
    );
  }

  function valuesBatchGet(ctx: RouteContext): unknown {
    const spreadsheet = open(ctx);
    const ranges = ctx.url.searchParams.getAll('ranges');
    const render = ctx.query.valueRenderOption ?? 'FORMATTED_VALUE';
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      valueRanges: ranges.map((range) => valueRange(spreadsheet, range, render, ctx.query.majorDimension)),
    };
  }

  function valueRange(
    spreadsheet: FakeSpreadsheet,
    text: string,
    render: string,
    major: string | undefined,
  ): unknown {
    if (major !== undefined && major !== 'ROWS' && major !== 'COLUMNS')
      throw invalid(`Invalid majorDimension: ${major}`);
    const range = parseA1(text, spreadsheet);
    // A bounded side must lie inside the grid; an open-ended one ("A2:A", "3:3"…) is clamped to it.
    const { sheet } = range;
    if (
      (range.endRow !== undefined && range.endRow > sheet.rowCount) ||
      (range.endCol !== undefined && range.endCol > sheet.columnCount)
    ) {
      throw invalid(
        `Range (${text}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
      );
    }
    const endRow = Math.min(range.endRow ?? range.sheet.rowCount, range.sheet.rowCount);
    const endCol = Math.min(range.endCol ?? range.sheet.columnCount, range.sheet.columnCount);
    let values = readValues(range, render);
    if (major === 'COLUMNS') {
      const width = Math.max(0, ...values.map((row) => row.length));
      values = Array.from({ length: width }, (_, c) => values.map((row) => row[c] ?? ''));
    }
    return {
      range: a1Of(range.sheet, range.startRow, endRow, range.startCol, endCol),
      majorDimension: major ?? 'ROWS',
      ...(values.length > 0 ? { values } : {}),
    };
  }

  function writeRange(spreadsheet: FakeSpreadsheet, text: string, values: unknown, option: string) {
    const range = parseA1(text, spreadsheet);
    const cells = validateValues(values, option);
    const height = cells.length;
    const width = Math.max(0, ...cells.map((row) => row.length));
    if (range.endRow !== undefined && height > range.endRow - range.startRow) {
      throw invalid(
        `Requested writing within range [${text}], but tried writing to row [${range.startRow + height}]`,
      );
    }
    if (range.endCol !== undefined && !range.singleCell && width > range.endCol - range.startCol) {
      throw invalid(
        `Requested writing within range [${text}], but tried writing to column [${columnLetters(range.startCol + width - 1)}]`,
      );
    }
    if (height > 0 && width > 0) {
      checkInsideGrid({ ...range, endRow: range.startRow + height, endCol: range.startCol + width }, text);
    }
    return { range, cells, height, width };
  }

  function valuesUpdate(ctx: RouteContext): unknown {
    const spreadsheet = open(ctx);
    const option = checkValueInputOption(ctx.query.valueInputOption);
    const body = (ctx.body ?? {}) as { values?: unknown; range?: string };
    const text = ctx.params.range ?? '';
    return applyWrite(spreadsheet, writeRange(spreadsheet, text, body.values, option));
  }

  /** Writes checked cells and answers as Google's UpdateValuesResponse does. */
  function applyWrite(spreadsheet: FakeSpreadsheet, write: ReturnType<typeof writeRange>) {
    const { range, cells, height, width } = write;
    writeCells(range.sheet, range.startRow, range.startCol, cells);
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      updatedRange: a1Of(
        range.sheet,
        range.startRow,
        range.startRow + height,
        range.startCol,
        range.startCol + width,
      ),
      updatedRows: height,
      updatedColumns: width,
      updatedCells: cells.reduce((n, row) => n + row.length, 0),
    };
  }

  function valuesBatchUpdate(ctx: RouteContext): unknown {
    const spreadsheet = open(ctx);
    const body = (ctx.body ?? {}) as {
      valueInputOption?: string;
      data?: Array<{ range?: string; values?: unknown }>;
    };
    const option = checkValueInputOption(body.valueInputOption);
    if (!Array.isArray(body.data)) throw invalid('data is required.');
    // Check everything first: one bad range or cell rejects the whole request.
    const writes = body.data.map((entry) => writeRange(spreadsheet, entry.range ?? '', entry.values, option));
    const responses = writes.map((write) => applyWrite(spreadsheet, write));
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      totalUpdatedRows: responses.reduce((n, r) => n + r.updatedRows, 0),
      totalUpdatedColumns: Math.max(0, ...responses.map((r) => r.updatedColumns)),
      totalUpdatedCells: responses.reduce((n, r) => n + r.updatedCells, 0),
      totalUpdatedSheets: new Set(writes.map((w) => w.range.sheet.sheetId)).size,
      responses,
    };
  }

  function valuesAppend(ctx: RouteContext): unknown {
    const spreadsheet = open(ctx);
    const option = checkValueInputOption(ctx.query.valueInputOption);
    const insert = ctx.query.insertDataOption ?? 'OVERWRITE';
    if (insert !== 'OVERWRITE' && insert !== 'INSERT_ROWS')
      throw invalid(`Invalid insertDataOption: ${insert}`);
    const text = ctx.params.range ?? '';
    const range = parseA1(text, spreadsheet);
    const body = (ctx.body ?? {}) as { values?: unknown; majorDimension?: string };
    if (body.majorDimension !== undefined && body.majorDimension !== 'ROWS')
      throw invalid('Only ROWS is supported by this fake.');
    const cells = validateValues(body.values, option);
    const { sheet } = range;
    // The "table" is found from the range's first column; rows go after its last used row.
    const tableEnd = lastUsedRow(sheet, range.startCol, range.singleCell ? undefined : range.endCol) + 1;
    const start = Math.max(tableEnd, range.singleCell ? 0 : range.startRow);
    const height = cells.length;
    const width = Math.max(0, ...cells.map((row) => row.length));
    if (insert === 'INSERT_ROWS') {
      sheet.rows.splice(start, 0, ...Array.from({ length: height }, () => undefined));
      sheet.rowCount += height;
    } else {
      sheet.rowCount = Math.max(sheet.rowCount, start + height);
    }
    sheet.columnCount = Math.max(sheet.columnCount, range.startCol + width);
    writeCells(sheet, start, range.startCol, cells);
    const tableEndCol = range.endCol ?? range.startCol + width;
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      tableRange: tableEnd > 0 ? a1Of(sheet, 0, tableEnd, range.startCol, tableEndCol) : undefined,
      updates: {
        spreadsheetId: spreadsheet.spreadsheetId,
        updatedRange:
          height > 0 ? a1Of(sheet, start, start + height, range.startCol, range.startCol + width) : undefined,
        updatedRows: height,
        updatedColumns: width,
        updatedCells: cells.reduce((n, row) => n + row.length, 0),
      },
    };
  }
}

function apiErrorBody(code: number, status: string, message: string): unknown {
  return { error: { code, message, status } };
}

function faultBody(status: number): unknown {
  if (status === 429) {
    return apiErrorBody(
      429,
      'RESOURCE_EXHAUSTED',
      "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
    );
  }
  if (status === 503) return apiErrorBody(503, 'UNAVAILABLE', 'The service is currently unavailable.');
  if (status === 500) return apiErrorBody(500, 'INTERNAL', 'Internal error encountered.');
  return apiErrorBody(status, 'UNKNOWN', `Error ${status}`);
}

// ---------------------------------------------------------------------------------------------------------
// Test controls

export interface FakeSheetsControl {
  /** Every spreadsheet, including deleted ones. */
  spreadsheets(): FakeSpreadsheet[];
  spreadsheet(id: string): FakeSpreadsheet;
  /** The sheet (tab) with this title. */
  tab(id: string, title: string): FakeSheet;
  /** A tab's rows as Sheets shows them (formatted values; formulas as "#N/A"), trailing blanks trimmed. */
  rows(id: string, title: string): string[][];
  /** One cell as stored: its value and, for a formula, the formula. */
  cell(id: string, title: string, a1: string): FakeCell | undefined;
  /** Types into a cell as the person would in the Sheets UI (USER_ENTERED: "=…" becomes a formula). */
  setCell(id: string, title: string, a1: string, value: string): void;
  /** A spreadsheet made by the person outside djs (drive.file: visible to djs only if `openedWithApp`). */
  createSpreadsheet(
    title: string,
    tabs: Array<{ title: string; rows?: string[][] }>,
    openedWithApp?: boolean,
  ): string;
  /** Deletes a row (1-based) as the person would; the rows below move up. */
  deleteRow(id: string, title: string, row: number): void;
  /** Inserts an empty column before `index` (0-based) as the person would; the columns after move right. */
  insertColumn(id: string, title: string, index: number): void;
  deleteSpreadsheet(id: string): void;
  revokePermission(id: string): void;
  /** Delay every Sheets answer (the write is applied at once; only the answer waits). */
  setLatency(ms: number): void;
  /** A hostile Google: spreadsheet answers (create, get) carry this id instead of the real one; null ends it. */
  answerSpreadsheetId(id: string | null): void;
  /**
   * Make Sheets calls fail: the next `count` calls (or each call with `probability`) answer `status`
   * (default 429 RESOURCE_EXHAUSTED). `afterApply` applies a write first, then fails (an ambiguous write).
   */
  fail(options: {
    status?: number;
    count?: number;
    probability?: number;
    afterApply?: boolean;
    only?: CallKind[];
  }): void;
  clearFaults(): void;
  /** Google's per-minute quotas (default: none). */
  setQuota(quota: { writesPerMinute?: number; readsPerMinute?: number }): void;
  /** Every Sheets call by kind with its status and request size. */
  readonly calls: ReadonlyArray<{ kind: CallKind; status: number; bytes: number }>;
  /** The largest request body seen, in bytes. */
  readonly maxRequestBytes: number;
}

export function fakeSheets(fake: FakeGoogle | FakeGoogleCore): FakeSheetsControl {
  const core = 'core' in fake ? fake.core : fake;
  const state = stateOf(core);
  const spreadsheet = (id: string): FakeSpreadsheet => {
    const found = state.spreadsheets.get(id);
    if (!found) throw new Error(`fake-sheets: no spreadsheet ${id}`);
    return found;
  };
  const tab = (id: string, title: string): FakeSheet => {
    const found = spreadsheet(id).sheets.find((s) => s.title === title);
    if (!found) throw new Error(`fake-sheets: no tab "${title}" in ${id}`);
    return found;
  };
  return {
    spreadsheets: () => [...state.spreadsheets.values()],
    spreadsheet,
    tab,
    rows(id, title) {
      const sheet = tab(id, title);
      return readValues(
        { sheet, startRow: 0, endRow: undefined, startCol: 0, endCol: undefined, singleCell: false },
        'FORMATTED_VALUE',
      ).map((row) => row.map(String));
    },
    cell(id, title, a1) {
      const parsed = parseA1(`${quoteSheetTitle(title)}!${a1}`, spreadsheet(id));
      return parsed.sheet.rows[parsed.startRow]?.[parsed.startCol];
    },
    setCell(id, title, a1, value) {
      const parsed = parseA1(`${quoteSheetTitle(title)}!${a1}`, spreadsheet(id));
      writeCells(parsed.sheet, parsed.startRow, parsed.startCol, [[enteredCell(value, 'USER_ENTERED')]]);
    },
    createSpreadsheet(title, tabs, openedWithApp = true) {
      const taken = new Set<number>();
      const created: FakeSpreadsheet = {
        spreadsheetId: newId(),
        title,
        sheets: tabs.map((t, index) => {
          const sheet = newSheet({ title: t.title }, index, taken);
          writeCells(
            sheet,
            0,
            0,
            (t.rows ?? []).map((row) => row.map((value) => enteredCell(value, 'USER_ENTERED'))),
          );
          return sheet;
        }),
        permissionRevoked: !openedWithApp,
        deleted: false,
        createdByApp: false,
      };
      state.spreadsheets.set(created.spreadsheetId, created);
      return created.spreadsheetId;
    },
    deleteRow(id, title, row) {
      const sheet = tab(id, title);
      sheet.rows.splice(row - 1, 1);
      sheet.rowCount = Math.max(1, sheet.rowCount - 1);
    },
    insertColumn(id, title, index) {
      const sheet = tab(id, title);
      for (const row of sheet.rows) if (row && row.length > index) row.splice(index, 0, undefined);
      sheet.columnCount += 1;
    },
    deleteSpreadsheet: (id) => void (spreadsheet(id).deleted = true),
    revokePermission: (id) => void (spreadsheet(id).permissionRevoked = true),
    setLatency: (ms) => void (state.latencyMs = ms),
    answerSpreadsheetId: (id) => void (state.answeredId = id),
    fail(options) {
      state.faults.push({
        status: options.status ?? 429,
        remaining: options.count ?? 0,
        probability: options.probability ?? 0,
        afterApply: options.afterApply ?? false,
        only: options.only,
      });
    },
    clearFaults: () => void (state.faults.length = 0),
    setQuota(quota) {
      if (quota.writesPerMinute !== undefined) state.writesPerMinute = quota.writesPerMinute;
      if (quota.readsPerMinute !== undefined) state.readsPerMinute = quota.readsPerMinute;
    },
    get calls() {
      return state.calls;
    },
    get maxRequestBytes() {
      return state.maxRequestBytes;
    },
  };
}
