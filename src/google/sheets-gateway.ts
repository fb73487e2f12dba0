import type { sheets_v4 } from '@googleapis/sheets';
import type { OAuth2Client } from 'google-auth-library';
import { stripControl } from '../core/sanitize.js';
import { systemClock, type Clock } from '../core/clock.js';
import { retryDelay } from '../net/retry.js';
import { googleError } from './link.js';
import { DjsError } from '../core/errors.js';
import { setting, type Environment } from '../core/settings.js';
import { SPREADSHEET_ID } from './endpoints.js';

/**
 * The few Sheets API v4 calls djs makes, behind an interface the sync service (and its tests) depend on.
 * The implementation below uses @googleapis/sheets (the same code path against Google and the local fake:
 * only `rootUrl` differs) with the client library's own retry turned off, so that every attempt is counted
 * here and every call — POSTs included — gets the same exponential backoff with full jitter on 429
 * RESOURCE_EXHAUSTED and 5xx (the library alone would retry only GET/PUT/DELETE).
 *
 * One exception, on purpose: values.append is not idempotent. A 429 is a refusal (nothing was written) and is
 * retried like everything else; a 5xx, a timeout or a dropped connection leaves it unknown whether Google
 * appended the rows, so the gateway does not resend it blindly but throws an `ambiguous` SheetsApiError. The
 * sync service then backs off, re-reads the sheet's key column and appends only what is really missing.
 */
export interface SheetsGateway {
  /** HTTP requests sent to the Sheets API so far, retries included. */
  readonly calls: number;
  create(title: string, tabs: TabSpec[]): Promise<SpreadsheetInfo>;
  get(spreadsheetId: string): Promise<SpreadsheetInfo>;
  batchUpdate(
    spreadsheetId: string,
    requests: sheets_v4.Schema$Request[],
  ): Promise<sheets_v4.Schema$Response[]>;
  /** Formatted values of each range, as rows of strings (trailing blanks trimmed, as Google sends them). */
  batchGet(spreadsheetId: string, ranges: string[]): Promise<string[][][]>;
  /** values.append with valueInputOption=RAW and INSERT_ROWS. */
  append(
    spreadsheetId: string,
    range: string,
    rows: string[][],
  ): Promise<{ updatedRange: string | null; updatedRows: number }>;
  /** values.batchUpdate with valueInputOption=RAW (idempotent: the same cells get the same values). */
  writeValues(spreadsheetId: string, data: Array<{ range: string; values: string[][] }>): Promise<void>;
}

export interface TabSpec {
  title: string;
  header: string[];
  frozenRowCount?: number;
}

export interface TabInfo {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
}

export interface SpreadsheetInfo {
  spreadsheetId: string;
  title: string;
  tabs: TabInfo[];
}

/** A Sheets API failure after the retries: the HTTP status (0 for no answer) and Google's status word. */
export class SheetsApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string,
    /** A write that may or may not have been applied (append answered 5xx, timed out, or lost its connection). */
    readonly ambiguous = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SheetsApiError';
  }
}

export interface RetryPolicy {
  /** First backoff ceiling in ms (full jitter: the wait is uniform in [0, ceiling)); doubles each retry. */
  baseMs: number;
  maxMs: number;
  /** Attempts per call, the first included. */
  attempts: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /**
   * Write requests per rolling minute the gateway allows itself (Google's quota is 60 per minute per user):
   * a big first sync waits for the window instead of running into 429s.
   */
  writesPerMinute: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseMs: 1000,
  maxMs: 32_000,
  attempts: 8,
  timeoutMs: 120_000,
  writesPerMinute: 55,
};

/** DJS_GOOGLE_BACKOFF_MS tunes the first backoff step (tests and the demo use a few ms); the shape stays. */
export function retryPolicyFromEnv(env: Environment): RetryPolicy {
  const baseMs = setting(env, 'DJS_GOOGLE_BACKOFF_MS');
  if (baseMs === undefined) return DEFAULT_RETRY;
  return { ...DEFAULT_RETRY, baseMs, maxMs: Math.max(baseMs, Math.min(DEFAULT_RETRY.maxMs, baseMs * 32)) };
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNABORTED',
  'TimeoutError',
]);

interface Attempt {
  name: string;
  /** Counts against the per-minute write quota. */
  write?: boolean;
  /** Not safe to resend after an unknown outcome (values.append). */
  appendLike?: boolean;
  run: (options: { signal?: AbortSignal; timeout: number; retry: false }) => Promise<unknown>;
}

export interface GatewayOptions {
  client: OAuth2Client;
  /** DJS_GOOGLE_API_URL (googleEndpoints(env).apiUrl). */
  rootUrl: string;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  clock?: Clock;
  random?: () => number;
  onEvent?: (message: string) => void;
}

export async function createSheetsGateway(options: GatewayOptions): Promise<SheetsGateway> {
  const { sheets } = await import('@googleapis/sheets');
  // An access token Google stopped accepting before its expiry (401) is refreshed once and the call repeated
  // by the auth library; without this it trusts the cached expiry and the call fails.
  options.client.forceRefreshOnFailure = true;
  const api = sheets({ version: 'v4', auth: options.client, rootUrl: options.rootUrl, retry: false });
  return new GoogleSheetsGateway(api, options);
}

export class GoogleSheetsGateway implements SheetsGateway {
  calls = 0;
  private readonly writeTimes: number[] = [];
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(
    private readonly api: sheets_v4.Sheets,
    private readonly options: Omit<GatewayOptions, 'client' | 'rootUrl'>,
  ) {
    this.policy = { ...DEFAULT_RETRY, ...options.policy };
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  async create(title: string, tabs: TabSpec[]): Promise<SpreadsheetInfo> {
    const data = (await this.call({
      name: 'spreadsheets.create',
      write: true,
      run: (o) =>
        this.api.spreadsheets.create(
          {
            fields: 'spreadsheetId,properties.title,sheets.properties',
            requestBody: {
              properties: { title },
              sheets: tabs.map((tab, index) => ({
                properties: {
                  title: tab.title,
                  index,
                  gridProperties: {
                    frozenRowCount: tab.frozenRowCount ?? 1,
                    columnCount: Math.max(26, tab.header.length),
                  },
                },
                data: [
                  {
                    startRow: 0,
                    startColumn: 0,
                    rowData: [
                      { values: tab.header.map((name) => ({ userEnteredValue: { stringValue: name } })) },
                    ],
                  },
                ],
              })),
            },
          },
          o,
        ),
    })) as sheets_v4.Schema$Spreadsheet;
    return spreadsheetInfo(data);
  }

  async get(spreadsheetId: string): Promise<SpreadsheetInfo> {
    const data = (await this.call({
      name: 'spreadsheets.get',
      run: (o) =>
        this.api.spreadsheets.get(
          {
            spreadsheetId,
            includeGridData: false,
            fields: 'spreadsheetId,properties.title,sheets.properties',
          },
          o,
        ),
    })) as sheets_v4.Schema$Spreadsheet;
    return spreadsheetInfo(data);
  }

  async batchUpdate(
    spreadsheetId: string,
    requests: sheets_v4.Schema$Request[],
  ): Promise<sheets_v4.Schema$Response[]> {
    const data = (await this.call({
      name: 'spreadsheets.batchUpdate',
      write: true,
      run: (o) => this.api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, o),
    })) as sheets_v4.Schema$BatchUpdateSpreadsheetResponse;
    return data.replies ?? [];
  }

  async batchGet(spreadsheetId: string, ranges: string[]): Promise<string[][][]> {
    const data = (await this.call({
      name: 'values.batchGet',
      run: (o) =>
        this.api.spreadsheets.values.batchGet(
          { spreadsheetId, ranges, majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' },
          o,
        ),
    })) as sheets_v4.Schema$BatchGetValuesResponse;
    const valueRanges = data.valueRanges ?? [];
    return ranges.map((_, i) =>
      ((valueRanges[i]?.values ?? []) as unknown[][]).map((row) =>
        row.map((cell) => (cell == null ? '' : String(cell))),
      ),
    );
  }

  async append(
    spreadsheetId: string,
    range: string,
    rows: string[][],
  ): Promise<{ updatedRange: string | null; updatedRows: number }> {
    const data = (await this.call({
      name: 'values.append',
      write: true,
      appendLike: true,
      run: (o) =>
        this.api.spreadsheets.values.append(
          {
            spreadsheetId,
            range,
            valueInputOption: 'RAW',
            insertDataOption: 'INSERT_ROWS',
            includeValuesInResponse: false,
            requestBody: { majorDimension: 'ROWS', values: cellsAsWritten(rows) },
          },
          o,
        ),
    })) as sheets_v4.Schema$AppendValuesResponse;
    return { updatedRange: data.updates?.updatedRange ?? null, updatedRows: data.updates?.updatedRows ?? 0 };
  }

  async writeValues(
    spreadsheetId: string,
    data: Array<{ range: string; values: string[][] }>,
  ): Promise<void> {
    if (data.length === 0) return;
    await this.call({
      name: 'values.batchUpdate',
      write: true,
      run: (o) =>
        this.api.spreadsheets.values.batchUpdate(
          {
            spreadsheetId,
            requestBody: {
              valueInputOption: 'RAW',
              data: data.map((entry) => ({
                range: entry.range,
                majorDimension: 'ROWS',
                values: cellsAsWritten(entry.values),
              })),
            },
          },
          o,
        ),
    });
  }

  /** One API call with backoff: every attempt is counted; 429 and 5xx (and lost connections) are retried. */
  private async call(attempt: Attempt): Promise<unknown> {
    for (let n = 0; ; n++) {
      this.options.signal?.throwIfAborted();
      if (attempt.write) await this.paceWrites();
      this.calls++;
      let error: unknown;
      try {
        const response = (await attempt.run({
          signal: this.options.signal,
          timeout: this.policy.timeoutMs,
          retry: false,
        })) as { data: unknown };
        return response.data;
      } catch (caught) {
        error = caught;
      }
      if (this.options.signal?.aborted) throw error;
      const oauth = oauthFailure(error);
      if (oauth) throw oauth;
      const { status, reason, message, retryAfter, network } = describe(error);
      const retryable = status === 429 || (status >= 500 && status <= 599) || network;
      const ambiguous = Boolean(attempt.appendLike) && status !== 429 && retryable;
      if (!retryable || ambiguous || n + 1 >= this.policy.attempts) {
        throw new SheetsApiError(
          `${attempt.name}: ${status ? `${status} ${reason}` : reason}${message ? ` — ${message}` : ''}`,
          status,
          reason,
          ambiguous,
          { cause: error },
        );
      }
      const wait = retryDelay(n, retryAfter, {
        baseMs: this.policy.baseMs,
        maxMs: this.policy.maxMs,
        random: this.random,
        maxRetryAfterMs: 120_000,
        nowMs: this.clock.now().getTime(),
      });
      this.options.onEvent?.(
        `${attempt.name}: ${status || reason}; retrying in ${wait} ms (attempt ${n + 2} of ${this.policy.attempts})`,
      );
      await this.clock.sleep(wait, this.options.signal);
    }
  }

  /** Waits, when needed, so that at most `writesPerMinute` writes start in any 60 seconds. */
  private async paceWrites(): Promise<void> {
    const limit = this.policy.writesPerMinute;
    for (;;) {
      const now = this.clock.now().getTime();
      while (this.writeTimes.length > 0 && this.writeTimes[0]! <= now - 60_000) this.writeTimes.shift();
      if (this.writeTimes.length < limit) {
        this.writeTimes.push(now);
        return;
      }
      const wait = this.writeTimes[0]! + 60_000 - now;
      this.options.onEvent?.(`${limit} writes in the last minute (Google allows 60): waiting ${wait} ms`);
      await this.clock.sleep(wait, this.options.signal);
    }
  }

  /** The wait before the next try after an ambiguous append (same backoff as every other retry). */
  backoffDelay(attempt: number): number {
    return retryDelay(attempt, null, {
      baseMs: this.policy.baseMs,
      maxMs: this.policy.maxMs,
      random: this.random,
      maxRetryAfterMs: 120_000,
      nowMs: Date.now(),
    });
  }
}

/**
 * A spreadsheet as Google described it. The id goes into URLs, the database and messages, so one outside
 * Google's alphabet is refused; the title is only shown, so it loses its control characters here.
 */
function spreadsheetInfo(data: sheets_v4.Schema$Spreadsheet): SpreadsheetInfo {
  const spreadsheetId = data.spreadsheetId ?? '';
  if (!SPREADSHEET_ID.test(spreadsheetId)) {
    throw new DjsError(
      `Google answered a spreadsheet id djs cannot use ("${stripControl(spreadsheetId).slice(0, 60)}" is not letters, digits, "-" and "_"); nothing was recorded.`,
    );
  }
  return {
    spreadsheetId,
    title: stripControl(data.properties?.title ?? ''),
    tabs: (data.sheets ?? []).map((sheet) => ({
      sheetId: sheet.properties?.sheetId ?? 0,
      title: sheet.properties?.title ?? '',
      index: sheet.properties?.index ?? 0,
      rowCount: sheet.properties?.gridProperties?.rowCount ?? 0,
      columnCount: sheet.properties?.gridProperties?.columnCount ?? 0,
    })),
  };
}

interface Described {
  status: number;
  reason: string;
  message: string;
  retryAfter: string | null;
  network: boolean;
}

function describe(error: unknown): Described {
  const e = error as {
    status?: number;
    code?: string | number;
    message?: string;
    name?: string;
    cause?: { code?: string; name?: string };
    response?: { status?: number; data?: unknown; headers?: unknown };
  };
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : 0);
  const data = e.response?.data as { error?: { status?: string; message?: string } | string } | undefined;
  const apiError = typeof data?.error === 'object' ? data.error : undefined;
  const code = String(e.code ?? e.cause?.code ?? e.cause?.name ?? e.name ?? '');
  const network =
    status === 0 &&
    (NETWORK_CODES.has(code) || /socket hang up|network|timeout|terminated/i.test(e.message ?? ''));
  return {
    status,
    reason: apiError?.status ?? (status ? httpReason(status) : code || 'NETWORK_ERROR'),
    message: (apiError?.message ?? (status ? '' : (e.message ?? ''))).slice(0, 300),
    retryAfter: headerValue(e.response?.headers, 'retry-after'),
    network,
  };
}

function httpReason(status: number): string {
  return (
    {
      400: 'INVALID_ARGUMENT',
      401: 'UNAUTHENTICATED',
      403: 'PERMISSION_DENIED',
      404: 'NOT_FOUND',
      429: 'RESOURCE_EXHAUSTED',
    }[status] ?? `HTTP_${status}`
  );
}

function headerValue(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** A failure of the OAuth token refresh (not of the API call): invalid_grant → exit 4, as everywhere. */
function oauthFailure(error: unknown): Error | undefined {
  const data = (error as { response?: { data?: unknown } }).response?.data as { error?: unknown } | undefined;
  if (typeof data?.error === 'string' || /invalid_grant/.test((error as Error)?.message ?? '')) {
    return googleError(error, 'refresh the Google access token');
  }
  if ((error as Error)?.message?.includes('No refresh token is set')) {
    return googleError(Object.assign(new Error('invalid_grant'), {}), 'refresh the Google access token');
  }
  return undefined;
}

/** The last step before cells leave for Google: no control character reaches a sheet (tab and newline stay). */
function cellsAsWritten(rows: string[][]): string[][] {
  return rows.map((row) => row.map((cell) => stripControl(cell, { keepNewlines: true })));
}
