import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeBoards, FakeBoardsRequestLog } from '../../src/fakes/boards-server.js';
import { jobFromPosting } from '../../src/fakes/boards-server.js';
import { generatePostings, startFakeLinkedIn, type FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { startBoards } from '../helpers/boards.js';
import { expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';

/** What the database holds: every job with its links, read without djs. */
function readHome<T>(home: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

interface StoredLink {
  jobRowId: number;
  source: string;
  board: string | null;
  sourceJobId: string;
  closedAt: string | null;
  jobClosedAt: string | null;
}

const linksIn = (home: string): StoredLink[] =>
  readHome(
    home,
    (db) =>
      db
        .prepare(
          `SELECT l.posting_id AS jobRowId, l.source, l.board, l.source_job_id AS sourceJobId, l.closed_at AS closedAt,
             p.closed_at AS jobClosedAt
           FROM posting_links l JOIN job_postings p ON p.id = l.posting_id ORDER BY l.source_job_id`,
        )
        .all() as StoredLink[],
  );

const BOARDS = ['greenhouse:northwind', 'lever:pinecrest-robotics', 'ashby:quantix-finance'];
const FEEDS = ['remotive', 'arbeitnow', 'remoteok'];
const BLOCKED_BOARD = 'smartrecruiters:HeliosEnergy';

describe('djs update-db with LinkedIn, company boards and feeds', () => {
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  let linkedIn: FakeLinkedIn;
  let boards: FakeBoards;
  let env: Record<string, string>;

  beforeAll(async () => {
    homes = await registeredHome();
  });
  afterAll(() => homes.cleanup());
  afterEach(async () => {
    await linkedIn?.close();
    await boards?.close();
  });

  const djs = (home: string, args: string[], timeoutMs = 120_000) => runDjs(args, { home, env, timeoutMs });

  /** The board requests a run made, from the request log's `from`-th entry on. */
  const requestsSince = (from: number, kind: string, board: string): FakeBoardsRequestLog[] =>
    boards.requests.slice(from).filter((request) => request.kind === kind && request.board === board);

  it('collects LinkedIn + three boards + three feeds in one run, one job per listing pair, closes, 304s, and skips blocked companies', async () => {
    ({ fake: boards, env } = await startBoards());
    const northwind = boards.board('greenhouse:northwind');
    const bluefin = boards.board('greenhouse:bluefinlabs'); // not watched: reached through an apply link

    // LinkedIn: six postings for "zephyr" in Berlin. The first applies at a Northwind job (the same job on
    // two sources), the second at a Bluefin job (a board djs does not watch), the third is a blocked
    // company's.
    const postings = generatePostings(6, 11).map((posting) => ({
      ...posting,
      queries: ['zephyr'],
      location: 'Berlin, Germany',
    }));
    const [onNorthwind, onBluefin, blockedOnLinkedIn] = postings as [
      (typeof postings)[0],
      (typeof postings)[0],
      (typeof postings)[0],
    ];
    const northwindJob = northwind.addJob({ ...jobFromPosting(onNorthwind), company: northwind.company });
    onNorthwind.applyUrl = northwind.jobUrl(northwindJob.id);
    const bluefinJob = bluefin.addJob({ ...jobFromPosting(onBluefin), company: bluefin.company });
    onBluefin.applyUrl = bluefin.jobUrl(bluefinJob.id);
    blockedOnLinkedIn.company = 'Flood Staffing';
    linkedIn = await startFakeLinkedIn({ postings });

    // The feeds: what a search for "zephyr" in Berlin keeps (remote, or in Berlin) and what it does not.
    const kept = [
      [
        'remotive',
        boards
          .board('remotive')
          .addJob({ title: 'Zephyr Platform Engineer', location: 'Worldwide', workplace: 'remote' }),
      ],
      [
        'arbeitnow',
        boards
          .board('arbeitnow')
          .addJob({ title: 'Zephyr Backend Developer', location: 'Berlin, Germany', workplace: 'onsite' }),
      ],
      [
        'remoteok',
        boards
          .board('remoteok')
          .addJob({ title: 'Senior Zephyr Engineer', location: 'Remote', workplace: 'remote' }),
      ],
    ] as const;
    boards
      .board('arbeitnow')
      .addJob({ title: 'Zephyr Pastry Chef', location: 'Paris, France', workplace: 'onsite' });

    env = { ...env, DJS_LINKEDIN_URL: linkedIn.url, DJS_RATE_LIMIT: '0' };
    const home = homes.clone();
    const add = await djs(home, ['sources', 'add', ...BOARDS, ...FEEDS, BLOCKED_BOARD]);
    expect(add.stderr).not.toMatch(/error/i);
    expect(add.code).toBe(0);
    const block = await djs(home, ['blocklist', 'add', 'Flood Staffing', 'Helios Energy Systems']);
    expect(block.code, block.stderr).toBe(0);

    const fromFirst = boards.requests.length;
    const first = await djs(home, ['update-db', '-q', 'zephyr', '-l', 'Berlin', '--no-sheets', '--json']);
    expectNoStackTrace(first);
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({
      outcome: 'ok',
      sources: 7,
      failedSources: 0,
      postingsFetched: 5, // the blocked company's LinkedIn posting is not fetched
      applyLinksRead: 1,
      watchSuggestions: ['greenhouse:bluefinlabs'],
    });

    const links = linksIn(home);
    const jobOf = (sourceJobId: string): number => links.find((l) => l.sourceJobId === sourceJobId)!.jobRowId;
    // A job listed on LinkedIn and on its Greenhouse board is one job with two links; so is the one whose
    // board djs read because LinkedIn's apply link named it.
    expect(jobOf(onNorthwind.jobId)).toBe(jobOf(`greenhouse:${northwindJob.id}`));
    expect(links.filter((l) => l.jobRowId === jobOf(onNorthwind.jobId))).toHaveLength(2);
    expect(jobOf(onBluefin.jobId)).toBe(jobOf(`greenhouse:${bluefinJob.id}`));
    // Every job of the three boards is stored, each once.
    for (const spec of BOARDS) {
      const [kind, board] = spec.split(':') as [string, string];
      const listed = boards.board(spec).jobs.map((job) => `${kind}:${job.id.toLowerCase()}`);
      expect(
        links
          .filter((l) => l.source === kind && l.board === board)
          .map((l) => l.sourceJobId)
          .sort(),
      ).toEqual(listed.sort());
    }
    // The feeds kept exactly what matched.
    expect(
      links
        .filter((l) => FEEDS.includes(l.source))
        .map((l) => l.sourceJobId)
        .sort(),
    ).toEqual(kept.map(([kind, job]) => `${kind}:${job.id.toLowerCase()}`).sort());
    // A blocked company's postings are never fetched in detail: not on SmartRecruiters, not on LinkedIn.
    expect(links.filter((l) => l.source === 'smartrecruiters')).toEqual([]);
    expect(requestsSince(fromFirst, 'smartrecruiters', 'HeliosEnergy').map((r) => r.path)).toEqual([
      '/v1/companies/HeliosEnergy/postings',
    ]);
    expect(linkedIn.requests.filter((r) => r.path.includes(blockedOnLinkedIn.jobId))).toEqual([]);

    // Second run: a job left Northwind; Lever and Ashby did not change.
    const leaving = northwind.jobs.find((job) => job.id !== northwindJob.id)!;
    northwind.removeJob(leaving.id);
    const fromSecond = boards.requests.length;
    const second = await djs(home, [
      'update-db',
      '--source',
      'greenhouse',
      '--source',
      'lever',
      '--source',
      'ashby',
      '--json',
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ sources: 3, sourcesUnchanged: 2, postingsClosed: 1 });
    const closed = linksIn(home).find((l) => l.sourceJobId === `greenhouse:${leaving.id}`)!;
    expect(closed.closedAt).not.toBeNull();
    expect(closed.jobClosedAt).toBe(closed.closedAt);
    // An unchanged board costs one request, answered 304.
    for (const [kind, board] of [
      ['lever', 'pinecrest-robotics'],
      ['ashby', 'quantix-finance'],
    ] as const) {
      expect(requestsSince(fromSecond, kind, board).map((r) => r.status)).toEqual([304]);
    }
  });

  it('one board that fails does not stop the others: exit 3, the rest saved, the failure named', async () => {
    ({ fake: boards, env } = await startBoards());
    linkedIn = await startFakeLinkedIn({ postings: [] });
    env = { ...env, DJS_LINKEDIN_URL: linkedIn.url };
    const home = homes.clone();
    expect((await djs(home, ['sources', 'add', 'greenhouse:northwind', 'ashby:quantix-finance'])).code).toBe(
      0,
    );
    boards.setOptions({ failWith: (req) => (req.kind === 'ashby' ? 404 : null) });
    const run = await djs(home, ['update-db']);
    expectNoStackTrace(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/ashby:quantix-finance \(no such board\)/);
    // Off a terminal, the summary is one line for the log.
    expect(run.stdout).toMatch(/ update-db partial: .*\bsources=1 .*\bfailedSources=1\b/);
    expect(linksIn(home).filter((l) => l.source === 'greenhouse')).toHaveLength(
      boards.board('greenhouse:northwind').jobs.length,
    );
  });
});

describe('djs sources add | list | remove', () => {
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  let boards: FakeBoards;
  let env: Record<string, string>;

  beforeAll(async () => {
    homes = await registeredHome();
    ({ fake: boards, env } = await startBoards());
  });
  afterAll(async () => {
    homes.cleanup();
    await boards.close();
  });

  const djs = (home: string, args: string[], extra: Record<string, string> = {}) =>
    runDjs(['sources', ...args], { home, env: { ...env, ...extra }, timeoutMs: 60_000 });
  const watched = (home: string) =>
    readHome(home, (db) =>
      db.prepare('SELECT kind, name, etag, last_modified FROM user_sources ORDER BY id').all(),
    );

  it('adds boards that exist and feeds, lists them, removes them and keeps their postings', async () => {
    const home = homes.clone();
    const add = await djs(home, ['add', 'greenhouse:northwind', 'lever:pinecrest-robotics', 'remotive']);
    expect(add.code, add.stderr).toBe(0);
    // No validators on add: the first update-db reads each board in full.
    expect(watched(home)).toEqual([
      { kind: 'greenhouse', name: 'northwind', etag: null, last_modified: null },
      { kind: 'lever', name: 'pinecrest-robotics', etag: null, last_modified: null },
      { kind: 'remotive', name: '', etag: null, last_modified: null },
    ]);
    expect((await djs(home, ['add', 'GREENHOUSE:Northwind'])).code).toBe(0); // already watched
    expect(watched(home)).toHaveLength(3);

    const list = await djs(home, ['list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        spec: 'greenhouse:northwind',
        lastCheckedAt: null,
        openPostings: 0,
        lastError: null,
      }),
      expect.objectContaining({ spec: 'lever:pinecrest-robotics' }),
      expect.objectContaining({ spec: 'remotive', kind: 'remotive', name: '' }),
    ]);
    const table = await djs(home, ['list']);
    expect(table.stdout).toMatch(/source\s+added\s+last checked\s+open postings\s+last error/);
    expect(table.stdout).toMatch(/greenhouse:northwind .* never\s+0/);

    const removed = await djs(home, ['remove', 'lever:pinecrest-robotics']);
    expect(removed.code).toBe(0);
    expect(watched(home)).toHaveLength(2);
  });

  it('refuses a bad spec or a missing board with exit 2, and an unreachable one with exit 1, adding nothing', async () => {
    const home = homes.clone();
    for (const spec of ['monster:acme', 'greenhouse:', 'remotive:x', 'greenhouse:a/b']) {
      const result = await djs(home, ['add', 'greenhouse:northwind', spec]);
      expectNoStackTrace(result);
      expect(result.code, spec).toBe(2);
    }
    const missing = await djs(home, ['add', 'greenhouse:northwind', 'ashby:no-such-board']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no ashby board named "no-such-board"/);
    boards.setOptions({ failWith: (req) => (req.kind === 'lever' ? 503 : null) });
    try {
      const unreachable = await djs(home, ['add', 'lever:pinecrest-robotics']);
      expectNoStackTrace(unreachable);
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toMatch(/Could not reach lever:pinecrest-robotics/);
    } finally {
      boards.setOptions({ failWith: () => null });
    }
    expect(watched(home)).toEqual([]);
    const notWatched = await djs(home, ['remove', 'remotive']);
    expect(notWatched.code).toBe(2);
    expect(notWatched.stderr).toMatch(/do not watch remotive/);
    // update-db --source names only what is watched: exit 2 before any run is recorded.
    const limited = await runDjs(['update-db', '--source', 'lever:pinecrest-robotics'], { home, env });
    expectNoStackTrace(limited);
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(/You do not watch "lever:pinecrest-robotics"/);
    expect(readHome(home, (db) => db.prepare('SELECT COUNT(*) AS n FROM update_runs').get())).toEqual({
      n: 0,
    });
  });
});
