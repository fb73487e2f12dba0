import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import type { BoardJob } from '../../src/core/job-identity.js';
import type { Db } from '../../src/db/database.js';
import { collect, type CollectDeps } from '../../src/jobs/collector.js';
import type {
  DetailResult,
  JobSource,
  ListingResult,
  ListingSource,
  SearchResult,
  Validators,
} from '../../src/jobs/job-source.js';
import type { FoundLink, ListedPosting, SourceKind, SourceSpec } from '../../src/jobs/model.js';
import { JobStore } from '../../src/jobs/store.js';
import { selectSources, WatchedSources } from '../../src/jobs/watched-sources.js';
import { listedPosting, listingId } from '../../src/sources/common/listed-posting.js';
import { postingWith } from '../helpers/postings.js';
import { userDatabase } from '../helpers/user-db.js';

const DAY = 86_400_000;
const START = Date.parse('2025-04-01T08:00:00.000Z');

/** A board posting with the fields these tests compare. */
function boardPosting(kind: SourceKind, id: string, fields: Partial<ListedPosting> = {}): ListedPosting {
  return listedPosting({
    source: kind,
    jobId: listingId(kind, id),
    link: `https://boards.example.test/${kind}/${id}`,
    title: 'Backend Engineer',
    company: 'Acme',
    location: 'Berlin',
    ...fields,
  });
}

/**
 * A board or feed whose answers a test sets: `postings` is what it lists now; it answers 304 when given
 * the validators of an unchanged listing (`etag` changes with every change of `postings`); `failWith`
 * makes `list` throw; `missing` makes it "not found". Every call is counted.
 */
class ScriptedBoard implements ListingSource {
  lists = 0;
  readonly details: string[] = [];
  readonly given: Array<Validators | null> = [];
  failWith: string | null = null;
  missing = false;
  complete = true;
  detailFails = false;
  private version = 1;
  private current: ListedPosting[] = [];
  detail?: (posting: ListedPosting) => Promise<ListedPosting | null>;

  constructor(
    readonly spec: SourceSpec,
    postings: ListedPosting[] = [],
    withDetail = false,
  ) {
    this.postings = postings;
    if (withDetail) {
      this.detail = async (posting) => {
        this.details.push(posting.jobId);
        if (this.detailFails) throw new Error(`detail of ${posting.jobId} failed`);
        return { ...posting, description: `Full text of ${posting.title}` };
      };
    }
  }

  get postings(): ListedPosting[] {
    return this.current;
  }

  set postings(postings: ListedPosting[]) {
    this.current = postings;
    this.version++;
  }

  async list(validators: Validators | null): Promise<ListingResult> {
    this.lists++;
    this.given.push(validators);
    if (this.failWith) throw new Error(this.failWith);
    if (this.missing) return { kind: 'not-found' };
    const etag = `"v${this.version}"`;
    if (validators?.etag === etag) return { kind: 'unchanged' };
    return {
      kind: 'listing',
      postings: this.current,
      complete: this.complete,
      validators: { etag, lastModified: null },
    };
  }
}

/** LinkedIn with the given cards for any search (one page) and their postings. */
class ScriptedLinkedIn implements JobSource {
  readonly name = 'linkedin';
  readonly stopped = false;
  readonly details: string[] = [];

  constructor(private readonly cards: Array<FoundLink & { posting: Partial<ListedPosting> }>) {}

  async search(request: { start: number }): Promise<SearchResult> {
    return {
      kind: 'page',
      links: request.start === 0 ? this.cards.map(({ posting: _, ...card }) => card) : [],
    };
  }

  async detail(found: FoundLink): Promise<DetailResult> {
    this.details.push(found.jobId);
    const card = this.cards.find((c) => c.jobId === found.jobId)!;
    return {
      kind: 'posting',
      posting: postingWith({ jobId: found.jobId, link: found.link, ...card.posting }),
    };
  }
}

let db: Db;
let close: () => void;
let store: JobStore;
let watched: WatchedSources;
let clock: FakeClock;

beforeEach(() => {
  ({ db, close } = userDatabase('djs-collector-sources-', new Date(START).toISOString()));
  store = new JobStore(db, 1);
  watched = new WatchedSources(db, 1);
  clock = new FakeClock(START);
});
afterEach(() => close());

interface RunWith {
  boards?: ScriptedBoard[];
  linkedIn?: ScriptedLinkedIn;
  searches?: Array<{ query: string; location: string }>;
  readBoardJob?: CollectDeps['readBoardJob'];
}

/** One update-db run over these boards (watched) and LinkedIn (when given). */
function run({ boards = [], linkedIn, searches = [], readBoardJob }: RunWith) {
  watched.add(
    boards.map((board) => board.spec),
    clock.now().toISOString(),
  );
  return collect(
    {
      store,
      source: linkedIn ?? new ScriptedLinkedIn([]),
      sources: {
        specs: boards.map((board) => board.spec),
        open: async (spec) => boards.find((board) => board.spec === spec)!,
        watched,
      },
      readBoardJob,
      clock,
      signal: new AbortController().signal,
    },
    { searches: linkedIn ? searches : [], feedSearches: searches, perSearch: 10, concurrency: 2 },
  );
}

interface JobRow {
  id: number;
  source: string;
  job_id: string;
  job_description: string | null;
  salary_min: number | null;
  closed_at: string | null;
  links: string;
}

const jobs = (): JobRow[] =>
  db
    .prepare(
      `SELECT p.id, p.source, p.job_id, p.job_description, p.salary_min, p.closed_at,
         (SELECT group_concat(l.source_job_id, ' ') FROM (SELECT source_job_id FROM posting_links
            WHERE posting_id = p.id ORDER BY source_job_id) l) AS links
       FROM job_postings p ORDER BY p.id`,
    )
    .all() as JobRow[];

const link = (sourceJobId: string) =>
  db
    .prepare('SELECT board, last_seen_at, closed_at FROM posting_links WHERE source_job_id = ?')
    .get(sourceJobId) as { board: string | null; last_seen_at: string; closed_at: string | null };

const GREENHOUSE_APPLY = 'https://job-boards.greenhouse.io/acme/jobs/7001?gh_src=linkedin';

describe('one job, many links', () => {
  it('joins a board posting to the LinkedIn posting whose apply link points at it', async () => {
    const linkedIn = new ScriptedLinkedIn([
      {
        jobId: '4100000001',
        link: 'https://www.linkedin.com/jobs/view/4100000001/',
        posting: {
          title: 'Backend Engineer',
          company: 'Acme',
          location: 'Berlin',
          applyUrl: GREENHOUSE_APPLY,
        },
      },
    ]);
    await run({ linkedIn, searches: [{ query: 'backend', location: 'Berlin' }] });
    const board = new ScriptedBoard({ kind: 'greenhouse', name: 'acme' }, [
      boardPosting('greenhouse', '7001', { title: 'Senior Backend Engineer (m/f/d)', salaryMin: 90000 }),
    ]);
    await run({ boards: [board] });
    expect(jobs()).toEqual([
      expect.objectContaining({ source: 'linkedin', links: '4100000001 greenhouse:7001', salary_min: 90000 }),
    ]);
  });

  it('joins a LinkedIn posting to the board job its apply link names, stored first', async () => {
    const board = new ScriptedBoard({ kind: 'greenhouse', name: 'acme' }, [
      boardPosting('greenhouse', '7001', { description: 'From the board' }),
    ]);
    await run({ boards: [board] });
    const linkedIn = new ScriptedLinkedIn([
      {
        jobId: '4100000001',
        link: 'https://www.linkedin.com/jobs/view/4100000001/',
        // A different title: the apply link alone says it is the same job.
        posting: { title: 'Backend Developer', company: 'Acme GmbH', applyUrl: GREENHOUSE_APPLY },
      },
    ]);
    await run({ linkedIn, searches: [{ query: 'backend', location: 'Berlin' }] });
    expect(jobs()).toEqual([
      expect.objectContaining({
        source: 'greenhouse',
        job_id: 'greenhouse:7001',
        job_description: 'From the board',
        links: '4100000001 greenhouse:7001',
      }),
    ]);
    // The merged LinkedIn id has no job_postings row of its own, and is not pending any more.
    expect(store.pendingJobIds()).toEqual([]);
    expect(linkedIn.details).toEqual(['4100000001']);
  });

  it('matches company + title + location on another source within 30 days, not after', async () => {
    const searches = [{ query: 'backend engineer', location: 'Berlin' }];
    const remotive = new ScriptedBoard({ kind: 'remotive', name: '' }, [
      boardPosting('remotive', '1', { company: 'Acme, Inc.', location: 'Berlin, Germany' }),
    ]);
    remotive.complete = false;
    await run({ boards: [remotive], searches });
    clock.time += 29 * DAY;
    const arbeitnow = new ScriptedBoard({ kind: 'arbeitnow', name: '' }, [
      boardPosting('arbeitnow', 'acme-backend', { company: 'ACME', location: 'Berlin Germany' }),
    ]);
    arbeitnow.complete = false;
    await run({ boards: [arbeitnow], searches });
    clock.time += 2 * DAY; // 31 days after the first listing
    const remoteok = new ScriptedBoard({ kind: 'remoteok', name: '' }, [
      boardPosting('remoteok', '99', { company: 'Acme', location: 'Berlin, Germany' }),
    ]);
    remoteok.complete = false;
    await run({ boards: [remoteok], searches });
    expect(jobs().map((job) => job.links)).toEqual(['arbeitnow:acme-backend remotive:1', 'remoteok:99']);
  });

  it('never merges two listings of the same source, however alike', async () => {
    const board = new ScriptedBoard({ kind: 'greenhouse', name: 'acme' }, [
      boardPosting('greenhouse', '7001'),
      boardPosting('greenhouse', '7002'),
    ]);
    await run({ boards: [board] });
    expect(jobs().map((job) => job.links)).toEqual(['greenhouse:7001', 'greenhouse:7002']);
  });

  it('reads the board job a LinkedIn apply link names and offers to watch the board', async () => {
    const read: BoardJob[] = [];
    const linkedIn = new ScriptedLinkedIn([
      {
        jobId: '4100000001',
        link: 'https://www.linkedin.com/jobs/view/4100000001/',
        posting: { title: 'Backend Engineer', company: 'Acme', applyUrl: GREENHOUSE_APPLY },
      },
    ]);
    const summary = await run({
      linkedIn,
      searches: [{ query: 'backend', location: 'Berlin' }],
      readBoardJob: async (job) => {
        read.push(job);
        return boardPosting('greenhouse', job.id, { description: 'Full board text', salaryMin: 100000 });
      },
    });
    expect(read).toEqual([{ kind: 'greenhouse', board: 'acme', id: '7001' }]);
    expect(summary).toMatchObject({ applyLinksRead: 1, watchSuggestions: ['greenhouse:acme'] });
    expect(jobs()).toEqual([
      expect.objectContaining({ links: '4100000001 greenhouse:7001', salary_min: 100000 }),
    ]);
    // Once watched, the board is not suggested any more.
    watched.add([{ kind: 'greenhouse', name: 'acme' }], clock.now().toISOString());
    const linkedInAgain = new ScriptedLinkedIn([
      {
        jobId: '4100000002',
        link: 'https://www.linkedin.com/jobs/view/4100000002/',
        posting: {
          title: 'Data Engineer',
          company: 'Acme',
          applyUrl: 'https://boards.greenhouse.io/acme/jobs/7003',
        },
      },
    ]);
    const again = await run({
      linkedIn: linkedInAgain,
      searches: [{ query: 'data', location: 'Berlin' }],
      readBoardJob: async () => null,
    });
    expect(again.watchSuggestions).toEqual([]);
  });
});

describe('open or closed', () => {
  it('closes a posting that left its board, and reopens it when it comes back', async () => {
    const board = new ScriptedBoard({ kind: 'lever', name: 'acme' }, [
      boardPosting('lever', 'a'),
      boardPosting('lever', 'b', { title: 'Designer' }),
    ]);
    await run({ boards: [board] });
    clock.time += DAY;
    board.postings = [boardPosting('lever', 'a')];
    const second = await run({ boards: [board] });
    const closedAt = clock.now().toISOString();
    expect(second.postingsClosed).toBe(1);
    expect(jobs().map((job) => [job.job_id, job.closed_at])).toEqual([
      ['lever:a', null],
      ['lever:b', closedAt],
    ]);
    expect(link('lever:b').closed_at).toBe(closedAt);

    clock.time += DAY;
    board.postings = [boardPosting('lever', 'a'), boardPosting('lever', 'b', { title: 'Designer' })];
    await run({ boards: [board] });
    expect(jobs().map((job) => job.closed_at)).toEqual([null, null]);
    expect(link('lever:b').closed_at).toBeNull();
  });

  it('closes nothing when the board answers with an error, or lists only part of itself', async () => {
    const board = new ScriptedBoard({ kind: 'greenhouse', name: 'acme' }, [
      boardPosting('greenhouse', '1'),
      boardPosting('greenhouse', '2'),
    ]);
    await run({ boards: [board] });
    board.postings = [];
    board.failWith = 'greenhouse answered 500';
    expect(await run({ boards: [board] })).toMatchObject({ outcome: 'failed', postingsClosed: 0 });
    board.failWith = null;
    board.complete = false;
    expect(await run({ boards: [board] })).toMatchObject({ outcome: 'ok', postingsClosed: 0 });
    expect(jobs().map((job) => job.closed_at)).toEqual([null, null]);
  });

  it('keeps a job open while another watched board still lists it', async () => {
    const first = new ScriptedBoard({ kind: 'greenhouse', name: 'acme' }, [boardPosting('greenhouse', '1')]);
    const second = new ScriptedBoard({ kind: 'ashby', name: 'acme' }, [boardPosting('ashby', 'x')]);
    await run({ boards: [first, second] });
    expect(jobs().map((job) => job.links)).toEqual(['ashby:x greenhouse:1']);
    first.postings = [];
    expect(await run({ boards: [first, second] })).toMatchObject({ postingsClosed: 1 });
    expect(jobs().map((job) => job.closed_at)).toEqual([null]);
  });

  it('closes a job LinkedIn says no longer takes applications', () => {
    const now = clock.now().toISOString();
    store.savePosting(postingWith({ jobId: '4100000009', title: 'Dev', company: 'Acme', closed: true }), now);
    store.savePosting(
      postingWith({ jobId: '4100000010', title: 'Ops', company: 'Acme', closed: false }),
      now,
    );
    expect(jobs().map((job) => [job.job_id, job.closed_at])).toEqual([
      ['4100000009', now],
      ['4100000010', null],
    ]);
    expect(link('4100000009').closed_at).toBe(now);
  });
});

describe('requests avoided', () => {
  it('an unchanged board costs one request and writes nothing; a changed one is read in full', async () => {
    const board = new ScriptedBoard({ kind: 'ashby', name: 'acme' }, [boardPosting('ashby', 'a')]);
    await run({ boards: [board] });
    const seenFirst = link('ashby:a').last_seen_at;
    clock.time += DAY;
    const second = await run({ boards: [board] });
    expect(second).toMatchObject({ outcome: 'ok', sources: 1, sourcesUnchanged: 1, sourcePostingsNew: 0 });
    expect(board.lists).toBe(2);
    expect(board.given).toEqual([null, { etag: '"v2"', lastModified: null }]);
    expect(link('ashby:a').last_seen_at).toBe(seenFirst);

    board.postings = [boardPosting('ashby', 'a'), boardPosting('ashby', 'b', { title: 'Designer' })];
    expect(await run({ boards: [board] })).toMatchObject({ sourcesUnchanged: 0, sourcePostingsNew: 1 });
  });

  it('keeps the old validators when a run fails midway, so the next run reads the board in full', async () => {
    const board = new ScriptedBoard(
      { kind: 'smartrecruiters', name: 'acme' },
      [boardPosting('smartrecruiters', '1')],
      true,
    );
    await run({ boards: [board] });
    board.postings = [boardPosting('smartrecruiters', '1'), boardPosting('smartrecruiters', '2')];
    board.detailFails = true;
    expect(await run({ boards: [board] })).toMatchObject({ outcome: 'failed', failedSources: 1 });
    board.detailFails = false;
    const third = await run({ boards: [board] });
    expect(third).toMatchObject({ outcome: 'ok', sourcesUnchanged: 0, sourcePostingsNew: 1 });
    expect(jobs().map((job) => job.job_description)).toEqual([
      'Full text of Backend Engineer',
      'Full text of Backend Engineer',
    ]);
    // detail() only for postings not stored yet: "1" once, "2" on each of its tries.
    expect(board.details.filter((id) => id === 'smartrecruiters:1')).toHaveLength(1);
  });
});

describe('failures', () => {
  it('one failing board never stops the others: partial, the rest saved, the failure named', async () => {
    const good = new ScriptedBoard({ kind: 'greenhouse', name: 'good' }, [boardPosting('greenhouse', '1')]);
    const broken = new ScriptedBoard({ kind: 'lever', name: 'broken' }, [boardPosting('lever', 'x')]);
    broken.failWith = 'api.lever.co answered 503.';
    const gone = new ScriptedBoard({ kind: 'ashby', name: 'gone' });
    gone.missing = true;
    const summary = await run({ boards: [good, broken, gone] });
    expect(summary).toMatchObject({ outcome: 'partial', sources: 1, failedSources: 2, failed: 2 });
    expect(summary.failures).toEqual([
      { kind: 'source', source: 'ashby:gone', reason: 'no such board', notFound: true },
      { kind: 'source', source: 'lever:broken', reason: 'api.lever.co answered 503.', notFound: false },
    ]);
    // The failing board was tried again in the final pass; the missing one was not.
    expect([broken.lists, gone.lists]).toEqual([2, 1]);
    expect(jobs().map((job) => job.job_id)).toEqual(['greenhouse:1']);
    expect(watched.list().map((source) => [source.spec, source.lastError])).toEqual([
      ['greenhouse:good', null],
      ['lever:broken', 'api.lever.co answered 503.'],
      ['ashby:gone', 'no such board'],
    ]);
    const run_ = db
      .prepare('SELECT sources, postings_closed, outcome FROM update_runs ORDER BY id DESC')
      .get();
    expect(run_).toEqual({ sources: 1, postings_closed: 0, outcome: 'partial' });
  });

  it('recovers a board that fails once in the final pass', async () => {
    const board = new ScriptedBoard({ kind: 'greenhouse', name: 'acme' }, [boardPosting('greenhouse', '1')]);
    let failures = 1;
    const list = board.list.bind(board);
    board.list = async (validators) => {
      if (failures-- > 0) throw new Error('timeout');
      return list(validators);
    };
    expect(await run({ boards: [board] })).toMatchObject({ outcome: 'ok', failed: 0, sources: 1 });
  });
});

describe('blocked companies', () => {
  it('are never fetched in detail, on a board or on LinkedIn', async () => {
    db.prepare(
      "INSERT INTO blocked_companies (user_id, company_key, company, created_at) VALUES (1, 'flood staffing', 'Flood Staffing', ?)",
    ).run(new Date(START).toISOString());
    const board = new ScriptedBoard(
      { kind: 'smartrecruiters', name: 'mixed' },
      [
        boardPosting('smartrecruiters', '1', { company: 'Flood Staffing GmbH' }),
        boardPosting('smartrecruiters', '2', { company: 'Acme' }),
      ],
      true,
    );
    const linkedIn = new ScriptedLinkedIn([
      {
        jobId: '4100000001',
        link: 'https://li.test/1',
        company: 'FLOOD STAFFING',
        posting: { title: 'Dev' },
      },
      { jobId: '4100000002', link: 'https://li.test/2', company: 'Acme', posting: { title: 'Dev' } },
    ]);
    const summary = await run({
      boards: [board],
      linkedIn,
      searches: [{ query: 'dev', location: 'Berlin' }],
    });
    expect(summary).toMatchObject({ outcome: 'ok', skippedBlocked: 2 });
    expect(board.details).toEqual(['smartrecruiters:2']);
    expect(linkedIn.details).toEqual(['4100000002']);
    expect(
      jobs()
        .map((job) => job.job_id)
        .sort(),
    ).toEqual(['4100000002', 'smartrecruiters:2']);
  });
});

describe('feeds', () => {
  it('keeps the postings that match a search (every word, any case) in its location or remote', async () => {
    const feed = new ScriptedBoard({ kind: 'remotive', name: '' }, [
      boardPosting('remotive', '1', { title: 'Senior RUST Developer', location: 'Berlin, Germany' }),
      boardPosting('remotive', '2', { title: 'Rust developer', location: 'Worldwide' }),
      boardPosting('remotive', '3', {
        title: 'Platform engineer',
        description: 'We write Rust; any developer welcome',
        location: 'Anywhere',
        workplaceType: 'remote',
      }),
      boardPosting('remotive', '4', { title: 'Rust developer', location: 'Paris' }),
      boardPosting('remotive', '5', { title: 'Rustic developer', location: 'Berlin' }),
      boardPosting('remotive', '6', { title: 'Java developer', location: 'Berlin' }),
    ]);
    feed.complete = false;
    await run({ boards: [feed], searches: [{ query: 'rust developer', location: 'berlin' }] });
    expect(jobs().map((job) => job.job_id)).toEqual(['remotive:1', 'remotive:2', 'remotive:3']);
  });
});

describe('selectSources (update-db --source)', () => {
  const watchedSpecs: SourceSpec[] = [
    { kind: 'greenhouse', name: 'Stripe' },
    { kind: 'greenhouse', name: 'acme' },
    { kind: 'remotive', name: '' },
  ];

  it('reads LinkedIn and every watched source unless limited', () => {
    expect(selectSources([], watchedSpecs)).toEqual({ linkedIn: true, specs: watchedSpecs });
    expect(selectSources(['linkedin'], watchedSpecs)).toEqual({ linkedIn: true, specs: [] });
    expect(selectSources(['greenhouse'], watchedSpecs)).toEqual({
      linkedIn: false,
      specs: watchedSpecs.slice(0, 2),
    });
    expect(selectSources(['greenhouse:stripe', 'remotive'], watchedSpecs)).toEqual({
      linkedIn: false,
      specs: [watchedSpecs[0], watchedSpecs[2]],
    });
  });

  it('refuses a source that is not watched or not a source (exit 2)', () => {
    expect(() => selectSources(['lever:acme'], watchedSpecs)).toThrow(/do not watch "lever:acme"/);
    expect(() => selectSources(['ashby'], watchedSpecs)).toThrow(/do not watch any ashby board/);
    expect(() => selectSources(['monster:acme'], watchedSpecs)).toThrow(/not a source/);
  });
});
