import { SEED_POSTING_COLUMNS } from '../helpers/seed-columns.js';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.js';
import { spawn } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../src/fakes/google-server.js';
import { fakeSheets, type FakeSheetsControl } from '../../src/fakes/google-sheets.js';
import { generatePostings, startFakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import {
  baseEnv,
  DJS_BIN,
  expectNoStackTrace,
  registeredHome,
  runDjs,
  tempHome,
  type DjsResult,
} from '../helpers/cli.js';
import { AUTO_APPROVE_BROWSER, googleEnv } from '../helpers/google.js';
import { insertJob, type JobSeed } from '../helpers/postings.js';

const POSTINGS = 'Job Postings';
const RESULTS = 'Job Search Results';
const STATUSES = ['new', 'saved', 'applied', 'interviewing', 'offer', 'rejected', 'archived'];
const IMPORTXML = '=IMPORTXML("http://x","//a")';
/** The "Job Postings" header before issue 12, and the columns it added after it. */
const HEADER_BEFORE_SOURCES = [...SEED_POSTING_COLUMNS, 'status', 'notes', 'job_id'];
const SOURCE_COLUMNS = ['source', 'salary_min', 'salary_max', 'salary_currency', 'salary_period'];
const POSTINGS_HEADER = [...HEADER_BEFORE_SOURCES, ...SOURCE_COLUMNS];

let fake: FakeGoogle;
let sheets: FakeSheetsControl;
let homes: Awaited<ReturnType<typeof registeredHome>>;
/** A registered home whose user is linked to the fake Google (made once, copied per test). */
let linkedTemplate: string;
const copies: string[] = [];

function copyOf(home: string): string {
  const { home: copy } = tempHome('djs-sheets-');
  cpSync(home, copy, { recursive: true });
  copies.push(copy);
  return copy;
}

const env = (): Record<string, string> => ({ ...googleEnv(fake), DJS_GOOGLE_BACKOFF_MS: '5' });
const djs = (home: string, args: string[], extra: Record<string, string> = {}): Promise<DjsResult> =>
  runDjs(args, { home, env: { ...env(), ...extra }, timeoutMs: 120_000 });

async function ok(home: string, args: string[]): Promise<DjsResult> {
  const result = await djs(home, args);
  expectNoStackTrace(result);
  if (result.code !== 0) throw new Error(`djs ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

async function create(home: string, title?: string): Promise<string> {
  const result = await ok(home, ['sheets', 'create', '--json', ...(title ? ['--title', title] : [])]);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

const jobId = (i: number): string => String(4_200_000_000 + i);

/** Postings straight into djs.db (as update-db would have stored them), with their search results. */
function seed(
  home: string,
  count: number,
  options: { from?: number; descriptionBytes?: number; title?: (i: number) => string } = {},
): void {
  const db = openDatabase(join(home, 'djs.db'));
  try {
    const now = new Date().toISOString();
    const posting = db.prepare(
      `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, job_description, added_at, fetched_at, updated_at)
       VALUES (1, ?, ?, ?, 'Acme', 'Berlin, Germany', ?, ?, ?, ?)`,
    );
    const result = db.prepare(
      `INSERT INTO job_search_results (user_id, job_id, link, query, location, added_at) VALUES (1, ?, ?, ?, 'Berlin', ?)`,
    );
    db.transaction(() => {
      const from = options.from ?? 0;
      for (let i = from; i < from + count; i++) {
        const link = `https://www.linkedin.com/jobs/view/${jobId(i)}/`;
        const description = `Posting ${i}. `.padEnd(
          options.descriptionBytes ?? 300,
          'We build things with TypeScript and SQL. ',
        );
        posting.run(
          jobId(i),
          link,
          options.title?.(i) ?? `Software Engineer ${i}`,
          description,
          now,
          now,
          now,
        );
        result.run(jobId(i), link, 'software engineer', now);
        if (i % 4 === 0) result.run(jobId(i), link, 'typescript', now);
      }
    })();
  } finally {
    db.close();
  }
}

function query<T>(home: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function column(id: string, tab: string, name: string): string[] {
  const rows = sheets.rows(id, tab);
  const at = rows[0]!.indexOf(name);
  return rows.slice(1).map((row) => row[at] ?? '');
}

/** Every posting and search result of the database is in the sheet exactly once, and nothing else is. */
function expectMirror(home: string, id: string): void {
  const ids = column(id, POSTINGS, 'job_id');
  const expected = query<{ job_id: string }>(home, 'SELECT job_id FROM job_postings ORDER BY id').map(
    (r) => r.job_id,
  );
  expect(ids.length).toBe(expected.length);
  expect([...ids].sort()).toEqual([...expected].sort());
  const rows = sheets
    .rows(id, RESULTS)
    .slice(1)
    .map((r) => `${r[0]}|${r[2]}|${r[3]}`);
  const results = query<{ link: string; query: string; location: string }>(
    home,
    'SELECT link, query, location FROM job_search_results',
  ).map((r) => `${r.link}|${r.query}|${r.location}`);
  expect(rows.length).toBe(results.length);
  expect([...rows].sort()).toEqual([...results].sort());
}

beforeAll(async () => {
  fake = await startFakeGoogle();
  sheets = fakeSheets(fake);
  homes = await registeredHome();
  linkedTemplate = homes.clone();
  const linked = await runDjs(['login', '--google'], {
    home: linkedTemplate,
    env: { ...googleEnv(fake), BROWSER: AUTO_APPROVE_BROWSER },
  });
  if (linked.code !== 0) throw new Error(`login --google failed: ${linked.stderr}`);
});
afterAll(async () => {
  await fake.close();
  homes.cleanup();
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});
afterEach(() => {
  sheets.clearFaults();
  sheets.setLatency(0);
  sheets.setQuota({ writesPerMinute: Infinity, readsPerMinute: Infinity });
});

describe('djs sheets create, list, use, open, unlink', () => {
  it('creates "Dream Job Search" with both tabs formatted, records it and makes it active', async () => {
    const home = copyOf(linkedTemplate);
    const id = await create(home);
    const spreadsheet = sheets.spreadsheet(id);
    expect(spreadsheet.title).toBe('Dream Job Search');
    expect(spreadsheet.sheets.map((s) => s.title)).toEqual([RESULTS, POSTINGS]);
    expect(sheets.rows(id, RESULTS)).toEqual([['link', 'added_at', 'query', 'location']]);
    expect(sheets.rows(id, POSTINGS)[0]).toEqual(POSTINGS_HEADER);
    for (const tab of spreadsheet.sheets) {
      expect(tab.frozenRowCount).toBe(1);
      expect(
        tab.formats.some(
          (f) => f.range.endRowIndex === 1 && (f.format.textFormat as { bold?: boolean })?.bold,
        ),
      ).toBe(true);
      expect(tab.formats.some((f) => f.format.wrapStrategy === 'WRAP')).toBe(true);
      expect(Object.keys(tab.columnWidths).length).toBeGreaterThanOrEqual(4);
    }
    const postings = sheets.tab(id, POSTINGS);
    expect(postings.validations).toHaveLength(1);
    expect(postings.validations[0]!.range).toMatchObject({
      startColumnIndex: 13,
      endColumnIndex: 14,
      startRowIndex: 1,
    });
    expect(postings.validations[0]!.rule).toMatchObject({
      condition: { type: 'ONE_OF_LIST', values: STATUSES.map((userEnteredValue) => ({ userEnteredValue })) },
    });

    expect(
      query(
        home,
        'SELECT spreadsheet_id, sheet_id, spreadsheet_name, sheet_name, is_active FROM user_spreadsheets',
      ),
    ).toEqual([
      {
        spreadsheet_id: id,
        sheet_id: String(postings.sheetId),
        spreadsheet_name: 'Dream Job Search',
        sheet_name: POSTINGS,
        is_active: 1,
      },
    ]);
    const url = `https://docs.google.com/spreadsheets/d/${id}/edit`;
    expect(JSON.parse((await ok(home, ['sheets', 'list', '--json'])).stdout)).toEqual([
      { id, title: 'Dream Job Search', url, active: true },
    ]);
    expect(JSON.parse((await ok(home, ['status', '--json'])).stdout).spreadsheet).toMatchObject({ id, url });
  });

  it('lists, switches, opens and unlinks spreadsheets', async () => {
    const home = copyOf(linkedTemplate);
    const first = await create(home, 'First');
    const second = await create(home, 'Second');
    let list = JSON.parse((await ok(home, ['sheets', 'list', '--json'])).stdout) as Array<{
      id: string;
      title: string;
      active: boolean;
    }>;
    expect(list.map((s) => [s.title, s.active])).toEqual([
      ['First', false],
      ['Second', true],
    ]);

    await ok(home, ['sheets', 'use', `https://docs.google.com/spreadsheets/d/${first}/edit#gid=0`]);
    list = JSON.parse((await ok(home, ['sheets', 'list', '--json'])).stdout);
    expect(list.map((s) => s.active)).toEqual([true, false]);

    const opened = await djs(home, ['sheets', 'open'], { BROWSER: 'true' });
    expect(opened.code).toBe(0);
    expect(opened.stdout.trim()).toBe(`https://docs.google.com/spreadsheets/d/${first}/edit`);

    const unlinked = await ok(home, ['sheets', 'unlink', second]);
    expect(unlinked.stdout).toMatch(/stays in your Google Drive/);
    list = JSON.parse((await ok(home, ['sheets', 'list', '--json'])).stdout);
    expect(list.map((s) => s.id)).toEqual([first]);
    // The spreadsheet itself is untouched at Google.
    expect(sheets.spreadsheet(second).deleted).toBe(false);
  });
});

describe('djs sheets sync', () => {
  it('puts 1,000 postings and their search results in the sheet once, in at most 4 calls, RAW; a second sync appends nothing', async () => {
    const home = copyOf(linkedTemplate);
    const id = await create(home);
    seed(home, 1000, {
      descriptionBytes: 1800,
      title: (i) => (i === 500 ? IMPORTXML : `Software Engineer ${i}`),
    });
    const callsBefore = fake.apiCalls;
    const log = sheets.calls.length;
    const first = await ok(home, ['sheets', 'sync', '--json']);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({
      appended: { postings: 1000, results: 1250 },
      statusPulled: 0,
      statusPushed: 0,
    });
    expect(summary.apiCalls).toBeLessThanOrEqual(4);
    expect(fake.apiCalls - callsBefore).toBe(summary.apiCalls);
    for (const call of sheets.calls.slice(log)) expect(call.bytes).toBeLessThan(2_000_000);
    expect(sheets.calls.slice(log).filter((c) => c.kind === 'values.append').length).toBeGreaterThanOrEqual(
      2,
    ); // split under 2 MB

    expect(sheets.rows(id, POSTINGS)).toHaveLength(1001);
    expectMirror(home, id);
    // A scraped formula arrives as text.
    const row = column(id, POSTINGS, 'job_id').indexOf(jobId(500)) + 2;
    expect(sheets.cell(id, POSTINGS, `B${row}`)).toEqual({ value: IMPORTXML });

    const callsAfterFirst = sheets.calls.length;
    const second = JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout);
    expect(second).toMatchObject({ appended: { postings: 0, results: 0 }, apiCalls: 1 });
    expect(sheets.calls.slice(callsAfterFirst).map((c) => c.kind)).toEqual(['values.batchGet']);
    expect(sheets.rows(id, POSTINGS)).toHaveLength(1001);
  });

  it('killed with SIGKILL at 20 random moments, then synced again: every posting is in the sheet exactly once', async () => {
    const home = copyOf(linkedTemplate);
    const id = await create(home);
    // ~8 MB of postings (five appends for a full sync), more before every run, and every answer slow:
    // kills land before, during and after appends.
    seed(home, 800, { descriptionBytes: 10_000 });
    sheets.setLatency(300);
    let killed = 0;
    let appliedButUnrecorded = 0;
    let intendedButUnsent = 0;
    let state = 20240611;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      if (round > 0) seed(home, 60, { from: 800 + round * 60, descriptionBytes: 10_000 });
      const child = spawn(process.execPath, [DJS_BIN, 'sheets', 'sync'], {
        env: { ...baseEnv(home), ...env() },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      // Timed from the sync's first request to Google, not from the spawn: on a loaded machine start-up
      // alone can outlast a fixed delay, and every kill would land before the sync began.
      const requestsBefore = fake.requests.length;
      let timer: NodeJS.Timeout | undefined;
      const watch = setInterval(() => {
        if (fake.requests.length === requestsBefore) return;
        clearInterval(watch);
        timer = setTimeout(() => child.kill('SIGKILL'), random() * 1100);
      }, 5);
      const { code, signal } = await exited;
      clearInterval(watch);
      clearTimeout(timer);
      if (signal === 'SIGKILL') {
        killed++;
        // The hard case: Google applied an append whose answer the killed process never got.
        const pending = query<{ job_id: string }>(
          home,
          `SELECT p.job_id FROM sheet_posting_rows r JOIN job_postings p ON p.id = r.posting_id WHERE r.state = 'pending'`,
        );
        const inSheet = new Set(column(id, POSTINGS, 'job_id'));
        if (pending.some((p) => inSheet.has(p.job_id))) appliedButUnrecorded++;
        if (pending.some((p) => !inSheet.has(p.job_id))) intendedButUnsent++;
      } else {
        expect(code, stderr).toBe(0);
      }
    }
    console.log(
      `SIGKILL test: ${killed}/20 killed mid-run; ${appliedButUnrecorded} left rows appended but unrecorded, ${intendedButUnsent} left intents never sent`,
    );
    expect(killed).toBeGreaterThanOrEqual(10);
    expect(appliedButUnrecorded + intendedButUnsent).toBeGreaterThan(0);
    sheets.setLatency(0);
    const final = await ok(home, ['sheets', 'sync', '--json']);
    expect(JSON.parse(final.stdout).appended.postings).toBeGreaterThanOrEqual(0);
    expectMirror(home, id);
    expect(query(home, "SELECT COUNT(*) AS n FROM sheet_posting_rows WHERE state = 'pending'")).toEqual([
      { n: 0 },
    ]);
  }, 240_000);

  it('exchanges status both ways: a sheet edit reaches djs, a local change reaches the sheet', async () => {
    const home = copyOf(linkedTemplate);
    const id = await create(home);
    seed(home, 5);
    await ok(home, ['sheets', 'sync']);
    const rowOf = (job: string): number => column(id, POSTINGS, 'job_id').indexOf(job) + 2;

    // Edited in the sheet (the status dropdown is column N) → pulled into djs.
    sheets.setCell(id, POSTINGS, `N${rowOf(jobId(2))}`, 'applied');
    sheets.setCell(id, POSTINGS, `O${rowOf(jobId(2))}`, 'sent CV on Monday');
    const pulled = JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout);
    expect(pulled).toMatchObject({ statusPulled: 1, statusPushed: 0 });
    const shown = await ok(home, ['jobs', 'show', jobId(2), '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id: jobId(2),
      status: 'applied',
      notes: 'sent CV on Monday',
    });
    expect((await ok(home, ['jobs', 'show', jobId(2)])).stdout).toMatch(/changed in the spreadsheet/);

    // Changed locally with `djs jobs set-status` → pushed to the sheet, with its note.
    await ok(home, ['jobs', 'set-status', jobId(4), 'interviewing', '--note', 'call on Tuesday']);
    const pushed = JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout);
    expect(pushed).toMatchObject({ statusPulled: 0, statusPushed: 1 });
    expect(column(id, POSTINGS, 'status')[rowOf(jobId(4)) - 2]).toBe('interviewing');
    expect(column(id, POSTINGS, 'notes')[rowOf(jobId(4)) - 2]).toMatch(
      /^\d{4}-\d{2}-\d{2}: call on Tuesday$/,
    );
    expect(column(id, POSTINGS, 'status')[rowOf(jobId(2)) - 2]).toBe('applied');
  });

  it('rides out a storm of 429 RESOURCE_EXHAUSTED (and random 429/5xx) and completes', async () => {
    const home = copyOf(linkedTemplate);
    const id = await create(home);
    seed(home, 300);
    sheets.fail({ status: 429, count: 6 });
    const stormy = await ok(home, ['sheets', 'sync', '--json', '--verbose']);
    expect(JSON.parse(stormy.stdout).apiCalls).toBeGreaterThanOrEqual(6 + 3);
    expect(stormy.stderr).toMatch(/429; retrying in \d+ ms/);
    expectMirror(home, id);

    seed(home, 300, { from: 300 });
    sheets.clearFaults();
    sheets.fail({ status: 429, probability: 0.3 });
    sheets.fail({ status: 503, probability: 0.1, only: ['values.batchGet'] });
    sheets.fail({ status: 503, probability: 0.2, afterApply: true, only: ['values.append'] });
    await ok(home, ['sheets', 'sync']);
    sheets.clearFaults();
    await ok(home, ['sheets', 'sync']);
    expectMirror(home, id);
  });

  it('a deleted spreadsheet or lost permission: exit 1, a message naming it, local data untouched', async () => {
    const home = copyOf(linkedTemplate);
    const id = await create(home, 'My Job Hunt');
    seed(home, 20);
    await ok(home, ['sheets', 'sync']);
    seed(home, 5, { from: 20 });
    const snapshot = (): unknown[] => [
      query(home, 'SELECT * FROM job_postings ORDER BY id'),
      query(home, 'SELECT * FROM sheet_posting_rows ORDER BY posting_id'),
      query(home, 'SELECT * FROM sheet_result_rows ORDER BY result_id'),
      query(home, 'SELECT * FROM user_spreadsheets'),
      query(home, 'SELECT * FROM sheet_sync_state'),
    ];
    const before = snapshot();

    sheets.revokePermission(id);
    const denied = await djs(home, ['sheets', 'sync']);
    expectNoStackTrace(denied);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/permission/);
    expect(denied.stderr).toContain(`"My Job Hunt" (${id})`);
    expect(snapshot()).toEqual(before);

    sheets.spreadsheet(id).permissionRevoked = false;
    sheets.deleteSpreadsheet(id);
    const gone = await djs(home, ['sheets', 'sync', '--json']);
    expectNoStackTrace(gone);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toBe('');
    expect(gone.stderr).toContain(`The spreadsheet "My Job Hunt" (${id}) was not found`);
    expect(gone.stderr).toMatch(/Nothing was changed locally/);
    expect(snapshot()).toEqual(before);
  });

  it('an expired or revoked Google link gives exit 4', async () => {
    const home = copyOf(linkedTemplate);
    await create(home);
    fake.expireAccessTokens();
    fake.setOptions({ invalidGrant: true });
    try {
      const result = await djs(home, ['sheets', 'sync']);
      expectNoStackTrace(result);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/djs login --google/);
    } finally {
      fake.setOptions({ invalidGrant: false });
    }
  });
});

describe('djs sheets link', () => {
  const SEED_COLUMNS = SEED_POSTING_COLUMNS;

  it("adopts the prototype's spreadsheet: adds what is missing only when allowed, then syncs without duplicates", async () => {
    const home = copyOf(linkedTemplate);
    // The prototype's sheet: its "Job Postings" tab with the seed's columns and two rows, no results tab.
    const prototypeRows = [0, 1].map((i) => {
      const row = Array.from({ length: SEED_COLUMNS.length }, () => '');
      row[0] = `https://www.linkedin.com/jobs/view/${jobId(i)}/?refId=abc&trackingId=xyz`;
      row[1] = `Old title ${i}`;
      return row;
    });
    const id = sheets.createSpreadsheet('Prototype', [
      { title: POSTINGS, rows: [SEED_COLUMNS, ...prototypeRows] },
    ]);

    const refused = await djs(home, [
      'sheets',
      'link',
      `https://docs.google.com/spreadsheets/d/${id}/edit#gid=0`,
    ]);
    expectNoStackTrace(refused);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--add-missing/);
    expect(refused.stderr).toMatch(/Job Search Results/);
    expect(sheets.spreadsheet(id).sheets.map((s) => s.title)).toEqual([POSTINGS]);
    expect(query(home, 'SELECT * FROM user_spreadsheets')).toEqual([]);

    await ok(home, ['sheets', 'link', id, '--add-missing']);
    expect(sheets.spreadsheet(id).sheets.map((s) => s.title)).toEqual([POSTINGS, RESULTS]);
    expect(sheets.rows(id, POSTINGS)[0]).toEqual(POSTINGS_HEADER);
    expect(sheets.rows(id, RESULTS)[0]).toEqual(['link', 'added_at', 'query', 'location']);
    expect(JSON.parse((await ok(home, ['sheets', 'list', '--json'])).stdout)).toEqual([
      { id, title: 'Prototype', url: `https://docs.google.com/spreadsheets/d/${id}/edit`, active: true },
    ]);

    seed(home, 4);
    const synced = JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout);
    // The two prototype rows are recognised by their links (and get their job ids); two postings are new.
    expect(synced.appended.postings).toBe(2);
    expect(column(id, POSTINGS, 'job_id')).toEqual([jobId(0), jobId(1), jobId(2), jobId(3)]);
    expect(column(id, POSTINGS, 'job_title').slice(0, 2)).toEqual(['Old title 0', 'Old title 1']);
    const again = JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout);
    expect(again.appended).toEqual({ postings: 0, results: 0 });
    expectMirror(home, id);
  });

  it('says when djs cannot open the spreadsheet (exit 1) and rejects what is not an id (exit 2)', async () => {
    const home = copyOf(linkedTemplate);
    const foreign = sheets.createSpreadsheet('Not mine', [{ title: 'Sheet1' }], false);
    const denied = await djs(home, ['sheets', 'link', foreign]);
    expectNoStackTrace(denied);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/cannot open the spreadsheet/);

    const unknown = 'A'.repeat(44);
    const cases: string[][] = [
      ['sheets', 'link', 'not an id'],
      ['sheets', 'link', 'https://example.com/spreadsheets/x'],
      ['sheets', 'link', 'https://docs.google.com/document/d/abc/edit'],
      ['sheets', 'use', 'short'],
      ['sheets', 'use', unknown],
      ['sheets', 'unlink', unknown],
      ['sheets', 'open', unknown],
      ['sheets', 'sync'], // no spreadsheet yet
      ['sheets', 'open'],
      ['sheets', 'create', '--title', ''],
    ];
    const callsBefore = fake.apiCalls;
    for (const args of cases) {
      const result = await djs(home, args);
      expectNoStackTrace(result);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
    }
    expect(fake.apiCalls).toBe(callsBefore);
  });
});

describe('the source and pay columns, and blocked companies (issue 12)', () => {
  /** Jobs of user 1 straight into djs.db, with what issue 12 stores. */
  function seedJobs(home: string, jobs: JobSeed[]): void {
    const db = openDatabase(join(home, 'djs.db'));
    try {
      for (const job of jobs) insertJob(db, 1, job, new Date().toISOString());
    } finally {
      db.close();
    }
  }
  const GREENHOUSE_JOB: JobSeed = {
    jobId: 'greenhouse:8026689',
    source: 'greenhouse',
    link: 'https://job-boards.greenhouse.io/luno/jobs/8026689',
    title: 'Platform Engineer',
    company: 'Luno',
    salaryMin: 90000,
    salaryMax: 120000.5,
    salaryCurrency: 'GBP',
    salaryPeriod: 'year',
  };

  it('a sheet made before the columns links as it is; link --add-missing adds them and sync fills them', async () => {
    const home = copyOf(linkedTemplate);
    const id = sheets.createSpreadsheet('Made last year', [
      { title: POSTINGS, rows: [HEADER_BEFORE_SOURCES] },
      { title: RESULTS, rows: [['link', 'added_at', 'query', 'location']] },
    ]);
    const linked = await ok(home, ['sheets', 'link', id]);
    expect(linked.stdout + linked.stderr).toMatch(
      /lacks the columns source, salary_min, salary_max, salary_currency, salary_period in "Job Postings".*--add-missing` adds them/s,
    );
    expect(sheets.rows(id, POSTINGS)[0]).toEqual(HEADER_BEFORE_SOURCES);
    seedJobs(home, [{ jobId: jobId(1), title: 'Before the columns', company: 'Acme' }]);
    expect(JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout).appended.postings).toBe(1);
    expect(sheets.rows(id, POSTINGS)[1]).toHaveLength(HEADER_BEFORE_SOURCES.length);

    const added = JSON.parse((await ok(home, ['sheets', 'link', id, '--add-missing', '--json'])).stdout);
    expect(added).toMatchObject({ added: expect.stringMatching(/source, salary_min/), notAdded: null });
    expect(sheets.rows(id, POSTINGS)[0]).toEqual(POSTINGS_HEADER);
    seedJobs(home, [GREENHOUSE_JOB]);
    expect(JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout).appended.postings).toBe(1);
    expect(column(id, POSTINGS, 'job_id')).toEqual([jobId(1), 'greenhouse:8026689']);
    expect(column(id, POSTINGS, 'source')).toEqual(['', 'greenhouse']);
    expect(column(id, POSTINGS, 'salary_min')).toEqual(['', '90000']);
    expect(column(id, POSTINGS, 'salary_max')).toEqual(['', '120000.5']);
    expect(column(id, POSTINGS, 'salary_currency')).toEqual(['', 'GBP']);
    expect(column(id, POSTINGS, 'salary_period')).toEqual(['', 'year']);
  });

  it('never appends a blocked company’s postings; rows already in the sheet stay', async () => {
    const home = copyOf(linkedTemplate);
    const id = await create(home);
    seedJobs(home, [{ jobId: jobId(1), title: 'Recruiter job', company: 'Hays plc' }]);
    await ok(home, ['sheets', 'sync']);
    await ok(home, ['blocklist', 'add', 'Hays']);
    seedJobs(home, [
      { jobId: jobId(2), title: 'Another recruiter job', company: 'HAYS' },
      { ...GREENHOUSE_JOB },
    ]);
    const synced = JSON.parse((await ok(home, ['sheets', 'sync', '--json'])).stdout);
    expect(synced.appended.postings).toBe(1);
    expect(column(id, POSTINGS, 'job_id')).toEqual([jobId(1), 'greenhouse:8026689']);
    expect(column(id, POSTINGS, 'source')).toEqual(['linkedin', 'greenhouse']);
    const full = JSON.parse((await ok(home, ['sheets', 'sync', '--full', '--json'])).stdout);
    expect(full.appended.postings).toBe(0);
  });
});

describe('values from a hostile Google', () => {
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  /** In printed output, lines may end. */
  const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

  it("refuses a spreadsheet id outside Google's alphabet (exit 1, nothing recorded)", async () => {
    const home = copyOf(linkedTemplate);
    try {
      for (const id of [
        `1${'a'.repeat(30)}\u001b]0;pwned\u0007`,
        '../../../drive/v3/files/1aaaaaaaaaaaaaaaaaaaaaaa',
      ]) {
        sheets.answerSpreadsheetId(id);
        const result = await djs(home, ['sheets', 'create']);
        expectNoStackTrace(result);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(/Google answered a spreadsheet id djs cannot use/);
        expect(result.stderr).not.toMatch(CONTROL_BUT_NEWLINE);
        expect(query(home, 'SELECT * FROM user_spreadsheets')).toEqual([]);
      }
    } finally {
      sheets.answerSpreadsheetId(null);
    }
  });

  it('prints and records titles without control characters', async () => {
    const home = copyOf(linkedTemplate);
    const id = sheets.createSpreadsheet('\u001b]0;pwned\u0007Jobs\u009b31m\u0007 list', [
      { title: POSTINGS },
      { title: RESULTS },
    ]);
    const linked = JSON.parse((await ok(home, ['sheets', 'link', id, '--add-missing', '--json'])).stdout);
    expect(linked.title).toMatch(/^Jobs.*list$/);
    expect(linked.title).not.toMatch(CONTROL);
    const listed = await ok(home, ['sheets', 'list']);
    expect(listed.stdout).toContain('Jobs');
    expect(listed.stdout).not.toMatch(CONTROL_BUT_NEWLINE);
    expect(JSON.parse((await ok(home, ['sheets', 'list', '--json'])).stdout)[0].title).not.toMatch(CONTROL);
  });
});

describe('sheets commands without a Google link', () => {
  it('exit 4 and say to run `djs login --google`', async () => {
    const home = homes.clone(); // registered and logged in, never linked
    const id = 'B'.repeat(44);
    for (const args of [
      ['sheets', 'create'],
      ['sheets', 'link', id],
      ['sheets', 'list'],
      ['sheets', 'use', id],
      ['sheets', 'sync'],
      ['sheets', 'open'],
      ['sheets', 'unlink', id],
    ]) {
      const result = await djs(home, args);
      expectNoStackTrace(result);
      expect(result.code, args.join(' ')).toBe(4);
      expect(result.stderr).toMatch(/djs login --google/);
    }
    const { home: nobody, cleanup } = tempHome();
    try {
      const result = await djs(nobody, ['sheets', 'list']);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/not logged in/);
    } finally {
      cleanup();
    }
  });
});

describe('update-db syncs the active spreadsheet', () => {
  it('appends what it collected (sheetRowsAppended), unless --no-sheets', async () => {
    const linkedin = await startFakeLinkedIn({
      postings: generatePostings(12, 5).map((p) => ({
        ...p,
        queries: ['alpha'],
        location: 'Berlin, Germany',
      })),
    });
    try {
      const home = copyOf(linkedTemplate);
      const id = await create(home);
      const run = (args: string[]) =>
        djs(home, ['update-db', ...args, '--json'], { DJS_LINKEDIN_URL: linkedin.url, DJS_RATE_LIMIT: '0' });

      const calls = fake.apiCalls;
      const skipped = await run(['-q', 'alpha', '-l', 'Berlin', '--no-sheets']);
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(JSON.parse(skipped.stdout)).toMatchObject({ sheetRowsAppended: 0 });
      expect(fake.apiCalls).toBe(calls);

      const synced = await run(['-q', 'alpha', '-l', 'Berlin']);
      expect(synced.code, synced.stderr).toBe(0);
      const summary = JSON.parse(synced.stdout);
      const postings = query<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM job_postings')[0]!.n;
      const results = query<{ n: number }>(home, 'SELECT COUNT(*) AS n FROM job_search_results')[0]!.n;
      expect(postings).toBeGreaterThan(0);
      expect(summary.sheetRowsAppended).toBe(postings + results);
      expect(query(home, 'SELECT sheet_rows_appended FROM update_runs ORDER BY id DESC LIMIT 1')).toEqual([
        { sheet_rows_appended: postings + results },
      ]);
      expectMirror(home, id);

      // A failing sync does not undo the collection: exit 3, the summary still printed.
      sheets.deleteSpreadsheet(id);
      const failed = await run(['-q', 'alpha', '-l', 'Berlin']);
      expectNoStackTrace(failed);
      expect(failed.code).toBe(3);
      expect(JSON.parse(failed.stdout)).toMatchObject({ outcome: 'ok', sheetRowsAppended: 0 });
      expect(failed.stderr).toMatch(/was not found/);
    } finally {
      await linkedin.close();
    }
  });
});
