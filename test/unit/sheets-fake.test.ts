import { OAuth2Client } from 'google-auth-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fakeSheets,
  parseA1,
  type FakeSheetsControl,
  type FakeSpreadsheet,
} from '../../src/fakes/google-sheets.js';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startFakeGoogle,
  type FakeGoogle,
} from '../../src/fakes/google-server.js';
import { createSheetsGateway, SheetsApiError, type SheetsGateway } from '../../src/google/sheets-gateway.js';
import { FakeClock } from '../../src/core/clock.js';

let fake: FakeGoogle;
let sheets: FakeSheetsControl;
let gateway: SheetsGateway;
const TOKEN = 'ya29.test-token';

/** A client holding an access token the fake knows, so the Sheets calls pass its Bearer check. */
function clientWithToken(token = TOKEN, scope = 'https://www.googleapis.com/auth/drive.file'): OAuth2Client {
  fake.core.accessTokens.set(token, {
    clientId: DEFAULT_CLIENT_ID,
    scope,
    expiresAt: Date.now() + 3_600_000,
    refreshToken: undefined,
    revoked: false,
  });
  const client = new OAuth2Client({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET });
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}

beforeEach(async () => {
  fake = await startFakeGoogle();
  sheets = fakeSheets(fake);
  gateway = await createSheetsGateway({
    client: clientWithToken(),
    rootUrl: fake.apiUrl,
    policy: { baseMs: 1, maxMs: 4, attempts: 6, timeoutMs: 10_000 },
  });
});
afterEach(async () => fake.close());

async function twoTabs(): Promise<string> {
  const info = await gateway.create('Test', [
    { title: 'Job Search Results', header: ['link', 'added_at', 'query', 'location'] },
    { title: 'Job Postings', header: ['link', 'job_title', 'status', 'notes', 'job_id'] },
  ]);
  return info.spreadsheetId;
}

async function apiError(promise: Promise<unknown>): Promise<SheetsApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SheetsApiError) return error;
    throw error;
  }
  throw new Error('expected a SheetsApiError');
}

describe('the Sheets fake, through the real client (@googleapis/sheets)', () => {
  it('creates a spreadsheet with its tabs and headers, and reports them like Google', async () => {
    const id = await twoTabs();
    expect(id).toMatch(/^[A-Za-z0-9_-]{44}$/);
    const info = await gateway.get(id);
    expect(info.title).toBe('Test');
    expect(info.tabs.map((t) => t.title)).toEqual(['Job Search Results', 'Job Postings']);
    expect(new Set(info.tabs.map((t) => t.sheetId)).size).toBe(2);
    expect(sheets.rows(id, 'Job Postings')).toEqual([['link', 'job_title', 'status', 'notes', 'job_id']]);
    expect(sheets.tab(id, 'Job Postings').frozenRowCount).toBe(1);
    // Every request carried the Bearer token and was counted.
    expect(fake.apiCalls).toBe(2);
  });

  it('appends after the table (INSERT_ROWS), reads ranges back trimmed, and batch-updates cells', async () => {
    const id = await twoTabs();
    const first = await gateway.append(id, "'Job Postings'!A:E", [
      ['https://x/1', 'One', 'new', '', '1'],
      ['https://x/2', 'Two', 'new'],
    ]);
    expect(first).toEqual({ updatedRange: "'Job Postings'!A2:E3", updatedRows: 2 });
    await gateway.append(id, "'Job Postings'!A:E", [['https://x/3', 'Three', 'new', '', '3']]);
    const [header, ids, statusToId] = await gateway.batchGet(id, [
      "'Job Postings'!1:1",
      "'Job Postings'!E2:E",
      "'Job Postings'!C2:E",
    ]);
    expect(header).toEqual([['link', 'job_title', 'status', 'notes', 'job_id']]);
    expect(ids).toEqual([['1'], [], ['3']]);
    expect(statusToId).toEqual([['new', '', '1'], ['new'], ['new', '', '3']]);
    await gateway.writeValues(id, [
      { range: "'Job Postings'!C3", values: [['applied']] },
      { range: "'Job Postings'!D3", values: [['called back']] },
    ]);
    expect(sheets.rows(id, 'Job Postings')[2]).toEqual(['https://x/2', 'Two', 'applied', 'called back']);
  });

  it('strips control characters from every cell it appends or writes, keeping tab and newline', async () => {
    const id = await twoTabs();
    const hostile = 'Dev\u001b]0;PWNED\u0007 \u009b2J\u0000ops\tline 1\nline 2';
    await gateway.append(id, "'Job Postings'!A:E", [['https://x/1', hostile]]);
    await gateway.writeValues(id, [{ range: "'Job Postings'!D2", values: [[hostile]] }]);
    expect(sheets.rows(id, 'Job Postings')[1]).toEqual([
      'https://x/1',
      'Dev 2Jops\tline 1\nline 2',
      '',
      'Dev 2Jops\tline 1\nline 2',
    ]);
  });

  it('honours RAW vs USER_ENTERED: a "=…" value stays text under RAW and becomes a formula otherwise', async () => {
    const id = await twoTabs();
    await gateway.append(id, "'Job Postings'!A:E", [['https://x/1', '=IMPORTXML("http://x","//a")']]);
    expect(sheets.cell(id, 'Job Postings', 'B2')).toEqual({ value: '=IMPORTXML("http://x","//a")' });
    // As a person typing into the sheet (USER_ENTERED):
    sheets.setCell(id, 'Job Postings', 'B3', '=IMPORTXML("http://x","//a")');
    expect(sheets.cell(id, 'Job Postings', 'B3')).toEqual({
      value: null,
      formula: '=IMPORTXML("http://x","//a")',
    });
    // The same through the API with USER_ENTERED:
    const res = await fetch(
      `${fake.apiUrl}v4/spreadsheets/${id}/values/${encodeURIComponent("'Job Postings'!B4")}?valueInputOption=USER_ENTERED`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ values: [['=1+1']] }),
      },
    );
    expect(res.status).toBe(200);
    expect(sheets.cell(id, 'Job Postings', 'B4')?.formula).toBe('=1+1');
  });

  it('refuses what Google refuses: big cells, bad ranges, missing valueInputOption, unknown grids, unknown spreadsheets', async () => {
    const id = await twoTabs();
    const big = await apiError(gateway.append(id, "'Job Postings'!A:E", [['x'.repeat(50_001)]]));
    expect(big.status).toBe(400);
    expect(big.message).toMatch(/50000 characters/);
    await gateway.append(id, "'Job Postings'!A:E", [['x'.repeat(50_000)]]);

    for (const range of [
      "'No Such Tab'!A1",
      'Job Postings!A1',
      "'Job Postings'!A",
      "'Job Postings'!:B",
      "'Job Postings'!A1:",
    ]) {
      const error = await apiError(gateway.batchGet(id, [range]));
      expect(error.status, range).toBe(400);
      expect(error.message).toMatch(/Unable to parse range/);
    }
    const outside = await apiError(gateway.batchGet(id, ["'Job Postings'!A1:A5000"]));
    expect(outside.message).toMatch(/exceeds grid limits/);

    const res = await fetch(`${fake.apiUrl}v4/spreadsheets/${id}/values/A1:append`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ values: [['x']] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/valueInputOption/);

    const grid = await apiError(
      gateway.batchUpdate(id, [
        { repeatCell: { range: { sheetId: 123456 }, cell: {}, fields: 'userEnteredFormat' } },
      ]),
    );
    expect(grid.status).toBe(400);
    expect(grid.message).toMatch(/No grid with id: 123456/);

    const missing = await apiError(gateway.get('A'.repeat(44)));
    expect(missing).toMatchObject({ status: 404, reason: 'NOT_FOUND' });
  });

  it('applies a batchUpdate all or nothing', async () => {
    const id = await twoTabs();
    const before = structuredClone(sheets.spreadsheet(id).sheets.map((s) => s.title));
    await apiError(
      gateway.batchUpdate(id, [
        { addSheet: { properties: { title: 'Extra' } } },
        { deleteSheet: { sheetId: 987654 } },
      ]),
    );
    expect(sheets.spreadsheet(id).sheets.map((s) => s.title)).toEqual(before);
    const replies = await gateway.batchUpdate(id, [
      { addSheet: { properties: { title: 'Extra', sheetId: 77 } } },
    ]);
    expect(replies[0]?.addSheet?.properties).toMatchObject({ sheetId: 77, title: 'Extra' });
  });

  it('checks the Bearer token and the scope', async () => {
    const id = await twoTabs();
    const anonymous = await fetch(`${fake.apiUrl}v4/spreadsheets/${id}`);
    expect(anonymous.status).toBe(401);
    const narrow = await createSheetsGateway({
      client: clientWithToken('ya29.narrow', 'openid email'),
      rootUrl: fake.apiUrl,
      policy: { baseMs: 1, maxMs: 2, attempts: 1, timeoutMs: 5000 },
    });
    const denied = await apiError(narrow.get(id));
    expect(denied.status).toBe(403);
  });

  it('gives 404 for a deleted spreadsheet and 403 once permission is revoked', async () => {
    const a = await twoTabs();
    const b = await twoTabs();
    sheets.deleteSpreadsheet(a);
    sheets.revokePermission(b);
    expect(await apiError(gateway.batchGet(a, ["'Job Postings'!1:1"]))).toMatchObject({ status: 404 });
    expect(await apiError(gateway.batchGet(b, ["'Job Postings'!1:1"]))).toMatchObject({
      status: 403,
      reason: 'PERMISSION_DENIED',
    });
  });
});

describe('the gateway: backoff on 429/5xx for every call, counted', () => {
  it('retries a POST (append) on 429 RESOURCE_EXHAUSTED and appends once', async () => {
    const id = await twoTabs();
    const before = gateway.calls;
    sheets.fail({ status: 429, count: 3 });
    await gateway.append(id, "'Job Postings'!A:E", [['https://x/1', 'One']]);
    expect(gateway.calls - before).toBe(4);
    expect(sheets.rows(id, 'Job Postings')).toHaveLength(2);
    expect(sheets.calls.slice(-4).map((c) => c.status)).toEqual([429, 429, 429, 200]);
  });

  it('retries reads and batchUpdate on 5xx', async () => {
    const id = await twoTabs();
    sheets.fail({ status: 503, count: 2 });
    await gateway.batchGet(id, ["'Job Postings'!1:1"]);
    sheets.fail({ status: 500, count: 1 });
    await gateway.batchUpdate(id, [
      {
        updateSheetProperties: {
          properties: { sheetId: 0, gridProperties: { frozenRowCount: 1 } },
          fields: 'gridProperties.frozenRowCount',
        },
      },
    ]);
    expect(sheets.calls.map((c) => c.status)).toEqual([200, 503, 503, 200, 500, 200]);
  });

  it('does not resend an append after a 5xx (the write may have happened): it reports it as ambiguous', async () => {
    const id = await twoTabs();
    sheets.fail({ status: 503, count: 1, afterApply: true, only: ['values.append'] });
    const error = await apiError(gateway.append(id, "'Job Postings'!A:E", [['https://x/1', 'One']]));
    expect(error.ambiguous).toBe(true);
    // Google did append it: a blind retry would have made a duplicate.
    expect(sheets.rows(id, 'Job Postings')).toHaveLength(2);
  });

  it('gives up after the last attempt with the status', async () => {
    const id = await twoTabs();
    sheets.fail({ status: 429, probability: 1 });
    const error = await apiError(gateway.batchGet(id, ["'Job Postings'!1:1"]));
    expect(error).toMatchObject({ status: 429, reason: 'RESOURCE_EXHAUSTED', ambiguous: false });
  });

  it('enforces a per-minute write quota when asked', async () => {
    const id = await twoTabs();
    sheets.setQuota({ writesPerMinute: 1 });
    const error = await apiError(
      (
        await createSheetsGateway({
          client: clientWithToken(),
          rootUrl: fake.apiUrl,
          policy: { baseMs: 1, maxMs: 1, attempts: 2, timeoutMs: 5000 },
        })
      )
        .append(id, "'Job Postings'!A:E", [['a']])
        .then(() => gateway.append(id, "'Job Postings'!A:E", [['b']])),
    );
    expect(error.status).toBe(429);
  });
});

describe('the gateway: pacing writes under the per-minute quota', () => {
  it('waits for the rolling minute instead of running into 429s', async () => {
    const id = await twoTabs();
    const clock = new FakeClock(1_000_000);
    const paced = await createSheetsGateway({
      client: clientWithToken(),
      rootUrl: fake.apiUrl,
      clock,
      policy: { baseMs: 1, maxMs: 1, attempts: 1, writesPerMinute: 3 },
    });
    for (let i = 0; i < 5; i++) await paced.append(id, "'Job Postings'!A:E", [[`https://x/${i}`]]);
    await paced.batchGet(id, ["'Job Postings'!1:1"]); // reads are not paced
    expect(clock.sleeps).toEqual([60_000]);
    expect(sheets.rows(id, 'Job Postings')).toHaveLength(6);
  });
});

describe('A1 notation', () => {
  const spreadsheet = {
    spreadsheetId: 'x',
    title: 't',
    sheets: [
      {
        sheetId: 0,
        title: 'Sheet1',
        index: 0,
        rowCount: 1000,
        columnCount: 26,
        frozenRowCount: 0,
        rows: [],
        formats: [],
        validations: [],
        columnWidths: {},
      },
      {
        sheetId: 1,
        title: "Bob's tab",
        index: 1,
        rowCount: 1000,
        columnCount: 26,
        frozenRowCount: 0,
        rows: [],
        formats: [],
        validations: [],
        columnWidths: {},
      },
    ],
    permissionRevoked: false,
    deleted: false,
    createdByApp: true,
  } as FakeSpreadsheet;
  it.each([
    ['A1', { startRow: 0, endRow: 1, startCol: 0, endCol: 1 }],
    ['Sheet1!B2:C5', { startRow: 1, endRow: 5, startCol: 1, endCol: 3 }],
    ["'Bob''s tab'!N2:P", { startRow: 1, endRow: undefined, startCol: 13, endCol: 16 }],
    ['Sheet1!2:2', { startRow: 1, endRow: 2, startCol: 0, endCol: undefined }],
    ['Sheet1!A:A', { startRow: 0, endRow: undefined, startCol: 0, endCol: 1 }],
    ['Sheet1', { startRow: 0, endRow: undefined, startCol: 0, endCol: undefined }],
    ['Sheet1!AA10:AB11', { startRow: 9, endRow: 11, startCol: 26, endCol: 28 }],
  ])('%s', (text, expected) => {
    expect(parseA1(text, spreadsheet)).toMatchObject(expected);
  });
  it.each(["Bob's tab!A1", 'Nope!A1', 'Sheet1!A0', 'Sheet1!1', "'Sheet1", 'Sheet1!A1:B2:C3', ''])(
    'rejects %j',
    (text) => {
      expect(() => parseA1(text, spreadsheet)).toThrow(/Unable to parse range/);
    },
  );
});
