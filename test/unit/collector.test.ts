import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import type { Db } from '../../src/db/database.js';
import { collect, describeFailed, GIVE_UP_AFTER_RUNS } from '../../src/jobs/collector.js';
import type { FoundLink } from '../../src/jobs/model.js';
import { JobStore } from '../../src/jobs/store.js';
import type { DetailResult, JobSource, SearchRequest, SearchResult } from '../../src/jobs/job-source.js';
import { postingWith } from '../helpers/postings.js';
import { userDatabase } from '../helpers/user-db.js';

/**
 * A source with 25 jobs for any search (10 a page) whose answers a test scripts: `fails(key, n)` makes
 * the request with that key ("search:START" or "detail:JOB_ID") throw n times before it answers.
 */
class ScriptedSource implements JobSource {
  readonly name = 'scripted';
  readonly stopped = false;
  readonly asked: string[] = [];
  private readonly failuresLeft = new Map<string, number>();
  readonly jobIds = Array.from({ length: 25 }, (_, i) => String(4_000_000_000 + i));

  fails(key: string, times: number): void {
    this.failuresLeft.set(key, times);
  }

  private answer(key: string): void {
    this.asked.push(key);
    const left = this.failuresLeft.get(key) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(key, left - 1);
      throw new Error(`no answer for ${key}`);
    }
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    this.answer(`search:${request.start}`);
    const ids = this.jobIds.slice(request.start, request.start + 10);
    return { kind: 'page', links: ids.map((jobId) => ({ jobId, link: `https://example.test/${jobId}` })) };
  }

  async detail(found: FoundLink): Promise<DetailResult> {
    this.answer(`detail:${found.jobId}`);
    return {
      kind: 'posting',
      posting: postingWith({ jobId: found.jobId, link: found.link, title: `Job ${found.jobId}` }),
    };
  }
}

let db: Db;
let close: () => void;
let store: JobStore;

beforeEach(() => {
  ({ db, close } = userDatabase('djs-collector-unit-'));
  store = new JobStore(db, 1);
});
afterEach(() => close());

const storedIds = (): string[] =>
  (db.prepare('SELECT job_id FROM job_postings ORDER BY job_id').all() as Array<{ job_id: string }>).map(
    (row) => row.job_id,
  );

function run(source: ScriptedSource, retryFailed = false) {
  return collect(
    { store, source, clock: systemClock, signal: new AbortController().signal },
    { searches: [{ query: 'rust', location: 'Berlin' }], perSearch: 60, concurrency: 2, retryFailed },
  );
}

describe('collect', () => {
  it('resumes a failed search page and retries a failed posting in the final pass', async () => {
    const source = new ScriptedSource();
    source.fails('search:10', 1);
    source.fails(`detail:${source.jobIds[3]}`, 1);
    const summary = await run(source);
    expect(summary).toMatchObject({
      outcome: 'ok',
      failed: 0,
      postingsFetched: 25,
      searchesDone: 1,
      failures: [],
    });
    expect(storedIds()).toEqual(source.jobIds);
    // The search went on from the page that failed, not from the start.
    expect(source.asked.filter((key) => key.startsWith('search:'))).toEqual([
      'search:0',
      'search:10',
      'search:10',
      'search:20',
      'search:25',
    ]);
  });

  it('reports what still fails after the final pass, naming the search and the posting', async () => {
    const source = new ScriptedSource();
    source.fails('search:20', 10);
    source.fails(`detail:${source.jobIds[0]}`, 10);
    const summary = await run(source);
    expect(summary).toMatchObject({ outcome: 'partial', failed: 2, failedSearches: 1, failedPostings: 1 });
    expect(summary.failures).toEqual([
      { kind: 'search', query: 'rust', location: 'Berlin', reason: 'no answer for search:20' },
      {
        kind: 'posting',
        jobId: source.jobIds[0],
        reason: `no answer for detail:${source.jobIds[0]}`,
        failedForGood: false,
      },
    ]);
    // Each tried once more, and no third time: the final round recovered nothing.
    expect(source.asked.filter((key) => key === 'search:20')).toHaveLength(2);
  });

  it(`counts a failing posting once per run and gives up on it after ${GIVE_UP_AFTER_RUNS} runs`, async () => {
    const source = new ScriptedSource();
    const broken = source.jobIds[5]!;
    source.fails(`detail:${broken}`, 1000);
    for (let runNo = 1; runNo < GIVE_UP_AFTER_RUNS; runNo++) {
      expect((await run(source)).failedForGood).toBe(0);
    }
    const last = await run(source);
    expect(last).toMatchObject({ outcome: 'partial', failedForGood: 1 });
    expect(last.failures).toEqual([expect.objectContaining({ jobId: broken, failedForGood: true })]);
    const asked = (): number => source.asked.filter((key) => key === `detail:${broken}`).length;
    expect(asked()).toBe(2 * GIVE_UP_AFTER_RUNS);

    expect(await run(source)).toMatchObject({ outcome: 'ok', failed: 0, failures: [] });
    expect(asked()).toBe(2 * GIVE_UP_AFTER_RUNS);

    source.fails(`detail:${broken}`, 0);
    expect(await run(source, true)).toMatchObject({ outcome: 'ok', postingsFetched: 1 });
    expect(storedIds()).toContain(broken);
    expect(db.prepare('SELECT COUNT(*) AS n FROM posting_failures').get()).toEqual({ n: 0 });
  });

  it('does not count failures against postings on a run where nothing worked', async () => {
    const source = new ScriptedSource();
    for (const jobId of source.jobIds) source.fails(`detail:${jobId}`, 1000);
    await run(source); // finds the links; every posting fails
    source.fails('search:0', 1000);
    for (let runNo = 0; runNo < GIVE_UP_AFTER_RUNS; runNo++) {
      expect(await run(source)).toMatchObject({ outcome: 'failed', failedForGood: 0 });
    }
    const attempts = db.prepare('SELECT DISTINCT attempts FROM posting_failures').all();
    expect(attempts).toEqual([{ attempts: 1 }]);
  });
});

describe('describeFailed', () => {
  it('names what failed, singular or plural', () => {
    expect(describeFailed(0, 1)).toBe('1 posting');
    expect(describeFailed(2, 0)).toBe('2 searches');
    expect(describeFailed(1, 3)).toBe('1 search and 3 postings');
  });
});
