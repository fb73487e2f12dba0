import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { sessionService } from '../../src/cli/factory.js';
import { runJobsSetStatus, runJobsShow } from '../../src/commands/jobs.js';
import { runLogout } from '../../src/commands/logout.js';
import { runSearch } from '../../src/commands/search.js';
import { runStatus } from '../../src/commands/status.js';
import { runUpdateDb, type UpdateDbOptions } from '../../src/commands/update-db.js';
import { FakeClock } from '../../src/core/clock.js';
import { DjsError, ExitCode } from '../../src/core/errors.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { generatePostings, startFakeLinkedIn, type FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { FileSecretStore } from '../../src/secrets/file-store.js';
import { parseJobPosting, parseSearchPage } from '../../src/sources/linkedin/parse.js';
import type { LinkedInParser } from '../../src/sources/linkedin/parser-worker-client.js';
import { tempHome } from '../helpers/cli.js';
import { insertPosting } from '../helpers/postings.js';
import { addUser } from '../helpers/user-db.js';

/**
 * The commands driven in process through their exported run functions, each call with a Context of its
 * own (as one run of the binary has): a real SQLite file in a temporary DJS_HOME, a FileSecretStore, a
 * FakeClock and captured streams. The exit code is what main.ts maps a thrown DjsError to: its exitCode.
 */

const NOW = Date.parse('2030-03-01T10:00:00.000Z');
const DAY = 86_400_000;

let home: { home: string; cleanup: () => void };
let clock: FakeClock;
let secrets: FileSecretStore;

interface Run {
  ctx: Context;
  stdout: () => string;
  stderr: () => string;
}

function captured(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

function context(options: { json?: boolean; env?: NodeJS.ProcessEnv } = {}): Run {
  const stdout = captured();
  const stderr = captured();
  const ctx = new Context(
    { stdin: new PassThrough(), stdout: stdout.stream, stderr: stderr.stream },
    { DJS_HOME: home.home, ...options.env },
    { json: options.json ?? false, verbose: false, color: false },
    {
      clock,
      secrets,
      openDb: () => openDatabase(join(home.home, 'djs.db'), { now: () => clock.now() }),
    },
  );
  return { ctx, stdout: stdout.text, stderr: stderr.text };
}

/** Runs a command the way main.ts does: the context is closed afterwards, a DjsError becomes its exit code. */
async function exitCodeOf(run: Run, command: (ctx: Context) => Promise<void>): Promise<number> {
  try {
    await command(run.ctx);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof DjsError) return error.exitCode;
    throw error;
  } finally {
    run.ctx.close();
  }
}

/** Reads the database as the next command would find it. */
function inDatabase<T>(read: (db: Db) => T): T {
  const db = openDatabase(join(home.home, 'djs.db'));
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** An account with an active session in this DJS_HOME (no password hashing: the commands never see it). */
async function logIn(email = 'ada@example.com'): Promise<number> {
  const { ctx } = context();
  try {
    const db = await ctx.db();
    const at = clock.now().toISOString();
    const userId = addUser(db, email, { passwordHash: '$2b$12$not-a-real-hash', now: at });
    await (await sessionService(ctx)).start(userId);
    return userId;
  } finally {
    ctx.close();
  }
}

function addPostings(
  userId: number,
  postings: Array<{ jobId: string; title: string; location: string }>,
): void {
  inDatabase((db) => {
    for (const posting of postings) insertPosting(db, userId, posting, clock.now().toISOString());
  });
}

beforeEach(() => {
  home = tempHome('djs-inprocess-');
  clock = new FakeClock(NOW);
  secrets = new FileSecretStore(join(home.home, 'secrets.json'));
});

afterEach(() => home.cleanup());

describe('status', () => {
  it('logged out: the logged-out JSON on stdout, then exit 4', async () => {
    const run = context({ json: true });
    expect(await exitCodeOf(run, runStatus)).toBe(ExitCode.auth);
    expect(JSON.parse(run.stdout())).toMatchObject({ loggedIn: false, postings: 0 });
  });

  it('logged in: the account, its postings and the session expiry the clock gives', async () => {
    const userId = await logIn();
    addPostings(userId, [
      { jobId: '4000000001', title: 'Rust developer', location: 'Berlin' },
      { jobId: '4000000002', title: 'Go developer', location: 'Lisbon' },
    ]);
    clock.advance(DAY);
    const run = context({ json: true });
    expect(await exitCodeOf(run, runStatus)).toBe(ExitCode.ok);
    const status = JSON.parse(run.stdout());
    expect(status).toMatchObject({ loggedIn: true, email: 'ada@example.com', postings: 2, home: home.home });
    expect(Date.parse(status.session.expiresAt)).toBeGreaterThan(NOW);
  });
});

describe('search', () => {
  it('ranks the stored postings and records the search in the history at the clock time', async () => {
    const userId = await logIn();
    addPostings(userId, [
      { jobId: '4000000001', title: 'Rust developer', location: 'Berlin' },
      { jobId: '4000000002', title: 'Go developer', location: 'Lisbon' },
      { jobId: '4000000003', title: 'Rust and Go engineer', location: 'KRAKÓW' },
    ]);
    const run = context({ json: true });
    const search = (ctx: Context) => runSearch(ctx, { limit: 20, location: 'kraków' }, ['rust', 'go']);
    expect(await exitCodeOf(run, search)).toBe(ExitCode.ok);
    expect(JSON.parse(run.stdout()).map((hit: { id: string }) => hit.id)).toEqual(['4000000003']);
    expect(
      inDatabase((db) => db.prepare('SELECT keywords, location, search_date FROM user_search_history').all()),
    ).toEqual([{ keywords: '["rust","go"]', location: 'kraków', search_date: new Date(NOW).toISOString() }]);
  });

  it('--csv with --json is exit 2 and records nothing', async () => {
    await logIn();
    const run = context({ json: true });
    expect(await exitCodeOf(run, (ctx) => runSearch(ctx, { limit: 20, csv: true }, ['rust']))).toBe(
      ExitCode.usage,
    );
    expect(run.stdout()).toBe('');
    expect(inDatabase((db) => db.prepare('SELECT count(*) FROM user_search_history').pluck().get())).toBe(0);
  });
});

describe('jobs', () => {
  it('set-status changes the status, dates the note and the history by the clock; show reads it back', async () => {
    const userId = await logIn();
    addPostings(userId, [{ jobId: '4000000001', title: 'Rust developer', location: 'Berlin' }]);
    clock.advance(2 * DAY);
    const set = context();
    const request = { jobId: '4000000001', status: 'applied', note: 'sent the CV' };
    expect(await exitCodeOf(set, (ctx) => runJobsSetStatus(ctx, request))).toBe(ExitCode.ok);
    expect(set.stdout()).toContain('4000000001: new → applied, note added.');

    const show = context({ json: true });
    expect(
      await exitCodeOf(show, (ctx) => runJobsShow(ctx, 'https://www.linkedin.com/jobs/view/4000000001/')),
    ).toBe(ExitCode.ok);
    const changedAt = new Date(NOW + 2 * DAY).toISOString();
    expect(JSON.parse(show.stdout())).toMatchObject({
      id: '4000000001',
      status: 'applied',
      notes: '2030-03-03: sent the CV',
    });
    expect(
      inDatabase((db) =>
        db.prepare('SELECT old_status, new_status, changed_at FROM job_status_changes').all(),
      ),
    ).toEqual([{ old_status: 'new', new_status: 'applied', changed_at: changedAt }]);
  });

  it('an unknown status is exit 2 with one sentence, and the posting is left as it was', async () => {
    const userId = await logIn();
    addPostings(userId, [{ jobId: '4000000001', title: 'Rust developer', location: 'Berlin' }]);
    const run = context();
    const request = { jobId: '4000000001', status: 'hired' };
    expect(await exitCodeOf(run, (ctx) => runJobsSetStatus(ctx, request))).toBe(ExitCode.usage);
    expect(inDatabase((db) => db.prepare('SELECT status, notes FROM job_postings').get())).toEqual({
      status: 'new',
      notes: null,
    });
  });

  it('a missing job id off a terminal is exit 2, before anything is read', async () => {
    const run = context();
    expect(await exitCodeOf(run, (ctx) => runJobsShow(ctx, undefined))).toBe(ExitCode.usage);
  });
});

describe('logout', () => {
  it('revokes the session at the clock time and removes the session file; a second logout is exit 2', async () => {
    await logIn();
    const sessionFile = join(home.home, 'session.json');
    expect(existsSync(sessionFile)).toBe(true);
    clock.advance(DAY);
    const first = context();
    expect(await exitCodeOf(first, (ctx) => runLogout(ctx, {}))).toBe(ExitCode.ok);
    expect(first.stdout()).toContain('Logged out.');
    expect(existsSync(sessionFile)).toBe(false);
    expect(inDatabase((db) => db.prepare('SELECT revoked_at FROM sessions').pluck().all())).toEqual([
      new Date(NOW + DAY).toISOString(),
    ]);

    const second = context();
    expect(await exitCodeOf(second, (ctx) => runLogout(ctx, {}))).toBe(ExitCode.usage);
    const statusAfter = context();
    expect(await exitCodeOf(statusAfter, runStatus)).toBe(ExitCode.auth);
  });
});

describe('update-db against the LinkedIn fake', () => {
  let fake: FakeLinkedIn | undefined;
  afterEach(async () => fake?.close());

  /** Parses on this thread: the worker parser loads dist/, which an in-process test of src/ does not use. */
  const parser = (): LinkedInParser => ({
    parseSearchPage: async (html) => parseSearchPage(html),
    parseJobPosting: async (html, now) => parseJobPosting(html, { now }),
    close: async () => {},
  });
  const options = (overrides: Partial<UpdateDbOptions> = {}): UpdateDbOptions => ({
    perSearch: 60,
    sheets: false,
    concurrency: 4,
    ...overrides,
  });
  const linkedInEnv = (): NodeJS.ProcessEnv => ({ DJS_LINKEDIN_URL: fake!.url, DJS_RATE_LIMIT: '0' });

  it('stores the postings of a query × location and reports them, dated by the clock', async () => {
    const userId = await logIn();
    const postings = generatePostings(12, 3, { now: clock.now() }).map((posting, index) => ({
      ...posting,
      queries: ['alpha'],
      location: index < 5 ? 'Berlin, Germany' : 'Lisbon, Portugal',
    }));
    fake = await startFakeLinkedIn({ postings, now: () => clock.now() });
    const run = context({ env: linkedInEnv() });
    const update = (ctx: Context) =>
      runUpdateDb(ctx, options({ query: ['alpha'], location: ['Berlin'], save: true }), parser);
    expect(await exitCodeOf(run, update)).toBe(ExitCode.ok);

    const berlin = postings.filter((posting) => posting.location.startsWith('Berlin'));
    expect(
      inDatabase((db) =>
        db.prepare('SELECT job_id FROM job_postings WHERE user_id = ? ORDER BY job_id').pluck().all(userId),
      ),
    ).toEqual(berlin.map((posting) => posting.jobId).sort());
    expect(inDatabase((db) => db.prepare('SELECT query, location FROM saved_searches').all())).toEqual([
      { query: 'alpha', location: 'Berlin' },
    ]);
    // Off a terminal the summary is one log line, stamped with the run's clock.
    expect(run.stdout()).toMatch(
      new RegExp(
        `^${new Date(NOW).toISOString()} update-db ok: searches=1 linksFound=5 newLinks=5 postingsFetched=5 `,
      ),
    );
    expect(run.stderr()).toContain('Saved 1 new search');
  });

  it('no saved searches and no -q/-l: exit 2 before any request', async () => {
    await logIn();
    fake = await startFakeLinkedIn();
    const run = context({ env: linkedInEnv() });
    expect(await exitCodeOf(run, (ctx) => runUpdateDb(ctx, options(), parser))).toBe(ExitCode.usage);
    expect(fake.requests).toEqual([]);
  });

  it('LinkedIn showing its sign-in wall to every request: exit 3, the run marked blocked, nothing stored', async () => {
    await logIn();
    fake = await startFakeLinkedIn({ authWall: true });
    const run = context({ env: linkedInEnv() });
    const update = (ctx: Context) =>
      runUpdateDb(ctx, options({ query: ['alpha'], location: ['Berlin'] }), parser);
    expect(await exitCodeOf(run, update)).toBe(ExitCode.partial);
    // The progress lines off a terminal are stamped with the run's clock too.
    expect(run.stderr()).toContain(
      `${new Date(NOW).toISOString()} LinkedIn showed its sign-in wall for "alpha" in "Berlin"; stopping.`,
    );
    expect(inDatabase((db) => db.prepare('SELECT count(*) FROM job_postings').pluck().get())).toBe(0);
    expect(inDatabase((db) => db.prepare('SELECT blocked FROM update_runs').pluck().all())).toEqual([1]);
  });
});
