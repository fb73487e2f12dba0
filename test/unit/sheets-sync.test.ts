import { FakeClock } from '../../src/core/clock.js';
import { OAuth2Client } from 'google-auth-library';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { fakeSheets, type FakeSheetsControl } from '../../src/fakes/google-sheets.js';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startFakeGoogle,
  type FakeGoogle,
} from '../../src/fakes/google-server.js';
import { createSheetsGateway, SheetsApiError, type SheetsGateway } from '../../src/google/sheets-gateway.js';
import { completeAndLink, createSpreadsheet, inspectSpreadsheet } from '../../src/sheets/admin.js';
import { MAX_REQUEST_BYTES, POSTINGS_TAB, RESULTS_TAB } from '../../src/sheets/layout.js';
import { SheetsSync, type SyncResult } from '../../src/sheets/sync/run.js';
import { SpreadsheetRegistry, type LinkedSpreadsheet } from '../../src/sheets/registry.js';
import { addUser } from '../helpers/user-db.js';

/** A clock the test moves by hand; every sync step reads it. */
class TestClock extends FakeClock {
  constructor() {
    super(Date.parse('2030-01-01T10:00:00Z'));
  }
  tick(ms = 1000): string {
    this.time += ms;
    return new Date(this.time).toISOString();
  }
}

let dir: string;
let fake: FakeGoogle;
let sheets: FakeSheetsControl;
let clock: TestClock;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'djs-sheets-sync-'));
  fake = await startFakeGoogle();
  sheets = fakeSheets(fake);
  fake.core.accessTokens.set('ya29.unit', {
    clientId: DEFAULT_CLIENT_ID,
    scope: 'https://www.googleapis.com/auth/drive.file',
    expiresAt: Date.now() + 3_600_000,
    refreshToken: undefined,
    revoked: false,
  });
  clock = new TestClock();
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function realGateway(): Promise<SheetsGateway> {
  const client = new OAuth2Client({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET });
  client.setCredentials({ access_token: 'ya29.unit', expiry_date: Date.now() + 3_600_000 });
  return createSheetsGateway({
    client,
    rootUrl: fake.apiUrl,
    policy: { baseMs: 1, maxMs: 4, attempts: 8, timeoutMs: 10_000 },
  });
}

let dbCount = 0;
function newDb(): Db {
  const db = openDatabase(join(dir, `djs-${dbCount++}.db`), { now: () => clock.now() });
  addUser(db, 'ada@example.com', { now: '2030-01-01' });
  return db;
}

const jobId = (i: number): string => String(4_100_000_000 + i);

function seed(
  db: Db,
  count: number,
  options: { from?: number; descriptionBytes?: number; title?: (i: number) => string } = {},
): void {
  const now = clock.now().toISOString();
  const posting = db.prepare(
    `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, job_description, added_at, fetched_at, updated_at)
     VALUES (1, ?, ?, ?, 'Acme', 'Berlin', ?, ?, ?, ?)`,
  );
  const result = db.prepare(
    `INSERT INTO job_search_results (user_id, job_id, link, query, location, added_at) VALUES (1, ?, ?, ?, 'Berlin', ?)`,
  );
  db.transaction(() => {
    for (let i = options.from ?? 0; i < (options.from ?? 0) + count; i++) {
      const link = `https://www.linkedin.com/jobs/view/${jobId(i)}/`;
      posting.run(
        jobId(i),
        link,
        options.title?.(i) ?? `Engineer ${i}`,
        `Description ${i} `.padEnd(options.descriptionBytes ?? 200, 'lorem ipsum '),
        now,
        now,
        now,
      );
      result.run(jobId(i), link, 'engineer', now);
      if (i % 3 === 0) result.run(jobId(i), link, 'developer', now);
    }
  })();
}

interface Setup {
  db: Db;
  registry: SpreadsheetRegistry;
  gateway: SheetsGateway;
  sheet: () => LinkedSpreadsheet;
  id: string;
  sync: (options?: { full?: boolean; gateway?: SheetsGateway }) => Promise<SyncResult>;
}

async function setup(): Promise<Setup> {
  const db = newDb();
  const registry = new SpreadsheetRegistry(db, 1, clock);
  const gateway = await realGateway();
  const { sheet } = await createSpreadsheet(gateway, registry, 'Dream Job Search');
  return {
    db,
    registry,
    gateway,
    id: sheet.spreadsheetId,
    sheet: () => registry.active()!,
    sync: (options = {}) =>
      new SheetsSync({
        db,
        userId: 1,
        gateway: options.gateway ?? gateway,
        registry,
        clock,
      }).run(registry.active()!, { full: options.full }),
  };
}

/** Job ids in the sheet's job_id column, in row order. */
function sheetIds(id: string): string[] {
  const rows = sheets.rows(id, POSTINGS_TAB);
  const at = rows[0]!.indexOf('job_id');
  return rows.slice(1).map((row) => row[at] ?? '');
}

function resultKeys(id: string): string[] {
  return sheets
    .rows(id, RESULTS_TAB)
    .slice(1)
    .map((row) => `${row[0]}|${row[2]}|${row[3]}`);
}

function expectExactlyOnce(s: Setup, postings: number): void {
  const ids = sheetIds(s.id);
  expect(ids).toHaveLength(postings);
  expect(new Set(ids).size).toBe(postings);
  const expectedResults = s.db.prepare('SELECT COUNT(*) AS n FROM job_search_results').get() as { n: number };
  const keys = resultKeys(s.id);
  expect(keys).toHaveLength(expectedResults.n);
  expect(new Set(keys).size).toBe(expectedResults.n);
  expect(s.db.prepare("SELECT COUNT(*) AS n FROM sheet_posting_rows WHERE state = 'synced'").get()).toEqual({
    n: postings,
  });
  expect(s.db.prepare("SELECT COUNT(*) AS n FROM sheet_posting_rows WHERE state = 'pending'").get()).toEqual({
    n: 0,
  });
}

/**
 * A gateway that "dies" at call number `at` (1-based): the call is sent first when `sent` (so Google applies it
 * but the answer is lost), then it and every later call fail, as in a process killed at that moment.
 */
function dying(inner: SheetsGateway, at: number, sent: boolean): SheetsGateway {
  let n = 0;
  let dead = false;
  const killed = (): SheetsApiError => new SheetsApiError('process killed', 0, 'KILLED', true);
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (dead) throw killed();
      n++;
      if (n === at) {
        dead = true;
        if (sent) await fn(...args);
        throw killed();
      }
      return fn(...args);
    };
  return {
    get calls() {
      return inner.calls;
    },
    create: wrap(inner.create.bind(inner)),
    get: wrap(inner.get.bind(inner)),
    batchUpdate: wrap(inner.batchUpdate.bind(inner)),
    batchGet: wrap(inner.batchGet.bind(inner)),
    append: wrap(inner.append.bind(inner)),
    writeValues: wrap(inner.writeValues.bind(inner)),
  };
}

describe('SheetsSync: appending', () => {
  it('appends every posting and result once, in few calls under 2 MB each; a second sync appends nothing', async () => {
    const s = await setup();
    seed(s.db, 1000, {
      descriptionBytes: 1800,
      title: (i) => (i === 7 ? '=IMPORTXML("http://x","//a")' : `Engineer ${i}`),
    });
    const before = sheets.calls.length;
    const first = await s.sync();
    expect(first.appended).toEqual({ postings: 1000, results: 1334 });
    expect(first.apiCalls).toBeLessThanOrEqual(4);
    const calls = sheets.calls.slice(before);
    expect(calls.map((c) => c.kind)).toEqual([
      'values.batchGet',
      'values.append',
      'values.append',
      'values.append',
    ]);
    for (const call of calls) expect(call.bytes).toBeLessThan(MAX_REQUEST_BYTES);
    expectExactlyOnce(s, 1000);
    expect(sheets.cell(s.id, POSTINGS_TAB, 'B9')).toEqual({ value: '=IMPORTXML("http://x","//a")' });

    const second = await s.sync();
    expect(second).toMatchObject({
      appended: { postings: 0, results: 0 },
      statusPulled: 0,
      statusPushed: 0,
      apiCalls: 1,
    });
    expect(sheets.calls.slice(before + calls.length).map((c) => c.kind)).toEqual(['values.batchGet']);
  });

  it('cuts cells to 50,000 characters and strips control characters', async () => {
    const s = await setup();
    seed(s.db, 2, {
      descriptionBytes: 60_000,
      title: (i) => (i === 0 ? 'Bad\u001b[31m red\u0007 title\u0000' : 'Ok'),
    });
    await s.sync();
    const rows = sheets.rows(s.id, POSTINGS_TAB);
    const header = rows[0]!;
    expect(rows[1]![header.indexOf('job_title')]).toBe('Bad red title');
    const description = rows[1]![header.indexOf('job_description')]!;
    expect(description).toHaveLength(50_000);
    expect(description.endsWith('…')).toBe(true);
  });

  it('splits big batches: each request stays under 2 MB', async () => {
    const s = await setup();
    seed(s.db, 200, { descriptionBytes: 45_000 });
    const before = sheets.calls.length;
    const result = await s.sync();
    expect(result.appended.postings).toBe(200);
    const appends = sheets.calls.slice(before).filter((c) => c.kind === 'values.append');
    expect(appends.length).toBeGreaterThanOrEqual(5);
    for (const call of appends) expect(call.bytes).toBeLessThan(MAX_REQUEST_BYTES);
    expectExactlyOnce(s, 200);
  });

  it('appends only what is new on the next sync', async () => {
    const s = await setup();
    seed(s.db, 10);
    await s.sync();
    seed(s.db, 5, { from: 10 });
    const result = await s.sync();
    expect(result.appended.postings).toBe(5);
    expect(sheetIds(s.id)).toEqual(Array.from({ length: 15 }, (_, i) => jobId(i)));
  });
});

describe('SheetsSync: exactly once across crashes', () => {
  it('(the data below takes 5 calls to sync: a read, 3 appends of postings, 1 of results)', async () => {
    const s = await setup();
    seed(s.db, 300, { descriptionBytes: 14_000 });
    const before = sheets.calls.length;
    await s.sync();
    expect(sheets.calls.slice(before).map((c) => c.kind)).toEqual([
      'values.batchGet',
      'values.append',
      'values.append',
      'values.append',
      'values.append',
    ]);
  });

  for (const at of [1, 2, 3, 4, 5]) {
    for (const sent of [false, true]) {
      it(`recovers from a crash at call ${at} (${sent ? 'after Google applied it' : 'before it was sent'})`, async () => {
        const s = await setup();
        seed(s.db, 300, { descriptionBytes: 14_000 });
        await expect(s.sync({ gateway: dying(s.gateway, at, sent) })).rejects.toThrow(/KILLED/);
        const pending = s.db
          .prepare("SELECT COUNT(*) FROM sheet_posting_rows WHERE state = 'pending'")
          .pluck()
          .get() as number;
        const inSheet = sheetIds(s.id).length;
        // A crash during a postings append leaves its intent behind; whether the rows are in the sheet depends
        // on whether Google got the request. The next sync must settle both cases.
        if (at >= 2 && at <= 4) expect(pending).toBeGreaterThan(0);
        if (at >= 2 && at <= 4 && sent) expect(inSheet).toBeGreaterThan(0);
        const again = await s.sync();
        expectExactlyOnce(s, 300);
        expect(again.appended.postings).toBe(300 - inSheet);
        const third = await s.sync();
        expect(third.appended).toEqual({ postings: 0, results: 0 });
      });
    }
  }

  it('survives a chain of crashes at random points, then holds every posting once', async () => {
    const s = await setup();
    seed(s.db, 300, { descriptionBytes: 14_000 });
    let state = 12345;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 12; i++) {
      if (i === 6) seed(s.db, 50, { from: 300, descriptionBytes: 14_000 });
      const at = 1 + Math.floor(random() * 4);
      await s.sync({ gateway: dying(s.gateway, at, random() < 0.5) }).catch(() => undefined);
    }
    await s.sync();
    expectExactlyOnce(s, 350);
  });

  it('never resends an append whose outcome is unknown: it re-reads the sheet instead', async () => {
    const s = await setup();
    seed(s.db, 100);
    sheets.fail({ status: 503, count: 2, afterApply: true, only: ['values.append'] });
    const result = await s.sync();
    expect(result.appended.postings).toBeLessThanOrEqual(100);
    expectExactlyOnce(s, 100);
    // Two ambiguous appends → two extra reads.
    expect(sheets.calls.filter((c) => c.kind === 'values.batchGet')).toHaveLength(3);
  });

  it('records rows another copy of the database already appended, instead of appending them again', async () => {
    const s = await setup();
    seed(s.db, 20);
    await s.sync();
    s.db.prepare('DELETE FROM sheet_posting_rows').run();
    s.db.prepare('DELETE FROM sheet_result_rows').run();
    const result = await s.sync();
    expect(result.appended).toEqual({ postings: 0, results: 0 });
    expectExactlyOnce(s, 20);
  });

  it('refuses to run two syncs at once for the same user (exit 75)', async () => {
    const s = await setup();
    seed(s.db, 5);
    s.db
      .prepare(
        `INSERT INTO process_locks (name, pid, hostname, acquired_at) VALUES ('sheets-sync:1', ?, ?, 'x')`,
      )
      .run(process.ppid, (await import('node:os')).hostname());
    await expect(s.sync()).rejects.toMatchObject({ exitCode: 75 });
  });
});

describe('SheetsSync: status and notes both ways', () => {
  async function synced(count = 5): Promise<Setup> {
    const s = await setup();
    seed(s.db, count);
    await s.sync();
    clock.tick();
    return s;
  }
  const rowOf = (s: Setup, id: string): number => sheetIds(s.id).indexOf(id) + 2;
  const cellOf = (s: Setup, id: string, column: 'status' | 'notes'): string => {
    const rows = sheets.rows(s.id, POSTINGS_TAB);
    return rows[rowOf(s, id) - 1]![rows[0]!.indexOf(column)] ?? '';
  };
  const local = (s: Setup, id: string) =>
    s.db.prepare('SELECT status, notes, status_changed_at FROM job_postings WHERE job_id = ?').get(id) as {
      status: string;
      notes: string | null;
      status_changed_at: string | null;
    };
  const setLocal = (s: Setup, id: string, status: string, notes: string | null, at: string) =>
    s.db
      .prepare('UPDATE job_postings SET status = ?, notes = ?, status_changed_at = ? WHERE job_id = ?')
      .run(status, notes, at, id);

  it('pulls a status and a note edited in the sheet', async () => {
    const s = await synced();
    sheets.setCell(s.id, POSTINGS_TAB, `N${rowOf(s, jobId(2))}`, 'Applied ');
    sheets.setCell(s.id, POSTINGS_TAB, `O${rowOf(s, jobId(2))}`, 'phone screen on Monday');
    const result = await s.sync();
    expect(result).toMatchObject({ statusPulled: 1, statusPushed: 0 });
    expect(local(s, jobId(2))).toMatchObject({ status: 'applied', notes: 'phone screen on Monday' });
    expect((await s.sync()).statusPulled).toBe(0);
    // Clearing the note in the sheet clears it here too.
    sheets.setCell(s.id, POSTINGS_TAB, `O${rowOf(s, jobId(2))}`, '');
    await s.sync();
    expect(local(s, jobId(2)).notes).toBeNull();
  });

  it('pushes a local change (jobs set-status) to the right row, even after the rows were reordered', async () => {
    const s = await synced();
    sheets.deleteRow(s.id, POSTINGS_TAB, 2); // a person deleted the first posting's row: the others move up
    setLocal(s, jobId(3), 'interviewing', 'round 2', clock.tick());
    const result = await s.sync();
    expect(result).toMatchObject({ statusPushed: 1, statusPulled: 0, appended: { postings: 0 } });
    expect(cellOf(s, jobId(3), 'status')).toBe('interviewing');
    expect(cellOf(s, jobId(3), 'notes')).toBe('round 2');
    expect((await s.sync()).statusPushed).toBe(0);
  });

  it('when both sides changed, a local change made after the previous read wins', async () => {
    const s = await synced();
    setLocal(s, jobId(1), 'offer', null, clock.tick()); // after the last sync's read
    sheets.setCell(s.id, POSTINGS_TAB, `N${rowOf(s, jobId(1))}`, 'rejected');
    const result = await s.sync();
    expect(result).toMatchObject({ statusPushed: 1, statusPulled: 0 });
    expect(cellOf(s, jobId(1), 'status')).toBe('offer');
    expect(local(s, jobId(1)).status).toBe('offer');
  });

  it('when both sides changed, a sheet edit wins over a local change older than the previous read', async () => {
    const s = await synced();
    // A local change made before the last sync read the sheet, but never pushed (that sync crashed after reading).
    const before = new Date(clock.time - 60_000).toISOString();
    setLocal(s, jobId(1), 'offer', null, before);
    sheets.setCell(s.id, POSTINGS_TAB, `N${rowOf(s, jobId(1))}`, 'rejected');
    const result = await s.sync();
    expect(result).toMatchObject({ statusPushed: 0, statusPulled: 1 });
    expect(local(s, jobId(1)).status).toBe('rejected');
    expect(cellOf(s, jobId(1), 'status')).toBe('rejected');
  });

  it('leaves an unknown status in the sheet alone and reports it', async () => {
    const s = await synced();
    sheets.setCell(s.id, POSTINGS_TAB, `N${rowOf(s, jobId(0))}`, 'maybe?');
    const warnings: string[] = [];
    const result = await new SheetsSync({
      db: s.db,
      userId: 1,
      gateway: s.gateway,
      registry: s.registry,
      clock,
      warn: (m) => warnings.push(m),
    }).run(s.sheet());
    expect(result).toMatchObject({ invalidStatuses: 1, statusPulled: 0 });
    expect(warnings.join()).toMatch(/"maybe\?", which is not one of/);
    expect(local(s, jobId(0)).status).toBe('new');
  });

  it('finds its columns by name after a person inserts a column and renames a tab', async () => {
    const s = await synced();
    sheets.insertColumn(s.id, POSTINGS_TAB, 1); // shifts status/notes/job_id one column right
    sheets.setCell(s.id, POSTINGS_TAB, 'B1', 'my rating');
    const postings = sheets.tab(s.id, POSTINGS_TAB);
    await s.gateway.batchUpdate(s.id, [
      {
        updateSheetProperties: { properties: { sheetId: postings.sheetId, title: 'Jobs' }, fields: 'title' },
      },
    ]);
    setLocal(s, jobId(4), 'saved', null, clock.tick());
    seed(s.db, 2, { from: 5 });
    const result = await s.sync();
    expect(result).toMatchObject({ statusPushed: 1, appended: { postings: 2 } });
    const rows = sheets.rows(s.id, 'Jobs');
    const header = rows[0]!;
    expect(header.slice(0, 3)).toEqual(['link', 'my rating', 'job_title']);
    const ids = rows.slice(1).map((row) => row[header.indexOf('job_id')]);
    expect(ids).toEqual(Array.from({ length: 7 }, (_, i) => jobId(i)));
    expect(rows[5]![header.indexOf('status')]).toBe('saved');
    expect(s.sheet().postingsTab).toBe('Jobs');
  });
});

describe('SheetsSync: tabs deleted in the sheet', () => {
  it('says how to add a deleted tab back, and refills it after `link --add-missing`', async () => {
    const s = await setup();
    seed(s.db, 8);
    await s.sync();
    const results = sheets.tab(s.id, RESULTS_TAB);
    await s.gateway.batchUpdate(s.id, [{ deleteSheet: { sheetId: results.sheetId } }]);
    await expect(s.sync()).rejects.toThrow(
      /"Job Search Results" .* is gone\. Run `djs sheets link .* --add-missing`/,
    );

    const inspection = await inspectSpreadsheet(s.gateway, s.id);
    expect(inspection.missingTabs).toEqual(['results']);
    await completeAndLink(s.gateway, s.registry, inspection);
    const result = await s.sync();
    expect(result.appended).toEqual({ postings: 0, results: 11 });
    expectExactlyOnce(s, 8);
  });
});

describe('SheetsSync: --full', () => {
  it('re-adds rows deleted in the sheet only with --full', async () => {
    const s = await setup();
    seed(s.db, 6);
    await s.sync();
    sheets.deleteRow(s.id, POSTINGS_TAB, 3);
    expect((await s.sync()).appended.postings).toBe(0);
    expect(sheetIds(s.id)).toHaveLength(5);
    expect((await s.sync({ full: true })).appended.postings).toBe(1);
    expect(new Set(sheetIds(s.id))).toEqual(new Set(Array.from({ length: 6 }, (_, i) => jobId(i))));
  });
});

describe('Google failures name what djs was doing', () => {
  const kept503 = (action: string, name: string, retry: string): RegExp =>
    new RegExp(`kept failing \\(503 [^)]*\\) while ${action} ${name}\\. .*; run \`${retry}\` again later\\.`);

  it('says creating, linking or syncing, and how to retry that', async () => {
    const db = newDb();
    const registry = new SpreadsheetRegistry(db, 1, clock);
    const gateway = await realGateway();
    sheets.fail({ status: 503, count: 1000, only: ['create'] });
    await expect(createSpreadsheet(gateway, registry, 'My search')).rejects.toThrow(
      kept503('creating', '"My search"', 'djs sheets create'),
    );
    sheets.clearFaults();
    const { sheet } = await createSpreadsheet(gateway, registry, 'My search');
    const id = sheet.spreadsheetId;

    sheets.fail({ status: 503, count: 1000, only: ['get'] });
    await expect(inspectSpreadsheet(gateway, id)).rejects.toThrow(
      kept503('linking', `"${id}" \\(${id}\\)`, `djs sheets link ${id}`),
    );
    sheets.clearFaults();

    sheets.fail({ status: 503, count: 1000, only: ['values.batchGet'] });
    const sync = new SheetsSync({ db, userId: 1, gateway, registry, clock });
    await expect(sync.run(sheet)).rejects.toThrow(
      kept503('syncing', `"My search" \\(${id}\\)`, 'djs sheets sync'),
    );
  });
});
